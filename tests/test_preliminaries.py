"""Claims of the preliminaries chapter (docs/preliminaries/) that its snippets
do not print: the numbers written in the prose of the worked examples are
what torch.autograd computes, and PyTorch broadcasts by NumPy's rule."""

from __future__ import annotations

import numpy as np
import pytest

from tools import runner

PAGES = runner.DOCS / "preliminaries"


def _both(name: str) -> list[str]:
    return [(PAGES / f"{name}{suffix}").read_text(encoding="utf-8") for suffix in (".md", ".en.md")]


def test_the_autograd_page_quotes_what_autograd_computes():
    torch = pytest.importorskip("torch")
    x, y = 1.5, 1.0
    w = torch.tensor(0.8, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(-0.5, dtype=torch.float64, requires_grad=True)
    z = w * x + b
    p = torch.sigmoid(z)
    loss = (p - y) ** 2
    loss.backward()
    quoted = {
        "z = 0.7": z.item(),
        r"\sigma(0.7) \approx 0.6682": p.item(),
        r"\mathcal{L} \approx 0.1101": loss.item(),
        r"2(p - y) \approx -0.6636": 2 * (p.item() - y),
        r"\sigma'(0.7) \approx 0.2217": p.item() * (1 - p.item()),
        r"\partial \mathcal{L} / \partial w \approx -0.1471 \times 1.5 \approx -0.2207": w.grad.item(),
        r"\partial \mathcal{L} / \partial b \approx -0.1471": b.grad.item(),
    }
    for text in _both("autograd"):
        for phrase, value in quoted.items():
            assert phrase in text, f"the autograd page no longer says {phrase!r}"
            written = float(phrase.rsplit(" ", 1)[-1].replace("=", ""))
            assert round(value, 4) == written, f"{phrase!r}: autograd computes {value:.6f}"


def test_the_math_page_quotes_what_autograd_computes():
    torch = pytest.importorskip("torch")
    t = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    ((3 * t - 1) ** 2).backward()
    w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    ((w * 2.0 + b - 1.0) ** 2).backward()
    assert t.grad.item() == 30.0
    assert (w.grad.item(), b.grad.item()) == (2.0, 1.0)
    for text in _both("math"):
        assert r"f'(2) = 2 \cdot 5 \cdot 3 = 30" in text
        assert r"\nabla g = (2, 1)" in text


def test_pytorch_broadcasts_by_numpys_rule():
    """The tensors page states one rule for NumPy, PyTorch and TensorFlow;
    PyTorch's torch.broadcast_shapes agrees with NumPy on random shapes,
    sizes 0 to 3 included, both on the result and on what it refuses."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    refused = 0
    for _ in range(500):
        a, b = (tuple(int(d) for d in rng.choice([0, 1, 2, 3], size=rng.integers(0, 4))) for _ in range(2))
        try:
            expected = np.broadcast_shapes(a, b)
        except ValueError:
            expected = None
        try:
            got = tuple(torch.broadcast_shapes(a, b))
        except RuntimeError:
            got = None
        assert got == expected, (a, b)
        refused += expected is None
    assert refused > 50
