# %% [markdown]
# # The shapes of a dense layer in Keras: Dense stores its kernel as (in, out)
#
# Runs on any Keras 3 backend: `KERAS_BACKEND=tensorflow python dense_keras.py`.

# %%
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # must be set before importing keras

import keras
from keras import ops

SEED = 0
keras.utils.set_random_seed(SEED)

# --8<-- [start:layer]
layer = keras.layers.Dense(2)  # 2 outputs; the number of inputs is read from the data
x = keras.random.normal((4, 3), seed=SEED)  # a batch of 4 samples, one per row
out = layer(x)  # the first call builds the weights
print("kernel:", tuple(layer.kernel.shape), "bias:", tuple(layer.bias.shape))  # (3, 2), (2,)
formula = ops.matmul(x, layer.kernel) + layer.bias  # x @ W + b
print("x:", tuple(x.shape), "-> out:", tuple(out.shape))
# --8<-- [end:layer]
gap = ops.max(ops.abs(out - formula))
print(f"layer_gap={float(ops.convert_to_numpy(gap)):.1e}")
