"""Forward pass and backpropagation of a 2-layer network in NumPy.

x -> z1 = x W1 + b1 -> a1 = relu(z1) -> z2 = a1 W2 + b2 -> p = sigmoid(z2),
loss = binary cross-entropy. The hand-derived gradients are checked against
central finite differences. Run: python backprop_numpy.py
"""

import numpy as np

SEED = 0


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


def relu(z):
    return np.maximum(z, 0.0)


def dense(x, W, b):
    """A fully connected layer on a batch of row vectors: x (N, n_in), W (n_in, n_out), b (n_out,)."""
    return x @ W + b


def init_params(rng, n_in, n_hidden, n_out=1):
    return {
        "W1": rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(0, np.sqrt(1 / n_hidden), size=(n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def forward(params, x):
    """Returns the output probabilities and the intermediate values backprop needs."""
    z1 = dense(x, params["W1"], params["b1"])
    a1 = relu(z1)
    z2 = dense(a1, params["W2"], params["b2"])
    p = sigmoid(z2)
    return p, {"x": x, "z1": z1, "a1": a1, "z2": z2, "p": p}


def loss_fn(params, x, y):
    """Mean binary cross-entropy, computed from the logits for stability."""
    _, cache = forward(params, x)
    z = cache["z2"]
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def backward(params, cache, y):
    """The chain rule, layer by layer from the loss back to the input."""
    n = len(y)
    dz2 = (cache["p"] - y) / n  # dL/dz2: sigmoid + cross-entropy give p - y
    dW2 = cache["a1"].T @ dz2  # dL/dW2 = a1^T dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ params["W2"].T  # back through the weights
    dz1 = da1 * (cache["z1"] > 0)  # back through relu: times relu'(z1)
    dW1 = cache["x"].T @ dz1
    db1 = dz1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def numerical_grads(params, x, y, h=1e-6):
    grads = {}
    for name, value in params.items():
        g = np.zeros_like(value)
        for idx in np.ndindex(*value.shape):
            old = value[idx]
            value[idx] = old + h
            up = loss_fn(params, x, y)
            value[idx] = old - h
            down = loss_fn(params, x, y)
            value[idx] = old
            g[idx] = (up - down) / (2 * h)
        grads[name] = g
    return grads


if __name__ == "__main__":
    rng = np.random.default_rng(SEED)
    x = rng.normal(size=(16, 3))
    y = (x[:, :1] * x[:, 1:2] > 0).astype(float)  # a rule a linear model cannot learn
    params = init_params(rng, n_in=3, n_hidden=5)

    p, cache = forward(params, x)
    print(f"loss before training = {loss_fn(params, x, y):.4f}")
    grads = backward(params, cache, y)
    numeric = numerical_grads(params, x, y)
    for name in grads:
        print(
            f"{name}: shape {grads[name].shape}, "
            f"max |backprop - finite difference| = {np.max(np.abs(grads[name] - numeric[name])):.1e}"
        )
    max_error = max(np.max(np.abs(grads[k] - numeric[k])) for k in grads)

    # One gradient-descent step along the backprop gradient must lower the loss.
    before = loss_fn(params, x, y)
    stepped = {k: v - 0.1 * grads[k] for k, v in params.items()}
    after = loss_fn(stepped, x, y)
    print(f"max_grad_error={max_error:.2e} loss_decrease={before - after:.4f}")
