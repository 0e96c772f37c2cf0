# %% [markdown]
# # Exercise: effective batch size, steps per epoch and the warm-up
#
# With N processes and a per-process batch of 32, one step uses 32 N images,
# each process sees ceil(3600 / N) of the 3,600 training images per epoch, so
# an epoch has ceil(ceil(3600 / N) / 32) steps. The example's LinearLR
# (start_factor 1/N over the T steps of the first epoch, on a learning rate
# N alpha) gives alpha_t = alpha (1 + (N - 1) t / T) for t <= T, then N alpha.

# %%
import torch
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

SEED = 42
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

n_train, batch_size, base_lr = 3600, 32, 0.05
train_ds = TensorDataset(torch.zeros(n_train, 1))
results = {}
for world_size in (1, 2, 16):
    # What process 0 gets; DistributedSampler needs no process group when
    # num_replicas and rank are given.
    sampler = DistributedSampler(train_ds, num_replicas=world_size, rank=0, seed=SEED)
    train_loader = DataLoader(train_ds, batch_size=batch_size, sampler=sampler)
    steps = len(train_loader)
    layer = torch.nn.Linear(1, 1).to(device)
    optimizer = torch.optim.SGD(layer.parameters(), lr=base_lr * world_size, momentum=0.9)
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1 / world_size, total_iters=steps)
    lrs = []
    for _ in range(2 * steps):  # two epochs of optimizer steps
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        warmup.step()
    formula = [base_lr * (1 + (world_size - 1) * min(t, steps) / steps) for t in range(2 * steps)]
    gap = max(abs(a - b) for a, b in zip(lrs, formula))
    results[world_size] = (steps, lrs[0], lrs[-1], gap)
    print(
        f"N = {world_size:2d}: effective batch {batch_size * world_size:3d}, {len(sampler)} images "
        f"per process, {steps:3d} steps per epoch, learning rate {lrs[0]:.3f} -> {lrs[steps]:.3f} "
        f"(formula within {gap:.1e})"
    )

print(
    f"steps_1={results[1][0]} steps_2={results[2][0]} steps_16={results[16][0]} "
    f"final_lr_16={results[16][2]:.3f} warmup_gap={max(r[3] for r in results.values()):.1e}"
)
