"""Run snippets the way a reader does: each as its own ``python file.py``.

Shared by the test suite (tests/test_snippets.py) and the output generator
(tools/generate.py), so the output shown on a page comes from exactly the
run that the tests perform.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import importlib.util
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
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


# The Keras backend whose runs the pages show (tools/generate.py, tools/notebooks.py).
# `make test` runs each Keras snippet there; its other backends are the backend
# matrix, `make test-backends` (pytest -m backend_matrix), which CI runs too.
PAGE_KERAS_BACKEND = "torch"


def page_backend(path: Path, preferred: str = PAGE_KERAS_BACKEND) -> str | None:
    """The Keras backend whose run a page shows: ``preferred`` unless the
    snippet declares backends without it (None: not a Keras snippet)."""
    if framework(path) != "keras":
        return None
    declared = declared_keras_backends(path)
    return preferred if declared is None or preferred in declared else declared[0]


def variants(path: Path) -> list[str | None]:
    """The Keras backends a snippet runs under (None: not a Keras snippet)."""
    return keras_backends_for(path) if framework(path) == "keras" else [None]


def in_backend_matrix(path: Path, backend: str | None) -> bool:
    """True for a Keras snippet's run on a backend other than its page's."""
    return backend is not None and backend != page_backend(path)


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


def _preload(path: Path, backend: str | None) -> tuple[str, ...]:
    """What a prefork server imports for this run: Keras (and TensorFlow when
    it is installed: keras.utils.set_random_seed imports it to seed it, on
    every backend), torch, or nothing (NumPy snippets start fast anyway)."""
    if backend:
        return ("keras", "tensorflow") if "tensorflow" in keras_backends() else ("keras",)
    return ("torch",) if Path(path).stem.endswith("_torch") else ()


def prefork_enabled() -> bool:
    """DLDOCS_PREFORK=0 runs every snippet as `python file.py` from scratch."""
    return os.environ.get("DLDOCS_PREFORK", "1") != "0"


def run_snippet(
    path, offline_dir, home, backend=None, device="cpu", timeout=600, serve_urls=True, prefork=None
) -> Run:
    """Run ``python path`` with ``home`` as HOME and working directory.
    serve_urls=False: the network stays blocked but no dataset is served.

    On the CPU, a Keras or torch snippet is forked from a process that has
    imported its framework already (tools/prefork.py: the same run, without
    paying the import each time); prefork=False, DLDOCS_PREFORK=0 or
    --device cuda run it from scratch. Either way ``seconds`` is the run's
    wall time (with a prefork server, the import is not in it)."""
    env = snippet_env(offline_dir, home, backend, device)
    if not serve_urls:
        env["DLDOCS_OFFLINE_NO_URLS"] = "1"
    path = Path(path).resolve()
    preload = _preload(path, backend)
    if prefork is None:
        prefork = prefork_enabled() and device == "cpu"
    start = time.perf_counter()
    if prefork and preload:
        returncode, stdout, stderr = _server(preload, env).run(path, Path(home), env, timeout)
    else:
        proc = subprocess.run(
            [sys.executable, str(path)],
            cwd=home,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        returncode, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
    return Run(path, backend, returncode, stdout, stderr, time.perf_counter() - start)


# What may differ between two runs that share a prefork server: everything
# else in the environment is the server's own (it was imported with it).
PER_RUN_ENV = ("HOME", "PWD", "OLDPWD", "PYTEST_CURRENT_TEST")


class PreforkServer:
    """One tools/prefork.py process (see there); ``run`` forks a snippet run."""

    def __init__(self, preload: tuple[str, ...], env: dict[str, str]):
        self.folder = Path(tempfile.mkdtemp(prefix="prefork-"))
        self.log = self.folder / "imports.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("prefork.py")), *preload],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=dict(env, DLDOCS_PREFORK_LOG=str(self.log)),
                cwd=self.folder,
            )
        self.preload = preload
        self.buffer = b""
        self.import_stderr = self._reply("ready").get("stderr", "")
        self.runs = 0

    def _reply(self, key: str, timeout: float | None = None) -> dict:
        """The server's next line (None: none came within ``timeout``)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                self.proc.wait()
                raise RuntimeError(
                    f"the prefork server for {', '.join(self.preload)} (tools/prefork.py) exited with "
                    f"{self.proc.returncode}:\n"
                    + _tail(self.log.read_text(encoding="utf-8", errors="replace"))
                )
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        reply = json.loads(line)
        if key not in reply:
            raise RuntimeError(f"tools/prefork.py answered {reply}, expected {key}")
        return reply

    def run(self, path: Path, home: Path, env: dict[str, str], timeout: float) -> tuple[int, str, str]:
        self.runs += 1
        out, err = self.folder / f"{self.runs}.out", self.folder / f"{self.runs}.err"
        request = {"path": str(path), "cwd": str(home), "env": env, "stdout": str(out), "stderr": str(err)}
        self.proc.stdin.write(json.dumps(request).encode() + b"\n")
        self.proc.stdin.flush()
        pid = self._reply("pid")["pid"]
        done = self._reply("status", timeout)
        if done is None:
            with contextlib.suppress(ProcessLookupError):  # it ended just now
                os.killpg(pid, signal.SIGKILL)  # the run and whatever it started
            self._reply("status")
        stdout, stderr = (f.read_text(encoding="utf-8", errors="replace") for f in (out, err))
        out.unlink()
        err.unlink()
        stderr = self.import_stderr + stderr
        if done is None:
            raise subprocess.TimeoutExpired([sys.executable, str(path)], timeout, stdout, stderr)
        return done["status"], stdout, stderr

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)


_SERVERS: dict[tuple, PreforkServer] = {}


def _server(preload: tuple[str, ...], env: dict[str, str]) -> PreforkServer:
    """The server for this preload and environment, started on first use."""
    key = (preload, tuple(sorted((k, v) for k, v in env.items() if k not in PER_RUN_ENV)))
    server = _SERVERS.get(key)
    if server is None or server.proc.poll() is not None:
        server = _SERVERS[key] = PreforkServer(preload, env)
    return server


@atexit.register
def close_servers() -> None:
    while _SERVERS:
        _SERVERS.popitem()[1].close()


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
