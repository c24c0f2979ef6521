"""Reading .txt/.md: encodings, line endings, tables, and bad input."""

import json
import subprocess
import sys

import pytest

from clihelp import unreadable
from conftest import seed
from xxgk_lint.linter.parse import build_report
from xxgk_lint.linter.readers import ReadError, read

SAMPLE = "银川市兴庆区2020年政府信息公开工作年度报告\n\n一、总体情况\n\n统计期限为2020年1月1日至2020年12月31日。\n"


@pytest.mark.parametrize("encoding,prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""),
                                              ("gbk", b""), ("utf-16", b"")])
def test_encodings_give_the_same_report(tmp_path, encoding, prefix):
    path = tmp_path / "r.txt"
    path.write_bytes(prefix + SAMPLE.encode(encoding))
    report = build_report(read(str(path)))
    assert report.report_year == 2020
    assert report.agency.value == "银川市兴庆区"
    assert report.document.line_col(report.sections[0].heading.span.start) == (3, 1)


def test_crlf_line_endings_keep_line_numbers(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(SAMPLE.replace("\n", "\r\n").encode("utf-8"))
    report = build_report(read(str(path)))
    assert report.document.line_col(report.sections[0].heading.span.start) == (3, 1)


def test_undecodable_file_is_e002(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(b"\x81\x30\xff\xfe\x00\x00\x81")
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E002"


def test_markdown_marks_do_not_change_positions(tmp_path):
    text = "# 某局2021年政府信息公开工作年度报告\n\n## **一、总体情况**\n\n正文。\n"
    path = tmp_path / "r.md"
    path.write_text(text, encoding="utf-8")
    report = build_report(read(str(path)))
    heading = report.sections[0].heading
    assert heading.title == "总体情况"
    line, column = report.document.line_col(heading.span.start)
    assert (line, column) == (3, 6)  # after "## **"


def _run(*args):
    return subprocess.run([sys.executable, "-m", "xxgk_lint", *args], capture_output=True, text=True)


def test_cli_json_contract_and_exit_codes(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK")
    missing = unreadable(tmp_path / "missing.txt")
    proc = _run("check", "--format", "json", str(seed("003")), str(bad), str(missing))
    assert proc.returncode == 2  # unreadable files, the others still checked
    items = json.loads(proc.stdout)
    assert {i["path"] for i in items} >= {str(seed("003")), str(bad), str(missing)}
    for item in items:
        assert {"path", "line", "column", "end_line", "end_column", "code", "rule", "severity",
                "message"} <= set(item)
        assert item["line"] >= 1 and item["column"] >= 1
    assert {i["code"] for i in items if i["path"] != str(seed("003"))} == {"E001", "E003"}


def test_cli_exit_codes_for_clean_and_failing_reports(tmp_path):
    assert _run("check", "--select", "S1", str(seed("003"))).returncode == 0
    text = seed("003").read_text(encoding="utf-8").replace("## 五、存在的主要问题及改进情况", "")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    proc = _run("check", "--select", "S101", str(path))
    assert proc.returncode == 1
    assert "S101" in proc.stdout and "五、存在的主要问题及改进情况" in proc.stdout


def test_cli_unknown_selector_is_a_usage_error():
    proc = _run("check", "--select", "Q999", str(seed("003")))
    assert proc.returncode == 2


def test_cli_directory_is_recursed(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "ignored.bin").write_bytes(b"\x00")
    proc = _run("check", "--format", "json", str(tmp_path))
    paths = {i["path"] for i in json.loads(proc.stdout)}
    assert paths == {str(tmp_path / "sub" / "a.txt")}


def test_parse_command_explains_the_report():
    proc = _run("parse", "--format", "json", str(seed("003")))
    data = json.loads(proc.stdout)
    assert data["template"]["version"] == "gb2019"
    assert data["year"] == 2020
    assert data["period"]["start"] == "2020-01-01"
    assert [s["template_section"] for s in data["sections"]] == ["一", "二", "三", "四", "五", "六"]
    assert data["tables"]["t3"]["rows"][0]["cells"]["c_total"]["value"] == "25"
    text = _run("parse", str(seed("003"))).stdout
    assert "格式版本" in text and "统计期限" in text


def test_rules_and_rule_commands():
    listing = _run("rules").stdout
    assert "S101" in listing and "section-missing" in listing
    doc = _run("rule", "section-missing").stdout
    assert "检查什么" in doc and "依据" in doc
    assert _run("rule", "NOPE").returncode == 2


def test_running_header_and_page_numbers_of_pdf_text_are_dropped(tmp_path):
    header = "某市某局2021年政府信息公开工作年度报告"
    pages = [header, "", "一、总体情况", "正文第一页。", "", "", "- 1 -", header, "", "二、主动公开政府信息情况",
             "正文。", "", "第 2 页", header, "三、收到和处理政府信息公开申请情况", "正文。"]
    path = tmp_path / "r.txt"
    path.write_text("\n".join(pages), encoding="utf-8")
    report = build_report(read(str(path)))
    assert report.title.value == header
    assert [s.heading.title for s in report.sections] == ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况"]
    assert all(header not in p.text.text for s in report.sections for p in s.paragraphs)
    assert all("1" not in p.text.text for p in report.sections[0].paragraphs)


def test_utf8_cut_through_its_last_character_is_read(tmp_path):
    """A copy cut short mid-character is read up to the cut, not refused."""
    from xxgk_lint.linter.readers.text import decode

    cut = ("一、总体情况\n" * 20).encode("utf-8")[:-2]
    text, encoding = decode(cut)
    assert encoding == "utf-8" and text.endswith("总体情")
    assert decode(b"\xef\xbb\xbf" + cut) == (text, "utf-8")
    # GB18030 text is still GB18030, and a byte broken in the middle is still refused
    assert decode("一、总体情况".encode("gb18030"))[1] == "gb18030"
    with pytest.raises(ReadError):
        decode("一、总体情况".encode("utf-8") + b"\xff" + "二、主动公开".encode("utf-8"))


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n", "\u3000\n".encode("utf-8")])
def test_an_empty_text_file_is_one_clear_finding(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E004"


@pytest.mark.parametrize("marker", ["一、", "（三）", "(3)", "1.", "１．", "（１）"])
def test_a_tab_after_a_heading_number_keeps_the_heading(tmp_path, marker):
    """Word's automatic numbering copied as text: "五、⇥存在的…" is a heading line, not a table row."""
    from xxgk_lint.linter.readers.text import blocks_from_text

    assert [b.kind for b in blocks_from_text(f"{marker}\t总体情况")] == ["paragraph"]
    # a number alone followed by numbers, or by empty cells, is still a table row
    for row in (f"{marker}\t12\t0", f"{marker}\t予以公开\t\t", "1.属于国家秘密\t0\t0"):
        assert [b.kind for b in blocks_from_text(row)] == ["table"], row


def test_tabbed_heading_numbers_of_a_correct_report_check_clean(tmp_path):
    import re

    from conftest import FIXTURES
    from helpers import codes, findings

    text = (FIXTURES / "rule-example-scaffold.txt").read_text(encoding="utf-8")
    tabbed = re.sub(r"(?m)^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)", "\\1\t", text)
    assert tabbed.count("\t") > 30
    path = tmp_path / "r.txt"
    path.write_text(tabbed, encoding="utf-8")
    assert codes(findings(path)) == []
    report = build_report(read(str(path)))
    assert [s.heading.title for s in report.sections][:2] == ["总体情况", "主动公开政府信息情况"]
