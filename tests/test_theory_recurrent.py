"""The NumPy LSTM and GRU steps of the theory chapter (snippets/theory/rnn_numpy.py)
compute what PyTorch's and Keras' own cells compute, once the frameworks' weights
are copied in with their layouts and gate orders:

* PyTorch stores W as (gates * n_h, n_in) and uses x @ W.T, like the NumPy steps;
  Keras stores kernel (n_in, gates * n_h) and uses x @ kernel, so W = kernel.T.
* LSTM gates: PyTorch i, f, g, o and Keras i, f, c, o are the same order (g and c
  are two names for the candidate). PyTorch has two biases that only act as
  their sum; Keras has one.
* GRU gates: PyTorch r, z, n; Keras z, r, h. Both apply the reset gate after the
  recurrent matrix (PyTorch always, Keras with reset_after=True, its default);
  Keras' reset_after=False is the original form of Cho et al. (2014).

Keras runs on its PyTorch backend here, in float32: its type promotion maps
float64 to float32 on every backend but TensorFlow (BIT64_TO_BIT32_DTYPE in
keras/src/backend/common/dtypes.py), so even a float64 layer multiplies its
matrices in float32. PyTorch is compared in float64.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from tools import runner  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)

rnn = runner.load_theory_snippet("rnn")

N_IN, N_H, BATCH, STEPS = 3, 4, 5, 6
TORCH_ATOL = 1e-10  # float64: agreement to rounding
KERAS_ATOL = 1e-6  # float32 (measured: below 2e-7 over the 6 steps)


def np_of(x) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy().astype(np.float64)
    return np.asarray(keras.ops.convert_to_numpy(x), dtype=np.float64)


def t64(x) -> torch.Tensor:
    return torch.tensor(np.asarray(x), dtype=torch.float64)


def f32(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float32)


def blocks(a, order, axis=0):
    """Reorder the gate blocks of a stacked weight or bias: order[k] is the
    framework's block that goes to our position k."""
    parts = np.split(np.asarray(a), len(order), axis=axis)
    return np.concatenate([parts[k] for k in order], axis=axis)


TORCH_GRU_TO_OURS = (1, 0, 2)  # torch (r, z, n) -> ours (z, r, candidate)


@pytest.fixture
def xs():
    return np.random.default_rng(7).normal(size=(STEPS, BATCH, N_IN))


@pytest.fixture
def state0():
    rng = np.random.default_rng(8)
    return rng.normal(0, 0.5, size=(BATCH, N_H)), rng.normal(0, 0.5, size=(BATCH, N_H))


def randomize_keras_weights(cell, seed):
    """Keras initializes the biases to 0 (the LSTM's forget bias to 1); random
    values make every bias term take part in the comparison."""
    rng = np.random.default_rng(seed)
    for w in cell.weights:
        w.assign(rng.normal(0, 0.5, size=w.shape))


# --- LSTM -------------------------------------------------------------------


def test_lstm_step_matches_torch_lstm_cell(xs, state0):
    torch.manual_seed(0)
    cell = torch.nn.LSTMCell(N_IN, N_H).double()
    W, U = np_of(cell.weight_ih), np_of(cell.weight_hh)  # gates i, f, g, o: our order
    b = np_of(cell.bias_ih) + np_of(cell.bias_hh)
    h, c = state0
    th, tc = t64(h), t64(c)
    for x_t in xs:
        h, c = rnn.lstm_step(x_t, h, c, W, U, b)
        th, tc = cell(t64(x_t), (th, tc))
        np.testing.assert_allclose(h, np_of(th), rtol=0, atol=TORCH_ATOL)
        np.testing.assert_allclose(c, np_of(tc), rtol=0, atol=TORCH_ATOL)


def test_lstm_step_matches_keras_lstm_cell(xs, state0):
    cell = keras.layers.LSTMCell(N_H)
    cell.build((None, N_IN))
    randomize_keras_weights(cell, seed=1)
    W, U = np_of(cell.kernel).T, np_of(cell.recurrent_kernel).T  # gates i, f, c, o: our order
    b = np_of(cell.bias)
    h, c = f32(state0[0]), f32(state0[1])
    kh, kc = h, c
    for x_t in f32(xs):
        h, c = rnn.lstm_step(x_t, h, c, W, U, b)
        _, (kh, kc) = cell(x_t, [kh, kc])
        np.testing.assert_allclose(h, np_of(kh), rtol=0, atol=KERAS_ATOL)
        np.testing.assert_allclose(c, np_of(kc), rtol=0, atol=KERAS_ATOL)


def test_lstm_layers_on_batch_first_sequences_are_the_step_repeated(xs):
    """The layers of the example: torch.nn.LSTM(batch_first=True) and
    keras.layers.LSTM both take (batch, time, features) and start from zeros."""
    seq = xs.transpose(1, 0, 2)  # (batch, time, features)
    zeros = np.zeros((BATCH, N_H))

    def ours(W, U, b):
        h, c, out = zeros, zeros, []
        for x_t in xs:
            h, c = rnn.lstm_step(x_t, h, c, W, U, b)
            out.append(h)
        return np.stack(out, axis=1)  # (batch, time, hidden)

    torch.manual_seed(0)
    layer = torch.nn.LSTM(N_IN, N_H, batch_first=True).double()
    t_out, _ = layer(t64(seq))
    expected = ours(
        np_of(layer.weight_ih_l0),
        np_of(layer.weight_hh_l0),
        np_of(layer.bias_ih_l0) + np_of(layer.bias_hh_l0),
    )
    np.testing.assert_allclose(np_of(t_out), expected, rtol=0, atol=TORCH_ATOL)

    k_layer = keras.layers.LSTM(N_H, return_sequences=True)
    k_layer.build((None, STEPS, N_IN))
    randomize_keras_weights(k_layer.cell, seed=2)
    k_out = k_layer(f32(seq))
    cell = k_layer.cell
    expected = ours(np_of(cell.kernel).T, np_of(cell.recurrent_kernel).T, np_of(cell.bias))
    np.testing.assert_allclose(np_of(k_out), expected, rtol=0, atol=KERAS_ATOL)


# --- GRU --------------------------------------------------------------------


def torch_gru_weights(cell):
    """PyTorch's GRUCell weights in our order and layout: W, U, b_x, b_h."""
    return (
        blocks(np_of(cell.weight_ih), TORCH_GRU_TO_OURS),
        blocks(np_of(cell.weight_hh), TORCH_GRU_TO_OURS),
        blocks(np_of(cell.bias_ih), TORCH_GRU_TO_OURS),
        blocks(np_of(cell.bias_hh), TORCH_GRU_TO_OURS),
    )


def test_gru_step_matches_torch_gru_cell(xs, state0):
    torch.manual_seed(0)
    cell = torch.nn.GRUCell(N_IN, N_H).double()
    W, U, b_x, b_h = torch_gru_weights(cell)
    h = state0[0]
    th = t64(h)
    for x_t in xs:
        h = rnn.gru_step(x_t, h, W, U, b_x, b_h, reset_after=True)
        th = cell(t64(x_t), th)
        np.testing.assert_allclose(h, np_of(th), rtol=0, atol=TORCH_ATOL)


@pytest.mark.parametrize("reset_after", [True, False], ids=["reset_after", "cho2014"])
def test_gru_step_matches_keras_gru_cell(xs, state0, reset_after):
    cell = keras.layers.GRUCell(N_H, reset_after=reset_after)
    cell.build((None, N_IN))
    randomize_keras_weights(cell, seed=3)
    W, U = np_of(cell.kernel).T, np_of(cell.recurrent_kernel).T  # gates z, r, h: our order
    if reset_after:
        b_x, b_h = np_of(cell.bias)  # shape (2, 3 n_h): input bias, recurrent bias
    else:
        b_x, b_h = np_of(cell.bias), np.zeros(3 * N_H)  # one bias, shape (3 n_h,)
    h = kh = f32(state0[0])
    for x_t in f32(xs):
        h = rnn.gru_step(x_t, h, W, U, b_x, b_h, reset_after=reset_after)
        kh, _ = cell(x_t, kh)
        np.testing.assert_allclose(h, np_of(kh), rtol=0, atol=KERAS_ATOL)


def test_the_differences_are_real(xs, state0):
    """Without the reordering, or with the other reset form, the results differ:
    the equalities above depend on getting both right."""
    torch.manual_seed(0)
    cell = torch.nn.GRUCell(N_IN, N_H).double()
    W, U, b_x, b_h = torch_gru_weights(cell)
    h0 = state0[0]
    theirs = np_of(cell(t64(xs[0]), t64(h0)))
    right = rnn.gru_step(xs[0], h0, W, U, b_x, b_h, reset_after=True)
    unordered = rnn.gru_step(
        xs[0],
        h0,
        np_of(cell.weight_ih),
        np_of(cell.weight_hh),
        np_of(cell.bias_ih),
        np_of(cell.bias_hh),
        reset_after=True,
    )
    reset_before = rnn.gru_step(xs[0], h0, W, U, b_x, b_h, reset_after=False)
    assert np.abs(right - theirs).max() < TORCH_ATOL
    assert np.abs(unordered - theirs).max() > 1e-2
    assert np.abs(reset_before - theirs).max() > 1e-2

    # The LSTM's two PyTorch biases act only through their sum.
    lstm = torch.nn.LSTMCell(N_IN, N_H).double()
    with torch.no_grad():
        shift = torch.randn(4 * N_H, dtype=torch.float64)
        before = lstm(t64(xs[0]))[0]
        lstm.bias_ih += shift
        lstm.bias_hh -= shift
        after = lstm(t64(xs[0]))[0]
    np.testing.assert_allclose(np_of(before), np_of(after), rtol=0, atol=1e-12)
