"""Golden facts of the seeds and the complete real reports, checked by hand
against the texts (see tests/fixtures/README.md and the corpus INDEX notes)."""

import pytest

from conftest import PINGTAN, seed
from xxgk_lint.linter.parse import build_report
from xxgk_lint.linter.readers import read

SIX = ["一", "二", "三", "四", "五", "六"]

# file prefix -> (version, year, period given?, agency, section heading lines 一..六)
SEEDS = {
    "000": ("gb2019", 2020, True, "银川市智慧城市管理指挥中心", [33, 240, 300, 441, 557, 596]),
    "002": ("gb2019", 2019, True, "银川市机关事务服务中心", [27, 152, 212, 367, 483, 531]),
    "003": ("gb2019", 2020, True, "银川市兴庆区", [9, 57, 80, 114, 123, 127]),
    "004": ("gb2019", 2019, True, None, [2, 9, 28, 55, 60, 62]),
}


def _report(path):
    return build_report(read(str(path)))


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_outline(prefix):
    version, year, has_period, agency, lines = SEEDS[prefix]
    report = _report(seed(prefix))
    assert report.version == version
    assert report.report_year == year
    if agency:
        assert report.agency.value == agency
    got = [(s.template.no if s.template else None, report.document.line_col(s.heading.span.start)[0])
           for s in report.sections]
    assert got == list(zip(SIX, lines))
    assert sorted(report.tables) == ["t2", "t3", "t4"]
    assert all(not t.missing_rows for t in report.tables.values())


def test_period_is_read_as_dates():
    import datetime as dt

    for prefix in ("003", "004"):
        report = _report(seed(prefix))
        assert report.period.start.year == report.report_year
        assert (report.period.start, report.period.end) == (
            dt.date(report.report_year, 1, 1), dt.date(report.report_year, 12, 31))


def test_period_split_across_lines_is_found():
    # seed 002 states "统计期限自 2019 年 1 月 1 日至" / "2019 年 12 月 31 日止" across a line break
    report = _report(seed("002"))
    assert report.period is not None
    assert (report.period.start.month, report.period.end.day) == (1, 31)


def test_old_format_seed_is_old_with_its_table():
    report = _report(seed("001"))
    assert report.version == "old"
    assert report.report_year == 2018
    assert [s.heading.number for s in report.sections] == list(range(1, 12))
    stat = report.tables["stat"]
    assert stat.value("3.1", "value") is not None
    assert "t3" not in report.tables


def test_seed_003_table_values():
    report = _report(seed("003"))
    t3, t4, t2 = report.tables["t3"], report.tables["t4"], report.tables["t2"]
    assert t3.value("r1", "c_natural") == 25 and t3.value("r1", "c_total") == 25
    assert t3.value("r3_1", "c_total") == 3
    assert t3.value("r3_4_1", "c_natural") == 17  # label variant 本机关不掌握相关信息
    assert t3.value("r3_7", "c_total") == 25  # the row with a cell too many
    assert t3.value("r4", "c_total") == 1
    assert [c.raw for c in t4.rows["count"].values.values()][:5] == ["1", "0", "0", "0", "1"]
    assert t2.cell("licensing", "delta").raw == "+6"
    assert t2.cell("other_services", "delta").value == -270
    assert str(t2.value("central_procurement", "amount")) == "24639.1"
    # a blank cell is kept distinct from 0
    assert t2.cell("fees", "prev_items").value == 8


def test_seed_002_page_number_inside_table_is_dropped():
    report = _report(seed("002"))
    row = report.tables["t3"].rows["r3_3_5"]  # "5.属于三类内部" / page "7" / "事务信息"
    assert [c.raw for c in row.values.values()] == ["0"] * 7


# pingtan (flattened web text): year, version and table totals from the INDEX notes
PINGTAN_FACTS = {
    2019: ("gb2019", {("r1", "c_total"): 23, ("r3_7", "c_total"): 23}),
    2020: ("gb2019", {("r3_7", "c_total"): 21, ("r3_7", "c_natural"): 20}),
    2021: ("gb2021", {("r1", "c_total"): 70, ("r4", "c_total"): 1}),
    2022: ("gb2021", {("r1", "c_total"): 74, ("r2", "c_total"): 1}),
    2023: ("gb2021", {("r1", "c_total"): 81, ("r3_7", "c_total"): 81, ("r3_1", "c_total"): 22}),
    2024: ("gb2021", {("r1", "c_total"): 218, ("r3_7", "c_total"): 218}),
    2025: ("gb2021", {("r1", "c_total"): 154, ("r3_7", "c_total"): 148, ("r4", "c_total"): 6}),
}
T4 = {
    2023: "1 1 0 0 2 4 0 0 1 5 1 0 1 0 2",
    2024: "2 1 3 1 7 0 0 0 0 0 13 2 4 0 19",
    2025: "25 3 8 0 36 3 3 0 0 6 3 0 0 0 3",
}


@pytest.mark.parametrize("path", PINGTAN, ids=lambda p: p.stem)
def test_pingtan_reports(path):
    year = int(path.stem[-4:])
    report = _report(path)
    assert report.report_year == year
    assert report.period.start.year == year
    if year <= 2018:
        assert report.version == "old"
        assert len(report.sections) == 6
        return
    version, cells = PINGTAN_FACTS[year]
    assert report.version == version
    assert [s.template.no if s.template else None for s in report.sections] == SIX
    t3 = report.tables["t3"]
    for (row, col), value in cells.items():
        assert t3.value(row, col) == value, (row, col)
    if year in T4:
        assert " ".join(c.raw for c in report.tables["t4"].rows["count"].values.values()) == T4[year]


def test_digit_run_split_uses_row_totals():
    # "一、本年新收政府信息公开申请数量801000081" -> 80 1 0 0 0 0 81
    report = _report(next(p for p in PINGTAN if p.stem.endswith("2023")))
    row = report.tables["t3"].rows["r1"]
    assert [c.raw for c in row.values.values()] == ["80", "1", "0", "0", "0", "0", "81"]
    assert all(c.inferred for c in row.values.values())


def test_ambiguous_digit_run_is_not_guessed():
    # "行政规范性文件77132470": three columns without a row identity -> unreadable, not guessed
    report = _report(next(p for p in PINGTAN if p.stem.endswith("2023")))
    t2 = report.tables["t2"]
    assert "normative" not in t2.rows
    assert any(p.kind == "ambiguous-split" and p.row_id == "normative" for p in t2.problems)
