"""The identity engine (linter/identities.py): the template's identities parsed
and validated once at load, one rule for the cells each covers, one comparison
(==, >=, <=) for every user, and a new identity added by editing data alone."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources

import pytest
import yaml

from conftest import FIXTURES, seed
from helpers import findings, report_from_text
from xxgk_lint.linter import digitsplit, identities
from xxgk_lint.linter.identities import TemplateDataError
from xxgk_lint.linter.templates import load, load_text
from xxgk_lint.rules import arithmetic

YAML = resources.files("xxgk_lint").joinpath("templates/template-versions.yaml").read_text("utf-8")
SCAFFOLD = (FIXTURES / "rule-example-scaffold-2022.txt").read_text(encoding="utf-8")
T3_2021_ROW_TOTAL = ('          - {id: t3.row-total, kind: implied, code: A103, per: row, expr: "c_total == c_natural'
                     ' + c_commercial + c_research + c_social + c_legal + c_other"}\n'
                     '          - {id: t3.carry-over-cross-year, kind: implied, code: X101, cross_year: true, per: column,'
                     ' expr: "r2(Y) == r4(Y-1)"}\n'
                     '          - {id: t3.fee-row-vs-section6')


def _edited(old: str, new: str, count: int = 1) -> str:
    assert YAML.count(old) >= count, old
    return YAML.replace(old, new, count)


def _table(vid: str, tid: str):
    return load().versions[vid].tables[tid]


# -- the data names the rule of each identity ------------------------------------------------

def test_every_identity_in_the_data_names_its_code_or_is_prose():
    raw = yaml.safe_load(YAML)
    seen = 0
    for version in raw["versions"].values():
        for table in version.get("tables", []):
            for ident in table.get("identities", []):
                seen += 1
                assert ("code" in ident) != bool(ident.get("prose")), ident["id"]
    assert seen > 30


@pytest.mark.parametrize("vid, tid, ident_id, code", [
    ("gb2021", "t3", "t3.balance", "A101"), ("gb2021", "t3", "t3.results-total", "A102"),
    ("gb2019", "t3", "t3.row-total", "A103"), ("gb2021", "t4", "t4.after-total", "A104"),
    ("old", "stat", "old.subset-press", "A105"), ("old", "stat_cum", "old.cum.year-le-cumulative", "A105"),
    ("gb2019", "t2", "t2-2019.total-ge-new", "A107"),
])
def test_identities_carry_their_code_from_the_data(vid, tid, ident_id, code):
    (ident,) = [i for i in _table(vid, tid).identity_set.within if i.id == ident_id]
    assert ident.code == code


def test_cross_year_identities_are_x101_and_subtotals_a106():
    t3 = _table("gb2021", "t3").identity_set
    assert [(i.id, i.code) for i in t3.cross_year] == [("t3.carry-over-cross-year", "X101")]
    assert set(t3.subtotals) == {"r3", "r3_3", "r3_4", "r3_5", "r3_6"}
    assert {i.code for i in t3.subtotals.values()} == {"A106"}
    assert t3.prose == ("t3.fee-row-vs-section6",)


def test_an_identity_without_a_code_lands_in_a107():
    text = _edited("{id: t2-2019.total-ge-new, kind: heuristic, code: A107,", "{id: t2-2019.total-ge-new, kind: heuristic,")
    (ident,) = load_text(text).versions["gb2019"].tables["t2"].identity_set.within
    assert ident.code == "A107" == identities.DEFAULT_CODE


# -- a typo fails the load loudly, never turns a check off ---------------------------------------

@pytest.mark.parametrize("old, new, words", [
    ("{id: t3.balance, kind: stated, code: A101,", "{id: t3.balance, kind: stated, code: A1O1,", "'A1O1'"),
    ("{id: t4.review-total, kind: implied, code: A104,", "{id: t4.review-total, kind: implied, code: X101,", "'X101'"),
    ("{id: t3.carry-over-cross-year, kind: implied, code: X101,",
     "{id: t3.carry-over-cross-year, kind: implied, code: A101,", "'A101'"),
    ('expr: "3.2 == 3.2.1 + 3.2.2"', 'expr: "3.2 == 3.2.1 + 3.2.3"', "does not parse"),
    ('code: A105, expr: "4 == 4.1 + 4.2 + 4.3"', 'code: A105, expr: "4 = 4.1 + 4.2 + 4.3"', "does not parse"),
    ("{id: t3.row-total, kind: implied, code: A103, per: row,", "{id: t3.row-total, kind: implied, code: A103, per: column,",
     "per: column"),
    ("{id: t3.fee-row-vs-section6, kind: heuristic, prose: true,",
     "{id: t3.fee-row-vs-section6, kind: heuristic, prose: true, code: A107,", "prose"),
])
def test_a_typo_in_an_identity_fails_the_load(old, new, words):
    with pytest.raises(TemplateDataError, match=words.replace("(", r"\(")):
        load_text(_edited(old, new))


# -- one rule for the cells an identity covers ---------------------------------------------------

def test_an_identity_over_rows_covers_every_column_of_its_block():
    t3 = _table("gb2021", "t3")
    balance = next(i for i in t3.identity_set.within if i.id == "t3.balance")
    assert balance.axis_kind == "column" and list(balance.axes) == [c.id for c in t3.columns_for(t3.row("r1"))]
    inst = balance.instance("c_natural")
    assert inst.lhs == ((1, ("r1", "c_natural")), (1, ("r2", "c_natural")))
    assert inst.rhs == ((1, ("r3_7", "c_natural")), (1, ("r4", "c_natural")))


def test_an_identity_over_columns_covers_the_rows_that_have_them():
    t2 = _table("gb2019", "t2")
    (ident,) = t2.identity_set.within
    block0 = {r.id for r in t2.rows if r.block == 0}
    assert ident.axis_kind == "row" and set(ident.axes) <= block0 and {"regulations", "normative"} <= set(ident.axes)
    # per row, only the rows a table read take part
    assert [i.axis for i in ident.instances({"normative", "licensing"})] == ["normative"]


def test_the_comparison_honours_every_operator_with_tolerance():
    assert identities.holds("==", Decimal(3), Decimal(3)) and not identities.holds("==", 3, 4)
    assert identities.holds("==", Decimal("3.00"), Decimal("3.01"), Decimal("0.01"))
    assert identities.holds(">=", 4, 3) and not identities.holds(">=", 3, 4)
    assert identities.holds("<=", 3, 4) and not identities.holds("<=", 4, 3)
    assert identities.holds("<=", 4, 3, tolerance=1)


def test_the_digit_splitter_honours_greater_or_equal():
    """历年累计 >= 本年度: of 223 split in two, 2|23 keeps it, 22|3 does not."""
    cum = _table("old", "stat_cum")
    columns = cum.columns_for(cum.row("pub"))
    facts = digitsplit.row_identities(cum, columns)
    assert [i.id for i in facts] == ["old.cum.year-le-cumulative"]
    satisfies = digitsplit.satisfies_for(columns, facts)
    assert satisfies([Decimal(2), Decimal(23)]) and not satisfies([Decimal(22), Decimal(3)])
    assert satisfies([Decimal(5), None])  # an unknown value leaves it unevaluated


def test_heuristics_and_cross_year_identities_are_not_facts_for_reading():
    stat = _table("old", "stat").identity_set
    assert "old.channels-cover" not in {i.id for i in stat.facts}
    assert "old.channels-cover" in {i.id for i in stat.within}


def test_identities_are_parsed_at_load_only(monkeypatch):
    load()  # the packaged templates are loaded (and parsed) already

    def fail(*args, **kwargs):
        raise AssertionError("an identity was parsed after load")

    monkeypatch.setattr(identities, "parse", fail)
    monkeypatch.setattr(identities, "parse_cross_year", fail)
    result = findings(seed("003"), select=["A"])
    assert "A102" in [d.code for d in result.diagnostics]


# -- a newcomer adds an identity by editing data alone -------------------------------------------

def _granted_more_than_new(text: str) -> str:
    """The standard 2022 report with 1 new and 2 carried-over applications, 2 of them granted:
    every identity of the template holds."""
    text = text.replace("一、本年新收政府信息公开申请数量 2 0 0 0 0 0 2", "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1")
    text = text.replace("二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0", "二、上年结转政府信息公开申请数量 2 0 0 0 0 0 2")
    text = text.replace("（一）予以公开 1 0 0 0 0 0 1", "（一）予以公开 2 0 0 0 0 0 2")
    return text.replace("（七）总计 2 0 0 0 0 0 2", "（七）总计 3 0 0 0 0 0 3")


def test_a_new_identity_in_the_data_alone_gives_its_finding(tmp_path):
    text = _granted_more_than_new(SCAFFOLD)
    before = arithmetic.table_findings(report_from_text(tmp_path, text))
    assert [d for d in before if d.code.startswith("A1")] == []

    new_identity = ('          - {id: t3.granted-le-new, kind: heuristic, code: A107, per: column, expr: "r3_1 <= r1",'
                    ' text: “（一）予以公开”应不大于“一、本年新收政府信息公开申请数量”}\n')
    edited = load_text(_edited(T3_2021_ROW_TOTAL, T3_2021_ROW_TOTAL.replace(
        "          - {id: t3.carry-over-cross-year", new_identity + "          - {id: t3.carry-over-cross-year")))
    report = report_from_text(tmp_path, text, templates=edited)
    (diag,) = [d for d in arithmetic.table_findings(report) if d.code.startswith("A1")]
    assert diag.code == "A107" and diag.data["identity"] == "t3.granted-le-new"
    assert {(c["row"], c["column"]) for c in diag.data["cells"]} == {
        ("r3_1", "c_natural"), ("r1", "c_natural"), ("r3_1", "c_total"), ("r1", "c_total")}
    assert "“（一）予以公开”应不大于“一、本年新收政府信息公开申请数量”" in diag.message
    assert [c["found"] for c in diag.data["checks"]] == ["2", "2"]


# -- the rule pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("func", [arithmetic.table3_balance, arithmetic.table3_results_total, arithmetic.table3_row_total,
                                  arithmetic.table4_total, arithmetic.old_table_sum, arithmetic.subtotal_row])
def test_grouping_is_its_own_paragraph_of_the_rule_page(func):
    from xxgk_lint.linter.ruledocs import parse_doc

    doc = parse_doc(func.doc)
    assert doc["分组"].startswith("同一个数字同时破坏几处关系时") and "分组" not in doc["依据"]
    assert "， " not in doc["分组"]  # the paragraph's lines joined without spaces
