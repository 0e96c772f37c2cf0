"""Loss functions in NumPy: MSE, binary, categorical and sparse categorical
cross-entropy, and the gradient of softmax + cross-entropy, p - y.

Run: python losses_numpy.py
"""

import numpy as np

SEED = 0
EPSILON = 1e-7  # probabilities are clipped to [EPSILON, 1 - EPSILON] before the log


def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def mean_squared_error(y_true, y_pred):
    return np.mean((y_true - y_pred) ** 2)


def binary_cross_entropy(y_true, p):
    """Labels y in {0, 1}, predicted probabilities p = P(y = 1)."""
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return -np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def binary_cross_entropy_from_logits(y_true, z):
    """The same loss computed from the logit z (p = sigmoid(z)), without ever forming p:
    -[y log s(z) + (1-y) log(1 - s(z))] = max(z, 0) - z y + log(1 + exp(-|z|))."""
    return np.mean(np.maximum(z, 0) - z * y_true + np.log1p(np.exp(-np.abs(z))))


def categorical_cross_entropy(y_onehot, p):
    """One-hot labels (N, K), predicted probabilities (N, K)."""
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return -np.mean(np.sum(y_onehot * np.log(p), axis=-1))


def sparse_categorical_cross_entropy(labels, p):
    """Integer labels (N,), predicted probabilities (N, K)."""
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return -np.mean(np.log(p[np.arange(len(labels)), labels]))


def softmax_cross_entropy_grad(z, y_onehot):
    """Gradient of categorical_cross_entropy(y, softmax(z)) with respect to the logits z."""
    return (softmax(z) - y_onehot) / len(z)


if __name__ == "__main__":
    rng = np.random.default_rng(SEED)
    n, k = 8, 4
    z = rng.normal(size=(n, k))
    labels = rng.integers(0, k, size=n)
    y = np.eye(k)[labels]
    p = softmax(z)

    cce = categorical_cross_entropy(y, p)
    scce = sparse_categorical_cross_entropy(labels, p)
    print(f"categorical CE = {cce:.6f}, sparse categorical CE = {scce:.6f}")

    # Uniform guessing over k classes costs log k: the loss an untrained model starts near.
    print(
        f"CE of a uniform guess = {categorical_cross_entropy(y, np.full((n, k), 1 / k)):.4f}"
        f" = log {k} = {np.log(k):.4f}"
    )

    yb = rng.integers(0, 2, size=n).astype(float)
    zb = rng.normal(size=n)
    bce = binary_cross_entropy(yb, 1 / (1 + np.exp(-zb)))
    print(f"binary CE from p = {bce:.6f}, from logits = {binary_cross_entropy_from_logits(yb, zb):.6f}")
    print(f"MSE = {mean_squared_error(yb, zb):.6f}")

    # d CE / d z = (p - y) / N, checked entry by entry with central differences.
    h = 1e-6
    numeric = np.zeros_like(z)
    for idx in np.ndindex(*z.shape):
        dz = np.zeros_like(z)
        dz[idx] = h
        numeric[idx] = (
            categorical_cross_entropy(y, softmax(z + dz)) - categorical_cross_entropy(y, softmax(z - dz))
        ) / (2 * h)
    grad_error = np.max(np.abs(softmax_cross_entropy_grad(z, y) - numeric))
    print(f"max_grad_error={grad_error:.2e} sparse_vs_onehot_gap={abs(cce - scce):.1e}")
