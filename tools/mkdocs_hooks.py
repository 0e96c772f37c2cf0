"""MkDocs hooks for this site (listed under `hooks:` in mkdocs.yml)."""

from __future__ import annotations

import hashlib
import re
import sys
import tempfile
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

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
    # "Edit this page" / "View source" (content.action.*) only with a repository
    # to point at; without one the actions are left out, not broken.
    config["edit_uri"] = "edit/main/docs/" if config.get("repo_url") else None
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


# ---------------------------------------------------------------------------
# Notebooks. Every example snippet is served three ways (tools/notebooks.py
# makes the notebooks, docs/notebooks/<stem>.ipynb, executed and committed):
#   notebooks/<stem>.ipynb    the notebook, for download (both languages:
#                             en/notebooks/<stem>.ipynb too)
#   notebooks/<stem>/         the notebook rendered by mkdocs-jupyter, with
#                             its outputs, in each language's page frame
#   links on the example page next to the download link: the rendered page,
#                             Open in Colab and the snippet file in the
#                             repository (these two only with a repo_url).
# A snippet with no committed notebook yet gets its unexecuted conversion
# (tools.notebooks.snippet_notebook, the same conversion) so that nothing
# links to a missing file; tests/test_notebooks.py fails until it is executed.

_NOTEBOOK_DIR = Path(tempfile.mkdtemp(prefix="notebooks-"))
# mkdocs-jupyter caches each conversion under a hash of the notebook and of
# its options, so the two languages and later builds reuse it; kept in the
# temporary folder (as jieba's cache is), not in the checkout.
_NOTEBOOK_CACHE = Path(tempfile.gettempdir()) / "dldocs-mkdocs-jupyter"

NOTEBOOK_TEXT = {
    "zh": {
        "view": "以 notebook 形式查看",
        "colab": "在 Colab 中打开",
        "colab_note": "（Colab 需要能访问 Google；下载的 notebook 可在任何本地 Jupyter 中运行）",
        "source": "查看源文件",
        "title": "关于这个 notebook",
        "executed": "本页是 <code>{file}</code> 的 Jupyter notebook，由 <code>make outputs</code> 在 CPU 上"
        "执行过一次{backend}，数据是测试所用的离线数据（见示例页面上的说明）；"
        '每个单元格下方是那次运行的真实输出。代码的讲解见<a href="{example}">示例页面</a>。',
        "backend": "（Keras 使用 {name} 后端）",
        "not_executed": "本页是 <code>{file}</code> 的 Jupyter notebook，没有执行：{why}"
        '一次真实运行的输出见<a href="{example}">示例页面</a>。',
        "unexecuted": "本页是 <code>{file}</code> 的 Jupyter notebook，尚未执行（运行 "
        "<code>python -m tools.notebooks</code> 生成带输出的版本）。"
        '代码的讲解见<a href="{example}">示例页面</a>。',
        "download": "下载 notebook",
    },
    "en": {
        "view": "View as a notebook",
        "colab": "Open in Colab",
        "colab_note": "",
        "source": "View the source file",
        "title": "About this notebook",
        "executed": "This page is the Jupyter notebook of <code>{file}</code>, executed once on CPU by "
        "<code>make outputs</code>{backend} on the offline data the tests use (see the "
        "example page); under each cell is the real output of that run. The code is "
        'explained on the <a href="{example}">example page</a>.',
        "backend": " (Keras on the {name} backend)",
        "not_executed": "This page is the Jupyter notebook of <code>{file}</code>, not executed: {why} "
        'The output of a real run is on the <a href="{example}">example page</a>.',
        "unexecuted": "This page is the Jupyter notebook of <code>{file}</code>, not executed yet (run "
        "<code>python -m tools.notebooks</code> for the version with outputs). The code "
        'is explained on the <a href="{example}">example page</a>.',
        "download": "Download the notebook",
    },
}
BACKEND_NAMES = {"torch": "PyTorch", "tensorflow": "TensorFlow", "jax": "JAX"}
GITHUB_REPO = re.compile(r"^https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?$")


class NotebookPage(File):
    """A notebook rendered as a page (mkdocs-jupyter renders it). The i18n
    plugin turns mkdocs-jupyter's own page files back into plain files,
    copied raw (mkdocs-static-i18n issue #198); this file is made after it."""

    def is_documentation_page(self):
        return True


def _language(config) -> tuple[str, str]:
    """(language being built, default language)."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return "zh", "zh"
    return i18n.current_language, i18n.default_language


def _example_pages(docs: Path) -> dict[str, str]:
    """stem -> URL path of the example page that links its notebook."""
    pages = {}
    for page in sorted((docs / "examples").glob("*.md")):
        if checks.language_of(page) != "zh":
            continue
        for stem in re.findall(r"notebooks/([\w-]+)\.ipynb", page.read_text(encoding="utf-8")):
            pages.setdefault(stem, f"examples/{page.stem}/")
    return pages


_NOTEBOOKS: dict[str, dict] = {}
_CONVERTED: dict[str, str] = {}


@event_priority(-110)  # after the i18n plugin's on_files (-100)
def on_files(files, config):
    """The download file and the rendered page of every example's notebook,
    in the language being built (English under en/)."""
    from tools import notebooks

    docs = Path(config["docs_dir"])
    lang, default = _language(config)
    languages = [default] + [
        lang_
        for lang_ in (getattr(config.plugins.get("i18n"), "build_languages", None) or [])
        if lang_ != default
    ]
    prefix = "" if lang == default else f"{lang}/"
    examples = _example_pages(docs)
    _NOTEBOOKS.clear()
    for snippet in notebooks.example_snippets():
        stem = snippet.stem
        committed = notebooks.notebook_path(snippet)
        if committed.is_file():
            src_dir = docs
        else:
            src_dir = _NOTEBOOK_DIR
            target = _NOTEBOOK_DIR / "notebooks" / f"{stem}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = notebooks.sha256(snippet)
            if _CONVERTED.get(stem) != digest:  # once for both languages
                target.write_text(notebooks.notebook_json(snippet), encoding="utf-8")
                _CONVERTED[stem] = digest
        uri = f"notebooks/{stem}.ipynb"
        for old in [f for f in files if f.src_uri in (uri, f"notebooks/{stem}.notebook.ipynb")]:
            files.remove(old)
        download = File(
            uri, str(src_dir), config["site_dir"], config["use_directory_urls"], dest_uri=f"{prefix}{uri}"
        )
        files.append(download)
        # Its own src_uri: links to notebooks/<stem>.ipynb stay links to the download.
        page = NotebookPage(
            f"notebooks/{stem}.notebook.ipynb",
            str(src_dir),
            config["site_dir"],
            config["use_directory_urls"],
            dest_uri=f"{prefix}notebooks/{stem}/index.html",
            inclusion=InclusionLevel.NOT_IN_NAV,
        )
        page.abs_src_path = str(src_dir / uri)
        # "Edit this page" / "View source" lead to the snippet, the real source.
        page.edit_uri = "../" + _repo_path(snippet)
        page.locale = page.locale_alternate_of = lang
        page.localization = None
        page.norm_src_uri = page.src_uri
        page.alternates = {
            other: File(
                page.src_uri,
                str(src_dir),
                config["site_dir"],
                config["use_directory_urls"],
                dest_uri=("" if other == default else f"{other}/") + f"notebooks/{stem}/index.html",
            )
            for other in languages
        }
        files.append(page)
        _NOTEBOOKS[stem] = {
            "snippet": snippet,
            "committed": committed.is_file(),
            "page": page,
            "example": examples.get(stem),
        }
    return files


def _repo_path(path: Path) -> str:
    return Path(path).resolve().relative_to(REPO).as_posix()


def _repo_links(config, stem: str) -> dict[str, str]:
    """The Colab and snippet-file URLs (none without a repo_url; Colab only
    for a GitHub repository and a committed notebook)."""
    info = _NOTEBOOKS[stem]
    info_snippet, committed = info["snippet"], info["committed"]
    repo = (config.get("repo_url") or "").rstrip("/")
    links = {}
    if not repo:
        return links
    links["source"] = f"{repo}/blob/main/{_repo_path(info_snippet)}"
    m = GITHUB_REPO.match(repo)
    if m and committed:
        links["colab"] = (
            f"https://colab.research.google.com/github/{m[1]}/{m[2]}/blob/main/docs/notebooks/{stem}.ipynb"
        )
    return links


def _notebook_links_html(config, stem: str, lang: str, view: str | None) -> str:
    text = NOTEBOOK_TEXT[lang]
    links = _repo_links(config, stem)
    parts = []
    if view is not None:
        parts.append(f'<a href="{view}">{text["view"]}</a>')
    if "colab" in links:
        parts.append(f'<a href="{links["colab"]}">{text["colab"]}</a>{text["colab_note"]}')
    if "source" in links:
        parts.append(f'<a href="{links["source"]}">{text["source"]} <code>{stem}.py</code></a>')
    return " · ".join(parts)


DOWNLOAD_LINK = re.compile(
    r'<a\b[^>]*\bhref="(?P<href>[^"]*?notebooks/(?P<stem>[\w-]+)\.ipynb)"[^>]*>.*?</a>', re.S
)


def _add_notebook_links(html: str, page, config) -> str:
    lang = getattr(page.file, "locale", None) or _language(config)[0]

    def add(m):
        if m["stem"] not in _NOTEBOOKS:
            return m[0]
        view = m["href"][: -len(".ipynb")] + "/"
        return m[0] + " · " + _notebook_links_html(config, m["stem"], lang, view)

    return DOWNLOAD_LINK.sub(add, html)


def _notebook_stem(page) -> str | None:
    file = page.file
    if isinstance(file, NotebookPage):
        return Path(file.src_uri).name.removesuffix(".notebook.ipynb")
    return None


def on_page_content(html, page, config, files):
    """Example pages: the notebook links next to each download link.
    Notebook pages: nbconvert's markup trimmed to what the theme styles
    (see _trim_notebook), a note on what the notebook is, and out of search."""
    stem = _notebook_stem(page)
    if stem is None:
        return _exclude_code_from_search(_add_notebook_links(html, page, config))
    page.meta["search"] = {"exclude": True}  # its code and logs would swamp the index
    return _trim_notebook(html, stem, page, config)


PRE_TAG = re.compile(r"<pre(?=[\s>])")


def _exclude_code_from_search(html: str) -> str:
    """Leave code blocks and printed outputs out of the search index (Material's
    data-search-exclude). They were half of its text, and every reader's first
    visit downloads the index; prose, headings and inline code stay searchable,
    and every snippet is named in the prose of its page."""
    return PRE_TAG.sub("<pre data-search-exclude", html)


def _trim_notebook(html: str, stem: str, page, config) -> str:
    """nbconvert's page minus its ~600 KB of inline CSS (JupyterLab's), its
    scripts (copy buttons, MathJax and Mermaid loaders from CDNs) and the
    second copy of each cell's source; input code becomes a code block as
    the theme draws it (highlighting, copy button), outputs plain text blocks.
    The few rules left are in docs/stylesheets/extra.css (.jupyter-wrapper)."""
    import json

    key = hashlib.sha256(html.encode()).hexdigest()
    if key not in _TRIMMED:
        _TRIMMED[key] = _trim_cells(html)
    lang = page.file.locale
    info = _NOTEBOOKS[stem]
    text = NOTEBOOK_TEXT[lang]
    example = "../../" + info["example"] if info["example"] else "../../examples/"
    meta = (
        json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
        .get("metadata", {})
        .get("dldocs", {})
    )
    if not info["committed"]:
        about = text["unexecuted"].format(file=f"{stem}.py", example=example)
    elif meta.get("executed"):
        backend = meta.get("keras_backend")
        about = text["executed"].format(
            file=f"{stem}.py",
            example=example,
            backend=text["backend"].format(name=BACKEND_NAMES.get(backend, backend)) if backend else "",
        )
    else:
        about = text["not_executed"].format(
            file=f"{stem}.py",
            example=example,
            why=escape(meta.get("not_executed_because", {}).get(lang, ""), quote=False),
        )
    links = f'<a href="../{stem}.ipynb" download="{stem}.ipynb">{text["download"]}</a>'
    more = _notebook_links_html(config, stem, lang, None)
    note = (
        f'<div class="admonition info"><p class="admonition-title">{text["title"]}</p>'
        f"<p>{about}</p><p>{links}{' · ' + more if more else ''}</p></div>"
    )
    return _TRIMMED[key].replace(NOTE_MARK, note, 1)


_TRIMMED: dict[str, str] = {}
NOTE_MARK = "<!--dldocs-notebook-note-->"
# What nbconvert's lab template (as mkdocs-jupyter extends it) emits and the
# theme has no use for. Plain patterns rather than an HTML parser: these are
# fixed template parts, and parsing ~50 KB per notebook twice per build cost
# more than the rest of the notebook pages.
DROP = re.compile(
    r"<style\b.*?</style>"  # JupyterLab's CSS, Pygments' CSS (~95% of the markup)
    r"|<script\b.*?</script>"  # copy buttons, MathJax and Mermaid loaders
    r"|<link\b[^>]*>"
    r"|<!--.*?-->"
    r'|<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'
    r'|<div class="clipboard-copy-txt"[^>]*>.*?</div>'  # a second copy of the source
    r'|<div class="jp-(?:Collapser|InputPrompt|OutputPrompt)[^"]*">\s*</div>'
    r'| tabindex="0"',
    re.S,
)
BARE_PRE = re.compile(r"<pre>(?!\s*<code)(.*?)</pre>", re.S)


def _trim_cells(html: str) -> str:
    html = DROP.sub("", html)
    # Code cells and outputs as the theme's code blocks (highlighting, copy button).
    html = re.sub(r'<div class="highlight-ipynb hl-\w+\s*">', '<div class="highlight">', html)
    html = BARE_PRE.sub(r"<pre><code>\1</code></pre>", html)
    html = html.replace('class="anchor-link"', 'class="headerlink"')
    # Where the note on the notebook goes: after the title cell, if there is one.
    h1 = html.find("<h1")
    at = html.find('<div class="jp-Cell', h1) if h1 >= 0 else -1
    at = at if at >= 0 else html.find('<div class="jp-Cell')
    at = max(at, 0)
    return html[:at] + NOTE_MARK + html[at:]


# KaTeX is loaded on every page (extra_css, extra_javascript); a notebook page
# has no formulas to typeset (tests/test_notebooks.py checks), and leaving it
# out is most of what keeps the page light.
KATEX_TAG = re.compile(
    r'[ \t]*<(?:script src|link rel="stylesheet" href)="[^"]*(?:assets/vendor/katex/|javascripts/katex\.js)[^"]*">'
    r"(?:</script>)?\n?"
)


def _slim_notebook_page(output: str, page) -> str:
    if _notebook_stem(page) is None:
        return output
    return KATEX_TAG.sub("", output)


def on_pre_build(config):
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None:
        jupyter.config["cache_dir"] = str(_NOTEBOOK_CACHE)


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
        _set_switcher(config, {lang: root + url.removeprefix("./") for lang, url in _HOME_LINKS.items()})
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
    hreflang pairs from sitemap.xml, which the i18n plugin writes with them.
    Notebook pages also leave KaTeX out (see _slim_notebook_page)."""
    return _slim_notebook_page(HREFLANG_LINK.sub("", output), page)


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
    workers = sorted(
        (Path(config["site_dir"]) / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    )
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
    _compact_search_index(Path(config["site_dir"]) / "search" / "search_index.json")


def _compact_search_index(path: Path) -> None:
    """The search index as UTF-8 without spaces: written with \\u escapes, each
    Chinese character (and each zero-width space jieba's word splits add) took
    six bytes instead of three. About 30% smaller; every first visit loads it."""
    import json

    if path.is_file():
        index = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
