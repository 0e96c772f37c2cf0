# %% [markdown]
# # Tensors in NumPy: creation, indexing, reshaping, broadcasting, matrix products
#
# The same operations as tensors_torch.py and tensors_keras.py. At the end,
# every result is checked against its definition written out as Python loops.

# %%
# --8<-- [start:create]
import numpy as np

SEED = 0
rng = np.random.default_rng(SEED)

x = np.arange(12, dtype=np.float32).reshape(3, 4)  # the numbers 0..11 in 3 rows
print("x.shape:", x.shape, "x.ndim:", x.ndim, "x.dtype:", x.dtype)
print(x)
print("zeros:", np.zeros((2, 3)).shape, "ones:", np.ones(4).dtype)
print("normal:", rng.normal(size=(2, 3)).shape)
# Default types: Python ints -> int64, Python floats -> float64.
print("dtypes:", np.array([1, 2, 3]).dtype, np.array([1.0, 2.0]).dtype)
print("astype:", x.astype(np.float64).dtype)  # converting makes a new array
# --8<-- [end:create]

# %% Indexing and slicing
# --8<-- [start:index]
print("x[1]:", x[1])  # row 1
print("x[:, 1]:", x[:, 1])  # column 1
print("x[1:, ::2]:", x[1:, ::2].tolist())  # rows 1.., every second column
print("x[-1, -1]:", x[-1, -1])  # the last element
print("x[[0, 2]]:", x[[0, 2]].tolist())  # rows 0 and 2 (a copy)
print("x[x > 8]:", x[x > 8])  # a boolean mask keeps the elements > 8
print("where:", np.where(x > 8, x, 0.0)[2])  # the same test, shape kept
# --8<-- [end:index]

# %% Reshaping
# --8<-- [start:reshape]
r = x.reshape(4, 3)  # the same 12 numbers read row by row, 4 rows of 3
t = x.T  # transpose: rows become columns, shape (4, 3) too
print("reshape(4, 3)[0]:", r[0], " T[0]:", t[0])
print("reshape(-1):", x.reshape(-1).shape)  # -1: the size that fits
col = x[:, 0][:, None]  # add an axis: (3,) -> (3, 1), same as np.expand_dims
print("col:", col.shape, "squeezed:", col.squeeze(1).shape)
# --8<-- [end:reshape]

# %% Broadcasting
# --8<-- [start:broadcast]
row = np.array([10.0, 20.0, 30.0, 40.0], dtype=np.float32)  # shape (4,)
column = np.array([[1.0], [2.0], [3.0]], dtype=np.float32)  # shape (3, 1)
print("x + row:", (x + row).shape)  # (3, 4) + (4,) -> (3, 4)
print("column - row:", (column - row).shape)  # (3, 1) - (4,) -> (3, 4)
print((column - row).tolist())
try:
    np.ones(3) + np.ones(4)  # (3,) + (4,): 3 != 4 and neither is 1
except ValueError as err:
    print("ValueError:", err)
# --8<-- [end:broadcast]

# %% Matrix products
# --8<-- [start:matmul]
A = np.arange(8, dtype=np.float32).reshape(4, 2)
print("x @ A:", (x @ A).shape, (x @ A).tolist())  # (3, 4) @ (4, 2) -> (3, 2)
print("x * x:", (x * x)[0])  # * multiplies element by element
batch = np.arange(24, dtype=np.float32).reshape(2, 3, 4)  # 2 matrices (3, 4)
print("batch @ A:", (batch @ A).shape)  # (2, 3, 4) @ (4, 2) -> (2, 3, 2)
B = np.ones((2, 4, 5), dtype=np.float32)
print("batch @ B:", (batch @ B).shape)  # (2, 3, 4) @ (2, 4, 5) -> (2, 3, 5)
print("einsum:", np.einsum("bij,bjk->bik", batch, B).shape)
# --8<-- [end:matmul]

# %% Check every result against its definition, written as loops
gaps = []
flat = x.reshape(-1)
gaps.append(max(abs(flat[i * 4 + j] - x[i, j]) for i in range(3) for j in range(4)))
gaps.append(max(abs(r[i, j] - flat[i * 3 + j]) for i in range(4) for j in range(3)))
gaps.append(max(abs(t[j, i] - x[i, j]) for i in range(3) for j in range(4)))
gaps.append(max(abs((x + row)[i, j] - (x[i, j] + row[j])) for i in range(3) for j in range(4)))
diff = column - row
gaps.append(max(abs(diff[i, j] - (column[i, 0] - row[j])) for i in range(3) for j in range(4)))


def matmul_loops(P, Q):
    return np.array(
        [
            [sum(P[i, k] * Q[k, j] for k in range(P.shape[1])) for j in range(Q.shape[1])]
            for i in range(P.shape[0])
        ]
    )


gaps.append(np.abs(x @ A - matmul_loops(x, A)).max())
gaps.append(max(np.abs((batch @ A)[n] - matmul_loops(batch[n], A)).max() for n in range(2)))
gaps.append(max(np.abs((batch @ B)[n] - matmul_loops(batch[n], B[n])).max() for n in range(2)))
print(f"checks={len(gaps)} max_gap={max(gaps):g}")
