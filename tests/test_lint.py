"""The Python of the project (snippets, tools, tests) passes ruff's linter and
is formatted by ruff, so that a contributor's snippet looks like the rest.
Fix with `.venv/bin/ruff check --fix` and `.venv/bin/ruff format`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools import runner

PATHS = ["snippets", "tools", "tests"]


def ruff(*args: str, cwd: Path = runner.REPO) -> subprocess.CompletedProcess:
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if exe is None:
        pytest.fail("ruff is not installed: `make test` installs it (the test group)")
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True)


def test_lint():
    proc = ruff("check", "--no-cache", *PATHS)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_format():
    proc = ruff("format", "--check", "--no-cache", *PATHS)
    assert proc.returncode == 0, (
        "run `.venv/bin/ruff format snippets tools tests`:\n" + proc.stdout[-4000:] + proc.stderr[-2000:]
    )


def test_the_checks_refuse_a_sloppy_snippet(tmp_path):
    shutil.copy(runner.REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "x_numpy.py").write_text(
        "import os, sys\nimport numpy as np\nx = np.zeros( 3 )\nprint(f'value={x.sum()}')\n", encoding="utf-8"
    )
    lint = ruff("check", "--no-cache", "snippets", cwd=tmp_path)
    assert lint.returncode == 1 and "F401" in lint.stdout and "E401" in lint.stdout, lint.stdout
    fmt = ruff("format", "--check", "--no-cache", "snippets", cwd=tmp_path)
    assert fmt.returncode == 1 and "x_numpy.py" in fmt.stdout, fmt.stdout
