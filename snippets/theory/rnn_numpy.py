"""A simple (Elman) recurrent network in NumPy: h_t = tanh(W x_t + U h_{t-1} + b),
with backpropagation through time checked against finite differences; then
one step of the gated cells, LSTM and GRU.

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
    dh = hs[-1] / len(h0)  # dL/dh_T
    for t in range(len(xs), 0, -1):
        dz = dh * (1 - hs[t] ** 2)  # through tanh
        dW += dz.T @ xs[t - 1]
        dU += dz.T @ hs[t - 1]
        db += dz.sum(axis=0)
        dh = dz @ U  # on to h_{t-1}
    return dW, dU, db


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), without overflow


def lstm_step(x_t, h_prev, c_prev, W, U, b):
    """One LSTM step. The four gates are stacked in the order input i, forget f,
    candidate g (the new content), output o: W (4 n_h, n_in), U (4 n_h, n_h), b (4 n_h,).
    Returns the new hidden state h_t and cell state c_t."""
    a = x_t @ W.T + h_prev @ U.T + b
    a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
    c_t = f * c_prev + i * g  # forget part of the old memory, add new content
    h_t = o * np.tanh(c_t)  # expose part of the memory
    return h_t, c_t


def gru_step(x_t, h_prev, W, U, b_x, b_h, reset_after=True):
    """One GRU step. The gates are stacked in the order update z, reset r,
    candidate: W (3 n_h, n_in), U (3 n_h, n_h), input bias b_x and recurrent bias b_h (3 n_h,).
    reset_after=False: Cho et al. (2014), the reset gate multiplies h_{t-1} before U_h.
    reset_after=True: it multiplies U_h h_{t-1} + b_h (PyTorch, and Keras' default)."""
    n_h = h_prev.shape[1]
    a_x = x_t @ W.T + b_x  # input part of all three
    a_h = h_prev @ U[: 2 * n_h].T + b_h[: 2 * n_h]
    z = sigmoid(a_x[:, :n_h] + a_h[:, :n_h])
    r = sigmoid(a_x[:, n_h : 2 * n_h] + a_h[:, n_h:])
    U_c, b_c = U[2 * n_h :], b_h[2 * n_h :]
    if reset_after:
        candidate = np.tanh(a_x[:, 2 * n_h :] + r * (h_prev @ U_c.T + b_c))
    else:
        candidate = np.tanh(a_x[:, 2 * n_h :] + (r * h_prev) @ U_c.T + b_c)
    return z * h_prev + (1 - z) * candidate  # z keeps the old state, 1 - z takes the new


if __name__ == "__main__":
    rng = np.random.default_rng(SEED)
    steps, batch, n_in, n_h = 6, 4, 3, 5
    xs = rng.normal(size=(steps, batch, n_in))
    h0 = np.zeros((batch, n_h))
    W = rng.normal(0, 0.5, size=(n_h, n_in))
    U = rng.normal(0, 0.5, size=(n_h, n_h))
    b = rng.normal(0, 0.1, size=n_h)

    hs = rnn_forward(xs, h0, W, U, b)
    print(
        f"hidden states: {hs.shape} (steps + 1, batch, hidden); all in (-1, 1): "
        f"{bool(np.all(np.abs(hs) < 1))}"
    )

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

    # The gated cells on the same inputs. The LSTM's memory c_t is never squashed
    # (|c_t| <= |c_{t-1}| + 1); its output h_t and the GRU's h_t stay in (-1, 1).
    Wl, Ul = rng.normal(0, 0.5, size=(4 * n_h, n_in)), rng.normal(0, 0.5, size=(4 * n_h, n_h))
    bl = rng.normal(0, 0.1, size=4 * n_h)
    h_lstm, c_lstm = h0, np.zeros_like(h0)
    for x_t in xs:
        h_lstm, c_lstm = lstm_step(x_t, h_lstm, c_lstm, Wl, Ul, bl)
    print(
        f"LSTM after {steps} steps: h {h_lstm.shape}, max |h| = {np.abs(h_lstm).max():.3f}, "
        f"max |c| = {np.abs(c_lstm).max():.3f}"
    )

    Wg, Ug = rng.normal(0, 0.5, size=(3 * n_h, n_in)), rng.normal(0, 0.5, size=(3 * n_h, n_h))
    bx, bh = rng.normal(0, 0.1, size=3 * n_h), rng.normal(0, 0.1, size=3 * n_h)
    h_after, h_before = h0, h0
    for x_t in xs:
        h_after = gru_step(x_t, h_after, Wg, Ug, bx, bh, reset_after=True)
        h_before = gru_step(x_t, h_before, Wg, Ug, bx, bh, reset_after=False)
    print(
        f"GRU after {steps} steps: h {h_after.shape}, max |h| = {np.abs(h_after).max():.3f}; "
        f"reset after vs before U_h, same weights: max difference "
        f"{np.abs(h_after - h_before).max():.3f}"
    )

    print(f"max_grad_error={max(errors):.2e}")
