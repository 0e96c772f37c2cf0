# %% [markdown]
# # Exercise: what 2 x 2 max pooling does with an odd side of 13
#
# The second pooling layer of the CIFAR-10 model turns 13 x 13 into 6 x 6:
# floor(13 / 2) = 6 windows per side cover rows and columns 0-11, and the
# last row and column never reach the output. With ceil_mode=True (Keras:
# padding="same") a 7th, partial window covers them.

# %%
import torch
from torch import nn

SEED = 42
torch.manual_seed(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# %% A batch of feature maps of the size the layer receives: 64 x 13 x 13
x = torch.randn(4, 64, 13, 13, device=device)
pool = nn.MaxPool2d(2)
pool_ceil = nn.MaxPool2d(2, ceil_mode=True)
out = pool(x)
print(f"MaxPool2d(2):                 {tuple(x.shape[1:])} -> {tuple(out.shape[1:])}")
print(f"MaxPool2d(2, ceil_mode=True): {tuple(x.shape[1:])} -> {tuple(pool_ceil(x).shape[1:])}")


def change_after_raising(rows, cols):
    """Largest change of the pooled output when x[..., rows, cols] becomes large."""
    changed = x.clone()
    changed[:, :, rows, cols] = 100.0
    return (pool(changed) - out).abs().max().item()


last_row_and_col = max(change_after_raising(12, slice(None)), change_after_raising(slice(None), 12))
row_11 = change_after_raising(11, slice(None))
print(f"raise row 12 or column 12: the output changes by {last_row_and_col}")
print(f"raise row 11:              the output changes by {row_11:.1f}")
print(
    f"floor_side={out.shape[-1]} ceil_side={pool_ceil(x).shape[-1]} "
    f"last_row_col_change={last_row_and_col} row_11_change={row_11:.2f}"
)
