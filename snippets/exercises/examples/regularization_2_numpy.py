# %% [markdown]
# # Exercise: the standard error of a test accuracy on 1,000 images
#
# Each test image is right with probability p, independently: the number right
# is binomial and the accuracy has standard error sqrt(p (1 - p) / n), about
# 0.0106 for p = 0.87 and n = 1000. Two equally good models, measured on
# independent test sets, differ by 0.02 or more about 19% of the time.

# %%
import numpy as np

SEED = 0
rng = np.random.default_rng(SEED)

p, n, trials = 0.87, 1000, 200_000  # accuracy of the baseline, test images, simulated test sets

# %% The formula, and 200,000 simulated test sets
se_formula = np.sqrt(p * (1 - p) / n)
accuracy_a = rng.binomial(n, p, size=trials) / n
accuracy_b = rng.binomial(n, p, size=trials) / n  # a second model, just as good
se_simulated = accuracy_a.std()
p_gap = np.mean(np.abs(accuracy_a - accuracy_b) >= 0.02 - 1e-9)
print(f"standard error: formula {se_formula:.4f}, simulated {se_simulated:.4f}")
print(
    f"two equally good models differ by 0.02 or more in {p_gap:.1%} of the test sets "
    f"(standard deviation of the difference {np.sqrt(2) * se_formula:.4f})"
)
print(
    f"se_formula={se_formula:.4f} se_simulated={se_simulated:.4f} "
    f"se_rel_gap={abs(se_simulated / se_formula - 1):.4f} p_gap_2_points={p_gap:.3f}"
)
