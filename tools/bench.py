"""Measure the site and the examples on this machine and write BENCHMARKS.md.

    make bench        (or: .venv/bin/python -m tools.bench)

- the strict build of the whole site (both languages), median of 3, and of a
  trivial one-page MkDocs site (the yardstick for the build-time budget);
- every snippet, run the way the tests run it (tools.runner; Keras snippets
  once per backend): wall time and final metrics;
- every page in headless Chromium: what it transfers on a first visit;
- each example pair: Keras (per backend) against PyTorch, side by side.

The budgets enforced by the tests are defined here (BUDGETS) and written into
the report with what they protect.
"""

from __future__ import annotations

import gzip
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools import runner

REPORT = runner.REPO / "BENCHMARKS.md"

# What one page load may transfer (uncompressed bytes of HTML, CSS, JS, fonts,
# images and the search index; tests/test_browser.py). Re-set when the site grew
# to 11 examples, the preliminaries and an exercise section on every page: the
# heaviest first visit measured 2.42 MB, a third of it the shared search index
# (code blocks already left out of it, see tools/mkdocs_hooks.py).
PAGE_WEIGHT_BUDGET = 2_800_000
# The strict build of the whole site, as a multiple of a trivial one-page
# MkDocs build with the same theme on the same machine (tests/test_budgets.py).
# Re-set with the same growth: 18 to 20 measured (10.0 s against 0.55 s); the
# search plugin's HTML parsing and the English build are most of it.
BUILD_RATIO_BUDGET = 30.0

TRIVIAL_CONFIG = "site_name: trivial\ntheme:\n  name: material\n"
TRIVIAL_PAGE = "# Trivial\n\nOne page.\n"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", "/")


def build(config: Path, out: Path, env: dict | None = None) -> float:
    """Seconds for `mkdocs build --strict` of ``config`` into ``out``."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config), "-d", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.parent,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build of {config} failed:\n{proc.stderr[-4000:]}")
    return seconds


def trivial_site(folder: Path) -> Path:
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "index.md").write_text(TRIVIAL_PAGE, encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(TRIVIAL_CONFIG, encoding="utf-8")
    return config


def build_times(tmp: Path, runs: int = 3) -> dict:
    site = [build(runner.REPO / "mkdocs.yml", tmp / f"site{i}") for i in range(runs)]
    config = trivial_site(tmp / "trivial")
    trivial = [build(config, tmp / f"trivial-site{i}") for i in range(runs)]
    return {"site": site, "trivial": trivial, "site_dir": tmp / "site0"}


def startup_times(runs: int = 3) -> dict[str, float]:
    """Median seconds to start Python and import each framework: the part of
    a snippet's wall time that is not data, training and evaluation."""
    cases = {
        "torch": ("import torch", {}),
        "keras[torch]": ("import keras", {"KERAS_BACKEND": "torch"}),
        "keras[tensorflow]": ("import keras", {"KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "2"}),
    }
    out = {}
    for name, (code, extra) in cases.items():
        if "tensorflow" in name and "tensorflow" not in runner.keras_backends():
            continue
        env = dict(os.environ, CUDA_VISIBLE_DEVICES="", **extra)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times)
    return out


def snippet_runs(tmp: Path) -> list[runner.Run]:
    from tools.offline import datasets

    offline = datasets.prepare(tmp / "offline-data")
    runs = []
    for path in runner.all_snippets():
        for backend in runner.variants(path):
            home = Path(tempfile.mkdtemp(dir=tmp, prefix="home-"))
            run = runner.run_snippet(path, offline, home, backend=backend)
            print(f"  {runner.rel(path)} {backend or ''}: {run.seconds:.1f} s {run.metrics}", flush=True)
            if run.returncode != 0:
                raise RuntimeError(run.describe())
            runs.append(run)
    return runs


def transferred(file: Path) -> int:
    """Bytes on the wire from a server that gzips text (as GitHub Pages does)."""
    data = file.read_bytes()
    if file.name.endswith(COMPRESSIBLE):
        return len(gzip.compress(data, 6))
    return len(data)


def page_weights(site: Path) -> dict[str, dict]:
    from tools import browser

    weights = {}
    with browser.chromium() as chromium, browser.serve(site, not_found=site / "404.html") as base:
        for path in browser.site_pages(site):
            context, page, load = browser.open_page(chromium, base + path)
            context.close()
            if load.problems():
                raise RuntimeError(f"/{path}: {load.problems()}")
            files = load.weight(site, base)
            weights[path] = {
                "files": files,
                "bytes": sum(files.values()),
                "gzip": sum(transferred(_file(site, f)) for f in files),
                "requests": len(load.requests),
            }
    return weights


def _file(site: Path, rel: str) -> Path:
    file = site / rel
    return file / "index.html" if file.is_dir() else file


def kb(n: float) -> str:
    return f"{n / 1000:,.0f} KB"


def metrics_text(run: runner.Run) -> str:
    return " ".join(f"{k}={v:g}" for k, v in run.metrics.items())


def report(builds, startup, runs, weights) -> str:
    site_med = statistics.median(builds["site"])
    trivial_med = statistics.median(builds["trivial"])
    ratio = site_med / trivial_med
    heaviest = sorted(weights.items(), key=lambda kv: -kv[1]["bytes"])
    top_bytes = heaviest[0][1]["bytes"]
    lines = [
        "# Benchmarks",
        "",
        "<!-- Generated by `make bench` (tools/bench.py): do not edit by hand; rerun it. -->",
        "",
        f"Measured on {time.strftime('%Y-%m-%d')} on this project's build machine: "
        f"{os.cpu_count()} CPU cores, no GPU, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}. Times are wall-clock seconds and vary by "
        "a few percent from run to run; compare ratios rather than absolute times across machines.",
        "",
        "## Building the site",
        "",
        "`mkdocs build --strict` of the whole site (both languages, search index with jieba), "
        "against a trivial one-page site with the same theme (the yardstick the build-time budget uses).",
        "",
        "| build | runs (s) | median (s) |",
        "| --- | --- | ---: |",
        f"| whole site | {', '.join(f'{t:.2f}' for t in builds['site'])} | {site_med:.2f} |",
        f"| trivial one-page site | {', '.join(f'{t:.2f}' for t in builds['trivial'])} | {trivial_med:.2f} |",
        "",
        f"Ratio whole site / trivial site: **{ratio:.1f}**.",
        "",
        "## Snippets",
        "",
        "Each snippet run once as the tests run it (`tools.runner`: its own process, offline data, CPU), "
        "Keras snippets once per backend. Wall time includes starting Python and importing the framework.",
        "",
        "| snippet | Keras backend | wall (s) | final metrics |",
        "| --- | --- | ---: | --- |",
    ]
    for run in runs:
        lines.append(
            f"| `{runner.rel(run.path)}` | {run.backend or ''} | {run.seconds:.1f} | `{metrics_text(run)}` |"
        )
    lines += [
        "",
        f"All snippets together: {sum(r.seconds for r in runs):.0f} s.",
        "",
        "## Keras against PyTorch",
        "",
        "The same model on the same data in each example pair. *Work* is the wall time less the median "
        "time to start Python and import the framework ("
        + ", ".join(f"{k}: {v:.1f} s" for k, v in startup.items())
        + "): loading the data, training and evaluating. The ratio is Keras work / PyTorch work "
        "(above 1: Keras is slower).",
        "",
        "| example | PyTorch work (s) | Keras[torch] work (s) | ratio | Keras[tensorflow] work (s) | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    by = {(runner.rel(r.path), r.backend): r for r in runs}
    for path in runner.all_snippets():
        rel = runner.rel(path)
        if runner.framework(path) != "torch":
            continue
        keras_rel = rel.replace("_torch.py", "_keras.py")
        torch_work = by[(rel, None)].seconds - startup["torch"]
        cells = [f"`{Path(rel).stem.removesuffix('_torch')}`", f"{torch_work:.1f}"]
        for backend in ("torch", "tensorflow"):
            run = by.get((keras_rel, backend))
            if run is None:
                cells += ["–", "–"]
                continue
            work = run.seconds - startup[f"keras[{backend}]"]
            cells += [f"{work:.1f}", f"{work / torch_work:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Page weight",
        "",
        "What a first visit to each page loads in headless Chromium (every request it makes, workers "
        "included: HTML, CSS, JS, fonts, images and the search index), summed from the built files. "
        "*Uncompressed* is what a plain server sends; *gzip* what a server that compresses text sends "
        "(GitHub Pages does). Later pages reuse the cached theme, KaTeX and search index.",
        "",
        f"{len(weights)} pages; lightest {kb(heaviest[-1][1]['bytes'])}, heaviest {kb(top_bytes)}.",
        "",
        "| page | requests | uncompressed | gzip |",
        "| --- | ---: | ---: | ---: |",
    ]
    for path, w in heaviest:
        lines.append(f"| `/{path}` | {w['requests']} | {kb(w['bytes'])} | {kb(w['gzip'])} |")
    top_files = sorted(heaviest[0][1]["files"].items(), key=lambda kv: -kv[1])[:6]
    lines += [
        "",
        f"Largest files loaded by the heaviest page (`/{heaviest[0][0]}`): "
        + ", ".join(f"`{f}` {kb(s)}" for f, s in top_files)
        + ".",
        "",
        "## Budgets",
        "",
        "Enforced by the test suite (`make test`); set from the numbers above with a margin.",
        "",
        "| budget | limit | measured | protects against |",
        "| --- | ---: | ---: | --- |",
        f"| transferred weight of any one page, uncompressed (`tests/test_browser.py`) | "
        f"{kb(PAGE_WEIGHT_BUDGET)} | {kb(top_bytes)} (heaviest page) | "
        "a page that gets heavy unnoticed: a second math library (MathJax is ~1.6 MB), web fonts, "
        "a large unoptimised image, a notebook page full of inline CSS (~630 KB), a search index that "
        "balloons |",
        f"| strict build time of the whole site / trivial one-page build (`tests/test_budgets.py`) | "
        f"{BUILD_RATIO_BUDGET:.1f} | {ratio:.1f} | "
        "a build that gets slow: notebooks executed at build time, a plugin that fetches or renders "
        "per page, a lost cache; a ratio on the same machine holds on slow and fast machines alike |",
        "",
        "Not budgeted: snippet times (each snippet's metric bar is its test; their times are above "
        "to keep the suite under ten minutes on two cores) and the Keras/PyTorch ratios (information).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        print("Building the site (3 times) and a trivial site (3 times)...", flush=True)
        builds = build_times(tmp)
        print("Page weights in Chromium...", flush=True)
        weights = page_weights(builds["site_dir"])
        print("Framework start-up times...", flush=True)
        startup = startup_times()
        print("Snippets...", flush=True)
        runs = snippet_runs(tmp)
        REPORT.write_text(report(builds, startup, runs, weights), encoding="utf-8")
    print(f"Wrote {runner.rel(REPORT)}")


if __name__ == "__main__":
    main()
