# %% [markdown]
# # Exercise: moving nn.Linear weights into the Keras layout x @ W + b
#
# A Keras Dense kernel has shape (in, out), a PyTorch nn.Linear weight
# (out, in). The kernel is weight.T; weight.reshape(in, out) has the right
# shape but puts the numbers in the wrong places.

# %%
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

layer = nn.Linear(4, 3).to(device)
x = torch.randn(10, 4, device=device)
with torch.no_grad():
    expected = layer(x)
    kernel = layer.weight.T  # (4, 3): the Keras layout
    wrong_kernel = layer.weight.reshape(4, 3)  # (4, 3) as well, but not the same matrix
    print(f"weight {tuple(layer.weight.shape)}, kernel and wrong kernel {tuple(wrong_kernel.shape)}")
    transpose_gap = (x @ kernel + layer.bias - expected).abs().max().item()
    reshape_gap = (x @ wrong_kernel + layer.bias - expected).abs().max().item()
print(f"transpose_gap={transpose_gap:.1e} reshape_gap={reshape_gap:.3f}")
