# %% [markdown]
# # Exercise: the fan-in of a convolution counts the kernel's positions
#
# Each output of Conv2d(64, 128, kernel_size=3) sums 64 x 3 x 3 = 576 products,
# so its fan-in is 576, not 64: He initialisation draws the weights with
# std sqrt(2 / 576). Scaled by the 64 input channels alone, the weights are
# 3 times too large and each layer multiplies the mean square by 9.

# %%
import math

import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

c_in, c_out, k = 64, 128, 3
conv = nn.Conv2d(c_in, c_out, kernel_size=k, bias=False).to(device)
fan_in, fan_out = c_in * k * k, c_out * k * k
print(f"weight shape {tuple(conv.weight.shape)}: fan_in = {fan_in}, fan_out = {fan_out}")

# nn.Conv2d's default, like nn.Linear's: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
default_bound = conv.weight.abs().max().item() * math.sqrt(fan_in)
print(
    f"default init: max |w| = {conv.weight.abs().max().item():.5f}, 1/sqrt(fan_in) = {1 / math.sqrt(fan_in):.5f}"
)

# %%
w = torch.empty_like(conv.weight)
nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
fan_out_std = w.std().item() / math.sqrt(2 / fan_out)
nn.init.kaiming_normal_(conv.weight, nonlinearity="relu")  # mode="fan_in", the default
std = conv.weight.std().item()
print(
    f"kaiming_normal_: std = {std:.5f}; sqrt(2/{fan_in}) = {math.sqrt(2 / fan_in):.5f}, sqrt(2/{c_in}) = {math.sqrt(2 / c_in):.5f}"
)

# %%
# One layer on the ReLU of N(0, 1) inputs (mean square 1 before the ReLU);
# no padding, so every output sums all 576 products.
x = torch.randn(16, c_in, 20, 20, device=device)
a = torch.relu(x)
with torch.no_grad():
    he_gain = conv(a).pow(2).mean().item() / x.pow(2).mean().item()
    conv.weight.normal_(0, math.sqrt(2 / c_in))  # the fan-in taken as the 64 channels
    wrong_gain = conv(a).pow(2).mean().item() / x.pow(2).mean().item()
print(f"mean square of the output / of the input: He {he_gain:.3f}, std sqrt(2/{c_in}) {wrong_gain:.3f}")

print(
    f"std_over_formula={std / math.sqrt(2 / fan_in):.4f} fan_out_std_over_formula={fan_out_std:.4f} "
    f"default_bound_over_formula={default_bound:.4f} he_gain={he_gain:.3f} wrong_fan_gain={wrong_gain:.3f}"
)
