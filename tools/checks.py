"""Checks over the Markdown sources in docs/: the language mirror and the
inventory of code blocks. Each check returns a list of messages, one per
problem, each naming the file (and line) at fault; an empty list means clean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PYTHON_LANGS = {"python", "py", "python3", "pycon", "ipython", "ipython3"}
INCLUDE = re.compile(r'^\s*--8<--\s+"([^"]+)"\s*$')
FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
HEADING_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
SKIP_MARK = re.compile(r"<!--[-\s]*(pytest\.mark\.skip|pytest-codeblocks:skip)")
FORMULA = re.compile(
    r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)|(?<![\\$\w])\$(?!\s)([^$\n]+?)(?<!\s)\$(?![\w$])",
    re.S,
)


@dataclass
class Fence:
    line: int  # 1-based line of the opening fence
    lang: str  # first word of the info string, lower case
    info: str
    body: str

    def include_paths(self) -> list[str] | None:
        """The included paths if the body is only --8<-- lines, else None."""
        lines = [ln for ln in self.body.splitlines() if ln.strip()]
        matches = [INCLUDE.match(ln) for ln in lines]
        if lines and all(matches):
            return [m.group(1) for m in matches]
        return None


def fences(text: str) -> list[Fence]:
    out, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        m = FENCE_OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info = m.group("fence"), m.group("info").strip()
        body, j = [], i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            body.append(lines[j])
            j += 1
        lang = info.split()[0].lstrip(".").lower() if info else ""
        out.append(Fence(i + 1, lang, info, "\n".join(body)))
        i = j + 1
    return out


def prose(text: str) -> str:
    """The text with fenced code blocks blanked out (line count kept)."""
    lines = text.splitlines()
    for f in fences(text):
        n = len(f.body.splitlines()) + 2
        for k in range(f.line - 1, min(f.line - 1 + n, len(lines))):
            lines[k] = ""
    return "\n".join(lines)


LANG_INCLUDE = re.compile(r"\.(zh|en)\.md$")


def includes(text: str) -> list[str]:
    """The --8<-- paths of a page. A translated fragment (includes/x.zh.md,
    includes/x.en.md) counts as the same include in both languages."""
    return [
        LANG_INCLUDE.sub(".{lang}.md", m.group(1)) for ln in text.splitlines() if (m := INCLUDE.match(ln))
    ]


def formulas(text: str) -> list[str]:
    """The formulas of a page, whitespace-normalised. Words inside \\text{}
    are prose and are blanked, so that a formula with \\text{否则} matches
    its twin with \\text{otherwise}."""
    found = []
    for m in FORMULA.finditer(re.sub(r"`[^`\n]*`", "", prose(text))):
        body = next(g for g in m.groups() if g is not None)
        body = re.sub(r"\\text\{[^{}]*\}", r"\\text{…}", body)
        found.append(" ".join(body.split()))
    return found


def headings(text: str) -> list[tuple[int, str, str | None]]:
    """(line, title, explicit id or None) for each heading outside code."""
    out = []
    for n, line in enumerate(prose(text).splitlines(), start=1):
        m = HEADING.match(line)
        if m:
            idm = HEADING_ID.search(m.group(2))
            out.append((n, m.group(2), idm.group(1) if idm else None))
    return out


def language_of(path: Path) -> str:
    return "en" if path.name.endswith(".en.md") else "zh"


def twin(path: Path) -> Path:
    if language_of(path) == "en":
        return path.with_name(path.name[: -len(".en.md")] + ".md")
    return path.with_name(path.name[: -len(".md")] + ".en.md")


def pages(docs: Path) -> list[Path]:
    return sorted(p for p in docs.rglob("*.md") if "assets" not in p.relative_to(docs).parts)


def check_mirror(docs: Path) -> list[str]:
    """Both languages have the same pages, includes, formulas and heading ids."""
    problems = []
    for page in pages(docs):
        other = twin(page)
        name = page.relative_to(docs.parent).as_posix()
        if not other.exists():
            lang = "English" if language_of(page) == "zh" else "Chinese"
            problems.append(f"{name}: missing {lang} translation {other.relative_to(docs.parent).as_posix()}")
            continue
        if language_of(page) == "en":
            continue  # each pair is compared once, from the Chinese side
        a, b = page.read_text(encoding="utf-8"), other.read_text(encoding="utf-8")
        oname = other.relative_to(docs.parent).as_posix()
        for path, text in ((name, a), (oname, b)):
            for line, title, hid in headings(text):
                if hid is None:
                    problems.append(
                        f"{path}:{line}: heading '{title}' has no explicit id "
                        "(write it as '## Title {#some-id}')"
                    )
        # Includes keep their order; inline formulas may come in another order
        # in the other language's sentences, so formulas compare as multisets.
        for what, fn in (("--8<-- includes", includes), ("formulas", lambda t: sorted(formulas(t)))):
            if fn(a) != fn(b):
                problems.append(
                    f"{name} and {oname} differ in their {what}: {_first_difference(fn(a), fn(b))}"
                )
        # Figures: the same images in the same order, each page showing its own
        # language's version of a localized figure (name-zh.svg / name-en.svg).
        for path, text, lang in ((name, a, "zh"), (oname, b, "en")):
            problems += [f"{path}: {p}" for p in figure_problems(text, lang)]
        if figures(a) != figures(b):
            problems.append(
                f"{name} and {oname} differ in their figures: {_first_difference(figures(a), figures(b))}"
            )
        # Admonitions and collapsible blocks (exercises' solutions are ??? success).
        if blocks(a) != blocks(b):
            problems.append(
                f"{name} and {oname} differ in their admonitions / collapsible blocks: "
                f"{_first_difference(blocks(a), blocks(b))}"
            )
        ids_a = [h[2] for h in headings(a)]
        ids_b = [h[2] for h in headings(b)]
        if ids_a != ids_b:
            problems.append(
                f"{name} and {oname} differ in their heading ids: {_first_difference(ids_a, ids_b)}"
            )
    return problems


IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)")
LOCALIZED = re.compile(r"-(zh|en)(\.\w+)$")
CJK = re.compile(r"[\u4e00-\u9fff]")
BLOCK = re.compile(r"^\s*(\?\?\?\+?|!!!)\s+([\w-]+)", re.M)


def figures(text: str) -> list[str]:
    """The images of a page, a localized figure's language written as {lang}."""
    return [LOCALIZED.sub(r"-{lang}\2", target) for _, target in IMAGE.findall(prose(text))]


def figure_problems(text: str, lang: str) -> list[str]:
    """Each image has alt text in the page's language and, when the figure
    exists per language, is the page's own language's version."""
    out = []
    for alt, target in IMAGE.findall(prose(text)):
        m = LOCALIZED.search(target)
        if m and m.group(1) != lang:
            out.append(f"figure {target} is the {m.group(1)} version on a {lang} page")
        if not alt.strip():
            out.append(f"figure {target} has no alt text")
        elif lang == "zh" and not CJK.search(alt):
            out.append(f"figure {target}: its alt text '{alt}' is not in Chinese")
        elif lang == "en" and CJK.search(alt):
            out.append(f"figure {target}: its alt text '{alt}' is not in English")
    return out


def blocks(text: str) -> list[str]:
    """The kinds of admonitions (!!! warning) and collapsible blocks (??? success), in order."""
    return [f"{m.group(1)} {m.group(2)}" for m in BLOCK.finditer(prose(text))]


def _first_difference(a: list, b: list) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"item {i + 1}: {x!r} vs {y!r}"
    if len(a) != len(b):
        longer, which = (a, "first") if len(a) > len(b) else (b, "second")
        return f"the {which} has {abs(len(a) - len(b))} more, starting with {longer[min(len(a), len(b))]!r}"
    return "same items in a different order"


def check_inventory(docs: Path, snippets: Path) -> list[str]:
    """Every Python block on a page is a snippet include or an executed inline
    block; every include points at a file; every snippet is included."""
    from pytest_codeblocks.main import extract_from_file

    repo = docs.parent
    problems, included = [], set()
    for page in pages(docs):
        name = page.relative_to(repo).as_posix()
        text = page.read_text(encoding="utf-8")
        executed = {b.lineno: b for b in extract_from_file(page)}
        lines = text.splitlines()
        for line_no, line in enumerate(lines, start=1):
            m = INCLUDE.match(line)
            if m and not (repo / m.group(1).split(":")[0]).is_file():
                problems.append(f'{name}:{line_no}: --8<-- "{m.group(1)}" points to no file')
        for fence in fences(text):
            paths = fence.include_paths()
            if paths is not None:
                paths = [p.split(":")[0] for p in paths]  # file.py:section
                for p in paths:
                    if p.startswith("snippets/") and p.endswith(".py"):
                        included.add(p)
                continue
            if fence.lang not in PYTHON_LANGS:
                continue
            block = executed.get(fence.line)
            before = lines[fence.line - 2] if fence.line >= 2 else ""
            if block is None or fence.info != "python":
                problems.append(
                    f"{name}:{fence.line}: Python block is neither a snippet include nor an "
                    "executed inline block (inline blocks must open with a plain ```python)"
                )
            elif SKIP_MARK.search(before) or any("skip" in m for m in block.marks):
                problems.append(f"{name}:{fence.line}: inline Python block is marked skip")
    for snippet in sorted(snippets.rglob("*.py")):
        p = snippet.relative_to(repo).as_posix()
        if "__pycache__" not in p and p not in included:
            problems.append(f"{p}: snippet is included by no page")
    return problems


# --- raw HTML that runs or embeds something ---------------------------------
# Markdown lets a page or a FAQ entry carry raw HTML and attribute lists. The
# site needs neither scripts nor embeds from a contribution: any of these is
# refused, naming the file and line. Code blocks and `inline code` are exempt
# (they are shown, not rendered).
UNSAFE_HTML = [
    (
        re.compile(
            r"<\s*(script|iframe|frame|frameset|object|embed|applet|base|meta|link|form|style)\b", re.I
        ),
        "a <{0}> element",
    ),
    (re.compile(r"<[a-z][^>]*?\s(on[a-z]+)\s*=", re.I), "an event-handler attribute '{0}='"),
    (
        re.compile(r"\{[^}\n]*?(?<![\w-])(on[a-z]+)\s*=", re.I),
        "an event-handler attribute '{0}=' in an attribute list",
    ),
]
_URL_CONTEXT = re.compile(
    r"""(?:\]\(\s*<?|(?:href|src|action|formaction|xlink:href|srcdoc)\s*=\s*["']?\s*)(javascript\s*:|vbscript\s*:|data\s*:\s*text/html)""",
    re.I,
)
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")


def unsafe_html(text: str) -> list[tuple[int, str]]:
    """(line, what) for each piece of raw HTML in the prose that would run or
    embed something: script-like elements, on...= handlers, javascript: links."""
    found = []
    for n, line in enumerate(prose(text).splitlines(), 1):
        line = _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
        for pattern, what in UNSAFE_HTML:
            for m in pattern.finditer(line):
                found.append((n, what.format(m.group(1).lower())))
        for m in _URL_CONTEXT.finditer(line):
            found.append((n, f"a '{m.group(1).lower().replace(' ', '')}' link"))
    return found


def check_unsafe_html(docs: Path) -> list[str]:
    problems = []
    for page in pages(docs):
        name = page.relative_to(docs.parent).as_posix()
        for line, what in unsafe_html(page.read_text(encoding="utf-8")):
            problems.append(f"{name}:{line}: {what} is not allowed in a page (raw HTML that runs or embeds)")
    return problems


# --- a course: every chapter and example ends with a summary and exercises ---
COURSE_DIRS = ("preliminaries", "theory", "examples")
NOT_CHAPTERS = {"index.md", "glossary.md"}
ITEM = re.compile(r"^(\d+)\.\s+\S")
BULLET = re.compile(r"^[-*]\s+\S")
SOLUTION = re.compile(r"^\s+\?\?\?\+?\s+success\b")


@dataclass
class Exercises:
    page: str
    count: int = 0
    with_code: int = 0


def course_pages(docs: Path) -> list[Path]:
    return [
        p
        for p in pages(docs)
        if language_of(p) == "zh"
        and p.relative_to(docs).parts[0] in COURSE_DIRS
        and p.name not in NOT_CHAPTERS
    ]


def _section(lines: list[str], hid: str) -> tuple[int, int] | None:
    """(first, end) line indexes of the body of the heading with this id."""
    start = None
    for i, line in enumerate(lines):
        m = HEADING.match(line)
        if not m:
            continue
        if start is not None and len(m.group(1)) <= 2:
            return start, i
        idm = HEADING_ID.search(m.group(2))
        if idm and idm.group(1) == hid and len(m.group(1)) == 2:
            start = i + 1
    return (start, len(lines)) if start is not None else None


def check_course(docs: Path) -> tuple[list[str], list[Exercises]]:
    """Every chapter and example page (both languages: the mirror check keeps
    them equal) ends with ## {#summary} (3-6 bullets) and ## {#exercises}
    (at least 3 numbered exercises, each with a ??? success solution)."""
    problems, found = [], []
    for page in course_pages(docs):
        name = page.relative_to(docs.parent).as_posix()
        text = page.read_text(encoding="utf-8")
        lines = prose(text).splitlines()
        raw = text.splitlines()
        summary, exercises = _section(lines, "summary"), _section(lines, "exercises")
        if summary is None:
            problems.append(f"{name}: no '## 小结 {{#summary}}' section")
        else:
            bullets = sum(1 for ln in lines[summary[0] : summary[1]] if BULLET.match(ln))
            if not 3 <= bullets <= 6:
                problems.append(f"{name}: the summary has {bullets} bullet points (3 to 6)")
        if exercises is None:
            problems.append(f"{name}: no '## 练习 {{#exercises}}' section")
            continue
        if summary is not None and summary[0] > exercises[0]:
            problems.append(f"{name}: the summary must come before the exercises")
        body = list(range(*exercises))
        items = [i for i in body if ITEM.match(lines[i])]
        ex = Exercises(name, len(items))
        if len(items) < 3:
            problems.append(f"{name}: {len(items)} exercises (at least 3)")
        for k, start in enumerate(items):
            end = items[k + 1] if k + 1 < len(items) else exercises[1]
            chunk = raw[start:end]
            if not any(SOLUTION.match(ln) for ln in chunk):
                problems.append(f"{name}:{start + 1}: exercise {k + 1} has no '??? success' solution block")
            if any(INCLUDE.match(ln) and "snippets/exercises/" in ln for ln in chunk) or any(
                ln.strip().startswith("```python") for ln in chunk
            ):
                ex.with_code += 1
        found.append(ex)
    return problems, found
