"""The offline copy (tools/offline_site.py, `make offline`): the archive is
built once, unzipped, and opened from disk (file://) in headless Chromium. Both
home pages load with no console error; a nav link, the formulas, search in
Chinese and in English and the language switcher work; no request goes
anywhere but to the unzipped files. The archive itself: one top folder, both
languages, every link inside it names a file, nothing loads from another host.
Its size, file count and build time go to test-artifacts/offline-site.txt.

Without Chromium the browser tests skip, except on CI (CI set), where they fail.
"""

from __future__ import annotations

import re
import time
import zipfile
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tools import browser as b
from tools import offline_site, runner

# One module, one group (tests/conftest.py): one build and one Chromium.
pytestmark = [
    pytest.mark.build,
    pytest.mark.browser,
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.xdist_group("test_offline_site"),
]

TOP = offline_site.NAME
ARTIFACTS = runner.REPO / "test-artifacts"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    start = time.perf_counter()
    out, count = offline_site.build(tmp_path_factory.mktemp("offline") / f"{TOP}.zip")
    seconds = time.perf_counter() - start
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "offline-site.txt").write_text(
        f"{out.name}: {out.stat().st_size:,} bytes, {count} files, built and zipped in {seconds:.1f} s\n",
        encoding="utf-8",
    )
    return out


@pytest.fixture(scope="module")
def site(archive, tmp_path_factory) -> Path:
    """The archive unzipped: the folder a reader opens."""
    dest = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest)
    return dest / TOP


# --- the archive ------------------------------------------------------------


def test_one_top_folder_with_both_languages_and_offline_search(archive):
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
    assert all(n.startswith(f"{TOP}/") for n in names), sorted(n for n in names if not n.startswith(TOP))[:5]
    for required in offline_site.REQUIRED + ["theory/backprop.html", "en/theory/backprop.html"]:
        assert f"{TOP}/{required}" in names, f"{required} is not in the archive"
    # Of no use from disk (see tools/offline_site.py), so left out.
    left_out = {f"{TOP}/{p}" for p in offline_site.LEFT_OUT}
    wrong = sorted(n for n in names if n in left_out or re.fullmatch(f"{TOP}/search/.*\\.json", n))
    assert not wrong, f"in the archive, but of no use from disk: {wrong}"
    # Both languages have their pages, as files (no directory URLs).
    zh = {n for n in names if n.endswith(".html") and not n.startswith(f"{TOP}/en/")}
    en = {n for n in names if n.startswith(f"{TOP}/en/") and n.endswith(".html")}
    assert len(zh) >= 30 and len(en) == len(zh), (len(zh), len(en))
    assert f"{TOP}/theory/backprop/index.html" not in names


# Tags that link or load something, and their attributes. Patterns rather than
# an HTML parser: the pages are the theme's regular markup, and parsing every
# page (KaTeX's markup makes them long) took ten times as long.
REF_ATTRS = ("href", "src", "srcset", "data", "poster")
REF_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\s([^>]*\b(?:href|src|srcset|data|poster)\s*=[^>]*)>")
ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


@pytest.fixture(scope="module")
def refs(site) -> list[tuple[Path, str, str, str, str]]:
    """(page, tag, attribute, value, rel) of every reference in every page."""
    found = []
    for html in sorted(site.rglob("*.html")):
        for tag in REF_TAG.finditer(html.read_text(encoding="utf-8")):
            attrs = {a[1].lower(): unescape(a[2] or a[3] or a[4] or "") for a in ATTR.finditer(tag[2])}
            for name in REF_ATTRS:
                values = attrs.get(name, "")
                values = (
                    [v.split()[0] for v in values.split(",") if v.strip()] if name == "srcset" else [values]
                )
                found += [(html, tag[1].lower(), name, v, attrs.get("rel", "")) for v in values if v]
    return found


def test_every_link_inside_the_archive_names_a_file(site, refs):
    """From disk, a link to a folder shows its listing, not its index.html."""
    broken = []
    for html, tag, _, value, _ in refs:
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        target = (html.parent / unquote(parts.path)).resolve()
        if not target.is_file():
            broken.append(f"{html.relative_to(site)}: <{tag}> {value}")
    assert not broken, f"{len(broken)} links to no file:\n" + "\n".join(broken[:30])


# What a page loads by itself (as opposed to links a reader may follow).
LOADING_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect", "manifest"}
CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*(?:https?:)?//""", re.I)
ANY_URL = re.compile(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", re.I)


def test_nothing_loads_from_another_host(site, refs):
    remote = []
    for html, tag, attr, value, rel in refs:
        if not re.match(r"(?:https?:)?//", value.strip(), re.I):
            continue
        loads = tag in ("script", "img", "iframe", "source", "audio", "video", "embed", "object", "track")
        if (loads and attr != "href") or (tag == "link" and set(rel.lower().split()) & LOADING_LINK_RELS):
            remote.append(f"{html.relative_to(site)}: <{tag} {attr}={value}>")
    for css in sorted(site.rglob("*.css")):
        if CSS_REMOTE.search(css.read_text(encoding="utf-8", errors="replace")):
            remote.append(f"{css.relative_to(site)}: url() or @import of another host")
    # Scripts that are not the theme's (its own lazy loads are ruled out by the
    # browser tests below): the vendored shim and anything else added.
    theme = site / "assets" / "javascripts"
    for js in sorted(site.rglob("*.js")):
        if theme in js.parents or js == site / "search" / "search_index.js":
            continue
        found = ANY_URL.search(js.read_text(encoding="utf-8", errors="replace"))
        if found:
            remote.append(f"{js.relative_to(site)}: {found.group(0)}")
    assert not remote, "\n".join(remote)
    # The offline plugin's own default, unpkg.com's shim, is replaced by the vendored copy.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/vendor/iframe-worker/shim.js"' in home
    assert "unpkg.com" not in home


def test_the_home_pages_link_the_archive():
    """The site's home pages link the archive where the workflow publishes it
    (tests/test_links.py lets that link through: BUILT_LATER)."""
    for page, href in [("index.md", offline_site.SITE_PATH), ("index.en.md", "../" + offline_site.SITE_PATH)]:
        text = (runner.DOCS / page).read_text(encoding="utf-8")
        assert f'href="{href}"' in text, f"docs/{page} does not link {href}"


# --- in the browser, from file:// -------------------------------------------


class Visit:
    """A fresh browser context at a page of the unzipped site. Every request
    is recorded; one for anything but a local file is refused (and fails the
    test), as are console errors and page errors."""

    def __init__(self, chromium, site: Path, path: str):
        self.root = site.as_uri() + "/"
        self.context = chromium.new_context(viewport=b.DESKTOP)
        self.requests, self.problems = [], []
        self.context.route(re.compile(r"^(?!file:)"), self._refuse)
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.context.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} ({r.failure})"))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.goto(self.root + path, wait_until="load")

    def _refuse(self, route):
        if not route.request.url.startswith(("data:", "blob:", "about:")):
            self.problems.append(f"request to another host: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    def here(self) -> str:
        return self.page.url.removeprefix(self.root)

    def close(self):
        try:
            foreign = [u for u in self.requests if not u.startswith(("file://", "data:", "blob:", "about:"))]
            assert not foreign, f"requests to other hosts: {foreign}"
            assert not self.problems, "\n".join(self.problems)
            assert any(u.startswith(self.root) for u in self.requests), "no request recorded at all"
        finally:
            self.context.close()


@pytest.fixture
def visit(chromium, site):
    opened = []

    def open_(path: str) -> Visit:
        opened.append(Visit(chromium, site, path))
        return opened[-1]

    yield open_
    for v in opened:
        v.close()


@pytest.mark.parametrize("path, lang", [("index.html", "zh"), ("en/index.html", "en")])
def test_home_page_loads_from_disk(visit, path, lang):
    v = visit(path)
    assert v.page.locator("html").get_attribute("lang") == lang
    assert v.page.locator("h1").count() == 1
    # The theme's script ran (it marks the page): not a bare HTML fallback.
    assert "js" in (v.page.locator("html").get_attribute("class") or "").split()


@pytest.mark.parametrize(
    "start, target", [("index.html", "theory/backprop.html"), ("en/index.html", "en/theory/backprop.html")]
)
def test_a_nav_link_lands_on_its_page(visit, start, target):
    v = visit(start)
    link = v.page.locator(f'.md-sidebar--primary a.md-nav__link[href="{target.removeprefix("en/")}"]')
    link.first.click()
    v.page.wait_for_load_state("load")
    assert v.here() == target
    assert v.page.locator("article h1").count() == 1


@pytest.mark.parametrize("path", ["theory/backprop.html", "en/theory/backprop.html"])
def test_formulas_are_typeset(visit, path):
    v = visit(path)
    math = v.page.evaluate(
        """() => ({
          katex: document.querySelectorAll('.katex').length,
          errors: document.querySelectorAll('.katex-error').length,
          text: document.querySelector('article').innerText,
        })"""
    )
    assert math["katex"] >= 5, f"{path}: only {math['katex']} typeset formulas"
    assert not math["errors"], f"{path}: {math['errors']} KaTeX errors"
    raw = [m for m in ("\\(", "\\[", "$$") if m in math["text"]]
    assert not raw, f"{path}: LaTeX source left visible: {raw}"


def _search(page, query: str) -> list[str]:
    """Type ``query`` into the search box; the result pages, best first."""
    box = page.locator("input.md-search__input")
    box.click()
    if query.isascii():
        box.press_sequentially(query, delay=20)
    else:
        # As an input method does: the text at once, then a key released.
        page.keyboard.insert_text(query)
        box.press("End")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    hrefs = page.locator(".md-search-result__item > .md-search-result__link").evaluate_all(
        "els => els.map(e => e.href)"
    )
    out = []
    for href in hrefs:
        url = href.split("?")[0].split("#")[0]
        if url not in out:
            out.append(url)
    return out


@pytest.mark.parametrize(
    "start, query, expected",
    [
        ("theory/index.html", "反向传播", "theory/backprop.html"),
        ("en/theory/index.html", "gradient descent", "en/theory/optimizers.html"),
    ],
)
def test_search_works_from_disk(visit, start, query, expected):
    v = visit(start)
    results = _search(v.page, query)
    top = [r.removeprefix(v.root) for r in results[:3]]
    assert expected in top, f"{query!r}: the top results are {top}, not {expected}"
    # The result is a link into the unzipped site, and it opens there.
    links = v.page.locator(".md-search-result__item > .md-search-result__link")
    hrefs = links.evaluate_all("els => els.map(e => e.href.split('?')[0].split('#')[0])")
    links.nth(hrefs.index(v.root + expected)).click()
    v.page.wait_for_load_state("load")
    assert v.here().split("?")[0].split("#")[0] == expected


def test_language_switcher_goes_to_the_same_page_and_back(visit):
    v = visit("theory/optimizers.html")
    for click, lands, lang in [
        ("en", "en/theory/optimizers.html", "en"),
        ("zh", "theory/optimizers.html", "zh"),
    ]:
        v.page.locator(".md-header__option .md-select").hover()
        v.page.locator(f".md-select__link[hreflang={click}]").click()
        v.page.wait_for_load_state("load")
        assert v.here() == lands
        assert v.page.locator("html").get_attribute("lang") == lang
