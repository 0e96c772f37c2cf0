"""Regularization in NumPy: L1/L2 penalties, inverted dropout, batch
normalization and early stopping. Run: python regularization_numpy.py
"""

import numpy as np

SEED = 0


def l2_penalty(w, lam):
    """lam * sum(w^2), the term Keras' L2 regularizer adds to the loss."""
    return lam * np.sum(w**2)


def l2_penalty_grad(w, lam):
    return 2 * lam * w


def l1_penalty(w, lam):
    return lam * np.sum(np.abs(w))


def l1_penalty_grad(w, lam):
    return lam * np.sign(w)


def dropout(x, rate, rng, training=True):
    """Inverted dropout: zero each unit with probability `rate` and scale the
    survivors by 1 / (1 - rate), so that the expected output equals x and
    nothing needs rescaling at inference time."""
    if not training or rate == 0:
        return x
    keep = rng.random(x.shape) >= rate
    return x * keep / (1 - rate)


def batch_norm(x, gamma, beta, eps=1e-5):
    """Training-mode batch normalization of x (N, features): normalise each
    feature with the batch mean and (biased) variance, then scale and shift."""
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def early_stopping_epoch(val_losses, patience):
    """The epoch (0-based) whose weights early stopping keeps: training stops
    once the validation loss has not improved for `patience` epochs."""
    best, best_epoch = np.inf, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            break
    return best_epoch


if __name__ == "__main__":
    rng = np.random.default_rng(SEED)

    x = rng.uniform(0.5, 1.5, size=(1000, 100))
    dropped = dropout(x, 0.5, rng)
    ratio = dropped.mean() / x.mean()
    print(
        f"dropout 0.5: {np.mean(dropped == 0):.3f} of the units zeroed, mean kept within {abs(ratio - 1):.3f}"
    )

    features = rng.normal(5.0, 3.0, size=(64, 8))
    normed = batch_norm(features, gamma=np.ones(8), beta=np.zeros(8))
    bn_mean = np.max(np.abs(normed.mean(axis=0)))
    bn_std_gap = np.max(np.abs(normed.std(axis=0) - 1))
    print(f"batch norm: |mean| <= {bn_mean:.1e}, |std - 1| <= {bn_std_gap:.1e}")

    val_losses = [0.9, 0.7, 0.6, 0.55, 0.56, 0.58, 0.57, 0.6, 0.62]
    print(f"early stopping with patience 3 keeps epoch {early_stopping_epoch(val_losses, 3)}")

    w = rng.normal(size=5)
    print(f"L2 0.01: {l2_penalty(w, 0.01):.4f}, L1 0.01: {l1_penalty(w, 0.01):.4f}")
    print(f"dropout_mean_ratio={ratio:.4f} bn_max_abs_mean={bn_mean:.1e} bn_max_std_gap={bn_std_gap:.1e}")
