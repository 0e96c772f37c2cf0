# %% [markdown]
# # Exercise: the output size of a convolution, checked against nn.Conv2d
#
# n_out = floor((n + 2p - k) / s) + 1 for every input size n, kernel size k,
# padding p and stride s tried (with n + 2p >= k). Where s does not divide
# n + 2p - k, the last rows and columns that the kernel cannot fully cover are
# dropped: rounding up instead of down is wrong in exactly those cases.

# %%
import itertools
import math

import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")


def conv_output_size(n, k, p, s):
    return (n + 2 * p - k) // s + 1


settings = mismatches = ceil_wrong = 0
measured = {}
for n, k, p, s in itertools.product((5, 6, 7, 28, 32), (1, 2, 3, 5), (0, 1, 2), (1, 2, 3)):
    if n + 2 * p < k:
        continue
    model = nn.Conv2d(1, 1, kernel_size=k, padding=p, stride=s).to(device)
    with torch.no_grad():
        height, width = model(torch.zeros(1, 1, n, n, device=device)).shape[-2:]
    settings += 1
    measured[n, k, p, s] = height
    mismatches += int((height, width) != (conv_output_size(n, k, p, s),) * 2)
    ceil_wrong += int(height != math.ceil((n + 2 * p - k) / s) + 1)

for n, k, p, s in ((28, 3, 1, 1), (28, 5, 0, 1), (5, 3, 0, 2), (32, 3, 1, 2), (7, 2, 0, 3)):
    print(
        f"n={n:2d} k={k} p={p} s={s}: formula {conv_output_size(n, k, p, s):2d}, "
        f"nn.Conv2d {measured[n, k, p, s]:2d}"
    )
print(f"settings={settings} mismatches={mismatches} ceil_wrong={ceil_wrong}")
