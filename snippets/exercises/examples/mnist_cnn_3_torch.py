# %% [markdown]
# # Exercise: moving the first dense layer from Keras (channels last) to PyTorch
#
# Keras flattens a feature map of shape (5, 5, 64) in the order
# (height, width, channel), PyTorch flattens (64, 5, 5) in the order
# (channel, height, width): the same 1,600 numbers, in a different order.
# A Keras kernel of shape (1600, 128) therefore needs its rows reordered, not
# only a transpose, to become the weight (128, 1600) of nn.Linear(1600, 128).

# %%
import torch

SEED = 42
torch.manual_seed(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# %% A batch of feature maps as PyTorch holds them, and the Keras layout of the same maps
batch_size, channels, side, units = 16, 64, 5, 128
maps_torch = torch.randn(batch_size, channels, side, side, device=device)  # (n, C, H, W)
maps_keras = maps_torch.permute(0, 2, 3, 1)  # (n, H, W, C)

# A Keras Dense kernel (inputs, units) and bias, and what the Keras model computes.
kernel = torch.randn(side * side * channels, units, device=device) / 40
bias = torch.randn(units, device=device)
keras_output = maps_keras.reshape(batch_size, -1) @ kernel + bias

# %% Two ways to fill nn.Linear(1600, 128)
linear = torch.nn.Linear(side * side * channels, units).to(device)
flatten = torch.nn.Flatten()


def gap_with(weight):
    with torch.no_grad():
        linear.weight.copy_(weight)
        linear.bias.copy_(bias)
        return (linear(flatten(maps_torch)) - keras_output).abs().max().item()


# Only transposed: rows still in Keras' (H, W, C) order.
transpose_only = gap_with(kernel.T)
# Rows reordered from (H, W, C) to (C, H, W), then transposed.
reordered = kernel.reshape(side, side, channels, units).permute(2, 0, 1, 3).reshape(-1, units)
reorder_and_transpose = gap_with(reordered.T)
print(f"largest output difference, transpose only:           {transpose_only:.3f}")
print(f"largest output difference, rows reordered, transposed: {reorder_and_transpose:.2e}")
print(f"transpose_only_gap={transpose_only:.4f} reordered_gap={reorder_and_transpose:.3e}")
