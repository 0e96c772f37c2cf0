"""What the example pages tell a reader to do when a download fails works:
the files' names and places, their checksums, the PyTorch snippets' local
paths, and the clear error when the file is missing. No network is used."""

from __future__ import annotations

import hashlib
import re
import shutil
import textwrap

import pytest

from tools import runner

# Every run here blocks the network and serves no dataset (serve_urls=False):
# an environment of its own, so a prefork server of its own (tools/runner.py).
# On one pytest-xdist worker, those servers start once, not once per worker.
pytestmark = pytest.mark.xdist_group("examples-data")

EXAMPLES = runner.SNIPPETS / "examples"
PAGES = sorted((runner.DOCS / "examples").glob("*.md"))


def _probe(code, offline_dir, home):
    script = home / "probe.py"
    script.write_text(textwrap.dedent(code))
    return runner.run_snippet(script, offline_dir, home, backend="torch", serve_urls=False)


def test_checksums_on_the_pages_are_the_ones_keras_checks(offline_dir, tmp_path):
    stated = sorted(
        {
            h
            for p in PAGES + sorted((runner.REPO / "includes").rglob("*.md"))
            for h in re.findall(r"\b[0-9a-f]{64}\b", p.read_text(encoding="utf-8"))
        }
    )
    assert stated, "no SHA-256 stated on the example pages"
    run = _probe(
        """
        import inspect
        from keras.src.datasets import cifar10, mnist
        print(inspect.getsource(mnist) + inspect.getsource(cifar10))
        """,
        offline_dir,
        tmp_path,
    )
    assert run.returncode == 0, run.describe()
    for h in stated:
        assert h in run.stdout, f"SHA-256 {h} on an example page is not one Keras checks"


def test_keras_uses_a_cached_mnist_npz_without_downloading(offline_dir, tmp_path):
    cache = tmp_path / ".keras" / "datasets"
    cache.mkdir(parents=True)
    shutil.copy(offline_dir / "mnist.npz", cache / "mnist.npz")
    digest = hashlib.sha256((cache / "mnist.npz").read_bytes()).hexdigest()
    run = _probe(
        f"""
        import numpy as np
        from keras.utils import get_file
        # What mnist.load_data() calls, with this file's checksum instead of the
        # real file's: the same cache lookup, and the network is blocked.
        path = get_file(fname="mnist.npz", file_hash={digest!r},
            origin="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz")
        print(path)
        print(np.load(path)["x_train"].shape)
        """,
        offline_dir,
        tmp_path,
    )
    assert run.returncode == 0, run.describe()
    assert str(cache / "mnist.npz") in run.stdout and "(4000, 28, 28)" in run.stdout


def test_keras_uses_a_cached_cifar10_archive_without_downloading(offline_dir, tmp_path):
    cache = tmp_path / ".keras" / "datasets"
    cache.mkdir(parents=True)
    archive = cache / "cifar-10-batches-py-target_archive"
    shutil.copy(offline_dir / "cifar-10-python.tar.gz", archive)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    run = _probe(
        f"""
        import os
        from keras.utils import get_file
        from keras.src.datasets.cifar import load_batch
        path = get_file(fname="cifar-10-batches-py-target", extract=True, file_hash={digest!r},
            origin="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz")
        x, y = load_batch(os.path.join(path, "cifar-10-batches-py", "test_batch"))
        print(path, x.shape, len(y))
        """,
        offline_dir,
        tmp_path,
    )
    assert run.returncode == 0, run.describe()
    assert f"{cache / 'cifar-10-batches-py-target'} (500, 3, 32, 32) 500" in run.stdout


@pytest.mark.parametrize(
    "snippet, name, shapes",
    [
        ("mnist_dense_torch.py", "mnist.npz", ", 784)\n"),
        ("cifar10_cnn_torch.py", "cifar-10-python.tar.gz", ", 3, 32, 32)\n"),
    ],
)
def test_torch_snippet_reads_the_file_from_data_folder(offline_dir, tmp_path, snippet, name, shapes):
    """With the file saved by hand in data/ and no network, the snippet's data
    cell reads it: the cells before the model are run (training is the snippet
    test's job)."""
    source = (EXAMPLES / snippet).read_text(encoding="utf-8")
    data_cells = source[: source.index("\n# %% Model")]
    script = tmp_path / snippet
    script.write_text(data_cells + "\n", encoding="utf-8")
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    shutil.copy(offline_dir / name, home / "data" / name)
    run = runner.run_snippet(script, offline_dir, home, serve_urls=False)
    assert run.returncode == 0, run.describe()
    assert run.stdout.startswith("Using device") and run.stdout.endswith(shapes), run.describe()


@pytest.mark.parametrize(
    "snippet, backend, message",
    [
        ("mnist_cnn_torch.py", None, "Download mnist.npz by hand and save it as"),
        ("cifar10_cnn_torch.py", None, "Download cifar-10-python.tar.gz by hand and save it as"),
        ("mnist_cnn_keras.py", "torch", "Download mnist.npz by hand and put it in ~/.keras/datasets/"),
        (
            "cifar10_cnn_keras.py",
            "torch",
            "Download cifar-10-python.tar.gz by hand and put it in ~/.keras/datasets/",
        ),
    ],
)
def test_failed_download_says_what_failed_and_what_to_do(offline_dir, tmp_path, snippet, backend, message):
    run = runner.run_snippet(EXAMPLES / snippet, offline_dir, tmp_path, backend=backend, serve_urls=False)
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()
    assert any(message in line for line in last[-4:]), run.describe()
    assert "Could not" in run.stderr
