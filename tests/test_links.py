"""Every link in the built site resolves: each href and src of every HTML page
(and each url() of the site's own stylesheets) that points into the site names
a file that was built, and each #fragment names an id on the target page
(except the files the deploy workflow adds after the build: BUILT_LATER).
Links to other sites are listed in test-artifacts/external-links.txt, not
fetched (no test reaches the network)."""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tools import offline_site, pdf, runner

pytestmark = pytest.mark.build

LINK_ATTRS = {"href", "src"}
NOT_FETCHED = ("mailto:", "tel:", "javascript:", "data:")
# Files that `mkdocs build` does not make: the deploy workflow writes them into
# the built site after it. Links to them are not broken; each is built and
# checked by the test named here.
BUILT_LATER = {
    offline_site.SITE_PATH: "tests/test_offline_site.py",
    **{path: "tests/test_pdf.py" for path in pdf.SITE_PATHS.values()},
}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value and (name == "id" or tag == "a"):
                self.ids.add(value)
            if name in LINK_ATTRS and value is not None:
                self.links.append((tag, value))
            if name == "srcset" and value:
                self.links += [(tag, part.split()[0]) for part in value.split(",") if part.strip()]


def _site_url(site: Path) -> str:
    """The site_url the site was built for, from its sitemap."""
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    return re.search(r"<loc>([^<]*)</loc>", sitemap).group(1)


def _url_of(site: Path, html: Path) -> str:
    rel = html.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def _target(site: Path, path: str) -> Path:
    file = site / unquote(path).lstrip("/")
    return file / "index.html" if path.endswith("/") or file.is_dir() else file


def check_links(site: Path):
    """(broken links, external links) of the built site at ``site``."""
    root = urlsplit(_site_url(site)).path  # "/" or "/sub/"
    pages = {}
    for html in sorted(site.rglob("*.html")):
        parsed = Links()
        parsed.feed(html.read_text(encoding="utf-8"))
        pages[html.resolve()] = parsed
    broken, external = [], defaultdict(set)
    site_url = _site_url(site)
    for html, parsed in pages.items():
        here = _url_of(site.resolve(), html)
        for tag, link in parsed.links:
            if link.startswith(site_url):  # canonical links: absolute, to the site itself
                link = "/" + link[len(site_url) :]
                base = "/"
            else:
                base = here
            if link.startswith(NOT_FETCHED) or link == "":
                continue
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                external[link].add(here)
                continue
            url = urlsplit(urljoin(base, link))
            path = url.path
            if html.name == "404.html" and path.startswith(root):
                # 404.html links absolutely from site_url (it is served at any depth).
                path = "/" + path[len(root) :]
            target = _target(site, path)
            if not target.is_file() and unquote(path).lstrip("/") in BUILT_LATER:
                continue
            if not target.is_file():
                broken.append(f"{here}: <{tag}> {link} -> {path} does not exist")
                continue
            if url.fragment and target.suffix == ".html":
                ids = pages.get(target.resolve())
                if ids is not None and unquote(url.fragment) not in ids.ids:
                    broken.append(f"{here}: <{tag}> {link} -> no id {unquote(url.fragment)!r} on {path}")
    for css in sorted(site.rglob("*.css")):
        if "assets/stylesheets" in css.as_posix():
            continue  # the theme's own, with its own checks upstream
        for ref in _css_refs(css.read_text(encoding="utf-8", errors="replace")):
            if ref.startswith(NOT_FETCHED) or urlsplit(ref).scheme or ref.startswith("#"):
                continue
            if not (css.parent / unquote(urlsplit(ref).path)).is_file():
                broken.append(f"{css.relative_to(site)}: url({ref}) does not exist")
    return broken, external


URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def _css_refs(css: str) -> list[str]:
    """What a stylesheet loads: every url(), but of a font's src list only the
    first (KaTeX lists woff2, woff and ttf; a browser takes the first format
    it supports, and only woff2 is shipped)."""
    refs = []
    for part in re.split(r"(src\s*:[^;}]+)", css):
        found = URL.findall(part)
        refs += found[:1] if part.startswith("src") else found
    return refs


def test_every_internal_link_and_anchor_resolves(built_site):
    broken, external = check_links(built_site)
    out = runner.REPO / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "external-links.txt").write_text(
        "".join(f"{link}\t{' '.join(sorted(pages))}\n" for link, pages in sorted(external.items())),
        encoding="utf-8",
    )
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:40])


def test_every_sitemap_entry_is_a_built_page(built_site):
    site_url = _site_url(built_site)
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    urls = set(re.findall(r"<loc>([^<]*)</loc>", sitemap)) | set(re.findall(r'href="([^"]*)"', sitemap))
    assert len(urls) > 10
    missing = [
        u
        for u in sorted(urls)
        if not u.startswith(site_url) or not _target(built_site, "/" + u[len(site_url) :]).is_file()
    ]
    assert not missing, f"sitemap.xml names pages that were not built (or not under {site_url}): {missing}"


def test_the_link_check_finds_broken_links(tmp_path):
    """The checker itself, on a small site broken on purpose."""
    (tmp_path / "sitemap.xml").write_text("<urlset><url><loc>http://example.org/</loc></url></urlset>")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">x</h2><a href="#here">ok</a>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#here">ok</a><a href="a/#gone">bad anchor</a>'
        '<a href="b/">missing page</a><img src="img/x.png"><a href="https://example.com/">ext</a>'
        '<link rel="canonical" href="http://example.org/a/">',
        encoding="utf-8",
    )
    broken, external = check_links(tmp_path)
    assert len(broken) == 3, broken
    assert (
        any("#gone" in m for m in broken)
        and any("b/" in m for m in broken)
        and any("x.png" in m for m in broken)
    )
    assert set(external) == {"https://example.com/"}
