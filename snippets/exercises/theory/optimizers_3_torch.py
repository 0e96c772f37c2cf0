# %% [markdown]
# # Exercise: Adam's first step with and without bias correction
#
# With m_0 = v_0 = 0, the first step has m_1 = (1 - beta1) g and
# v_1 = (1 - beta2) g^2. With bias correction the step is
# alpha g / (|g| + eps), about alpha for any gradient scale. Without it, it is
# alpha (1 - beta1) / sqrt(1 - beta2) = 3.16 alpha, and for a constant gradient
# the uncorrected steps keep growing for a while before they shrink back to alpha.

# %%
import math

import torch

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

lr, beta1, beta2, eps = 0.01, 0.9, 0.999, 1e-8
# One parameter per gradient scale, from 1e-3 to 1e3, with random signs.
scales = torch.tensor([1e-3, 1e-1, 1.0, 10.0, 1e3], dtype=torch.float64, device=device)
g = scales * torch.sign(torch.randn(5, dtype=torch.float64, device=device))

theta = torch.zeros(5, dtype=torch.float64, device=device, requires_grad=True)
optimizer = torch.optim.Adam([theta], lr=lr, betas=(beta1, beta2), eps=eps)
optimizer.zero_grad()
(g * theta).sum().backward()  # the gradient of this loss is g
optimizer.step()
torch_step = -theta.detach()  # theta started at zero

# %%
# The first step by hand, with and without bias correction (t = 1).
m1, v1 = (1 - beta1) * g, (1 - beta2) * g**2
corrected = lr * (m1 / (1 - beta1)) / (torch.sqrt(v1 / (1 - beta2)) + eps)
uncorrected = lr * m1 / (torch.sqrt(v1) + eps)
for s, a, b, c in zip(
    scales.tolist(), torch_step.abs().tolist(), corrected.abs().tolist(), uncorrected.abs().tolist()
):
    print(
        f"|g| = {s:g}: torch.optim.Adam {a / lr:.5f} alpha, corrected {b / lr:.5f} alpha, "
        f"uncorrected {c / lr:.5f} alpha"
    )

# %%
# A constant gradient: the uncorrected step at step t is
# (1 - beta1^t) / sqrt(1 - beta2^t) times alpha (eps neglected).
t = torch.arange(1, 5001, dtype=torch.float64)
ratio = (1 - beta1**t) / torch.sqrt(1 - beta2**t)
peak = ratio.argmax().item()
print(
    f"uncorrected step / alpha: t=1 {ratio[0]:.3f}, peak {ratio[peak]:.3f} at t={peak + 1}, "
    f"t=5000 {ratio[-1]:.3f}"
)
print(
    f"ours_vs_torch={(corrected - torch_step).abs().max().item():.1e} "
    f"corrected_over_lr_min={(torch_step.abs() / lr).min().item():.5f} "
    f"uncorrected_t1_over_lr={(uncorrected / lr).max().item():.4f} "
    f"expected_t1={(1 - beta1) / math.sqrt(1 - beta2):.4f} uncorrected_peak_over_lr={ratio[peak]:.3f}"
)
