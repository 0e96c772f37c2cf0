# %% [markdown]
# # Tensors with keras.ops: creation, indexing, reshaping, broadcasting, matrix products
#
# The same operations as tensors_numpy.py and tensors_torch.py, written with
# keras.ops so that they run on any Keras 3 backend:
# `KERAS_BACKEND=tensorflow python tensors_keras.py`. At the end, every result
# is compared with what NumPy computes from the same numbers.

# %%
# --8<-- [start:create]
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # must be set before importing keras

import keras
import numpy as np
from keras import ops

SEED = 0
keras.utils.set_random_seed(SEED)


def dtype(t):
    return keras.backend.standardize_dtype(t.dtype)  # "float32" on every backend


def show(t):
    return ops.convert_to_numpy(t).tolist()  # a backend tensor as a Python list


x = ops.reshape(ops.arange(12, dtype="float32"), (3, 4))
print("backend:", keras.backend.backend(), type(x).__name__)  # the backend's own tensor type
print("x.shape:", ops.shape(x), "x.ndim:", ops.ndim(x), "x.dtype:", dtype(x))
print(show(x))
print("zeros:", ops.shape(ops.zeros((2, 3))), "ones:", dtype(ops.ones(4)))
print("normal:", ops.shape(keras.random.normal((2, 3), seed=SEED)))
# Default types: Python ints -> int32, Python floats -> float32 (keras.config.floatx()).
print("dtypes:", dtype(ops.convert_to_tensor([1, 2, 3])), dtype(ops.convert_to_tensor([1.0, 2.0])))
print("from NumPy:", dtype(ops.convert_to_tensor(np.zeros(2))))  # keeps NumPy's float64
print("cast:", dtype(ops.cast(x, "float64")))  # converting makes a new tensor
# --8<-- [end:create]

# %% Indexing and slicing
# --8<-- [start:index]
print("x[1]:", show(x[1]))  # row 1
print("x[:, 1]:", show(x[:, 1]))  # column 1
print("x[1:, ::2]:", show(x[1:, ::2]))  # rows 1.., every second column
print("x[-1, -1]:", float(x[-1, -1]))
print("take:", show(ops.take(x, [0, 2], axis=0)))  # rows 0 and 2, as x[[0, 2]]
# keras.ops has no function for a boolean mask x[x > 8], whose length depends
# on the data; ops.where applies the same test and keeps the shape.
print("where:", show(ops.where(x > 8, x, 0.0)[2]))
# --8<-- [end:index]

# %% Reshaping
# --8<-- [start:reshape]
r = ops.reshape(x, (4, 3))  # the same 12 numbers read row by row, 4 rows of 3
t = ops.transpose(x)  # rows become columns, shape (4, 3) too
print("reshape(4, 3)[0]:", show(r[0]), " T[0]:", show(t[0]))
print("reshape(-1):", ops.shape(ops.reshape(x, (-1,))))  # -1: the size that fits
col = ops.expand_dims(x[:, 0], axis=1)  # add an axis: (3,) -> (3, 1)
print("col:", ops.shape(col), "squeezed:", ops.shape(ops.squeeze(col, axis=1)))
# --8<-- [end:reshape]

# %% Broadcasting
# --8<-- [start:broadcast]
row = ops.convert_to_tensor([10.0, 20.0, 30.0, 40.0])  # shape (4,)
column = ops.convert_to_tensor([[1.0], [2.0], [3.0]])  # shape (3, 1)
print("x + row:", ops.shape(x + row))  # (3, 4) + (4,) -> (3, 4)
print("column - row:", ops.shape(column - row))  # (3, 1) - (4,) -> (3, 4)
print(show(column - row))
try:
    ops.ones(3) + ops.ones(4)  # (3,) + (4,): 3 != 4 and neither is 1
except Exception as err:  # the error type is the backend's own
    print("refused by the backend:", type(err).__name__)
# --8<-- [end:broadcast]

# %% Matrix products
# --8<-- [start:matmul]
A = ops.reshape(ops.arange(8, dtype="float32"), (4, 2))
print("x @ A:", ops.shape(ops.matmul(x, A)), show(ops.matmul(x, A)))  # (3, 4) @ (4, 2)
print("x * x:", show((x * x)[0]))  # * multiplies element by element
batch = ops.reshape(ops.arange(24, dtype="float32"), (2, 3, 4))
print("batch @ A:", ops.shape(ops.matmul(batch, A)))  # (2, 3, 4) @ (4, 2) -> (2, 3, 2)
B = ops.ones((2, 4, 5))
print("batch @ B:", ops.shape(ops.matmul(batch, B)))  # (2, 3, 4) @ (2, 4, 5) -> (2, 3, 5)
print("einsum:", ops.shape(ops.einsum("bij,bjk->bik", batch, B)))
# --8<-- [end:matmul]

# %% Check: NumPy computes the same numbers from the same inputs
n = {
    name: ops.convert_to_numpy(v)
    for name, v in {"x": x, "row": row, "column": column, "A": A, "batch": batch, "B": B}.items()
}
pairs = [
    (x[1:, ::2], n["x"][1:, ::2]),
    (ops.take(x, [0, 2], axis=0), n["x"][[0, 2]]),
    (ops.where(x > 8, x, 0.0), np.where(n["x"] > 8, n["x"], 0.0)),
    (r, n["x"].reshape(4, 3)),
    (t, n["x"].T),
    (x + row, n["x"] + n["row"]),
    (column - row, n["column"] - n["row"]),
    (ops.matmul(x, A), n["x"] @ n["A"]),
    (ops.matmul(batch, A), n["batch"] @ n["A"]),
    (ops.matmul(batch, B), n["batch"] @ n["B"]),
]
gaps = []
for ours, numpy_result in pairs:
    ours = ops.convert_to_numpy(ours)
    assert ours.shape == numpy_result.shape
    gaps.append(np.abs(ours - numpy_result).max())
print(f"checks={len(gaps)} max_gap={max(gaps):g}")
