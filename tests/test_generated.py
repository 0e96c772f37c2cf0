"""Generated outputs (make outputs) exist for every snippet and are current."""

from __future__ import annotations

import json

import pytest

from tools import generate, runner

SNIPPETS = runner.all_snippets()


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[runner.rel(s) for s in SNIPPETS])
def test_generated_output_is_current(snippet):
    files = generate.outputs_for(snippet)
    missing = [runner.rel(p) for k, p in files.items() if k != "plot" and not p.exists()]
    assert not missing, f"{runner.rel(snippet)}: run `make outputs`; missing {missing}"
    meta = json.loads(files["meta"].read_text(encoding="utf-8"))
    assert meta["snippet_sha256"] == generate.sha256(snippet), (
        f"{runner.rel(snippet)} changed after its output was generated: run `make outputs`"
    )
    # The output shown on the page meets the same bar as the tests.
    run = runner.Run(snippet, meta["keras_backend"], 0, files["out"].read_text(encoding="utf-8"), "", 0)
    problems = runner.check_bars(run, runner.load_bars()[runner.rel(snippet)])
    assert not problems, "the generated output misses its bar: " + "; ".join(problems)
    if meta["epochs"]:
        assert files["plot"].exists(), f"{runner.rel(files['plot'])} is missing: run `make outputs`"


def test_epoch_parser_reads_keras_and_torch_logs():
    keras_log = "Epoch 1/2\n50/50 - 0s - 2ms/step - accuracy: 0.5 - loss: 0.69\nEpoch 2/2\n50/50 - 0s - 2ms/step - accuracy: 0.8 - loss: 0.4\n"
    torch_log = "Epoch 1/2 - accuracy: 0.5000 - loss: 0.6900\nEpoch 2/2 - accuracy: 0.8000 - loss: 0.4000\n"
    for log in (keras_log, torch_log):
        rows = generate.epochs(log)
        assert [r["epoch"] for r in rows] == [1, 2]
        assert rows[1]["accuracy"] == 0.8 and rows[1]["loss"] == 0.4
