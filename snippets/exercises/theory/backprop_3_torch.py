# %% [markdown]
# # Exercise: multiply-adds of the forward and the backward pass of an MLP
#
# A dense layer on a batch, Z = A W (A: m x n_in, W: n_in x n_out), costs
# m n_in n_out multiply-adds. Backward needs dW = A^T dZ and dA = dZ W^T, the
# same count each: twice the forward pass, except in the first layer, whose
# input needs no gradient. torch.utils.flop_counter counts the matrix products
# PyTorch actually runs (2 FLOPs per multiply-add).

# %%
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

sizes = [784, 256, 128, 10]
batch_size = 64
model = nn.Sequential(
    nn.Linear(784, 256),
    nn.ReLU(),
    nn.Linear(256, 128),
    nn.ReLU(),
    nn.Linear(128, 10),
).to(device)
loss_fn = nn.CrossEntropyLoss()
x_train = torch.randn(batch_size, 784, device=device)
y_train = torch.randint(0, 10, (batch_size,), device=device)

forward_formula = sum(batch_size * n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
backward_formula = 2 * forward_formula - batch_size * sizes[0] * sizes[1]  # no dA for the input

# %%
with FlopCounterMode(display=False) as counter:
    loss = loss_fn(model(x_train), y_train)
forward_counted = counter.get_total_flops() // 2
with FlopCounterMode(display=False) as counter:
    loss.backward()
backward_counted = counter.get_total_flops() // 2
print(f"forward:  {forward_formula:,} multiply-adds by the formula, {forward_counted:,} counted")
print(f"backward: {backward_formula:,} multiply-adds by the formula, {backward_counted:,} counted")
print(
    f"forward_madds={forward_counted} backward_over_forward={backward_counted / forward_counted:.4f} "
    f"formula_gap={abs(forward_formula - forward_counted) + abs(backward_formula - backward_counted)}"
)
