# %% [markdown]
# # Exercise: the sigmoid's derivative is at most 1/4, so n sigmoids shrink a gradient by 4^-n
#
# sigma'(z) = sigma(z) (1 - sigma(z)) is largest at z = 0, where it is 1/4.
# The derivative of ten sigmoids applied one after another is the product of
# ten such factors (the chain rule), so it is at most 4^-10; autograd agrees
# with that product and never exceeds the bound.

# %%
import torch

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

z = torch.linspace(-10, 10, 20001, dtype=torch.float64, device=device)  # steps of 1e-3
s = torch.sigmoid(z)
ds = s * (1 - s)
argmax_z = z[ds.argmax()].item()
print(f"max sigma'(z) on the grid = {ds.max().item():.6f} at z = {abs(argmax_z):.3f}")

# %%
n_layers = 10
z.requires_grad_(True)
a, factors = z, []
for _ in range(n_layers):
    a = torch.sigmoid(a)
    factors.append((a * (1 - a)).detach())  # sigma'(input of this layer)
a.sum().backward()  # every output depends on its own z only: z.grad = d a / d z

chain_rule = torch.stack(factors).prod(dim=0)
bound = 0.25**n_layers
product_gap = ((z.grad - chain_rule).abs() / chain_rule).max().item()
print(
    f"largest derivative of {n_layers} sigmoids: {z.grad.max().item():.3e}, bound 4^-{n_layers} = {bound:.3e}"
)
print(
    f"max_sigmoid_grad={ds.max().item():.6f} abs_argmax_z={abs(argmax_z):.1e} "
    f"chain_over_bound={z.grad.max().item() / bound:.4f} product_gap={product_gap:.1e}"
)
