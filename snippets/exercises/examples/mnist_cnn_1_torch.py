# %% [markdown]
# # Exercise: the output shape and parameters of every layer of the MNIST CNN
#
# Without padding a k x k convolution turns a side of n into n - k + 1, and
# 2 x 2 max pooling turns it into floor(n / 2); a convolution has
# (k * k * C_in + 1) * C_out parameters, a dense layer (n_in + 1) * n_out.
# The sizes derived from these formulas are checked against the page's model.

# %%
import torch
from torch import nn

SEED = 42
torch.manual_seed(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# %% The page's model (PyTorch: channels first)
model = nn.Sequential(
    nn.Conv2d(1, 32, kernel_size=3),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(32, 64, kernel_size=3),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(1600, 128),
    nn.ReLU(),
    nn.Linear(128, 10),
).to(device)

# %% The shapes and parameter counts by the formulas
k = 3
side1 = 28 - k + 1  # 26
side2 = side1 // 2  # 13
side3 = side2 - k + 1  # 11
side4 = side3 // 2  # 5
expected = [
    ((32, side1, side1), (k * k * 1 + 1) * 32),
    ((32, side1, side1), 0),
    ((32, side2, side2), 0),
    ((64, side3, side3), (k * k * 32 + 1) * 64),
    ((64, side3, side3), 0),
    ((64, side4, side4), 0),
    ((64 * side4 * side4,), 0),
    ((128,), (64 * side4 * side4 + 1) * 128),
    ((128,), 0),
    ((10,), (128 + 1) * 10),
]

# %% The model's own shapes and counts, on a batch of 8 images
x = torch.zeros(8, 1, 28, 28, device=device)
shape_mismatches, count_mismatches = 0, 0
with torch.no_grad():
    for layer, (shape, params) in zip(model, expected):
        x = layer(x)
        counted = sum(p.numel() for p in layer.parameters())
        print(f"{type(layer).__name__:9s} -> {str(tuple(x.shape[1:])):14s} {counted:>7,} parameters")
        shape_mismatches += tuple(x.shape[1:]) != shape
        count_mismatches += counted != params
total = sum(p.numel() for p in model.parameters())
formula_total = sum(params for _, params in expected)
print(f"total: {total:,} (by the formulas: {formula_total:,})")
print(
    f"total_params={total} formula_total={formula_total} "
    f"shape_mismatches={shape_mismatches} count_mismatches={count_mismatches}"
)
