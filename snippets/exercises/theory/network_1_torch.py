# %% [markdown]
# # Exercise: parameters and output shapes of a 784 -> 128 -> 64 -> 10 MLP
#
# A dense layer n_{l-1} -> n_l has n_{l-1} n_l + n_l parameters; on a batch of
# m samples it outputs a matrix of shape (m, n_l), and ReLU keeps the shape.
# Both are checked against the PyTorch model itself.

# %%
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

sizes = [784, 128, 64, 10]
batch_size = 32
model = nn.Sequential(
    nn.Linear(784, 128),
    nn.ReLU(),
    nn.Linear(128, 64),
    nn.ReLU(),
    nn.Linear(64, 10),
).to(device)

formula = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
counted = sum(p.numel() for p in model.parameters())
print(f"by the formula: {formula}, sum of p.numel(): {counted}")

# %%
# The expected output shape of every module, then the shapes the model produces.
expected = [(batch_size, 128), (batch_size, 128), (batch_size, 64), (batch_size, 64), (batch_size, 10)]
x = torch.randn(batch_size, 784, device=device)
mismatches = 0
with torch.no_grad():
    for layer, shape in zip(model, expected):
        x = layer(x)
        print(f"{type(layer).__name__:6s} -> {tuple(x.shape)}")
        mismatches += tuple(x.shape) != shape
print(f"formula_params={formula} count_gap={abs(formula - counted)} shape_mismatches={mismatches}")
