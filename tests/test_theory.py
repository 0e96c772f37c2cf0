"""The NumPy formulas of the theory chapters (snippets/theory/*_numpy.py) are
the same functions as the frameworks' own implementations: PyTorch and Keras 3
(on its PyTorch backend here), on random inputs with fixed seeds."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from tools import runner  # noqa: E402

# Keras' torch backend converts tensors with np.array(tensor), which makes
# NumPy 2 warn about torch's __array__ signature; harmless, and not ours.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)


load = runner.load_theory_snippet


act = load("activations")
losses = load("losses")
bp = load("backprop")
opt = load("optimizers")
cnn = load("cnn")
rnn = load("rnn")
gan = load("gan")
reg = load("regularization")


def np_of(x) -> np.ndarray:
    """A framework value (torch tensor or Keras tensor) as float64 numpy."""
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy().astype(np.float64)
    return np.asarray(keras.ops.convert_to_numpy(x), dtype=np.float64)


def t64(x) -> torch.Tensor:
    return torch.tensor(np.asarray(x), dtype=torch.float64)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


# --- activations ------------------------------------------------------------

ACTIVATIONS = [
    ("sigmoid", torch.sigmoid, keras.activations.sigmoid),
    ("tanh", torch.tanh, keras.activations.tanh),
    ("relu", torch.relu, keras.activations.relu),
]


@pytest.mark.parametrize(("name", "torch_fn", "keras_fn"), ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_activation_and_its_derivative(name, torch_fn, keras_fn, rng):
    z = rng.normal(0, 3, size=200)
    z = z[np.abs(z) > 1e-3]
    ours, ours_grad = getattr(act, name), getattr(act, name + "_grad")
    np.testing.assert_allclose(ours(z), np_of(torch_fn(t64(z))), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ours(z), np_of(keras_fn(z.astype("float32"))), atol=1e-6)
    zt = t64(z).requires_grad_()
    torch_fn(zt).sum().backward()
    np.testing.assert_allclose(ours_grad(z), np_of(zt.grad), rtol=1e-10, atol=1e-14)


def test_sigmoid_does_not_overflow():
    z = np.array([-1000.0, 0.0, 1000.0])
    with np.errstate(over="raise", invalid="raise"):
        np.testing.assert_allclose(act.sigmoid(z), [0.0, 0.5, 1.0])


def test_softmax_and_its_jacobian(rng):
    z = rng.normal(0, 3, size=(6, 5))
    np.testing.assert_allclose(act.softmax(z), np_of(torch.softmax(t64(z), dim=-1)), rtol=1e-12)
    np.testing.assert_allclose(
        act.softmax(z), np_of(keras.activations.softmax(z.astype("float32"))), atol=1e-6
    )
    jac = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=-1), t64(z[0]))
    np.testing.assert_allclose(act.softmax_jacobian(z[0]), np_of(jac), atol=1e-14)
    # Adding a constant to every logit changes nothing: why subtracting the max is safe.
    np.testing.assert_allclose(act.softmax(z + 1000.0), act.softmax(z), rtol=1e-12)


# --- losses -----------------------------------------------------------------


def test_mean_squared_error(rng):
    y, yhat = rng.normal(size=(10, 3)), rng.normal(size=(10, 3))
    ours = losses.mean_squared_error(y, yhat)
    assert ours == pytest.approx(F.mse_loss(t64(yhat), t64(y)).item(), rel=1e-12)
    assert ours == pytest.approx(np_of(keras.losses.MeanSquaredError()(y, yhat)), rel=1e-5)


def test_binary_cross_entropy(rng):
    y = rng.integers(0, 2, size=(20, 1)).astype(float)
    z = rng.normal(0, 2, size=(20, 1))
    p = act.sigmoid(z)
    ours = losses.binary_cross_entropy(y, p)
    assert ours == pytest.approx(F.binary_cross_entropy(t64(p), t64(y)).item(), rel=1e-9)
    assert ours == pytest.approx(F.binary_cross_entropy_with_logits(t64(z), t64(y)).item(), rel=1e-9)
    assert ours == pytest.approx(np_of(keras.losses.BinaryCrossentropy()(y, p)), rel=1e-5)
    assert ours == pytest.approx(np_of(keras.losses.BinaryCrossentropy(from_logits=True)(y, z)), rel=1e-5)
    assert losses.binary_cross_entropy_from_logits(y, z) == pytest.approx(ours, rel=1e-9)


def test_categorical_and_sparse_categorical_cross_entropy(rng):
    labels = rng.integers(0, 5, size=12)
    y = np.eye(5)[labels]
    z = rng.normal(0, 2, size=(12, 5))
    p = losses.softmax(z)
    cce = losses.categorical_cross_entropy(y, p)
    scce = losses.sparse_categorical_cross_entropy(labels, p)
    # torch's cross_entropy takes logits and class indices (or probabilities as targets).
    assert cce == pytest.approx(F.cross_entropy(t64(z), torch.tensor(labels)).item(), rel=1e-9)
    assert cce == pytest.approx(F.cross_entropy(t64(z), t64(y)).item(), rel=1e-9)
    assert cce == pytest.approx(F.nll_loss(torch.log(t64(p)), torch.tensor(labels)).item(), rel=1e-9)
    assert cce == pytest.approx(np_of(keras.losses.CategoricalCrossentropy()(y, p)), rel=1e-5)
    assert scce == pytest.approx(np_of(keras.losses.SparseCategoricalCrossentropy()(labels, p)), rel=1e-5)
    assert scce == pytest.approx(
        np_of(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, z)), rel=1e-5
    )
    assert scce == pytest.approx(cce, rel=1e-12)


def test_softmax_cross_entropy_gradient_is_p_minus_y(rng):
    labels = rng.integers(0, 4, size=9)
    z = rng.normal(size=(9, 4))
    zt = t64(z).requires_grad_()
    F.cross_entropy(zt, torch.tensor(labels)).backward()
    np.testing.assert_allclose(
        losses.softmax_cross_entropy_grad(z, np.eye(4)[labels]), np_of(zt.grad), atol=1e-14
    )


# --- forward pass and backprop ----------------------------------------------


def test_dense_layer_matches_torch_linear_and_keras_dense(rng):
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    linear = torch.nn.Linear(3, 2).double()
    with torch.no_grad():
        linear.weight.copy_(t64(W.T))  # torch stores (out, in) and computes x W^T + b
        linear.bias.copy_(t64(b))
    np.testing.assert_allclose(bp.dense(x, W, b), np_of(linear(t64(x))), rtol=1e-12)
    dense = keras.layers.Dense(2)
    dense.build((None, 3))
    dense.set_weights([W.astype("float32"), b.astype("float32")])  # Keras stores (in, out)
    np.testing.assert_allclose(bp.dense(x, W, b), np_of(dense(x.astype("float32"))), atol=1e-5)


def test_backprop_gradients_match_autograd(rng):
    x = rng.normal(size=(10, 3))
    y = rng.integers(0, 2, size=(10, 1)).astype(float)
    params = bp.init_params(rng, 3, 4)
    p, cache = bp.forward(params, x)
    ours = bp.backward(params, cache, y)

    tp = {k: t64(v).requires_grad_() for k, v in params.items()}
    z1 = t64(x) @ tp["W1"] + tp["b1"]
    z2 = torch.relu(z1) @ tp["W2"] + tp["b2"]
    loss = F.binary_cross_entropy_with_logits(z2, t64(y))
    loss.backward()
    assert bp.loss_fn(params, x, y) == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(p, np_of(torch.sigmoid(z2)), rtol=1e-12)
    for k in params:
        np.testing.assert_allclose(ours[k], np_of(tp[k].grad), rtol=1e-9, atol=1e-14, err_msg=k)


def test_worked_example_of_the_backprop_page():
    """The numbers worked by hand on docs/theory/backprop.md, from autograd."""
    x, y = t64([1.0, 2.0]), t64([1.0])
    W1 = t64([[0.5, -0.2], [0.1, 0.4]]).requires_grad_()
    W2 = t64([[0.8, -0.5]]).requires_grad_()
    b1, b2 = t64([0.0, -1.2]), t64([0.2])
    z2 = W2 @ torch.relu(W1 @ x + b1) + b2
    loss = F.binary_cross_entropy_with_logits(z2, y)
    loss.backward()
    assert (z2.item(), round(torch.sigmoid(z2).item(), 4), round(loss.item(), 4)) == (
        pytest.approx(0.28),
        0.5695,
        0.5629,
    )
    np.testing.assert_allclose(np_of(W2.grad), [[-0.0430, 0.0]], atol=5e-5)
    np.testing.assert_allclose(np_of(W1.grad), [[-0.3444, -0.6887], [0.0, 0.0]], atol=5e-5)


# --- optimizers -------------------------------------------------------------

QUAD_A = np.array([[3.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 2.0]])
QUAD_B = np.array([1.0, -2.0, 0.5])
THETA0 = np.array([0.5, -1.0, 2.0])


def quad_grad(theta):
    """Gradient of 0.5 theta^T A theta - b^T theta: depends on theta, so that
    several steps test the whole recursion, not one formula."""
    return QUAD_A @ theta - QUAD_B


def numpy_path(kind, steps, **hp):
    theta = THETA0.copy()
    s1, s2 = np.zeros(3), np.zeros(3)
    for t in range(1, steps + 1):
        g = quad_grad(theta)
        if kind == "sgd":
            theta = opt.sgd_step(theta, g, hp["lr"])
        elif kind == "momentum":
            theta, s1 = opt.sgd_momentum_step(theta, g, s1, hp["lr"], hp["momentum"])
        elif kind == "nesterov":
            theta, s1 = opt.nesterov_step(theta, g, s1, hp["lr"], hp["momentum"])
        elif kind == "nesterov_keras":
            theta, s1 = opt.nesterov_step_keras(theta, g, s1, hp["lr"], hp["momentum"])
        elif kind == "rmsprop":
            theta, s1 = opt.rmsprop_step(theta, g, s1, hp["lr"], hp["rho"], hp["eps"], hp["inside"])
        elif kind == "adam":
            theta, s1, s2 = opt.adam_step(
                theta, g, s1, s2, t, hp["lr"], hp["beta1"], hp["beta2"], hp["eps"], hp["eps_hat"]
            )
    return theta


def torch_path(make_optimizer, steps):
    param = torch.nn.Parameter(t64(THETA0))
    optimizer = make_optimizer([param])
    for _ in range(steps):
        param.grad = t64(quad_grad(param.detach().numpy()))
        optimizer.step()
    return np_of(param)


def keras_path(optimizer, steps):
    var = keras.Variable(THETA0.astype("float32"))
    for _ in range(steps):
        g = quad_grad(np_of(var)).astype("float32")
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(g), var)])
    return np_of(var)


STEPS = [1, 25]


@pytest.mark.parametrize("steps", STEPS)
def test_sgd(steps):
    ours = numpy_path("sgd", steps, lr=0.1)
    np.testing.assert_allclose(ours, torch_path(lambda p: torch.optim.SGD(p, lr=0.1), steps), rtol=1e-12)
    np.testing.assert_allclose(ours, keras_path(keras.optimizers.SGD(0.1), steps), atol=1e-5)


@pytest.mark.parametrize("steps", STEPS)
def test_momentum(steps):
    ours = numpy_path("momentum", steps, lr=0.05, momentum=0.9)
    np.testing.assert_allclose(
        ours, torch_path(lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), steps), rtol=1e-10
    )
    np.testing.assert_allclose(ours, keras_path(keras.optimizers.SGD(0.05, momentum=0.9), steps), atol=1e-5)


@pytest.mark.parametrize("steps", STEPS)
def test_nesterov_both_forms(steps):
    ours = numpy_path("nesterov", steps, lr=0.05, momentum=0.9)
    ours_keras_form = numpy_path("nesterov_keras", steps, lr=0.05, momentum=0.9)
    np.testing.assert_allclose(ours, ours_keras_form, rtol=1e-10)
    np.testing.assert_allclose(
        ours,
        torch_path(lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True), steps),
        rtol=1e-10,
    )
    keras_sgd = keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True)
    np.testing.assert_allclose(ours_keras_form, keras_path(keras_sgd, steps), atol=1e-5)


@pytest.mark.parametrize("steps", STEPS)
def test_rmsprop_epsilon_placement(steps):
    # PyTorch: eps outside the square root, alpha (= rho) defaults to 0.99, eps to 1e-8.
    torch_hp = dict(lr=0.01, rho=0.99, eps=1e-8, inside=False)
    np.testing.assert_allclose(
        numpy_path("rmsprop", steps, **torch_hp),
        torch_path(lambda p: torch.optim.RMSprop(p, lr=0.01), steps),
        rtol=1e-10,
    )
    # Keras: eps inside the square root, rho defaults to 0.9, eps to 1e-7. A large eps
    # makes the placement visible.
    keras_hp = dict(lr=0.01, rho=0.9, eps=1e-2, inside=True)
    ours = numpy_path("rmsprop", steps, **keras_hp)
    np.testing.assert_allclose(
        ours, keras_path(keras.optimizers.RMSprop(0.01, epsilon=1e-2), steps), atol=1e-5
    )
    other = numpy_path("rmsprop", steps, **{**keras_hp, "inside": False})
    assert np.max(np.abs(ours - other)) > 1e-4


def test_rmsprop_defaults_differ():
    assert keras.optimizers.RMSprop().rho == 0.9
    assert keras.optimizers.RMSprop().epsilon == 1e-7
    defaults = torch.optim.RMSprop([torch.nn.Parameter(torch.zeros(1))]).defaults
    assert (defaults["alpha"], defaults["eps"], defaults["lr"]) == (0.99, 1e-8, 0.01)


@pytest.mark.parametrize("steps", STEPS)
def test_adam(steps):
    hp = dict(lr=0.01, beta1=0.9, beta2=0.999)
    np.testing.assert_allclose(
        numpy_path("adam", steps, **hp, eps=1e-8, eps_hat=False),
        torch_path(lambda p: torch.optim.Adam(p, lr=0.01), steps),
        rtol=1e-10,
    )
    # Keras' epsilon is the paper's "epsilon hat": added to sqrt(v), not to sqrt(v_hat).
    ours = numpy_path("adam", steps, **hp, eps=0.1, eps_hat=True)
    np.testing.assert_allclose(ours, keras_path(keras.optimizers.Adam(0.01, epsilon=0.1), steps), atol=1e-5)
    assert np.max(np.abs(ours - numpy_path("adam", steps, **hp, eps=0.1, eps_hat=False))) > 1e-4
    assert keras.optimizers.Adam().epsilon == 1e-7
    assert torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))]).defaults["eps"] == 1e-8


# --- learning-rate schedules ------------------------------------------------


def test_inverse_time_decay():
    lr0, beta = 0.05, 0.1
    keras_schedule = keras.optimizers.schedules.InverseTimeDecay(lr0, decay_steps=1, decay_rate=beta)
    param = torch.nn.Parameter(torch.zeros(1))
    sgd = torch.optim.SGD([param], lr=lr0)
    scheduler = torch.optim.lr_scheduler.LambdaLR(sgd, lambda t: 1 / (1 + beta * t))
    for t in range(30):
        ours = opt.inverse_time_decay(lr0, beta, t)
        assert ours == pytest.approx(float(np_of(keras_schedule(t))), rel=1e-6)
        assert ours == pytest.approx(sgd.param_groups[0]["lr"], rel=1e-12)
        # alpha / (1 + beta (t' - 1)) with t' = t + 1 counted from 1
        assert ours == pytest.approx(lr0 / (1 + beta * ((t + 1) - 1)), rel=1e-12)
        sgd.step()
        scheduler.step()


def test_step_exponential_cosine_schedules():
    lr0 = 0.1
    param = torch.nn.Parameter(torch.zeros(1))
    opts = [torch.optim.SGD([param], lr=lr0) for _ in range(3)]
    scheds = [
        torch.optim.lr_scheduler.StepLR(opts[0], step_size=5, gamma=0.5),
        torch.optim.lr_scheduler.ExponentialLR(opts[1], gamma=0.9),
        torch.optim.lr_scheduler.CosineAnnealingLR(opts[2], T_max=20),
    ]
    k_exp = keras.optimizers.schedules.ExponentialDecay(lr0, decay_steps=1, decay_rate=0.9)
    k_cos = keras.optimizers.schedules.CosineDecay(lr0, decay_steps=20)
    k_step = keras.optimizers.schedules.ExponentialDecay(lr0, decay_steps=5, decay_rate=0.5, staircase=True)
    for t in range(20):
        ours = [
            opt.step_decay(lr0, 0.5, 5, t),
            opt.exponential_decay(lr0, 0.9, 1, t),
            opt.cosine_decay(lr0, 20, t),
        ]
        for o, value in zip(opts, ours):
            assert value == pytest.approx(o.param_groups[0]["lr"], rel=1e-9, abs=1e-12)
        assert ours[1] == pytest.approx(float(np_of(k_exp(t))), rel=1e-5)
        assert ours[2] == pytest.approx(float(np_of(k_cos(t))), rel=1e-5, abs=1e-7)
        assert ours[0] == pytest.approx(float(np_of(k_step(t))), rel=1e-6)
        for o, s in zip(opts, scheds):
            o.step()
            s.step()


# --- convolution, pooling, recurrence ---------------------------------------


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 1)])
def test_conv2d_is_cross_correlation_like_torch(stride, padding, rng):
    x = rng.normal(size=(2, 3, 9, 8))
    w = rng.normal(size=(4, 3, 3, 2))
    b = rng.normal(size=4)
    ours = cnn.conv2d(x, w, b, stride=stride, padding=padding)
    theirs = F.conv2d(t64(x), t64(w), t64(b), stride=stride, padding=padding)
    np.testing.assert_allclose(ours, np_of(theirs), rtol=1e-10, atol=1e-12)
    assert ours.shape[2] == cnn.output_size(9, 3, stride, padding)


def test_keras_conv2d_is_cross_correlation_too(rng):
    x = rng.normal(size=(1, 6, 7, 2)).astype("float32")  # Keras: channels last
    w = rng.normal(size=(3, 3, 2, 4)).astype("float32")  # (kh, kw, C_in, C_out)
    theirs = np_of(keras.ops.conv(x, w, strides=1, padding="valid"))
    ours = cnn.conv2d(x.transpose(0, 3, 1, 2).astype(float), w.transpose(3, 2, 0, 1).astype(float))
    np.testing.assert_allclose(ours.transpose(0, 2, 3, 1), theirs, atol=1e-4)


def test_mathematical_convolution_flips_the_kernel(rng):
    image, kernel = rng.normal(size=(6, 7)), rng.normal(size=(3, 3))
    layer = np_of(F.conv2d(t64(image)[None, None], t64(kernel)[None, None]))[0, 0]
    # A layer with a non-symmetric kernel differs from the convolution...
    assert np.max(np.abs(layer - cnn.convolve2d(image, kernel))) > 0.1
    # ...and equals the convolution with the flipped kernel.
    np.testing.assert_allclose(layer, cnn.convolve2d(image, kernel[::-1, ::-1]), atol=1e-12)
    # The mathematical convolution is commutative on full outputs: check against np.convolve in 1-D.
    a, k = rng.normal(size=10), rng.normal(size=3)
    np.testing.assert_allclose(
        cnn.convolve2d(a[None], k[None])[0], np.convolve(a, k, mode="valid"), atol=1e-12
    )


@pytest.mark.parametrize(("size", "stride"), [(2, 2), (3, 1)])
def test_max_pool2d(size, stride, rng):
    x = rng.normal(size=(2, 3, 8, 7))
    ours = cnn.max_pool2d(x, size, stride)
    np.testing.assert_allclose(ours, np_of(F.max_pool2d(t64(x), size, stride)))
    keras_pool = keras.ops.max_pool(x.transpose(0, 2, 3, 1).astype("float32"), size, stride)
    np.testing.assert_allclose(ours, np_of(keras_pool).transpose(0, 3, 1, 2), atol=1e-6)


def test_rnn_step_matches_torch_rnn_cell(rng):
    n_in, n_h = 3, 5
    cell = torch.nn.RNNCell(n_in, n_h, nonlinearity="tanh").double()
    W, U = np_of(cell.weight_ih), np_of(cell.weight_hh)
    b = np_of(cell.bias_ih) + np_of(cell.bias_hh)  # torch keeps two biases; only their sum matters
    xs = rng.normal(size=(4, 2, n_in))
    h_t = torch.zeros(2, n_h, dtype=torch.float64)
    ours = rnn.rnn_forward(xs, np.zeros((2, n_h)), W, U, b)
    for t, x_t in enumerate(xs):
        h_t = cell(t64(x_t), h_t)
        np.testing.assert_allclose(ours[t + 1], np_of(h_t), rtol=1e-10, atol=1e-12)


def test_bptt_matches_autograd(rng):
    xs, h0 = rng.normal(size=(5, 2, 3)), np.zeros((2, 4))
    W, U, b = rng.normal(size=(4, 3)), rng.normal(0, 0.5, size=(4, 4)), rng.normal(size=4)
    tW, tU, tb = (t64(v).requires_grad_() for v in (W, U, b))
    h = t64(h0)
    for x_t in xs:
        h = torch.tanh(t64(x_t) @ tW.T + h @ tU.T + tb)
    (0.5 * (h**2).sum() / len(h0)).backward()
    for ours, theirs in zip(rnn.bptt(xs, h0, W, U, b), (tW, tU, tb)):
        np.testing.assert_allclose(ours, np_of(theirs.grad), rtol=1e-9, atol=1e-12)


# --- GAN losses -------------------------------------------------------------


def test_gan_losses_are_binary_cross_entropies(rng):
    d_real, d_fake = rng.uniform(0.05, 0.95, size=16), rng.uniform(0.05, 0.95, size=16)
    ones, zeros = torch.ones(16, dtype=torch.float64), torch.zeros(16, dtype=torch.float64)
    bce_d = F.binary_cross_entropy(t64(d_real), ones) + F.binary_cross_entropy(t64(d_fake), zeros)
    assert gan.discriminator_loss(d_real, d_fake) == pytest.approx(bce_d.item(), rel=1e-12)
    assert gan.discriminator_loss(d_real, d_fake) == pytest.approx(-gan.value_function(d_real, d_fake))
    bce_g = F.binary_cross_entropy(t64(d_fake), ones)
    assert gan.generator_loss_nonsaturating(d_fake) == pytest.approx(bce_g.item(), rel=1e-12)
    k_bce = keras.losses.BinaryCrossentropy()
    assert gan.generator_loss_nonsaturating(d_fake) == pytest.approx(
        float(np_of(k_bce(np.ones(16), d_fake))), rel=1e-5
    )
    assert gan.generator_loss_minimax(d_fake) == pytest.approx(
        -F.binary_cross_entropy(t64(d_fake), zeros).item(), rel=1e-12
    )


def test_nonsaturating_loss_keeps_the_gradient_alive():
    s = torch.tensor(-5.0, dtype=torch.float64, requires_grad=True)
    torch.log(1 - torch.sigmoid(s)).backward()
    minimax = s.grad.item()
    s.grad = None
    (-torch.log(torch.sigmoid(s))).backward()
    assert abs(minimax) < 0.01 < 0.99 < abs(s.grad.item())


# --- regularization ---------------------------------------------------------


def test_l1_l2_penalties_match_keras_and_torch_weight_decay(rng):
    w = rng.normal(size=(4, 3))
    assert reg.l2_penalty(w, 0.01) == pytest.approx(float(np_of(keras.regularizers.L2(0.01)(w))), rel=1e-5)
    assert reg.l1_penalty(w, 0.01) == pytest.approx(float(np_of(keras.regularizers.L1(0.01)(w))), rel=1e-5)
    # torch's weight_decay=wd adds wd * w to the gradient: the gradient of L2 with lam = wd / 2.
    g = rng.normal(size=(4, 3))
    param = torch.nn.Parameter(t64(w))
    param.grad = t64(g)
    torch.optim.SGD([param], lr=0.1, weight_decay=0.02).step()
    np.testing.assert_allclose(
        np_of(param), opt.sgd_step(w, g + reg.l2_penalty_grad(w, 0.01), 0.1), rtol=1e-12
    )


def test_inverted_dropout_scaling(rng):
    x = rng.uniform(1, 2, size=(50, 40))
    ours = reg.dropout(x, 0.3, rng)
    kept = ours != 0
    np.testing.assert_allclose(ours[kept], x[kept] / 0.7)
    theirs = np_of(F.dropout(t64(x), p=0.3, training=True))
    np.testing.assert_allclose(theirs[theirs != 0], x[theirs != 0] / 0.7, rtol=1e-12)
    k_out = np_of(keras.layers.Dropout(0.3, seed=1)(x.astype("float32"), training=True))
    np.testing.assert_allclose(k_out[k_out != 0], x[k_out != 0] / 0.7, rtol=1e-6)
    # At inference dropout is the identity, in all three.
    assert reg.dropout(x, 0.3, rng, training=False) is x
    np.testing.assert_array_equal(np_of(F.dropout(t64(x), p=0.3, training=False)), x)


def test_batch_norm_training_mode(rng):
    x = rng.normal(3, 2, size=(32, 6))
    gamma, beta = rng.normal(size=6), rng.normal(size=6)
    ours = reg.batch_norm(x, gamma, beta, eps=1e-5)
    theirs = F.batch_norm(t64(x), None, None, t64(gamma), t64(beta), training=True, eps=1e-5)
    np.testing.assert_allclose(ours, np_of(theirs), rtol=1e-10, atol=1e-12)
    layer = keras.layers.BatchNormalization(epsilon=1e-3)
    layer.build((None, 6))
    layer.gamma.assign(gamma.astype("float32"))
    layer.beta.assign(beta.astype("float32"))
    k_out = np_of(layer(x.astype("float32"), training=True))
    np.testing.assert_allclose(reg.batch_norm(x, gamma, beta, eps=1e-3), k_out, atol=1e-4)


def test_early_stopping_epoch_matches_keras_callback():
    val_losses = [0.9, 0.7, 0.6, 0.55, 0.56, 0.58, 0.57, 0.6, 0.62]
    stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3)

    class Dummy:
        stop_training = False

    stopper.set_model(Dummy())
    stopper.on_train_begin()
    last = None
    for epoch, loss in enumerate(val_losses):
        stopper.on_epoch_end(epoch, {"val_loss": loss})
        last = epoch
        if stopper.model.stop_training:
            break
    assert stopper.best_epoch == reg.early_stopping_epoch(val_losses, 3) == 3
    assert last == 6


# --- weight initialisation (initialization page) ----------------------------

FAN_IN, FAN_OUT = 300, 500  # a large tensor: empirical variances within ~1%


def _torch_weight(init, **kwargs):
    torch.manual_seed(0)
    w = torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64)  # torch layout: (out, in)
    init(w, **kwargs)
    return w.numpy()


def test_xavier_uniform_bound_and_variance():
    r = np.sqrt(6 / (FAN_IN + FAN_OUT))
    for w in (
        _torch_weight(torch.nn.init.xavier_uniform_),
        np_of(keras.initializers.GlorotUniform(seed=0)((FAN_IN, FAN_OUT))),
    ):
        assert np.abs(w).max() <= r
        assert np.abs(w).max() > 0.99 * r  # the bound is reached, not a smaller one
        np.testing.assert_allclose(w.var(), 2 / (FAN_IN + FAN_OUT), rtol=0.02)


def test_he_normal_variance():
    w = _torch_weight(torch.nn.init.kaiming_normal_, nonlinearity="relu")
    np.testing.assert_allclose(w.var(), 2 / FAN_IN, rtol=0.02)
    np.testing.assert_allclose(w.mean(), 0, atol=0.01 * np.sqrt(2 / FAN_IN))
    # Keras: a truncated normal, rescaled so that the variance is still 2 / fan_in.
    k = np_of(keras.initializers.HeNormal(seed=0)((FAN_IN, FAN_OUT)))
    np.testing.assert_allclose(k.var(), 2 / FAN_IN, rtol=0.02)
    stddev = np.sqrt(2 / FAN_IN) / 0.87962566103423978
    # Truncated at two standard deviations (values beyond are redrawn): an
    # untruncated normal puts 4.6% of its values there.
    assert np.mean(np.abs(k) > 2 * stddev) < 1e-4


def test_he_uniform_bound():
    r = np.sqrt(6 / FAN_IN)
    w = _torch_weight(torch.nn.init.kaiming_uniform_, nonlinearity="relu")
    assert r * 0.99 < np.abs(w).max() <= r
    k = np_of(keras.initializers.HeUniform(seed=0)((FAN_IN, FAN_OUT)))
    assert r * 0.99 < np.abs(k).max() <= r


def test_default_initialisations_of_the_frameworks():
    # PyTorch nn.Linear: kaiming_uniform_(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
    # and the same interval for the bias.
    torch.manual_seed(0)
    layer = torch.nn.Linear(FAN_IN, FAN_OUT)
    bound = 1 / np.sqrt(FAN_IN)
    w, b = np_of(layer.weight), np_of(layer.bias)
    assert bound * 0.99 < np.abs(w).max() <= bound
    assert bound * 0.9 < np.abs(b).max() <= bound
    np.testing.assert_allclose(w.var(), 1 / (3 * FAN_IN), rtol=0.02)
    # Keras Dense: glorot_uniform kernel, zero bias.
    dense = keras.layers.Dense(FAN_OUT)
    assert dense.kernel_initializer.__class__ is keras.initializers.GlorotUniform
    assert dense.bias_initializer.__class__ is keras.initializers.Zeros
    dense.build((None, FAN_IN))
    r = np.sqrt(6 / (FAN_IN + FAN_OUT))
    assert r * 0.99 < np.abs(np_of(dense.kernel)).max() <= r
    assert not np_of(dense.bias).any()


def test_relu_layer_gradient_variance_factor():
    """The page's factor n Var(w) / 2: one ReLU layer with He weights keeps the
    gradient's variance, PyTorch's default divides it by 6."""
    n, batch = 512, 2048
    gen = torch.Generator().manual_seed(0)
    z = torch.randn(batch, n, generator=gen, dtype=torch.float64)  # pre-activations of layer l
    delta_next = torch.randn(batch, n, generator=gen, dtype=torch.float64)
    for var_w, factor in ((2 / n, 1.0), (1 / (3 * n), 1 / 6)):
        w = torch.randn(n, n, generator=gen, dtype=torch.float64) * np.sqrt(var_w)
        delta = (delta_next @ w) * (z > 0)  # (W^T delta) ⊙ relu'(z), one row per sample
        np.testing.assert_allclose(delta.var().item(), factor, rtol=0.05)


# --- batch normalization: running statistics (regularization page) ----------


def test_batch_norm_running_statistics():
    """One training-mode forward pass from the initial state (mean 0, variance 1).
    Both frameworks normalise the batch with the biased variance (divide by N);
    PyTorch's running_var is updated with the unbiased one (N - 1), Keras'
    moving_variance with the biased one. PyTorch's momentum (0.1) weighs the new
    batch, Keras' momentum (0.99) the old value."""
    rng = np.random.default_rng(0)
    n = 8  # a small batch makes N / (N - 1) = 8/7 easy to see
    x = rng.normal(3, 2, size=(n, 5)).astype("float32")
    mean = x.mean(axis=0, dtype=np.float64)
    var_biased = x.var(axis=0, ddof=0, dtype=np.float64)
    var_unbiased = x.var(axis=0, ddof=1, dtype=np.float64)
    assert np.all(np.abs(var_unbiased / var_biased - n / (n - 1)) < 1e-9)

    bn = torch.nn.BatchNorm1d(5)
    assert bn.momentum == 0.1
    bn.train()
    y = bn(torch.from_numpy(x))
    np.testing.assert_allclose(np_of(bn.running_mean), 0.9 * 0 + 0.1 * mean, rtol=1e-5)
    np.testing.assert_allclose(np_of(bn.running_var), 0.9 * 1 + 0.1 * var_unbiased, rtol=1e-5)
    assert not np.allclose(np_of(bn.running_var), 0.9 + 0.1 * var_biased, rtol=1e-5)
    # ... while the batch itself is normalised with the biased variance.
    np.testing.assert_allclose(np_of(y), (x - mean) / np.sqrt(var_biased + bn.eps), atol=1e-4)

    layer = keras.layers.BatchNormalization()
    assert layer.momentum == 0.99
    layer.build((None, 5))
    k_y = np_of(layer(x, training=True))
    np.testing.assert_allclose(np_of(layer.moving_mean), 0.99 * 0 + 0.01 * mean, rtol=1e-4)
    np.testing.assert_allclose(np_of(layer.moving_variance), 0.99 * 1 + 0.01 * var_biased, rtol=1e-5)
    assert not np.allclose(np_of(layer.moving_variance), 0.99 + 0.01 * var_unbiased, rtol=1e-5)
    np.testing.assert_allclose(k_y, (x - mean) / np.sqrt(var_biased + layer.epsilon), atol=1e-4)
