# %% [markdown]
# # Gradients of f(w, b) = (sigmoid(w x + b) - y)^2 under Keras 3
#
# Keras backends: torch, tensorflow
#
# keras.ops computes the forward pass on any backend, but it has no function
# for gradients: a gradient comes from the backend's own automatic
# differentiation. This program uses torch.autograd under the PyTorch backend
# and tf.GradientTape under TensorFlow, and checks both against the chain rule.
# `KERAS_BACKEND=tensorflow python autograd_keras.py` runs the TensorFlow branch.

# %%
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # must be set before importing keras

import keras
from keras import ops

SEED = 0
keras.utils.set_random_seed(SEED)

x, y = 1.5, 1.0
w = keras.Variable(0.8, dtype="float64", name="w")
b = keras.Variable(-0.5, dtype="float64", name="b")


def f(w, b):
    p = ops.sigmoid(w * x + b)
    return ops.square(p - y)


# --8<-- [start:backend]
backend = keras.backend.backend()
if backend == "torch":
    loss = f(w, b)
    loss.backward()  # w.value is a torch Parameter: backward() fills its .grad
    grads = [w.value.grad, b.value.grad]
elif backend == "tensorflow":
    import tensorflow as tf

    with tf.GradientTape() as tape:  # records the operations run inside
        loss = f(w, b)
    grads = tape.gradient(loss, [w, b])
else:
    raise SystemExit(f"this program shows the torch and tensorflow backends, not {backend}")
grads = [float(ops.convert_to_numpy(g)) for g in grads]
print(
    f"{backend}: loss = {float(ops.convert_to_numpy(loss)):.6f}, "
    f"dL/dw = {grads[0]:.10f}, dL/db = {grads[1]:.10f}"
)
# --8<-- [end:backend]

# %% The chain rule by hand, in keras.ops
p = ops.sigmoid(w * x + b)
dL_dz = 2 * (p - y) * p * (1 - p)
hand = [float(ops.convert_to_numpy(dL_dz * x)), float(ops.convert_to_numpy(dL_dz))]
print(f"by hand: dL/dw = {hand[0]:.10f}, dL/db = {hand[1]:.10f}")
print(f"autograd_vs_hand={max(abs(g - h) for g, h in zip(grads, hand)):.1e}")
