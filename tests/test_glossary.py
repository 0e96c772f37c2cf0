"""The glossary (includes/glossary.yml, tools/glossary.py): its terms, its
links, the variant-term check over the Chinese pages and the FAQ, and the
generated pages. Each refusal is also shown on bad input built for it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tools import glossary

REPO = glossary.REPO


# --- the real site --------------------------------------------------------------


def test_glossary_has_at_least_60_terms_in_both_languages():
    terms, problems = glossary.load(REPO / glossary.DATA)
    assert not problems, "\n".join(problems)
    assert len(terms) >= 60, f"only {len(terms)} terms"
    for t in terms:
        assert t.zh and t.en and t.def_zh and t.def_en, t
        assert glossary.CJK.search(t.def_zh) and not glossary.CJK.search(t.def_en), t.en


def test_every_glossary_link_reaches_its_section():
    terms, _ = glossary.load(REPO / glossary.DATA)
    problems = glossary.check_links(terms, REPO / "docs")
    assert not problems, "\n".join(problems)


def test_chinese_pages_and_faq_use_the_glossary_terms():
    terms, _ = glossary.load(REPO / glossary.DATA)
    sources = glossary.chinese_sources(REPO)
    names = {name for name, _ in sources}
    # What the check reads: Chinese pages and FAQ entries, not English or generated pages.
    assert "docs/theory/regularization.md" in names and "faq/entries/dropout.md" in names
    assert not any(n.endswith(".en.md") for n in names)
    assert not [n for n in names if n.startswith("docs/faq/")] and "docs/theory/glossary.md" not in names
    problems = glossary.check_terms(terms, sources)
    assert not problems, "run `make glossary`:\n" + "\n".join(problems)


def test_generated_glossary_pages_are_current():
    for path, text in glossary.outputs().items():
        assert path.exists(), f"{path.relative_to(REPO)} is missing: run `make glossary`"
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(REPO)} is stale: run `make glossary`"
        )


def test_glossary_pages_link_every_term_and_list_the_variants():
    terms, _ = glossary.load(REPO / glossary.DATA)
    zh = (REPO / "docs" / glossary.PAGE).read_text(encoding="utf-8")
    en = (REPO / "docs" / glossary.PAGE.with_name("glossary.en.md")).read_text(encoding="utf-8")
    for t in terms:
        href = glossary._href(t.link)
        assert f"]({href})" in zh and f"]({href})" in en, t.link
        assert all(v in zh for v in t.variants)
    assert "批归一化" in zh and "类别交叉熵" in zh


# --- refusals on bad input --------------------------------------------------------

TERMS = """\
- zh: 批量归一化
  en: batch normalization
  def: {zh: 在小批量内标准化。, en: Standardises within a mini-batch.}
  link: theory/reg.md#batch-norm
  variants: [批归一化, 批量正则化]
- zh: 步幅
  en: stride
  def: {zh: 卷积核每次移动的格数。, en: How far a kernel moves.}
  link: theory/reg.md#batch-norm
  patterns:
    - regex: '(卷积|池化)[^，。；：！？\\n]{0,12}步长|步长[^，。；：！？\\n]{0,12}(卷积|池化)'
      note: stride 叫步幅
- zh: 倒置 dropout
  en: inverted dropout
  def: {zh: 训练时放大保留的值。, en: Scales the kept values.}
  link: theory/reg.md#batch-norm
  patterns:
    - regex: '反向\\s*[Dd]ropout'
- zh: 轮
  en: epoch
  def: {zh: 完整过一遍训练数据。, en: One pass over the data.}
  link: faq/training.md#epochs
  english: {word: epoch, form: 轮（epoch）, bare: false}
- zh: 未归一化的对数概率（logits）
  en: logits
  def: {zh: softmax 之前的输出。, en: Outputs before softmax.}
  link: theory/reg.md#batch-norm
  english: {word: logit, form: 未归一化的对数概率（logits）, bare: true}
"""

PAGE = """\
# 正则化 {#reg}

## 批量归一化 {#batch-norm}

批量归一化让训练更稳定，有人把它写成批归一化。
代码里的名字不算：`批归一化` 和下面的代码块都不检查。

```python
x = "批量正则化"  # 代码块中不检查
```

学习率决定步长；卷积的步长为 2 时输出减半。训练 10 个 epoch 后停止。
反向传播与反向 dropout 是两回事，\\(\\text{批归一化}\\) 在公式里不检查。
"""

EN_PAGE = "# Regularization {#reg}\n\n## Batch normalization {#batch-norm}\n\n批归一化 in an English page is not checked.\n"


def _site(tmp_path: Path, terms: str = TERMS, page: str = PAGE) -> Path:
    (tmp_path / "includes").mkdir(parents=True)
    (tmp_path / "includes" / "glossary.yml").write_text(terms, encoding="utf-8")
    (tmp_path / "docs" / "theory").mkdir(parents=True)
    (tmp_path / "docs" / "theory" / "reg.md").write_text(page, encoding="utf-8")
    (tmp_path / "docs" / "theory" / "reg.en.md").write_text(EN_PAGE, encoding="utf-8")
    (tmp_path / "docs" / "faq").mkdir()
    for name in ("index.md", "training.md"):
        (tmp_path / "docs" / "faq" / name).write_text(
            "# 常见问题 {#faq}\n\n批归一化（生成的页面不检查）\n", encoding="utf-8"
        )
    (tmp_path / "faq" / "entries").mkdir(parents=True)
    (tmp_path / "faq" / "entries" / "epochs.md").write_text(
        textwrap.dedent("""\
            ---
            slug: epochs
            topic: training
            question:
              zh: "应该训练多少个 epoch？"
              en: "How many epochs? 批归一化 in the English part is not checked"
            related:
              - theory/reg.md#batch-norm
            ---
            <!-- zh -->
            每轮（epoch）之后看验证损失；损失函数直接接收 logits。

            <!-- en -->
            After each epoch, look at the validation loss; 批量正则化 here is English text.
            """),
        encoding="utf-8",
    )
    return tmp_path


def test_a_variant_term_in_a_page_is_refused_with_file_line_and_term(tmp_path):
    root = _site(tmp_path)
    terms, problems = glossary.check(root)
    assert len(terms) == 5
    assert "docs/theory/reg.md:5: '批归一化' found; use '批量归一化'" in problems
    # Code spans, code blocks, formulas, the English page, the English half of an
    # FAQ entry and the generated FAQ pages are not checked.
    assert not [p for p in problems if "批量正则化" in p or "reg.en.md" in p or "docs/faq/" in p]
    assert not [
        p
        for p in problems
        if p.startswith(("docs/theory/reg.md:6:", "docs/theory/reg.md:13:")) and "批归一化" in p
    ]


def test_context_rules_refuse_only_the_wrong_sense(tmp_path):
    root = _site(tmp_path)
    _, problems = glossary.check(root)
    line12 = [p for p in problems if p.startswith("docs/theory/reg.md:12:")]
    # 步长 as the step size of the learning rate passes; as a convolution's stride it does not.
    assert len([p for p in line12 if "use '步幅'" in p]) == 1
    assert any("'卷积的步长' found; use '步幅' (stride 叫步幅)" in p for p in line12)
    # A bare English word must take its Chinese form.
    assert any("'epoch' found; use '轮'" in p for p in line12)
    # 反向传播 is fine, 反向 dropout is not.
    assert [p for p in problems if p.startswith("docs/theory/reg.md:13:")] == [
        "docs/theory/reg.md:13: '反向 dropout' found; use '倒置 dropout'"
    ]


def test_faq_entries_are_checked_in_their_chinese_part_only(tmp_path):
    root = _site(tmp_path)
    _, problems = glossary.check(root)
    faq = [p for p in problems if p.startswith("faq/entries/epochs.md")]
    assert faq == [
        "faq/entries/epochs.md:5: 'epoch' found; use '轮' (on its first use on a page: '轮（epoch）')",
        "faq/entries/epochs.md:11: first use of 'logits' on this page; write it as '未归一化的对数概率（logits）'",
    ]


def test_a_clean_page_passes(tmp_path):
    clean = "# 正则化 {#reg}\n\n## 批量归一化 {#batch-norm}\n\n训练 10 轮（epoch）后停止；卷积的步幅为 2，学习率决定步长。\n"
    root = _site(tmp_path, page=clean)
    entry = root / "faq" / "entries" / "epochs.md"
    text = entry.read_text(encoding="utf-8").replace("多少个 epoch", "多少轮（epoch）")
    entry.write_text(text.replace("接收 logits", "接收未归一化的对数概率（logits）"), encoding="utf-8")
    terms, problems = glossary.check(root)
    assert problems == []


def test_a_link_to_a_missing_page_or_anchor_is_refused(tmp_path):
    bad = TERMS.replace(
        "link: theory/reg.md#batch-norm\n  variants", "link: theory/missing.md#batch-norm\n  variants", 1
    )
    bad = bad.replace("link: faq/training.md#epochs", "link: faq/training.md#no-such-entry")
    bad = bad.replace("link: theory/reg.md#batch-norm\n  english", "link: theory/reg.md#gone\n  english")
    root = _site(tmp_path, terms=bad)
    _, problems = glossary.check(root)
    assert (
        "glossary term 'batch normalization': link 'theory/missing.md#batch-norm': docs/theory/missing.md does not exist"
        in problems
    )
    assert (
        "glossary term 'epoch': link 'faq/training.md#no-such-entry': docs/faq/training.md has no heading with id 'no-such-entry'"
        in problems
    )
    assert (
        "glossary term 'logits': link 'theory/reg.md#gone': docs/theory/reg.md has no heading with id 'gone'"
        in problems
    )
    # An FAQ slug is an anchor of its topic's page even before the page is regenerated,
    # or generated at all.
    assert (
        glossary.check_links(glossary.load(_site(tmp_path / "b") / glossary.DATA)[0], tmp_path / "b" / "docs")
        == []
    )
    (tmp_path / "b" / "docs" / "faq" / "training.md").unlink()
    assert (
        glossary.check_links(glossary.load(tmp_path / "b" / glossary.DATA)[0], tmp_path / "b" / "docs") == []
    )


def test_a_link_to_an_faq_entry_must_name_its_topics_page(tmp_path):
    for page in ("index.md", "basics.md"):
        root = _site(tmp_path / page, terms=TERMS.replace("faq/training.md#epochs", f"faq/{page}#epochs"))
        problems = glossary.check_links(glossary.load(root / glossary.DATA)[0], root / "docs")
        assert problems == [
            f"glossary term 'epoch': link 'faq/{page}#epochs': the FAQ entry 'epochs' is on the page of "
            "its topic: link 'faq/training.md#epochs'"
        ]


def test_the_data_file_refuses_a_variant_inside_its_own_term_and_duplicates(tmp_path):
    bad = TERMS + textwrap.dedent("""\
        - zh: 步长
          en: step size
          def: {zh: 一次更新移动的距离。, en: How far one update moves.}
          link: theory/reg.md#batch-norm
          variants: [步长]
        - zh: 批量归一化
          en: batchnorm
          def: {zh: 重复。, en: A repeat.}
          link: theory/reg.md#batch-norm
        """)
    root = _site(tmp_path, terms=bad)
    _, problems = glossary.check(root)
    assert any("variant '步长' is part of the term itself" in p for p in problems)
    assert any("zh term '批量归一化' repeats term 1" in p for p in problems)
