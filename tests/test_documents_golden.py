"""Real published documents (PDF, web page) and what the tool must find in them
(facts checked by hand against the rendered documents; see tests/fixtures/README.md)."""

import pathlib

from helpers import findings

DOCS = pathlib.Path(__file__).parent / "fixtures" / "documents"


def test_hongze_2023_pdf():
    result = findings(DOCS / "hzq2023_working.pdf")
    report = result.report
    assert (report.version, report.report_year) == ("gb2021", 2023)
    # table 3 still has the 2019 format's single （六）其他处理 row: read with the 2019 rows, reported as leftover
    assert report.tables["t3"].version == "gb2019"
    assert report.tables["t3"].value("r3_7", "c_total") == 21
    codes = [d.code for d in result.diagnostics]
    assert "L102" in codes
    # table 4 prints 0 as 行政复议 总计 while its parts sum to 11
    a104 = [d for d in result.diagnostics if d.code == "A104"]
    assert {(d.data["found"], d.data["computed"]) for d in a104} == {("0", "11"), ("0", "5")}
    # the report misprints 2.其他法律行政止公开: the row is reported unrecognised, its neighbour keeps 7 values
    assert [d.data["row"] for d in result.diagnostics if d.code == "S202"] == ["r3_3_2"]
    assert len(report.tables["t3"].rows["r3_3_1"].values) == 7


def test_shuyang_2023_web_page():
    result = findings(DOCS / "shuyang-fgj-2023.html")
    report = result.report
    assert report.agency.value.startswith("沭阳县发展和改革局")
    assert [s.template.no for s in report.sections] == ["一", "二", "三", "四", "五", "六"]
    t2 = report.tables["t2"]
    assert [t2.value("normative", c) for c in ("made", "repealed", "valid")] == [8, 0, 18]
    codes = {d.code: d for d in result.diagnostics}
    # the 2019 row label 规范性文件 in a 2023 report whose columns are the 2021 ones: a wording warning
    assert "L102" in codes and "“规范性文件”" in codes["L102"].message and "“行政规范性文件”" in codes["L102"].message
    assert codes["L102"].severity.value == "warning"
    assert "A202" in codes  # legal-person columns of table 3 left blank, not 0
    assert not [d for d in result.diagnostics if d.severity.value == "error"]


def test_shanghai_2019_web_page():
    path = pathlib.Path(__file__).parent / "fixtures" / "real" / "shanghai-bgt-2019.html"
    result = findings(path)
    report = result.report
    assert (report.version, report.report_year, report.agency.value) == ("gb2019", 2019, "上海市人民政府办公厅")
    assert str(report.publication_date.value) == "2020-01-31"
    assert [s.template.no for s in report.sections] == ["一", "二", "三", "四", "五", "六"]
    t4 = report.tables["t4"].rows["count"].values
    assert [c.raw for c in t4.values()][:10] == ["5", "", "", "2", "7", "8", "", "", "1", "9"]
    assert t4["rev_correct"].kind == "blank"  # an empty cell, not 0
    t3 = report.tables["t3"]
    assert t3.value("r3_1", "c_natural") == 258 and t3.cell("r3_1", "c_total").kind == "blank"
    assert not [d for d in result.diagnostics if d.severity.value == "error"]
