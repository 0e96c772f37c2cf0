# %% [markdown]
# # Exercise: the gradients of the two generator losses
#
# With D(G(z)) = sigmoid(s), the minimax generator loss log(1 - D) has
# derivative -sigmoid(s) with respect to the logit s, the non-saturating loss
# -log D has -(1 - sigmoid(s)). Their ratio is (1 - D) / D = exp(-s), and the
# same ratio holds for the derivatives with respect to D. Autograd gives the
# gradients; a bisection on s, which uses no formula, finds where the
# non-saturating gradient is 100 times the other: at D = 1/101.

# %%
import math

import torch
import torch.nn.functional as F

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")


def minimax_loss(s):
    """log(1 - D(G(z))), written with the logit s for numerical stability."""
    return -F.softplus(s)


def nonsaturating_loss(s):
    """-log D(G(z)) = binary cross-entropy of the logit s with label 1."""
    return F.binary_cross_entropy_with_logits(s, torch.ones_like(s))


def grads(s_value):
    """|d loss / ds| of both losses, and |d loss / dD| of both, by autograd."""
    out = []
    for loss_fn in (minimax_loss, nonsaturating_loss):
        s = torch.tensor(s_value, dtype=torch.float64, device=device, requires_grad=True)
        (g_s,) = torch.autograd.grad(loss_fn(s), s)
        d = torch.sigmoid(torch.tensor(s_value, dtype=torch.float64, device=device)).requires_grad_()
        loss_d = torch.log1p(-d) if loss_fn is minimax_loss else -torch.log(d)
        (g_d,) = torch.autograd.grad(loss_d, d)
        out += [abs(g_s.item()), abs(g_d.item())]
    mm_s, mm_d, ns_s, ns_d = out
    return mm_s, ns_s, mm_d, ns_d


formula_gap = 0.0
print("     s     D(G(z))   |minimax'(s)|  |non-sat'(s)|   ratio   (1 - D) / D")
for s_value in (-10.0, -5.0, -3.0, -1.0, 0.0, 1.0, 3.0):
    mm_s, ns_s, mm_d, ns_d = grads(s_value)
    d = 1 / (1 + math.exp(-s_value))
    ratio = ns_s / mm_s
    formula_gap = max(formula_gap, abs(ratio / ((1 - d) / d) - 1), abs((ns_d / mm_d) / ratio - 1))
    print(f"{s_value:6.1f}  {d:9.6f}  {mm_s:13.6f}  {ns_s:13.6f}  {ratio:9.3f}  {(1 - d) / d:9.3f}")

# %%
# Bisection on s for ratio = 100: the ratio falls as s grows.
low, high = -20.0, 0.0
for _ in range(60):
    mid = (low + high) / 2
    mm_s, ns_s, _, _ = grads(mid)
    low, high = (mid, high) if ns_s / mm_s > 100 else (low, mid)
d_100 = 1 / (1 + math.exp(-low))
mm_s, ns_s, _, _ = grads(0.0)
print(
    f"ratio 100 at s = {low:.4f} (-log 100 = {-math.log(100):.4f}), D(G(z)) = {d_100:.6f}, 1/101 = {1 / 101:.6f}"
)
print(
    f"formula_gap={formula_gap:.1e} d_at_100x={d_100:.6f} d_gap={abs(d_100 - 1 / 101):.1e} "
    f"ratio_at_half={ns_s / mm_s:.4f}"
)
