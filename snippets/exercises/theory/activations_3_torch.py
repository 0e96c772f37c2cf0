# %% [markdown]
# # Exercise: the derivatives of leaky ReLU and GELU, against autograd
#
# Leaky ReLU (PyTorch's default slope a = 0.01): 1 for z > 0, a for z < 0.
# GELU(z) = z Phi(z), with Phi the standard normal CDF and phi its density:
# GELU'(z) = Phi(z) + z phi(z). Checked in float64 against the gradients that
# autograd computes for F.leaky_relu and F.gelu.

# %%
import math

import torch
import torch.nn.functional as F

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

z = 3 * torch.randn(10_000, dtype=torch.float64, device=device)
z = z[z.abs() > 1e-6]  # leaky ReLU has a kink at 0
z.requires_grad_(True)


def autograd_derivative(f):
    z.grad = None
    f(z).sum().backward()  # element-wise function: the gradient is f'(z) element by element
    return z.grad.detach().clone()


slope = 0.01
with torch.no_grad():
    leaky_by_hand = torch.ones_like(z).masked_fill(z < 0, slope)  # float64, like z
    Phi = 0.5 * (1 + torch.erf(z / math.sqrt(2)))
    phi = torch.exp(-(z**2) / 2) / math.sqrt(2 * math.pi)
    gelu_by_hand = Phi + z * phi

leaky_gap = (autograd_derivative(F.leaky_relu) - leaky_by_hand).abs().max().item()
gelu_gap = (autograd_derivative(F.gelu) - gelu_by_hand).abs().max().item()

# %%
# Unlike ReLU, GELU is not monotonic: its derivative is negative below about -0.75.
grid = torch.linspace(-3, 0, 300_001, dtype=torch.float64)
d = 0.5 * (1 + torch.erf(grid / math.sqrt(2))) + grid * torch.exp(-(grid**2) / 2) / math.sqrt(2 * math.pi)
crossing = grid[(d < 0).nonzero().max()].item()
print(f"GELU'(z) < 0 for z < {crossing:.4f}; smallest GELU'(z) = {d.min().item():.4f}")
print(f"leaky_relu_grad_gap={leaky_gap:.1e} gelu_grad_gap={gelu_gap:.1e}")
