"""MkDocs hooks for this site (listed under `hooks:` in mkdocs.yml)."""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import checks  # noqa: E402


def on_config(config):
    """Refuse to build when a page lacks its translation.

    The i18n plugin would otherwise show the Chinese page under /en/ (its
    fallback keeps shared images and assets working for both languages).
    """
    docs = Path(config["docs_dir"])
    missing = [
        f"{p.relative_to(docs.parent).as_posix()} has no translation "
        f"{checks.twin(p).relative_to(docs.parent).as_posix()}"
        for p in checks.pages(docs)
        if not checks.twin(p).exists()
    ]
    if missing:
        raise PluginError("Missing translations:\n  " + "\n  ".join(missing))
    unsafe = checks.check_unsafe_html(docs)
    if unsafe:
        raise PluginError("Raw HTML that runs or embeds something:\n  " + "\n  ".join(unsafe))
    _load_search_terms()
    return config


def _load_search_terms():
    """Teach jieba (used by Material's search plugin to split Chinese into
    words) our terms, so that 梯度下降 is indexed as one word, not 梯度 + 下降.
    Done here because the plugin's own option resolves paths against the
    current directory, not against mkdocs.yml."""
    try:
        import jieba
    except ImportError as err:
        raise PluginError(
            "jieba is not installed: Chinese search would only match the start "
            "of paragraphs. Install the docs dependencies (make serve does)."
        ) from err
    jieba.load_userdict(str(Path(__file__).with_name("jieba_user_dict.txt")))


SECTION_MARKER = re.compile(r"^\s*# --8<-- \[(start|end):[\w-]+\]\s*$")
NOTEBOOK_CHAPTERS = ("examples",)


def snippet_notebook(path: Path) -> str:
    """The snippet as a Jupyter notebook: its ``# %%`` cells become notebook
    cells (jupytext's percent format); the page-section markers are dropped."""
    import jupytext

    text = "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines()
        if not SECTION_MARKER.match(line)
    )
    notebook = jupytext.reads(text, fmt="py:percent")
    notebook.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3", "language": "python",
    }
    notebook.metadata.pop("jupytext", None)
    return jupytext.writes(notebook, fmt="ipynb")


_NOTEBOOK_DIR = Path(tempfile.mkdtemp(prefix="notebooks-"))


def on_files(files, config):
    """Serve every example snippet as a notebook at notebooks/<name>.ipynb,
    generated from the snippet itself, so there is no second copy to drift.
    (Written to a temporary folder: the i18n plugin needs files on disk.)"""
    repo = Path(config["config_file_path"]).parent
    for chapter in NOTEBOOK_CHAPTERS:
        for snippet in sorted((repo / "snippets" / chapter).glob("*.py")):
            uri = f"notebooks/{snippet.stem}.ipynb"
            target = _NOTEBOOK_DIR / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(snippet_notebook(snippet), encoding="utf-8")
            old = files.get_file_from_path(uri)
            if old is not None:
                files.remove(old)
            notebook = File(uri, str(_NOTEBOOK_DIR), config["site_dir"], config["use_directory_urls"])
            # The i18n plugin builds each language in turn; English lives under en/.
            i18n = config.plugins.get("i18n")
            if i18n is not None and i18n.current_language != i18n.default_language:
                notebook.dest_uri = f"{i18n.current_language}/{uri}"
            files.append(notebook)
    return files


def on_page_context(context, page, config, nav):
    """Make the language switcher's links relative on every page.

    The i18n plugin links each page to its translation, except on the two home
    pages, whose links it leaves absolute ("/", "/en/"): those break when the
    site is served under a subpath (a GitHub project site) and site_url does
    not name it. Relative links work wherever the built site is put.
    (Hooks run after the plugins, so this sees the i18n plugin's links.)"""
    alternates = getattr(page.file, "alternates", None)
    if not alternates:
        return context
    links = {lang: twin.url or "./" for lang, twin in alternates.items()}
    if page.url == "":
        _HOME_LINKS.update(links)
    _set_switcher(config, links)
    return context


_HOME_LINKS: dict[str, str] = {}


def _set_switcher(config, links):
    # The i18n plugin sets extra.alternate as an attribute, which is what the
    # theme reads (an attribute of the extra config, not one of its items).
    for alternate in getattr(config.extra, "alternate", None) or []:
        if alternate.get("lang") in links:
            # The theme's url filter makes the link relative to the page.
            alternate["link"] = links[alternate["lang"]]


def on_template_context(context, template_name, config):
    """404.html has no translation: its switcher leads to the home pages
    (made absolute from site_url by the theme, as 404.html is served at any
    depth), not to the last page built."""
    if template_name == "404.html" and _HOME_LINKS:
        root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
        _set_switcher(config, {
            lang: root + url.removeprefix("./") for lang, url in _HOME_LINKS.items()
        })
    return context


# <link rel="alternate" hreflang="..."> in the page head: see on_post_page.
HREFLANG_LINK = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def on_post_page(output, page, config):
    """Drop the hreflang <link>s from the page head.

    Material's JavaScript takes every <link rel="alternate"> to be the root of
    a language and fetches sitemap.xml next to it; the i18n plugin points them
    at the page's translation instead, so each page load made one or two
    requests that end in 404 (theory/optimizers/sitemap.xml, en/sitemap.xml).
    The language switcher is unaffected, and search engines get the same
    hreflang pairs from sitemap.xml, which the i18n plugin writes with them."""
    return HREFLANG_LINK.sub("", output)


def on_post_template(output, template_name, config):
    """The same for the theme's own pages (404.html)."""
    return HREFLANG_LINK.sub("", output)


# Material's search worker splits a Chinese query into words by looking its
# substrings up in the index, but its loop stops one character short, so the
# whole query is never tried: 梯度下降 became 梯度* 下*, which ranked the FAQ
# above the optimizers chapter and highlighted single characters. The loop in
# the minified worker (mkdocs-material 9.8.1, query/segment/index.ts upstream):
#   for(let o=s+1;o<t.length;o++)t.slice(s,o)in e
SEGMENT_LOOP = re.compile(r"for\(let (\w+)=(\w+)\+1;\1<(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")
SEGMENT_LOOP_FIXED = re.compile(r"for\(let (\w+)=(\w+)\+1;\1<=(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")


def on_post_build(config):
    """Let the search worker try the whole query as one word (see above)."""
    workers = sorted((Path(config["site_dir"]) / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if not workers:
        raise PluginError("Material's search worker was not found in the built site")
    for worker in workers:
        text = worker.read_text(encoding="utf-8")
        fixed, count = SEGMENT_LOOP.subn(lambda m: m.group(0).replace("<", "<=", 1), text)
        if count == 1:
            worker.write_text(fixed, encoding="utf-8")
        elif not SEGMENT_LOOP_FIXED.search(text):
            raise PluginError(
                f"{worker.name}: the query segmentation loop of Material's search "
                "worker was not found; check whether the new Material version still "
                "needs the fix in tools/mkdocs_hooks.py (on_post_build)"
            )
