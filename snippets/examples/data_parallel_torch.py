# %% [markdown]
# # Data-parallel training with DistributedDataParallel, PyTorch
#
# Launch it with torchrun, one process per replica:
# `torchrun --standalone --nproc_per_node=2 data_parallel_torch.py`.
# Started with plain `python data_parallel_torch.py`, it relaunches itself that way.
# (As a notebook it cannot start processes: save it as a .py file and use torchrun.)

# %% Launch: torchrun starts one process per replica and sets RANK, WORLD_SIZE, ...
# --8<-- [start:launch]
import gc
import os
import subprocess
import sys

if "LOCAL_RANK" not in os.environ:  # not started by torchrun
    if "__file__" not in globals():
        raise SystemExit(
            "Save this program as data_parallel_torch.py and run: "
            "torchrun --standalone --nproc_per_node=2 data_parallel_torch.py"
        )
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", __file__]
    print(
        "Not started by torchrun; relaunching as: python -m torch.distributed.run "
        "--standalone --nproc_per_node=2 " + os.path.basename(__file__),
        flush=True,
    )
    # One thread per process on the CPU, so that the two processes do not compete.
    env = {"OMP_NUM_THREADS": "1", **os.environ}
    raise SystemExit(subprocess.run(command, env=env).returncode)
# --8<-- [end:launch]

# %%
import urllib.request
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

SEED = 42
torch.manual_seed(SEED)  # the same initial weights in every process (DDP also broadcasts rank 0's)

# %% Process group: gloo on the CPU, NCCL on GPUs
# --8<-- [start:setup]
local_rank = int(os.environ["LOCAL_RANK"])
local_world_size = int(os.environ["LOCAL_WORLD_SIZE"])
if torch.cuda.is_available():
    device = torch.device("cuda", local_rank % torch.cuda.device_count())
    torch.cuda.set_device(device)
    # NCCL needs a GPU of its own for each process; fewer GPUs: share them over gloo.
    backend = "nccl" if torch.cuda.device_count() >= local_world_size else "gloo"
else:
    device = torch.device("cpu")
    backend = "gloo"
dist.init_process_group(backend=backend)  # reads MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE
rank, world_size = dist.get_rank(), dist.get_world_size()
is_main = rank == 0  # only rank 0 prints, so the log is not written twice
if is_main:
    print(f"Using device: {device}")
    print(f"backend: {backend}, world size: {world_size}")
# --8<-- [end:setup]

# %% Data: the same mnist.npz file that keras.datasets.mnist.load_data() uses
MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"


def load_mnist(path=Path("data") / "mnist.npz"):
    """Return (x_train, y_train), (x_test, y_test) as uint8 arrays."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        try:
            urllib.request.urlretrieve(MNIST_URL, part)
        except OSError as err:
            raise SystemExit(
                f"Could not download {MNIST_URL}: {err}\n"
                f"Download mnist.npz by hand and save it as {path.resolve()}"
            ) from err
        part.replace(path)
    with np.load(path) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


if is_main:
    load_mnist()  # rank 0 downloads the file once ...
dist.barrier()  # ... and the others wait for it before reading it
(x_train, y_train), (x_test, y_test) = load_mnist()
x_train = torch.from_numpy(x_train.astype("float32") / 255.0)
x_test = torch.from_numpy(x_test.astype("float32") / 255.0)
y_train = torch.from_numpy(y_train.astype("int64"))
y_test = torch.from_numpy(y_test.astype("int64"))

# Hold out 10% of the training images for validation (the same split in every process).
perm = torch.randperm(len(x_train), generator=torch.Generator().manual_seed(SEED))
n_val = len(x_train) // 10
x_val, y_val = x_train[perm[:n_val]], y_train[perm[:n_val]]
x_train, y_train = x_train[perm[n_val:]], y_train[perm[n_val:]]
if is_main:
    print(f"train: {tuple(x_train.shape)}, validation: {tuple(x_val.shape)}, test: {tuple(x_test.shape)}")

# %% Each process reads its own shard of the data
# --8<-- [start:data]
num_epochs = 6
batch_size = 32  # per process; one optimizer step uses batch_size * world_size images
train_ds = TensorDataset(x_train, y_train)
val_ds, test_ds = TensorDataset(x_val, y_val), TensorDataset(x_test, y_test)
# DistributedSampler gives process `rank` every world_size-th index of a shuffled order.
train_sampler = DistributedSampler(train_ds, shuffle=True, seed=SEED)
train_loader = DataLoader(train_ds, batch_size=batch_size, sampler=train_sampler)
# Evaluation is sharded too (in order); evaluate() adds up the shards' sums.
val_loader = DataLoader(val_ds, batch_size=256, sampler=DistributedSampler(val_ds, shuffle=False))
test_loader = DataLoader(test_ds, batch_size=256, sampler=DistributedSampler(test_ds, shuffle=False))
# --8<-- [end:data]

# %% Model: one full copy per process, wrapped in DistributedDataParallel
# --8<-- [start:model]
model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(784, 128),
    nn.ReLU(),
    nn.Linear(128, 10),
).to(device)
model = DDP(model)  # broadcasts rank 0's weights; backward() will average the gradients
loss_fn = nn.CrossEntropyLoss()
# Linear scaling rule: the learning rate grows with the effective batch size,
# reached by a linear warm-up over the first epoch (Goyal et al., 2017).
base_lr = 0.05  # tuned for a batch of 32 on one process
optimizer = torch.optim.SGD(model.parameters(), lr=base_lr * world_size, momentum=0.9)
warmup = torch.optim.lr_scheduler.LinearLR(
    optimizer, start_factor=1 / world_size, total_iters=len(train_loader)
)
# --8<-- [end:model]


# %% Evaluation over all the shards
# --8<-- [start:evaluate]
def evaluate(loader):
    """Loss and accuracy over the whole set: each process sums over its shard,
    all_reduce adds the sums of all processes."""
    model.eval()
    totals = torch.zeros(3, device=device)  # loss sum, correct, count
    with torch.no_grad():
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            logits = model(xb)
            totals[0] += loss_fn(logits, yb) * len(yb)
            totals[1] += (logits.argmax(dim=1) == yb).sum()
            totals[2] += len(yb)
    dist.all_reduce(totals, op=dist.ReduceOp.SUM)
    return (totals[0] / totals[2]).item(), (totals[1] / totals[2]).item()


# --8<-- [end:evaluate]


# %% Training: every process runs the same loop on its own shard
# --8<-- [start:train]
for epoch in range(num_epochs):
    train_sampler.set_epoch(epoch)  # a new shuffle each epoch, the same in all processes
    model.train()
    totals = torch.zeros(3, device=device)
    for xb, yb in train_loader:
        xb, yb = xb.to(device), yb.to(device)
        optimizer.zero_grad()
        logits = model(xb)
        loss = loss_fn(logits, yb)
        loss.backward()  # DDP all-reduces (averages) the gradients here
        optimizer.step()  # identical gradients: every replica takes the same step
        warmup.step()  # after the first epoch the factor stays at 1
        totals[0] += loss.item() * len(yb)
        totals[1] += (logits.argmax(dim=1) == yb).sum().item()
        totals[2] += len(yb)
    dist.all_reduce(totals, op=dist.ReduceOp.SUM)
    val_loss, val_accuracy = evaluate(val_loader)
    if is_main:
        print(
            f"Epoch {epoch + 1}/{num_epochs} - "
            f"accuracy: {totals[1] / totals[2]:.4f} - loss: {totals[0] / totals[2]:.4f} - "
            f"val_accuracy: {val_accuracy:.4f} - val_loss: {val_loss:.4f}"
        )
# --8<-- [end:train]

# %% The replicas stayed identical; test on held-out data
# --8<-- [start:check]
params = torch.cat([p.detach().flatten() for p in model.module.parameters()])
reference = params.clone()
dist.broadcast(reference, src=0)  # rank 0's parameters, sent to every process
max_diff = (params - reference).abs().max()
dist.all_reduce(max_diff, op=dist.ReduceOp.MAX)  # the largest difference over all processes
test_loss, test_accuracy = evaluate(test_loader)
if is_main:
    print(
        f"test_accuracy={test_accuracy:.4f} test_loss={test_loss:.4f} "
        f"replica_max_diff={max_diff.item():.3g} world_size={world_size}"
    )
dist.barrier()  # every process is done with its collectives before any leaves
# The DDP wrapper holds the process group: release it first, so that the group
# is really shut down here and not while Python exits (gloo's threads can then
# abort the process after all the work is done).
model = optimizer = warmup = None
gc.collect()
dist.destroy_process_group()
# --8<-- [end:check]
