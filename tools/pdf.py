"""The course as one PDF per language: site/downloads/dl-course-zh.pdf and
dl-course-en.pdf.

    make pdf        (or: .venv/bin/python -m tools.pdf [--out DIR] [--site DIR])

The site is built with `mkdocs build --strict` into a temporary folder (or
--site names a site already built), the pages of the nav are put together into
one print page per language, and Debian's Chromium (tools/browser.py, through
Playwright) prints it with page.pdf(): A4, backgrounds, a page-number footer
and the PDF outline from the headings. The PDFs go to site/downloads/ (--out),
where the home pages link them; the docs workflow runs this after `make build`,
so they are published with the site. tests/test_pdf.py checks them.

What is in the PDF: a cover, a table of contents, then every page of the nav
in its order (preliminaries, theory, FAQ, examples) but the home page, each
starting on a new page: formulas as KaTeX typeset them, highlighted code, the
figures of that language (the pages already show name-zh.svg or name-en.svg),
every tab of each Keras / PyTorch (/ NumPy) set (Material's print style lays
tabs out one after the other), and every collapsible block, the exercises' solutions
(??? success) included, printed open. Notebook pages are not in the nav and
not in the PDF. Chinese text is set in the machine's Chinese font (the browser
tests' fonts-wqy-microhei), which Chromium embeds as a subset.

Why not mkdocs-print-site-plugin (2.9, tried with this site): it makes one
print page per build, print_page/index.html, and mkdocs-static-i18n builds
each language by running the whole build again on the same config. So the
English build overwrote the Chinese print page (only one language is ever
printed: the plugin's issue #70, open), the second on_config added the
plugin's CSS and script to the pages twice, and the print page is put
together from each page's HTML before the on_post_page hook that typesets
this site's formulas (tools/formulas.py): all 912 of them stayed TeX. The
i18n plugin drives only mkdocs-with-pdf per language, which prints with
WeasyPrint, not Chromium, and has had no release since 2021. So this module
does the print plugin's job on the built site instead, in a few regular
expressions: it takes each built page's <article> (what the site shows, hooks
and all), makes its ids unique in the combined page and its links point into
the PDF, and links the stylesheets the pages use.

Nothing is requested from another host while printing: every request the page
makes goes through a route that lets only the local server through; any other
is blocked and fails the run, as does a missing file or an untypeset formula.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import functools
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tools import browser  # noqa: E402

# The names the home pages link (docs/index.md, docs/index.en.md, under
# "Downloads"): keep them stable.
FILENAMES = {"zh": "dl-course-zh.pdf", "en": "dl-course-en.pdf"}
DOWNLOADS = "downloads"  # the folder of the built site they are published in
SITE_PATHS = {lang: f"{DOWNLOADS}/{name}" for lang, name in FILENAMES.items()}
DEFAULT_OUT = REPO / "site" / DOWNLOADS
DEFAULT_LANGUAGE = "zh"

TEXT = {
    "zh": {"contents": "目录", "made": "{date} 由网站生成", "online": "在线版本："},
    "en": {"contents": "Contents", "made": "Made from the website on {date}", "online": "Online: "},
}

# A4 with room for the footer (page numbers); the same margins are given to
# page.pdf() and to @page, which would otherwise be Material's 25 mm.
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}
PRINT_CSS = (
    f"@page {{ size: A4; margin: {MARGIN['top']} {MARGIN['right']} {MARGIN['bottom']} {MARGIN['left']}; }}"
    + """
.md-content__inner { margin: 0; padding: 0; }
.md-content__inner::before { display: none; }
.pdf-cover { break-after: page; padding-top: 30vh; text-align: center; }
.pdf-cover h1 { margin-bottom: 0.6em; font-size: 2.6em; color: var(--md-default-fg-color); }
.pdf-cover p { color: var(--md-default-fg-color--light); }
.pdf-toc ol { list-style: none; }
.pdf-toc li { margin-bottom: 0.2em; }
.pdf-toc .pdf-toc-section > a { font-weight: 700; }
.pdf-chapter { break-before: page; }
.md-typeset h1, .md-typeset h2, .md-typeset h3, .md-typeset h4, .md-typeset summary { break-after: avoid; }
.md-typeset img, .md-typeset figure, .md-typeset tr, .md-typeset .katex-display { break-inside: avoid; }
.md-typeset .katex-display { overflow: visible; }
"""
)
FOOTER = (
    '<div style="width:100%;margin:0 15mm;font-size:7pt;color:#888;display:flex;'
    'justify-content:space-between"><span class="title"></span>'
    '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)


class PdfError(RuntimeError):
    """The print page did not render as it must (another host, a missing file,
    an untypeset formula)."""


@dataclasses.dataclass
class Result:
    language: str
    path: Path
    seconds: float  # assembling and printing (the site build not counted)
    chapters: int


# --- which pages, in which order ---------------------------------------------


def _nav_sources(nav) -> list[str]:
    """The Markdown files of the nav, in order (sections flattened)."""
    found = []
    for item in nav:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                found += _nav_sources(value) if isinstance(value, list) else _nav_sources([value])
    return found


@functools.lru_cache
def chapters(config_file: Path = REPO / "mkdocs.yml") -> list[str]:
    """The pages of the PDF (Markdown sources of the default language, in
    nav order): every page of the nav but the home page."""
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    return [src for src in _nav_sources(config.nav) if src != "index.md" and not src.startswith("notebooks/")]


def page_url(src: str, language: str) -> str:
    """The built page's path from the site root: theory/losses.md ->
    theory/losses/, en/theory/losses/ in English (directory URLs)."""
    path = src[: -len(".md")]
    path = path[: -len("index")] if path == "index" or path.endswith("/index") else path + "/"
    return ("" if language == DEFAULT_LANGUAGE else f"{language}/") + path


def chapter_id(src: str) -> str:
    """theory/losses.md -> theory-losses; theory/index.md -> theory."""
    path = src[: -len(".md")].removesuffix("/index")
    return re.sub(r"[^\w-]+", "-", path).strip("-") or "home"


# --- one print page from the built pages -------------------------------------

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
SITE_NAME = re.compile(r'<a href="[^"]*" title="([^"]*)" class="md-header__button md-logo"')
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"')
BODY = re.compile(r"<body\b[^>]*>")
DROP = re.compile(
    r'<a class="headerlink"[^>]*>.*?</a>'  # the ¶ after each heading
    r'|<a\b[^>]*class="md-content__button[^"]*"[^>]*>.*?</a>'  # edit / view source
    r'|<aside class="md-source-file">.*?</aside>'  # last updated
    r'|<a id="__codelineno-[^"]*"[^>]*></a>'  # a line anchor in every code line
    # KaTeX's MathML copy of each formula, for screen readers: in a PDF it is
    # hidden text that pdftotext and copy-paste return next to the visible
    # formula, and it is a tenth of the page to lay out.
    r'|<span class="katex-mathml">.*?</span>(?=<span class="katex-html")',
    re.S,
)
ATTRIBUTE = re.compile(
    r'(?<=\s)(id|for|name|href|src|aria-labelledby|aria-describedby|aria-controls)="([^"]*)"'
)
H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
TAG = re.compile(r"<[^>]+>")


def _find(pattern: re.Pattern, text: str, what: str) -> re.Match:
    found = pattern.search(text)
    if found is None:
        raise PdfError(f"no {what} in the built home page (has the theme changed?)")
    return found


def _is_public(site_url: str) -> bool:
    return urlsplit(site_url).hostname not in (None, "localhost", "127.0.0.1", "::1")


def _site_url(site: Path) -> str:
    sitemap = site / "sitemap.xml"
    found = (
        re.search(r"<loc>([^<]*)</loc>", sitemap.read_text(encoding="utf-8")) if sitemap.is_file() else None
    )
    return found.group(1) if found else ""


def _rewrite(article: str, url: str, chapter: str, pages: dict[str, str], site_url: str) -> str:
    """``article``, the content of the page at ``url``, for the combined page
    at the site root: ids prefixed with the chapter's (many pages have an
    #exercises, a __tabbed_1), links to a page of the PDF as links into it,
    links to other files of the site to the published site (or plain text
    when the site was built for a local address), images from the root."""
    base = "http://site/"

    def attribute(m: re.Match) -> str:
        name, value = m.group(1), html.unescape(m.group(2))
        if name in ("id", "for", "name", "aria-labelledby", "aria-describedby", "aria-controls"):
            value = " ".join(f"{chapter}--{v}" for v in value.split())
        elif value.startswith("#"):
            value = f"#{chapter}--{value[1:]}" if len(value) > 1 else f"#{chapter}"
        elif not urlsplit(value).scheme and not value.startswith("//"):
            target = urlsplit(urljoin(base + url, value))
            path = target.path.lstrip("/")
            if name == "src":
                value = path
            elif path in pages:
                value = f"#{pages[path]}--{target.fragment}" if target.fragment else f"#{pages[path]}"
            elif _is_public(site_url):
                value = urljoin(site_url, path) + (f"#{target.fragment}" if target.fragment else "")
            else:
                return ""  # no link to a local address in a PDF: the text stays
        return f'{name}="{html.escape(value)}"'

    article = DROP.sub("", article)
    article = ATTRIBUTE.sub(attribute, article)
    # Print every collapsible block open (the exercises' solutions), and load
    # every image before printing.
    article = re.sub(r"<details\b(?![^>]*\bopen\b)", "<details open", article)
    return article.replace(' loading="lazy"', "")


def print_page(site: Path, language: str, sources: list[str], date: str | None = None) -> str:
    """The HTML of the combined page for ``language``, to be served at the
    site root (its links and images are relative to it)."""
    text = TEXT[language]
    site_url = _site_url(site)
    pages = {page_url(src, language): chapter_id(src) for src in sources}
    home = (site / page_url("index.md", language) / "index.html").read_text(encoding="utf-8")
    title = html.unescape(_find(SITE_NAME, home, "the site name in the header").group(1))
    description = DESCRIPTION.search(home)
    stylesheets: list[str] = []
    chapters_html, toc = [], []
    for src in sources:
        url = page_url(src, language)
        built = (site / url / "index.html").read_text(encoding="utf-8")
        found = ARTICLE.search(built)
        if found is None:
            raise PdfError(f"{url}index.html: no <article> (has the theme changed?)")
        for href in STYLESHEET.findall(built):
            path = urlsplit(urljoin("http://site/" + url, href)).path.lstrip("/")
            if path not in stylesheets:
                stylesheets.append(path)
        chapter = chapter_id(src)
        body = _rewrite(found.group(1), url, chapter, pages, site_url)
        h1 = H1.search(body)
        heading = html.unescape(TAG.sub("", h1.group(1))).strip() if h1 else src
        section = src.endswith("/index.md")
        toc.append(
            f'<li class="{"pdf-toc-section" if section else "pdf-toc-page"}">'
            f'<a href="#{chapter}">{html.escape(heading)}</a></li>'
        )
        chapters_html.append(f'<section class="pdf-chapter" id="{chapter}">{body}</section>')
    date = date or datetime.date.today().isoformat()
    online = (
        f'<p>{text["online"]}<a href="{html.escape(site_url)}">{html.escape(site_url)}</a></p>'
        if _is_public(site_url)
        else ""
    )
    cover = (
        f'<section class="pdf-cover"><h1 id="cover">{html.escape(title)}</h1>'
        f"<p>{description.group(1) if description else ''}</p>"
        f"<p>{text['made'].format(date=date)}</p>{online}</section>"
    )
    contents = f'<nav class="pdf-toc"><h2 id="contents">{text["contents"]}</h2><ol>{"".join(toc)}</ol></nav>'
    links = "".join(f'<link rel="stylesheet" href="{html.escape(s)}">\n' for s in stylesheets)
    body_tag = _find(BODY, home, "<body>").group(0)
    return (
        f'<!doctype html>\n<html lang="{language}" class="no-js">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n{links}<style>{PRINT_CSS}</style>\n"
        f"</head>\n{body_tag}\n"
        '<div class="md-container"><main class="md-main"><div class="md-content">'
        f'<article class="md-content__inner md-typeset">{cover}{contents}{"".join(chapters_html)}'
        "</article></div></main></div>\n</body>\n</html>\n"
    )


# --- printing ----------------------------------------------------------------

UNTYPESET = "[...document.querySelectorAll('.arithmatex')].filter((e) => !e.querySelector('.katex')).length"
BROKEN_IMAGES = "[...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src)"


def print_html(chromium, base: str, page_html: str, out: Path, name: str = "print.html") -> None:
    """Print ``page_html``, served as ``base + name`` next to the site that
    ``base`` serves, to ``out``. Any request to another host is blocked and
    raises PdfError, as do failed requests, broken images and untypeset
    formulas."""
    url = base + name
    foreign, failed, errors = [], [], []

    def route(r):
        request_url = r.request.url
        if request_url == url:
            r.fulfill(status=200, content_type="text/html; charset=utf-8", body=page_html)
        elif request_url.startswith(base):
            r.continue_()
        else:
            foreign.append(request_url)
            r.abort("blockedbyclient")

    context = chromium.new_context()
    try:
        context.route("**/*", route)
        context.on(
            "requestfailed", lambda r: r.url not in foreign and failed.append(f"{r.url} ({r.failure})")
        )
        context.on("response", lambda r: r.status >= 400 and failed.append(f"{r.url} (HTTP {r.status})"))
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        untypeset = page.evaluate(UNTYPESET)
        if untypeset:
            errors.append(f"{untypeset} formulas are TeX, not typeset (the site typesets them at build time)")
        broken = page.evaluate(BROKEN_IMAGES)
        problems = (
            [f"request to another host (blocked): {u}" for u in foreign]
            + [f"failed request: {f}" for f in failed]
            + [f"broken image: {u}" for u in broken]
            + [f"page error: {e}" for e in errors]
        )
        if problems:
            raise PdfError(f"{out.name}: " + "; ".join(problems[:20]))
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(out),
            format="A4",
            print_background=True,
            margin=MARGIN,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            outline=True,
        )
        if foreign:  # a request the printing itself made
            raise PdfError(f"{out.name}: request to another host (blocked): {foreign[0]}")
    finally:
        context.close()


def render(site: Path, out: Path, languages=None, sources: list[str] | None = None) -> list[Result]:
    """One PDF per language from the site built at ``site``, into ``out``."""
    why = browser.missing()
    if why:
        raise PdfError(why)
    sources = sources if sources is not None else chapters()
    results = []
    with browser.chromium() as chromium, browser.serve(site) as base:
        for language in languages or FILENAMES:
            start = time.perf_counter()
            path = out / FILENAMES[language]
            print_html(chromium, base, print_page(site, language, sources), path, f"print-{language}.html")
            results.append(Result(language, path, time.perf_counter() - start, len(sources)))
    return results


def build_site(out: Path) -> float:
    """`mkdocs build --strict` into ``out``; returns its seconds."""
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--clean",
            "-f",
            str(REPO / "mkdocs.yml"),
            "-d",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        cwd=REPO,
    )
    if proc.returncode != 0:
        raise PdfError(f"mkdocs build --strict failed:\n{proc.stderr[-4000:]}")
    return time.perf_counter() - start


def pages_of(pdf: Path) -> int | None:
    """The page count, from poppler's pdfinfo (None without it)."""
    if shutil.which("pdfinfo") is None:
        return None
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.pdf", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="where the PDFs go (default: site/downloads)"
    )
    parser.add_argument(
        "--site", type=Path, help="a site already built with `mkdocs build` (default: build one)"
    )
    parser.add_argument("--language", choices=sorted(FILENAMES), action="append", help="only this language")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pdf-site-") as tmp:
        site = args.site
        try:
            if site is None:
                site = Path(tmp) / "site"
                print(f"building the site: {build_site(site):.1f} s")
            results = render(site, args.out, args.language)
        except PdfError as err:
            print(f"ERROR: {err}", file=sys.stderr)
            return 1
    for r in results:
        pages = pages_of(r.path)
        print(
            f"{r.path}: {r.chapters} pages of the site, "
            f"{f'{pages} PDF pages, ' if pages else ''}{r.path.stat().st_size / 1e6:.1f} MB, {r.seconds:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
