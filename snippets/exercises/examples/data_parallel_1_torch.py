# %% [markdown]
# # Exercise: averaging the gradients of two shards is the gradient of the batch
#
# With a mean loss, the gradient of a batch of N m samples is the mean of the
# per-sample gradients; split into N shards of m samples, it is the mean of
# the N shard gradients, which is what all-reduce computes. Plain PyTorch,
# no processes. With shards of unequal size the plain average is wrong; the
# average weighted by the shard sizes is right again.

# %%
import copy

import torch
from torch import nn

SEED = 42
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

batch_size = 32  # per replica
world_size = 2
x_train = torch.rand(world_size * batch_size, 28, 28, dtype=torch.float64, device=device)
y_train = torch.randint(0, 10, (world_size * batch_size,), device=device)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
model = model.to(device, torch.float64)
loss_fn = nn.CrossEntropyLoss()  # the mean over the samples it is given


def gradient(x, y):
    """All the parameters' gradients of the mean loss on (x, y), as one vector."""
    replica = copy.deepcopy(model)  # every replica holds the same full model
    loss_fn(replica(x), y).backward()
    return torch.cat([p.grad.flatten() for p in replica.parameters()])


full = gradient(x_train, y_train)  # one process, the whole batch of 64

# Two equal shards, as DistributedSampler gives them: samples 0, 2, 4, ... and 1, 3, 5, ...
shards = [gradient(x_train[r::world_size], y_train[r::world_size]) for r in range(world_size)]
equal_gap = ((shards[0] + shards[1]) / 2 - full).abs().max().item()

# Unequal shards (40 and 24 samples): plain average vs average weighted by size.
sizes = (40, 24)
g_a, g_b = gradient(x_train[:40], y_train[:40]), gradient(x_train[40:], y_train[40:])
plain_gap = ((g_a + g_b) / 2 - full).abs().max().item()
weighted_gap = ((sizes[0] * g_a + sizes[1] * g_b) / sum(sizes) - full).abs().max().item()
print(f"{full.numel():,} gradient entries; largest entry {full.abs().max().item():.3f}")
print(f"two shards of {batch_size}: mean of the shard gradients vs the batch gradient {equal_gap:.1e}")
print(f"shards of {sizes}: plain mean {plain_gap:.1e}, weighted by shard size {weighted_gap:.1e}")
print(
    f"equal_shards_gap={equal_gap:.1e} unequal_plain_gap={plain_gap:.1e} unequal_weighted_gap={weighted_gap:.1e}"
)
