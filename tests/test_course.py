"""The site is a course: every preliminaries chapter, theory chapter and
example page ends with a summary and at least three exercises, each with a
reference solution; at least half the solutions are code that the tests run
(snippets under snippets/exercises/, held to bars like every snippet, or
inline blocks executed by pytest-codeblocks)."""

from __future__ import annotations

from tools import checks, runner


def test_every_chapter_and_example_ends_with_summary_and_exercises():
    problems, _ = checks.check_course(runner.DOCS)
    assert not problems, "\n".join(problems)


def test_at_least_half_the_exercises_have_code_solutions():
    _, pages = checks.check_course(runner.DOCS)
    total = sum(p.count for p in pages)
    code = sum(p.with_code for p in pages)
    assert total and code * 2 >= total, f"{code} of {total} exercises have code solutions"


def test_every_exercise_snippet_is_held_to_a_bar():
    bars = runner.load_bars()
    solutions = [runner.rel(p) for p in runner.all_snippets() if "exercises" in p.parts]
    assert solutions, "no code solutions under snippets/exercises/"
    assert not [s for s in solutions if s not in bars]


PAGE = """# 标题 {{#t}}

正文。

## 小结 {{#summary}}

- 一
- 二
{extra_bullet}
## 练习 {{#exercises}}

1. 第一题。

    ??? success "参考答案"
        答案。

2. 第二题。

    ??? success "参考答案"
        ```python
        print(1)
        ```

{third}"""
THIRD = """3. 第三题。

    ??? success "参考答案"
        --8<-- "snippets/exercises/theory/t_1_numpy.py"
"""


def _page(tmp_path, **kw):
    (tmp_path / "docs" / "theory").mkdir(parents=True, exist_ok=True)
    text = PAGE.format(**{"extra_bullet": "- 三\n", "third": THIRD, **kw})
    (tmp_path / "docs" / "theory" / "t.md").write_text(text, encoding="utf-8")
    return checks.check_course(tmp_path / "docs")


def test_a_complete_page_passes_and_counts_code_solutions(tmp_path):
    problems, [ex] = _page(tmp_path)
    assert problems == []
    assert (ex.count, ex.with_code) == (3, 2)


def test_missing_pieces_are_named(tmp_path):
    problems, _ = _page(tmp_path, extra_bullet="", third="3. 第三题，没有答案。\n")
    assert "docs/theory/t.md: the summary has 2 bullet points (3 to 6)" in problems, problems
    assert any(p.startswith("docs/theory/t.md:") and "exercise 3 has no '??? success'" in p for p in problems)
    problems, _ = _page(tmp_path, third="")
    assert "docs/theory/t.md: 2 exercises (at least 3)" in problems
