# %% [markdown]
# # Exercise: validation_split takes the last 10%, before any shuffling
#
# Keras' fit(..., validation_split=0.1) holds out the LAST 10% of the arrays
# as given (keras/src/trainers/data_adapters/array_slicing.py,
# train_validation_split); fit's shuffle=True shuffles only the remaining
# training part. Here the split is made the same way on three orders of the
# training images: the file's order (as on the page), sorted by label, and
# sorted then shuffled once with a seeded permutation.

# %%
import urllib.request
from pathlib import Path

import numpy as np

SEED = 42
rng = np.random.default_rng(SEED)

# %% Data: the same mnist.npz file that keras.datasets.mnist.load_data() uses
MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"


def load_mnist(path=Path("data") / "mnist.npz"):
    """Return (x_train, y_train), (x_test, y_test) as uint8 arrays."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        try:
            urllib.request.urlretrieve(MNIST_URL, part)
        except OSError as err:
            raise SystemExit(
                f"Could not download {MNIST_URL}: {err}\n"
                f"Download mnist.npz by hand and save it as {path.resolve()}"
            ) from err
        part.replace(path)
    with np.load(path) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


(x_train, y_train), _ = load_mnist()


def last_fraction(y, validation_split=0.1):
    """The labels Keras would hold out: everything from floor(n (1 - split)) on."""
    split_at = int(np.floor(len(y) * (1.0 - validation_split)))
    return y[split_at:]


# %%
sorted_order = np.argsort(y_train, kind="stable")
orders = {
    "as_given": np.arange(len(y_train)),
    "sorted": sorted_order,
    "sorted_shuffled": sorted_order[rng.permutation(len(y_train))],
}
results = {}
for name, order in orders.items():
    y_val = last_fraction(y_train[order])
    classes = np.unique(y_val)
    # A "model" that answers 9 for every image, scored on that validation set.
    always_9 = float((y_val == 9).mean())
    results[name] = (len(classes), always_9)
    print(f"{name:16s} validation labels: {classes.tolist()}, accuracy of always answering 9: {always_9:.4f}")
print(
    f"as_given_val_classes={results['as_given'][0]} sorted_val_classes={results['sorted'][0]} "
    f"sorted_always_9_val_accuracy={results['sorted'][1]:.4f} "
    f"shuffled_val_classes={results['sorted_shuffled'][0]}"
)
