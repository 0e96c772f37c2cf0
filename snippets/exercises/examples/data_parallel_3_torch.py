# %% [markdown]
# # Exercise: DistributedSampler on 1,000 test images with 3 processes
#
# Without drop_last, each of N processes gets ceil(1000 / N) indices: for N = 3,
# 334 each, 1,002 in all, the first 2 indices served twice. The example's
# evaluate() adds up the shards, so it counts 1,002 images, two of them twice.
# With N = 2 the shards are disjoint and cover the 1,000 images exactly; with
# drop_last=True and N = 3, 999 images are counted and one is never seen.

# %%
from collections import Counter

import torch
from torch.utils.data import DistributedSampler, TensorDataset

SEED = 42
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

n_test = 1000
test_ds = TensorDataset(torch.zeros(n_test, 1))
# A model's per-image results, right (1) or wrong (0): 94% right, the first 2 images wrong.
correct = (torch.rand(n_test) < 0.94).float()
correct[:2] = 0.0


def shards(world_size, drop_last=False):
    """The indices each process evaluates (no process group needed with num_replicas and rank)."""
    return [
        list(DistributedSampler(test_ds, num_replicas=world_size, rank=r, shuffle=False, drop_last=drop_last))
        for r in range(world_size)
    ]


summary = {}
for world_size, drop_last in ((2, False), (3, False), (3, True)):
    parts = shards(world_size, drop_last)
    counts = Counter(i for part in parts for i in part)
    counted = sum(len(part) for part in parts)
    duplicates = sum(c - 1 for c in counts.values())
    missing = n_test - len(counts)
    # What evaluate() computes: the sum over every shard of right answers / the number of indices.
    sharded_accuracy = sum(correct[part].sum().item() for part in parts) / counted
    summary[(world_size, drop_last)] = (len(parts[0]), counted, duplicates, missing, sharded_accuracy)
    print(
        f"N = {world_size}, drop_last={drop_last}: {len(parts[0])} per process, {counted} counted, "
        f"{duplicates} twice, {missing} never; accuracy {sharded_accuracy:.4f} (true {correct.mean().item():.4f})"
    )

two, three = summary[(2, False)], summary[(3, False)]
print(
    f"shard_3={three[0]} counted_3={three[1]} duplicates_3={three[2]} counted_2={two[1]} "
    f"duplicates_2={two[2]} missing_2={two[3]} missing_3_drop_last={summary[(3, True)][3]} "
    f"accuracy_error_2={abs(two[4] - correct.mean().item()):.1e} "
    f"accuracy_error_3={abs(three[4] - correct.mean().item()):.1e}"
)
