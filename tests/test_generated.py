"""Generated outputs (make outputs) exist for every snippet and are current,
and the pages show each example's curves in their own language."""

from __future__ import annotations

import json
import re

import pytest

from tools import generate, runner

SNIPPETS = runner.all_snippets()
EXAMPLE_PAGES = sorted((runner.DOCS / "examples").glob("*.md"))


def _meta(snippet):
    return json.loads(generate.outputs_for(snippet)["meta"].read_text(encoding="utf-8"))


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[runner.rel(s) for s in SNIPPETS])
def test_generated_output_is_current(snippet):
    files = generate.outputs_for(snippet)
    required = ["out", "versions", "meta"]
    missing = [runner.rel(files[k]) for k in required if not files[k].exists()]
    assert not missing, f"{runner.rel(snippet)}: run `make outputs`; missing {missing}"
    meta = _meta(snippet)
    assert meta["snippet_sha256"] == generate.sha256(snippet), (
        f"{runner.rel(snippet)} changed after its output was generated: run `make outputs`"
    )
    # The output shown on the page meets the same bar as the tests.
    run = runner.Run(snippet, meta["keras_backend"], 0, files["out"].read_text(encoding="utf-8"), "", 0)
    problems = runner.check_bars(run, runner.load_bars()[runner.rel(snippet)])
    assert not problems, "the generated output misses its bar: " + "; ".join(problems)
    # Every figure the run produced is there; curves exactly when it logged epochs.
    listed = meta.get("figures", []) + meta.get("curves", [])
    absent = [p for p in listed if not (runner.REPO / p).exists()]
    assert not absent, f"{runner.rel(snippet)}: listed in its meta but missing: {absent}; run `make outputs`"
    for lang, words in generate.WORDS.items():
        curves = files[f"curves_{lang}"]
        if not meta["epochs"]:
            assert not curves.exists(), f"{runner.rel(curves)}: the run logs no epochs; stale file"
            continue
        assert curves.exists(), f"{runner.rel(curves)} is missing: run `make outputs`"
        svg = curves.read_text(encoding="utf-8")
        # Real text (svg.fonttype none) in the page's language.
        assert f">{words['epoch']}</text>" in svg, (
            f"{runner.rel(curves)} has no '{words['epoch']}' axis label"
        )
        assert len(svg.encode()) <= 40_000, f"{runner.rel(curves)} is {len(svg.encode())} bytes"


def _pages_including(stem: str) -> list:
    include = re.compile(rf'--8<-- "snippets/examples/{re.escape(stem)}\.py(:\w+)?"')
    return [p for p in EXAMPLE_PAGES if include.search(p.read_text(encoding="utf-8"))]


EXAMPLE_SNIPPETS = [s for s in SNIPPETS if s.parent == runner.SNIPPETS / "examples"]


@pytest.mark.parametrize("snippet", EXAMPLE_SNIPPETS, ids=[s.stem for s in EXAMPLE_SNIPPETS])
def test_example_pages_show_their_languages_curves(snippet):
    if not generate.outputs_for(snippet)["meta"].exists() or not _meta(snippet)["epochs"]:
        pytest.skip("the run logs no epochs: no curves to show")
    pages = _pages_including(snippet.stem)
    assert pages, f"no example page includes {runner.rel(snippet)}"
    for page in pages:
        lang = "en" if page.name.endswith(".en.md") else "zh"
        other = "zh" if lang == "en" else "en"
        text = page.read_text(encoding="utf-8")
        own = f"../assets/generated/examples/{snippet.stem}-{lang}.svg"
        assert f"]({own})" in text, f"{runner.rel(page)} does not show {own}"
        assert f"{snippet.stem}-{other}.svg" not in text, f"{runner.rel(page)} shows the {other} curves"
        assert f"{snippet.stem}.png" not in text, f"{runner.rel(page)} still shows the old PNG curves"


# --- the log parser and the curves ------------------------------------------


def test_epoch_parser_reads_keras_and_torch_logs():
    keras_log = "Epoch 1/2\n50/50 - 0s - 2ms/step - accuracy: 0.5 - loss: 0.69\nEpoch 2/2\n50/50 - 0s - 2ms/step - accuracy: 0.8 - loss: 0.4\n"
    torch_log = "Epoch 1/2 - accuracy: 0.5000 - loss: 0.6900\nEpoch 2/2 - accuracy: 0.8000 - loss: 0.4000\n"
    for log in (keras_log, torch_log):
        rows = generate.epochs(log)
        assert [r["epoch"] for r in rows] == [1, 2]
        assert rows[1]["accuracy"] == 0.8 and rows[1]["loss"] == 0.4


def test_epoch_parser_reads_validation_metrics():
    keras_log = (
        "Epoch 1/2\n"
        "29/29 - 1s - 19ms/step - accuracy: 0.7 - loss: 0.8 - val_accuracy: 0.75 - val_loss: 0.6\n"
        "Epoch 2/2\n"
        "29/29 - 0s - 3ms/step - accuracy: 0.9 - loss: 1.2345e-04 - val_accuracy: 0.85 - val_loss: nan\n"
        "test_accuracy=0.8 test_loss=0.5\n"
    )
    torch_log = (
        "Using device: cpu\n"
        "Epoch 1/2 - accuracy: 0.7000 - loss: 0.8000 - val_accuracy: 0.7500 - val_loss: 0.6000\n"
        "Epoch 2/2 - accuracy: 0.9000 - loss: 0.0001 - val_accuracy: 0.8500 - val_loss: 0.5000\n"
    )
    for log in (keras_log, torch_log):
        rows = generate.epochs(log)
        assert [r["epoch"] for r in rows] == [1, 2]
        assert rows[0] == {"epoch": 1, "accuracy": 0.7, "loss": 0.8, "val_accuracy": 0.75, "val_loss": 0.6}
        assert generate.metric_names(rows) == ["loss", "accuracy"]
        assert list(generate.runs(rows)) == [""]
    assert generate.epochs(keras_log)[1]["loss"] == 1.2345e-04
    assert generate.epochs(keras_log)[1]["val_loss"] != generate.epochs(keras_log)[1]["val_loss"]  # nan


def test_epoch_parser_reads_multi_run_logs():
    log = (
        "[baseline] Epoch 1/2 - loss: 0.90 - val_loss: 0.95 - val_accuracy: 0.70\n"
        "[baseline] Epoch 2/2 - loss: 0.40 - val_loss: 0.60 - val_accuracy: 0.80\n"
        "[dropout] Epoch 1/2 - loss: 1.00 - val_loss: 0.90 - val_accuracy: 0.72\n"
        "[dropout] Epoch 2/2 - loss: 0.60 - val_loss: 0.50 - val_accuracy: 0.83\n"
        "[gan] Epoch 1/1 - d_loss: 0.69 - g_loss: 2.10\n"
        "baseline_test_accuracy=0.80 dropout_test_accuracy=0.83\n"
    )
    rows = generate.epochs(log)
    groups = generate.runs(rows)
    assert list(groups) == ["baseline", "dropout", "gan"]
    assert [r["val_accuracy"] for r in groups["dropout"]] == [0.72, 0.83]
    assert generate.metric_names(rows) == ["loss", "accuracy", "d_loss", "g_loss"]
    # Several Keras fit() calls logged with verbose=2: each restart is a run.
    keras_twice = "Epoch 1/1\n1/1 - 0s - loss: 0.5\n" * 2
    assert list(generate.runs(generate.epochs(keras_twice))) == ["", "2"]


def test_epoch_parser_ignores_other_lines():
    log = (
        "Epoch 1/3 is starting\n"  # no pairs after " - "
        "Epoch 2/3\nnothing to see here\n"
        "Epoch 5: early stopping\n"
        "train: (4000, 784), test: (1000, 784)\n"
    )
    assert generate.epochs(log) == []


@pytest.mark.parametrize("lang", generate.LANGS)
def test_curves_are_labelled_small_and_reproducible(lang, tmp_path):
    if lang == "zh" and not generate._fonts()[1]:
        pytest.skip("no Chinese font installed (fc-list :lang=zh); see the Makefile's browser-deps")
    log = "\n".join(
        f"[{run}] Epoch {e}/15 - loss: {1 / (e + k):.4f} - accuracy: {1 - 1 / (e + k + 1):.4f}"
        f" - val_loss: {1.2 / (e + k) + 0.01 * e:.4f} - val_accuracy: {1 - 1.3 / (e + k + 1):.4f}"
        for k, run in enumerate(["baseline", "l2", "dropout", "batchnorm", "mystery"])
        for e in range(1, 16)
    )
    rows = generate.epochs(log)
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    generate.plot_curves(rows, lang, first)
    generate.plot_curves(rows, lang, second)
    svg = first.read_bytes()
    assert svg == second.read_bytes(), "same numbers, different bytes"
    assert len(svg) <= 25_000, f"{len(svg)} bytes"
    text = svg.decode()
    words = generate.WORDS[lang]
    expected = [
        words["epoch"],
        words["train"],
        words["val"],
        generate.METRIC_LABELS["loss"][lang],
        generate.METRIC_LABELS["accuracy"][lang],
        generate.RUN_LABELS["baseline"][lang],
        generate.RUN_LABELS["batchnorm"][lang],
        "mystery",
    ]  # a run without a label keeps its name
    for word in expected:
        assert f">{word}</text>" in text, f"no text {word!r} in the {lang} curves"
    assert "font-family" in text and "<text" in text  # text stays text
    # Dashed validation lines, solid training lines, one colour per run.
    assert text.count("stroke-dasharray") >= 2 * 5
    assert "fill: #ffffff" in text  # opaque background for dark mode
