# %% [markdown]
# # Exercise: the largest stable learning rate of gradient descent is 2 / lambda_max
#
# On a quadratic L = 1/2 theta^T H theta, one step of gradient descent multiplies
# the component of theta along each eigenvector of H (eigenvalue lambda) by
# 1 - alpha lambda. Every component shrinks when |1 - alpha lambda| < 1, i.e.
# alpha < 2 / lambda_max. Found by bisection, without the eigenvalues, the
# boundary between learning rates that converge and those that diverge is 2 / lambda_max.

# %%
import numpy as np

SEED = 0
rng = np.random.default_rng(SEED)

# An ill-conditioned quadratic in 5 dimensions: eigenvalues from 0.1 to 20.
eigenvalues = np.array([0.1, 0.5, 2.0, 8.0, 20.0])
q, _ = np.linalg.qr(rng.normal(size=(5, 5)))  # a random rotation
H = q @ np.diag(eigenvalues) @ q.T
theta0 = rng.normal(size=5)


def loss(theta):
    return 0.5 * theta @ H @ theta


def final_loss(lr, num_steps=1000):
    """Loss after num_steps of gradient descent (the gradient is H theta).
    Stops early, every 100 steps, once the loss has grown 1e6-fold (diverged)."""
    theta = theta0.copy()
    for step in range(num_steps):
        theta = theta - lr * (H @ theta)
        if step % 100 == 99 and loss(theta) > 1e6 * loss(theta0):
            break
    return loss(theta)


lambda_max = np.linalg.eigvalsh(H).max()
lr_theory = 2 / lambda_max
for factor in (0.9, 0.99, 1.01, 1.1):
    lr = factor * lr_theory
    print(
        f"alpha = {factor:.2f} x 2/lambda_max = {lr:.4f}: loss after 100 steps "
        f"{final_loss(lr, num_steps=100):.2e} (initial {loss(theta0):.2f})"
    )

# %%
# Bisection on the learning rate: converges (final loss below the initial one)
# or diverges. Nothing here uses the eigenvalues.
low, high = 0.0, 1.0
for _ in range(25):
    mid = (low + high) / 2
    if final_loss(mid) < loss(theta0):
        low = mid
    else:
        high = mid
rel_gap = abs(low - lr_theory) / lr_theory
below = final_loss(0.9 * lr_theory, num_steps=100) / loss(theta0)
above = final_loss(1.1 * lr_theory, num_steps=100) / loss(theta0)
print(f"bisection: largest stable alpha = {low:.5f}, 2/lambda_max = {lr_theory:.5f}")
print(f"threshold_rel_gap={rel_gap:.1e} loss_ratio_below={below:.1e} loss_ratio_above={above:.1e}")
