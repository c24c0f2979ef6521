"""P rules: statistics period, report year, publication deadline -- what the
report model reads, and no P error on the fixtures.  The passing and failing
edits of a report (and the issue's mutations on seed 003) are rule cases:
tests/rule_cases/P1xx.yml, P2xx.yml."""

import copy

import pytest

from conftest import PINGTAN, SEEDS
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


def test_absurd_period_year_is_never_the_report_year(tmp_path):
    # no year in the title: the year would come from the period, and 9999 + 1 is no date
    body = text(start="9999年1月1日", end="9999年12月31日").replace("某某局2022年政府", "某某局政府")
    result = findings_for_text(tmp_path, body, select=["ALL"])
    assert "E009" not in [d.code for d in result.diagnostics]
    assert result.report.report_year == 2022  # the year most often named in the text
    # with the year in the title, the period is reported as it is written
    result, found = run(tmp_path, text(start="9999年1月1日", end="9999年12月31日"))
    assert [(d.code, d.data["found"]["start"]) for d in found] == [("P101", "9999-01-01")]


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
