"""Install a dependency group of pyproject.toml into the virtual environment
that runs this script, at the versions of constraints.txt (the Makefile's
set-up: ``.venv/bin/python tools/install.py dev``).

uv does the installing: it unpacks and compiles in parallel, and sets up the
whole environment in about half of pip's time on a 2-core machine. uv does not
read pip's configuration, so the package indexes pip is set up with here are
passed on to it (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL and PIP_FIND_LINKS, or
the same settings in pip.conf: a local mirror, a folder of wheels, PyTorch's
CPU index), and uv chooses among them as pip does, the best version across
all of them (uv calls that strategy unsafe-best-match). Without uv in the
environment, pip installs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def pip_setting(name: str) -> list[str]:
    """pip's value for ``name`` (e.g. "find-links"): its PIP_ variable, or
    the last pip.conf that sets it; several values split on whitespace."""
    env = os.environ.get("PIP_" + name.upper().replace("-", "_"))
    if env:
        return env.split()
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True
    ).stdout
    values: list[str] = []
    for line in listed.splitlines():
        key, _, value = line.partition("=")
        if not key.startswith(":env:") and key.split(".", 1)[-1] == name:
            values = value.strip().strip("'\"").split()
    return values


def uv_environment() -> dict[str, str]:
    env = dict(os.environ, UV_INDEX_STRATEGY="unsafe-best-match")
    if index := pip_setting("index-url"):
        env["UV_DEFAULT_INDEX"] = index[0]
    if extra := pip_setting("extra-index-url"):
        env["UV_EXTRA_INDEX_URL"] = " ".join(extra)
    if links := pip_setting("find-links"):
        env["UV_FIND_LINKS"] = ",".join(links)
    return env


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(
            "usage: python tools/install.py GROUP   (a dependency group of pyproject.toml)", file=sys.stderr
        )
        return 2
    group = argv[0]
    constraints = ["-c", str(REPO / "constraints.txt"), "--group", group]
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    if uv:
        command = [uv, "pip", "install", "--quiet", "--python", sys.executable, "--compile-bytecode"]
        return subprocess.run(command + constraints, cwd=REPO, env=uv_environment()).returncode
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    return subprocess.run(command + constraints, cwd=REPO).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
