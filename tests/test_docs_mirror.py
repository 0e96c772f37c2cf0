"""The Chinese and English trees mirror each other, and every code block on
every page is tested. Each check is also shown to fail on a broken tree."""

from __future__ import annotations

import shutil

import pytest

from tools import checks, runner


def test_languages_mirror_each_other():
    problems = checks.check_mirror(runner.DOCS)
    assert not problems, "\n".join(problems)


def test_every_python_block_is_tested_and_every_snippet_is_shown():
    problems = checks.check_inventory(runner.DOCS, runner.SNIPPETS)
    assert not problems, "\n".join(problems)


def test_no_page_has_raw_html_that_runs_or_embeds():
    problems = checks.check_unsafe_html(runner.DOCS)
    assert not problems, "\n".join(problems)


def test_every_page_has_both_languages():
    pages = checks.pages(runner.DOCS)
    assert pages, "docs/ holds no pages"
    zh = {p for p in pages if checks.language_of(p) == "zh"}
    en = {p for p in pages if checks.language_of(p) == "en"}
    assert {checks.twin(p) for p in zh} == en


# --- the checks fail, naming the file, on trees broken on purpose -----------

PAGE_ZH = """# 标题 {#title}

公式 $a = b$。

## 代码 {#code}

```python title="x.py"
--8<-- "snippets/demo/x_numpy.py"
```
"""
PAGE_EN = PAGE_ZH.replace("标题", "Title").replace("公式", "Formula").replace("代码", "Code")


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets" / "demo").mkdir(parents=True)
    (tmp_path / "snippets" / "demo" / "x_numpy.py").write_text("print('test_value=1')\n")
    (tmp_path / "docs" / "page.md").write_text(PAGE_ZH, encoding="utf-8")
    (tmp_path / "docs" / "page.en.md").write_text(PAGE_EN, encoding="utf-8")
    return tmp_path


def _problems(tree):
    return checks.check_mirror(tree / "docs") + checks.check_inventory(tree / "docs", tree / "snippets")


def test_clean_tree_passes(tree):
    assert _problems(tree) == []


def test_missing_translation_is_named(tree):
    (tree / "docs" / "page.en.md").unlink()
    assert _problems(tree) == ["docs/page.md: missing English translation docs/page.en.md"]


def test_include_that_points_nowhere_is_named(tree):
    for name in ("page.md", "page.en.md"):
        p = tree / "docs" / name
        p.write_text(p.read_text(encoding="utf-8").replace("x_numpy.py", "y_numpy.py"), encoding="utf-8")
    problems = _problems(tree)
    assert 'docs/page.md:8: --8<-- "snippets/demo/y_numpy.py" points to no file' in problems
    assert "snippets/demo/x_numpy.py: snippet is included by no page" in problems


def test_different_formula_is_named(tree):
    p = tree / "docs" / "page.en.md"
    p.write_text(p.read_text(encoding="utf-8").replace("$a = b$", "$a = c$"), encoding="utf-8")
    [problem] = _problems(tree)
    assert problem.startswith("docs/page.md and docs/page.en.md differ in their formulas")


def test_different_heading_id_and_missing_id_are_named(tree):
    p = tree / "docs" / "page.en.md"
    p.write_text(p.read_text(encoding="utf-8").replace("## Code {#code}", "## Code"), encoding="utf-8")
    problems = _problems(tree)
    assert (
        "docs/page.en.md:5: heading 'Code' has no explicit id (write it as '## Title {#some-id}')" in problems
    )
    assert any("differ in their heading ids" in p for p in problems)


def test_untested_python_block_is_named(tree):
    for name in ("page.md", "page.en.md"):
        p = tree / "docs" / name
        p.write_text(p.read_text(encoding="utf-8") + "\n```py\nprint(1)\n```\n", encoding="utf-8")
        p.write_text(
            p.read_text(encoding="utf-8") + "\n<!--pytest.mark.skip-->\n```python\nprint(2)\n```\n",
            encoding="utf-8",
        )
    problems = _problems(tree)
    assert any(p.startswith("docs/page.md:11: Python block is neither") for p in problems), problems
    assert any(p.startswith("docs/page.md:16: inline Python block is marked skip") for p in problems), (
        problems
    )


def test_an_example_directory_copy_is_clean(tmp_path):
    """The checks run on the real tree copied elsewhere (no hidden absolute paths)."""
    shutil.copytree(runner.DOCS, tmp_path / "docs")
    shutil.copytree(runner.SNIPPETS, tmp_path / "snippets")
    assert checks.check_mirror(tmp_path / "docs") == []


def test_raw_html_that_runs_or_embeds_is_named(tree):
    page = tree / "docs" / "page.en.md"
    page.write_text(
        PAGE_EN + '\n<iframe src="https://example.org"></iframe>\n'
        '<a href="javascript:alert(1)">x</a> <b onmouseover="x()">y</b>\n',
        encoding="utf-8",
    )
    found = checks.check_unsafe_html(tree / "docs")
    assert any(p.startswith("docs/page.en.md:11: a <iframe> element") for p in found), found
    assert any("docs/page.en.md:12: a 'javascript:' link" in p for p in found), found
    assert any("docs/page.en.md:12: an event-handler attribute 'onmouseover='" in p for p in found), found
    # The build refuses it too (tools/mkdocs_hooks.py), naming the file.
    assert all("not allowed in a page" in p for p in found)


def test_figures_and_collapsible_blocks_must_match_across_languages(tree):
    zh, en = tree / "docs" / "page.md", tree / "docs" / "page.en.md"
    zh.write_text(
        PAGE_ZH + '\n![一个神经元](img/neuron-zh.svg)\n\n??? success "参考答案"\n    答案。\n',
        encoding="utf-8",
    )
    en.write_text(
        PAGE_EN + '\n![A neuron](img/neuron-en.svg)\n\n??? success "Solution"\n    Answer.\n',
        encoding="utf-8",
    )
    assert checks.check_mirror(tree / "docs") == []
    # The English page shows the Chinese figure, without alt text; its solution block is missing.
    en.write_text(PAGE_EN + "\n![](img/neuron-zh.svg)\n", encoding="utf-8")
    found = checks.check_mirror(tree / "docs")
    assert "docs/page.en.md: figure img/neuron-zh.svg is the zh version on a en page" in found, found
    assert "docs/page.en.md: figure img/neuron-zh.svg has no alt text" in found, found
    assert any(p.startswith("docs/page.md and docs/page.en.md differ in their admonitions") for p in found), (
        found
    )
    # Alt text must be in the page's language.
    en.write_text(
        PAGE_EN + '\n![一个神经元](img/neuron-en.svg)\n\n??? success "Solution"\n    Answer.\n',
        encoding="utf-8",
    )
    found = checks.check_mirror(tree / "docs")
    assert found == [
        "docs/page.en.md: figure img/neuron-en.svg: its alt text '一个神经元' is not in English"
    ], found
    # A figure only one language has.
    en.write_text(PAGE_EN + '\n??? success "Solution"\n    Answer.\n', encoding="utf-8")
    found = checks.check_mirror(tree / "docs")
    assert any("differ in their figures" in p for p in found), found
