"""The theory figures (`make plots`: tools/plots.py and tools/diagrams.py) are
current, shown, in their page's language, and say what the pages say.

Staleness is judged from figures.meta.json, not by redrawing and comparing
bytes (font metrics differ between machines): it records the sha256 of the
generating code and of the snippets the figures are computed from."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from tools import checks, diagrams, runner

GENERATED = runner.DOCS / "assets" / "generated"
THEORY = GENERATED / "theory"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
SVG_NS = "{http://www.w3.org/2000/svg}"


def _plots():
    # tools.plots imports matplotlib; only the tests that need it pay for it.
    return pytest.importorskip("tools.plots", reason="matplotlib is not installed")


def generators():
    """(output folder, generating code, inputs) of each figure generator."""
    out = [(diagrams.OUT, diagrams.CODE, diagrams.INPUTS)]
    try:
        from tools import plots
    except ImportError:  # matplotlib missing: the plots' meta is still checked by name
        return out + [(THEORY, None, None)]
    return out + [(plots.OUT, plots.CODE, plots.INPUTS)]


GENERATORS = generators()


def _meta(folder: Path) -> dict:
    path = folder / diagrams.META
    assert path.exists(), f"{runner.rel(path)} is missing: run `make plots`"
    return json.loads(path.read_text(encoding="utf-8"))


def all_figures() -> list[Path]:
    return sorted(runner.REPO / f for folder, _, _ in GENERATORS for f in _meta(folder)["figures"])


def _pages() -> list[Path]:
    return checks.pages(runner.DOCS)


def _images(page: Path) -> list[tuple[str, Path]]:
    """(alt, resolved path) of every local image a page shows."""
    text = checks.prose(page.read_text(encoding="utf-8"))
    return [
        (alt, (page.parent / target).resolve())
        for alt, target in checks.IMAGE.findall(text)
        if not re.match(r"[a-z]+:", target)
    ]


@pytest.mark.parametrize("folder,code,inputs", GENERATORS, ids=[g[0].name for g in GENERATORS])
def test_figures_are_current(folder, code, inputs):
    meta = _meta(folder)
    stale = [
        path
        for group in ("code", "inputs")
        for path, digest in meta[group].items()
        if not (runner.REPO / path).exists() or diagrams.sha256(runner.REPO / path) != digest
    ]
    assert not stale, (
        f"{', '.join(stale)} changed after the figures in {runner.rel(folder)} were drawn: run `make plots`"
    )
    if code is not None:
        # The meta names everything the figures are computed from.
        assert sorted(meta["code"]) == sorted(runner.rel(p) for p in code), "run `make plots`"
        assert sorted(meta["inputs"]) == sorted(runner.rel(p) for p in inputs), "run `make plots`"
    missing = [f for f in meta["figures"] if not (runner.REPO / f).exists()]
    assert not missing, f"listed in {diagrams.META} but missing: {missing}; run `make plots`"
    # No figure left over from an earlier version (e.g. the old PNG plots).
    made_by_snippets = tuple(f"{p.stem}." for p in runner.all_snippets())
    on_disk = {
        runner.rel(p)
        for p in folder.iterdir()
        if p.suffix in (".svg", ".png") and not p.name.startswith(made_by_snippets)
    }
    assert on_disk == set(meta["figures"]), (
        f"not made by `make plots`: {sorted(on_disk - set(meta['figures']))}"
    )


def test_every_figure_is_shown_and_every_shown_figure_exists():
    """For the figures of `make plots`; the examples' curves are checked by
    tests/test_generated.py, every link and image of the built site by tests/test_links.py."""
    folders = [folder.resolve() for folder, _, _ in GENERATORS]
    shown, broken = set(), []
    for page in _pages():
        for _, path in _images(page):
            shown.add(path)
            if path.parent in folders and not path.exists():
                broken.append(f"{runner.rel(page)} shows {runner.rel(path)}, which does not exist")
    assert not broken, "\n".join(broken)
    unshown = [runner.rel(f) for f in all_figures() if f.resolve() not in shown]
    assert not unshown, f"generated but shown by no page: {unshown}"


def test_each_page_shows_its_own_languages_figures():
    """Each language's version of a figure is shown by a page of that language only."""
    for page in _pages():
        lang = checks.language_of(page)
        for _, path in _images(page):
            m = checks.LOCALIZED.search(path.name)
            if path.is_relative_to(GENERATED) and path.parent.name in ("theory", "diagrams"):
                assert m, f"{runner.rel(page)}: {path.name} is not a localized figure (-zh.svg / -en.svg)"
                assert m.group(1) == lang, f"{runner.rel(page)} ({lang}) shows {path.name}"


@pytest.mark.parametrize("figure", all_figures(), ids=lambda p: p.name)
def test_figure_is_svg_with_text_in_its_language(figure):
    svg = figure.read_text(encoding="utf-8")
    root = ET.fromstring(svg)  # well-formed
    assert root.tag == SVG_NS + "svg"
    texts = ["".join(t.itertext()) for t in root.iter(SVG_NS + "text")]
    assert len(texts) >= 3, f"{figure.name}: the labels are not text"
    lang = checks.LOCALIZED.search(figure.name).group(1)
    if lang == "zh":
        assert any(CJK.search(t) for t in texts), f"{figure.name} has no Chinese text"
    else:
        assert not CJK.search(svg), f"{figure.name} contains Chinese: {CJK.search(svg)[0]!r}"
    # Fonts: a list with a Chinese fallback; an opaque white background for the dark theme.
    assert "WenQuanYi Micro Hei" in svg and "sans-serif" in svg
    assert re.search(r'fill(="|: )#ffffff', svg), f"{figure.name} has no opaque background"
    assert "<image" not in svg and "$" not in "".join(texts), (
        f"{figure.name}: raster image or LaTeX in the text"
    )
    limit = diagrams.SIZE_LIMIT if figure.parent == diagrams.OUT else 40_000
    assert len(svg.encode()) <= limit, f"{figure.name}: {len(svg.encode())} bytes"


def test_both_languages_have_the_same_figures():
    names = [f.name for f in all_figures()]
    zh = {n.replace("-zh.svg", "") for n in names if n.endswith("-zh.svg")}
    en = {n.replace("-en.svg", "") for n in names if n.endswith("-en.svg")}
    assert zh == en and len(zh) * 2 == len(names)


# --- what the diagrams show is what the pages and programs say -----------------


@pytest.mark.parametrize("lang", diagrams.LANGS)
def test_backprop_graph_shows_the_worked_examples_numbers(lang):
    """The graph shows the forward values and gradients that the backprop page
    states (and its code block asserts), computed from the same network."""
    page = runner.DOCS / "theory" / ("backprop.md" if lang == "zh" else "backprop.en.md")
    text = page.read_text(encoding="utf-8")
    e = diagrams.WORKED_EXAMPLE
    # The same network as the page's code block.
    assert f"x, y = np.array({e['x']}), {e['y']}" in text
    assert f"W1, b1 = np.array({e['W1']}), np.array({e['b1']})" in text
    assert f"W2, b2 = np.array({e['W2']}), np.array({e['b2']})" in text
    v = diagrams.worked_example()
    stated = {
        "z1": v["z1"],
        "z2": v["z2"],
        "p": v["p"],
        "loss": v["loss"],
        "delta2": v["dz2"],
        "dW2": v["dW2"][0, 0],
        "delta1": v["dz1"][0],
        "dW1": v["dW1"][0],
    }
    figure = (diagrams.OUT / f"backprop_graph-{lang}.svg").read_text(encoding="utf-8").replace("−", "-")
    for name, values in stated.items():
        for value in np.ravel(values):
            shown = diagrams.fmt(value).replace("−", "-")
            assert shown in text, f"{page.name} does not state {name} = {shown}"
            assert shown in figure, f"the graph does not show {name} = {shown}"


def test_early_stopping_diagram_agrees_with_the_program():
    """The diagram marks the epoch that regularization_numpy.py reports."""
    losses, patience, best, stop = diagrams.early_stopping_run()
    out = (THEORY / "regularization_numpy.out.txt").read_text(encoding="utf-8")
    m = re.search(rf"early stopping with patience {patience} keeps epoch (\d+)", out)
    assert m, "regularization_numpy.py no longer prints the early-stopping demo"
    assert int(m[1]) == best
    assert all(loss >= losses[best] for loss in losses[best + 1 : stop + 1])
    for lang in diagrams.LANGS:
        svg = (diagrams.OUT / f"early_stopping-{lang}.svg").read_text(encoding="utf-8")
        assert f"patience = {patience}" in svg and f" {best}" in svg and f" {stop}" in svg


def test_convolution_and_pooling_diagrams_use_the_pages_formulas():
    cnn = runner.load_theory_snippet("cnn")
    x = np.array(diagrams.CONV_INPUT, float)
    w = np.array(diagrams.CONV_KERNEL, float)
    s = diagrams.CONV_STRIDE
    n_out = cnn.output_size(len(x), len(w), stride=s)
    y = cnn.conv2d(x[None, None], w[None, None], stride=s)[0, 0]
    # The first output is the sum over the first window; the next, s columns to the right.
    assert y[0, 0] == (x[:3, :3] * w).sum() and y[0, 1] == (x[:3, s : s + 3] * w).sum()
    for lang in diagrams.LANGS:
        svg = (diagrams.OUT / f"conv_stride-{lang}.svg").read_text(encoding="utf-8")
        assert re.search(rf"\+ 1 = {n_out}</(tspan|text)>", svg) and f"= {diagrams.fmt(y[0, 0])}" in svg
        pool = (diagrams.OUT / f"max_pooling-{lang}.svg").read_text(encoding="utf-8")
        for value in cnn.max_pool2d(np.array(diagrams.POOL_INPUT, float)[None, None], 2).ravel():
            assert f'font-weight="bold">{diagrams.fmt(value)}</text>' in pool


def test_lstm_diagram_labels_the_gates_as_the_page():
    page = (runner.DOCS / "theory" / "architectures.md").read_text(encoding="utf-8")
    for gate in "ifgo":
        assert f"{gate}_t &=" in page
        for lang in diagrams.LANGS:
            svg = (diagrams.OUT / f"lstm_cell-{lang}.svg").read_text(encoding="utf-8")
            assert f">{gate}<tspan" in svg, f"lstm_cell-{lang}.svg does not label {gate}_t"


# --- the builder and the plots --------------------------------------------------


def test_svg_builder_writes_sub_and_superscripts_as_text():
    svg = diagrams.Svg(100, 50, "t")
    svg.text(10, 20, "a^{[l]} = x_{t}")
    out = svg.render()
    ET.fromstring(out)
    assert '>a<tspan dy="-5.3" font-size="10.1">[l]</tspan><tspan dy="5.3"> = x</tspan>' in out
    assert diagrams.fmt(-0.04305) == "−0.0430" and diagrams.fmt(0.28000000000000003) == "0.28"
    assert diagrams.fmt(-0.0) == "0"


def test_plots_are_reproducible_and_localized(tmp_path, monkeypatch):
    plots = _plots()
    if not plots.cjk_fonts():
        pytest.skip(f"no Chinese font installed: {plots.INSTALL}")
    import matplotlib

    monkeypatch.setattr(plots, "OUT", tmp_path)
    out = {}
    for lang in diagrams.LANGS:
        with matplotlib.rc_context(plots.rc(lang)):
            first = plots.schedules(lang)[0].read_bytes()
            second = plots.schedules(lang)[0].read_bytes()
        assert first == second, "same inputs, different bytes"
        out[lang] = first.decode()
    assert ">学习率 αₜ</text>" in out["zh"] and ">learning rate αₜ</text>" in out["en"]
    assert "余弦衰减" in out["zh"] and not CJK.search(out["en"])
