# %% [markdown]
# # Exercise: why inverted dropout divides by 1 - p
#
# Each unit is kept with probability 1 - p, so E[r a] = (1 - p) a; dividing the
# kept units by 1 - p restores E[r a / (1 - p)] = a. nn.Dropout in training
# mode does exactly this: every kept unit equals a / (1 - p), a fraction p is
# zero and the mean is preserved; in eval mode it is the identity.

# %%
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

p = 0.3
a = torch.rand(1000, 1000, device=device) + 0.5  # positive activations, mean 1.0
model = nn.Dropout(p)

model.train()
out = model(a)
kept = out != 0
scale_gap = (out[kept] - a[kept] / (1 - p)).abs().max().item()
zero_fraction = 1 - kept.float().mean().item()
mean_ratio = (out.mean() / a.mean()).item()
unscaled_ratio = ((a * kept).mean() / a.mean()).item()  # dropping without the division
print(
    f"training mode: {zero_fraction:.4f} of the units zeroed, kept units = a / (1 - p) "
    f"within {scale_gap:.1e}, mean ratio {mean_ratio:.4f} (without the division {unscaled_ratio:.4f})"
)

model.eval()
eval_gap = (model(a) - a).abs().max().item()
print(f"eval mode: output - input = {eval_gap}")
print(
    f"scale_gap={scale_gap:.1e} zero_fraction={zero_fraction:.4f} mean_ratio={mean_ratio:.4f} "
    f"unscaled_mean_ratio={unscaled_ratio:.4f} eval_gap={eval_gap:.1e}"
)
