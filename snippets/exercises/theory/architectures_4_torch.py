# %% [markdown]
# # Exercise: the receptive field of stacked 3x3 convolutions
#
# One output pixel after L stacked 3x3 convolutions (stride 1) depends on a
# (2L + 1) x (2L + 1) patch of the input: each layer adds k - 1 = 2. With
# strides, layer l adds (k - 1) times the product of the strides before it.
# Measured here as the input pixels with a nonzero gradient of one output pixel.

# %%
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")


def predicted_receptive_field(strides, k=3):
    size, jump = 1, 1
    for s in strides:
        size += (k - 1) * jump
        jump *= s
    return size


def measured_receptive_field(strides, n=41):
    layers = []
    for s in strides:
        conv = nn.Conv2d(1, 1, kernel_size=3, stride=s, padding=1, bias=False)
        nn.init.uniform_(conv.weight, 0.1, 1.0)  # positive: no gradient cancels out
        layers += [conv, nn.ReLU()]
    model = nn.Sequential(*layers).to(device)
    x = torch.rand(1, 1, n, n, device=device, requires_grad=True)
    out = model(x)
    centre = out.shape[-1] // 2
    out[0, 0, centre, centre].backward()
    rows = x.grad[0, 0].abs().sum(dim=1).nonzero()
    cols = x.grad[0, 0].abs().sum(dim=0).nonzero()
    return (rows.max() - rows.min() + 1).item(), (cols.max() - cols.min() + 1).item()


mismatches = 0
configs = [(1,) * depth for depth in range(1, 6)] + [(1, 2, 1), (2, 2, 2)]
for strides in configs:
    measured = measured_receptive_field(strides)
    predicted = predicted_receptive_field(strides)
    mismatches += int(measured != (predicted, predicted))
    print(f"strides {strides}: measured {measured[0]}x{measured[1]}, predicted {predicted}x{predicted}")

c = 64  # channels in and out: two 3x3 layers vs one 5x5 layer, same receptive field
two_3x3 = 2 * nn.Conv2d(c, c, 3, bias=False).weight.numel()
one_5x5 = nn.Conv2d(c, c, 5, bias=False).weight.numel()
print(
    f"rf_mismatches={mismatches} rf_5_layers={predicted_receptive_field((1,) * 5)} "
    f"params_two_3x3_over_one_5x5={two_3x3 / one_5x5:.2f}"
)
