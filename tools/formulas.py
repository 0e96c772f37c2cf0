"""Formulas typeset at build time.

pymdownx.arithmatex (generic mode) leaves each formula as TeX in an element of
class "arithmatex": ``<span class="arithmatex">\\(...\\)</span>`` inline and
``<div class="arithmatex">\\[...\\]</div>`` displayed. Here KaTeX itself (the
vendored tools/vendor/katex/katex.min.js, run in an embedded V8 by
mini-racer) turns that TeX into HTML and MathML while the site is built, so a
page carries no math script: nothing to download and run on a phone, and no
layout shift when formulas are typeset. Only KaTeX's stylesheet is linked, and
only by pages that have formulas; the browser fetches the fonts a page uses.

A formula KaTeX cannot parse fails the build with the page, the formula and
KaTeX's message.
"""

from __future__ import annotations

import html
import os
import re
from functools import lru_cache
from pathlib import Path

# KaTeX's script (used here only) and its stylesheet and fonts (served with
# the site, docs/assets/vendor/katex/) come from the same release.
KATEX_JS = Path(__file__).resolve().parent / "vendor" / "katex" / "katex.min.js"
STYLESHEET = "assets/vendor/katex/katex.min.css"

# The element pymdownx.arithmatex writes (generic mode); its TeX is HTML-escaped.
FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])"
    r"</(?P=tag)>",
    re.DOTALL,
)


# The fonts of the formulas on a page, asked for in its head, so that they
# arrive with the stylesheet and every formula is drawn once, in its own font.
# KaTeX's stylesheet holds a formula's text back until its font is there, but
# lays it out with another font's widths meanwhile: a formula that then grows
# moves to the next line and pushes the text after it, and a display formula
# with big delimiters moves sideways (layout shifts). Each font is preloaded
# when the page has a formula that uses it (KaTeX's class names for it): the
# roman and math italic, the calligraphic letters of the losses
# (\mathcal{L}), bold, blackboard bold (\mathbb{R}), and the sizes of big
# delimiters and operators. Fonts no formula here uses yet (script, fraktur
# and so on) load when a formula needs them.
_FONTS = "assets/vendor/katex/fonts/"
PRELOAD = {
    _FONTS + "KaTeX_Main-Regular.woff2": ('class="katex"',),
    _FONTS + "KaTeX_Math-Italic.woff2": ("mathnormal",),
    _FONTS + "KaTeX_Caligraphic-Regular.woff2": ("mathcal",),
    _FONTS + "KaTeX_Main-Bold.woff2": ("mathbf",),
    _FONTS + "KaTeX_AMS-Regular.woff2": ("mathbb", "amsrm"),
    _FONTS + "KaTeX_Size1-Regular.woff2": ("delimsizing size1", "delim-size1", "small-op"),
    _FONTS + "KaTeX_Size2-Regular.woff2": ("delimsizing size2", "large-op"),
    _FONTS + "KaTeX_Size3-Regular.woff2": ("delimsizing size3",),
    _FONTS + "KaTeX_Size4-Regular.woff2": ("delimsizing size4", "delim-size4"),
}


def fonts_to_preload(page_html: str) -> list[str]:
    """Site paths of the KaTeX fonts to preload for a typeset page."""
    return [font for font, marks in PRELOAD.items() if any(mark in page_html for mark in marks)]


# Every character KaTeX has drawn in this build (both languages: the i18n
# plugin builds them in one process), for subset_fonts: all of them, and by
# the font file that draws each (font_of).
USED = set()
USED_BY_FONT: dict[str, set[str]] = {}
FONTS = Path(__file__).resolve().parents[1] / "docs" / "assets" / "vendor" / "katex" / "fonts"

# KaTeX's stylesheet (katex.min.css) chooses a formula's fonts by class names:
# `.katex .X {font-family: KaTeX_Y}` for these X; weight and style likewise.
# Everything else inherits from `.katex`: KaTeX_Main, regular.
_FAMILY = {
    **dict.fromkeys(("textrm", "mathit", "mathbf", "mainrm"), "Main"),
    **dict.fromkeys(("mathnormal", "boldsymbol"), "Math"),
    **dict.fromkeys(("amsrm", "mathbb", "textbb"), "AMS"),
    "mathcal": "Caligraphic",
    **dict.fromkeys(("mathfrak", "textfrak", "mathboldfrak", "textboldfrak"), "Fraktur"),
    **dict.fromkeys(("texttt", "mathtt"), "Typewriter"),
    **dict.fromkeys(("mathscr", "textscr"), "Script"),
    **dict.fromkeys(
        ("textsf", "mathsf", "mathboldsf", "textboldsf", "mathitsf", "mathsfit", "textitsf"), "SansSerif"
    ),
}
_BOLD = {"textbf", "mathbf", "boldsymbol", "mathboldfrak", "textboldfrak", "mathboldsf", "textboldsf"}
_ITALIC = {"textit", "mathnormal", "mathit", "boldsymbol", "mathitsf", "mathsfit", "textitsf"}
_UPRIGHT = {"mathrm", "mainrm"}


def _family(classes: set[str], parent: set[str]) -> str | None:
    """The KaTeX family an element's own classes set (None: inherited)."""
    if "delimsizing" in classes:
        for n in "1234":
            if f"size{n}" in classes:
                return f"Size{n}"
    if "op-symbol" in classes and "small-op" in classes:
        return "Size1"
    if "op-symbol" in classes and "large-op" in classes:
        return "Size2"
    for n in "14":  # .katex .delimsizing.mult .delim-sizeN > span
        if f"delim-size{n}" in parent:
            return f"Size{n}"
    return next((_FAMILY[c] for c in sorted(classes) if c in _FAMILY), None)


def font_of(ancestors: list[set[str]]) -> str:
    """The KaTeX font file (e.g. "KaTeX_Main-Bold.woff2") that draws text whose
    elements, outermost first, have these classes, as katex.min.css says."""
    family = weight = style = None
    for i in range(len(ancestors) - 1, -1, -1):
        classes, parent = ancestors[i], ancestors[i - 1] if i else set()
        family = family or _family(classes, parent)
        weight = weight or ("Bold" if classes & _BOLD else None)
        if style is None:
            style = "Italic" if classes & _ITALIC else "upright" if classes & _UPRIGHT else None
    return font_file(family or "Main", bold=weight == "Bold", italic=style == "Italic")


def font_file(family: str, bold: bool, italic: bool) -> str:
    """KaTeX's font file for a family ("Main" or "KaTeX_Main") and variant; a
    variant KaTeX has no file for is synthesized by the browser from the
    regular face, so that is the file."""
    family = family.removeprefix("KaTeX_")
    name = f"KaTeX_{family}-{('Bold' if bold else '') + ('Italic' if italic else '') or 'Regular'}.woff2"
    return name if (FONTS / name).is_file() else f"KaTeX_{family}-Regular.woff2"


_OPEN = re.compile(r'<(/?)([a-z]+)\b(?:[^>]*?\bclass="([^"]*)")?[^>]*?(/?)>|([^<]+)')
_VOID = {"br", "img", "input", "hr", "meta", "link", "col", "wbr"}


def record_fonts(body: str) -> None:
    """Add the characters of one typeset formula's drawn part (.katex-html,
    not the MathML for screen readers) to USED_BY_FONT, by the font of each."""
    start = body.find('<span class="katex-html"')
    if start < 0:
        return
    stack: list[set[str]] = []
    for m in _OPEN.finditer(body, start):
        closing, tag, classes, self_closing, text = m.groups()
        if text is not None:
            if stack and text.strip():
                USED_BY_FONT.setdefault(font_of(stack), set()).update(html.unescape(text))
        elif closing:
            stack.pop()
            if not stack:
                return
        elif tag not in _VOID and not self_closing:
            stack.append(set((classes or "").split()))


def subset_fonts(site_fonts: Path) -> dict[str, tuple[int, int]]:
    """Write KaTeX's fonts into the built site cut down to the characters the
    formulas of this build draw with each of them (a font no formula uses: to
    all their characters plus printable ASCII), from the full fonts in docs/:
    each font is shared by every page, and most of each one's glyphs are never
    drawn here. Hinting instructions are dropped too (as web font services do
    for all but old Windows): most of a small font's bytes. Returns {font:
    (bytes before, bytes after)}."""
    import hashlib
    import shutil
    import tempfile

    from fontTools import subset

    fallback = "".join(sorted(USED | {chr(c) for c in range(0x20, 0x7F)}))
    texts = {
        source.name: "".join(sorted(USED_BY_FONT[source.name])) if source.name in USED_BY_FONT else fallback
        for source in FONTS.glob("*.woff2")
    }
    # The same characters give the same fonts: kept between builds (the tests
    # build the site several times; each font takes a moment to cut).
    key = hashlib.sha256((repr(sorted(texts.items())) + fontTools_version()).encode()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / "katex-font-subsets" / key
    if cache.is_dir():
        for font in cache.glob("*.woff2"):
            shutil.copyfile(font, site_fonts / font.name)
        return {
            f.name: (f.stat().st_size, (site_fonts / f.name).stat().st_size) for f in FONTS.glob("*.woff2")
        }
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.hinting = False
    sizes = {}
    for source in sorted(FONTS.glob("*.woff2")):
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=texts[source.name])
        subsetter.subset(font)
        target = site_fonts / source.name
        subset.save_font(font, str(target), options)
        sizes[source.name] = (source.stat().st_size, target.stat().st_size)
    partial = cache.with_name(key + f".{os.getpid()}.part")
    shutil.copytree(site_fonts, partial, dirs_exist_ok=True)
    try:
        partial.rename(cache)
    except OSError:  # another build wrote it first
        shutil.rmtree(partial, ignore_errors=True)
    return sizes


def fontTools_version() -> str:
    import fontTools

    return fontTools.version


class FormulaError(ValueError):
    """KaTeX could not typeset a formula."""


TAG = re.compile(r"<[^>]*>")


@lru_cache(maxsize=1)
def _katex():
    from py_mini_racer import MiniRacer

    ctx = MiniRacer()
    ctx.eval(KATEX_JS.read_text(encoding="utf-8"))
    ctx.eval(
        """
        function typeset(tex, display) {
          try {
            return {html: katex.renderToString(tex, {displayMode: display, throwOnError: true})};
          } catch (err) {
            return {error: String(err.message || err)};
          }
        }
        """
    )
    return ctx


def typeset(tex: str, display: bool) -> str:
    """KaTeX's HTML (with MathML for screen readers) for one formula."""
    result = _katex().call("typeset", tex, display)
    if "error" in result:
        raise FormulaError(result["error"])
    return result["html"]


def typeset_page(text: str, where: str) -> tuple[str, int]:
    """Every arithmatex formula of an HTML page typeset; returns the page and
    how many formulas it had. ``where`` names the page in errors."""
    errors = []

    def render(m: re.Match) -> str:
        display = m.group("display") is not None
        tex = html.unescape(m.group("display") if display else m.group("inline"))
        try:
            body = typeset(tex, display)
        except FormulaError as err:
            errors.append(f"{where}: cannot typeset {tex.strip()!r}: {err}")
            return m.group(0)
        USED.update(html.unescape(TAG.sub("", body)))
        record_fonts(body)
        return f'<{m.group("tag")} class="arithmatex">{body}</{m.group("tag")}>'

    out, count = FORMULA.subn(render, text)
    if errors:
        raise FormulaError("\n".join(errors))
    return out, count
