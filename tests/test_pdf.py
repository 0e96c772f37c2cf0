"""The course PDFs (tools/pdf.py, `make pdf`): both are printed once for this
module from the site the suite builds, and read back with poppler-utils
(pdfinfo, pdftotext, pdffonts): a sane number of pages, every chapter title,
no TeX left untypeset, an exercise's solution printed, and in the Chinese one
an embedded Chinese font. The home pages link both files under downloads/,
which `make pdf` writes after the build (tests/test_links.py leaves these two
links to this module).

Without Chromium or poppler-utils these tests skip, except on CI (CI set),
where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tools import browser, pdf, runner

pytestmark = [
    pytest.mark.browser,
    pytest.mark.build,
    pytest.mark.slow,
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.xdist_group("test_pdf"),
]

DOCS = runner.REPO / "docs"
POPPLER = ("pdfinfo", "pdftotext", "pdffonts")
# Measured when the PDFs were made (28 pages of the site each): 360 and 379
# PDF pages. Half to twice that: a PDF outside the range has lost pages or
# gained a layout problem (a code block or a table breaking every line).
MEASURED_PAGES = {"zh": 360, "en": 379}
RAW_TEX = ("\\frac", "\\(", "\\[", "\\mathcal", "$$")
CJK_FONT = re.compile(r"WenQuanYi|Noto\w*CJK|SourceHan|DroidSansFallback|UMing|UKai", re.I)


def _require_tools() -> None:
    """Skip without Chromium or poppler-utils; fail on CI."""
    why = browser.missing()
    absent = [tool for tool in POPPLER if shutil.which(tool) is None]
    if not why and absent:
        why = f"{', '.join(absent)} not found: sudo apt-get install poppler-utils (make test does it as root)"
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the PDF tests must run, but {why}")
        pytest.skip(why)


@pytest.fixture(scope="module")
def pdfs(built_site, tmp_path_factory) -> dict[str, Path]:
    """Both PDFs, printed once from the suite's build of the site."""
    _require_tools()
    out = tmp_path_factory.mktemp("pdf")
    return {r.language: r.path for r in pdf.render(built_site, out)}


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _squeezed(text: str) -> str:
    """Text without whitespace: pdftotext breaks lines where the page does,
    and puts spaces between Chinese and Latin letters as it sees fit."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def texts(pdfs) -> dict[str, str]:
    return {lang: _squeezed(_text(path)) for lang, path in pdfs.items()}


def _source(src: str, lang: str) -> Path:
    path = DOCS / src
    return path if lang == "zh" else path.with_suffix(".en.md")


def _title(path: Path) -> str:
    """The page's h1 as its text: no {#id}, no Markdown emphasis or code."""
    line = next(ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("# "))
    title = re.sub(r"\s*\{#[^}]*\}\s*$", "", line[2:])
    return re.sub(r"[`*_]", "", title).strip()


def _chapters(lang: str) -> list[Path]:
    """The theory and example pages and the FAQ's pages (its overview and
    each topic's page), in this language."""
    return [_source(src, lang) for src in pdf.chapters() if src.startswith(("theory/", "examples/", "faq/"))]


def _solution_line(lang: str) -> str:
    """A line of plain prose from the first exercise solution (??? success)
    in the theory pages that has one: no formula, code, link or emphasis."""
    plain = re.compile(r"^[^\\$`*\[\]<>|_{}]{24,}$")
    for path in _chapters(lang):
        inside = None
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.match(r"^\s*\?\?\?\+?\s+success\b", line):
                inside = len(line) - len(line.lstrip()) + 4
                continue
            if inside is None:
                continue
            if line.strip() and len(line) - len(line.lstrip()) < inside:
                inside = None  # the block ended
            elif plain.match(line.strip()):
                return line.strip()
    raise AssertionError(f"no solution with a line of plain prose in the {lang} pages")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_count_is_in_range(pdfs, lang):
    info = subprocess.run(["pdfinfo", str(pdfs[lang])], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    measured = MEASURED_PAGES[lang]
    assert measured // 2 <= pages <= measured * 2, (
        f"{pdfs[lang].name} has {pages} pages; {measured} were measured (see MEASURED_PAGES)"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chapter_title_is_in_the_text(texts, lang):
    titles = [_title(path) for path in _chapters(lang)]
    assert len(titles) >= 20
    missing = [t for t in titles if _squeezed(t) not in texts[lang]]
    assert not missing, f"chapter titles not found in the {lang} PDF: {missing}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_tex_is_left_untypeset(texts, lang):
    found = [tex for tex in RAW_TEX if tex in texts[lang]]
    assert not found, f"TeX in the text of the {lang} PDF (a formula KaTeX did not typeset): {found}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_exercise_solutions_are_printed(texts, lang):
    line = _solution_line(lang)
    assert _squeezed(line) in texts[lang], f"solution text not in the {lang} PDF: {line!r}"


def test_chinese_pdf_embeds_a_chinese_font(pdfs):
    fonts = subprocess.run(["pdffonts", str(pdfs["zh"])], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    # name type... encoding emb sub uni object ID: emb is the fifth column from the end.
    embedded = [row[0] for row in rows if len(row) >= 7 and CJK_FONT.search(row[0]) and row[-5] == "yes"]
    assert embedded, f"no embedded Chinese font in {pdfs['zh'].name}:\n{fonts}"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and href.endswith(".pdf"):
            self.hrefs.append(href)


@pytest.mark.parametrize("lang, home", [("zh", ""), ("en", "en/")])
def test_home_page_links_both_pdfs(built_site, pdfs, lang, home):
    """Each home page links its language's PDF and the other's, to the files
    that `make pdf` writes into the built site's downloads/."""
    parsed = _Links()
    parsed.feed((built_site / home / "index.html").read_text(encoding="utf-8"))
    targets = {urlsplit(urljoin(f"http://site/{home}", href)).path.lstrip("/") for href in parsed.hrefs}
    expected = set(pdf.SITE_PATHS.values())
    assert targets == expected, f"the {lang} home page links {sorted(targets)}, not {sorted(expected)}"
    assert pdf.DEFAULT_OUT == runner.REPO / "site" / pdf.DOWNLOADS
    assert all(
        path.name in pdf.FILENAMES.values() and path.stat().st_size > 100_000 for path in pdfs.values()
    )


def test_a_request_to_another_host_fails_the_pdf(tmp_path):
    """The guard itself: a page that loads an image from another host is not
    printed (the request is blocked, and the run fails)."""
    _require_tools()
    (tmp_path / "index.html").write_text("<p>site</p>", encoding="utf-8")
    page = '<!doctype html><p>x</p><img src="https://example.com/x.png">'
    with browser.chromium() as chromium, browser.serve(tmp_path) as base:
        with pytest.raises(pdf.PdfError, match="another host.*example.com"):
            pdf.print_html(chromium, base, page, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_links_in_the_pdf_lead_into_it(built_site, lang):
    """The combined page (no browser needed): every id once, and every
    #link names one of them (a link to another chapter of the PDF is a link
    into the PDF)."""
    page = pdf.print_page(built_site, lang, pdf.chapters())
    ids = re.findall(r'\sid="([^"]*)"', page)
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"ids used twice in the {lang} print page: {twice[:10]}"
    dangling = sorted({h for h in re.findall(r'\shref="#([^"]*)"', page) if h not in set(ids)})
    assert not dangling, f"links to no id in the {lang} print page: {dangling[:10]}"
    assert len(re.findall(r'\shref="#', page)) > 100


@pytest.mark.parametrize("lang, other", [("zh", "en"), ("en", "zh")])
def test_each_pdf_shows_the_figures_of_its_language(built_site, lang, other):
    page = pdf.print_page(built_site, lang, pdf.chapters())
    images = re.findall(r'<img\b[^>]*\ssrc="([^"]*)"', page)
    assert sum(src.endswith(f"-{lang}.svg") for src in images) >= 20
    assert not [src for src in images if src.endswith(f"-{other}.svg")]
