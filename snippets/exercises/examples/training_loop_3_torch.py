# %% [markdown]
# # Exercise: why the epoch's loss weights each batch by len(yb)
#
# 3,600 training images in batches of 32 make 112 full batches and one of 16.
# The mean loss over the epoch is sum_b n_b L_b / sum_b n_b, where L_b is the
# mean loss of batch b: weighting by the batch size gives exactly the mean over
# all samples; the plain mean of the batch means gives the last, smaller batch
# twice the weight of each of its samples.

# %%
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 42
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

n, batch_size = 3600, 32
# Random logits and labels stand in for a model's outputs on the training set.
logits = torch.randn(n, 10, dtype=torch.float64)
y_train = torch.randint(0, 10, (n,))
loader = DataLoader(TensorDataset(logits, y_train), batch_size=batch_size)  # no shuffling
loss_fn = nn.CrossEntropyLoss()

batch_losses, batch_sizes = [], []
for zb, yb in loader:
    zb, yb = zb.to(device), yb.to(device)
    batch_losses.append(loss_fn(zb, yb).item())
    batch_sizes.append(len(yb))

weighted = sum(loss * size for loss, size in zip(batch_losses, batch_sizes)) / sum(batch_sizes)
unweighted = sum(batch_losses) / len(batch_losses)
reference = loss_fn(logits.to(device), y_train.to(device)).item()  # the mean over all 3,600
print(f"{len(batch_sizes)} batches, the last of {batch_sizes[-1]}")
print(
    f"mean over all samples {reference:.6f}; weighted by len(yb) {weighted:.6f}; mean of batch means {unweighted:.6f}"
)
print(
    f"num_batches={len(batch_sizes)} last_batch={batch_sizes[-1]} "
    f"weighted_gap={abs(weighted - reference):.1e} unweighted_gap={abs(unweighted - reference):.1e}"
)
