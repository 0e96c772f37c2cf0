"""MkDocs hooks for this site (listed under `hooks:` in mkdocs.yml)."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

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
