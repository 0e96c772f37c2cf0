"""Activation functions and their derivatives in NumPy.

Each derivative is written out by hand and checked against a central finite
difference, with no framework involved. Run: python activations_numpy.py
"""

import numpy as np

SEED = 0


def sigmoid(z):
    """1 / (1 + exp(-z)), written as exp(-log(1 + exp(-z))) so that it never overflows."""
    return np.exp(-np.logaddexp(0.0, -z))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    return np.tanh(z)


def tanh_grad(z):
    return 1.0 - np.tanh(z) ** 2


def relu(z):
    return np.maximum(z, 0.0)


def relu_grad(z):
    # The derivative does not exist at 0; frameworks use 0 there, and so do we.
    return (z > 0).astype(z.dtype)


def softmax(z, axis=-1):
    """exp(z_i) / sum_j exp(z_j); subtracting the maximum changes nothing but avoids overflow."""
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(z):
    """d softmax(z)_i / d z_j = p_i (delta_ij - p_j) for one vector z."""
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)


def numerical_grad(f, z, h=1e-6):
    """Central differences of an element-wise function."""
    return (f(z + h) - f(z - h)) / (2 * h)


if __name__ == "__main__":
    rng = np.random.default_rng(SEED)
    z = rng.normal(0.0, 2.0, size=1000)
    z = z[np.abs(z) > 1e-3]  # ReLU has a kink at 0: stay away from it

    errors = {}
    for name, f, df in [
        ("sigmoid", sigmoid, sigmoid_grad),
        ("tanh", tanh, tanh_grad),
        ("relu", relu, relu_grad),
    ]:
        errors[name] = np.max(np.abs(df(z) - numerical_grad(f, z)))
        print(
            f"{name:8s} f(-1, 0, 1) = {np.round(f(np.array([-1.0, 0.0, 1.0])), 4)}"
            f"  max |f' - finite difference| = {errors[name]:.1e}"
        )

    # Softmax maps a vector to a vector: check the whole Jacobian column by column.
    v = rng.normal(size=5)
    h = 1e-6
    numeric = np.stack([(softmax(v + h * e) - softmax(v - h * e)) / (2 * h) for e in np.eye(5)], axis=1)
    errors["softmax"] = np.max(np.abs(softmax_jacobian(v) - numeric))
    print(
        f"softmax  sums to {softmax(v).sum():.6f}"
        f"  max |Jacobian - finite difference| = {errors['softmax']:.1e}"
    )

    print(f"max_grad_error={max(errors.values()):.2e}")
