"""Rule pages: up to date with the docstrings, and each rule's examples behave
as documented (the failing one fires, the passing one does not): edits of the
example reports, or for read errors a file built to match the description
(the convention is in xxgk_lint/linter/ruledocs.py)."""

import pathlib
import time
import zipfile

import pytest

import pdfgen
from readers_util import DOCUMENTS
from xxgk_lint.linter import readers, ruledocs
from xxgk_lint.linter.readers import office
from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.runner import READ_CODES, Settings, check_file, parse_file

ROOT = pathlib.Path(__file__).parents[1]
SCAFFOLD = (ROOT / ruledocs.SCAFFOLD_FILE).read_text(encoding="utf-8")
PREVIOUS = (ROOT / ruledocs.PREVIOUS_SCAFFOLD_FILE).read_text(encoding="utf-8")
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
    noted = ruledocs.parse_example("标准报告（第五部分写了问题和措施）")
    assert noted.scaffold and noted.runnable and noted.note == "（第五部分写了问题和措施）"
    assert not ruledocs.parse_example("标准报告，再删掉第三部分").edits
    both = ruledocs.parse_example("上年报告 `a` → `b`；`c` → `d`（说明）", cross_year=True)
    assert both.previous_replacements == [("a", "b")] and both.replacements == [("c", "d")]
    assert both.edits and not both.runnable and both.note == "（说明）"
    assert both.apply_previous("xa") == "xb" and both.apply("cc") == "dc"
    with pytest.raises(ValueError):
        both.apply_previous("x")
    with pytest.raises(ValueError):
        ruledocs.Example("", [("不存在", "y")]).apply("axb")


def _check(path, rule_, previous=None):
    """The codes found in ``path`` when checked for the example of ``rule_``:
    U rules with every built-in rule selected, the others alone."""
    if rule_.code in ruledocs.SUPPRESSION_CODES:
        rules, settings = REGISTRY.select(["ALL"]), Settings()
    else:
        rules, settings = [rule_], Settings([rule_.code])
    result = check_file(str(path), REGISTRY, rules, settings, previous=previous,
                        timeout=READ_TIMEOUTS.get(rule_.code))
    return [d.code for d in result.diagnostics]


def _codes(tmp_path, rule_, text, previous_text=None):
    path = tmp_path / "example.txt"
    path.write_text(text, encoding="utf-8")
    previous = None
    if previous_text is not None:  # as --previous gives it
        previous_path = tmp_path / "previous.txt"
        previous_path.write_text(previous_text, encoding="utf-8")
        previous = parse_file(str(previous_path))
        assert previous is not None
    return _check(path, rule_, previous)


def _example_codes(tmp_path, rule_, example):
    if example.cross_year:
        return _codes(tmp_path, rule_, example.apply(SCAFFOLD), example.apply_previous(PREVIOUS))
    assert not example.previous_replacements, f"{rule_.code} 不比对上一年度报告，示例却改动了上年示例报告"
    return _codes(tmp_path, rule_, example.apply(SCAFFOLD))


# -- files for the read errors whose examples are descriptions (see ruledocs' docstring) ----------

def _write(path, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _copy(tmp_path, name, fixture, keep=None):
    data = (DOCUMENTS / fixture).read_bytes()
    return _write(tmp_path / name, data if keep is None else data[: int(len(data) * keep)])


def _zip_bomb(tmp_path):
    """A few kilobytes that claim megabytes of zeros inside (compression ratio far above 200)."""
    path = tmp_path / "报告.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<a/>")
        zf.writestr("word/media/zeros.bin", b"\x00" * (4 * 1024 * 1024))
    return path


def _reader_bug(tmp_path, monkeypatch):
    def broken(path):
        raise RuntimeError("模拟的读取程序缺陷")

    monkeypatch.setattr(readers, "read", broken)
    return _write(tmp_path / "报告.txt", SCAFFOLD)


def _slow_to_read(tmp_path, monkeypatch):
    real_read = readers.read

    def slow(path):
        time.sleep(60)  # interrupted by the example's --timeout
        return real_read(path)

    monkeypatch.setattr(readers, "read", slow)
    return _write(tmp_path / "报告.txt", SCAFFOLD)


READ_TIMEOUTS = {"E013": 0.5}  # the examples' --timeout


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the signature of old binary Office (and .wps) files


def _without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: None)
    return _write(tmp_path / "报告.wps", OLE + b"\x00" * 100)


READ_INPUTS = {  # (code, label) -> (tmp_path, monkeypatch) -> the file to check
    ("E001", "错误示例"): lambda tmp, mp: tmp / "不存在.txt",
    ("E001", "正确示例"): lambda tmp, mp: _write(tmp / "报告.txt", SCAFFOLD),
    ("E002", "错误示例"): lambda tmp, mp: _write(tmp / "报告.txt", SCAFFOLD.encode("utf-16-le")),
    ("E002", "正确示例"): lambda tmp, mp: _write(tmp / "报告.txt", SCAFFOLD.encode("gbk")),
    ("E003", "错误示例"): lambda tmp, mp: _write(tmp / "报告.xlsx", b"PK\x03\x04" + b"\x00" * 100),
    ("E003", "正确示例"): lambda tmp, mp: _copy(tmp, "报告.docx", "report.docx"),
    ("E004", "错误示例"): lambda tmp, mp: _write(tmp / "报告.pdf", b""),
    ("E004", "正确示例"): lambda tmp, mp: _copy(tmp, "报告.pdf", "report.pdf"),
    ("E005", "错误示例"): lambda tmp, mp: _zip_bomb(tmp),
    ("E005", "正确示例"): lambda tmp, mp: _copy(tmp, "报告.docx", "report.docx"),
    ("E006", "错误示例"): lambda tmp, mp: _write(tmp / "报告.pdf", pdfgen.text_pdf(encrypt=True)),
    ("E006", "正确示例"): lambda tmp, mp: _write(tmp / "报告.pdf", pdfgen.text_pdf()),
    ("E007", "错误示例"): lambda tmp, mp: _copy(tmp, "报告.pdf", "report.pdf", keep=0.5),
    ("E007", "正确示例"): lambda tmp, mp: _copy(tmp, "报告.pdf", "report.pdf"),
    ("E008", "错误示例"): lambda tmp, mp: _write(tmp / "报告.pdf", pdfgen.image_pdf()),
    ("E008", "正确示例"): lambda tmp, mp: _copy(tmp, "报告.pdf", "report.pdf"),
    ("E009", "错误示例"): _reader_bug,
    ("E012", "错误示例"): _without_libreoffice,
    ("E012", "正确示例"): lambda tmp, mp: _copy(tmp, "报告.docx", "report.docx"),
    ("E013", "错误示例"): _slow_to_read,
    ("E013", "正确示例"): lambda tmp, mp: _write(tmp / "报告.txt", SCAFFOLD),
}


CASES = [(r, label) for r in RULES for label in ("错误示例", "正确示例")]


@pytest.mark.parametrize("rule_, label", CASES, ids=[f"{r.code}-{'fail' if lb == '错误示例' else 'pass'}"
                                                     for r, lb in CASES])
def test_rule_example(tmp_path, monkeypatch, rule_, label):
    example = ruledocs.examples(rule_)[label]
    assert example is not None, f"{rule_.code} 没有{label}"
    if example.edits:
        assert (rule_.code, label) not in READ_INPUTS, f"{rule_.code} 的{label}可以运行，不需要 READ_INPUTS"
        if label == "错误示例":
            clean = ruledocs.parse_example(ruledocs.SCAFFOLD_WORD, example.cross_year)
            assert rule_.code not in _example_codes(tmp_path, rule_, clean), "标准示例报告本身就报告了这条规则"
        found = _example_codes(tmp_path, rule_, example)
    else:
        assert rule_.code in READ_CODES and (rule_.code, label) in READ_INPUTS, \
            f"{rule_.code} 的{label}不可运行（是文字说明）：{example.text}"
        found = _check(READ_INPUTS[rule_.code, label](tmp_path, monkeypatch), rule_)
    if label == "错误示例":
        assert rule_.code in found, f"{rule_.code} 的错误示例没有报告 {rule_.code}"
    else:
        assert rule_.code not in found, f"{rule_.code} 的正确示例报告了 {rule_.code}"


def test_read_inputs_are_for_described_examples():
    for code, label in READ_INPUTS:
        example = ruledocs.examples(REGISTRY.get(code))[label]
        assert example is not None and not example.edits, f"{code} 的{label}已可运行，删除 READ_INPUTS 中的一项"


def test_scaffold_is_clean_under_every_rule(tmp_path):
    path = tmp_path / "scaffold.txt"
    path.write_text(SCAFFOLD, encoding="utf-8")
    result = check_file(str(path), REGISTRY, REGISTRY.select(["ALL"]), Settings())
    assert [(d.code, d.message) for d in result.diagnostics] == []


def test_previous_scaffold_is_clean_and_follows_on(tmp_path):
    """The previous-year example report is a correct 2022 report of the same
    body, and the standard report follows on from it under every rule."""
    previous_path = tmp_path / "previous.txt"
    previous_path.write_text(PREVIOUS, encoding="utf-8")
    result = check_file(str(previous_path), REGISTRY, REGISTRY.select(["ALL"]), Settings())
    assert [(d.code, d.message) for d in result.diagnostics] == []
    previous = parse_file(str(previous_path))
    assert (previous.report_year, previous.agency.value) == (2022, "示例市示例局")
    path = tmp_path / "scaffold.txt"
    path.write_text(SCAFFOLD, encoding="utf-8")
    result = check_file(str(path), REGISTRY, REGISTRY.select(["ALL"]), Settings(), previous=previous)
    assert [(d.code, d.message) for d in result.diagnostics] == []


def test_the_example_harness_works_for_a_structure_rule(tmp_path):
    """What a runnable example for S104 would look like (S104's own docstring
    quotes the wrong title instead of writing an edit)."""
    s104 = REGISTRY.get("S104")
    failing = ruledocs.parse_example("`五、存在的主要问题及改进情况` → `五、存在的问题及改进情况`")
    assert "S104" in _codes(tmp_path, s104, failing.apply(SCAFFOLD))
    assert "S104" not in _codes(tmp_path, s104, ruledocs.parse_example("标准报告").apply(SCAFFOLD))
