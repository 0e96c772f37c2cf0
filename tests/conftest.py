from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tools import checks  # noqa: E402
from tools.offline import datasets  # noqa: E402


def pytest_xdist_auto_num_workers(config):
    """-n auto: one worker more than there are cores. The browser tests spend
    part of their time waiting (for a page's network to go idle, for the
    theme's scripts), and the extra worker's snippet runs fill those waits
    (measured on 2 cores: 530 s with 3 workers against 575-630 s with 2)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1 if cores > 1 else 1


def pytest_addoption(parser):
    parser.addoption(
        "--device",
        choices=["cpu", "cuda"],
        default="cpu",
        help="device for the snippet tests: cpu (default; CUDA is hidden from "
        "snippets) or cuda (a CUDA GPU must be present and be used)",
    )


@pytest.fixture(scope="session")
def device(request) -> str:
    dev = request.config.getoption("--device")
    if dev == "cuda":
        import torch

        if not torch.cuda.is_available():
            pytest.fail("--device cuda was given, but torch sees no CUDA device")
    return dev


@pytest.fixture(scope="session")
def offline_dir(tmp_path_factory) -> Path:
    """Offline copies of the datasets the snippets download (built once)."""
    return datasets.prepare(tmp_path_factory.mktemp("offline-data"))


REPO_URL = "https://github.com/example/dl-docs"
# Where GitHub Pages serves a project site: under a subpath of the owner's host.
SITE_URL = "https://example.github.io/dl-docs/"


def _build(out: Path, **env) -> Path:
    """`mkdocs build --strict` of the site into ``out``, with extra environment."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **env)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--clean",
            "-f",
            str(REPO / "mkdocs.yml"),
            "-d",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stderr[-6000:]}"
    return out


def _shared_build(tmp_path_factory, name: str, **env) -> Path:
    """The site built once for the whole run: under pytest-xdist each worker
    is its own process with its own session fixtures, so the first worker to
    ask builds it (in the run's shared temporary folder) and the others wait
    for it. The build's wall time is kept beside it (tests/test_budgets.py)."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    out, done = root / name, root / f"{name}.seconds"
    with FileLock(str(root / f"{name}.lock")):
        if not done.is_file():
            start = time.perf_counter()
            _build(out, **env)
            done.write_text(f"{time.perf_counter() - start:.3f}", encoding="utf-8")
    return out


def build_seconds(site: Path) -> float:
    """How long the shared build of ``site`` took."""
    return float(site.with_name(f"{site.name}.seconds").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium, one per test module (each browser module is
    one xdist group, on one worker). Without it the browser tests skip, except
    on CI (CI set), where they fail."""
    from tools import browser as b

    why = b.missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the browser tests must run, but {why}")
        pytest.skip(why)
    with b.chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built once with `mkdocs build --strict` (both languages)."""
    return _shared_build(tmp_path_factory, "site")


@pytest.fixture(scope="session")
def built_site_with_repo(tmp_path_factory) -> Path:
    """The same site built as the deploy workflow builds it: REPO_URL set
    (edit, view-source, Colab and snippet-source links) and SITE_URL a project
    site's address, under a subpath (tests/test_browser.py serves it there)."""
    return _shared_build(tmp_path_factory, "site-repo", REPO_URL=REPO_URL, SITE_URL=SITE_URL)


def pytest_collection_modifyitems(config, items):
    """pytest-codeblocks collects every ```python fence; a fence that only holds
    --8<-- includes is a snippet, run by tests/test_snippets.py instead.

    Under pytest-xdist the longest work is handed out first, so that no long
    run starts last: the browser tests (each module's stay on one worker, one
    Chromium and one set of page loads: the xdist_group in its pytestmark),
    then the snippet runs (Keras before the rest), then everything else."""

    def order(item):
        if item.get_closest_marker("browser") is not None:
            return 0
        if item.get_closest_marker("snippet") is None:
            return 3
        return 1 if "_keras.py" in item.nodeid else 2

    items.sort(key=order)
    for item in items:
        block = getattr(item, "obj", None)
        if type(item).__name__ == "TestBlock" and block is not None:
            lines = [ln for ln in block.code.splitlines() if ln.strip()]
            if lines and all(checks.INCLUDE.match(ln) for ln in lines):
                item.add_marker(pytest.mark.skip(reason="snippet include, run by test_snippets.py"))
