# %% [markdown]
# # Exercise: the logit gap that label smoothing settles at
#
# nn.CrossEntropyLoss(label_smoothing=eps) trains towards the target
# q = (1 - eps) y + eps / K. The loss is smallest at softmax(z) = q, where the
# correct logit exceeds every other one by log(q_c / q_k) = log(1 + K (1 - eps) / eps):
# log 91 = 4.5109 for K = 10 and eps = 0.1. Without smoothing the gap grows without bound.

# %%
import math

import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

K, eps, c = 10, 0.1, 3  # classes, smoothing, the correct class
label = torch.tensor([c], device=device)
q = torch.full((1, K), eps / K, dtype=torch.float64, device=device)
q[0, c] += 1 - eps

# The same loss written with the smoothed target as a probability distribution.
z = torch.randn(1, K, dtype=torch.float64, device=device)
target_form_gap = (
    (nn.CrossEntropyLoss(label_smoothing=eps)(z, label) - nn.CrossEntropyLoss()(z, q)).abs().item()
)


def logit_gap(loss_fn, num_steps, alpha=1.0):
    """Gradient descent on one free vector of logits, from zero."""
    z = torch.zeros(1, K, dtype=torch.float64, device=device, requires_grad=True)
    for _ in range(num_steps):
        z.grad = None
        loss_fn(z, label).backward()
        with torch.no_grad():
            z -= alpha * z.grad
    others = torch.cat([z[0, :c], z[0, c + 1 :]])
    return (z[0, c] - others.max()).item()


formula = math.log(1 + K * (1 - eps) / eps)
smoothed = logit_gap(nn.CrossEntropyLoss(label_smoothing=eps), 1000)
plain = {n: logit_gap(nn.CrossEntropyLoss(), n) for n in (100, 1000)}
print(f"formula log(1 + K (1 - eps) / eps) = {formula:.4f}; smoothed, after 1000 steps: {smoothed:.4f}")
print(f"no smoothing: gap {plain[100]:.2f} after 100 steps, {plain[1000]:.2f} after 1000 steps")
print(
    f"smoothed_gap={smoothed:.4f} formula_gap={abs(smoothed - formula):.1e} "
    f"target_form_gap={target_form_gap:.1e} unsmoothed_growth={plain[1000] - plain[100]:.2f}"
)
