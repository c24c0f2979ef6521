"""Rule pages: up to date with the docstrings, and each rule's runnable
examples behave as documented (the failing one fires, the passing one does not)."""

import pathlib

import pytest

from xxgk_lint.linter import ruledocs
from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.runner import Settings, check_file

SCAFFOLD = (pathlib.Path(__file__).parent / "fixtures" / "rule-example-scaffold.txt").read_text(encoding="utf-8")
RULES = sorted(load_registry(include_plugins=False).rules.values(), key=lambda r: r.code)
REGISTRY = load_registry(include_plugins=False)


def test_generated_rule_pages_are_up_to_date():
    problems = ruledocs.check()
    assert problems == [], "运行 python -m xxgk_lint.linter.ruledocs --write 重新生成：\n" + "\n".join(problems)


def test_check_detects_a_stale_page(tmp_path):
    ruledocs.write(tmp_path)
    assert ruledocs.check(tmp_path) == []
    page = tmp_path / "S101.md"
    page.write_text(page.read_text(encoding="utf-8") + "手工改动\n", encoding="utf-8")
    (tmp_path / "Q999.md").write_text("x", encoding="utf-8")
    problems = ruledocs.check(tmp_path)
    assert any("S101.md" in p and "已过期" in p for p in problems)
    assert any("Q999.md" in p for p in problems)
    assert ruledocs.main(["--check", "--dir", str(tmp_path)]) == 1


def test_every_rule_documents_what_why_and_source():
    for r in RULES:
        doc = ruledocs.parse_doc(r.doc)
        missing = [label for label in ("检查什么", "为什么", "错误示例", "正确示例", "依据") if not doc.get(label)]
        assert doc["summary"] and not missing, f"{r.code} 的文档缺少：{'、'.join(missing)}"


def test_parse_doc_and_examples():
    doc = ruledocs.parse_doc("""概要。

    检查什么：第一行
    接着写。
    错误示例：`五、存在的主要问题及改进情况` → `五、存在的问题`；`a` → `b\\nc`（说明）
    正确示例：标准报告
    依据：条例 Article
    50。
    """)
    assert doc["summary"] == "概要。" and doc["检查什么"] == "第一行接着写。" and doc["依据"] == "条例 Article 50。"
    bad = ruledocs.parse_example(doc["错误示例"])
    assert bad.runnable and bad.replacements == [("五、存在的主要问题及改进情况", "五、存在的问题"), ("a", "b\\nc")]
    assert ruledocs.parse_example(doc["正确示例"]).scaffold
    assert not ruledocs.parse_example("`五、存在的问题及改进情况`").runnable  # a quotation, not an edit
    assert not ruledocs.parse_example("`a` → `b` 然后再删掉第三部分").runnable  # prose left over
    assert ruledocs.Example("", [("x", "y\\nz")]).apply("axb") == "ay\nzb"
    with pytest.raises(ValueError):
        ruledocs.Example("", [("不存在", "y")]).apply("axb")


def _codes(tmp_path, rule_, text):
    path = tmp_path / "example.txt"
    path.write_text(text, encoding="utf-8")
    result = check_file(str(path), REGISTRY, [rule_], Settings([rule_.code]))
    return [d.code for d in result.diagnostics]


CASES = [(r, label) for r in RULES for label in ("错误示例", "正确示例")]


@pytest.mark.parametrize("rule_, label", CASES, ids=[f"{r.code}-{'fail' if lb == '错误示例' else 'pass'}"
                                                     for r, lb in CASES])
def test_rule_example(tmp_path, rule_, label):
    example = ruledocs.examples(rule_)[label]
    if example is None or not example.runnable:
        pytest.skip(f"{rule_.code} 的{label}不可运行（是文字说明）：{example.text if example else '未提供'}")
    text = example.apply(SCAFFOLD)
    found = _codes(tmp_path, rule_, text)
    if label == "错误示例":
        assert rule_.code not in _codes(tmp_path, rule_, SCAFFOLD), "标准示例报告本身就报告了这条规则"
        assert rule_.code in found, f"{rule_.code} 的错误示例没有报告 {rule_.code}"
    else:
        assert rule_.code not in found, f"{rule_.code} 的正确示例报告了 {rule_.code}"


def test_scaffold_is_clean_under_every_rule(tmp_path):
    path = tmp_path / "scaffold.txt"
    path.write_text(SCAFFOLD, encoding="utf-8")
    result = check_file(str(path), REGISTRY, REGISTRY.select(["ALL"]), Settings())
    assert [(d.code, d.message) for d in result.diagnostics] == []


def test_the_example_harness_works_for_a_structure_rule(tmp_path):
    """What a runnable example for S104 would look like (S104's own docstring
    quotes the wrong title instead of writing an edit)."""
    s104 = REGISTRY.get("S104")
    failing = ruledocs.parse_example("`五、存在的主要问题及改进情况` → `五、存在的问题及改进情况`")
    assert "S104" in _codes(tmp_path, s104, failing.apply(SCAFFOLD))
    assert "S104" not in _codes(tmp_path, s104, ruledocs.parse_example("标准报告").apply(SCAFFOLD))
