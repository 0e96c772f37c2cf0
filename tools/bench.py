"""Measure the site and the examples on this machine and write BENCHMARKS.md.

    make bench        (or: .venv/bin/python -m tools.bench)

- the strict build of the whole site (both languages), median of 3, and of a
  trivial one-page MkDocs site (the yardstick for the build-time budget);
- every snippet, run the way the tests run it (tools.runner; Keras snippets
  once per backend): wall time and final metrics;
- every page in headless Chromium: what it transfers on a first visit and as
  the next page, served gzipped as GitHub Pages serves it;
- Lighthouse (mobile) on one page of each kind in both languages, the median
  of five runs each;
- each example pair: Keras (per backend) against PyTorch, side by side.

The budgets enforced by the tests are defined here (BUDGETS) and written into
the report with what they protect.
"""

from __future__ import annotations

import gzip
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools import runner

REPORT = runner.REPO / "BENCHMARKS.md"

# What a first visit to a page may transfer from a server that gzips, as
# GitHub Pages does (HTML, CSS, JS, fonts, images; tests/test_browser.py): a
# phone on a slow connection waits for every byte. The home page, where most
# visits start, has the smaller budget. The search index and its worker load
# only when the reader opens search (tools/theme/main.html), formulas arrive
# typeset (tools/formulas.py), so the theme's script and stylesheet, the page
# and KaTeX's two main fonts are most of it.
FIRST_VISIT_BUDGET = 200_000
HOME_BUDGET = 150_000
# The next page within the site, with the first one's files in the cache
# (served with GitHub Pages' max-age=600): all it transfers, its own HTML
# included (images, a font the first page did not need). The longest chapters
# are about 37 KB of it; a chapter that outgrows this is split (the GAN and
# weight-initialisation chapters were, from architectures and activations).
NEXT_PAGE_BUDGET = 40_000
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
            # From scratch, import included, as a reader runs it (no prefork server).
            run = runner.run_snippet(path, offline, home, backend=backend, prefork=False)
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
    """Each page in headless Chromium (phone-sized), served gzipped with
    GitHub Pages' cache headers: what a first visit transfers, and what the
    page transfers next, after the home page of its language."""
    from tools import browser

    weights = {}
    sent: list = []
    with (
        browser.chromium() as chromium,
        browser.serve(site, not_found=site / "404.html", compress=True, sent=sent) as base,
    ):
        for path in browser.site_pages(site):
            sent.clear()
            context, page, load = browser.open_page(chromium, base + path, viewport=browser.MOBILE)
            first = sum(n for _, n, _ in sent)
            context.close()
            if load.problems():
                raise RuntimeError(f"/{path}: {load.problems()}")
            context = chromium.new_context(viewport=browser.MOBILE)
            page = context.new_page()
            after = base + ("en/" if path.startswith("en/") else "") + "theory/backprop/"
            page.goto(after, wait_until="networkidle")
            sent.clear()
            page.goto(base + path, wait_until="networkidle")
            # What the first page still asked for late is not the next page's.
            following = sum(n for _, n, referer in sent if referer != after)
            html = sum(n for f, n, _ in sent if f == "/" + path)
            context.close()
            weights[path] = {
                "files": load.weight(site, base),
                "gzip": first,
                "next": following,
                "html": html,
                "requests": len(load.requests),
            }
    return weights


# One page of each kind, in both languages: the pages Lighthouse measures. The
# FAQ twice: its overview, and the largest of its topics' pages.
LIGHTHOUSE_PAGES = [
    "",
    "theory/optimizers/",
    "examples/mnist_cnn/",
    "faq/",
    "faq/regularization/",
    "notebooks/mnist_cnn_torch/",
]
LIGHTHOUSE = runner.REPO / "node_modules" / ".bin" / "lighthouse"
# Runs per page. A page's timings move from run to run (on this machine its
# total blocking time by a factor of two or more); Lighthouse's guidance
# (docs/variability.md) is to run it five times and keep the median run,
# which its computeMedianRun picks: the run nearest the median first
# contentful paint and time to interactive.
LIGHTHOUSE_RUNS = 5
MEDIAN_RUN_JS = """
import { readFileSync } from "node:fs";
import { computeMedianRun } from "lighthouse/core/lib/median-run.js";
const runs = process.argv.slice(1).map((file) => JSON.parse(readFileSync(file, "utf8")));
console.log(runs.indexOf(computeMedianRun(runs)));
"""


def lighthouse(site: Path, runs: int = LIGHTHOUSE_RUNS) -> dict[str, dict]:
    """Lighthouse (npm, package.json) in its mobile profile, on Debian's
    Chromium, against the site served gzipped, ``runs`` times per page: the
    median run's performance and accessibility scores, total blocking time,
    layout shift and largest contentful paint, and every run's blocking time."""
    import json

    from tools import browser

    if not LIGHTHOUSE.exists():
        raise RuntimeError(f"{LIGHTHOUSE} is missing: run `npm ci` (make bench does)")
    results = {}
    flags = " ".join(["--headless=new", *browser.LAUNCH_ARGS])
    with (
        tempfile.TemporaryDirectory() as tmp,
        browser.serve(site, not_found=site / "404.html", compress=True) as base,
    ):
        for lang in ("", "en/"):
            for path in LIGHTHOUSE_PAGES:
                reports = [Path(tmp) / f"report-{i}.json" for i in range(runs)]
                for out in reports:
                    proc = subprocess.run(
                        [
                            str(LIGHTHOUSE),
                            base + lang + path,
                            "--only-categories=performance,accessibility",
                            "--output=json",
                            f"--output-path={out}",
                            f"--chrome-flags={flags}",
                            "--quiet",
                        ],
                        env=dict(os.environ, CHROME_PATH=browser.CHROMIUM),
                        capture_output=True,
                        text=True,
                    )
                    if proc.returncode != 0:
                        raise RuntimeError(f"lighthouse /{lang}{path} failed:\n{proc.stderr[-3000:]}")
                median = subprocess.run(
                    ["node", "--input-type=module", "-e", MEDIAN_RUN_JS, *map(str, reports)],
                    cwd=runner.REPO,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                each = [json.loads(out.read_text(encoding="utf-8")) for out in reports]
                report = each[int(median.stdout)]
                audits, categories = report["audits"], report["categories"]
                results[lang + path] = {
                    "performance": round(100 * categories["performance"]["score"]),
                    "accessibility": round(100 * categories["accessibility"]["score"]),
                    "tbt": audits["total-blocking-time"]["numericValue"],
                    "tbt_runs": sorted(r["audits"]["total-blocking-time"]["numericValue"] for r in each),
                    "cls": audits["cumulative-layout-shift"]["numericValue"],
                    "lcp": audits["largest-contentful-paint"]["numericValue"],
                    "bytes": audits["total-byte-weight"]["numericValue"],
                    "version": report["lighthouseVersion"],
                }
                print(f"  /{lang}{path}: {results[lang + path]}", flush=True)
    return results


def _file(site: Path, rel: str) -> Path:
    file = site / rel
    return file / "index.html" if file.is_dir() else file


def kb(n: float) -> str:
    return f"{n / 1000:,.0f} KB"


def metrics_text(run: runner.Run) -> str:
    return " ".join(f"{k}={v:g}" for k, v in run.metrics.items())


SUITE_BUDGET = 600  # seconds: `make test` from a fresh clone, set-up included


def fresh_clone_suite(tmp: Path) -> dict:
    """`make test` on a fresh clone of the last commit, as CI runs it: set-up
    (a new virtual environment, packages downloaded into an empty uv cache)
    and the suite, timed apart."""
    clone = tmp / "clone"
    subprocess.run(["git", "clone", "-q", str(runner.REPO), str(clone)], check=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout.strip()
    env = dict(os.environ, UV_CACHE_DIR=str(tmp / "uv-cache"))
    env.pop("VIRTUAL_ENV", None)
    times = {}
    # `make test` installs test-deps with -j2 first (the Makefile): the same here.
    for step, args in (("setup", ["-j2", "test-deps"]), ("tests", ["test"])):
        start = time.perf_counter()
        proc = subprocess.run(["make", *args], cwd=clone, env=env, capture_output=True, text=True)
        times[step] = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(
                f"make {' '.join(args)} failed in a fresh clone:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
            )
    summary = [ln.strip("= ") for ln in proc.stdout.splitlines() if " passed" in ln]
    return {**times, "commit": commit, "summary": summary[-1] if summary else ""}


def cpu_model() -> str:
    """The processor's name and whether it has AVX-512 (/proc/cpuinfo on
    Linux): the same code runs half again as fast on one model as on another,
    and TensorFlow takes other code paths with AVX-512 (oneDNN), so timings
    are compared on the same model."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "processor unknown"
    model = re.search(r"^model name\s*:\s*(.+)$", info, re.M)
    avx512 = ", AVX-512" if re.search(r"^flags\s*:.*\bavx512f\b", info, re.M) else ""
    return (model.group(1).strip() if model else platform.processor() or "processor unknown") + avx512


def report(builds, startup, runs, weights, lighthouse, suite) -> str:
    site_med = statistics.median(builds["site"])
    trivial_med = statistics.median(builds["trivial"])
    ratio = site_med / trivial_med
    lines = [
        "# Benchmarks",
        "",
        "<!-- Generated by `make bench` (tools/bench.py): do not edit by hand; rerun it. -->",
        "",
        f"Measured on {time.strftime('%Y-%m-%d')} on this project's build machine: "
        f"{os.cpu_count()} CPU cores ({cpu_model()}), no GPU, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}. Times are wall-clock seconds and vary by "
        "a few percent from run to run; compare ratios rather than absolute times across machines.",
        "",
        "## The test suite from a fresh clone",
        "",
        f"`make test` on a fresh clone of commit {suite['commit']}, as CI runs it: set-up (a new virtual "
        "environment, every package downloaded into an empty cache and installed) and then the suite "
        f"({suite['summary']}). Budget: {SUITE_BUDGET // 60} minutes in all.",
        "",
        "| step | wall (s) |",
        "| --- | ---: |",
        f"| set-up (`make test-deps`) | {suite['setup']:.0f} |",
        f"| the suite (`make test`) | {suite['tests']:.0f} |",
        f"| **total** | **{suite['setup'] + suite['tests']:.0f}** ({(suite['setup'] + suite['tests']) / 60:.1f} min) |",
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
        "Each snippet run once from scratch, as a reader runs it (`python file.py`: a new process, "
        "offline data, CPU), Keras snippets once per backend. Wall time includes starting Python and "
        "importing the framework, which the tests pay once per worker (`tools/prefork.py`).",
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
    budget = {p: HOME_BUDGET if p in ("", "en/") else FIRST_VISIT_BUDGET for p in weights}
    heaviest = sorted(weights.items(), key=lambda kv: -kv[1]["gzip"])
    over = [p for p, w in weights.items() if w["gzip"] > budget[p]]
    top_next = max(w["next"] for w in weights.values())
    top_html = max(w["html"] for w in weights.values())
    next_over = sorted(p for p, w in weights.items() if w["next"] > NEXT_PAGE_BUDGET)
    lines += [
        "",
        "## Page weight",
        "",
        "Each page in headless Chromium with a phone-sized window, served as GitHub Pages serves it "
        "(text gzipped, `Cache-Control: max-age=600`), counted by the server: the bytes it sent. "
        "*First visit*: an empty cache. *Next page*: the same page opened after a chapter with "
        "formulas and code (`theory/backprop/`) of its language, so the theme, KaTeX's stylesheet and "
        "main fonts are cached; *HTML* is the page's own part of that. The search index and its worker are "
        "not loaded until the reader opens search; formulas arrive typeset.",
        "",
        f"{len(weights)} pages. First visit: lightest {kb(heaviest[-1][1]['gzip'])}, heaviest "
        f"{kb(heaviest[0][1]['gzip'])} (budget {kb(FIRST_VISIT_BUDGET)}, home pages {kb(HOME_BUDGET)}; "
        f"over budget: {', '.join(over) or 'none'}). Next page, HTML included: heaviest "
        f"{kb(top_next)} (budget {kb(NEXT_PAGE_BUDGET)}; over budget: "
        f"{', '.join(f'`/{p}`' for p in next_over) or 'none'}); its HTML alone: heaviest {kb(top_html)}.",
        "",
        "| page | requests | first visit (gzip) | next page (gzip) | of which HTML | uncompressed files |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for path, w in heaviest:
        lines.append(
            f"| `/{path}` | {w['requests']} | {kb(w['gzip'])} | {kb(w['next'])} | {kb(w['html'])} | "
            f"{kb(sum(w['files'].values()))} |"
        )
    lines += [
        "",
        "## Lighthouse",
        "",
        f"Lighthouse {next(iter(lighthouse.values()))['version']} (`package.json`), mobile profile "
        "(simulated slow 4G and a 4x slower CPU), on this machine's Chromium. Each page is run "
        f"{len(next(iter(lighthouse.values()))['tbt_runs'])} times and the median run is shown "
        "(Lighthouse's computeMedianRun: nearest the median first paint and time to interactive); "
        "the blocking time of every run is beside it, because it moves a lot between runs. "
        "TBT: total blocking time; CLS: cumulative layout shift; LCP: largest contentful paint.",
        "",
        "| page | performance | accessibility | TBT (ms) | TBT of each run (ms) | CLS | LCP (s) | transferred |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for path, r in lighthouse.items():
        each = ", ".join(f"{t:.0f}" for t in r["tbt_runs"])
        lines.append(
            f"| `/{path}` | {r['performance']} | {r['accessibility']} | {r['tbt']:.0f} | {each} | "
            f"{r['cls']:.3f} | {r['lcp'] / 1000:.1f} | {kb(r['bytes'])} |"
        )
    lines += [
        "",
        "## Before",
        "",
        BEFORE,
        "",
        "## Budgets",
        "",
        "Enforced by the test suite (`make test`); the accessibility audits are tests too "
        "(`tests/test_accessibility.py`: axe-core with Lighthouse's rules, light and dark schemes).",
        "",
        "| budget | limit | measured | protects against |",
        "| --- | ---: | ---: | --- |",
        f"| first visit of any page, gzip (`tests/test_browser.py`) | {kb(FIRST_VISIT_BUDGET)} | "
        f"{kb(heaviest[0][1]['gzip'])} (heaviest page) | a page that gets heavy unnoticed: a math "
        "script, web fonts, a large image, a search index loaded on every page |",
        f"| first visit of the home pages, gzip (`tests/test_browser.py`) | {kb(HOME_BUDGET)} | "
        f"{kb(max(weights[p]['gzip'] for p in ('', 'en/') if p in weights))} | the same, where most visits start |",
        f"| next page within the site, HTML included, gzip (`tests/test_browser.py`) | "
        f"{kb(NEXT_PAGE_BUDGET)} | {kb(top_next)} (heaviest) | caching that stops working, per-page "
        "assets, a chapter that grows without being split |",
        f"| strict build time of the whole site / trivial one-page build (`tests/test_budgets.py`) | "
        f"{BUILD_RATIO_BUDGET:.1f} | {ratio:.1f} | "
        "a build that gets slow: notebooks executed at build time, a plugin that fetches or renders "
        "per page, a lost cache; a ratio on the same machine holds on slow and fast machines alike |",
        f"| `make test` from a fresh clone, set-up included (above; measured here, not asserted) | "
        f"{SUITE_BUDGET // 60} min | {(suite['setup'] + suite['tests']) / 60:.1f} min | a suite that "
        "grows slow until nobody runs it before pushing |",
        "",
        "Not budgeted: snippet times (each snippet's metric bar is its test; their times are above "
        "to keep the suite under ten minutes on two cores), the Keras/PyTorch ratios (information) "
        "and Lighthouse's performance score (a timing: recorded here, not asserted).",
        "",
    ]
    return "\n".join(lines)


# Measured on 2026-11-23, before the search index, the math script and the
# stylesheet changes above (the previous BENCHMARKS.md and Lighthouse 13.5 runs).
BEFORE = (
    "Before formulas were typeset at build time and the search index waited for search "
    "(measured 2026-11-23 the same way, without the cache column): a first visit transferred "
    "405–490 KB gzip (1.35–1.56 MB uncompressed), of which the search index of both languages was "
    "about 160 KB gzip and KaTeX's script about 76 KB, on every page. Lighthouse 13.5, mobile: "
    "performance 67 (theory/optimizers), 87 (FAQ), 92 (home); total blocking time up to 570 ms; "
    "layout shift 0.15 on theory pages while formulas were typeset; accessibility 89–93 (colour "
    "contrast, a search dialog without a name, links told apart by colour only)."
)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        print("Building the site (3 times) and a trivial site (3 times)...", flush=True)
        builds = build_times(tmp)
        print("Page weights in Chromium...", flush=True)
        weights = page_weights(builds["site_dir"])
        print("Lighthouse...", flush=True)
        scores = lighthouse(builds["site_dir"])
        print("Framework start-up times...", flush=True)
        startup = startup_times()
        print("Snippets...", flush=True)
        runs = snippet_runs(tmp)
        print("make test on a fresh clone, set-up included...", flush=True)
        suite = fresh_clone_suite(tmp)
        REPORT.write_text(report(builds, startup, runs, weights, scores, suite), encoding="utf-8")
    print(f"Wrote {runner.rel(REPORT)}")


if __name__ == "__main__":
    main()
