"""Draw the structure diagrams of the theory chapters: `make plots`.

Each diagram is written twice, as docs/assets/generated/diagrams/<name>-zh.svg
(Chinese labels) and <name>-en.svg (English labels): plain SVG with real text
(selectable, searchable, sharp at any size), an opaque light background (so it
stays readable in the dark theme) and a font list with Chinese fallbacks. The
files are named -zh/-en, not .zh.svg: the i18n plugin would take `x.zh.svg`
for a translation of `x.svg`.

Where a diagram shows numbers they are computed here, from the functions of
snippets/theory/ (convolution, pooling, early stopping) or from the worked
example of the backpropagation page (tests/test_figures.py checks that the
page states the same numbers). figures.meta.json records the sha256 of this
code and of those snippets: tests/test_figures.py fails, asking for
`make plots`, when either changed after the diagrams were drawn.

Text markup in labels: `a^{[l]}` is a superscript, `x_{t}` a subscript.
Generated files: never edit them by hand.
"""

from __future__ import annotations

import ast
import hashlib
import html
import json
import math
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tools import runner

OUT = runner.DOCS / "assets" / "generated" / "diagrams"
META = "figures.meta.json"
LANGS = ("zh", "en")
SIZE_LIMIT = 15_000  # bytes per diagram

# Latin fonts first, then Chinese ones: a browser takes each glyph from the
# first font in the list that has it.
FONT_FAMILY = (
    '"DejaVu Sans", "Helvetica Neue", Arial, "Noto Sans CJK SC", "WenQuanYi Micro Hei", '
    '"PingFang SC", "Microsoft YaHei", sans-serif'
)

INK = "#1f2937"
GREY = "#6b7280"
LINE = "#9ca3af"
BLUE = "#2563eb"
RED = "#dc2626"
GREEN = "#059669"
ORANGE = "#d97706"
PURPLE = "#7c3aed"
FILL = {
    BLUE: "#dbeafe",
    RED: "#fee2e2",
    GREEN: "#d1fae5",
    ORANGE: "#fef3c7",
    PURPLE: "#ede9fe",
    GREY: "#f3f4f6",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- a small SVG builder --------------------------------------------------------

_MARKUP = re.compile(r"([_^])\{([^}]*)\}")


def _segments(text: str) -> list[tuple[str, str]]:
    """'a^{[l]} = x_{t}' -> [('a', ''), ('[l]', '^'), (' = x', ''), ('t', '_')]."""
    out, pos = [], 0
    for m in _MARKUP.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], ""))
        out.append((m[2], m[1]))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], ""))
    return out


def _char_width(ch: str) -> float:
    """Advance of one character in em, roughly as in DejaVu Sans / a CJK font."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    if ch in " .,:;·|!'()[]{}ilj":
        return 0.34
    if ch.isupper() or ch in "mwMW∂ℒΣ⊙⊤":
        return 0.72
    return 0.6


def text_width(text: str, size: float) -> float:
    """Estimated width in px of a label (sub- and superscripts are smaller)."""
    return sum(
        sum(_char_width(c) for c in seg) * size * (0.72 if kind else 1.0) for seg, kind in _segments(text)
    )


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


class Svg:
    def __init__(self, width: int, height: int, title: str):
        self.width, self.height, self.title = width, height, title
        self.body: list[str] = []
        self.markers: dict[str, str] = {}
        self.texts: list[str] = []

    def _marker(self, colour: str) -> str:
        name = f"arrow{len(self.markers)}" if colour not in self.markers else self.markers[colour]
        self.markers[colour] = name
        return name

    def rect(self, x, y, w, h, fill="#ffffff", stroke=INK, rx=6, width=1.2, dash=None, opacity=None):
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        extra += f' fill-opacity="{opacity}"' if opacity is not None else ""
        self.body.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{_num(h)}" rx="{_num(rx)}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{extra}/>'
        )

    def circle(self, cx, cy, r, fill="#ffffff", stroke=INK, width=1.2):
        self.body.append(
            f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(r)}" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{width}"/>'
        )

    def line(self, x1, y1, x2, y2, colour=INK, width=1.4, arrow=True, dash=None):
        self.path(f"M{_num(x1)} {_num(y1)}L{_num(x2)} {_num(y2)}", colour, width, arrow, dash)

    def path(self, d, colour=INK, width=1.4, arrow=True, dash=None, fill="none"):
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        extra += f' marker-end="url(#{self._marker(colour)})"' if arrow else ""
        self.body.append(f'<path d="{d}" fill="{fill}" stroke="{colour}" stroke-width="{width}"{extra}/>')

    def polyline(self, points, colour=INK, width=1.4, arrow=False, dash=None):
        d = "M" + "L".join(f"{_num(x)} {_num(y)}" for x, y in points)
        self.path(d, colour, width, arrow, dash)

    def text(self, x, y, text, size=14, anchor="middle", colour=INK, weight=None, italic=False):
        """A label; `a^{[l]}` superscripts and `x_{t}` subscripts become tspans."""
        self.texts.append(text)
        attrs = f'x="{_num(x)}" y="{_num(y)}"'
        if size != 14:
            attrs += f' font-size="{_num(size)}"'
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        if colour != INK:
            attrs += f' fill="{colour}"'
        if weight:
            attrs += f' font-weight="{weight}"'
        if italic:
            attrs += ' font-style="italic"'
        shift, parts = 0.0, []
        for seg, kind in _segments(text):
            target = {"": 0.0, "^": -0.38 * size, "_": 0.22 * size}[kind]
            content = html.escape(seg, quote=False)
            if target == shift and not kind:
                parts.append(content)
            else:
                small = f' font-size="{_num(0.72 * size)}"' if kind else ""
                parts.append(f'<tspan dy="{_num(target - shift)}"{small}>{content}</tspan>')
                shift = target
        self.body.append(f"<text {attrs}>{''.join(parts)}</text>")

    def lines(self, x, y, rows, size=14, gap=None, **kw):
        """Several labels under each other; rows are str or (str, colour)."""
        gap = gap or size * 1.3
        for i, row in enumerate(rows):
            label, colour = (row, kw.get("colour", INK)) if isinstance(row, str) else row
            self.text(x, y + i * gap, label, size=size, **{**kw, "colour": colour})

    def render(self) -> str:
        defs = "".join(
            f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{colour}"/></marker>'
            for colour, name in self.markers.items()
        )
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" role="img">\n'
            f"<title>{html.escape(self.title, quote=False)}</title>\n"
            f"<style>text{{font-family: {FONT_FAMILY}; font-size: 14px}}</style>\n"
            f"<defs>{defs}</defs>\n"
            f'<rect width="100%" height="100%" fill="#ffffff"/>\n'
        )
        return head + "\n".join(self.body) + "\n</svg>\n"


def tr(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def fmt(v: float) -> str:
    """A value as the pages write it: short when it has at most two decimals
    (0.1, 0.28, 0), else four (0.5695, -0.0430); a true minus sign."""
    v = float(v)
    if abs(v - round(v, 2)) < 1e-9:
        s = f"{round(v, 2):.2f}".rstrip("0").rstrip(".")
    else:
        s = f"{v:.4f}"
    s = "0" if s in ("-0", "-0.0") else s
    return s.replace("-", "−")


def vec(values) -> str:
    return "(" + ", ".join(fmt(v) for v in np.ravel(values)) + ")"


def box(svg: Svg, cx, cy, w, h, rows, colour=INK, fill="#ffffff", size=14, dash=None):
    """A rounded box centred on (cx, cy) with centred lines of text."""
    svg.rect(cx - w / 2, cy - h / 2, w, h, fill=fill, stroke=colour, dash=dash)
    gap = size * 1.3
    top = cy - (len(rows) - 1) * gap / 2 + size * 0.35
    svg.lines(cx, top, rows, size=size, gap=gap)


# --- the neuron and the multilayer network (network.md) -------------------------


def neuron(lang: str) -> Svg:
    svg = Svg(
        720,
        330,
        tr(
            lang,
            "一个神经元：输入乘以权重后求和，加上偏置，再经过激活函数得到输出",
            "A neuron: the inputs times the weights, summed, plus the bias, through the activation",
        ),
    )
    inputs = [("x_{1}", "w_{1}", 70), ("x_{2}", "w_{2}", 135), ("x_{n}", "w_{n}", 235)]
    sx, sy, sr = 330, 150, 34
    for label, weight, y in inputs:
        svg.circle(70, y, 20, fill=FILL[GREY])
        svg.text(70, y + 5, label)
        dx, dy = sx - 70, sy - y
        d = math.hypot(dx, dy)
        x1, y1 = 70 + 20 * dx / d, y + 20 * dy / d
        x2, y2 = sx - (sr + 2) * dx / d, sy - (sr + 2) * dy / d
        svg.line(x1, y1, x2, y2, colour=BLUE)
        svg.text(70 + 0.45 * dx, y + 0.45 * dy - 8, weight, colour=BLUE, size=15)
    svg.text(70, 188, "⋮", size=18)
    svg.text(70, 30, tr(lang, "输入", "inputs"), weight="bold")
    svg.text(195, 30, tr(lang, "权重", "weights"), weight="bold", colour=BLUE)
    # sum and bias
    svg.circle(sx, sy, sr, fill=FILL[BLUE])
    svg.text(sx, sy + 9, "Σ", size=26)
    svg.text(sx, 30, tr(lang, "加权和", "weighted sum"), weight="bold")
    svg.rect(sx - 22, 246, 44, 30, fill=FILL[ORANGE], stroke=ORANGE)
    svg.text(sx, 267, "b")
    svg.line(sx, 246, sx, sy + sr + 2, colour=ORANGE)
    svg.text(sx + 32, 267, tr(lang, "偏置", "bias"), anchor="start", colour=ORANGE, weight="bold")
    # activation and output
    svg.line(sx + sr, sy, 440, sy)
    svg.text(402, sy - 10, "z")
    svg.rect(442, sy - 26, 76, 52, fill=FILL[GREEN], stroke=GREEN)
    svg.text(480, sy + 7, "φ", size=22)
    svg.text(480, 30, tr(lang, "激活函数", "activation"), weight="bold", colour=GREEN)
    svg.line(518, sy, 618, sy)
    svg.text(568, sy - 10, "φ(z)")
    svg.circle(640, sy, 20, fill=FILL[GREY])
    svg.text(640, sy + 5, "a")
    svg.text(640, 30, tr(lang, "输出", "output"), weight="bold")
    svg.text(360, 315, "z = w_{1}x_{1} + w_{2}x_{2} + … + w_{n}x_{n} + b = w^{⊤}x + b,   a = φ(z)", size=15)
    return svg


def mlp(lang: str) -> Svg:
    sizes, xs, gap = [3, 4, 2], [110, 380, 650], 62
    svg = Svg(
        760,
        470,
        tr(
            lang,
            "一个 3 → 4 → 2 的全连接网络：每层的输出、权重的形状和前向传播的公式",
            "A 3 → 4 → 2 fully connected network: each layer's output, the weight shapes and the forward pass",
        ),
    )
    nodes = [[(x, 185 + (i - (n - 1) / 2) * gap) for i in range(n)] for n, x in zip(sizes, xs)]
    for left, right in zip(nodes, nodes[1:]):
        for x1, y1 in left:
            for x2, y2 in right:
                d = math.hypot(x2 - x1, y2 - y1)
                svg.line(
                    x1 + 19 * (x2 - x1) / d,
                    y1 + 19 * (y2 - y1) / d,
                    x2 - 21 * (x2 - x1) / d,
                    y2 - 21 * (y2 - y1) / d,
                    colour=LINE,
                    width=1.0,
                    arrow=False,
                )
    colours = [GREY, BLUE, GREEN]
    for layer, colour in zip(nodes, colours):
        for x, y in layer:
            svg.circle(x, y, 18, fill=FILL[colour], stroke=colour)
    for i, (x, y) in enumerate(nodes[0]):
        svg.text(x, y + 5, f"x_{{{i + 1}}}", size=13)
    headers = [
        tr(lang, "输入层", "input layer"),
        tr(lang, "隐藏层（ReLU）", "hidden layer (ReLU)"),
        tr(lang, "输出层", "output layer"),
    ]
    outputs = ["a^{[0]} = x", "a^{[1]}", "a^{[2]} = ŷ"]
    for x, header, out, n, k in zip(xs, headers, outputs, sizes, range(3)):
        svg.text(x, 40, header, weight="bold", colour=colours[k] if k else INK)
        svg.text(x, 330, out, size=15)
        svg.text(x, 352, f"n_{{{k}}} = {n}", size=13, colour=GREY)
    for k, x in ((1, 245), (2, 515)):
        svg.text(x, 330, f"W^{{[{k}]}}: {sizes[k]}×{sizes[k - 1]}", size=13, colour=BLUE)
        svg.text(x, 350, f"b^{{[{k}]}}: {sizes[k]}", size=13, colour=BLUE)
    svg.line(110, 382, 650, 382, colour=INK, width=1.6)
    svg.text(380, 374, tr(lang, "前向传播", "forward pass"), weight="bold")
    svg.text(
        380, 412, "z^{[l]} = W^{[l]} a^{[l−1]} + b^{[l]},   a^{[l]} = φ^{[l]}(z^{[l]}),   l = 1, 2", size=15
    )
    svg.text(
        380,
        444,
        tr(
            lang,
            "一批 m 个样本时，各层输出的形状：m×3 → m×4 → m×2",
            "for a batch of m samples the layers' outputs are m×3 → m×4 → m×2",
        ),
        size=13,
        colour=GREY,
    )
    return svg


# --- the computation graph of the worked example (backprop.md#worked-example) ---

# The 2 -> 2 -> 1 network of the backpropagation page's worked example.
WORKED_EXAMPLE = {
    "x": [1.0, 2.0],
    "y": 1.0,
    "W1": [[0.5, -0.2], [0.1, 0.4]],
    "b1": [0.0, -1.2],
    "W2": [[0.8, -0.5]],
    "b2": [0.2],
}


def worked_example() -> dict[str, np.ndarray]:
    """Forward values and backward gradients of the worked example."""
    e = {k: np.array(v, dtype=float) for k, v in WORKED_EXAMPLE.items()}
    z1 = e["W1"] @ e["x"] + e["b1"]
    a1 = np.maximum(z1, 0)
    z2 = e["W2"] @ a1 + e["b2"]
    p = 1 / (1 + np.exp(-z2))
    loss = -(e["y"] * np.log(p) + (1 - e["y"]) * np.log(1 - p))
    dp = -e["y"] / p + (1 - e["y"]) / (1 - p)
    dz2 = dp * p * (1 - p)  # = p - y
    da1 = e["W2"].T @ dz2
    dz1 = da1 * (z1 > 0)
    return {
        **e,
        "z1": z1,
        "a1": a1,
        "z2": z2,
        "p": p,
        "loss": loss,
        "dp": dp,
        "dz2": dz2,
        "da1": da1,
        "dz1": dz1,
        "dW2": np.outer(dz2, a1),
        "db2": dz2,
        "dW1": np.outer(dz1, e["x"]),
        "db1": dz1,
    }


def backprop_graph(lang: str) -> Svg:
    v = worked_example()
    svg = Svg(
        1000,
        365,
        tr(
            lang,
            "反向传播页手算例子的计算图：节点中蓝色是前向传播的值，红色是反向传播得到的梯度",
            "Computation graph of the worked example on the backpropagation page: forward values in blue, "
            "backward gradients in red",
        ),
    )
    grad = "∂ℒ/∂"
    cy, h = 205, 76
    # (centre x, width, name, operation, value, gradient label, gradient)
    chain = [
        (52, 84, "x", tr(lang, "输入", "input"), vec(v["x"]), None, None),
        (
            205,
            150,
            "z^{[1]}",
            "W^{[1]}x + b^{[1]}",
            vec(v["z1"]),
            "δ^{[1]} = " + grad + "z^{[1]}",
            vec(v["dz1"]),
        ),
        (390, 150, "a^{[1]}", "ReLU(z^{[1]})", vec(v["a1"]), grad + "a^{[1]}", vec(v["da1"])),
        (
            575,
            150,
            "z^{[2]}",
            "W^{[2]}a^{[1]} + b^{[2]}",
            fmt(v["z2"][0]),
            "δ^{[2]} = p − y",
            fmt(v["dz2"][0]),
        ),
        (760, 150, "p", "σ(z^{[2]})", fmt(v["p"][0]), grad + "p = −1/p", fmt(v["dp"][0])),
        (925, 130, "ℒ", "−log p", fmt(v["loss"][0]), grad + "ℒ", "1"),
    ]
    for (x, w, name, op, value, glabel, gvalue), nxt in zip(chain, chain[1:] + [None]):
        box(svg, x, cy, w, h, [name, (op, GREY), (value, BLUE)], size=14)
        if glabel:
            svg.lines(x, cy + h / 2 + 24, [(glabel, RED), (gvalue, RED)], size=13)
        if nxt:
            x1, x2 = x + w / 2, nxt[0] - nxt[1] / 2
            svg.line(x1 + 1, cy - 8, x2 - 2, cy - 8, colour=BLUE)
            if glabel or nxt[5]:
                svg.line(x2 - 1, cy + 10, x1 + 2, cy + 10, colour=RED, dash="5 3")
    # parameters above the chain: value (blue) and gradient (red)
    params = [
        (130, 148, 205, "W^{[1]}", [vec(r) for r in v["W1"]], [vec(r) for r in v["dW1"]]),
        (282, 116, 205, "b^{[1]}", [vec(v["b1"])], [vec(v["db1"])]),
        (512, 116, 575, "W^{[2]}", [vec(v["W2"])], [vec(v["dW2"])]),
        (642, 104, 575, "b^{[2]}", [fmt(v["b2"][0])], [fmt(v["db2"][0])]),
    ]
    for x, w, target, name, values, grads in params:
        rows = [name] + [(r, BLUE) for r in values] + [(grad + name, RED)] + [(r, RED) for r in grads]
        hh = len(rows) * 16 + 10
        box(svg, x, 118 - hh / 2, w, hh, rows, size=12.5, fill=FILL[GREY], colour=GREY)
        svg.line(x, 119, target + (x - target) * 0.25, cy - h / 2 - 2, colour=LINE, width=1.2)
    box(svg, 925, 95, 80, 40, [f"y = {fmt(v['y'])}"], size=14, fill=FILL[GREY], colour=GREY)
    svg.line(925, 115, 925, cy - h / 2 - 2, colour=LINE, width=1.2)
    # legend
    svg.line(40, 340, 80, 340, colour=BLUE)
    svg.text(
        90,
        345,
        tr(lang, "前向传播：计算每个节点的值", "forward pass: the value of each node"),
        size=13,
        anchor="start",
    )
    svg.line(520, 340, 480, 340, colour=RED, dash="5 3")
    svg.text(
        530,
        345,
        tr(lang, "反向传播：损失 ℒ 对每个量的梯度", "backward pass: the gradient of the loss ℒ"),
        size=13,
        anchor="start",
    )
    return svg


# --- convolution and pooling (architectures.md) ---------------------------------

CONV_INPUT = [[1, 0, 2, 1, 0], [0, 1, 3, 1, 1], [2, 1, 0, 0, 2], [1, 3, 1, 2, 0], [0, 2, 1, 1, 3]]
CONV_KERNEL = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
CONV_STRIDE = 2
POOL_INPUT = [[1, 3, 2, 0], [4, 2, 1, 5], [0, 6, 3, 1], [2, 1, 7, 4]]


def grid(svg: Svg, x0, y0, values, cell, size=14, fills=None, bold=None):
    values = np.asarray(values)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            fill = (fills or {}).get((i, j), "#ffffff")
            svg.rect(x0 + j * cell, y0 + i * cell, cell, cell, fill=fill, stroke=LINE, rx=0, width=1)
            weight = "bold" if bold and (i, j) in bold else None
            svg.text(
                x0 + (j + 0.5) * cell,
                y0 + (i + 0.5) * cell + size * 0.35,
                fmt(values[i, j]),
                size=size,
                weight=weight,
            )


def convolution(lang: str) -> Svg:
    cnn = runner.load_theory_snippet("cnn")
    x, w, s = np.array(CONV_INPUT, float), np.array(CONV_KERNEL, float), CONV_STRIDE
    y = cnn.conv2d(x[None, None], w[None, None], stride=s)[0, 0]
    n, k = x.shape[0], w.shape[0]
    n_out = cnn.output_size(n, k, stride=s)
    assert y.shape == (n_out, n_out)
    svg = Svg(
        760,
        380,
        tr(
            lang,
            f"3×3 卷积核以步幅 {s} 在 5×5 输入上滑动，得到 {n_out}×{n_out} 的输出",
            f"A 3×3 kernel sliding over a 5×5 input with stride {s}, giving a {n_out}×{n_out} output",
        ),
    )
    cell, x0, y0 = 38, 40, 90
    grid(svg, x0, y0, x, cell, fills={(i, j): FILL[BLUE] for i in range(k) for j in range(k)})
    svg.rect(x0, y0, k * cell, k * cell, fill="none", stroke=BLUE, rx=0, width=3)
    svg.rect(x0 + s * cell, y0, k * cell, k * cell, fill="none", stroke=ORANGE, rx=0, width=3, dash="7 4")
    svg.line(x0 + 4, y0 - 14, x0 + s * cell - 2, y0 - 14, colour=ORANGE)
    svg.text(x0 + s * cell / 2, y0 - 22, tr(lang, f"步幅 s = {s}", f"stride s = {s}"), size=13, colour=ORANGE)
    svg.text(
        x0 + n * cell / 2, 40, tr(lang, f"输入 {n}×{n}（p = 0）", f"input {n}×{n} (p = 0)"), weight="bold"
    )
    kx, ky = 330, 128
    grid(svg, kx, ky, w, 32, size=13, fills={(i, j): FILL[GREEN] for i in range(k) for j in range(k)})
    svg.text(kx + 48, 40, tr(lang, f"卷积核 {k}×{k}", f"kernel {k}×{k}"), weight="bold", colour=GREEN)
    svg.line(x0 + n * cell + 14, 185, kx - 14, 185, colour=INK)
    svg.line(kx + 3 * 32 + 14, 185, 566, 185, colour=INK)
    ox, oy, oc = 580, 147, 38
    grid(svg, ox, oy, y, oc, fills={(0, 0): FILL[BLUE], (0, 1): FILL[ORANGE]})
    svg.text(ox + oc, 40, tr(lang, f"输出 {n_out}×{n_out}", f"output {n_out}×{n_out}"), weight="bold")
    svg.text(ox + oc, 70, tr(lang, "（偏置 b = 0）", "(bias b = 0)"), size=12, colour=GREY)
    svg.text(
        380,
        315,
        f"y_{{0,0}} = Σ_{{u,v}} x_{{u,v}} w_{{u,v}} = {fmt(y[0, 0])},   "
        f"y_{{0,1}} = Σ_{{u,v}} x_{{u,{s}+v}} w_{{u,v}} = {fmt(y[0, 1])}",
        size=14,
    )
    svg.text(380, 352, f"n_{{out}} = ⌊(n + 2p − k) / s⌋ + 1 = ⌊({n} + 0 − {k}) / {s}⌋ + 1 = {n_out}", size=15)
    return svg


def pooling(lang: str) -> Svg:
    cnn = runner.load_theory_snippet("cnn")
    x = np.array(POOL_INPUT, float)
    y = cnn.max_pool2d(x[None, None], 2)[0, 0]
    svg = Svg(
        600,
        300,
        tr(
            lang,
            "2×2 最大池化、步幅 2：每个窗口取最大值，4×4 的特征图变为 2×2",
            "2×2 max pooling with stride 2: the maximum of each window turns a 4×4 map into 2×2",
        ),
    )
    colours = [BLUE, ORANGE, GREEN, PURPLE]
    fills, bold = {}, set()
    for wi in range(2):
        for wj in range(2):
            c = FILL[colours[2 * wi + wj]]
            window = x[2 * wi : 2 * wi + 2, 2 * wj : 2 * wj + 2]
            u, vv = np.unravel_index(np.argmax(window), window.shape)
            bold.add((2 * wi + u, 2 * wj + vv))
            for u in range(2):
                for vv in range(2):
                    fills[(2 * wi + u, 2 * wj + vv)] = c
    cell, x0, y0 = 44, 40, 60
    grid(svg, x0, y0, x, cell, fills=fills, bold=bold)
    for wi in range(2):
        for wj in range(2):
            svg.rect(
                x0 + 2 * wj * cell,
                y0 + 2 * wi * cell,
                2 * cell,
                2 * cell,
                fill="none",
                stroke=colours[2 * wi + wj],
                rx=0,
                width=2.5,
            )
    svg.text(x0 + 2 * cell, 40, tr(lang, "输入 4×4", "input 4×4"), weight="bold")
    svg.line(250, 148, 400, 148)
    svg.text(325, 136, tr(lang, "2×2 最大池化", "2×2 max pooling"), size=13)
    svg.text(325, 170, tr(lang, "步幅 2", "stride 2"), size=13)
    ox, oy = 430, 104
    grid(
        svg,
        ox,
        oy,
        y,
        cell,
        fills={(i, j): FILL[colours[2 * i + j]] for i in range(2) for j in range(2)},
        bold={(i, j) for i in range(2) for j in range(2)},
    )
    svg.text(ox + cell, 40, tr(lang, "输出 2×2", "output 2×2"), weight="bold")
    svg.text(300, 275, "y_{i,j} = max_{0 ≤ u,v < 2} x_{2i+u, 2j+v}", size=15)
    return svg


# --- recurrent networks (architectures.md#rnn, #lstm) ----------------------------


def rnn_unrolled(lang: str) -> Svg:
    svg = Svg(
        880,
        360,
        tr(
            lang,
            "循环网络沿时间展开：每一步用同一组权重 W、U、b，隐藏状态 hₜ 传给下一步；BPTT 沿反方向传回梯度",
            "A recurrent network unrolled in time: every step uses the same W, U, b and passes hₜ on; "
            "BPTT sends the gradients back the other way",
        ),
    )
    cy, w, h = 160, 84, 56
    # the folded network
    svg.rect(60 - w / 2 + 30, cy - h / 2, w, h, fill=FILL[BLUE], stroke=BLUE)
    svg.text(90, cy + 5, "tanh")
    svg.path(
        f"M{90 + w / 2} {cy - 10}C{90 + w / 2 + 40} {cy - 10} {90 + w / 2 + 40} {cy - 70} 90 {cy - 70}"
        f"C{90 - w / 2 - 40} {cy - 70} {90 - w / 2 - 40} {cy - 10} {90 - w / 2 - 2} {cy - 10}",
        colour=BLUE,
    )
    svg.text(90, cy - 78, "h_{t−1}", size=13, colour=BLUE)
    svg.line(90, 255, 90, cy + h / 2 + 2)
    svg.text(90, 275, "x_{t}")
    svg.text(178, cy + 8, "=", size=26)
    # unrolled
    xs = [330, 470, 610, 800]
    names = ["1", "2", "3", "T"]
    svg.text(240, cy + 5, "h_{0} = 0", size=13)
    svg.line(281, cy - 6, xs[0] - w / 2 - 2, cy - 6, colour=BLUE)
    svg.line(xs[0] - w / 2 - 2, cy + 14, 281, cy + 14, colour=RED, dash="5 3")
    for i, (x, t) in enumerate(zip(xs, names)):
        svg.rect(x - w / 2, cy - h / 2, w, h, fill=FILL[BLUE], stroke=BLUE)
        svg.text(x, cy + 5, "tanh")
        svg.line(x, 255, x, cy + h / 2 + 2)
        svg.text(x, 275, f"x_{{{t}}}")
        svg.line(x, cy - h / 2, x, 72, colour=GREY)
        svg.text(x, 60, f"ŷ_{{{t}}} = V h_{{{t}}} + c", size=13, colour=GREY)
        svg.text(x, cy + h / 2 + 18, "W, U, b", size=12, colour=GREY)
        if i + 1 < len(xs):
            end = xs[i + 1] - w / 2 - 2 if i < 2 else x + w / 2 + 40
            svg.line(x + w / 2, cy - 6, end, cy - 6, colour=BLUE)
            svg.text((x + w / 2 + end) / 2, cy - 14, f"h_{{{t}}}", size=13, colour=BLUE)
            svg.line(end, cy + 14, x + w / 2 + 2, cy + 14, colour=RED, dash="5 3")
    svg.text(710, cy + 5, "⋯", size=20)
    svg.line(xs[3] - w / 2 - 30, cy - 6, xs[3] - w / 2 - 2, cy - 6, colour=BLUE)
    svg.line(xs[3] - w / 2 - 2, cy + 14, xs[3] - w / 2 - 30, cy + 14, colour=RED, dash="5 3")
    svg.text(565, 312, "h_{t} = tanh(W x_{t} + U h_{t−1} + b)", size=15)
    svg.line(230, 338, 270, 338, colour=RED, dash="5 3")
    svg.text(
        280,
        343,
        tr(
            lang,
            "随时间反向传播（BPTT）：每往回一步乘以 ∂h_{t}/∂h_{t−1} = diag(1 − h_{t}^{2}) U",
            "backpropagation through time (BPTT): each step back multiplies by "
            "∂h_{t}/∂h_{t−1} = diag(1 − h_{t}^{2}) U",
        ),
        size=13,
        anchor="start",
        colour=RED,
    )
    svg.text(20, 343 - 31, tr(lang, "每一步共享", "shared by"), size=12, anchor="start", colour=GREY)
    svg.text(
        20, 343 - 15, tr(lang, "同一组 W、U、b", "all steps: W, U, b"), size=12, anchor="start", colour=GREY
    )
    return svg


def lstm_cell(lang: str) -> Svg:
    svg = Svg(
        820,
        495,
        tr(
            lang,
            "LSTM 单元：遗忘门 f、输入门 i、候选内容 g 和输出门 o 控制记忆单元 c 与隐藏状态 h",
            "An LSTM cell: the forget gate f, input gate i, candidate g and output gate o control the "
            "cell state c and the hidden state h",
        ),
    )
    svg.rect(120, 52, 560, 300, fill="#f9fafb", stroke=LINE, rx=14)
    cy_top, cy_in, cy_out = 100, 300, 330
    # the cell state: the direct path
    svg.line(30, cy_top, 238, cy_top, colour=PURPLE, width=2.6)
    svg.line(262, cy_top, 373, cy_top, colour=PURPLE, width=2.6)
    svg.line(397, cy_top, 790, cy_top, colour=PURPLE, width=2.6)
    svg.text(30, cy_top - 12, "c_{t−1}", anchor="start", colour=PURPLE)
    svg.text(790, cy_top - 12, "c_{t}", anchor="end", colour=PURPLE)
    svg.text(
        470,
        76,
        tr(
            lang,
            "记忆单元：加法更新，梯度沿这条路径只乘以 f_{t}",
            "cell state: additive update, the gradient along it is only multiplied by f_{t}",
        ),
        size=12.5,
        colour=PURPLE,
    )
    # inputs
    svg.line(30, cy_in, 510, cy_in, colour=INK, arrow=False)
    svg.text(30, cy_in - 10, "h_{t−1}", anchor="start")
    svg.line(160, 378, 160, cy_in, colour=INK, arrow=False)
    svg.circle(160, cy_in, 3.5, fill=INK)
    svg.text(160, 396, "x_{t}")
    gates = [  # centre x, activation, name, colour
        (250, "σ", "f_{t}", ORANGE),
        (340, "σ", "i_{t}", GREEN),
        (430, "tanh", "g_{t}", BLUE),
        (510, "σ", "o_{t}", RED),
    ]
    gy, gh = 230, 34
    for x, act, _name, colour in gates:
        svg.line(x, cy_in, x, gy + gh / 2 + 2, colour=INK)
        svg.rect(x - 27, gy - gh / 2, 54, gh, fill=FILL[colour], stroke=colour)
        svg.text(x, gy + 5, act)
    # forget: c_{t-1} * f_t
    svg.line(250, gy - gh / 2, 250, cy_top + 14, colour=ORANGE)
    svg.text(256, 170, "f_{t}", anchor="start", colour=ORANGE)
    # input and candidate: i_t * g_t, added to the cell state
    svg.polyline([(340, gy - gh / 2), (340, 165), (371, 165)], colour=GREEN, arrow=True)
    svg.text(346, 195, "i_{t}", anchor="start", colour=GREEN)
    svg.polyline([(430, gy - gh / 2), (430, 165), (397, 165)], colour=BLUE, arrow=True)
    svg.text(436, 195, "g_{t}", anchor="start", colour=BLUE)
    svg.line(385, 153, 385, cy_top + 14)
    # output: h_t = o_t * tanh(c_t)
    svg.line(600, cy_top, 600, 150)
    svg.rect(574, 152, 52, 28, fill="#ffffff", stroke=PURPLE, rx=14)
    svg.text(600, 171, "tanh", size=13)
    svg.line(600, 180, 600, gy - 14)
    svg.line(537, gy, 586, gy, colour=RED)
    svg.text(556, gy - 8, "o_{t}", colour=RED)
    svg.polyline([(600, gy + 12), (600, cy_out), (790, cy_out)], colour=INK, arrow=True, width=1.8)
    svg.text(790, cy_out - 10, "h_{t}", anchor="end")
    for x, y, op in ((250, cy_top, "×"), (385, cy_top, "+"), (385, 165, "×"), (600, gy, "×")):
        svg.circle(x, y, 12, fill="#ffffff", stroke=INK)
        svg.text(x, y + 5, op, size=16)
    names = [
        ("f_{t}", tr(lang, "遗忘门", "forget gate"), ORANGE),
        ("i_{t}", tr(lang, "输入门", "input gate"), GREEN),
        ("g_{t}", tr(lang, "候选内容", "candidate"), BLUE),
        ("o_{t}", tr(lang, "输出门", "output gate"), RED),
        ("×", tr(lang, "逐元素相乘 ⊙", "element-wise ⊙"), INK),
    ]
    x = 40
    for sym, label, colour in names:
        text = f"{sym} {label}"
        svg.text(x, 425, text, size=13, anchor="start", colour=colour)
        x += text_width(text, 13) + 26
    svg.text(410, 455, "c_{t} = f_{t} ⊙ c_{t−1} + i_{t} ⊙ g_{t},   h_{t} = o_{t} ⊙ tanh(c_{t})", size=15)
    svg.text(
        410,
        482,
        tr(
            lang,
            "每个门 = σ(W x_{t} + U h_{t−1} + b)，各有自己的 W、U、b；g_{t} 用 tanh",
            "each gate = σ(W x_{t} + U h_{t−1} + b) with its own W, U, b; g_{t} uses tanh",
        ),
        size=13,
        colour=GREY,
    )
    return svg


# --- the GAN training loop (gan.md#gan-training) -------------------------------


def gan_loop(lang: str) -> Svg:
    svg = Svg(
        900,
        450,
        tr(
            lang,
            "GAN 的一次训练迭代：判别器一步用真实样本和切断梯度的生成样本，生成器一步的梯度穿过判别器传回生成器",
            "One GAN training iteration: the discriminator step on real and detached generated samples, "
            "then the generator step with gradients flowing back through the discriminator",
        ),
    )

    def panel(y0, title, generator_step):
        svg.rect(10, y0, 800, 180, fill="#f9fafb", stroke=LINE, rx=10)
        svg.text(24, y0 + 24, title, anchor="start", weight="bold")
        cy = y0 + 110
        svg.text(62, cy + 5, "z ~ p_{z}", size=13)
        svg.line(96, cy, 138, cy)
        g_colour = GREEN if generator_step else GREY
        box(svg, 170, cy, 60, 40, ["G"], colour=g_colour, fill=FILL[g_colour])
        svg.line(200, cy, 380, cy if generator_step else cy)
        svg.text(245, cy - 10, "G(z)", size=13)
        d_colour = GREY if generator_step else BLUE
        box(svg, 420, cy, 76, 48, ["D"], colour=d_colour, fill=FILL[d_colour])
        if not generator_step:
            svg.text(420, y0 + 48, "x ~ p_{data}", size=13)
            svg.line(420, y0 + 56, 420, cy - 26)
            svg.text(410, y0 + 68, tr(lang, "真实样本", "real samples"), size=12, colour=GREY, anchor="end")
            # the cut: no gradient to G
            for dx in (296, 304):
                svg.line(dx, cy - 12, dx, cy + 12, colour=RED, width=2, arrow=False)
            svg.text(300, cy + 32, tr(lang, "切断梯度", "no gradient"), size=12, colour=RED)
            svg.text(300, cy + 48, "fake.detach()", size=12, colour=RED)
        svg.line(458, cy, 588, cy)
        if generator_step:
            labels = [
                tr(lang, "D(G(z)) → 标签 1", "D(G(z)) → label 1"),
                (tr(lang, "（非饱和损失）", "(non-saturating loss)"), GREY),
            ]
        else:
            labels = [
                tr(lang, "D(x) → 标签 1", "D(x) → label 1"),
                tr(lang, "D(G(z)) → 标签 0", "D(G(z)) → label 0"),
            ]
        svg.lines(524, cy - 46, labels, size=12)
        loss = "g_loss" if generator_step else "d_loss"
        box(
            svg,
            680,
            cy,
            180,
            48,
            [loss, (tr(lang, "二元交叉熵", "binary cross-entropy"), GREY)],
            size=13,
            colour=INK,
        )
        # the gradients, back from the loss
        back_to = 200 if generator_step else 458
        svg.polyline(
            [(680, cy + 24), (680, cy + 56), (back_to, cy + 56), (back_to, cy + 22)],
            colour=RED,
            arrow=True,
            dash="5 3",
        )
        note = (
            tr(
                lang,
                "梯度穿过 D 传回 G；g_optimizer.step() 只更新 G",
                "gradients flow through D into G; g_optimizer.step() changes G only",
            )
            if generator_step
            else tr(
                lang,
                "梯度只到 D；d_optimizer.step() 只更新 D",
                "gradients reach D only; d_optimizer.step() changes D only",
            )
        )
        svg.text(680, cy + 72, note, size=12, colour=RED, anchor="end")
        updated = ("G", GREEN) if generator_step else ("D", BLUE)
        frozen = "D" if generator_step else "G"
        svg.text(
            790,
            y0 + 24,
            tr(lang, f"更新 {updated[0]}，{frozen} 不变", f"updates {updated[0]}, {frozen} stays"),
            anchor="end",
            colour=updated[1],
            size=13,
            weight="bold",
        )

    panel(10, tr(lang, "① 判别器一步", "① discriminator step"), generator_step=False)
    panel(210, tr(lang, "② 生成器一步", "② generator step"), generator_step=True)
    svg.path("M812 320C880 320 880 100 814 100", colour=INK, width=1.6)
    svg.text(884, 215, tr(lang, "交替", "repeat"), size=13, anchor="end")
    svg.lines(
        410,
        414,
        [
            tr(
                lang,
                "Keras：generator.predict_on_batch(z) 返回 NumPy 数组，没有梯度，相当于 detach；",
                "Keras: generator.predict_on_batch(z) returns a NumPy array, without gradients, like detach;",
            ),
            tr(
                lang,
                "生成器一步之前设 discriminator.trainable = False",
                "discriminator.trainable = False before the generator step",
            ),
        ],
        size=12,
        colour=GREY,
    )
    return svg


# --- splits and early stopping (regularization.md#early-stopping) ---------------


def early_stopping_run() -> tuple[list[float], int, int, int]:
    """The validation losses and patience of regularization_numpy.py's demo,
    the epoch early stopping keeps (its early_stopping_epoch) and the epoch
    at which training stops."""
    path = runner.SNIPPETS / "theory" / "regularization_numpy.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    losses = patience = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "val_losses" for t in node.targets):
            losses = ast.literal_eval(node.value)
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "early_stopping_epoch"
            and node.args
        ):
            if getattr(node.args[0], "id", None) == "val_losses":
                patience = ast.literal_eval(node.args[1])
    if losses is None or patience is None:
        raise SystemExit(
            f"{runner.rel(path)}: no `val_losses = [...]` or early_stopping_epoch(val_losses, n) call"
        )
    best = runner.load_theory_snippet("regularization").early_stopping_epoch(losses, patience)
    stop = best + patience  # the first epoch that is `patience` epochs past the best one
    assert stop < len(losses) and min(losses[: stop + 1]) == losses[best]
    return losses, patience, best, stop


def early_stopping(lang: str) -> Svg:
    losses, patience, best, stop = early_stopping_run()
    svg = Svg(
        760,
        470,
        tr(
            lang,
            f"训练集、验证集、测试集的划分，以及验证损失曲线上的早停：第 {best} 轮最好，"
            f"之后 {patience} 轮没有改进，在第 {stop} 轮停止",
            f"The training, validation and test split, and early stopping on the validation loss: "
            f"best at epoch {best}, no improvement for {patience} epochs, stopped at epoch {stop}",
        ),
    )
    # the split
    x0, width, y0 = 60, 640, 20
    parts = [
        (
            0.70,
            BLUE,
            tr(lang, "训练集", "training"),
            [tr(lang, "计算梯度、更新参数", "gradients and updates")],
        ),
        (
            0.15,
            ORANGE,
            tr(lang, "验证集", "validation"),
            [tr(lang, "选超参数", "tuning,"), tr(lang, "决定何时停止", "when to stop")],
        ),
        (
            0.15,
            GREY,
            tr(lang, "测试集", "test"),
            [tr(lang, "最后只用", "used once,"), tr(lang, "一次", "at the end")],
        ),
    ]
    x = x0
    for share, colour, label, roles in parts:
        w = share * width
        svg.rect(x, y0, w, 44, fill=FILL[colour], stroke=colour, rx=3)
        svg.lines(x + w / 2, y0 + 18, [label, f"{share:.0%}"], size=13, gap=17, weight="bold")
        svg.lines(x + w / 2, y0 + 62, [(r, GREY) for r in roles], size=12, gap=15)
        x += w
    # the validation curve
    px0, px1, py0, py1 = 90, 700, 150, 390
    lo, hi = 0.4, 0.95
    n = len(losses)

    def pt(epoch, loss):
        return px0 + (px1 - px0) * epoch / (n - 1), py1 - (py1 - py0) * (loss - lo) / (hi - lo)

    svg.rect(
        pt(best, 0)[0], py0, pt(stop, 0)[0] - pt(best, 0)[0], py1 - py0, fill=FILL[RED], stroke="none", rx=0
    )
    svg.text(
        (pt(best, 0)[0] + pt(stop, 0)[0]) / 2,
        py0 + 18,
        tr(lang, f"patience = {patience}：{patience} 轮没有改进", f"patience = {patience}: no improvement"),
        size=12,
        colour=RED,
    )
    svg.polyline([(px0, py0), (px0, py1), (px1, py1)], colour=INK, width=1.2)
    for e in range(n):
        x, _ = pt(e, lo)
        svg.line(x, py1, x, py1 + 5, colour=INK, width=1, arrow=False)
        svg.text(x, py1 + 20, str(e), size=12)
    for t in np.arange(0.4, 0.95, 0.1):
        _, y = pt(0, t)
        svg.line(px0 - 5, y, px0, y, colour=INK, width=1, arrow=False)
        svg.text(px0 - 9, y + 4, fmt(t), size=12, anchor="end")
    svg.text(40, py0 - 14, tr(lang, "验证损失", "validation loss"), size=13, anchor="start", weight="bold")
    svg.text((px0 + px1) / 2, py1 + 44, tr(lang, "轮（epoch），从 0 计数", "epoch (counted from 0)"), size=13)
    svg.polyline([pt(e, losses[e]) for e in range(stop + 1)], colour=ORANGE, width=2.2)
    svg.polyline([pt(e, losses[e]) for e in range(stop, n)], colour=LINE, width=1.6, dash="4 4")
    for e in range(n):
        svg.circle(
            *pt(e, losses[e]),
            4,
            fill=ORANGE if e <= stop else "#ffffff",
            stroke=ORANGE if e <= stop else LINE,
        )
    bx, by = pt(best, losses[best])
    svg.circle(bx, by, 8, fill="none", stroke=GREEN, width=2.4)
    svg.text(
        bx,
        by + 28,
        tr(lang, f"最低：第 {best} 轮", f"lowest: epoch {best}"),
        size=12.5,
        colour=GREEN,
        weight="bold",
    )
    svg.text(bx, by + 44, tr(lang, "恢复这一轮的权重", "its weights are restored"), size=12, colour=GREEN)
    sx, sy = pt(stop, losses[stop])
    svg.line(sx, py0 + 28, sx, py1, colour=RED, width=2, arrow=False)
    svg.text(
        sx + 6,
        py0 + 44,
        tr(lang, f"第 {stop} 轮后停止", f"stop after epoch {stop}"),
        size=12.5,
        colour=RED,
        anchor="start",
        weight="bold",
    )
    ex, ey = pt(n - 1, losses[-1])
    svg.text(ex, ey - 12, tr(lang, "不再训练", "not trained"), size=12, colour=GREY, anchor="end")
    return svg


# --- all diagrams ----------------------------------------------------------------

DIAGRAMS: dict[str, Callable[[str], Svg]] = {
    "neuron": neuron,
    "mlp_forward": mlp,
    "backprop_graph": backprop_graph,
    "conv_stride": convolution,
    "max_pooling": pooling,
    "rnn_unrolled": rnn_unrolled,
    "lstm_cell": lstm_cell,
    "gan_loop": gan_loop,
    "early_stopping": early_stopping,
}

# What the figures are computed from: this code and the snippets it reads.
CODE = [Path(__file__).resolve()]
INPUTS = [runner.SNIPPETS / "theory" / "cnn_numpy.py", runner.SNIPPETS / "theory" / "regularization_numpy.py"]


def figure_path(out: Path, name: str, lang: str) -> Path:
    return out / f"{name}-{lang}.svg"


def write_meta(
    out: Path, generated_by: str, code: list[Path], inputs: list[Path], figures: list[Path]
) -> Path:
    """figures.meta.json: the sha256 of the generating code and its inputs,
    and the figures made from them (tests/test_figures.py checks it)."""
    meta = {
        "generated_by": generated_by,
        "code": {runner.rel(p): sha256(p) for p in code},
        "inputs": {runner.rel(p): sha256(p) for p in inputs},
        "figures": sorted(runner.rel(p) for p in figures),
    }
    path = out / META
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def remove_stale(out: Path, figures: list[Path], suffixes=(".svg", ".png")) -> None:
    """Delete figures in `out` that this run did not write (e.g. renamed ones)."""
    # Figures that `make outputs` copies from snippets' runs (<stem>.<name>) stay.
    snippet_files = tuple(f"{p.stem}." for p in runner.all_snippets())
    for old in out.iterdir():
        if old.suffix in suffixes and old not in figures and not old.name.startswith(snippet_files):
            old.unlink()


def main() -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in DIAGRAMS.items():
        for lang in LANGS:
            path = figure_path(OUT, name, lang)
            svg = draw(lang).render()
            if len(svg.encode()) > SIZE_LIMIT:
                raise SystemExit(f"{runner.rel(path)}: {len(svg.encode())} bytes, over {SIZE_LIMIT}")
            path.write_text(svg, encoding="utf-8")
            written.append(path)
            print(runner.rel(path), len(svg.encode()), "bytes")
    remove_stale(OUT, written)
    write_meta(OUT, "make plots (python -m tools.diagrams)", CODE, INPUTS, written)
    return written


if __name__ == "__main__":
    main()
