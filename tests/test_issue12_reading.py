"""Issue 12 items 1, 2 and 7: a table that is there is never reported missing,
one cause gives one finding with the right code, and a department's table 2
without a 规章 row is a warning that says why."""

from __future__ import annotations

import re

from clihelp import SCAFFOLD
from conftest import FIXTURES, seed
from helpers import codes, findings_for_text, report_from_text

PINGTAN_2022 = (FIXTURES / "real" / "pingtan-zhsyq-2022.txt").read_text(encoding="utf-8")


def _errors(result, prefix="SC"):
    return [d for d in result.diagnostics if d.code[0] in prefix and d.severity.value == "error"]


def test_prose_before_the_table_in_a_flattened_page(tmp_path):
    """“二、…情况 2022年，未有…情况。 第二十条第（一）项 …”: the table is read, not missing."""
    text = PINGTAN_2022.replace("二、主动公开政府信息情况第二十条", "二、主动公开政府信息情况2022年，未有需要另行说明的情况。第二十条", 1)
    assert text != PINGTAN_2022
    result = findings_for_text(tmp_path, text)
    assert "S201" not in codes(result)
    assert not _errors(result)


def test_table_inside_a_subsection_of_a_flattened_page(tmp_path):
    marker = re.search(r"四、政府信息公开行政法复议、行政诉讼情况\s*", PINGTAN_2022)
    text = PINGTAN_2022[:marker.end()] + "（一）行政复议、行政诉讼情况 " + PINGTAN_2022[marker.end():]
    result = findings_for_text(tmp_path, text)
    assert "S201" not in codes(result)
    assert not _errors(result)


def test_heading_with_yu_does_not_swallow_the_table(tmp_path):
    """四、…行政复议与行政诉讼情况 in a flattened page: section 四 is there with its table
    (no S101, S201 or C105); the wording is a title warning (S104)."""
    text = PINGTAN_2022.replace("行政法复议、行政诉讼情况", "行政法复议与行政诉讼情况", 1)
    result = findings_for_text(tmp_path, text)
    assert not {"S101", "S201", "C105"} & set(codes(result))
    s104 = [d for d in result.diagnostics if d.code == "S104" and d.data["expected"].startswith("四")]
    assert s104 and "与" in s104[0].message


def test_gouji_spelt_with_jin(tmp_path):
    """钩稽 for 勾稽 in table 3's corner note (seed 002): table 3 is read whole."""
    text = seed("002").read_text(encoding="utf-8")
    assert "勾稽" in text
    result = findings_for_text(tmp_path, text.replace("勾稽", "钩稽"))
    assert not [d for d in result.diagnostics if d.code in ("S201", "S202", "S203")]


def test_deviating_title_of_section_five_is_a_title_finding(tmp_path):
    """五 titled "存在的主要问题及明年工作计划" (or in other words altogether) is section 五
    under another title: S104, never S101 or S105."""
    for title in ("存在的主要问题及明年工作计划", "下一步工作打算"):
        text = SCAFFOLD.replace("五、存在的主要问题及改进情况", "五、" + title)
        result = findings_for_text(tmp_path, text)
        assert not {"S101", "S105"} & set(codes(result)), title
        s104 = [d for d in result.diagnostics if d.code == "S104"]
        assert len(s104) == 1 and s104[0].data["found"] == title


def test_deviating_title_in_a_flattened_page(tmp_path):
    text = PINGTAN_2022.replace("五、存在的主要问题及改进情况", "五、存在的主要问题及明年工作计划", 1)
    result = findings_for_text(tmp_path, text)
    assert not {"S101", "S105"} & set(codes(result))
    assert [d.data["found"] for d in result.diagnostics if d.code == "S104"
            and d.data["expected"].startswith("五")] == ["存在的主要问题及明年工作计划"]


def test_missing_section_five_is_reported_once(tmp_path):
    start = SCAFFOLD.index("五、存在的主要问题及改进情况")
    text = SCAFFOLD[:start] + SCAFFOLD[SCAFFOLD.index("六、其他需要报告的事项"):]
    result = findings_for_text(tmp_path, text)
    assert codes(result).count("S101") == 1
    assert "N101" not in codes(result)


def test_a_real_numbering_gap_is_still_n101(tmp_path):
    """Only a gap that is a missing section is left to S101: 六 numbered 七 is N101."""
    text = SCAFFOLD.replace("六、其他需要报告的事项", "七、其他需要报告的事项")
    assert "N101" in codes(findings_for_text(tmp_path, text))


def _without_regulations(agency: str) -> str:
    return SCAFFOLD.replace("规章 0 0 0\n", "").replace("示例市示例局", agency)


def test_department_without_regulations_row_is_a_warning(tmp_path):
    result = findings_for_text(tmp_path, _without_regulations("示例市示例局"))
    s202 = [d for d in result.diagnostics if d.code == "S202"]
    assert len(s202) == 1 and s202[0].severity.value == "warning"
    assert "无权制定规章" in s202[0].message and "示例市示例局" in s202[0].message
    assert s202[0].data["row"] == "regulations" and s202[0].data["body_kind"] == "department"
    # the finding points at the next row's label, as S202 does
    line = result.document.line_col(s202[0].span.start)[0]
    assert result.document.line_text(line).startswith("行政规范性文件")


def test_government_without_regulations_row_is_an_error(tmp_path):
    result = findings_for_text(tmp_path, _without_regulations("示例市人民政府"))
    s202 = [d for d in result.diagnostics if d.code == "S202"]
    assert len(s202) == 1 and s202[0].severity.value == "error"


def test_configured_body_kind_wins(tmp_path):
    result = findings_for_text(tmp_path, _without_regulations("示例市人民政府"), body_kind="department")
    assert [d.severity.value for d in result.diagnostics if d.code == "S202"] == ["warning"]


def test_body_kind_from_the_name():
    from xxgk_lint.linter.facts import infer_body_kind
    from xxgk_lint.linter.templates import load

    vocab = load().raw["rule_data"]
    for name, kind in [("银川市网络信息化局", "department"), ("示例县卫生健康委", "department"),
                       ("某市政务服务中心", "department"), ("某市城市规划设计研究院", "department"),
                       ("某县林业科学研究所", "department"), ("上海市人民政府办公厅", "department"),
                       ("某县人民政府", "government"), ("某镇人民政府", "township"), ("某某镇", "township"),
                       ("某经济开发区管委会", "government"), ("某街道办事处", "township"),
                       ("平潭综合实验区", None), ("", None)]:
        assert infer_body_kind(name, vocab) == kind, name


def test_a_table_really_missing_is_still_an_error(tmp_path):
    start = SCAFFOLD.index("三、收到和处理政府信息公开申请情况\n") + len("三、收到和处理政府信息公开申请情况\n")
    end = SCAFFOLD.index("四、政府信息公开行政复议")
    result = findings_for_text(tmp_path, SCAFFOLD[:start] + "本年度收到申请3件，均已办结。\n\n" + SCAFFOLD[end:])
    assert [d.severity.value for d in result.diagnostics if d.code == "S201"] == ["error"]


def _table2_as_a_sentence() -> str:
    start = SCAFFOLD.index("第二十条第（一）项")
    end = SCAFFOLD.index("三、收到和处理政府信息公开申请情况")
    sentence = ("本年度主动公开情况如下。第二十条第（一）项：规章0件、行政规范性文件0件；第二十条第（五）项：行政许可0件；第二十条第（六）项："
                "行政处罚0件、行政强制0件；第二十条第（八）项：行政事业性收费0万元。\n\n")
    return SCAFFOLD[:start] + sentence + SCAFFOLD[end:]


def test_table_with_its_labels_but_not_read_is_not_missing(tmp_path):
    """Table 2 written as one sentence: its labels are in section 二, so it is not
    missing (no S201); E011 says it could not be read as a table."""
    result = findings_for_text(tmp_path, _table2_as_a_sentence())
    assert "S201" not in codes(result)
    e011 = [d for d in result.diagnostics if d.code == "E011"]
    assert len(e011) == 1 and e011[0].data["table"] == "t2" and e011[0].severity.value == "warning"
    assert "规章" in e011[0].data["labels_found"] and "第二十条第（八）项" in e011[0].data["labels_found"]
    assert result.document.line_text(result.document.line_col(e011[0].span.start)[0]).startswith("二、")


def test_a_few_labels_in_prose_are_no_table(tmp_path):
    """“本年度未发生行政复议、行政诉讼。” names two of table 4's headings: the table is missing (S201)."""
    start = SCAFFOLD.index("行政复议 行政诉讼")
    end = SCAFFOLD.index("五、存在的主要问题及改进情况")
    result = findings_for_text(tmp_path, SCAFFOLD[:start] + "本年度未发生行政复议、行政诉讼。\n\n" + SCAFFOLD[end:])
    assert [d.data["table"] for d in result.diagnostics if d.code == "S201"] == ["t4"]
    assert "E011" not in codes(result)


def test_spaced_list_marker_after_a_value_row(tmp_path):
    """“2. 其他法律…” (a space after the list number, seeds 003/004) right after a row
    ending in 56: the label starts at its own 2, not at the 2 of 52, so the previous
    row keeps its 7 cells and this one its own."""
    text = (FIXTURES / "documents" / "report.txt").read_text(encoding="utf-8")
    spaced = re.sub(r"(?m)(^|\t)([1-8])\.(?=[\u4e00-\u9fff])", r"\1\2. ", text)
    assert spaced != text
    report_plain = report_from_text(tmp_path, text, "plain.txt")
    report_spaced = report_from_text(tmp_path, spaced, "spaced.txt")
    plain = {(r, c): cell.value for r, row in report_plain.tables["t3"].rows.items() for c, cell in row.values.items()}
    assert plain == {(r, c): cell.value for r, row in report_spaced.tables["t3"].rows.items()
                     for c, cell in row.values.items()}
    assert not report_spaced.tables["t3"].problems



