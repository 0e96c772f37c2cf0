"""The offline datasets have the real loaders' shapes and dtypes, reach the
snippets through the real loader boundary, and the network stays blocked."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from tools import runner
from tools.offline import datasets


def test_mnist_npz_matches_the_real_file_format(offline_dir):
    with np.load(offline_dir / "mnist.npz", allow_pickle=False) as f:
        assert sorted(f.files) == ["x_test", "x_train", "y_test", "y_train"]
        x_train, y_train, x_test, y_test = (f[k] for k in ("x_train", "y_train", "x_test", "y_test"))
    # The real file: x uint8 (n, 28, 28) in 0..255, y uint8 (n,) in 0..9.
    assert x_train.shape == (4000, 28, 28) and x_test.shape == (1000, 28, 28)
    assert y_train.shape == (4000,) and y_test.shape == (1000,)
    for a in (x_train, y_train, x_test, y_test):
        assert a.dtype == np.uint8
    assert x_train.max() == 255 and x_train.min() == 0
    assert np.bincount(y_train).tolist() == [400] * 10
    assert np.bincount(y_test).tolist() == [100] * 10
    # Held out: no test image is also a training image.
    train = {img.tobytes() for img in x_train}
    assert not any(img.tobytes() in train for img in x_test)


def _run_code(code, offline_dir, tmp_path, backend=None):
    script = tmp_path / "probe.py"
    script.write_text(textwrap.dedent(code))
    return runner.run_snippet(script, offline_dir, tmp_path, backend=backend)


def test_keras_loader_reads_the_offline_file(offline_dir, tmp_path):
    run = _run_code(
        """
        import keras
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        print(x_train.shape, x_train.dtype, y_train.shape, y_train.dtype, x_test.shape)
        """,
        offline_dir,
        tmp_path,
        backend="torch",
    )
    assert run.returncode == 0, run.describe()
    assert "(4000, 28, 28) uint8 (4000,) uint8 (1000, 28, 28)" in run.stdout


def test_urlretrieve_of_the_mnist_url_gets_the_offline_file(offline_dir, tmp_path):
    run = _run_code(
        f"""
        import urllib.request, numpy as np
        path, _ = urllib.request.urlretrieve({datasets.MNIST_URL!r}, "mnist.npz")
        print(np.load(path)["x_test"].shape)
        """,
        offline_dir,
        tmp_path,
    )
    assert run.returncode == 0, run.describe()
    assert "(1000, 28, 28)" in run.stdout


@pytest.mark.parametrize("url", ["https://example.com/data.npz", "http://127.0.0.1:9/x"])
def test_any_other_download_fails_in_a_snippet_process(offline_dir, tmp_path, url):
    run = _run_code(
        f"""
        import urllib.request
        urllib.request.urlretrieve({url!r}, "data.npz")
        """,
        offline_dir,
        tmp_path,
    )
    assert run.returncode != 0
    assert "SocketBlockedError" in run.stderr, run.describe()


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_network_is_blocked_in_the_test_process():
    import socket

    from pytest_socket import SocketBlockedError

    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_cifar10_standin_through_keras_and_the_real_archive_format(offline_dir, tmp_path):
    run = _run_code(
        """
        import keras, numpy as np
        (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
        # The real loader: (50000, 32, 32, 3) uint8 and (50000, 1) uint8.
        print(x_train.shape, x_train.dtype, y_train.shape, y_train.dtype, x_test.shape, y_test.shape)
        print("per_class", sorted(set(np.bincount(y_train.ravel()).tolist())))
        """,
        offline_dir,
        tmp_path,
        backend="torch",
    )
    assert run.returncode == 0, run.describe()
    assert "(2000, 32, 32, 3) uint8 (2000, 1) uint8 (500, 32, 32, 3) (500, 1)" in run.stdout
    assert "per_class [200]" in run.stdout
