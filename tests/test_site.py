"""The built site: both languages, the language switcher, offline assets,
KaTeX, and a search index that splits Chinese into words."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tools import checks, runner

pytestmark = pytest.mark.build


def page_urls() -> list[tuple[str, str]]:
    """(zh html path, en html path) for every page pair in docs/."""
    pairs = []
    for page in checks.pages(runner.DOCS):
        if checks.language_of(page) != "zh":
            continue
        rel = page.relative_to(runner.DOCS).with_suffix("")
        html = "index.html" if rel.name == "index" else f"{rel.name}/index.html"
        base = rel.parent.as_posix()
        zh = html if base == "." else f"{base}/{html}"
        pairs.append((zh, f"en/{zh}"))
    return pairs


class Resources(HTMLParser):
    """Collects what a page loads (not what it merely links to)."""

    def __init__(self):
        super().__init__()
        self.loads, self.switcher = [], {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.loads.append(a["src"])
        if (
            tag == "link"
            and a.get("href")
            and a.get("rel")
            in ("stylesheet", "preload", "modulepreload", "icon", "prefetch", "preconnect", "dns-prefetch")
        ):
            self.loads.append(a["href"])
        if tag == "a" and "md-select__link" in (a.get("class") or "") and a.get("hreflang"):
            self.switcher[a["hreflang"]] = a["href"]


def parse(path: Path) -> Resources:
    r = Resources()
    r.feed(path.read_text(encoding="utf-8"))
    return r


@pytest.mark.parametrize("zh, en", page_urls())
def test_page_exists_in_both_languages_with_a_switcher(built_site, zh, en):
    for path in (zh, en):
        assert (built_site / path).is_file(), f"{path} was not built"
    for here, there in ((zh, en), (en, zh)):
        switcher = parse(built_site / here).switcher
        other = "en" if there.startswith("en/") else "zh"
        assert other in switcher, f"{here}: no language switcher entry for {other}"
        href = switcher[other]
        # "/en/" is relative to the site root (the site is served at the root).
        target = built_site / href.lstrip("/") if href.startswith("/") else (built_site / here).parent / href
        target = target / "index.html" if switcher[other].endswith("/") else target
        assert target.resolve() == (built_site / there).resolve(), (
            f"{here}: switcher for {other} leads to {switcher[other]}, not to {there}"
        )


def test_no_page_loads_anything_from_another_host(built_site):
    offenders = []
    for html in built_site.rglob("*.html"):
        for url in parse(html).loads:
            if re.match(r"^(https?:)?//", url):
                offenders.append(f"{html.relative_to(built_site)}: {url}")
    for css in built_site.rglob("*.css"):
        for url in re.findall(
            r"url\(\s*['\"]?((?:https?:)?//[^'\")]+)", css.read_text(encoding="utf-8", errors="replace")
        ):
            offenders.append(f"{css.relative_to(built_site)}: {url}")
    assert not offenders, "third-party requests:\n" + "\n".join(offenders)


def test_katex_is_served_by_the_site_with_its_license(built_site):
    katex = built_site / "assets" / "vendor" / "katex"
    for name in ("katex.min.css", "LICENSE"):
        assert (katex / name).is_file(), f"assets/vendor/katex/{name} is missing"
    css = (katex / "katex.min.css").read_text(encoding="utf-8")
    woff2 = set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css))
    assert woff2, "katex.min.css names no woff2 fonts"
    missing = sorted(f for f in woff2 if not (katex / f).is_file())
    assert not missing, f"KaTeX fonts named by katex.min.css but not shipped: {missing}"


def test_formulas_are_typeset_at_build_time(built_site):
    """Formulas arrive typeset (KaTeX's HTML and MathML) with KaTeX's
    stylesheet; no page loads a math script, and a page without formulas does
    not load the stylesheet either."""
    page = (built_site / "examples" / "binary_mlp" / "index.html").read_text(encoding="utf-8")
    formulas = re.findall(r'<(span|div) class="arithmatex">(.*?)</\1>', page, re.DOTALL)
    assert formulas, "the page has no formulas marked by arithmatex"
    untypeset = [body[:80] for _, body in formulas if 'class="katex' not in body]
    assert not untypeset, f"formulas left as TeX: {untypeset}"
    assert "<math" in page and 'encoding="application/x-tex"' in page, "no MathML for screen readers"
    assert '<link rel="stylesheet" href="../../assets/vendor/katex/katex.min.css">' in page
    for html in built_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "katex.min.js" not in text and "auto-render" not in text, f"{html}: loads a math script"
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "arithmatex" not in home and "katex.min.css" not in home


def test_a_formula_katex_cannot_parse_names_the_page():
    from tools import formulas

    ok, count = formulas.typeset_page('<span class="arithmatex">\\(a &lt; b\\)</span>', "x.md")
    assert count == 1 and 'class="katex"' in ok and "&lt;" in ok
    with pytest.raises(formulas.FormulaError, match=r"theory/bad\.md: cannot typeset '\\\\frac\{1\}'"):
        formulas.typeset_page('<div class="arithmatex">\\[\\frac{1}\\]</div>', "theory/bad.md")


def _index(built_site):
    return json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))


def _search(index, query):
    """Locations whose indexed words (as the search plugin split them) include
    every word of the query."""
    sep = re.compile(index["config"]["separator"])
    terms = [t.lower() for t in sep.split(query) if t]
    hits = []
    for doc in index["docs"]:
        words = {w.lower() for w in sep.split(re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"])) if w}
        if all(t in words for t in terms):
            hits.append(doc["location"])
    return hits


def test_search_index_splits_chinese_into_words(built_site):
    index = _index(built_site)
    assert "zh" in index["config"]["lang"] and "en" in index["config"]["lang"]
    assert any("\u200b" in d["text"] for d in index["docs"]), (
        "no zero-width spaces in the search index: jieba did not segment Chinese"
    )


@pytest.mark.parametrize(
    "query, page",
    [
        ("梯度下降", "examples/binary_mlp/"),
        ("学习率", "examples/binary_mlp/"),
        ("动量", "examples/binary_mlp/"),
        ("Nesterov momentum", "en/examples/binary_mlp/"),
        ("binary cross-entropy", "en/examples/binary_mlp/"),
    ],
)
def test_search_finds_the_page(built_site, query, page):
    hits = _search(_index(built_site), query)
    assert any(h.split("#")[0] == page for h in hits), f"{query!r} found {hits[:8]}, not {page}"


EXAMPLE_SNIPPETS = sorted((runner.SNIPPETS / "examples").glob("*.py"))


@pytest.mark.parametrize("snippet", EXAMPLE_SNIPPETS, ids=[s.stem for s in EXAMPLE_SNIPPETS])
def test_each_example_is_a_downloadable_notebook_with_the_snippets_code(built_site, snippet):
    import nbformat

    for prefix in ("", "en/"):
        path = built_site / f"{prefix}notebooks/{snippet.stem}.ipynb"
        assert path.is_file(), f"{prefix}notebooks/{snippet.stem}.ipynb was not built"
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")

        # Comments aside (the markdown cell and cell titles move into the
        # notebook's markdown and metadata), the code is the snippet's code.
        def code_lines(text):
            return [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]

        expected = code_lines(snippet.read_text(encoding="utf-8"))
        got = code_lines(code)
        assert got == expected, f"{path.name}: its code cells differ from {runner.rel(snippet)}"
    pages = [
        p
        for p in (runner.DOCS / "examples").glob("*.md")
        if f"../notebooks/{snippet.stem}.ipynb" in p.read_text(encoding="utf-8")
    ]
    assert len(pages) == 2, (
        f"{snippet.name}: its notebook is linked from {len(pages)} pages, expected one per language"
    )


DATE = re.compile(r'class="git-revision-date-localized-plugin[^"]*"[^>]*>([^<]+)<')


def test_every_page_shows_when_it_last_changed_in_its_language(built_site):
    for zh, en in page_urls():
        zh_date = DATE.search((built_site / zh).read_text(encoding="utf-8"))
        en_date = DATE.search((built_site / en).read_text(encoding="utf-8"))
        assert zh_date and en_date, f"{zh} or {en} shows no last-changed date"
        assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", zh_date[1].strip()), (zh, zh_date[1])
        assert re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}", en_date[1].strip()), (en, en_date[1])


EDIT = re.compile(r'<a href="([^"]+)"[^>]*class="md-content__button md-icon"[^>]*>')


def test_edit_and_source_links_only_with_a_repository(built_site, built_site_with_repo):
    """Without REPO_URL (as in the tests) there is nothing to link to: no edit
    or view-source action. With it, both point at the page's own file, in its
    language, and the header's repository link makes no request to GitHub's API."""
    page = (built_site / "en/theory/losses/index.html").read_text(encoding="utf-8")
    assert not EDIT.findall(page)
    out = built_site_with_repo
    for path, source in (
        ("theory/losses/index.html", "docs/theory/losses.md"),
        ("en/theory/losses/index.html", "docs/theory/losses.en.md"),
    ):
        html = (out / path).read_text(encoding="utf-8")
        assert EDIT.findall(html) == [
            f"https://github.com/example/dl-docs/edit/main/{source}",
            f"https://github.com/example/dl-docs/raw/main/{source}",
        ], path
        assert 'data-md-component="source"' not in html  # would fetch api.github.com


def test_katex_fonts_are_cut_to_the_characters_the_formulas_use(built_site):
    """Each KaTeX font in the built site is cut down to the characters the
    formulas draw with it (tests/test_browser.py checks, in Chromium, that no
    drawn character is missing from its font): blackboard bold keeps the
    letters of \\mathbb, not the alphabet, and every font is smaller."""
    from fontTools.ttLib import TTFont

    from tools import formulas

    fonts = built_site / "assets" / "vendor" / "katex" / "fonts"

    def cmap(name: str) -> set[str]:
        return set(map(chr, TTFont(fonts / name).getBestCmap()))

    assert {"R", "E"} <= cmap("KaTeX_AMS-Regular.woff2") and "a" not in cmap("KaTeX_AMS-Regular.woff2")
    assert {"α", "θ", "x"} <= cmap("KaTeX_Math-Italic.woff2")
    assert {"=", "(", "∂"} <= cmap("KaTeX_Main-Regular.woff2")
    assert "∑" in cmap("KaTeX_Size2-Regular.woff2")
    smaller = 0
    for source in sorted(formulas.FONTS.glob("*.woff2")):
        smaller += (fonts / source.name).stat().st_size < source.stat().st_size
    assert smaller == len(list(formulas.FONTS.glob("*.woff2"))), "not every font was cut down"


def test_figures_load_lazily_with_their_size(built_site):
    """Every figure in a page's content waits until the reader scrolls near it
    and has its size, so the text does not move when it arrives."""
    page = (built_site / "examples" / "gan" / "index.html").read_text(encoding="utf-8")
    imgs = re.findall(r"<img [^>]*>", page.split('<article class="md-content__inner', 1)[1])
    figures = [i for i in imgs if "assets/generated/" in i]
    assert len(figures) >= 4, imgs
    for img in figures:
        assert 'loading="lazy"' in img and re.search(r'width="\d+" height="\d+"', img), img
