# %% [markdown]
# # Exercise: accumulating gradients over micro-batches on purpose
#
# 4 micro-batches of 8 samples, each loss divided by 4, backward() after each
# and zero_grad() only once: the accumulated .grad equals the gradient of the
# mean loss over the whole batch of 32. Without the division it is 4 times larger.

# %%
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

batch_size, num_micro = 32, 4
x_train = torch.randn(batch_size, 3, device=device)
y_train = torch.randn(batch_size, 1, device=device)
model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1)).to(device)
loss_fn = nn.MSELoss()  # the mean over the samples of a batch


def grads():
    return torch.cat([p.grad.reshape(-1) for p in model.parameters()]).clone()


model.zero_grad()
loss_fn(model(x_train), y_train).backward()  # the whole batch at once
full = grads()

for scale in (num_micro, 1):  # divided by 4, then not divided
    model.zero_grad()  # once, before the micro-batches
    for xb, yb in zip(x_train.chunk(num_micro), y_train.chunk(num_micro)):
        (loss_fn(model(xb), yb) / scale).backward()  # adds to .grad
    if scale == num_micro:
        scaled = grads()
unscaled = grads()
gap = (scaled - full).abs().max().item()
ratio = (unscaled.norm() / full.norm()).item()
print(f"accumulated_vs_full={gap:.1e} unscaled_ratio={ratio:.4f}")
