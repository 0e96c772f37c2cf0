# %% [markdown]
# # Exercise: the lowest validation loss is an optimistic estimate
#
# Four variants that are in truth equally good, each measured on the same-size
# validation set with noise of standard deviation sigma. The variant with the
# lowest validation loss is picked: its validation loss is below the truth by
# about 1.03 sigma on average (the expected minimum of 4 standard normals),
# while its loss on a test set not used for the choice is unbiased.

# %%
import numpy as np

SEED = 0
rng = np.random.default_rng(SEED)

true_loss, sigma, n_variants, trials = 0.45, 0.03, 4, 200_000

# %% Simulate many experiments: pick by validation loss, report both losses
val_losses = true_loss + sigma * rng.standard_normal((trials, n_variants))
test_losses = true_loss + sigma * rng.standard_normal((trials, n_variants))
chosen = val_losses.argmin(axis=1)
rows = np.arange(trials)
val_bias = (val_losses[rows, chosen] - true_loss).mean() / sigma
test_bias = (test_losses[rows, chosen] - true_loss).mean() / sigma

# The expected minimum of 4 standard normals, by numerical integration.
z = np.linspace(-8, 8, 200_001)
pdf = np.exp(-(z**2) / 2) / np.sqrt(2 * np.pi)
cdf = np.cumsum(pdf) * (z[1] - z[0])
expected_min = np.sum(z * n_variants * pdf * (1 - cdf) ** (n_variants - 1)) * (z[1] - z[0])
print(
    f"validation loss of the chosen variant: {val_bias:+.3f} sigma from the truth "
    f"(expected minimum of {n_variants} normals {expected_min:+.3f}); its test loss: {test_bias:+.3f} sigma"
)
print(f"val_bias_sigma={val_bias:.3f} expected_min={expected_min:.3f} test_bias_sigma={test_bias:.3f}")
