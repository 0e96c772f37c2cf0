"""Claims on the pages that depend on the Keras backend or on the installed
PyTorch, checked by running them.

- A softmax output layer with `from_logits=True` (docs/examples/cifar10_cnn.md,
  docs/theory/losses.md, FAQ from-logits): on the PyTorch backend the loss
  applies softmax a second time, so even a completely sure, correct prediction
  costs log(1 + (K - 1)/e) (about 1.46 for K = 10); on the TensorFlow backend
  Keras finds the logits behind the softmax, warns, and computes the correct loss.
- Clipping of probabilities (docs/theory/losses.md#bce): both backends clip
  probabilities they are given to [1e-7, 1 - 1e-7] (a loss of at most 16.1);
  on TensorFlow a sigmoid or softmax output layer's loss is computed from its
  logits instead, unclipped.
- Export (docs/theory/practice.md, FAQ deploy-to-production): `torch.jit.script`
  warns that it is deprecated; `torch.export` works; Keras' `model.export`
  writes a SavedModel and a LiteRT file on the TensorFlow backend and a
  `torch.export` program on the PyTorch backend.

Keras reads KERAS_BACKEND once, at import, so each backend gets one process
that runs every probe (PROBE below) and prints its results as JSON.
"""

from __future__ import annotations

import json
import math
import re

import pytest

from tools import runner

EPSILON = 1e-7  # keras.config.epsilon(), the clipping bound
K = 10

PROBE = r'''
import json, os, sys, warnings
import numpy as np
import keras

backend = keras.backend.backend()
out = {"backend": backend, "epsilon": keras.config.epsilon()}
workdir = os.getcwd()


def dense_model(kernel, activation):
    """One Dense layer on a 1-feature input whose outputs (before the
    activation) are exactly the given logits for x = [[1.0]]."""
    kernel = np.asarray(kernel, "float32").reshape(1, -1)
    model = keras.Sequential([keras.Input((1,)),
                              keras.layers.Dense(kernel.shape[1], activation=activation)])
    model.layers[0].set_weights([kernel, np.zeros(kernel.shape[1], "float32")])
    return model


def evaluate(model, loss, y):
    """model.evaluate, as fit/evaluate readers run it; returns the loss and
    the messages of the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.compile(loss=loss)
        value = model.evaluate(np.ones((1, 1), "float32"), y, verbose=0)
    messages = [str(w.message) for w in caught if "from_logits" in str(w.message)]
    return float(value), messages


# 1. Softmax output + from_logits=True: the page's example logits [4, 1, -2],
#    and a completely sure prediction among 10 classes (logit 20 vs 0).
page = dense_model([4.0, 1.0, -2.0], "softmax")
sure = dense_model([20.0] + [0.0] * 9, "softmax")
label = np.array([0])
onehot = np.eye(10, dtype="float32")[:1]
for name, model, loss, y in [
    ("page_right", page, keras.losses.SparseCategoricalCrossentropy(), label),
    ("page_wrong", page, keras.losses.SparseCategoricalCrossentropy(from_logits=True), label),
    ("sure_right", sure, keras.losses.SparseCategoricalCrossentropy(), label),
    ("sure_wrong_sparse", sure, keras.losses.SparseCategoricalCrossentropy(from_logits=True), label),
    ("sure_wrong_onehot", sure, keras.losses.CategoricalCrossentropy(from_logits=True), onehot),
]:
    out[name], out[name + "_warnings"] = evaluate(model, loss, y)

# Training does not help on torch: fit the wrong combination on a separable
# problem and evaluate it.
keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(512, 10)).astype("float32")
y = x.argmax(axis=1)
model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(10, activation="softmax")])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    model.compile(optimizer=keras.optimizers.Adam(0.1),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x, y, epochs=30, batch_size=64, verbose=0)
    out["trained_wrong_loss"], out["trained_wrong_accuracy"] = map(
        float, model.evaluate(x, y, verbose=0))

# 2. Clipping. A probability of 0 given directly: clipped on both backends.
p = np.full((1, 10), 1 / 9, "float32")
p[0, 0] = 0.0
out["clip_given_probabilities"] = float(
    keras.losses.SparseCategoricalCrossentropy()(label, p))
out["clip_given_probability_binary"] = float(
    keras.losses.BinaryCrossentropy()(np.ones((1, 1), "float32"), np.zeros((1, 1), "float32")))
# A sigmoid output layer with logit -40 for a positive sample: p = 4e-18.
out["sigmoid_layer_logit_minus_40"], _ = evaluate(
    dense_model([-40.0], "sigmoid"), keras.losses.BinaryCrossentropy(),
    np.ones((1, 1), "float32"))
out["sigmoid_wrong"], out["sigmoid_wrong_warnings"] = evaluate(
    dense_model([3.0], "sigmoid"), keras.losses.BinaryCrossentropy(from_logits=True),
    np.ones((1, 1), "float32"))

# 3. Export.
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(2)])
x1 = np.linspace(-1, 1, 4, dtype="float32").reshape(1, 4)
expected = model.predict(x1, verbose=0)
if backend == "tensorflow":
    import tensorflow as tf
    path = os.path.join(workdir, "saved_model")
    model.export(path, format="tf_saved_model", verbose=False)
    reloaded = tf.saved_model.load(path)  # keep a reference: it owns the variables
    served = reloaded.serve(x1).numpy()
    out["saved_model_gap"] = float(np.abs(served - expected).max())
    path = os.path.join(workdir, "model.tflite")
    model.export(path, format="litert", verbose=False)
    with open(path, "rb") as f:
        out["litert_magic"] = f.read(8)[4:].decode("ascii", "replace")
if backend == "torch":
    import torch
    path = os.path.join(workdir, "model.pt2")
    model.export(path, format="torch", verbose=False)
    program = torch.export.load(path)
    got = program.module()(torch.from_numpy(x1)).detach().numpy()
    out["keras_torch_export_gap"] = float(np.abs(got - expected).max())

    # Plain PyTorch: softmax in front of CrossEntropyLoss, a completely sure model.
    logits = torch.tensor([[20.0] + [0.0] * 9])
    out["torch_ce_after_softmax"] = float(
        torch.nn.CrossEntropyLoss()(torch.softmax(logits, dim=1), torch.tensor([0])))

    # Plain PyTorch: TorchScript and torch.export.
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.jit.script(net)
    out["jit_script_warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.jit.trace(net, torch.zeros(1, 4))
    out["jit_trace_warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
    xt = torch.randn(3, 4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exported = torch.export.export(net, (xt,))
    out["torch_export_warnings"] = [str(w.message) for w in caught]
    path = os.path.join(workdir, "net.pt2")
    torch.export.save(exported, path)
    reloaded = torch.export.load(path).module()
    out["torch_export_gap"] = float((reloaded(xt) - net(xt)).abs().max())

print("RESULTS " + json.dumps(out))
'''


# Under pytest-xdist (--dist loadgroup) all the tests of one backend go to one
# worker, so that each probe process runs once; the two backends run side by side.
BACKENDS = [
    pytest.param(b, id=b, marks=pytest.mark.xdist_group(f"backend-claims-{b}"))
    for b in runner.keras_backends()
]


@pytest.fixture(scope="module", params=BACKENDS)
def probe(request, offline_dir, tmp_path_factory):
    backend = request.param
    home = tmp_path_factory.mktemp(f"probe-{backend}")
    script = home / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    # A Keras run like a snippet's (tools/runner.py), in the probe's folder.
    proc = runner.run_snippet(script, offline_dir, home, backend=backend, timeout=300)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULTS ")]
    assert proc.returncode == 0 and lines, (
        f"probe failed under KERAS_BACKEND={backend}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    results = json.loads(lines[-1][len("RESULTS ") :])
    assert results["backend"] == backend
    return results


def neg_log_softmax(logits, label):
    m = max(logits)
    return -(logits[label] - m - math.log(sum(math.exp(z - m) for z in logits)))


def double_softmax_floor(k: int) -> float:
    """The smallest loss of a softmax output fed to a loss with from_logits=True:
    a one-hot probability vector gives softmax(p)_y = e / (e + k - 1)."""
    return math.log(1 + (k - 1) / math.e)


def test_the_page_floor_is_log_1_plus_9_over_e():
    # "cannot push the loss below about 1.46 with 10 classes"
    assert round(double_softmax_floor(K), 2) == 1.46


def test_double_softmax_on_the_torch_backend(probe):
    if probe["backend"] != "torch":
        pytest.skip("this claim is about the PyTorch backend")
    # The page's NumPy example gives 0.0509 (right) and 0.5838 (twice): so does Keras.
    assert probe["page_right"] == pytest.approx(neg_log_softmax([4.0, 1.0, -2.0], 0), abs=1e-4)
    assert probe["page_wrong"] == pytest.approx(0.5838, abs=1e-4)
    # A completely sure, correct prediction cannot go below the floor, in both losses.
    floor = double_softmax_floor(K)
    for name in ("sure_wrong_sparse", "sure_wrong_onehot"):
        assert probe[name] == pytest.approx(floor, abs=1e-4)
        assert probe[name] >= 1.46
        assert probe[name + "_warnings"] == []  # silently wrong
    # Training does not get it lower either, although every sample is right.
    assert probe["trained_wrong_accuracy"] >= 0.95
    assert probe["trained_wrong_loss"] >= floor - 1e-4
    assert probe["sure_right"] < 1e-6
    # The same floor for PyTorch's own CrossEntropyLoss after a softmax.
    assert probe["torch_ce_after_softmax"] == pytest.approx(floor, abs=1e-4)


def test_tensorflow_backend_uses_the_logits_and_warns(probe):
    if probe["backend"] != "tensorflow":
        pytest.skip("this claim is about the TensorFlow backend")
    assert probe["page_wrong"] == pytest.approx(neg_log_softmax([4.0, 1.0, -2.0], 0), abs=1e-4)
    assert probe["page_wrong"] == pytest.approx(probe["page_right"], abs=1e-6)
    for name in ("page_wrong", "sure_wrong_sparse", "sure_wrong_onehot"):
        assert any(
            "received `from_logits=True`, but the `output` argument was produced by a Softmax activation" in m
            for m in probe[name + "_warnings"]
        ), probe[name + "_warnings"]
    assert probe["sure_wrong_sparse"] < 1e-6
    assert probe["sure_wrong_onehot"] < 1e-6
    assert probe["trained_wrong_loss"] < 0.5  # far below the torch floor of 1.46
    assert probe["page_right_warnings"] == []
    # The same for a sigmoid output with BinaryCrossentropy(from_logits=True).
    assert probe["sigmoid_wrong"] == pytest.approx(math.log1p(math.exp(-3.0)), abs=1e-5)
    assert any("Sigmoid activation" in m for m in probe["sigmoid_wrong_warnings"])


def test_sigmoid_applied_twice_on_the_torch_backend(probe):
    if probe["backend"] != "torch":
        pytest.skip("this claim is about the PyTorch backend")
    p = 1 / (1 + math.exp(-3.0))
    assert probe["sigmoid_wrong"] == pytest.approx(math.log1p(math.exp(-p)), abs=1e-5)
    assert probe["sigmoid_wrong_warnings"] == []


def test_clipping_of_probabilities(probe):
    assert probe["epsilon"] == EPSILON
    clipped = -math.log(EPSILON)  # 16.12
    # Probabilities handed to the loss are clipped on every backend.
    assert probe["clip_given_probabilities"] == pytest.approx(clipped, rel=1e-5)
    assert probe["clip_given_probability_binary"] == pytest.approx(clipped, rel=1e-5)
    assert round(clipped, 1) == 16.1  # "at most about 16.1"
    # A sigmoid output layer: clipped on torch, computed from the logit on tensorflow.
    if probe["backend"] == "tensorflow":
        assert probe["sigmoid_layer_logit_minus_40"] == pytest.approx(40.0, rel=1e-5)
    else:
        assert probe["sigmoid_layer_logit_minus_40"] == pytest.approx(clipped, rel=1e-5)


def test_keras_export_formats(probe):
    if probe["backend"] == "tensorflow":
        assert probe["saved_model_gap"] < 1e-6
        assert probe["litert_magic"] == "TFL3"  # a LiteRT (TFLite) flatbuffer
    else:
        assert probe["keras_torch_export_gap"] < 1e-6


def test_torchscript_is_deprecated_and_torch_export_works(probe):
    if probe["backend"] != "torch":
        pytest.skip("runs in the PyTorch-backend process")
    # torch 2.13 warns with DeprecationWarning; 2.14 with FutureWarning, which
    # Python shows by default (the pages name both).
    assert any(
        re.match(
            r"(Deprecation|Future)Warning: `torch\.jit\.script` is deprecated\. "
            r"Please switch to `torch\.compile` or `torch\.export`\.",
            m,
        )
        for m in probe["jit_script_warnings"]
    ), probe["jit_script_warnings"]
    assert any(
        re.match(r"(Deprecation|Future)Warning: `torch\.jit\.trace` is deprecated\. ", m)
        for m in probe["jit_trace_warnings"]
    ), probe["jit_trace_warnings"]
    assert probe["torch_export_warnings"] == []
    assert probe["torch_export_gap"] < 1e-6
