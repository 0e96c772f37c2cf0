"""Accessibility of the built site, in a real browser: axe-core (the engine of
Lighthouse's accessibility audits, through axe-playwright-python) on each page
type (home, a theory chapter, an example, the FAQ's overview and one of its
topics' pages, a notebook page) in both languages, on a phone-sized screen, in
the light colour scheme and, for the colours of the dark one, on the Chinese
pages.
axe runs with the options Lighthouse gives it (LIGHTHOUSE_AXE_OPTIONS), so
a page that passes here scores 100 in Lighthouse's accessibility category;
the dark scheme is checked as well, which Lighthouse does not do. These audits
are deterministic, so they are tests; Lighthouse's timings and scores are in
BENCHMARKS.md (make bench).
"""

from __future__ import annotations

import pytest

from tools import browser as b

pytestmark = [
    pytest.mark.browser,
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.xdist_group("test_accessibility"),
]

# The axe options of Lighthouse 13.5's accessibility gatherer
# (core/gather/gatherers/accessibility.js): the WCAG 2 A and AA rules, with
# some best-practice rules switched on and a few rules switched off.
_ON = [
    "accesskeys", "aria-allowed-role", "aria-conditional-attr", "aria-deprecated-role",
    "aria-dialog-name", "aria-prohibited-attr", "aria-treeitem-name", "aria-text",
    "autocomplete-valid", "empty-heading", "heading-order", "html-xml-lang-mismatch",
    "identical-links-same-purpose", "image-redundant-alt", "input-button-name",
    "label-content-name-mismatch", "landmark-one-main", "link-in-text-block", "meta-viewport",
    "presentation-role-conflict", "select-name", "skip-link", "svg-img-alt", "tabindex",
    "table-duplicate-name", "table-fake-caption", "target-size", "td-has-header",
]  # fmt: skip
_OFF = [
    "area-alt", "aria-braille-equivalent", "aria-roledescription", "audio-caption", "blink",
    "duplicate-id", "frame-focusable-content", "frame-title-unique", "marquee",
    "nested-interactive", "no-autoplay-audio", "role-img-alt", "scrollable-region-focusable",
    "server-side-image-map", "summary-name", "aria-tab-name",
]  # fmt: skip
LIGHTHOUSE_AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]},
    "resultTypes": ["violations"],
    "rules": {**{r: {"enabled": True} for r in _ON}, **{r: {"enabled": False} for r in _OFF}},
}

# One page of each type; the same pages in English under en/.
PAGES = {
    "home": "",
    "theory": "theory/optimizers/",
    "example": "examples/mnist_cnn/",
    "faq": "faq/",
    # The largest of the FAQ's topics' pages: answers with code and formulas.
    "faq-topic": "faq/regularization/",
    "notebook": "notebooks/mnist_cnn_torch/",
}


SCROLL_THROUGH = """async () => {
  for (let y = 0; y < document.body.scrollHeight; y += innerHeight) {
    scrollTo(0, y);
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
  scrollTo(0, 0);
}"""


@pytest.fixture(scope="module")
def site(built_site):
    with b.serve(built_site, not_found=built_site / "404.html") as base:
        yield base


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _violations(results) -> list[str]:
    out = []
    for v in results.response["violations"]:
        nodes = "; ".join(
            f"{' '.join(n['target'])}: {n.get('failureSummary', '').splitlines()[-1].strip()}"
            for n in v["nodes"][:3]
        )
        out.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']} - {nodes}")
    return out


# Every page in the light scheme (Lighthouse's); the dark scheme's colours do
# not depend on the language, so it is checked on the Chinese pages with the
# most kinds of text: code of every colour, formulas, admonitions, tables.
CASES = [(kind, lang, "light") for kind in PAGES for lang in ("zh", "en")] + [
    (kind, "zh", "dark") for kind in ("theory", "example", "faq-topic", "notebook")
]


@pytest.mark.parametrize("kind, lang, scheme", CASES, ids=["-".join(c) for c in CASES])
def test_page_passes_the_accessibility_audits(chromium, site, built_site, axe, kind, lang, scheme):
    path = ("en/" if lang == "en" else "") + PAGES[kind]
    assert (built_site / path / "index.html").is_file(), f"{path} was not built"
    context = chromium.new_context(viewport=b.MOBILE, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site + path, wait_until="load")
        assert page.locator("html").get_attribute("lang") == lang
        # Scrolled through once, as a reader would: blocks below the first
        # screen are laid out only when they come near it (content-visibility
        # in extra.css), and axe, which scrolls to each element and measures
        # it at once, would otherwise measure some before they are laid out.
        page.evaluate(SCROLL_THROUGH)
        results = axe.run(page, options=LIGHTHOUSE_AXE_OPTIONS)
        # The audits really ran: axe checked the page's own content.
        assert results.response["passes"], f"/{path}: axe reported no passing rule"
        problems = _violations(results)
    finally:
        context.close()
    assert not problems, f"/{path} ({scheme} scheme) fails accessibility rules:\n  " + "\n  ".join(problems)
