"""Run snippets the way a reader does: each as its own ``python file.py``.

Shared by the test suite (tests/test_snippets.py) and the output generator
(tools/generate.py), so the output shown on a page comes from exactly the
run that the tests perform.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import tomllib

REPO = Path(__file__).resolve().parents[1]
SNIPPETS = REPO / "snippets"
DOCS = REPO / "docs"
BARS_FILE = REPO / "tests" / "bars.toml"
OFFLINE_SITE = Path(__file__).resolve().parent / "offline" / "startup"

# One final line of name=value pairs, e.g. "test_accuracy=0.9712 test_loss=0.09"
METRICS_LINE = re.compile(r"^\s*(\w+=[-+0-9.eE]+|\w+=nan|\w+=inf)(\s+\w+=\S+)*\s*$")


def all_snippets() -> list[Path]:
    return sorted(p for p in SNIPPETS.rglob("*.py") if "__pycache__" not in p.parts)


def rel(path: Path) -> str:
    """The path relative to the repository root (absolute if outside it)."""
    path = Path(path).resolve()
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else str(path)


def framework(path: Path) -> str:
    stem = Path(path).stem
    for name in ("keras", "torch", "numpy"):
        if stem.endswith("_" + name):
            return name
    raise ValueError(f"{rel(path)}: snippet names end in _keras, _torch or _numpy (the framework it uses)")


def load_theory_snippet(name: str):
    """Import snippets/theory/<name>_numpy.py as a module (its demo runs only
    under __main__), so tests and plots use the functions shown on the page."""
    path = SNIPPETS / "theory" / f"{name}_numpy.py"
    spec = importlib.util.spec_from_file_location(f"theory_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def keras_backends() -> list[str]:
    """PyTorch always; TensorFlow whenever it is installed."""
    backends = ["torch"]
    if importlib.util.find_spec("tensorflow") is not None:
        backends.append("tensorflow")
    return backends


# A Keras snippet that runs on some backends only says so in a comment line
# among its first lines, e.g. snippets/examples/data_parallel_keras.py:
#     # Keras backends: tensorflow
# (several: "torch, tensorflow"). The tests run it on those of them that are
# installed, and tools/generate.py renders its output on one of them. Without
# that line a Keras snippet runs on every installed backend.
KERAS_BACKENDS_LINE = re.compile(r"^#\s*Keras backends:\s*(.*?)\s*$")
KNOWN_KERAS_BACKENDS = ("torch", "tensorflow", "jax")
HEADER_LINES = 20


def declared_keras_backends(path: Path) -> list[str] | None:
    """The backends named by a "# Keras backends: ..." line (None: no such line)."""
    with open(path, encoding="utf-8") as f:
        head = [line for _, line in zip(range(HEADER_LINES), f)]
    for line in head:
        if m := KERAS_BACKENDS_LINE.match(line.strip()):
            names = [n.strip() for n in m[1].split(",") if n.strip()]
            unknown = [n for n in names if n not in KNOWN_KERAS_BACKENDS]
            if not names or unknown:
                raise ValueError(
                    f"{rel(path)}: '{line.strip()}' should name Keras backends among "
                    f"{', '.join(KNOWN_KERAS_BACKENDS)} (unknown: {unknown or 'none given'})"
                )
            return names
    return None


def keras_backends_for(path: Path) -> list[str]:
    """The installed Keras backends that a Keras snippet runs on."""
    declared = declared_keras_backends(path)
    return [b for b in keras_backends() if declared is None or b in declared]


def page_backend(path: Path, preferred: str) -> str | None:
    """The Keras backend whose run a page shows: ``preferred`` unless the
    snippet declares backends without it (None: not a Keras snippet)."""
    if framework(path) != "keras":
        return None
    declared = declared_keras_backends(path)
    return preferred if declared is None or preferred in declared else declared[0]


def variants(path: Path) -> list[str | None]:
    """The Keras backends a snippet runs under (None: not a Keras snippet)."""
    return keras_backends_for(path) if framework(path) == "keras" else [None]


def snippet_env(offline_dir: Path, home: Path, backend: str | None, device: str):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(OFFLINE_SITE)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    )
    env["DLDOCS_OFFLINE_DATA"] = str(offline_dir)
    # A fresh home: no dataset a developer downloaded earlier can be used.
    env["HOME"] = str(home)
    env.pop("KERAS_HOME", None)
    env["MPLBACKEND"] = "Agg"
    env["PYTHONHASHSEED"] = "0"
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    if backend:
        env["KERAS_BACKEND"] = backend
    else:
        env.pop("KERAS_BACKEND", None)
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
        # pytest-xdist runs one worker per core: one thread per snippet, or the
        # workers' snippets fight over the cores (slower than running serially).
        for name in (
            "OMP_NUM_THREADS",
            "MKL_NUM_THREADS",
            "TF_NUM_INTRAOP_THREADS",
            "TF_NUM_INTEROP_THREADS",
        ):
            env.setdefault(name, "1")
    return env


@dataclasses.dataclass
class Run:
    path: Path
    backend: str | None
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def metrics(self) -> dict[str, float]:
        return parse_metrics(self.stdout)

    def describe(self) -> str:
        where = rel(self.path) + (f" (KERAS_BACKEND={self.backend})" if self.backend else "")
        return (
            f"{where} exited with {self.returncode} after {self.seconds:.1f}s\n"
            f"--- last lines of stdout ---\n{_tail(self.stdout)}\n"
            f"--- last lines of stderr ---\n{_tail(self.stderr)}"
        )


def _tail(text: str, n: int = 25) -> str:
    return "\n".join(text.rstrip().splitlines()[-n:])


WARNING_LINE = re.compile(r"\b\w*Warning\b:")


def warnings_in(stderr: str) -> list[str]:
    """The distinct warning lines a run printed (``...: FooWarning: text``)."""
    seen = []
    for line in stderr.splitlines():
        line = line.strip()
        if WARNING_LINE.search(line) and line not in seen:
            seen.append(line)
    return seen


def parse_metrics(stdout: str) -> dict[str, float]:
    for line in reversed(stdout.strip().splitlines()):
        if METRICS_LINE.match(line):
            return {k: float(v) for k, v in (pair.split("=", 1) for pair in line.split())}
    return {}


def run_snippet(path, offline_dir, home, backend=None, device="cpu", timeout=600, serve_urls=True) -> Run:
    """Run ``python path`` with ``home`` as HOME and working directory.
    serve_urls=False: the network stays blocked but no dataset is served."""
    env = snippet_env(offline_dir, home, backend, device)
    if not serve_urls:
        env["DLDOCS_OFFLINE_NO_URLS"] = "1"
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(Path(path).resolve())],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(Path(path), backend, proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start)


def load_bars() -> dict[str, dict[str, dict[str, float]]]:
    with open(BARS_FILE, "rb") as f:
        return tomllib.load(f)


def check_bars(run: Run, bars: dict[str, dict[str, float]]) -> list[str]:
    """Return one message per metric that misses its bar (empty: all met)."""
    problems = []
    metrics = run.metrics
    if not metrics:
        return [f"{rel(run.path)} printed no final metrics line (name=value ...)"]
    for name, bar in bars.items():
        if name not in metrics:
            problems.append(f"{rel(run.path)} did not print {name} (printed {sorted(metrics)})")
            continue
        value = metrics[name]
        if "min" in bar and not value >= bar["min"]:
            problems.append(f"{rel(run.path)}: {name}={value} is below its bar {bar['min']}")
        if "max" in bar and not value <= bar["max"]:
            problems.append(f"{rel(run.path)}: {name}={value} is above its bar {bar['max']}")
    return problems
