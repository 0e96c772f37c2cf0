"""Run every snippet as its own process, as a reader runs the copied file, and
hold its final metrics line to the bar in tests/bars.toml.

Keras snippets run once per installed backend (PyTorch always, TensorFlow when
installed). The run on the backend the page shows is part of `make test`; the
others are marked backend_matrix and run by `make test-backends` (CI runs
both). Data comes from the offline stand-ins (tools/offline), the network is
blocked. Select one snippet with -k, e.g. `pytest -k binary_mlp_torch`.
"""

from __future__ import annotations

import pytest

from tools import runner

CASES = [
    pytest.param(
        path,
        backend,
        id=runner.rel(path) + (f"[{backend}]" if backend else ""),
        marks=[pytest.mark.backend_matrix] if runner.in_backend_matrix(path, backend) else [],
    )
    for path in runner.all_snippets()
    for backend in runner.variants(path)
]
BARS = runner.load_bars()


@pytest.mark.snippet
@pytest.mark.parametrize(("path", "backend"), CASES)
def test_snippet(path, backend, offline_dir, tmp_path, device, record_property):
    bars = BARS.get(runner.rel(path))
    assert bars, f"{runner.rel(path)} has no bar in tests/bars.toml"
    run = runner.run_snippet(path, offline_dir, tmp_path, backend=backend, device=device)
    # Warnings the snippet printed, kept in the JUnit report (make test-latest
    # lists them: a new release's deprecations show up there first).
    record_property("snippet_warnings", "\n".join(runner.warnings_in(run.stderr)))
    assert run.returncode == 0, run.describe()
    problems = runner.check_bars(run, bars)
    assert not problems, "\n".join(problems) + "\n" + run.describe()
    if runner.framework(path) == "torch":
        assert f"Using device: {device}" in run.stdout, (
            f"{runner.rel(path)} should print 'Using device: {device}'\n" + run.describe()
        )


def test_every_bar_names_a_snippet():
    known = {runner.rel(p) for p in runner.all_snippets()}
    stale = sorted(set(BARS) - known)
    assert not stale, f"tests/bars.toml has bars for snippets that do not exist: {stale}"


def test_every_snippet_has_a_bar():
    missing = [runner.rel(p) for p in runner.all_snippets() if runner.rel(p) not in BARS]
    assert not missing, f"snippets without a bar in tests/bars.toml: {missing}"


def test_metrics_line_parser():
    out = "Epoch 1/2\nloss: 0.3\ntest_accuracy=0.9712 test_loss=0.0931\n"
    assert runner.parse_metrics(out) == {"test_accuracy": 0.9712, "test_loss": 0.0931}
    assert runner.parse_metrics("accuracy: 0.9\n") == {}


def test_make_test_runs_every_snippet_once_as_its_page_shows_it():
    """`make test` deselects the backend_matrix runs: what is left runs each
    snippet exactly once, a Keras snippet on the backend its page shows."""
    kept = {}
    for case in CASES:
        path, backend = case.values
        if not any(mark.name == "backend_matrix" for mark in case.marks):
            kept.setdefault(runner.rel(path), []).append(backend)
    assert sorted(kept) == sorted(runner.rel(p) for p in runner.all_snippets())
    for path in runner.all_snippets():
        shown = runner.page_backend(path)
        assert kept[runner.rel(path)] == [shown], (runner.rel(path), kept[runner.rel(path)])
    if len(runner.keras_backends()) > 1:
        assert any(mark.name == "backend_matrix" for case in CASES for mark in case.marks)
