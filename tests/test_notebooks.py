"""The examples' executed notebooks (tools/notebooks.py) and their pages
(mkdocs-jupyter, through tools/mkdocs_hooks.py).

- Each example snippet has a committed notebook, docs/notebooks/<stem>.ipynb,
  made from the current snippet by the one conversion, executed (except the
  ones tools.notebooks.NOT_EXECUTED names, with the reason), with the outputs
  of that run: its final metrics line meets the snippet's bar.
- The notebook kernel runs as the tests run snippets: datasets served offline,
  the network refused, matplotlib figures shown under their cell.
- Each notebook is a rendered page in both languages (not a raw copy, which
  the i18n plugin makes of it otherwise), out of the nav and the search
  index, linked from its example page next to the download link, with the
  Colab and snippet-file links only when the build has a repository URL.
- In Chromium a notebook page requests nothing from another host and
  transfers at most NOTEBOOK_PAGE_BUDGET bytes with gzip on a first visit.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from tools import bench, notebooks, runner
from tools import browser as b

SNIPPETS = notebooks.example_snippets()
IDS = [s.stem for s in SNIPPETS]
COMMITTED = [s for s in SNIPPETS if notebooks.notebook_path(s).is_file()]
COMMITTED_IDS = [s.stem for s in COMMITTED]

# What a first visit to a notebook page may transfer with gzip: HTML, CSS,
# JS, fonts and images (the search index, which the search box of every page
# loads and which grows with the whole site, is not counted: see the report
# in test-artifacts/notebook-page-weights.txt). The heaviest notebook page
# measured 86 KB; nbconvert's own CSS alone would be ~75 KB more.
NOTEBOOK_PAGE_BUDGET = 150_000
REPO_URL = "https://github.com/example/dl-docs"


def _read(snippet: Path):
    return nbformat.read(notebooks.notebook_path(snippet), as_version=4)


def _outputs_text(nb) -> str:
    return "".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.output_type == "stream"
    )


# --- the committed notebooks -------------------------------------------------


@pytest.mark.parametrize("snippet", SNIPPETS, ids=IDS)
def test_each_example_has_a_notebook_of_the_current_snippet(snippet):
    path = notebooks.notebook_path(snippet)
    assert path.is_file(), (
        f"{runner.rel(path)} is missing: run .venv/bin/python -m tools.notebooks {runner.rel(snippet)}"
    )
    nb = _read(snippet)
    nbformat.validate(nb)
    meta = nb.metadata.get("dldocs", {})
    assert meta.get("snippet") == runner.rel(snippet)
    assert meta.get("snippet_sha256") == notebooks.sha256(snippet), (
        f"{runner.rel(snippet)} changed after its notebook was made: "
        f"run .venv/bin/python -m tools.notebooks {runner.rel(snippet)}"
    )
    # The one conversion: the cells are the snippet's cells, as the build
    # converts them (tools.notebooks.snippet_notebook).
    expected = notebooks.snippet_notebook(snippet)
    assert [(c.cell_type, c.source) for c in nb.cells] == [(c.cell_type, c.source) for c in expected.cells]
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("snippet", COMMITTED, ids=COMMITTED_IDS)
def test_notebook_was_executed_and_its_run_meets_the_bar(snippet):
    nb = _read(snippet)
    meta = nb.metadata["dldocs"]
    code = [c for c in nb.cells if c.cell_type == "code"]
    if snippet.stem in notebooks.NOT_EXECUTED:
        assert meta["executed"] is False
        assert set(meta["not_executed_because"]) == {"zh", "en"}
        assert all(not c.outputs and c.execution_count is None for c in code)
        return
    assert meta["executed"] is True
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{snippet.stem}: error outputs {[e.ename for e in errors]}"
    text = _outputs_text(nb)
    run = runner.Run(snippet, meta.get("keras_backend"), 0, text, "", 0.0)
    bars = runner.load_bars().get(runner.rel(snippet), {})
    assert bars, f"no bar for {runner.rel(snippet)} in tests/bars.toml"
    assert not runner.check_bars(run, bars), runner.check_bars(run, bars)
    if runner.framework(snippet) == "torch":
        assert "Using device: cpu" in text


@pytest.mark.parametrize("snippet", COMMITTED, ids=COMMITTED_IDS)
def test_notebook_holds_nothing_volatile(snippet):
    """A rerun is a small diff: numbered cell ids, no timestamps, no kernel
    version, one output per stream run (not one per printed line)."""
    raw = notebooks.notebook_path(snippet).read_text(encoding="utf-8")
    nb = _read(snippet)
    assert [c.id for c in nb.cells] == [f"cell-{i}" for i in range(len(nb.cells))]
    assert "version" not in nb.metadata.get("language_info", {})
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", raw), "a timestamp is left in the notebook"
    assert not re.search(r" at 0x[0-9a-f]+>", raw), "an object repr with its memory address is left"
    for cell in nb.cells:
        assert "execution" not in cell.metadata
        outputs = cell.get("outputs", [])
        for a, b_ in zip(outputs, outputs[1:]):
            assert not (a.output_type == b_.output_type == "stream" and a.name == b_.name), (
                f"{snippet.stem}: consecutive {a.name} outputs in one cell were not joined"
            )


@pytest.mark.parametrize("snippet", SNIPPETS, ids=IDS)
def test_notebook_markdown_has_no_formulas(snippet):
    """Notebook pages leave KaTeX out (tools/mkdocs_hooks.py, _slim_notebook_page):
    a formula in a markdown cell would stay raw LaTeX there."""
    nb = notebooks.snippet_notebook(snippet)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert not re.search(r"\$[^$\s][^$]*\$|\\\(|\\\[", cell.source), (
                f"{snippet.name}: a formula in a markdown cell; notebook pages do not load KaTeX"
            )


def test_conversion_keeps_the_cell_titles_and_drops_the_section_markers(tmp_path):
    snippet = tmp_path / "probe_numpy.py"
    snippet.write_text(
        "# %% [markdown]\n# # Title\n\n# %% Data: two numbers\n# --8<-- [start:data]\nx = 1\n"
        "# --8<-- [end:data]\ny = 2\n",
        encoding="utf-8",
    )
    nb = notebooks.snippet_notebook(snippet)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code"]
    assert nb.cells[1].source == "# Data: two numbers\nx = 1\ny = 2"
    assert "title" not in nb.cells[1].metadata


@pytest.mark.slow
def test_the_kernel_runs_like_the_tests_run_snippets(offline_dir, tmp_path):
    """Offline MNIST through the examples' own download call, the network
    refused, a fresh working folder, and a matplotlib figure under its cell
    (the inline backend, with no matplotlib.use in the notebook)."""
    snippet = tmp_path / "probe_numpy.py"
    snippet.write_text(
        "# %% [markdown]\n# # Probe\n\n"
        "# %%\nimport urllib.request\nimport numpy as np\n"
        "urllib.request.urlretrieve('https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz', 'm.npz')\n"
        "with np.load('m.npz') as f:\n    print('train', f['x_train'].shape, f['x_train'].dtype)\n\n"
        "# %%\nimport socket\ntry:\n    socket.create_connection(('example.com', 80), timeout=5)\n"
        "    print('connected')\nexcept OSError as err:\n    print('refused:', type(err).__name__)\n\n"
        "# %%\nimport os\nprint('cwd is home:', os.getcwd() == os.path.expanduser('~'))\n\n"
        "# %%\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 2))\nax.plot([0, 1], [1, 0])\n",
        encoding="utf-8",
    )
    nb = notebooks.execute(snippet, offline_dir)
    text = _outputs_text(nb)
    assert "train (4000, 28, 28) uint8" in text
    assert "refused: SocketBlockedError" in text and "connected" not in text
    assert "cwd is home: True" in text
    images = [o for o in nb.cells[-1].outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1, nb.cells[-1].outputs
    assert nb.metadata["dldocs"]["executed"] is True


# --- the built site ----------------------------------------------------------

NOTEBOOK_CELL = re.compile(r'class="jp-Cell jp-CodeCell[^"]*" id="cell-id=')
OUTPUT_AREA = re.compile(r'class="jp-OutputArea jp-Cell-outputArea"')


def _page(site: Path, lang: str, stem: str) -> str:
    return (site / f"{lang}notebooks/{stem}/index.html").read_text(encoding="utf-8")


@pytest.mark.build
@pytest.mark.parametrize("lang", ["", "en/"], ids=["zh", "en"])
@pytest.mark.parametrize("snippet", COMMITTED, ids=COMMITTED_IDS)
def test_notebook_page_is_rendered_with_its_outputs(built_site, snippet, lang):
    page = _page(built_site, lang, snippet.stem)
    nb = _read(snippet)
    assert f'<html lang="{"en" if lang else "zh"}"' in page
    assert len(NOTEBOOK_CELL.findall(page)) == sum(c.cell_type == "code" for c in nb.cells), (
        f"{lang}notebooks/{snippet.stem}/: not every code cell was rendered"
    )
    if nb.metadata["dldocs"]["executed"]:
        assert OUTPUT_AREA.search(page), f"{lang}notebooks/{snippet.stem}/: no output area"
        last = [ln for ln in _outputs_text(nb).splitlines() if ln.strip()][-1]
        assert html.escape(last, quote=False) in page, (
            f"the notebook's last output line {last!r} is not on the page"
        )
    else:
        why = nb.metadata["dldocs"]["not_executed_because"]["en" if lang else "zh"]
        assert html.escape(why, quote=False) in page
    # nbconvert's inline CSS and scripts are gone, the theme's code blocks are used.
    start = page.index('<div class="jupyter-wrapper">')
    content = page[start : page.index("</article>", start)]
    assert "<style" not in content and "<script" not in content
    assert 'class="highlight"' in content
    assert "katex" not in page, "a notebook page loads KaTeX"
    # The download is the notebook itself, next to the page, in both languages.
    assert f'href="../{snippet.stem}.ipynb"' in page
    served = built_site / f"{lang}notebooks/{snippet.stem}.ipynb"
    assert served.read_bytes() == notebooks.notebook_path(snippet).read_bytes()


@pytest.mark.build
def test_notebook_pages_are_not_in_the_nav_or_the_search_index(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if "notebooks/" in d["location"]]
    assert [d for d in index["docs"] if d["location"].startswith("examples/")], "the index is empty"
    for page in [
        built_site / "index.html",
        built_site / "en" / "index.html",
        built_site / "notebooks" / f"{SNIPPETS[0].stem}" / "index.html",
    ]:
        nav = re.findall(
            r'class="md-nav__link[^"]*"[^>]*href="([^"]*)"|href="([^"]*)"[^>]*class="md-nav__link',
            page.read_text(encoding="utf-8"),
        )
        assert nav and not [h for pair in nav for h in pair if "notebooks/" in h], (
            f"{page}: a notebook in the nav"
        )


def _example_links(site: Path, lang: str):
    """(stem, the links after its download link) on every example page."""
    found = []
    for page in sorted((site / lang / "examples").glob("*/index.html")):
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r'<a download="([\w-]+)\.ipynb" href="[^"]*">.*?</a>(.*?)</p>', text, re.S):
            found.append((m[1], m[2]))
    return found


@pytest.mark.build
@pytest.mark.parametrize("lang", ["", "en/"], ids=["zh", "en"])
def test_example_pages_link_the_notebook_page_and_no_repository_without_one(built_site, lang):
    links = _example_links(built_site, lang)
    assert {stem for stem, _ in links} >= set(COMMITTED_IDS) - set(notebooks.NOT_EXECUTED) - {
        s.stem
        for s in SNIPPETS
        if not any(
            f"notebooks/{s.stem}.ipynb" in p.read_text(encoding="utf-8")
            for p in (runner.DOCS / "examples").glob("*.md")
        )
    }
    view = "View as a notebook" if lang else "以 notebook 形式查看"
    for stem, after in links:
        assert f'<a href="../../notebooks/{stem}/">{view}</a>' in after, (lang, stem, after[:300])
        assert (built_site / lang / "notebooks" / stem / "index.html").is_file()
        assert "colab.research.google.com" not in after and "/blob/main/" not in after
    assert "Colab" not in "".join(
        p.read_text(encoding="utf-8") for p in (built_site / lang / "notebooks").glob("*/index.html")
    )


@pytest.fixture(scope="module")
def site_with_repo(built_site_with_repo):
    return built_site_with_repo


@pytest.mark.build
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["", "en/"], ids=["zh", "en"])
def test_with_a_repository_the_colab_and_source_links_appear(site_with_repo, lang):
    links = _example_links(site_with_repo, lang)
    assert links
    for stem, after in links:
        colab = (
            f"https://colab.research.google.com/github/example/dl-docs/blob/main/docs/notebooks/{stem}.ipynb"
        )
        source = f"{REPO_URL}/blob/main/snippets/examples/{stem}.py"
        assert f'href="{source}"' in after, (lang, stem)
        if notebooks.notebook_path(runner.SNIPPETS / "examples" / f"{stem}.py").is_file():
            assert f'href="{colab}"' in after, (lang, stem)
            # Chinese readers are told that Colab needs Google, and that the
            # download runs anywhere.
            assert ("需要能访问 Google" in after and "本地 Jupyter" in after) == (lang == ""), (lang, stem)
            assert ("Open in Colab" in after) == (lang == "en/")
    for snippet in COMMITTED:
        page = _page(site_with_repo, lang, snippet.stem)
        assert f"docs/notebooks/{snippet.stem}.ipynb" in page
        # "Edit this page" on a notebook page leads to the snippet it is made from.
        assert f'href="{REPO_URL}/edit/main/snippets/examples/{snippet.stem}.py"' in page


# --- in the browser ----------------------------------------------------------


PAGE_TYPES = {"document", "stylesheet", "script", "font", "image"}


@pytest.mark.browser
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_notebook_pages_load_cleanly_and_are_light(chromium, built_site):
    pages = [f"{lang}notebooks/{s.stem}/" for s in SNIPPETS for lang in ("", "en/")]
    assert set(pages) <= set(b.site_pages(built_site)), "notebook pages missing from the built site"
    report, problems, over = [], [], {}
    with b.serve(built_site, not_found=built_site / "404.html") as base:
        loaded = []
        urls = [base + path for path in pages]
        for url, page, load in b.first_visits(chromium, urls):
            outputs = page.locator(".jupyter-wrapper .jp-OutputArea").count()
            code = page.locator(".jupyter-wrapper .highlight pre > code").count()
            loaded.append((url.removeprefix(base), load, outputs, code))
        for path, load, outputs, code in loaded:
            problems += [f"/{path}: {p}" for p in load.problems()]
            if code == 0:
                problems.append(f"/{path}: no code cell drawn")
            sizes = load.weight(built_site, base)
            kinds = {}
            for url, kind in load.requests:
                rel = unquote(urlsplit(url).path)[len(urlsplit(base).path) :] or "index.html"
                kinds.setdefault(rel, kind)
            counted = {f: s for f, s in sizes.items() if kinds.get(f) in PAGE_TYPES}
            gz = sum(bench.transferred(bench._file(built_site, f)) for f in counted)
            gz_all = sum(bench.transferred(bench._file(built_site, f)) for f in sizes)
            report.append((path, gz, gz_all, outputs))
            if gz > NOTEBOOK_PAGE_BUDGET:
                over[path] = gz
    artifacts = runner.REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "notebook-page-weights.txt").write_text(
        "gzip bytes of a first visit: HTML+CSS+JS+fonts+images / everything (with the search index)\n"
        + "".join(f"{gz:>9,} {gz_all:>9,}  /{p}  ({n} output areas)\n" for p, gz, gz_all, n in report),
        encoding="utf-8",
    )
    assert not problems, "\n".join(problems)
    assert not over, f"notebook pages over {NOTEBOOK_PAGE_BUDGET:,} bytes (gzip): {over}"
    # The measurement is real: the theme's CSS and JS alone are ~60 KB gzip.
    assert min(gz for _, gz, _, _ in report) > 50_000
    executed = [p for p, _, _, n in report if n]
    assert executed, "no notebook page shows an output"
