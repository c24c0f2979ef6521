"""P rules: statistics period, report year, publication deadline -- each on a
passing and a failing document, the issue's mutations on seed 003, and no
P error on the fixtures."""

import copy

import pytest

from conftest import PINGTAN, SEEDS, seed
from helpers import findings, findings_for_text, line_of
from xxgk_lint.linter.templates import build, load
from xxgk_lint.rules import periods
from xxgk_lint.linter.facts import infer_body_kind

REAL = PINGTAN + [p for p in (PINGTAN[0].parent).glob("*.html")]

BASE = """银川市某某局{title_year}年政府信息公开工作年度报告

本报告中数据的统计期限自{start}起至{end}止。现公布银川市某某局{self_year}年政府信息公开工作年度报告。

一、总体情况

{opening}年，我局坚持主动公开，做好依申请公开。

二、主动公开政府信息情况

{para2}

三、收到和处理政府信息公开申请情况

见下表。

四、政府信息公开行政复议、行政诉讼情况

见下表。

五、存在的主要问题及改进情况

存在的问题是公开形式不够丰富。下一步将加强培训。

六、其他需要报告的事项

本年度未收取信息处理费。

{signature}
"""


def text(**kw):
    values = dict(title_year=2022, start="2022年1月1日", end="2022年12月31日", self_year=2022, opening=2022,
                  para2="全年主动公开信息20条。", signature="2023年1月20日")
    values.update(kw)
    return BASE.format(**values)


def run(tmp_path, body, select="P"):
    result = findings_for_text(tmp_path, body, select=[select])
    return result, [d for d in result.diagnostics if d.code.startswith("P")]


def test_right_report_has_no_p_finding(tmp_path):
    _, found = run(tmp_path, text())
    assert found == []


@pytest.mark.parametrize("start,end,problem", [
    ("2021年1月1日", "2022年12月31日", "跨两个年度"),
    ("2022年1月1日", "2022年12月30日", "截止日不是12月31日"),
    ("2022年2月1日", "2022年12月31日", "起始日不是1月1日"),
    ("2021年1月1日", "2021年12月31日", "写的是2021年而不是报告年度2022年"),
])
def test_wrong_period_is_an_error(tmp_path, start, end, problem):
    result, found = run(tmp_path, text(start=start, end=end))
    p101 = [d for d in found if d.code == "P101"]
    assert len(p101) == 1
    d = p101[0]
    assert d.severity.value == "error"
    assert line_of(result, d) == 3
    assert problem in d.data["problems"]
    assert d.data["expected"] == {"start": "2022-01-01", "end": "2022-12-31"}


def test_impossible_date_in_period(tmp_path):
    result, found = run(tmp_path, text(end="2022年2月30日"))
    assert [(d.code, d.data["problem"]) for d in found if d.code == "P101"] == [("P101", "invalid-date")]


def test_absurd_period_year_is_never_the_report_year(tmp_path):
    # no year in the title: the year would come from the period, and 9999 + 1 is no date
    body = text(start="9999年1月1日", end="9999年12月31日").replace("某某局2022年政府", "某某局政府")
    result = findings_for_text(tmp_path, body, select=["ALL"])
    assert "E009" not in [d.code for d in result.diagnostics]
    assert result.report.report_year == 2022  # the year most often named in the text
    # with the year in the title, the period is reported as it is written
    result, found = run(tmp_path, text(start="9999年1月1日", end="9999年12月31日"))
    assert [(d.code, d.data["found"]["start"]) for d in found] == [("P101", "9999-01-01")]


def test_missing_period_is_a_warning(tmp_path):
    body = text().replace("本报告中数据的统计期限自2022年1月1日起至2022年12月31日止。", "")
    result, found = run(tmp_path, body)
    assert [(d.code, d.severity.value, line_of(result, d)) for d in found] == [("P102", "warning", 1)]
    assert found[0].data["expected_year"] == 2022


def test_preamble_naming_last_year_is_an_error(tmp_path):
    result, found = run(tmp_path, text(self_year=2021))
    p103 = [d for d in found if d.code == "P103"]
    assert len(p103) == 1 and line_of(result, p103[0]) == 3
    assert p103[0].data == {"expected": 2022, "found": 2021, "where": "前言", "text": p103[0].data["text"]}


def test_cited_document_title_is_not_a_year_statement(tmp_path):
    body = text().replace("本报告中数据", "根据《关于做好2021年政府信息公开工作年度报告的通知》，本报告中数据")
    _, found = run(tmp_path, body)
    assert found == []


@pytest.mark.parametrize("sentence", [
    "针对2021年度政府信息公开工作年度报告中指出的问题，我局已整改。",
    "我局对照2021年政府信息公开工作年度报告查找不足，编制本报告。",
    "根据上一年度2021年政府信息公开工作年度报告的反馈意见，本报告作了改进。",
])
def test_preamble_naming_last_years_report_is_not_a_year_statement(tmp_path, sentence):
    _, found = run(tmp_path, text().replace("现公布", sentence + "现公布"))
    assert found == []


def test_preamble_still_checked_next_to_a_mention_of_last_years_report(tmp_path):
    body = text(self_year=2021).replace("现公布", "针对2021年度政府信息公开工作年度报告中指出的问题，我局已整改。现公布")
    result, found = run(tmp_path, body)
    assert [(d.code, d.data["found"], line_of(result, d)) for d in found] == [("P103", 2021, 3)]
    assert found[0].data["text"].startswith("2021年政府信息公开")


def test_overview_opening_with_last_year_is_an_error(tmp_path):
    result, found = run(tmp_path, text(opening=2021))
    p103 = [d for d in found if d.code == "P103"]
    assert [(line_of(result, d), d.data["where"], d.data["found"]) for d in p103] == [(7, "总体情况开头", 2021)]


def test_overview_since_last_year_is_not_flagged(tmp_path):
    body = text().replace("2022年，我局坚持", "2021年以来，我局坚持")
    _, found = run(tmp_path, body)
    assert found == []


def test_paragraph_opening_with_last_year_is_a_warning(tmp_path):
    result, found = run(tmp_path, text(para2="2021年，我局主动公开信息20条。"))
    assert [(d.code, d.severity.value, line_of(result, d), d.data["found"]) for d in found] == [
        ("P104", "warning", 11, 2021)]


def test_old_statistics_table_caption_year(tmp_path):
    body = text(para2="银川市某某局2021年度政府信息公开情况统计表")
    result, found = run(tmp_path, body)
    p103 = [d for d in found if d.code == "P103"]
    assert [(line_of(result, d), d.data["where"]) for d in p103] == [(11, "统计表表头")]


def test_signature_after_deadline_for_a_department(tmp_path):
    result, found = run(tmp_path, text(signature="2023年3月5日"))
    assert [(d.code, d.severity.value, line_of(result, d)) for d in found] == [("P201", "error", 29)]
    assert found[0].data["deadline"] == "2023-01-31" and found[0].data["body_kind"] == "department"


def test_government_has_until_march(tmp_path):
    body = text(signature="2023年3月5日").replace("银川市某某局", "银川市兴庆区人民政府")
    _, found = run(tmp_path, body)
    assert found == []
    body = text(signature="2023年4月1日").replace("银川市某某局", "银川市兴庆区人民政府")
    _, found = run(tmp_path, body)
    assert [(d.code, d.data["deadline"]) for d in found] == [("P201", "2023-03-31")]


def test_configured_body_kind_wins(tmp_path):
    body = text(signature="2023年3月5日").replace("银川市某某局", "某某开发区")
    result, found = run(tmp_path, body)
    assert [(d.code, d.severity.value) for d in found] == [("P201", "info")]
    assert result.report.body_kind is None and result.report.inferred_body_kind.value is None
    result = findings_for_text(tmp_path, body, select=["P"], body_kind="department")
    assert [(d.code, d.severity.value) for d in result.diagnostics] == [("P201", "error")]
    assert (result.report.body_kind, result.report.body_kind_source) == ("department", "config")


def test_township_follows_the_local_government_deadline(tmp_path):
    body = text(signature="2023年3月5日").replace("银川市某某局", "某某镇人民政府")
    result, found = run(tmp_path, body)
    assert found == [] and result.report.body_kind == "township"
    (d,) = run(tmp_path, body.replace("2023年3月5日", "2023年4月1日"))[1]
    assert (d.code, d.severity.value, d.data["deadline"], d.data["body_kind"]) == ("P201", "error", "2023-03-31",
                                                                                  "township")
    assert "乡镇人民政府、街道办事处" in d.message


def _with_law(report, edit):
    """The report checked against template data whose law the test edits."""
    raw = copy.deepcopy(load().raw)
    edit(raw["law"]["regulation_2019"]["art_49"]["deadlines"])
    report.templates = build(raw)
    return list(periods.published_late(report))


def test_deadline_per_kind_of_body_is_data(tmp_path):
    """The deadline of each kind of body is the law data's, not a choice made in code."""
    result, found = run(tmp_path, text(signature="2023年2月20日"))
    assert [(d.code, d.data["deadline"]) for d in found] == [("P201", "2023-01-31")]

    def later(deadlines):
        deadlines[0]["deadline"] = "02-28"
    assert _with_law(result.report, later) == []

    # townships made to follow the departments' deadline (listed first, as before, and second)
    township = run(tmp_path, text(signature="2023年2月20日").replace("银川市某某局", "某某镇人民政府"))[0].report
    for order in (0, 1):
        def follow_departments(deadlines, order=order):
            deadlines[1]["followed_by"] = []
            deadlines[0]["followed_by"] = ["township"]
            if order:
                deadlines.reverse()
        (d,) = _with_law(township, follow_departments)
        assert d.data["deadline"] == "2023-01-31"
        assert "乡镇人民政府、街道办事处按县级以上人民政府部门的期限，1月31日前" in d.message

    # a kind of body no deadline names is not checked (an info finding says so)
    def no_township(deadlines):
        deadlines[1]["followed_by"] = []
    (d,) = _with_law(township, no_township)
    assert d.severity.value == "info"


def test_signature_date_is_checked_when_the_page_gives_a_publication_date(tmp_path):
    """落款 2022年1月20日 under a 2022 report on a page published 2023年1月20日: the signature is wrong."""
    body = "发布时间：2023-01-20\n" + text(signature="2022年1月20日")
    result, found = run(tmp_path, body)
    assert result.report.publication_date.source == "meta"
    assert result.report.signature_date.value.isoformat() == "2022-01-20"
    assert [(d.code, d.severity.value, d.data["source"], line_of(result, d)) for d in found] == [
        ("P202", "error", "body", 30)]
    assert "2022年1月20日" in found[0].message
    # both right: nothing
    _, found = run(tmp_path, "发布时间：2023-01-20\n" + text(signature="2023年1月18日"))
    assert found == []
    # the signature in time, the page late: a warning on the page's date
    result, found = run(tmp_path, "发布时间：2023-02-20\n" + text(signature="2023年1月18日"))
    assert [(d.code, d.severity.value, d.data["source"], line_of(result, d)) for d in found] == [
        ("P201", "warning", "meta", 1)]
    # the signature late, the page in time: the signature is the error
    _, found = run(tmp_path, "发布时间：2023-01-20\n" + text(signature="2023年2月18日"))
    assert [(d.code, d.severity.value, d.data["source"]) for d in found] == [("P201", "error", "body")]


@pytest.mark.parametrize("signature,found", [("2022年12月31日", ["P202"]), ("2023年1月1日", [])])
def test_signature_on_the_last_day_of_the_report_year(tmp_path, signature, found):
    _, diags = run(tmp_path, text(signature=signature))
    assert [d.code for d in diags] == found


def test_signature_before_a_period_that_ends_later(tmp_path):
    """A period stated to 2023年1月31日 (P101) and a signature on 2023年1月20日: before the period ends."""
    _, found = run(tmp_path, text(end="2023年1月31日", signature="2023年1月20日"))
    p202 = [d for d in found if d.code == "P202"]
    assert len(p202) == 1 and "统计期限截止日2023年1月31日" in p202[0].message
    assert {d.code for d in found} == {"P101", "P202"}


def test_pre_2019_reports_follow_the_2008_deadline(tmp_path):
    body = text(title_year=2018, start="2018年1月1日", end="2018年12月31日", self_year=2018, opening=2018,
                signature="2019年3月20日")
    _, found = run(tmp_path, body)
    assert found == []
    body = body.replace("2019年3月20日", "2019年4月2日")
    _, found = run(tmp_path, body)
    assert [(d.code, d.data["deadline"]) for d in found] == [("P201", "2019-03-31")]


def test_signature_in_the_report_year(tmp_path):
    result, found = run(tmp_path, text(signature="2022年1月20日"))
    assert [(d.code, d.severity.value, line_of(result, d)) for d in found] == [("P202", "error", 29)]


@pytest.mark.parametrize("name,kind", [
    ("银川市网络信息化局", "department"), ("银川市人民政府办公室", "department"),
    ("银川市智慧城市管理指挥中心", "department"), ("银川市兴庆区人民政府", "government"),
    ("银川市兴庆区", "government"), ("2019年上海市人民政府办公厅", "department"),
    # issue 12 item 6: 乡/镇/街道办事处 and 管委会 are local governments; 所/院 are departments
    ("某某镇人民政府", "township"), ("某某街道办事处", "township"), ("平潭综合实验区", None), ("某某乡", "township"),
    ("平潭综合实验区管委会", "government"), ("某某经济开发区管理委员会", "government"), ("某某市测绘院", "department"),
    ("某某县农业科学研究所", "department"), ("某某开发区财政局", "department"), ("某某街道办", "township"),
    ("某某市发展和改革委员会", "department"), ("某某", None),
])
def test_body_kind_from_name(name, kind):
    assert infer_body_kind(name, load().raw["rule_data"]) == kind


# -- the mutations on a real report ------------------------------------------------

def _mutate(tmp_path, old, new):
    source = seed("003").read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / "mutated.txt"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return findings(path, select=["P"])


def test_mutation_period_start_year(tmp_path):
    result = _mutate(tmp_path, "统计期限为2020年1月1日", "统计期限为2019年1月1日")
    p101 = [d for d in result.diagnostics if d.code == "P101"]
    assert len(p101) == 1 and line_of(result, p101[0]) == 129
    assert p101[0].data["found"] == {"start": "2019-01-01", "end": "2020-12-31"}


def test_mutation_period_end_day(tmp_path):
    result = _mutate(tmp_path, "至2020年12月31日", "至2020年12月30日")
    p101 = [d for d in result.diagnostics if d.code == "P101"]
    assert len(p101) == 1 and line_of(result, p101[0]) == 129
    assert p101[0].data["problems"] == ["截止日不是12月31日"]


def test_mutation_title_year(tmp_path):
    result = _mutate(tmp_path, "兴庆区 2020 年政府信息公开", "兴庆区 2021 年政府信息公开")
    found = {(d.code, line_of(result, d)) for d in result.diagnostics if d.severity.value == "error"}
    assert ("P101", 129) in found  # the period (2020) no longer matches the title (2021)
    assert ("P103", 11) in found  # "2020年，兴庆区……" opens 一、总体情况


# -- fixtures --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", SEEDS + REAL, ids=lambda p: p.stem)
def test_no_p_finding_above_info_on_fixtures(path):
    result = findings(path, select=["P"])
    assert [d.message for d in result.diagnostics if d.severity.value != "info"] == []


@pytest.mark.parametrize("statement", [
    "所列统计数据时间范围为2023年1月1日至2023年12月31日。",
    "本报告所列数据统计期限为2023年1月1日至12月31日。",
    "所列数据统计期限自2023年1月1日起到2023年12月31日止。",
    "本报告所列数据统计时限为2023年1月至12月。",
    "本报告所列数据的统计期限为2023年度。",
])
def test_the_ways_reports_state_the_whole_year(tmp_path, statement):
    from clihelp import SCAFFOLD

    text = SCAFFOLD.replace("报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。", statement)
    result = findings_for_text(tmp_path, text, select=["P"])
    assert result.diagnostics == []
    period = result.report.period
    assert (period.start.isoformat(), period.end.isoformat()) == ("2023-01-01", "2023-12-31")


def test_a_period_given_by_months_ends_on_the_last_day_of_the_month(tmp_path):
    from clihelp import SCAFFOLD

    text = SCAFFOLD.replace("报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。", "统计期限为2023年1月至11月。")
    result = findings_for_text(tmp_path, text, select=["P101"])
    assert result.report.period.end.isoformat() == "2023-11-30"
    assert [d.code for d in result.diagnostics] == ["P101"]


def test_agency_from_a_title_with_guanyu_and_from_the_signature(tmp_path):
    from clihelp import SCAFFOLD

    title = "示例市示例局2023年政府信息公开工作年度报告"
    report = findings_for_text(tmp_path, SCAFFOLD.replace(title, "示例市示例局关于2023年政府信息公开工作的年度报告")).report
    assert report.agency.value == "示例市示例局"
    # a title without the body's name: the signature above the date names it
    result = findings_for_text(tmp_path, SCAFFOLD.replace(title, "2023年政府信息公开工作年度报告"))
    assert (result.report.agency.value, result.report.agency.source) == ("示例市示例局", "signature")
    assert result.diagnostics == []


def test_deadline_note_when_no_agency_is_named(tmp_path):
    from clihelp import SCAFFOLD

    text = SCAFFOLD.replace("示例市示例局2023年政府信息公开工作年度报告", "2023年政府信息公开工作年度报告")
    text = text.replace("示例市示例局\n2024年1月20日", "\n2024年1月20日")
    (d,) = findings_for_text(tmp_path, text, select=["P201"]).diagnostics
    assert d.severity.value == "info" and "没有识别出机关名称" in d.message and "“”" not in d.message


def test_the_words_of_a_report_naming_itself_are_data(tmp_path):
    """P103 counts a year in a sentence naming the report by the cue words of
    rule_data.report_year_statements; a cue added in the data is read."""
    body = text().replace("现公布银川市某某局2022年", "兹将银川市某某局2021年")
    result, found = run(tmp_path, body)
    assert [d.code for d in found] == []
    raw = copy.deepcopy(load().raw)
    raw["rule_data"]["report_year_statements"]["self_cues"].append("兹将")
    result.report.templates = build(raw)
    (d,) = periods.year_mismatch(result.report)
    assert (d.data["found"], d.data["where"]) == (2021, "前言")
