"""S rules: each on a passing and a failing document, and the issue's
mutations (delete / reorder / rename a section, delete table 3) on real reports."""

import re

import pytest

from conftest import PINGTAN, SEEDS, seed
from helpers import codes, findings, findings_for_text, line_of

REAL_GB = [p for p in PINGTAN if int(p.stem[-4:]) >= 2019]
GB_SEEDS = [seed(p) for p in ("000", "002", "003", "004")]


def _errors(result, prefix="S"):
    return [d for d in result.diagnostics if d.code.startswith(prefix) and d.severity.value == "error"]


@pytest.mark.parametrize("path", SEEDS + REAL_GB, ids=lambda p: p.stem)
def test_reports_with_right_structure_have_no_s_error(path):
    result = findings(path, select=["S"])
    assert _errors(result) == [], [d.message for d in _errors(result)]


def _sections(text):
    """(start, end) character ranges of the six top-level sections of a text report."""
    heads = [m.start() for m in re.finditer(r"(?m)^(?:#+ *)?[一二三四五六]、", text)]
    return heads


def _lines(text):
    return text.split("\n")


def test_reordering_sections_is_reported(tmp_path):
    text = seed("004").read_text(encoding="utf-8")
    lines = _lines(text)
    i5 = next(i for i, ln in enumerate(lines) if ln.startswith("五、"))
    i6 = next(i for i, ln in enumerate(lines) if ln.startswith("六、"))
    block5, block6 = lines[i5:i6], lines[i6:]
    mutated = "\n".join(lines[:i5] + block6 + block5)
    result = findings_for_text(tmp_path, mutated, select=["S102"])
    assert codes(result) == ["S102"]
    assert line_of(result, result.diagnostics[0]) in (i5 + 1, i5 + len(block6) + 1)


def test_mandated_wording_variant_is_a_warning(tmp_path):
    result = findings(seed("002"), select=["S104"])
    assert [d.data["found"] for d in result.diagnostics] == ["存在的问题及改进情况"]
    assert line_of(result, result.diagnostics[0]) == 483


def test_missing_title_is_a_warning():
    result = findings(seed("004"), select=["S001"])
    assert codes(result) == ["S001"]
    assert all(codes(findings(seed(p), select=["S001"])) == [] for p in ("000", "002", "003"))


def test_row_with_a_cell_too_many(tmp_path):
    result = findings(seed("003"), select=["S203"])
    assert codes(result) == ["S203"]
    diag = result.diagnostics[0]
    assert diag.severity.value == "warning" and diag.data["row"] == "r3_7"
    assert line_of(result, diag) == 111
    text = seed("003").read_text(encoding="utf-8").replace(
        "\t(七) 总计\t25\t0\t0\t0\t0\t0\t0\t25", "\t(七) 总计\t25\t0\t0\t0\t0\t0\t25")
    assert codes(findings_for_text(tmp_path, text, select=["S203"])) == []


def test_old_format_report_is_not_held_to_the_six_sections():
    result = findings(seed("001"), select=["S1", "S2"])
    assert _errors(result) == []


@pytest.mark.parametrize("leader", ["", "……{n}", " {n}"])
def test_a_table_of_contents_is_front_matter(tmp_path, leader):
    """目录 listing the six sections (with or without dot leaders and page numbers) before the body."""
    from clihelp import SCAFFOLD

    titles = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
              "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    toc = "目录\n" + "".join(t + leader.format(n=n) + "\n" for n, t in enumerate(titles, 1)) + "\n"
    result = findings_for_text(tmp_path, SCAFFOLD.replace("本报告根据", toc + "本报告根据", 1))
    assert [(d.code, d.message) for d in result.diagnostics] == []
    assert [s.template.no for s in result.report.sections] == ["一", "二", "三", "四", "五", "六"]


def test_a_title_followed_by_a_colon_and_its_text_is_the_mandated_title(tmp_path):
    from clihelp import SCAFFOLD

    text = SCAFFOLD.replace("六、其他需要报告的事项\n本年度未收取信息处理费。", "六、其他需要报告的事项：本年度未收取信息处理费。")
    result = findings_for_text(tmp_path, text)
    assert [(d.code, d.message) for d in result.diagnostics] == []
    six = result.report.section("六")
    assert six.heading.title == "其他需要报告的事项" and six.body_text().startswith("本年度未收取")
