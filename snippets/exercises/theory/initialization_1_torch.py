# %% [markdown]
# # Exercise: why the weights cannot all start at the same value
#
# A 2-16-1 tanh network learns y = sin(2 x1) cos(2 x2) three times: with every
# weight and bias 0, with every weight 0.5 (biases 0), and with PyTorch's own
# random initialisation. Equal hidden units get equal gradients and stay equal:
# with all zeros nothing but the output bias ever moves; with a constant the
# 16 hidden units move together and act as one.

# %%
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

n, d, hidden = 256, 2, 16
x_train = torch.randn(n, d, device=device)
y_train = torch.sin(2 * x_train[:, :1]) * torch.cos(2 * x_train[:, 1:])
loss_fn = nn.MSELoss()
num_steps = 1000  # full-batch gradient-descent steps


def make_model(init):
    torch.manual_seed(SEED)
    model = nn.Sequential(nn.Linear(d, hidden), nn.Tanh(), nn.Linear(hidden, 1))
    if init != "random":  # "random" keeps nn.Linear's U(-1/sqrt(fan_in), 1/sqrt(fan_in))
        for layer in (model[0], model[2]):
            nn.init.constant_(layer.weight, 0.0 if init == "zeros" else 0.5)
            nn.init.zeros_(layer.bias)
    return model.to(device)


# %%
results = {}
for init in ("zeros", "constant", "random"):
    model = make_model(init)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss = loss_fn(model(x_train), y_train)
        loss.backward()
        optimizer.step()
    w1, w2 = model[0].weight.detach(), model[2].weight.detach()
    # How far the hidden units are from being copies of unit 0: their incoming
    # weights (rows of W1) and their outgoing weights (entries of W2).
    rows_gap = max((w1 - w1[0]).abs().max().item(), (w2 - w2[:, :1]).abs().max().item())
    weights_max = max(w1.abs().max().item(), w2.abs().max().item())
    results[init] = (loss.item(), rows_gap, weights_max)
    print(
        f"[{init:8s}] loss after {num_steps} steps = {loss.item():.4f}, "
        f"largest difference between hidden units = {rows_gap:.2e}, largest |weight| = {weights_max:.4f}"
    )

print(f"variance of y (the loss of predicting its mean): {y_train.var(unbiased=False).item():.4f}")
print(
    f"zeros_weights_max={results['zeros'][2]:.1e} constant_units_gap={results['constant'][1]:.1e} "
    f"random_units_gap={results['random'][1]:.3f} "
    f"constant_loss={results['constant'][0]:.4f} random_loss={results['random'][0]:.4f}"
)
