# %% [markdown]
# # Exercise: the best constant prediction under binary cross-entropy
#
# For labels y_i in {0, 1} and one probability p for every sample, the
# binary cross-entropy is smallest at p = mean(y), and its minimum is the
# entropy of that mean. Checked on a fine grid of p.

# %%
import numpy as np

SEED = 0
rng = np.random.default_rng(SEED)

labels = (rng.uniform(size=1000) < 0.3).astype(float)
y_bar = labels.mean()


def bce(p):
    return -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))


grid = np.linspace(0.001, 0.999, 99_801)  # steps of 1e-5
losses = -(y_bar * np.log(grid) + (1 - y_bar) * np.log(1 - grid))  # bce(p) for every p at once
best = grid[np.argmin(losses)]
entropy = -(y_bar * np.log(y_bar) + (1 - y_bar) * np.log(1 - y_bar))
print(f"mean of the labels {y_bar:.4f}, best p on the grid {best:.5f}")
print(f"binary cross-entropy at p = mean: {bce(y_bar):.6f}, entropy of the mean: {entropy:.6f}")
print(
    f"argmin_gap={abs(best - y_bar):.1e} min_vs_entropy={abs(bce(y_bar) - entropy):.1e} "
    f"loss_at_half_minus_min={bce(0.5) - bce(y_bar):.4f}"
)
