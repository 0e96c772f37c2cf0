# %% [markdown]
# # Exercise: backprop_numpy.py with a tanh hidden layer
#
# Only one line of backward() changes: relu'(z1) = (z1 > 0) becomes
# tanh'(z1) = 1 - tanh(z1)^2 = 1 - a1^2. Checked against central finite
# differences; keeping the ReLU line by mistake is off by far more.

# %%
import numpy as np

SEED = 0
rng = np.random.default_rng(SEED)


def forward(params, x):
    """x (N, n_in), W1 (n_in, n_hidden), W2 (n_hidden, 1): Keras' layout x @ W + b."""
    z1 = x @ params["W1"] + params["b1"]
    a1 = np.tanh(z1)  # was relu(z1)
    z2 = a1 @ params["W2"] + params["b2"]
    p = np.exp(-np.logaddexp(0.0, -z2))  # sigmoid
    return p, {"x": x, "z1": z1, "a1": a1, "z2": z2, "p": p}


def loss_fn(params, x, y):
    """Mean binary cross-entropy from the logits."""
    z = forward(params, x)[1]["z2"]
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def backward(params, cache, y, hidden_derivative):
    n = len(y)
    dz2 = (cache["p"] - y) / n
    dW2 = cache["a1"].T @ dz2
    db2 = dz2.sum(axis=0)
    da1 = dz2 @ params["W2"].T
    dz1 = da1 * hidden_derivative(cache)  # the only line that depends on the activation
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


# %%
x = rng.normal(size=(16, 3))
y = (x[:, :1] * x[:, 1:2] > 0).astype(float)
params = {
    "W1": rng.normal(0, np.sqrt(1 / 3), size=(3, 5)),
    "b1": np.zeros(5),
    "W2": rng.normal(0, np.sqrt(1 / 5), size=(5, 1)),
    "b2": np.zeros(1),
}
_, cache = forward(params, x)
numeric = numerical_grads(params, x, y)


def max_error(grads):
    return max(np.max(np.abs(grads[k] - numeric[k])) for k in grads)


tanh_error = max_error(backward(params, cache, y, lambda c: 1 - c["a1"] ** 2))
relu_error = max_error(backward(params, cache, y, lambda c: c["z1"] > 0))  # the line left unchanged
print(f"with tanh'(z1) = 1 - a1^2: max |backprop - finite difference| = {tanh_error:.1e}")
print(f"with relu'(z1) left in:    max |backprop - finite difference| = {relu_error:.1e}")
print(f"max_grad_error={tanh_error:.2e} wrong_derivative_error={relu_error:.2e}")
