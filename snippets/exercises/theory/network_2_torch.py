# %% [markdown]
# # Exercise: the page's NumPy forward pass with the weights of an nn.Sequential
#
# nn.Linear stores weight with shape (n_out, n_in); the page's NumPy code uses
# Keras' layout x @ W + b with W of shape (n_in, n_out), so W = weight.T.
# The NumPy forward pass on a batch, and the per-sample formula W a + b with
# PyTorch's layout, both equal the model's output.

# %%
import numpy as np
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).to(device)
x_torch = torch.randn(5, 3, device=device)  # 5 samples of 3 features
with torch.no_grad():
    expected = model(x_torch).numpy(force=True)

# %%
# Copy the parameters out of the model, in Keras' layout (n_in, n_out).
W1 = model[0].weight.numpy(force=True).T  # (3, 4)
b1 = model[0].bias.numpy(force=True)
W2 = model[2].weight.numpy(force=True).T  # (4, 2)
b2 = model[2].bias.numpy(force=True)
print("weight", tuple(model[0].weight.shape), "-> W1", W1.shape)

x = x_torch.numpy(force=True)
a1 = np.maximum(x @ W1 + b1, 0)  # the page's code, unchanged
z2 = a1 @ W2 + b2
batch_gap = np.abs(z2 - expected).max()

# One sample at a time, as in the formula z = W a + b with W of shape (n_out, n_in).
per_sample = np.stack([W2.T @ np.maximum(W1.T @ xi + b1, 0) + b2 for xi in x])
per_sample_gap = np.abs(per_sample - expected).max()
print("NumPy output:\n", z2.round(4))
print(f"batch_gap={batch_gap:.1e} per_sample_gap={per_sample_gap:.1e}")
