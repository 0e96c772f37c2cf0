# %% [markdown]
# # Exercise: the cosine schedule by hand, against CosineAnnealingLR
#
# alpha_t = alpha_min + 1/2 (alpha_0 - alpha_min) (1 + cos(pi t / T)) for
# t = 0..T equals what torch.optim.lr_scheduler.CosineAnnealingLR gives. After
# T updates the two part: the formula on the page stays at alpha_min, while
# CosineAnnealingLR keeps following the cosine and climbs back to alpha_0 at 2T.

# %%
import math

import torch

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

lr0, lr_min, T = 0.1, 0.001, 50


def cosine_lr(t):
    """The page's formula, with t clamped at T (as Keras' CosineDecay does)."""
    t = min(t, T)
    return lr_min + 0.5 * (lr0 - lr_min) * (1 + math.cos(math.pi * t / T))


model = torch.nn.Linear(3, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T, eta_min=lr_min)
torch_lrs = []
for _ in range(2 * T + 1):
    torch_lrs.append(scheduler.get_last_lr()[0])  # the learning rate of the next update
    optimizer.step()  # (a real loop computes a loss and its gradient first)
    scheduler.step()

ours = [cosine_lr(t) for t in range(2 * T + 1)]
gap = max(abs(a - b) for a, b in zip(ours[: T + 1], torch_lrs[: T + 1]))
for t in (0, T // 2, T, 3 * T // 2, 2 * T):
    print(f"t={t:3d}: formula {ours[t]:.5f}, CosineAnnealingLR {torch_lrs[t]:.5f}")
print(
    f"gap_up_to_T={gap:.1e} torch_at_2T_over_lr0={torch_lrs[2 * T] / lr0:.4f} "
    f"ours_at_2T_over_lr_min={ours[2 * T] / lr_min:.4f}"
)
