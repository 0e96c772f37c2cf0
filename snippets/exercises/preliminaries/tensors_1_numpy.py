# %% [markdown]
# # Exercise: the broadcasting rule written as a function
#
# broadcast_shape(a, b) applies the rule stated on the page; it is compared
# with NumPy's own np.broadcast_shapes on 2,000 random pairs of shapes
# (sizes 0 to 3, so that an empty dimension is among them).

# %%
import numpy as np

SEED = 0
rng = np.random.default_rng(SEED)


def broadcast_shape(a, b):
    """The shape of a + b, or None when the shapes are incompatible."""
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)  # missing leading dimensions count as 1
    b = (1,) * (n - len(b)) + tuple(b)
    out = []
    for da, db in zip(a, b):  # compare from the last dimension, pair by pair
        if da != db and 1 not in (da, db):
            return None  # different, and neither is 1
        out.append(db if da == 1 else da)  # a dimension of 1 takes the other's size
    return tuple(out)


def random_shape():
    return tuple(int(d) for d in rng.choice([0, 1, 2, 3], size=rng.integers(0, 4)))


pairs, mismatches, incompatible = 2000, 0, 0
for _ in range(pairs):
    a, b = random_shape(), random_shape()
    ours = broadcast_shape(a, b)
    try:
        numpy_shape = np.broadcast_shapes(a, b)
    except ValueError:
        numpy_shape = None
    incompatible += numpy_shape is None
    mismatches += ours != numpy_shape
print("(3, 1) and (4,):", broadcast_shape((3, 1), (4,)))
print("(2, 3) and (3, 2):", broadcast_shape((2, 3), (3, 2)))
print("(5, 1, 4) and (3, 1):", broadcast_shape((5, 1, 4), (3, 1)))
print("(0,) and (1,):", broadcast_shape((0,), (1,)))  # 0, not max(0, 1)
print(f"pairs={pairs} incompatible={incompatible} mismatches={mismatches}")
