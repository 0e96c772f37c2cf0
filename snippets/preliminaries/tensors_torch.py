# %% [markdown]
# # Tensors in PyTorch: creation, indexing, reshaping, broadcasting, matrix products
#
# The same operations as tensors_numpy.py and tensors_keras.py. At the end,
# every result is compared with what NumPy computes from the same numbers.

# %%
# --8<-- [start:create]
import numpy as np
import torch

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

x = torch.arange(12, dtype=torch.float32, device=device).reshape(3, 4)
print("x.shape:", tuple(x.shape), "x.ndim:", x.ndim, "x.dtype:", x.dtype)
print(x.tolist())
print("zeros:", tuple(torch.zeros(2, 3).shape), "ones:", torch.ones(4).dtype)
print("normal:", tuple(torch.randn(2, 3).shape))
# Default types: Python ints -> int64, Python floats -> float32 (not float64).
print("dtypes:", torch.tensor([1, 2, 3]).dtype, torch.tensor([1.0, 2.0]).dtype)
print("from NumPy:", torch.from_numpy(np.zeros(2)).dtype)  # keeps NumPy's float64
print("to:", x.to(torch.float64).dtype)  # converting makes a new tensor
# --8<-- [end:create]

# %% Indexing and slicing
# --8<-- [start:index]
print("x[1]:", x[1].tolist())  # row 1
print("x[:, 1]:", x[:, 1].tolist())  # column 1
print("x[1:, ::2]:", x[1:, ::2].tolist())  # rows 1.., every second column
print("x[-1, -1]:", x[-1, -1].item())  # .item(): a one-element tensor as a Python number
print("x[[0, 2]]:", x[[0, 2]].tolist())  # rows 0 and 2 (a copy)
print("x[x > 8]:", x[x > 8].tolist())  # a boolean mask keeps the elements > 8
print("where:", torch.where(x > 8, x, 0.0)[2].tolist())  # the same test, shape kept
# --8<-- [end:index]

# %% Reshaping
# --8<-- [start:reshape]
r = x.reshape(4, 3)  # the same 12 numbers read row by row, 4 rows of 3
t = x.T  # transpose: rows become columns, shape (4, 3) too
print("reshape(4, 3)[0]:", r[0].tolist(), " T[0]:", t[0].tolist())
print("reshape(-1):", tuple(x.reshape(-1).shape))  # -1: the size that fits
col = x[:, 0].unsqueeze(1)  # add an axis: (3,) -> (3, 1), same as x[:, 0][:, None]
print("col:", tuple(col.shape), "squeezed:", tuple(col.squeeze(1).shape))
# --8<-- [end:reshape]

# %% Broadcasting
# --8<-- [start:broadcast]
row = torch.tensor([10.0, 20.0, 30.0, 40.0], device=device)  # shape (4,)
column = torch.tensor([[1.0], [2.0], [3.0]], device=device)  # shape (3, 1)
print("x + row:", tuple((x + row).shape))  # (3, 4) + (4,) -> (3, 4)
print("column - row:", tuple((column - row).shape))  # (3, 1) - (4,) -> (3, 4)
print((column - row).tolist())
try:
    torch.ones(3) + torch.ones(4)  # (3,) + (4,): 3 != 4 and neither is 1
except RuntimeError as err:
    print("RuntimeError:", err)
# --8<-- [end:broadcast]

# %% Matrix products
# --8<-- [start:matmul]
A = torch.arange(8, dtype=torch.float32, device=device).reshape(4, 2)
print("x @ A:", tuple((x @ A).shape), (x @ A).tolist())  # (3, 4) @ (4, 2) -> (3, 2)
print("x * x:", (x * x)[0].tolist())  # * multiplies element by element
batch = torch.arange(24, dtype=torch.float32, device=device).reshape(2, 3, 4)
print("batch @ A:", tuple((batch @ A).shape))  # (2, 3, 4) @ (4, 2) -> (2, 3, 2)
B = torch.ones(2, 4, 5, device=device)
print("batch @ B:", tuple((batch @ B).shape))  # (2, 3, 4) @ (2, 4, 5) -> (2, 3, 5)
print("bmm:", tuple(torch.bmm(batch, B).shape))  # 3-D only, no broadcasting
print("einsum:", tuple(torch.einsum("bij,bjk->bik", batch, B).shape))
# --8<-- [end:matmul]

# %% Check: NumPy computes the same numbers from the same inputs
n = {
    name: v.cpu().numpy()
    for name, v in {"x": x, "row": row, "column": column, "A": A, "batch": batch, "B": B}.items()
}
pairs = [
    (x[1:, ::2], n["x"][1:, ::2]),
    (x[x > 8], n["x"][n["x"] > 8]),
    (r, n["x"].reshape(4, 3)),
    (t, n["x"].T),
    (x + row, n["x"] + n["row"]),
    (column - row, n["column"] - n["row"]),
    (x @ A, n["x"] @ n["A"]),
    (batch @ A, n["batch"] @ n["A"]),
    (batch @ B, n["batch"] @ n["B"]),
    (torch.bmm(batch, B), n["batch"] @ n["B"]),
]
gaps = []
for ours, numpy_result in pairs:
    assert tuple(ours.shape) == numpy_result.shape
    gaps.append(np.abs(ours.cpu().numpy() - numpy_result).max())
print(f"checks={len(gaps)} max_gap={max(gaps):g}")
