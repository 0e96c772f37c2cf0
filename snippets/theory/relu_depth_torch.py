# %% [markdown]
# # Gradients through a 30-layer ReLU network: default vs He initialisation, PyTorch
#
# The ReLU derivative is 1 on the active units, but every layer also multiplies
# the gradient by its weight matrix. Whether the gradient survives 30 layers
# depends on the scale of those weights, that is, on the initialisation.

# %%
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# %% Data: one batch of random inputs and regression targets
num_layers = 30
width = 256
batch_size = 128
x_train = torch.randn(batch_size, width, device=device)
y_train = torch.randn(batch_size, 1, device=device)


# %% Model: 29 hidden layers Linear(256, 256) + ReLU, then Linear(256, 1)
def make_model(init):
    layers = []
    for _ in range(num_layers - 1):
        layers += [nn.Linear(width, width), nn.ReLU()]
    layers.append(nn.Linear(width, 1))
    model = nn.Sequential(*layers)
    if init == "he":
        for layer in model:
            if isinstance(layer, nn.Linear):
                # He et al. (2015): weights ~ N(0, 2 / fan_in), biases 0.
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
                nn.init.zeros_(layer.bias)
    # "default" keeps PyTorch's own nn.Linear initialisation:
    # weights and biases ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    return model.to(device)


loss_fn = nn.MSELoss()


# %% One backward pass: the gradient norm of every layer's weights
def weight_grad_norms(model):
    model.zero_grad()
    loss_fn(model(x_train), y_train).backward()
    return [m.weight.grad.norm().item() for m in model if isinstance(m, nn.Linear)]


ratios = {}
for init in ("default", "he"):
    torch.manual_seed(SEED)
    model = make_model(init)
    norms = weight_grad_norms(model)
    ratios[init] = norms[0] / norms[-1]
    print(f"[{init}] norm of the weight gradient, by layer:")
    for layer in (1, 5, 10, 15, 20, 25, 30):
        print(f"  layer {layer:2d}: {norms[layer - 1]:.3e}")
    print(f"  layer 1 / layer {num_layers} = {ratios[init]:.3e}")

# %% The first layer's weight gradient relative to the last layer's
print(f"default_ratio={ratios['default']:.3e} he_ratio={ratios['he']:.3e}")
