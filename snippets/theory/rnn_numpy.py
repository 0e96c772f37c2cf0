"""A simple (Elman) recurrent network in NumPy: h_t = tanh(W x_t + U h_{t-1} + b),
with backpropagation through time checked against finite differences.

Run: python rnn_numpy.py
"""

import numpy as np

SEED = 0


def rnn_step(x_t, h_prev, W, U, b):
    """One time step for a batch of row vectors: x_t (N, n_in), h_prev (N, n_h),
    W (n_h, n_in), U (n_h, n_h), b (n_h,). Row form of tanh(W x_t + U h_{t-1} + b)."""
    return np.tanh(x_t @ W.T + h_prev @ U.T + b)


def rnn_forward(xs, h0, W, U, b):
    """xs: (T, N, n_in). Returns all hidden states (T + 1, N, n_h), h0 first."""
    hs = [h0]
    for x_t in xs:
        hs.append(rnn_step(x_t, hs[-1], W, U, b))
    return np.stack(hs)


def loss_fn(xs, h0, W, U, b):
    """A stand-in loss on the last state: 0.5 * mean over the batch of |h_T|^2."""
    h_last = rnn_forward(xs, h0, W, U, b)[-1]
    return 0.5 * np.sum(h_last**2) / len(h_last)


def bptt(xs, h0, W, U, b):
    """Backpropagation through time: the same weights are used at every step,
    so their gradient is the sum of the contributions of all steps."""
    hs = rnn_forward(xs, h0, W, U, b)
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
    dh = hs[-1] / len(h0)                     # dL/dh_T
    for t in range(len(xs), 0, -1):
        dz = dh * (1 - hs[t] ** 2)            # through tanh
        dW += dz.T @ xs[t - 1]
        dU += dz.T @ hs[t - 1]
        db += dz.sum(axis=0)
        dh = dz @ U                           # on to h_{t-1}
    return dW, dU, db


if __name__ == "__main__":
    rng = np.random.default_rng(SEED)
    steps, batch, n_in, n_h = 6, 4, 3, 5
    xs = rng.normal(size=(steps, batch, n_in))
    h0 = np.zeros((batch, n_h))
    W = rng.normal(0, 0.5, size=(n_h, n_in))
    U = rng.normal(0, 0.5, size=(n_h, n_h))
    b = rng.normal(0, 0.1, size=n_h)

    hs = rnn_forward(xs, h0, W, U, b)
    print(f"hidden states: {hs.shape} (steps + 1, batch, hidden); all in (-1, 1): "
          f"{bool(np.all(np.abs(hs) < 1))}")

    analytic = bptt(xs, h0, W, U, b)
    h = 1e-6
    errors = []
    for k, param in enumerate((W, U, b)):
        numeric = np.zeros_like(param)
        for idx in np.ndindex(*param.shape):
            old = param[idx]
            param[idx] = old + h
            up = loss_fn(xs, h0, W, U, b)
            param[idx] = old - h
            down = loss_fn(xs, h0, W, U, b)
            param[idx] = old
            numeric[idx] = (up - down) / (2 * h)
        errors.append(np.max(np.abs(analytic[k] - numeric)))
    print(f"max_grad_error={max(errors):.2e}")
