# %% [markdown]
# # Exercise: why the stable softmax subtracts the maximum (and not the mean)
#
# softmax(z + c) = softmax(z) for every constant c. The textbook formula
# overflows at z = (1000, 999, 998); subtracting the mean does not help for
# z = (1000, 0, -1000); subtracting the maximum always works, because the
# largest exponent is then e^0 = 1 and the denominator is at least 1.

# %%
import numpy as np

SEED = 0
rng = np.random.default_rng(SEED)


def softmax_naive(z):
    e = np.exp(z)
    return e / e.sum()


def softmax_minus_mean(z):
    return softmax_naive(z - z.mean())


def softmax_minus_max(z):
    return softmax_naive(z - z.max())


# %%
# Shift invariance: e^(z_i + c) / sum_j e^(z_j + c) = e^c e^(z_i) / (e^c sum_j e^(z_j)).
z = rng.normal(size=5)
shift_gap = max(np.abs(softmax_naive(z + c) - softmax_naive(z)).max() for c in (-20.0, 3.0, 50.0))
print(f"largest change of softmax(z + c) for c in (-20, 3, 50): {shift_gap:.1e}")

# exp(1000) is inf in float64; inf / inf is nan. np.errstate silences the two
# RuntimeWarnings (overflow, invalid value) that these two lines are meant to show.
nan_count = {}
for z in (np.array([1000.0, 999.0, 998.0]), np.array([1000.0, 0.0, -1000.0])):
    with np.errstate(over="ignore", invalid="ignore"):
        results = {f.__name__: f(z) for f in (softmax_naive, softmax_minus_mean, softmax_minus_max)}
    for name, p in results.items():
        print(f"z = {z}: {name:18s} {p.round(4)}")
        nan_count[name] = nan_count.get(name, 0) + int(np.isnan(p).sum())
stable_vs_small = np.abs(
    softmax_minus_max(np.array([1000.0, 999.0, 998.0])) - softmax_naive(np.array([2.0, 1.0, 0.0]))
).max()
print(
    f"naive_nan={nan_count['softmax_naive']} mean_shift_nan={nan_count['softmax_minus_mean']} "
    f"max_shift_nan={nan_count['softmax_minus_max']} shift_gap={shift_gap:.1e} "
    f"stable_vs_small={stable_vs_small:.1e}"
)
