"""MkDocs hooks for this site (listed under `hooks:` in mkdocs.yml)."""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

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
