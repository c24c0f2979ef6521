"""L rules: leftovers of another template version -- each on a passing and a
failing document, the issue's mutation (old 统计表 rows in a 2020 report),
the known real defect (平潭 2019-2021 preambles) and no false error on the
fixtures; 2018 reports on the old template are never told they use it."""

import pytest

from conftest import PINGTAN, SEEDS, seed
from clihelp import SCAFFOLD
from helpers import findings, line_of

REAL = PINGTAN + list(PINGTAN[0].parent.glob("*.html"))


def _write(tmp_path, text, name="report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("prefix", ["001"])
def test_2018_report_on_the_old_template_is_not_told_it_is_old(prefix):
    assert findings(seed(prefix), select=["L"]).diagnostics == []


@pytest.mark.parametrize("year", [2017, 2018])
def test_pingtan_old_reports_have_no_l_finding(year):
    path = next(p for p in PINGTAN if p.stem.endswith(str(year)))
    assert findings(path, select=["L"]).diagnostics == []


def test_pingtan_2021_preamble_uses_the_2008_wording():
    path = next(p for p in PINGTAN if p.stem.endswith("2021"))
    result = findings(path, select=["L104"])
    assert [(d.data["where"], d.data["found"]) for d in result.diagnostics] == [
        ("前言", "因政府信息公开申请行政复议、提起行政诉讼")]
    d = result.diagnostics[0]
    assert result.document.text[d.span.start:d.span.end] == "因政府信息公开申请行政复议、提起行政诉讼"


KNOWN = {  # (code, severity) per fixture: all verified by reading the text
    "pingtan-zhsyq-2019": [("L104", "warning")],
    "pingtan-zhsyq-2020": [("L104", "warning")],
    "pingtan-zhsyq-2021": [("L104", "warning")],
}


@pytest.mark.parametrize("path", SEEDS + REAL, ids=lambda p: p.stem)
def test_l_findings_on_fixtures_are_the_known_ones(path):
    result = findings(path, select=["L"])
    assert [(d.code, d.severity.value) for d in result.diagnostics] == KNOWN.get(path.stem, [])


def test_a_2019_row_label_under_2021_columns_is_a_wording_warning(tmp_path):
    text = SCAFFOLD.replace("行政规范性文件", "规范性文件", 1)
    result = findings(_write(tmp_path, text), select=["L102"])
    (d,) = result.diagnostics
    assert d.severity.value == "warning" and d.data["expected"] == ["行政规范性文件"]
    assert "“规范性文件”" in d.message and line_of(result, d) == SCAFFOLD[:SCAFFOLD.index("行政规范性文件")].count("\n") + 1
    # with a 2019 column as well, the wording is listed in the error
    text = text.replace("第二十条第（一）项\n", "第二十条第（一）项\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n", 1)
    (d,) = findings(_write(tmp_path, text), select=["L102"]).diagnostics
    assert d.severity.value == "error" and {"本年新制作数量", "规范性文件"} <= {f["label"] for f in d.data["found"]}
