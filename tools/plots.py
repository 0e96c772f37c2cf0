"""Draw the figures of the theory chapters: `make plots`.

Writes each plot twice to docs/assets/generated/theory/, as <name>-zh.svg
(Chinese title, axes and legend, for the Chinese page) and <name>-en.svg
(English), from the NumPy functions of snippets/theory/, so a figure always
shows exactly the formula the page states and the tests check. The SVGs keep
their text as text (svg.fonttype "none": searchable, sharp, small) and are
deterministic (fixed svg.hashsalt, no date). Matplotlib measures the Chinese
labels with a Chinese font, so one must be installed (fonts-wqy-microhei on
Debian; `fc-list :lang=zh` lists them): without one this stops with the
command that installs it. Then it draws the structure diagrams
(tools/diagrams.py), so `make plots` regenerates every theory figure.

figures.meta.json records the sha256 of this code and of the snippets it
plots; tests/test_figures.py fails, asking for `make plots`, when one of them
changed after the figures were drawn. Generated files: never edit them by hand.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.patches import Ellipse  # noqa: E402

from tools import diagrams, runner  # noqa: E402

OUT = runner.DOCS / "assets" / "generated" / "theory"
LANGS = diagrams.LANGS
SIZE_LIMIT = 40_000  # bytes per plot

load = runner.load_theory_snippet

# Latin text in DejaVu Sans (matplotlib's own font), Chinese in the first
# Chinese font installed; the SVG names the whole list, with fallbacks, so a
# browser picks what it has.
LATIN_FONT = "DejaVu Sans"
CJK_FONTS = [
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
    "Source Han Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
]
INSTALL = "sudo apt-get install fonts-wqy-microhei"


def cjk_fonts() -> list[str]:
    """The Chinese fonts matplotlib can use; registers fonts that fontconfig
    knows but matplotlib's font cache (built before they were installed) does not."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    if not installed & set(CJK_FONTS):
        for path in font_manager.findSystemFonts():
            if re.search(r"wqy|cjk|sourcehan", path, re.I):
                font_manager.fontManager.addfont(path)
        installed = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in CJK_FONTS if f in installed]


def rc(lang: str) -> dict:
    cjk = cjk_fonts()
    if not cjk:
        raise SystemExit(f"No Chinese font for the zh figures (fc-list :lang=zh lists none): {INSTALL}")
    return {
        "svg.fonttype": "none",  # text stays text
        "svg.hashsalt": f"dldocs-theory-{lang}",  # fixed ids: same figure, same bytes
        "font.family": [LATIN_FONT, *cjk, "sans-serif"],
        "font.sans-serif": [*CJK_FONTS, "sans-serif"],
        "font.size": 10,
        "axes.unicode_minus": True,
        "figure.facecolor": "white",  # opaque: readable in dark mode too
        "savefig.facecolor": "white",
    }


_GEOMETRY = re.compile(r'(\s(?:d|x|y|width|height|transform)=")([^"]*)"')
_LONG_FLOAT = re.compile(r"-?\d+\.\d{3,}")
_FONT_FAMILY = re.compile(r"font-family: ([^;\"]+)")


def compact(svg: str) -> str:
    """Smaller SVG, same picture: the font list once in CSS, coordinates to
    0.01 pt, no identity rotations, no unused group ids, no indentation."""
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

    svg = _GEOMETRY.sub(geometry, svg)
    svg = re.sub(r'<g id="[^"]*">', "<g>", svg)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r">\s+<", ">\n<", svg)

    # A line's markers: one style on their group instead of one per marker.
    def hoist(m: re.Match) -> str:
        styles = set(re.findall(r' style="([^"]*)"/>', m[2]))
        if len(styles) != 1:
            return m[0]
        return f'{m[1]} style="{styles.pop()}">' + re.sub(r' style="[^"]*"/>', "/>", m[2])

    return re.sub(r'(<g clip-path="[^"]*")>((?:\n<use [^>]*/>)+)', hoist, svg)


def save(fig, name: str, lang: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}-{lang}.svg"
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = compact(buffer.getvalue())
    if len(svg.encode()) > SIZE_LIMIT:
        raise SystemExit(f"{runner.rel(path)}: {len(svg.encode())} bytes, over {SIZE_LIMIT}")
    path.write_text(svg, encoding="utf-8")
    return path


def tr(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def activations(lang: str) -> list[Path]:
    act = load("activations")
    z = np.linspace(-5, 5, 401)
    paths = []
    for name, title, symbol in [
        ("sigmoid", "sigmoid", "σ"),
        ("tanh", "tanh", "tanh"),
        ("relu", "ReLU", "ReLU"),
    ]:
        fig, ax = plt.subplots(figsize=(4.2, 3.0))
        ax.plot(z, getattr(act, name)(z), label=f"{symbol}(z)")
        ax.plot(
            z,
            getattr(act, name + "_grad")(z),
            "--",
            label=tr(lang, f"导数 {symbol}′(z)", f"derivative {symbol}′(z)"),
        )
        ax.axhline(0, color="0.6", lw=0.6)
        ax.axvline(0, color="0.6", lw=0.6)
        ax.set_xlabel("z")
        ax.set_title(tr(lang, f"{title} 及其导数", f"{title} and its derivative"))
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
        paths.append(save(fig, f"activation_{name}", lang))
    # Softmax of the logits (z, 0, -1) as z varies: the outputs always sum to 1.
    logits = np.stack([z, np.zeros_like(z), -np.ones_like(z)], axis=1)
    p = act.softmax(logits)
    fig, ax = plt.subplots(figsize=(4.2, 3.0))
    labels = [
        tr(lang, "p₁（logit 为 z）", "p₁ (logit z)"),
        tr(lang, "p₂（logit 为 0）", "p₂ (logit 0)"),
        tr(lang, "p₃（logit 为 −1）", "p₃ (logit −1)"),
    ]
    for k, label in enumerate(labels):
        ax.plot(z, p[:, k], label=label)
    ax.set_xlabel("z")
    ax.set_title("softmax(z, 0, −1)")
    ax.grid(alpha=0.3)
    ax.legend(loc="center left")
    paths.append(save(fig, "activation_softmax", lang))
    return paths


# The hyper-parameters that optimizers_numpy.run uses for each path, as the
# figure's legend and the page state them. trajectory_labels() replays every
# path from the step functions with these values and refuses to draw a legend
# that does not match what run() computed.
TRAJECTORY_HYPER = {
    "SGD": ("α=0.09", lambda opt, th, g, s, t: (opt.sgd_step(th, g, lr=0.09), s)),
    "Momentum": (
        "α=0.02, μ=0.8",
        lambda opt, th, g, s, t: opt.sgd_momentum_step(th, g, s, lr=0.02, momentum=0.8),
    ),
    "Nesterov": (
        "α=0.02, μ=0.8",
        lambda opt, th, g, s, t: opt.nesterov_step(th, g, s, lr=0.02, momentum=0.8),
    ),
    "RMSprop": (
        "αₜ=0.2/(1+0.1t), ρ=0.9",
        lambda opt, th, g, s, t: opt.rmsprop_step(th, g, s, lr=0.2 / (1 + 0.1 * (t - 1)), rho=0.9, eps=1e-7),
    ),
    "Adam": (
        "α=0.3, β₁=0.9, β₂=0.999",
        lambda opt, th, g, s, t: (lambda r: (r[0], (r[1], r[2])))(
            opt.adam_step(th, g, s[0], s[1], t, lr=0.3, beta1=0.9, beta2=0.999, eps=1e-8)
        ),
    ),
}
# The optimizers' names as the pages write them.
OPTIMIZER_NAMES = {"Momentum": {"zh": "动量", "en": "Momentum"}}


def trajectory_labels(opt, steps: int, lang: str) -> dict[str, str]:
    labels = {}
    for name in opt.OPTIMIZERS:
        text, step = TRAJECTORY_HYPER[name]
        theta = np.array(opt.START, dtype=float)
        state = (np.zeros(2), np.zeros(2)) if name == "Adam" else np.zeros(2)
        path = [theta.copy()]
        for t in range(1, steps + 1):
            theta, state = step(opt, theta, opt.bowl_grad(theta), state, t)
            path.append(theta.copy())
        if not np.allclose(np.array(path), opt.run(name, opt.START, steps), rtol=0, atol=1e-12):
            raise SystemExit(
                f"tools/plots.py: the legend's hyper-parameters for {name} are not those of optimizers_numpy.run"
            )
        shown = OPTIMIZER_NAMES.get(name, {}).get(lang, name)
        labels[name] = tr(lang, f"{shown}（{text}）", f"{shown} ({text})")
    return labels


def trajectories(lang: str) -> list[Path]:
    opt = load("optimizers")
    steps = 40
    assert np.allclose(opt.A, np.diag(np.diag(opt.A))), "the level sets below are axis-aligned ellipses"
    a, b = opt.A[0, 0], opt.A[1, 1]
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    # The level sets of L = (a θ1² + b θ2²) / 2: ellipses with semi-axes sqrt(2L/a), sqrt(2L/b).
    for level in np.geomspace(0.01, 40, 14):
        ax.add_patch(
            Ellipse(
                (0, 0),
                2 * np.sqrt(2 * level / a),
                2 * np.sqrt(2 * level / b),
                fill=False,
                edgecolor="0.75",
                lw=0.7,
            )
        )
    labels = trajectory_labels(opt, steps, lang)
    for name, style in zip(opt.OPTIMIZERS, ["o-", "s-", "^-", "d-", "v-"]):
        path = opt.run(name, opt.START, steps)
        ax.plot(path[:, 0], path[:, 1], style, markersize=2.5, lw=1.1, label=labels[name])
    ax.plot(0, 0, "k*", markersize=10)
    ax.set_xlim(-4.5, 1.5)
    ax.set_ylim(-2.0, 2.0)
    ax.set_xlabel("θ₁")
    ax.set_ylabel("θ₂")
    loss = "ℒ = ½(θ₁² + 10θ₂²)"
    ax.set_title(tr(lang, f"在 {loss} 上的前 {steps} 步", f"first {steps} steps on {loss}"))
    ax.legend(loc="lower right", fontsize=7.5)
    ax.set_aspect("equal")
    return [save(fig, "optimizer_trajectories", lang)]


def schedules(lang: str) -> list[Path]:
    opt = load("optimizers")
    t = np.arange(0, 101)
    fig, ax = plt.subplots(figsize=(5.6, 3.2))
    curves = [
        (
            tr(lang, "逆时间衰减", "inverse time"),
            "α₀=0.1, β=0.05",
            lambda s: opt.inverse_time_decay(0.1, 0.05, s),
            {},
        ),
        (
            tr(lang, "阶梯衰减", "step"),
            "γ=0.5, s=25",
            lambda s: opt.step_decay(0.1, 0.5, 25, s),
            {"drawstyle": "steps-post"},
        ),
        (
            tr(lang, "指数衰减", "exponential"),
            "γ=0.96, s=4",
            lambda s: opt.exponential_decay(0.1, 0.96, 4, s),
            {},
        ),
        (tr(lang, "余弦衰减", "cosine"), "T=100", lambda s: opt.cosine_decay(0.1, 100, s), {}),
    ]
    for name, params, fn, style in curves:
        ax.plot(t, [fn(s) for s in t], label=tr(lang, f"{name}（{params}）", f"{name} ({params})"), **style)
    ax.set_xlabel(tr(lang, "已完成的更新次数 t", "updates done t"))
    ax.set_ylabel(tr(lang, "学习率 αₜ", "learning rate αₜ"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return [save(fig, "lr_schedules", lang)]


# What the plots are computed from: this code (and the diagrams' helpers it
# uses) and the snippets it plots.
CODE = [Path(__file__).resolve(), Path(diagrams.__file__).resolve()]
INPUTS = [
    runner.SNIPPETS / "theory" / "activations_numpy.py",
    runner.SNIPPETS / "theory" / "optimizers_numpy.py",
]


def plots() -> list[Path]:
    written = []
    for lang in LANGS:
        with matplotlib.rc_context(rc(lang)), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for draw in (activations, trajectories, schedules):
                written += draw(lang)
        missing = sorted({str(w.message) for w in caught if "missing from" in str(w.message)})
        if missing:
            raise SystemExit(f"{missing[0]}: install a Chinese font ({INSTALL})")
        other = [str(w.message) for w in caught]
        if other:
            raise SystemExit(f"unexpected warnings while plotting: {other}")
    # Old files of earlier versions (activation_relu.png, ...) go.
    diagrams.remove_stale(OUT, written)
    diagrams.write_meta(OUT, "make plots (python -m tools.plots)", CODE, INPUTS, written)
    return written


def main() -> None:
    for path in plots():
        print(runner.rel(path), path.stat().st_size, "bytes")
    diagrams.main()


if __name__ == "__main__":
    main()
