"""C rules: required content -- each on a passing and a failing document, and
no finding on the fixtures (seed 000's 2020 section 六 "无" is allowed)."""

import pytest

from conftest import PINGTAN, SEEDS, seed
from helpers import findings, findings_for_text, line_of

REAL = PINGTAN + list(PINGTAN[0].parent.glob("*.html"))

BASE = """银川市某某局{year}年政府信息公开工作年度报告

本报告中数据的统计期限自{year}年1月1日起至{year}年12月31日止。

一、总体情况

{overview}

二、主动公开政府信息情况

见下表。

三、收到和处理政府信息公开申请情况

{sec3}

四、政府信息公开行政复议、行政诉讼情况

见下表。

五、存在的主要问题及改进情况

{sec5}

六、其他需要报告的事项

{sec6}
"""

OVERVIEW = "我局坚持主动公开，规范依申请公开，加强政府信息管理，推进平台建设，强化监督保障。"


def text(**kw):
    values = dict(year=2022, overview=OVERVIEW, sec3="全年收到申请2件。",
                  sec5="存在的问题是公开形式不够丰富。下一步，我局将加强培训。", sec6="本年度未收取信息处理费。")
    values.update(kw)
    return BASE.format(**values)


def run(tmp_path, body):
    result = findings_for_text(tmp_path, body, select=["C"])
    return result, result.diagnostics


def test_complete_report_has_no_c_finding(tmp_path):
    _, found = run(tmp_path, text())
    assert found == []


@pytest.mark.parametrize("sec5", ["无。", "暂无", "无相关情况。"])
def test_section_five_nothing_is_an_error(tmp_path, sec5):
    result, found = run(tmp_path, text(sec5=sec5))
    assert [(d.code, d.severity.value, line_of(result, d)) for d in found] == [("C101", "error", 21)]
    assert found[0].data["missing"] == ["problems", "improvements"]


def test_section_five_without_improvements_is_a_warning(tmp_path):
    result, found = run(tmp_path, text(sec5="公开形式单一，信息更新不及时。"))
    assert [(d.code, d.severity.value, d.data["missing"]) for d in found] == [("C101", "warning", ["improvements"])]


def test_fee_statement_missing_in_2021_format(tmp_path):
    result, found = run(tmp_path, text(sec6="无。"))
    assert [(d.code, d.severity.value, line_of(result, d)) for d in found] == [("C102", "warning", 25)]
    assert found[0].data["mentioned_at_line"] is None


def test_fee_statement_elsewhere_points_there(tmp_path):
    result, found = run(tmp_path, text(sec3="全年收到申请2件，未收取信息处理费。", sec6="无。"))
    assert [(d.code, d.data["mentioned_at_line"]) for d in found] == [("C102", 15)]


def test_section_six_nothing_is_allowed_in_2019_format(tmp_path):
    _, found = run(tmp_path, text(year=2020, sec6="无。"))
    assert found == []


def test_fee_amount_contradicts_no_fee_statement(tmp_path):
    result, found = run(tmp_path, text(sec3="全年收到申请2件，依法收取信息处理费300元。"))
    assert [(d.code, d.severity.value, line_of(result, d)) for d in found] == [("C103", "error", 15)]
    d = found[0]
    assert d.data["amount"] == "300" and d.data["unit"] == "元" and d.data["statement_line"] == 27
    assert result.document.text[d.span.start:d.span.end].startswith("300")


def test_fee_amount_without_no_fee_statement_is_fine(tmp_path):
    _, found = run(tmp_path, text(sec6="本年度收取信息处理费300元。"))
    assert found == []


@pytest.mark.parametrize("sec6", [
    "本年度未收取信息处理费，依法减免信息处理费共计300元。",  # waived, not charged
    "本年度未收取信息处理费，信息处理费标准为每件100元。",  # a tariff
    "本年度未收取信息处理费。信息处理费按件计收100元。",
])
def test_waived_fees_and_tariffs_do_not_contradict_no_fee(tmp_path, sec6):
    _, found = run(tmp_path, text(sec6=sec6))
    assert found == []


@pytest.mark.parametrize("charged", ["收取信息处理费300元", "申请人缴纳信息处理费300元"])
def test_fee_charged_still_contradicts_no_fee(tmp_path, charged):
    _, found = run(tmp_path, text(sec3=f"全年收到申请2件，{charged}。"))
    assert [d.code for d in found] == ["C103"]


def test_overview_topics_missing(tmp_path):
    result, found = run(tmp_path, text(overview="我局坚持主动公开，推进网站建设。"))
    assert [(d.code, d.severity.value, line_of(result, d)) for d in found] == [("C104", "warning", 5)]
    assert found[0].data["missing"] == ["依申请公开", "政府信息管理", "监督保障"]


def test_overview_synonyms_are_accepted(tmp_path):
    overview = "做好主动公开和依申请公开；严格保密审查；优化政务新媒体；加强考核和培训。"
    _, found = run(tmp_path, text(overview=overview))
    assert found == []


def test_empty_mandated_section(tmp_path):
    body = text().replace("五、存在的主要问题及改进情况\n\n存在的问题是公开形式不够丰富。下一步，我局将加强培训。\n\n",
                          "五、存在的主要问题及改进情况\n\n")
    result, found = run(tmp_path, body)
    assert [(d.code, d.severity.value, line_of(result, d), d.data["section"]) for d in found] == [
        ("C105", "error", 21, "五")]


def test_content_on_the_heading_line_is_not_empty(tmp_path):
    body = text(year=2020).replace("六、其他需要报告的事项\n\n本年度未收取信息处理费。", "六、其他需要报告的事项：无")
    _, found = run(tmp_path, body)
    assert found == []


@pytest.mark.parametrize("path", SEEDS + REAL, ids=lambda p: p.stem)
def test_no_c_finding_on_fixtures(path):
    result = findings(path, select=["C"])
    # C106 finds a real omission in 平潭 2017/2018 (no fee statement): verified in test_rules_oldcontent.py
    assert [d.message for d in result.diagnostics if d.code != "C106"] == []


def test_seed_000_section_six_nothing_is_not_a_violation():
    text_ = seed("000").read_text(encoding="utf-8")
    assert "六、其他需要报告的事项" in text_
    assert findings(seed("000"), select=["C102", "C105"]).diagnostics == []
