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
from mkdocs.utils import get_relative_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tools import checks, formulas  # noqa: E402


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
    if config.extra.get("offline"):  # mkdocs.offline.yml
        _configure_offline(config)
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
    if config.extra.get("offline"):
        files.append(File.generated(config, IFRAME_WORKER_URI, abs_src_path=str(IFRAME_WORKER)))
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
        view = m["href"][: -len(".ipynb")] + ("/" if config.use_directory_urls else "/index.html")
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
    if not config.use_directory_urls:  # the offline copy: link the page's file
        example = example.removesuffix("/") + ".html" if info["example"] else example + "index.html"
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
    Formulas are typeset here, at build time (tools/formulas.py): after the
    search plugin has indexed the page's text, so the index keeps the TeX and
    not KaTeX's markup. A page with formulas links KaTeX's stylesheet; the
    others load nothing of KaTeX.

    <body> starts with the attribute data-md-color-switching, which the
    theme's script sets when it applies the colour scheme (it turns CSS
    transitions off) and removes right after. Set by the script, it changed
    the style of every element and the script then read a computed style:
    one recalculation of the whole page's style more, inside the longest
    task of a page load. Present from the start, setting it changes nothing."""
    output = _theme_page(output, config)
    output = NAV_SECTION.sub(r'\1\2_title\3 id="\2_title">', output)
    try:
        output, count = formulas.typeset_page(output, page.file.src_uri)
    except formulas.FormulaError as err:
        raise PluginError(str(err)) from err
    if count:
        links = [f'<link rel="stylesheet" href="{get_relative_url(formulas.STYLESHEET, page.url)}">']
        # Not from disk (the offline copy): a preload there is a cross-origin
        # request that file:// refuses, and a local font arrives at once.
        if not config.extra.get("offline"):
            links += [
                f'<link rel="preload" href="{get_relative_url(font, page.url)}" as="font" type="font/woff2" crossorigin>'
                for font in formulas.fonts_to_preload(output)
            ]
        output = output.replace("</head>", "\n".join(links) + "\n</head>", 1)
    output = IMG.sub(lambda m: _sized_lazy_img(m, page, config), output)
    if config.extra.get("offline"):
        output = _downloads_online(output, config)
    return output


IMG = re.compile(r'<img (alt="[^"]*" src="([^"]+)") />')


def _sized_lazy_img(m: re.Match, page, config) -> str:
    """A figure of the page: loaded when the reader scrolls near it (not with
    the page), and with its size given, so that the text does not move when
    it arrives."""
    src = m.group(2)
    if "://" in src or src.startswith("data:"):
        return m.group(0)
    here = page.url if page.url.endswith("/") else page.url.rpartition("/")[0]
    file = (Path(config["docs_dir"]) / here / src).resolve()
    size = _image_size(file)
    if size is None:
        raise PluginError(f"{page.file.src_uri}: image {src} not found or of unknown size ({file})")
    return f'<img {m.group(1)} width="{size[0]}" height="{size[1]}" loading="lazy" decoding="async" />'


def _image_size(file: Path) -> tuple[int, int] | None:
    """Width and height in CSS pixels of an SVG (from its width and height in
    pt or px) or a PNG (from its header)."""
    import struct

    if not file.is_file():
        return None
    if file.suffix == ".png":
        head = file.read_bytes()[:24]
        return struct.unpack(">II", head[16:24])
    if file.suffix == ".svg":
        head = file.read_text(encoding="utf-8")[:2000]
        m = re.search(r'<svg[^>]*\swidth="([\d.]+)(pt|px)?"[^>]*\sheight="([\d.]+)(pt|px)?"', head)
        if m:
            scale = 4 / 3 if m.group(2) == "pt" else 1
            return round(float(m.group(1)) * scale), round(float(m.group(3)) * scale)
    return None


def on_post_template(output, template_name, config):
    """The same for the theme's own pages (404.html)."""
    return _theme_page(output, config)


# The classes the theme's script gives <html> (it swaps "no-js" for "js", and
# its focus-visible polyfill adds "js-focus-visible"), given before <body> is
# parsed. A Chromium trace of a page load showed each of the two changes, made
# by the script, marking every element under <html> for a new style: a
# recalculation of the whole page's style inside the longest task of the load.
# Made here, before there is a page to restyle, they cost nothing, and the
# script's own changes change nothing. A reader without JavaScript keeps
# "no-js" (the theme's fallbacks for that case).
CHARSET = '<meta charset="utf-8">'
ROOT_CLASSES = (
    '<script>(function(c){c.replace("no-js","js");c.add("js-focus-visible")})'
    "(document.documentElement.classList)</script>"
)


def _theme_page(output: str, config) -> str:
    """What every page the theme renders gets: no hreflang links, a named
    search dialog, <html>'s scripted classes and data-md-color-switching on
    <body> from the start."""
    output = _name_search_dialog(HREFLANG_LINK.sub("", output), config)
    output = output.replace(CHARSET, CHARSET + "\n" + ROOT_CLASSES, 1)
    return output.replace("<body ", "<body data-md-color-switching ", 1)


# A navigation section is a <nav> named by the label that toggles it; with
# navigation.indexes that label holds only an icon (the section's title is its
# index page's link), so every section was a navigation landmark without a
# name. Each is named by the title label inside it instead.
NAV_SECTION = re.compile(
    r'(<nav class="md-nav" data-md-level="\d+" aria-labelledby=")(__nav\w*)_label'
    r'("[^>]*>\s*<label class="md-nav__title" for="\2")>'
)

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_LABEL = {"zh": "搜索", "en": "Search"}


def _name_search_dialog(output: str, config) -> str:
    """Material's search is a dialog without a name, which screen readers
    announce as just "dialog": give it the page language's word for search."""
    if 'data-md-component="search"' not in output:  # sitemap.xml, for one
        return output
    if SEARCH_DIALOG not in output:
        raise PluginError(
            "Material's search dialog markup changed; update SEARCH_DIALOG in tools/mkdocs_hooks.py"
        )
    lang = "en" if '<html lang="en"' in output else "zh"
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{SEARCH_LABEL[lang]}">', 1)


# Material's search worker splits a Chinese query into words by looking its
# substrings up in the index, but its loop stops one character short, so the
# whole query is never tried: 梯度下降 became 梯度* 下*, which ranked the FAQ
# above the optimizers chapter and highlighted single characters. The loop in
# the minified worker (mkdocs-material 9.8.1, query/segment/index.ts upstream):
#   for(let o=s+1;o<t.length;o++)t.slice(s,o)in e
SEGMENT_LOOP = re.compile(r"for\(let (\w+)=(\w+)\+1;\1<(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")
SEGMENT_LOOP_FIXED = re.compile(r"for\(let (\w+)=(\w+)\+1;\1<=(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config):
    """Let the search worker try the whole query as one word (see above), and
    write the search index once per language (see tools/theme/main.html)."""
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
    fonts = Path(config["site_dir"]) / "assets" / "vendor" / "katex" / "fonts"
    if fonts.is_dir() and formulas.USED:
        formulas.subset_fonts(fonts)


def _compact_search_index(path: Path) -> None:
    """The search index as UTF-8 without spaces: written with \\u escapes, each
    Chinese character (and each zero-width space jieba's word splits add) took
    six bytes instead of three. About 30% smaller.

    Beside it, one index per language (search_index.zh.json, .en.json): a
    reader who searches loads only the pages of the language they read."""
    import json

    if not path.is_file():
        raise PluginError(f"{path}: the search plugin wrote no index")
    index = json.loads(path.read_text(encoding="utf-8"))

    def write(target: Path, docs: list) -> None:
        text = json.dumps(dict(index, docs=docs), ensure_ascii=False, separators=(",", ":"))
        target.write_text(text, encoding="utf-8")

    write(path, index["docs"])
    english = [d for d in index["docs"] if d["location"].startswith("en/")]
    chinese = [d for d in index["docs"] if not d["location"].startswith("en/")]
    write(path.with_name("search_index.en.json"), english)
    write(path.with_name("search_index.zh.json"), chinese)


# ---------------------------------------------------------------------------
# The offline copy (mkdocs.offline.yml, built and zipped by tools/offline_site.py):
# the site opened from disk, file://, with no server and no other host.

# The Web Worker shim from iframe-worker 1.0.4 (npm, MIT; tools/vendor/iframe-worker/):
# a page opened from disk may not start a Web Worker, and Material's search runs
# in one; the shim runs the worker's script in a hidden iframe instead.
IFRAME_WORKER = Path(__file__).with_name("vendor") / "iframe-worker" / "shim.js"
IFRAME_WORKER_URI = "assets/vendor/iframe-worker/shim.js"


def _configure_offline(config):
    """Add Material's offline plugin, with the vendored shim.

    The plugin turns directory URLs off and, after the build, writes the search
    index as search/search_index.js, which the theme loads with a <script> on
    file:// (where fetch() cannot read it). It is added here rather than listed
    in mkdocs.offline.yml, whose `plugins:` would replace mkdocs.yml's whole list.
    Added now, its on_post_build comes after this file's (same priority, later
    in the list), so the script holds the merged, compacted index of both
    languages. The plugin would load the shim from unpkg.com unless one is
    listed already: the vendored copy is (on_files adds the file)."""
    from material.plugins.offline.plugin import OfflinePlugin

    config.extra["polyfills"] = [IFRAME_WORKER_URI]
    if not any(isinstance(plugin, OfflinePlugin) for plugin in config.plugins.values()):
        plugin = OfflinePlugin()
        errors, _ = plugin.load_config({})
        if errors:
            raise PluginError(f"Material's offline plugin: {errors}")
        config.plugins["material/offline"] = plugin
        plugin.on_config(config)


DOWNLOADS_LINK = re.compile(r'href="(?:\.\./)*downloads/')


def _downloads_online(output: str, config) -> str:
    """The files the site offers under downloads/ (this archive among them)
    are not in the offline copy: its links to them go to the site itself, at
    site_url (SITE_URL, which the Pages workflow sets)."""
    site_url = (config.site_url or "").rstrip("/") + "/"
    return DOWNLOADS_LINK.sub(f'href="{site_url}downloads/', output)
