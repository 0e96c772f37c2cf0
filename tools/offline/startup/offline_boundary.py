"""Serve datasets offline at the loader boundary, and block the network.

Installed by sitecustomize.py in snippet processes started by the tests:

* every socket is refused (pytest-socket, raising an error that is also an
  OSError), so a hidden download fails here as it would on a machine without
  internet;
* ``urllib.request.urlretrieve(url, filename)`` for a known dataset URL copies
  the offline file instead (the PyTorch examples download this way);
* ``keras.utils.get_file`` for a known dataset URL returns the offline file,
  so ``keras.datasets.mnist.load_data()`` runs its own loading code on it;
* ``keras.datasets.cifar10.load_data()`` returns the CIFAR-10 stand-in read
  from the offline archive (Keras' own loader expects exactly 50,000 training
  images), in its shapes and dtypes: (n, 32, 32, 3) uint8 and (n, 1) uint8.

With DLDOCS_OFFLINE_NO_URLS=1 the network is blocked but nothing is served:
that is how the tests check the examples' local-file paths.

A URL that is not in the table is not served: the call goes on to the real
function and fails on the blocked socket, naming the URL.

The block covers Python's socket module, in this process and in every Python
process it starts (they inherit PYTHONPATH and DLDOCS_OFFLINE_DATA, so this
file runs in them too). torch.distributed needs no exception to it:
`torchrun --standalone` (snippets/examples/data_parallel_torch.py) meets at
localhost:0 through its C++ TCPStore, and gloo connects the processes with
its own C++ sockets; neither goes through Python's socket module
(tests/test_runner.py runs such a pair of processes under this block).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import os
import shutil
import sys
import urllib.request

# URL -> file name, read from the folder's manifest.json, which
# tools/offline/datasets.py:prepare() writes beside the files.
OFFLINE_NAMES = {}


def _offline_path(folder, url):
    name = OFFLINE_NAMES.get(url)
    if name is None:
        return None
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"offline data file {path} for {url} is missing; tools.offline.datasets.prepare() builds it"
        )
    return path


def _patch_urlretrieve(folder):
    real = urllib.request.urlretrieve

    def urlretrieve(url, filename=None, reporthook=None, data=None):
        path = _offline_path(folder, url)
        if path is None:
            return real(url, filename, reporthook, data)
        if filename is None:
            return path, None
        shutil.copyfile(path, filename)
        return filename, None

    urllib.request.urlretrieve = urlretrieve


def _patch_keras_file_utils(module, folder):
    real = module.get_file

    def get_file(fname=None, origin=None, *args, **kwargs):
        path = _offline_path(folder, origin)
        if path is None:
            return real(fname, origin, *args, **kwargs)
        return path

    module.get_file = get_file


def _read_cifar10_targz(path):
    import pickle
    import tarfile

    import numpy as np

    def batch(tar, name):
        member = tar.extractfile(f"cifar-10-batches-py/{name}")
        d = pickle.load(member, encoding="bytes")
        x = np.asarray(d[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        return x, np.asarray(d[b"labels"], dtype=np.uint8).reshape(-1, 1)

    with tarfile.open(path) as tar:
        train = [batch(tar, f"data_batch_{i}") for i in range(1, 6)]
        x_test, y_test = batch(tar, "test_batch")
    x_train = np.concatenate([x for x, _ in train])
    y_train = np.concatenate([y for _, y in train])
    return (x_train, y_train), (x_test, y_test)


def _patch_keras_cifar10(module, folder):
    url = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"

    def load_data():
        return _read_cifar10_targz(_offline_path(folder, url))

    module.load_data = load_data


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Run a patch on a module right after it executes, before others import it."""

    def __init__(self, patches):
        self.patches = patches

    def find_spec(self, name, path, target=None):
        if name not in self.patches:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        loader, patch = spec.loader, self.patches[name]
        exec_module = loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            patch(module)

        loader.exec_module = exec_and_patch
        return spec


def install(folder):
    import warnings

    import pytest_socket

    class SocketBlockedError(pytest_socket.SocketBlockedError, OSError):
        """Also an OSError, like the error a machine without internet gives
        (urllib's URLError is one), so that examples handle it the same way."""

    pytest_socket.SocketBlockedError = SocketBlockedError
    warnings.filterwarnings("ignore", message="A test tried to use socket")
    disable_socket = pytest_socket.disable_socket

    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        OFFLINE_NAMES.update(json.load(f))

    disable_socket(allow_unix_socket=True)
    if os.environ.get("DLDOCS_OFFLINE_NO_URLS") == "1":
        return
    _patch_urlretrieve(folder)
    sys.meta_path.insert(
        0,
        _PatchOnImport(
            {
                "keras.src.utils.file_utils": lambda m: _patch_keras_file_utils(m, folder),
                "keras.src.datasets.cifar10": lambda m: _patch_keras_cifar10(m, folder),
            }
        ),
    )
