# %% [markdown]
# # Exercise: the gradient of f = (sigmoid(w . x + b) - y)^2 for vectors w, x
#
# By the chain rule: df/dw = 2 (p - y) p (1 - p) x, df/db = 2 (p - y) p (1 - p),
# df/dx = 2 (p - y) p (1 - p) w. Checked against torch.autograd.

# %%
import torch

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

n = 5
x = torch.randn(n, dtype=torch.float64, device=device, requires_grad=True)
w = torch.randn(n, dtype=torch.float64, device=device, requires_grad=True)
b = torch.tensor(0.1, dtype=torch.float64, device=device, requires_grad=True)
y = torch.tensor(1.0, dtype=torch.float64, device=device)

p = torch.sigmoid(w @ x + b)
loss = (p - y) ** 2
loss.backward()

with torch.no_grad():
    dL_dz = 2 * (p - y) * p * (1 - p)
    hand = {"w": dL_dz * x, "b": dL_dz, "x": dL_dz * w}
autograd = {"w": w.grad, "b": b.grad, "x": x.grad}
for name in hand:
    print(f"dL/d{name} autograd: {autograd[name].numpy(force=True).round(8)}")
    print(f"dL/d{name} by hand:  {hand[name].numpy(force=True).round(8)}")
gap = max((autograd[k] - hand[k]).abs().max().item() for k in hand)
print(f"vector_grad_gap={gap:.1e}")
