# %% [markdown]
# # Exercise: a training loop without optimizer.zero_grad()
#
# backward() adds to .grad, so without zero_grad() step t uses the sum of all
# gradients so far, g_1 + ... + g_t. For plain SGD that is exactly SGD with
# momentum 1 (buffer b_t = 1 * b_(t-1) + g_t, no damping): the same weights,
# step for step. No old gradient is ever forgotten: on overlapping classes the
# weights keep growing and the loss ends far above that of the correct loop.

# %%
import copy

import torch
from torch import nn

SEED = 42
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# %% Data: three overlapping blobs in 2-D, 3 classes
num_steps, batch_size, lr = 100, 64, 0.1
centers = torch.tensor([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
y_train = torch.randint(0, 3, (batch_size * num_steps,))
x_train = centers[y_train] + torch.randn(len(y_train), 2)
x_train, y_train = x_train.to(device), y_train.to(device)
loss_fn = nn.CrossEntropyLoss()
initial = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3)).to(device)


def train(momentum, zero_grad):
    model = copy.deepcopy(initial)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    losses = []
    for step in range(num_steps):
        xb = x_train[step * batch_size : (step + 1) * batch_size]
        yb = y_train[step * batch_size : (step + 1) * batch_size]
        if zero_grad:
            optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses


right, right_losses = train(momentum=0.0, zero_grad=True)
forgot, forgot_losses = train(momentum=0.0, zero_grad=False)
momentum_1, _ = train(momentum=1.0, zero_grad=True)
same_as_momentum_1 = max(
    (p - q).abs().max().item() for p, q in zip(forgot.parameters(), momentum_1.parameters())
)


def summary(model):
    """Loss on all the training data, and the norm of all the weights."""
    with torch.no_grad():
        loss = loss_fn(model(x_train), y_train).item()
        norm = torch.cat([p.flatten() for p in model.parameters()]).norm().item()
    return loss, norm


(loss_with, norm_with), (loss_without, norm_without) = summary(right), summary(forgot)
for name, losses, loss, norm in (
    ("with zero_grad()", right_losses, loss_with, norm_with),
    ("without zero_grad()", forgot_losses, loss_without, norm_without),
):
    print(f"{name}: batch loss every 10 steps " + " ".join(f"{v:.2f}" for v in losses[::10]))
    print(f"    after {num_steps} steps: loss on all the data {loss:.3f}, weight norm {norm:.1f}")
print(f"without zero_grad() vs SGD(momentum=1.0): largest weight difference {same_as_momentum_1:.1e}")
print(
    f"same_as_momentum_1={same_as_momentum_1:.1e} loss_with={loss_with:.4f} "
    f"loss_without={loss_without:.4f} norm_ratio={norm_without / norm_with:.2f}"
)
