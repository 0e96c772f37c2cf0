"""The built site in headless Chromium: a local HTTP server and a recorder of
everything a page load requests. Shared by the browser tests
(tests/test_browser.py) and the benchmarks (tools/bench.py).

Chromium is Debian's (`apt-get install chromium`), driven by Playwright;
Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gzip
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# No background traffic to Google (component updates, field trials, sync).
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
INSTALL_HINT = (
    "the browser tests need Debian's chromium and a Chinese font: "
    "sudo apt-get install chromium fonts-wqy-microhei "
    "(make test does this itself when run as root)"
)
# What a server that compresses (GitHub Pages) gzips.
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb")
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}


def missing() -> str | None:
    """Why the browser cannot be started here, or None when it can."""
    if shutil.which(CHROMIUM) is None:
        return f"{CHROMIUM} not found: {INSTALL_HINT}"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (it is in the test dependency group: make test)"
    return None


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site; a missing file gets the site's 404.html, as on
    GitHub Pages. With ``compress``, also as GitHub Pages sends it: text
    gzipped when the browser accepts it, and cacheable for 10 minutes."""

    not_found: Path | None = None
    compress: bool = False
    # (path, bytes of body sent, the request's Referer: the page that asked),
    # when given
    sent: list | None = None

    def log_message(self, *args):
        pass

    def end_headers(self):
        if self.compress:
            self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            not self.compress
            or "gzip" not in self.headers.get("Accept-Encoding", "")
            or not path.is_file()
            or not path.name.endswith(COMPRESSIBLE)
            or (Path(self.translate_path(self.path)).is_dir() and not self.path.split("?")[0].endswith("/"))
        ):
            if self.sent is not None and path.is_file():
                self.sent.append((self.path, path.stat().st_size, self.headers.get("Referer", "")))
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), 6)
        if self.sent is not None:
            self.sent.append((self.path, len(body), self.headers.get("Referer", "")))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code, message=None, explain=None):
        if code == 404 and self.not_found is not None and self.not_found.is_file():
            body = self.not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextlib.contextmanager
def serve(root: Path, not_found: Path | None = None, server=None, compress: bool = False, sent=None):
    """Serve ``root`` on 127.0.0.1 (a free port) in a thread; yields the base
    URL. ``server``: an already bound http.server (to know the port first).
    ``compress``: gzip and cache headers, as GitHub Pages serves; ``sent``: a
    list that gets (path, bytes) for each body the server sends (what a page
    really transferred: nothing for what the browser had cached)."""
    handler = type("Handler", (_Handler,), {"not_found": not_found, "compress": compress, "sent": sent})
    if server is None:
        server = bind()
    server.RequestHandlerClass = functools.partial(handler, directory=str(root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def bind() -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    return server


@dataclasses.dataclass
class PageLoad:
    """What one page load did: every request, and what went wrong."""

    url: str
    requests: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (url, resource type)
    failed: list[str] = dataclasses.field(default_factory=list)
    console_errors: list[str] = dataclasses.field(default_factory=list)
    page_errors: list[str] = dataclasses.field(default_factory=list)

    def foreign(self) -> list[str]:
        """Requests to any host but the server the page came from."""
        here = urlsplit(self.url).netloc
        return sorted(
            {
                u
                for u, _ in self.requests
                if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).netloc != here
            }
        )

    def problems(self) -> list[str]:
        return (
            [f"request to another host: {u}" for u in self.foreign()]
            + [f"failed request: {f}" for f in self.failed]
            + [f"console error: {e}" for e in self.console_errors]
            + [f"page error: {e}" for e in self.page_errors]
        )

    def weight(self, site: Path, base: str) -> dict[str, int]:
        """Bytes of each distinct file the page loaded, from the built site
        (uncompressed; a server that gzips sends less)."""
        sizes = {}
        for url, _ in self.requests:
            if not url.startswith(base):
                continue
            path = unquote(urlsplit(url).path)[len(urlsplit(base).path) :]
            file = site / path
            if path == "" or path.endswith("/"):
                file = file / "index.html"
            if file.is_file():
                sizes[path or "index.html"] = file.stat().st_size
        return sizes


def _record(context, page, current) -> None:
    """Record what loads in ``context`` and ``page`` into the PageLoad that
    ``current()`` returns at the time: requests, failures, console errors. A
    request that a page made late, when the tab was already moving on to the
    next page, goes to that page's load: its Referer names it."""
    seen: dict[str, PageLoad] = {}

    def request(r) -> None:
        load = current()
        seen[load.url] = load
        owner = seen.get(r.headers.get("referer", ""), load)
        owner.requests.append((r.url, r.resource_type))

    context.on("request", request)

    def failed(r) -> None:
        # Chromium fetches the favicon for its own tab strip, after the page has
        # loaded, and drops that fetch (net::ERR_ABORTED) when the tab moves on
        # to the next page first: nothing the page asked for. A missing favicon
        # is still an HTTP 404 below.
        if r.failure == "net::ERR_ABORTED" and r.resource_type == "other" and r.url.endswith("/favicon.svg"):
            return
        current().failed.append(f"{r.url} ({r.failure})")

    context.on("requestfailed", failed)
    context.on(
        "response", lambda r: r.status >= 400 and current().failed.append(f"{r.url} (HTTP {r.status})")
    )
    page.on("console", lambda m: m.type == "error" and current().console_errors.append(m.text))
    page.on("pageerror", lambda e: current().page_errors.append(str(e)))


def open_page(browser, url: str, viewport=DESKTOP, wait="networkidle", mirror: tuple[str, str] | None = None):
    """A new context (cold cache) and page at ``url``; returns (context, page,
    PageLoad). Requests are recorded for the whole context, workers included.
    mirror=(site_url, local): every
    request below site_url (a published address, say) is answered by the
    local server's response for the same path below ``local``, status
    included. The caller closes the context."""
    context = browser.new_context(viewport=viewport)
    if mirror is not None:
        site_url, local = mirror

        def answer(route):
            route.fulfill(response=route.fetch(url=local + route.request.url[len(site_url) :]))

        context.route(site_url + "**", answer)
    page = context.new_page()
    load = PageLoad(url)
    _record(context, page, lambda: load)
    page.goto(url, wait_until=wait)
    return context, page, load


# Run in every page a _Visitor loads, before the page's own scripts: records
# each change to <html>'s classes made once <body> exists, as [before, after].
# Chromium restyles the whole page for each (tools/mkdocs_hooks.py,
# ROOT_CLASSES); tests/test_browser.py checks there are none.
LATE_ROOT_CLASS_CHANGES = """
window.__lateRootClassChanges = [];
new MutationObserver((records) => {
  const norm = (v) => (v || "").split(/\\s+/).filter(Boolean).sort().join(" ");
  const root = records.filter((r) => r.target === document.documentElement);
  root.forEach((r, i) => {
    const after = i + 1 < root.length ? root[i + 1].oldValue : r.target.className;
    if (document.body && norm(r.oldValue) !== norm(after)) window.__lateRootClassChanges.push([r.oldValue, after]);
  });
}).observe(document, { attributes: true, attributeFilter: ["class"], attributeOldValue: true, subtree: true });
"""


class _Visitor:
    """One context and page that loads one URL after another, each as a first
    visit: the HTTP cache is disabled (DevTools' "Disable cache"), so every
    load requests everything, as with a cold cache, and a new context (about
    half the CPU time of a load) is not needed."""

    def __init__(self, browser, viewport):
        self.context = browser.new_context(viewport=viewport)
        self.context.add_init_script(LATE_ROOT_CLASS_CHANGES)
        self.page = self.context.new_page()
        devtools = self.context.new_cdp_session(self.page)
        devtools.send("Network.enable")
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.load = PageLoad("")
        _record(self.context, self.page, lambda: self.load)

    def start(self, url: str) -> PageLoad:
        self.load = PageLoad(url)
        self.page.goto(url, wait_until="commit")
        return self.load


def first_visits(browser, urls: list[str], slots: int = 4, viewport=DESKTOP):
    """Load every URL as a first visit (cold cache) and yield (url, page,
    PageLoad) once its network is idle, in order; the caller reads the page
    before asking for the next one. ``slots`` loads overlap (most of a load is
    waiting for the network to go idle)."""
    visitors = []
    try:
        visitors = [_Visitor(browser, viewport) for _ in range(min(slots, len(urls)))]
        for start in range(0, len(urls), slots):
            started = [(url, v, v.start(url)) for url, v in zip(urls[start : start + slots], visitors)]
            for url, visitor, load in started:
                visitor.page.wait_for_load_state("networkidle")
                yield url, visitor.page, load
    finally:
        for visitor in visitors:
            visitor.context.close()


def site_pages(site: Path) -> list[str]:
    """Every page of the built site as a URL path ("", "theory/", "en/faq/"),
    both languages; not 404.html."""
    pages = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        pages.append("" if rel == "." else rel + "/")
    return pages
