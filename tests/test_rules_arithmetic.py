"""A rules: table identities, value domains, blanks, prose against tables and itself.

Real defects (seed 003, 平潭 2020), reports whose tables balance, one passing and
one failing document per rule, and hypothesis properties over generated
gb2019/gb2021 reports laid out like seed 003 (tab-separated rows)."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PINGTAN, SEEDS, seed
from helpers import findings, findings_for_text, line_of, report_from_text
from xxgk_lint.linter.templates import load
from xxgk_lint.rules import arithmetic, domains, prose

T3_HEAD = [
    "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t总计",
    "\t\t自然人\t法人或其他组织\t\t\t\t\t",
    "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
]
T4_HEAD = [
    "行政复议\t\t\t\t\t行政诉讼",
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
    "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
]
T4_COLS = [c.id for c in load().versions["gb2021"].tables["t4"].blocks[0].columns]
T3_COLS = [c.id for c in load().versions["gb2021"].tables["t3"].blocks[0].columns]


def t3_rows(version):
    return load().versions[version].tables["t3"].rows


def build(version, t3, t4, prose="本机关认真落实政府信息公开条例。", year=None, extra_t3=None):
    """A whole report: t3 as {row id: 7 values}, t4 as 15 values; header rows printed bare
    (or with ``extra_t3[row id]`` values, a subtotal)."""
    year = year or (2020 if version == "gb2019" else 2022)
    lines = [f"# 测试机关{year}年政府信息公开工作年度报告", "",
             f"本报告统计期限为{year}年1月1日至{year}年12月31日。", "",
             "## 一、总体情况", "", prose, "",
             "## 二、主动公开政府信息情况", "", "本年主动公开政府信息若干条。", "",
             "## 三、收到和处理政府信息公开申请情况", "", *T3_HEAD]
    for row in t3_rows(version):
        values = t3.get(row.id) if row.kind == "data" else (extra_t3 or {}).get(row.id)
        lines.append("\t".join([row.label, *[str(v) for v in values]]) if values is not None else row.label)
    lines += ["", "## 四、政府信息公开行政复议、行政诉讼情况", "", *T4_HEAD, "\t".join(str(v) for v in t4), "",
              "## 五、存在的主要问题及改进情况", "", "公开工作还有不足。", "",
              "## 六、其他需要报告的事项", "", "无。", ""]
    return "\n".join(lines)


def leaves(version):
    return [r.id for r in t3_rows(version) if r.kind == "data" and r.id.startswith("r3_") and r.id != "r3_7"]


def consistent(version, draw_int):
    """t3 and t4 values that satisfy every identity; ``draw_int(lo, hi)`` supplies numbers."""
    t3 = {}
    for rid in leaves(version):
        t3[rid] = [draw_int(0, 3) for _ in range(6)]
    t3["r3_7"] = [sum(t3[r][k] for r in leaves(version)) for k in range(6)]
    t3["r4"] = [draw_int(0, 3) for _ in range(6)]
    t3["r2"] = [draw_int(0, t3["r3_7"][k] + t3["r4"][k]) for k in range(6)]
    t3["r1"] = [t3["r3_7"][k] + t3["r4"][k] - t3["r2"][k] for k in range(6)]
    for rid in t3:
        t3[rid] = t3[rid] + [sum(t3[rid])]
    t4 = []
    for _ in range(3):
        parts = [draw_int(0, 4) for _ in range(4)]
        t4 += parts + [sum(parts)]
    return t3, t4


def a_errors(result):
    return [d for d in result.diagnostics if d.code.startswith("A") and d.severity.value == "error"]


def by_code(result, code):
    return [d for d in result.diagnostics if d.code == code]


def cells_of(diag):
    return {(c["row"], c["column"]) for c in diag.data.get("cells", [])}


# -- real reports ------------------------------------------------------------------------------

def test_seed_003_total_25_vs_24_and_balance_in_one_finding():
    result = findings(seed("003"), select=["A"])
    errors = a_errors(result)
    assert len(errors) == 1, [d.message for d in errors]
    diag = errors[0]
    assert diag.code == "A102"
    assert line_of(result, diag) == 111  # the （七）总计 row
    assert set(diag.data["identities"]) == {"t3.balance", "t3.results-total"}
    suspects = {(s["row"], s["column"]): s for s in diag.data["suspects"]}
    assert set(suspects) == {("r3_7", "c_natural"), ("r3_7", "c_total")}
    assert all(s["value"] == "25" and s["consistent_value"] == "24" for s in suspects.values())
    checks = {(c["identity"], c["axis"]): c for c in diag.data["checks"]}
    assert checks[("t3.results-total", "c_total")]["found"] == "25"
    assert checks[("t3.results-total", "c_total")]["computed"] == "24"
    assert checks[("t3.results-total", "c_total")]["difference"] == "1"
    assert checks[("t3.balance", "c_natural")]["found"] == "26"  # （七）25 + 结转 1
    assert checks[("t3.balance", "c_natural")]["computed"] == "25"  # 新收 25 + 上年结转 0
    assert "25" in diag.message and "24" in diag.message and "勾稽关系" in diag.message
    # the prose says 24 were handled: a warning at the prose, noting the table total is the odd one
    prose = by_code(result, "A301")
    assert len(prose) == 1 and prose[0].data["quantity"] == "closed"
    assert prose[0].data["prose_value"] == "24" and prose[0].data["table_value"] == "25"
    assert line_of(result, prose[0]) == 21
    assert "应为 24" in prose[0].message


def test_pingtan_2020_total_21_vs_result_rows():
    path = next(p for p in PINGTAN if p.stem.endswith("2020"))
    result = findings(path, select=["A"])
    errors = a_errors(result)
    assert [d.code for d in errors] == ["A102"]
    checks = {c["axis"]: c for c in errors[0].data["checks"]}
    assert checks["c_total"]["found"] == "21" and checks["c_total"]["computed"] == "27"
    assert checks["c_natural"]["found"] == "20" and checks["c_natural"]["computed"] == "26"
    assert "t3.balance" not in errors[0].data["identities"]  # 一+二 = （七）+四 holds there


BALANCED = [p for p in SEEDS if not p.name.startswith("003")] + [p for p in PINGTAN if not p.stem.endswith("2020")]


@pytest.mark.parametrize("path", BALANCED, ids=lambda p: p.stem)
def test_reports_whose_tables_balance_get_no_a_error(path):
    result = findings(path, select=["A"])
    assert a_errors(result) == [], [d.message for d in a_errors(result)]


# -- one passing and one failing document per rule -------------------------------------------

def _good(version="gb2019"):
    return consistent(version, lambda lo, hi: lo + (hi - lo) // 2)


@pytest.mark.parametrize("version", ["gb2019", "gb2021"])
def test_consistent_generated_report_passes(tmp_path, version):
    t3, t4 = _good(version)
    result = findings_for_text(tmp_path, build(version, t3, t4), select=["A"])
    assert result.diagnostics == [], [d.message for d in result.diagnostics]


def test_a101_balance(tmp_path):
    t3, t4 = _good()
    t3["r1"] = list(t3["r1"])
    t3["r1"][0] += 1
    t3["r1"][6] += 1
    result = findings_for_text(tmp_path, build("gb2019", t3, t4), select=["A"])
    diags = a_errors(result)
    assert [d.code for d in diags] == ["A101"]
    assert {c["axis"] for c in diags[0].data["checks"]} == {"c_natural", "c_total"}
    assert ("r1", "c_natural") in cells_of(diags[0])
    assert "第一项加第二项之和" in diags[0].message
    assert line_of(result, diags[0]) == result.document.text.split("\n").index(
        next(ln for ln in result.document.text.split("\n") if ln.startswith("（七）总计"))) + 1


def test_a102_results_total_even_when_balance_holds(tmp_path):
    t3, t4 = _good()
    for rid in ("r3_7", "r1"):  # 一+二 = （七）+四 still holds
        t3[rid] = list(t3[rid])
        t3[rid][0] += 2
        t3[rid][6] += 2
    result = findings_for_text(tmp_path, build("gb2019", t3, t4), select=["A"])
    diags = a_errors(result)
    assert [d.code for d in diags] == ["A102"]
    assert diags[0].data["identities"] == ["t3.results-total"]
    assert diags[0].data["difference"] == "2"


def test_a103_row_total_names_the_one_cell(tmp_path):
    t3, t4 = _good()
    t3["r3_1"] = list(t3["r3_1"])
    t3["r3_1"][6] += 1  # breaks its row total and the 总计 column's results total
    result = findings_for_text(tmp_path, build("gb2019", t3, t4), select=["A"])
    diags = a_errors(result)
    assert [d.code for d in diags] == ["A103"]
    assert [(s["row"], s["column"]) for s in diags[0].data["suspects"]] == [("r3_1", "c_total")]
    assert set(diags[0].data["identities"]) == {"t3.row-total", "t3.results-total"}
    assert line_of(result, diags[0]) == next(n for n, ln in enumerate(result.document.text.split("\n"), 1)
                                             if ln.startswith("（一）予以公开"))


def test_a104_review_total_printed_as_zero(tmp_path):
    """A real 2023 PDF prints 0 as the 行政复议 总计 while its four parts sum to 11."""
    t3, _ = _good("gb2021")
    t4 = [5, 3, 2, 1, 0] + [0] * 10
    result = findings_for_text(tmp_path, build("gb2021", t3, t4), select=["A"])
    diags = a_errors(result)
    assert [d.code for d in diags] == ["A104"]
    d = diags[0]
    assert d.data["identity"] == "t4.review-total"
    assert (d.data["found"], d.data["computed"], d.data["difference"]) == ("0", "11", "-11")
    anchor = next(c for c in d.data["cells"] if c["column"] == "rev_total")
    assert d.span.start == anchor["offset"]
    good = findings_for_text(tmp_path, build("gb2021", t3, [5, 3, 2, 1, 11] + [0] * 10), select=["A"])
    assert a_errors(good) == []


@pytest.mark.parametrize("where", ["header", "xiaoji"])
def test_a106_subtotal_row_accepted_and_checked(tmp_path, where):
    t3, t4 = _good()
    sub = [sum(t3[r][k] for r in leaves("gb2019") if r.startswith("r3_3_")) for k in range(7)]
    if where == "header":
        good_text = build("gb2019", t3, t4, extra_t3={"r3_3": sub})
        bad_text = build("gb2019", t3, t4, extra_t3={"r3_3": [sub[0] + 1, *sub[1:6], sub[6] + 1]})
    else:
        base = build("gb2019", t3, t4)
        anchor = next(ln for ln in base.split("\n") if ln.startswith("8.属于行政查询事项"))
        good_text = base.replace(anchor, anchor + "\n小计\t" + "\t".join(map(str, sub)))
        bad_text = base.replace(anchor, anchor + "\n小计\t" + "\t".join(map(str, [sub[0] + 1, *sub[1:6], sub[6] + 1])))
    report = report_from_text(tmp_path, good_text)
    assert report.tables["t3"].rows["r3_3"].subtotal
    assert findings_for_text(tmp_path, good_text, select=["A"]).diagnostics == []
    result = findings_for_text(tmp_path, bad_text, select=["A"])
    diags = a_errors(result)
    assert [d.code for d in diags] == ["A106"]
    assert {c["axis"] for c in diags[0].data["checks"]} == {"c_natural", "c_total"}
    # without a subtotal nothing is required
    assert "r3_3" not in report_from_text(tmp_path, build("gb2019", t3, t4)).tables["t3"].rows


def test_a202_blanks_and_placeholders_one_finding_per_table(tmp_path):
    t3, t4 = _good()
    t3["r3_5_1"] = ["/"] * 7
    t3["r3_5_2"] = ["0", "", "0", "0", "0", "0", "0"]
    result = findings_for_text(tmp_path, build("gb2019", t3, t4), select=["A"])
    diags = by_code(result, "A202")
    assert len(diags) == 1
    assert diags[0].data["count"] == 8
    assert {c["kind"] for c in diags[0].data["cells"]} == {"placeholder", "blank"}
    assert ("r3_5_2", "c_commercial") in cells_of(diags[0])
    assert a_errors(result) == []  # those rows take part in no sum, so nothing is computed on them
    assert findings(seed("003"), select=["A202"]).diagnostics == []


def test_a301_prose_against_table(tmp_path):
    t3, t4 = _good()
    received = t3["r1"][6]
    ok = build("gb2019", t3, t4, prose=f"本年共收到政府信息公开申请{received}件。")
    assert findings_for_text(tmp_path, ok, select=["A301"]).diagnostics == []
    bad = build("gb2019", t3, t4, prose=f"本年共收到政府信息公开申请{received + 2}件。")
    result = findings_for_text(tmp_path, bad, select=["A301"])
    assert len(result.diagnostics) == 1
    d = result.diagnostics[0]
    assert d.data["quantity"] == "received" and d.data["difference"] == "2"
    assert line_of(result, d) == 7
    # letters to a mailbox are not applications; comparisons with last year are skipped
    other = build("gb2019", t3, t4, prose=f"市长信箱共受理信件{received + 2}件，办结{received + 1}件。"
                                          f"收到政府信息公开申请较上年增加{received + 5}件。")
    assert findings_for_text(tmp_path, other, select=["A301"]).diagnostics == []


@pytest.mark.parametrize("breakdown,flagged", [
    ("共收到政府信息公开申请{n}件，其中通过网络平台收到申请{a}件，通过信函收到申请{b}件。", []),
    ("共收到政府信息公开申请{n}件（其中通过网络平台收到申请{a}件，通过信函收到申请{b}件）。", []),
    # the total is still compared, and only the total
    ("共收到政府信息公开申请{m}件，其中通过网络平台收到申请{a}件，通过信函收到申请{b}件。", ["{m}"]),
])
def test_a301_parts_after_qizhong_are_not_the_total(tmp_path, breakdown, flagged):
    t3, t4 = _good()
    n = t3["r1"][6]
    values = dict(n=n, m=n + 2, a=n - 1, b=1)
    prose = breakdown.format(**values)
    result = findings_for_text(tmp_path, build("gb2019", t3, t4, prose=prose), select=["A301"])
    assert [d.data["prose_value"] for d in result.diagnostics] == [f.format(**values) for f in flagged]


def test_a301_pingtan_2022_received_75_vs_74():
    path = next(p for p in PINGTAN if p.stem.endswith("2022"))
    diags = findings(path, select=["A301"]).diagnostics
    assert len(diags) == 1
    assert (diags[0].data["prose_value"], diags[0].data["table_value"]) == ("75", "74")
    assert "上年结转" in diags[0].message


def test_a302_prose_total(tmp_path):
    t3, t4 = _good()
    ok = build("gb2019", t3, t4, prose="共收到申请25件（其中：信函申请16件，网上申请6件，当面申请3件），办结24件。")
    assert findings_for_text(tmp_path, ok, select=["A302"]).diagnostics == []
    nested = build("gb2019", t3, t4, prose="共收到申请25件，其中：网上申请6件（其中自然人5件、法人1件）、信函19件。")
    assert findings_for_text(tmp_path, nested, select=["A302"]).diagnostics == []
    bad = build("gb2019", t3, t4, prose="共收到申请25件（其中：信函申请16件，网上申请7件，当面申请3件），办结24件。")
    result = findings_for_text(tmp_path, bad, select=["A302"])
    assert len(result.diagnostics) == 1
    assert result.diagnostics[0].data["sum"] == "26" and result.diagnostics[0].data["total"] == "25"


def test_a303_rates(tmp_path):
    t3, t4 = _good()
    ok = build("gb2019", t3, t4, prose="收到政府信息公开申请25件，办结24件，办结率96%。"
                                       "市长信箱共受理信件2742件,办结2629件,办结率95.8%。"
                                       "办结81件，其中：予以公开42件，占51.85%；不予公开5件，占6.17%。")
    assert findings_for_text(tmp_path, ok, select=["A303"]).diagnostics == []
    bad = build("gb2019", t3, t4, prose="收到政府信息公开申请25件，办结24件，办结率95%。"
                                        "办结81件，其中：予以公开42件，占52.85%；不予公开5件，占6.17%。")
    result = findings_for_text(tmp_path, bad, select=["A303"])
    assert [d.data["printed"] for d in result.diagnostics] == ["95", "52.85"]
    assert result.diagnostics[0].data["computed"] == "96.0000"


def test_unreliable_rows_take_part_in_no_sum(tmp_path):
    t3, t4 = _good()
    t3["r3_1"] = list(t3["r3_1"]) + [9]  # a cell too many that no reading explains
    t3["r3_1"][0] += 5
    result = findings_for_text(tmp_path, build("gb2019", t3, t4), select=["A"])
    report = report_from_text(tmp_path, build("gb2019", t3, t4))
    assert "r3_1" in report.tables["t3"].unreliable_rows()
    assert all("r3_1" not in {c["row"] for c in d.data.get("cells", [])} for d in result.diagnostics)
    assert a_errors(result) == []


# -- properties ---------------------------------------------------------------------------------

def _draw_values(data, version):
    return consistent(version, lambda lo, hi: data.draw(st.integers(lo, hi)))


_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(data=st.data(), version=st.sampled_from(["gb2019", "gb2021"]))
def test_property_consistent_tables_are_never_flagged(tmp_path, data, version):
    t3, t4 = _draw_values(data, version)
    result = findings_for_text(tmp_path, build(version, t3, t4), select=["A"])
    assert result.diagnostics == [], [d.message for d in result.diagnostics]


@_SETTINGS
@given(data=st.data(), version=st.sampled_from(["gb2019", "gb2021"]))
def test_property_any_single_changed_cell_is_flagged_with_that_cell(tmp_path, data, version):
    t3, t4 = _draw_values(data, version)
    cells = [("t3", rid, k) for rid in t3 for k in range(7)] + [("t4", "count", k) for k in range(15)]
    table, rid, k = data.draw(st.sampled_from(cells))
    delta = data.draw(st.integers(1, 5))
    if table == "t3":
        t3[rid] = list(t3[rid])
        t3[rid][k] += delta
        target = (rid, T3_COLS[k])
    else:
        t4 = list(t4)
        t4[k] += delta
        target = ("count", T4_COLS[k])
    result = findings_for_text(tmp_path, build(version, t3, t4), select=["A"])
    errors = a_errors(result)
    assert errors, f"changing {target} was not flagged"
    assert any(target in cells_of(d) for d in errors), [d.data for d in errors]


@_SETTINGS
@given(data=st.data(), version=st.sampled_from(["gb2019", "gb2021"]), seed_=st.integers(0, 10 ** 6))
def test_property_order_of_rows_and_identities_does_not_change_findings(tmp_path, data, version, seed_):
    t3, t4 = _draw_values(data, version)
    for _ in range(data.draw(st.integers(1, 3))):  # a few wrong cells
        rid = data.draw(st.sampled_from(sorted(t3)))
        k = data.draw(st.integers(0, 6))
        t3[rid] = list(t3[rid])
        t3[rid][k] += data.draw(st.integers(1, 3))
    report = report_from_text(tmp_path, build(version, t3, t4))

    def run():
        report._memo.clear()  # the table findings are worked out again from the shuffled tables
        return sorted((d.code, d.span.start, d.message, repr(d.data)) for d in arithmetic.table_findings(report))

    before = run()
    rng = random.Random(seed_)
    for table in report.tables.values():
        items = list(table.rows.items())
        rng.shuffle(items)
        table.rows = dict(items)
        identities = list(table.definition.identities)
        rng.shuffle(identities)
        table.definition = dataclasses.replace(table.definition, identities=identities)
    assert run() == before


def test_rule_docs_have_the_sections():
    for rule_ in (arithmetic.table3_balance, arithmetic.table3_results_total, arithmetic.table3_row_total,
                  arithmetic.table4_total, arithmetic.old_table_sum, arithmetic.subtotal_row,
                  arithmetic.table_identity_other, domains.value_domain, domains.blank_or_placeholder,
                  prose.prose_table_mismatch, prose.prose_total_mismatch, prose.prose_rate_mismatch):
        for part in ("检查什么：", "为什么：", "错误示例：", "正确示例：", "依据："):
            assert part in rule_.doc, (rule_.code, part)
        assert "{" not in rule_.doc
        assert re.match(r"^A\d{3}$", rule_.code)


def test_row_ending_in_an_empty_cell_is_not_shifted(tmp_path):
    """`四、结转下年度继续办理<TAB>1<TAB>0…0<TAB>` with the 总计 cell empty (kewei-2024 in the
    peers corpus): the empty rest of the label cell is no value, so the row is not shifted;
    the blank 总计 is a blank, and no sum is reported on it."""
    t3, t4 = _good()
    text = build("gb2019", t3, t4)
    r4 = next(ln for ln in text.split("\n") if ln.startswith("四、结转下年度继续办理"))
    text = text.replace(r4, "\t".join(r4.split("\t")[:-1]) + "\t")
    report = report_from_text(tmp_path, text)
    row = report.tables["t3"].rows["r4"].values
    assert row["c_natural"].kind == "number" and row["c_total"].kind == "blank"
    result = findings_for_text(tmp_path, text, select=["A"])
    assert [d.code for d in result.diagnostics if d.severity.value == "error"] == []
    assert "A202" in [d.code for d in result.diagnostics]


def test_every_table_identity_code_words_its_failures_with_the_shared_messages():
    """A101-A107 say a failed identity the same way (messages/rules/arithmetic.yaml): a code
    added to the identity engine without its messages fails here, not on a user's report."""
    from xxgk_lint.linter.catalogue import catalogue
    from xxgk_lint.linter.identities import TABLE_CODES

    shared = catalogue()["A101"]
    assert {"failed", "columns", "columns_stated", "suspect", "suspects"} <= set(shared)
    for code in TABLE_CODES:
        assert catalogue().get(code) == shared, code
