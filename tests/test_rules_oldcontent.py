"""C106 old-required-content and S106 preamble-part-count.

The documents in fixtures/oldcontent/ were written for these tests (see
fixtures/README.md): short 乡镇/街道 reports in the pre-2019 form, one complete
and one with omissions, each also flattened to one line as a crawler saves a
web page, and a 街道 report whose 统计表 carries the fee, 复议 and 诉讼 rows
(as text and as an HTML table)."""

import pathlib

import pytest

from helpers import findings, findings_for_text, line_of

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
OLD = FIXTURES / "oldcontent"
COMPLETE = (OLD / "town-2016-complete.txt").read_text(encoding="utf-8")
OMISSIONS = (OLD / "town-2017-omissions.txt").read_text(encoding="utf-8")
SCAFFOLD = (FIXTURES / "rule-example-scaffold.txt").read_text(encoding="utf-8")


def _c106(result):
    return [d for d in result.diagnostics if d.code == "C106"]


def _parts(result):
    return sorted(d.data["part"] for d in _c106(result))


def _s106(result):
    return [d for d in result.diagnostics if d.code == "S106"]


# -- C106 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["town-2016-complete.txt", "town-2016-complete-flat.txt",
                                  "street-2015-stat-table.txt", "street-2015-stat-table.html"])
def test_reports_covering_every_item_pass(name):
    result = findings(OLD / name, select=("C106", "S106"))
    assert result.report.version == "old"
    assert result.diagnostics == []


@pytest.mark.parametrize("name", ["town-2017-omissions.txt", "town-2017-omissions-flat.txt"])
def test_omitted_items_are_reported_each_once(name):
    result = findings(OLD / name, select=("C106",))
    # no fee statement, no 复议, no 诉讼, and a 下一步工作计划 without any problem;
    # 主动公开, 依申请公开 (受理……申请1件) and the improvements are there
    assert _parts(result) == ["fees", "litigation", "problems", "review"]
    assert all(d.severity.value == "warning" for d in _c106(result))
    by_part = {d.data["part"]: d for d in _c106(result)}
    fees = by_part["fees"]
    assert "第三十二条第（三）项“政府信息公开的收费及减免情况”" in fees.message
    assert "未收取任何费用" in fees.message  # what was searched
    assert "可在“三、依申请公开政府信息情况”部分说明" in fees.message
    problems = by_part["problems"]
    assert "关于存在的主要问题" in problems.message and "“四、下一步工作计划" in problems.message
    assert "关于行政复议" in by_part["review"].message and "关于行政诉讼" in by_part["litigation"].message


def test_findings_point_at_the_heading_that_would_hold_the_item():
    result = findings(OLD / "town-2017-omissions.txt", select=("C106",))
    by_part = {d.data["part"]: d for d in _c106(result)}
    lines = OMISSIONS.splitlines()
    assert lines[line_of(result, by_part["fees"]) - 1] == "三、依申请公开政府信息情况"
    assert lines[line_of(result, by_part["problems"]) - 1] == "四、下一步工作计划"


def test_without_a_fitting_section_the_finding_names_where_the_report_ends(tmp_path):
    text = OMISSIONS.replace("三、依申请公开政府信息情况\n2017年，我镇共受理政府信息公开申请1件，已按时答复。\n\n", "")
    text = text.replace("四、下一步工作计划", "三、下一步工作计划")
    fees = next(d for d in _c106(findings_for_text(tmp_path, text, select=("C106",))) if d.data["part"] == "fees")
    assert "报告共 3 个部分，到“三、下一步工作计划”结束" in fees.message


@pytest.mark.parametrize("statement", [
    "本年度未收取任何费用。", "我镇政府信息公开没有收费。", "无收费及减免情况。", "依申请提供的政府信息均免费提供。",
    "政府信息公开的收费及减免情况：无。", "本年度收取检索、复制费用共计20元。", "依申请公开信息收取的费用 0 万元",
    "政府信息公开收费情况：无。", "办理申请未产生任何费用。", "依申请公开实行零收费。",
])
def test_fee_statements_in_any_section_cover_item_3(tmp_path, statement):
    text = OMISSIONS.replace("已按时答复。", "已按时答复。" + statement)
    assert "fees" not in _parts(findings_for_text(tmp_path, text, select=("C106",)))


@pytest.mark.parametrize("statement", [
    "行政事业性收费信息2条。",  # disclosed fee items, not a fee for disclosure
    "申请人逾期未按收费通知要求缴纳费用的申请0件。",  # the 2021 table-3 wording is no statement on fees charged
])
def test_other_fee_wording_does_not_cover_item_3(tmp_path, statement):
    text = OMISSIONS.replace("已按时答复。", "已按时答复。" + statement)
    assert "fees" in _parts(findings_for_text(tmp_path, text, select=("C106",)))


def test_review_and_litigation_are_looked_for_separately(tmp_path):
    text = OMISSIONS.replace("已按时答复。", "已按时答复，未发生因政府信息公开申请行政复议的情况。")
    assert [p for p in _parts(findings_for_text(tmp_path, text, select=("C106",))) if p in ("review", "litigation")] \
        == ["litigation"]
    text = OMISSIONS.replace("已按时答复。", "已按时答复，未发生因政府信息公开引起的行政复议、行政诉讼。")
    assert not {"review", "litigation"} & set(_parts(findings_for_text(tmp_path, text, select=("C106",))))


def test_no_application_received_covers_item_2(tmp_path):
    text = OMISSIONS.replace("2017年，我镇共受理政府信息公开申请1件，已按时答复。", "2017年，我镇未收到政府信息公开申请。")
    assert "applications" not in _parts(findings_for_text(tmp_path, text, select=("C106",)))
    text = OMISSIONS.replace("三、依申请公开政府信息情况\n2017年，我镇共受理政府信息公开申请1件，已按时答复。\n", "")
    assert "applications" in _parts(findings_for_text(tmp_path, text, select=("C106",)))


def test_a_problems_title_over_a_plan_is_no_statement_of_problems(tmp_path):
    # "存在的主要问题及改进措施" names the topic; the text under it only plans
    text = OMISSIONS.replace("四、下一步工作计划", "四、存在的主要问题及改进措施")
    assert "problems" in _parts(findings_for_text(tmp_path, text, select=("C106",)))
    # nor is the item's name in a preamble listing the parts, or a title on a flattened page
    text = OMISSIONS.replace("本报告所列数据", "本报告由概述、主动公开政府信息情况、依申请公开政府信息情况、"
                             "存在的主要问题及改进措施四个部分组成。本报告所列数据")
    assert "problems" in _parts(findings_for_text(tmp_path, text, select=("C106",)))
    flat = (OLD / "town-2017-omissions-flat.txt").read_text(encoding="utf-8")
    text = flat.replace("四、下一步工作计划", "四、政府信息公开工作存在的主要问题和改进情况")
    assert "problems" in _parts(findings_for_text(tmp_path, text, select=("C106",)))
    # a problem stated anywhere, even in another section, covers it
    text = OMISSIONS.replace("党政办公室具体负责。", "党政办公室具体负责，但工作人员业务能力有待提高。")
    assert "problems" not in _parts(findings_for_text(tmp_path, text, select=("C106",)))
    # a sub-heading may be the statement itself
    text = OMISSIONS.replace("四、下一步工作计划\n", "四、存在的问题和改进措施\n（一）信息更新不够及时\n")
    assert "problems" not in _parts(findings_for_text(tmp_path, text, select=("C106",)))


def test_problems_without_improvements_report_the_missing_half(tmp_path):
    text = OMISSIONS.replace(
        "四、下一步工作计划\n2018年，我镇将继续加强政府信息公开工作，完善信息发布审核机制，加大政策解读力度，拓宽公开渠道。",
        "四、存在的问题\n我镇政府信息公开工作人员业务能力有待提高，信息更新不够及时。")
    result = findings_for_text(tmp_path, text, select=("C106",))
    assert "improvements" in _parts(result) and "problems" not in _parts(result)
    improvements = next(d for d in _c106(result) if d.data["part"] == "improvements")
    assert "第（五）项" in improvements.message and "关于改进措施" in improvements.message
    assert "可在“四、存在的问题”部分说明" in improvements.message


@pytest.mark.parametrize("section", [
    # a mixed title over plans that use no future marker (said "加强学习", not "将加强学习")
    "四、工作存在的主要问题及下步打算\n1、加强学习。进一步提高政府信息公开工作的业务水平。",
    # "将" a few words before the measure
    "四、存在的主要问题及改进情况\n一方面，工作机制还要进一步完善。2018年我们将针对存在的问题，加大信息公开力度。",
])
def test_plans_written_without_the_usual_words_cover_the_improvements(tmp_path, section):
    text = OMISSIONS.replace(
        "四、下一步工作计划\n2018年，我镇将继续加强政府信息公开工作，完善信息发布审核机制，加大政策解读力度，拓宽公开渠道。",
        section)
    assert section.split("\n")[0] in text
    assert "improvements" not in _parts(findings_for_text(tmp_path, text, select=("C106",)))


def test_a_mixed_title_alone_does_not_cover_the_improvements(tmp_path):
    text = OMISSIONS.replace(
        "四、下一步工作计划\n2018年，我镇将继续加强政府信息公开工作，完善信息发布审核机制，加大政策解读力度，拓宽公开渠道。",
        "四、存在的问题及下步打算\n我镇政府信息公开工作人员业务能力有待提高。")
    assert "improvements" in _parts(findings_for_text(tmp_path, text, select=("C106",)))


def test_copies_in_traditional_characters_are_not_checked(tmp_path):
    # a mirror site's conversion: the word lists are simplified, so nothing they miss is missing
    table = str.maketrans("开关与这说对从当应务会机经们体于办报处条议诉费", "開關與這說對從當應務會機經們體於辦報處條議訴費")
    result = findings_for_text(tmp_path, OMISSIONS.translate(table), select=("C106",))
    assert result.report.version == "old" and _c106(result) == []


def test_only_old_format_reports_are_checked():
    # the standard example report (2023, gb2021) states fees in 六; without it C106 still stays silent
    result = findings(FIXTURES / "rule-example-scaffold.txt", select=("C106",))
    assert result.report.version == "gb2021" and _c106(result) == []


def test_fixture_reports_verified_by_reading():
    """C106 on every report in seeds/, real/ and documents/: verified by reading each.

    - seeds/001 (2018, 银川市大数据产业发展服务中心, old): 依申请 in 七, 复议/诉讼 in 七 ("没有……申请行政复议
      ……未发生……提起行政诉讼") and the 统计表, fees in the 统计表 row "七、依申请公开信息收取的费用 万元 0",
      problems in 十、存在的问题, plans in 十一: nothing missing, nothing reported.
    - real/pingtan-zhsyq-2017 and -2018 (平潭综合实验区, old, one-line web pages): 主动公开 (二), 依申请
      ("未收到有关政府信息公开申请"), 复议/诉讼 (四), problems and measures (五, "还存在一些不足") are there;
      the fee item is really missing: the only 收费 words are "行政事业性收费信息2条/3条" (disclosed
      items) and "免费自助复印" (a service hall), and their local 统计表 has no fee row.  One C106 each.
    - every other fixture is on the 2019 or 2021 format: not checked.
    """
    expected = {"pingtan-zhsyq-2017.txt": ["fees"], "pingtan-zhsyq-2018.txt": ["fees"]}
    paths = sorted([*(FIXTURES / "seeds").iterdir(), *(FIXTURES / "real").iterdir(),
                    *(FIXTURES / "documents").iterdir()])
    for path in paths:
        if path.suffix not in (".txt", ".html", ".docx", ".pdf", ".odt", ".doc", ".ofd") or "garbled" in path.name:
            continue
        result = findings(path, select=("C106", "S106"))
        assert _parts(result) == expected.get(path.name, []), path.name
        # S106: the five seeds state no count, or six with six sections (seed 002); 平潭 2017/2018 say
        # 六个部分 (统计表 numbered 六) and have 一…六; 2019-2025 say 六/6 with six sections
        assert _s106(result) == [], path.name


# -- S106 ------------------------------------------------------------------------------------

def test_preamble_count_differs_from_the_numbered_sections(tmp_path):
    text = COMPLETE.replace("等六个部分组成", "等五个部分组成")
    result = findings_for_text(tmp_path, text, select=("S106",))
    [diag] = _s106(result)
    assert diag.severity.value == "warning"
    assert diag.data == {"stated": 5, "found": 6, "last_section": "六、存在的主要问题及改进措施"}
    assert "报告开头说全文共 5 个部分" in diag.message and "正文却有 6 个部分" in diag.message
    assert text[diag.span.start:diag.span.end] == "五"


@pytest.mark.parametrize("old, new", [
    ("等六个部分组成", "等6部分组成"),           # Arabic digits
    ("等六个部分组成", "六大部分组成"),           # no 等/共 right before the number
])
def test_other_wordings_of_a_right_count_pass(tmp_path, old, new):
    assert _s106(findings_for_text(tmp_path, COMPLETE.replace(old, new), select=("S106",))) == []


def test_other_wordings_of_a_wrong_count_are_read(tmp_path):
    text = COMPLETE.replace("由概述、主动公开政府信息情况", "全文包括概述、主动公开政府信息情况").replace(
        "等六个部分组成", "七个部分")
    [diag] = _s106(findings_for_text(tmp_path, text, select=("S106",)))
    assert diag.data["stated"] == 7


def test_a_table_part_may_stand_unnumbered(tmp_path):
    # "……四个部分及统计表" and four numbered sections: the street report passes (test above);
    # "五个部分" counting the 统计表 that follows the last section unnumbered passes too
    text = (OLD / "street-2015-stat-table.txt").read_text(encoding="utf-8").replace(
        "四个部分及政府信息公开情况统计表组成", "以及政府信息公开情况统计表共五个部分组成")
    assert _s106(findings_for_text(tmp_path, text, select=("S106",))) == []


def test_uncertain_numbering_is_not_compared(tmp_path):
    # a gap in the numbering (N101's finding): the body count is not certain
    text = COMPLETE.replace("等六个部分组成", "等五个部分组成").replace("六、存在的主要问题", "七、存在的主要问题")
    assert _s106(findings_for_text(tmp_path, text, select=("S106",))) == []
    # "第二部分" is no count of parts
    text = COMPLETE.replace("等六个部分组成。", "等部分组成，第二部分列出主动公开情况。")
    assert _s106(findings_for_text(tmp_path, text, select=("S106",))) == []


def test_sections_numbered_within_parts_are_not_compared(tmp_path):
    text = COMPLETE.replace("等六个部分组成", "等两大部分组成").replace("一、概述", "第一部分 工作情况\n一、概述")
    assert _s106(findings_for_text(tmp_path, text, select=("S106",))) == []
    text = COMPLETE.replace("等六个部分组成", "等两大部分组成")
    assert _s106(findings_for_text(tmp_path, text, select=("S106",)))[0].data["stated"] == 2


def test_a_template_count_on_the_2021_format_is_left_to_the_section_rules(tmp_path):
    base = SCAFFOLD.replace("编制。", "编制，由总体情况等六个部分组成。", 1)
    # a missing section: S101 reports it; S106 does not report the same cause again
    text = base.replace("五、存在的主要问题及改进情况\n", "").replace("六、其他需要报告的事项", "五、其他需要报告的事项")
    result = findings_for_text(tmp_path, text, select=("S106", "S101"))
    assert "S101" in [d.code for d in result.diagnostics] and _s106(result) == []
    # a count that is not the template's is the preamble's own error
    [diag] = _s106(findings_for_text(tmp_path, base.replace("六个部分", "七个部分"), select=("S106",)))
    assert diag.data == {"stated": 7, "found": 6, "last_section": "六、其他需要报告的事项"}


def test_stat_table_in_a_word_document_covers_fees_and_review(tmp_path):
    # the street report as .docx: prose paragraphs, the 统计表 as a Word table
    import docx

    text = (OLD / "street-2015-stat-table.txt").read_text(encoding="utf-8")
    document = docx.Document()
    rows = [ln.split("\t") for ln in text.splitlines() if "\t" in ln]
    for line in text.splitlines():
        if line.strip() and "\t" not in line:
            document.add_paragraph(line)
        if line.startswith("西湖街道办事处2015年度政府信息公开情况统计表"):
            table = document.add_table(rows=len(rows), cols=3)
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
    path = tmp_path / "street.docx"
    document.save(path)
    result = findings(path, select=("C106", "S106"))
    assert result.report.version == "old" and result.diagnostics == []
    # without the table's fee row the fee item is missing
    document.tables[0]._tbl.remove(document.tables[0].rows[-1]._tr)
    document.save(path)
    assert _parts(findings(path, select=("C106",))) == ["fees"]
