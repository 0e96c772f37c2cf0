"""Regenerate what the pages show from real runs: `make outputs`.

For every snippet (or the ones named on the command line) this runs the
snippet exactly as the tests do (offline data, blocked network, CPU, Keras on
the PyTorch backend) and writes, under docs/assets/generated/<chapter>/:

  <stem>.out.txt       the printed output of the run
  <stem>.versions.txt  the library versions of that run (one Markdown line)
  <stem>-zh.svg        training and validation curves per epoch, parsed from
  <stem>-en.svg        the output, labelled in Chinese and in English
  <stem>.<name>        every .png/.svg the snippet saved in its working
                       directory (e.g. gan_torch.samples.png)
  <stem>.meta.json     the snippet's sha256, metrics, wall time, versions,
                       the runs and epochs read from the log, the figures

The per-epoch log formats read (`name: value` pairs joined by " - "; a `val_`
prefix marks a validation metric):

  Keras, model.fit(..., verbose=2):
      Epoch 3/10
      113/113 - 1s - 5ms/step - accuracy: 0.91 - loss: 0.30 - val_accuracy: 0.90 - val_loss: 0.33
  one run, printed by the snippet (PyTorch):
      Epoch 3/10 - accuracy: 0.9123 - loss: 0.2345 - val_accuracy: 0.9011 - val_loss: 0.2890
  several runs in one program, each line prefixed by the run's name:
      [dropout] Epoch 3/20 - loss: 0.41 - val_loss: 0.52 - val_accuracy: 0.88

The curve files are named -zh/-en (not .zh.svg): the i18n plugin would take
`x.zh.svg` for a translation of `x.svg`. Run names are labelled from
RUN_LABELS, metric names from METRIC_LABELS (else shown as they are).

These files are generated: never edit them by hand. tests/test_generated.py
fails when a snippet changed after its output was generated.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from tools import runner
from tools.offline import datasets

GENERATED = runner.DOCS / "assets" / "generated"
LANGS = ("zh", "en")
FIGURE_SUFFIXES = (".png", ".svg")

_VALUE = r"[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|nan|inf)"
# A `name: value` pair at the start of a line or after " - ".
METRIC_PAIR = re.compile(rf"(?:^|\s-\s)([A-Za-z_]\w*): ({_VALUE})(?=\s-\s|\s*$)")
EPOCH_KERAS_HEAD = re.compile(r"^Epoch (\d+)/\d+\s*$")
EPOCH_LINE = re.compile(r"^(?:\[([A-Za-z0-9_.+-]+)\] )?Epoch (\d+)/\d+ - (.*)$")

# Legend labels of the runs of multi-run logs; a name not listed is shown as is.
RUN_LABELS = {
    "baseline": {"zh": "无正则化", "en": "no regularization"},
    "l2": {"zh": "L2 正则化", "en": "L2 regularization"},
    "dropout": {"zh": "dropout", "en": "dropout"},
    "batchnorm": {"zh": "批量归一化", "en": "batch normalization"},
    "early_stopping": {"zh": "早停", "en": "early stopping"},
    "sgd": {"zh": "SGD", "en": "SGD"},
    "momentum": {"zh": "动量", "en": "momentum"},
    "nesterov": {"zh": "Nesterov 动量", "en": "Nesterov momentum"},
    "rmsprop": {"zh": "RMSprop", "en": "RMSprop"},
    "adam": {"zh": "Adam", "en": "Adam"},
    "sgd_cosine": {"zh": "动量 + 余弦衰减", "en": "momentum + cosine decay"},
}

# Subplot titles of the metrics (base names, without `val_`).
METRIC_LABELS = {
    "loss": {"zh": "损失", "en": "loss"},
    "accuracy": {"zh": "准确率", "en": "accuracy"},
    "d_loss": {"zh": "判别器损失", "en": "discriminator loss"},
    "g_loss": {"zh": "生成器损失", "en": "generator loss"},
    "mae": {"zh": "平均绝对误差", "en": "mean absolute error"},
    "mse": {"zh": "均方误差", "en": "mean squared error"},
    "learning_rate": {"zh": "学习率", "en": "learning rate"},
    "modes": {"zh": "覆盖的模式数", "en": "modes covered"},
    "high_quality": {"zh": "高质量样本比例", "en": "share of high-quality samples"},
}

WORDS = {
    "zh": {"epoch": "轮", "train": "训练", "val": "验证"},
    "en": {"epoch": "epoch", "train": "training", "val": "validation"},
}

# Latin text in DejaVu Sans (matplotlib's own font), Chinese in the first CJK
# font found. fonts-wqy-microhei is what `make test` installs on Debian.
LATIN_FONT = "DejaVu Sans"
CJK_FONTS = [
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
]


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def outputs_for(snippet: Path) -> dict[str, Path]:
    chapter = snippet.parent.relative_to(runner.SNIPPETS)
    base = GENERATED / chapter / snippet.stem
    return {
        "out": base.with_name(base.name + ".out.txt"),
        "versions": base.with_name(base.name + ".versions.txt"),
        "meta": base.with_name(base.name + ".meta.json"),
        **{f"curves_{lang}": base.with_name(f"{base.name}-{lang}.svg") for lang in LANGS},
    }


def _pairs(text: str) -> dict[str, float]:
    return {k: float(v) for k, v in METRIC_PAIR.findall(text)}


def epochs(stdout: str) -> list[dict]:
    """Per-epoch metrics from the log: one row per epoch line, {"epoch": i,
    <metric>: value, ...}, plus "run": name on the lines of a multi-run log."""
    rows, lines = [], stdout.splitlines()
    for i, line in enumerate(lines):
        if m := EPOCH_LINE.match(line):
            values = _pairs(m[3])
            if values:
                rows.append({"epoch": int(m[2]), **({"run": m[1]} if m[1] else {}), **values})
        elif m := EPOCH_KERAS_HEAD.match(line):
            # Keras verbose=2: the metrics are on the next line that has any
            # (callbacks may print in between), before the next epoch.
            for following in lines[i + 1 :]:
                if EPOCH_KERAS_HEAD.match(following) or EPOCH_LINE.match(following):
                    break
                if values := _pairs(following):
                    rows.append({"epoch": int(m[1]), **values})
                    break
    return rows


def runs(rows: list[dict]) -> dict[str, list[dict]]:
    """Rows grouped by run, in order of appearance. Unnamed rows form one run
    named ""; when their epochs start again (several fit() calls logged with
    verbose=2), each restart is a new run "2", "3", ..."""
    groups: dict[str, list[dict]] = {}
    unnamed = ""
    for row in rows:
        name = row.get("run")
        if name is None:
            if groups.get(unnamed) and row["epoch"] <= groups[unnamed][-1]["epoch"]:
                unnamed = str(sum(1 for k in groups if k == "" or k.isdigit()) + 1)
            name = unnamed
        groups.setdefault(name, []).append(row)
    return groups


def metric_names(rows: list[dict]) -> list[str]:
    """Base metric names (no `val_`): loss, accuracy, then the others as they appear."""
    seen = []
    for row in rows:
        for key in row:
            if key in ("epoch", "run"):
                continue
            base = key[4:] if key.startswith("val_") else key
            if base not in seen:
                seen.append(base)
    first = [m for m in ("loss", "accuracy") if m in seen]
    return first + [m for m in seen if m not in first]


def label(table: dict, name: str, lang: str) -> str:
    return table.get(name, {}).get(lang, name)


def _fonts() -> tuple[list[str], bool]:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    cjk = [f for f in CJK_FONTS if f in installed]
    return [LATIN_FONT] + cjk, bool(cjk)


_SVG_GEOMETRY = re.compile(r'(\s(?:d|x|y|width|height|transform)=")([^"]*)"')
_LONG_FLOAT = re.compile(r"-?\d+\.\d{3,}")
_FONT_FAMILY = re.compile(r"font-family: ([^;\"]+)")


def compact_svg(svg: str) -> str:
    """Shrink matplotlib's SVG about threefold without changing the picture:
    one CSS rule for the font list instead of one per text, coordinates to
    0.01 pt, no identity rotations, no unreferenced group ids, no indentation."""
    families = set(_FONT_FAMILY.findall(svg))
    if len(families) == 1:
        family = families.pop()
        svg = svg.replace(f"font-family: {family}; ", "").replace(f"; font-family: {family}", "")
        svg = svg.replace(
            '<style type="text/css">', f'<style type="text/css">text{{font-family: {family}}}', 1
        )
    svg = re.sub(r' transform="rotate\(-?0 [^)"]*\)"', "", svg)

    def geometry(m: re.Match) -> str:
        value = _LONG_FLOAT.sub(lambda f: f"{float(f[0]):.2f}".rstrip("0").rstrip("."), m[2])
        return f'{m[1]}{" ".join(value.split())}"'

    svg = _SVG_GEOMETRY.sub(geometry, svg)
    svg = re.sub(r'<g id="[^"]*">', "<g>", svg)
    return re.sub(r">\s+<", ">\n<", svg)


def plot_curves(rows: list[dict], lang: str, path: Path) -> None:
    """Training (solid) and validation (dashed) curves, one subplot per metric,
    one colour per run, as an SVG with real text; same numbers, same bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    families, has_cjk = _fonts()
    if lang == "zh" and not has_cjk:
        raise SystemExit(
            "No Chinese font for the zh curves: install one, e.g. "
            "`sudo apt-get install fonts-wqy-microhei` (fc-list :lang=zh lists them)"
        )
    words = WORDS[lang]
    groups = runs(rows)
    names = metric_names(rows)
    multi = len(groups) > 1
    has_val = any(k.startswith("val_") for r in rows for k in r)
    ncols = len(names) if len(names) <= 3 else 2
    nrows = -(-len(names) // ncols)
    rc = {
        "svg.fonttype": "none",  # text stays text: searchable, small, crisp
        "svg.hashsalt": "dldocs-curves",  # fixed ids: same numbers, same bytes
        # Installed fonts first (for the layout), then the generic family: the
        # SVG's CSS names the whole list, so a browser picks what it has.
        "font.family": families + ["sans-serif"],
        "font.sans-serif": [LATIN_FONT] + CJK_FONTS + ["sans-serif"],
        "font.size": 9,
        "axes.unicode_minus": False,
        "figure.facecolor": "white",  # opaque: readable in dark mode too
        "savefig.facecolor": "white",
    }
    with matplotlib.rc_context(rc), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, axes = plt.subplots(
            nrows, ncols, figsize=(3.4 * ncols, 2.5 * nrows + 0.4), layout="constrained", squeeze=False
        )
        axes = axes.ravel()
        for ax in axes[len(names) :]:
            ax.set_visible(False)
        for ax, name in zip(axes, names):
            for colour, run_rows in enumerate(groups.values()):
                for key, style in ((name, "-"), ("val_" + name, "--")):
                    points = [(r["epoch"], r[key]) for r in run_rows if key in r]
                    if points:
                        x, y = zip(*points)
                        ax.plot(x, y, style, color=f"C{colour % 10}", lw=1.4)
            ax.set_title(label(METRIC_LABELS, name, lang))
            ax.set_xlabel(words["epoch"])
            ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
            ax.grid(alpha=0.3)
        handles = []
        if multi:
            handles += [
                Line2D([], [], color=f"C{i % 10}", lw=1.4, label=label(RUN_LABELS, run or "1", lang))
                for i, run in enumerate(groups)
            ]
        style_colour = "0.35" if multi else "C0"
        handles.append(Line2D([], [], color=style_colour, lw=1.4, ls="-", label=words["train"]))
        if has_val:
            handles.append(Line2D([], [], color=style_colour, lw=1.4, ls="--", label=words["val"]))
        fig.legend(
            handles=handles,
            loc="outside lower center",
            frameon=False,
            ncols=min(len(handles), 6 if ncols > 1 else 3),
        )
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(fig)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(compact_svg(buffer.getvalue()), encoding="utf-8")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    if missing:
        raise SystemExit(f"{runner.rel(path)}: {missing[0]} (install a Chinese font)")


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
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={
            **runner.snippet_env(Path("."), Path(tempfile.gettempdir()), backend, "cpu"),
            "DLDOCS_OFFLINE_DATA": "",
        },
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def copy_figures(workdir: Path, snippet: Path) -> list[Path]:
    """Copy the .png/.svg files the snippet saved in its working directory to
    <stem>.<name>, and delete earlier such copies it no longer makes."""
    target_dir = outputs_for(snippet)["out"].parent
    copied = []
    for src in sorted(workdir.iterdir()):
        if src.is_file() and src.suffix.lower() in FIGURE_SUFFIXES:
            dst = target_dir / f"{snippet.stem}.{src.name}"
            shutil.copyfile(src, dst)
            copied.append(dst)
    for old in target_dir.glob(f"{snippet.stem}.*"):
        if old.suffix.lower() in FIGURE_SUFFIXES and old not in copied:
            old.unlink()  # also the <stem>.png curves of earlier versions
    return copied


def generate(snippet: Path, offline_dir: Path) -> dict:
    backend = runner.page_backend(snippet)
    files = outputs_for(snippet)
    files["out"].parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        run = runner.run_snippet(snippet, offline_dir, Path(home), backend=backend)
        if run.returncode != 0:
            raise SystemExit(run.describe())
        figures = copy_figures(Path(home), snippet)
    files["out"].write_text(run.stdout.rstrip() + "\n", encoding="utf-8")
    v = versions(snippet, backend)
    line = " · ".join(f"{k} {val}" for k, val in v.items()) + f" · CPU ({platform.machine()})"
    files["versions"].write_text(line + "\n", encoding="utf-8")
    rows = epochs(run.stdout)
    curves = []
    for lang in LANGS:
        path = files[f"curves_{lang}"]
        if rows:
            plot_curves(rows, lang, path)
            curves.append(path)
        else:
            path.unlink(missing_ok=True)
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
        "runs": [name for name in runs(rows) if name],
        "curves": [runner.rel(p) for p in curves],
        "figures": [runner.rel(p) for p in figures],
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
