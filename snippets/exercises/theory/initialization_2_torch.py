# %% [markdown]
# # Exercise: the forward pass through 50 ReLU layers, four initialisations
#
# With weights of variance Var(w) and no biases, each ReLU layer of width n
# multiplies the mean square of the pre-activations by n Var(w) / 2 (on
# average over networks). He initialisation makes that factor 1; PyTorch's
# nn.Linear default makes it 1/6; N(0, 0.01^2) and N(0, 0.1^2) make it
# 0.0128 and 1.28 at n = 256. Over 49 layers that is 1, 1e-38, 1e-93, 2e5.

# %%
import math

import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

depth, width, batch_size = 50, 256, 64
# float64: the mean square falls to 1e-93, below float32's smallest number (1e-45).
dtype = torch.float64

INITS = {  # name: (function that fills a weight, Var(w))
    "he": (lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"), 2 / width),
    # nn.Linear's own default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), variance 1 / (3 fan_in)
    "default": (lambda w: nn.init.kaiming_uniform_(w, a=math.sqrt(5)), 1 / (3 * width)),
    "normal_0.01": (lambda w: nn.init.normal_(w, std=0.01), 0.01**2),
    "normal_0.1": (lambda w: nn.init.normal_(w, std=0.1), 0.1**2),
}


def mean_squares(init):
    """The mean square of z^[l] = W^[l] a^[l-1] for l = 1..depth, a = relu(z)."""
    a = torch.randn(batch_size, width, dtype=dtype, device=device)
    out = []
    with torch.no_grad():
        for _ in range(depth):
            w = torch.empty(width, width, dtype=dtype, device=device)  # (out, in), as nn.Linear stores it
            INITS[init][0](w)
            z = a @ w.T
            a = torch.relu(z)
            out.append(z.pow(2).mean().item())
    return out


# %%
# One network fluctuates: at width 256, 9 in 10 "he" networks end between 0.16
# and 3.2 (300 measured; median 0.70, mean 1.05). The factor n Var(w) / 2 holds
# on average over networks, so each ratio is a mean over several networks: 16
# for "he", whose ratio is close to 1, 4 for the others, far from it.
ratios, gaps = {}, []
for init, (_, var_w) in INITS.items():
    nets = 16 if init == "he" else 4
    runs = [mean_squares(init) for _ in range(nets)]
    ratio = sum(ms[-1] / ms[0] for ms in runs) / nets  # layer 50 relative to layer 1
    per_layer = ratio ** (1 / (depth - 1))
    predicted = width * var_w / 2
    gaps.append(abs(per_layer / predicted - 1))
    ratios[init] = ratio
    print(
        f"[{init:11s}] std(w) = {math.sqrt(var_w):.4f}: per layer x{per_layer:.4f} "
        f"(n Var(w) / 2 = {predicted:.4f}); layer {depth} / layer 1 = {ratio:.3e}"
    )

print(
    f"he_ratio={ratios['he']:.3f} default_ratio={ratios['default']:.1e} "
    f"small_ratio={ratios['normal_0.01']:.1e} large_ratio={ratios['normal_0.1']:.1e} "
    f"max_factor_gap={max(gaps):.4f}"
)
