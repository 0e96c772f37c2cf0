"""Regenerate what the pages show from real runs: `make outputs`.

For every snippet (or the ones named on the command line) this runs the
snippet exactly as the tests do (offline data, blocked network, CPU, Keras on
the PyTorch backend) and writes, under docs/assets/generated/<chapter>/:

  <stem>.out.txt       the printed output of the run
  <stem>.versions.txt  the library versions of that run (one Markdown line)
  <stem>.png           loss and accuracy per epoch, parsed from the output
  <stem>.meta.json     the snippet's sha256, metrics, wall time, versions

These files are generated: never edit them by hand. tests/test_generated.py
fails when a snippet changed after its output was generated.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tools import runner
from tools.offline import datasets

GENERATED = runner.DOCS / "assets" / "generated"
EPOCH_TORCH = re.compile(r"^Epoch (\d+)/\d+ - accuracy: ([\d.]+) - loss: ([\d.]+)")
EPOCH_KERAS_HEAD = re.compile(r"^Epoch (\d+)/\d+$")
KERAS_METRIC = re.compile(r"(\w+): ([\d.]+)")
KERAS_BACKEND_FOR_PAGES = "torch"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def outputs_for(snippet: Path) -> dict[str, Path]:
    chapter = snippet.parent.relative_to(runner.SNIPPETS)
    base = GENERATED / chapter / snippet.stem
    return {
        "out": base.with_name(base.name + ".out.txt"),
        "versions": base.with_name(base.name + ".versions.txt"),
        "plot": base.with_name(base.name + ".png"),
        "meta": base.with_name(base.name + ".meta.json"),
    }


def epochs(stdout: str) -> list[dict[str, float]]:
    """Per-epoch metrics from Keras' verbose=2 log or our PyTorch loop's lines."""
    rows, lines = [], stdout.splitlines()
    for i, line in enumerate(lines):
        if m := EPOCH_TORCH.match(line):
            rows.append({"epoch": int(m[1]), "accuracy": float(m[2]), "loss": float(m[3])})
        elif (m := EPOCH_KERAS_HEAD.match(line)) and i + 1 < len(lines):
            values = {k: float(v) for k, v in KERAS_METRIC.findall(lines[i + 1])}
            if "loss" in values:
                rows.append({"epoch": int(m[1]), **values})
    return rows


def versions(snippet: Path, backend: str | None) -> dict[str, str]:
    probe = (
        "import json, platform, sys\n"
        "v = {'Python': platform.python_version()}\n"
        "import numpy; v['NumPy'] = numpy.__version__\n"
    )
    if runner.framework(snippet) == "keras":
        probe += (
            f"import os; os.environ['KERAS_BACKEND'] = {backend!r}\n"
            "import keras; v['Keras'] = keras.__version__\n"
        )
        probe += (
            "import torch; v['PyTorch (Keras backend)'] = torch.__version__\n"
            if backend == "torch"
            else "import tensorflow as tf; v['TensorFlow (Keras backend)'] = tf.__version__\n"
        )
    elif runner.framework(snippet) == "torch":
        probe += "import torch; v['PyTorch'] = torch.__version__\n"
    probe += "print(json.dumps(v))\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env={**runner.snippet_env(Path("."), Path(tempfile.gettempdir()), backend, "cpu"), "DLDOCS_OFFLINE_DATA": ""})
    return json.loads(out.stdout.strip().splitlines()[-1])


def plot(rows: list[dict[str, float]], title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [k for k in ("loss", "accuracy") if all(k in r for r in rows)]
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.0), dpi=100)
    axes = [axes] if len(metrics) == 1 else axes
    x = [r["epoch"] for r in rows]
    for ax, name in zip(axes, metrics):
        ax.plot(x, [r[name] for r in rows], marker="o", markersize=3)
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"training {name}")
        ax.grid(alpha=0.3)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    # Fixed metadata so a rerun with the same numbers writes the same bytes.
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def generate(snippet: Path, offline_dir: Path) -> dict:
    backend = KERAS_BACKEND_FOR_PAGES if runner.framework(snippet) == "keras" else None
    with tempfile.TemporaryDirectory() as home:
        run = runner.run_snippet(snippet, offline_dir, Path(home), backend=backend)
    if run.returncode != 0:
        raise SystemExit(run.describe())
    files = outputs_for(snippet)
    files["out"].parent.mkdir(parents=True, exist_ok=True)
    files["out"].write_text(run.stdout.rstrip() + "\n", encoding="utf-8")
    v = versions(snippet, backend)
    line = " · ".join(f"{k} {val}" for k, val in v.items()) + f" · CPU ({platform.machine()})"
    files["versions"].write_text(line + "\n", encoding="utf-8")
    rows = epochs(run.stdout)
    if rows:
        plot(rows, runner.rel(snippet), files["plot"])
    meta = {
        "generated_by": "make outputs (python -m tools.generate)",
        "snippet": runner.rel(snippet),
        "snippet_sha256": sha256(snippet),
        "keras_backend": backend,
        "device": "cpu",
        "metrics": run.metrics,
        "wall_seconds": round(run.seconds, 1),
        "versions": v,
        "epochs": len(rows),
    }
    files["meta"].write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snippets", nargs="*", help="snippet paths (default: all)")
    parser.add_argument("--stale", action="store_true", help="only snippets whose output is stale")
    args = parser.parse_args(argv)
    targets = [Path(s).resolve() for s in args.snippets] or runner.all_snippets()
    if args.stale:
        targets = [s for s in targets if is_stale(s)]
    with tempfile.TemporaryDirectory() as tmp:
        offline_dir = datasets.prepare(Path(tmp))
        for snippet in targets:
            meta = generate(snippet, offline_dir)
            print(f"{meta['snippet']}: {meta['metrics']} in {meta['wall_seconds']}s")


def is_stale(snippet: Path) -> bool:
    meta = outputs_for(snippet)["meta"]
    if not meta.exists():
        return True
    return json.loads(meta.read_text(encoding="utf-8"))["snippet_sha256"] != sha256(snippet)


if __name__ == "__main__":
    main()
