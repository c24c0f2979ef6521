"""L rules: leftovers of another template version -- each on a passing and a
failing document, the issue's mutation (old 统计表 rows in a 2020 report),
the known real defect (平潭 2019-2021 preambles) and no false error on the
fixtures; 2018 reports on the old template are never told they use it."""

import pytest

from conftest import PINGTAN, SEEDS, seed
from clihelp import SCAFFOLD
from helpers import findings, findings_for_text, line_of

REAL = PINGTAN + list(PINGTAN[0].parent.glob("*.html"))

OLD_ROWS = "六、举报投诉数量\t件\t0\n七、依申请公开信息收取的费用\t万元\t0\n"


def _seed_text(prefix="003"):
    return seed(prefix).read_text(encoding="utf-8")


def _write(tmp_path, text, name="report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_mutation_old_statistics_rows_in_a_2020_report(tmp_path):
    text = _seed_text()
    marker = "## 三、收到和处理政府信息公开申请情况"
    assert marker in text
    result = findings(_write(tmp_path, text.replace(marker, OLD_ROWS + "\n" + marker)), select=["L101"])
    assert len(result.diagnostics) == 1
    d = result.diagnostics[0]
    assert line_of(result, d) == 80
    assert d.severity.value == "warning"  # the 2019 tables are there too: a leftover, not the wrong table
    assert [f["label"] for f in d.data["found"]] == ["举报投诉数量", "依申请公开信息收取的费用"]
    assert [f["line"] for f in d.data["found"]] == [80, 81]
    assert d.data["label_version"] == "old" and d.data["expected_version"] == "gb2019"
    assert "2020年度报告应使用2019年格式" in d.message


def test_old_statistics_table_instead_of_the_new_tables_is_an_error(tmp_path):
    text = ("某某局2020年政府信息公开工作年度报告\n\n一、总体情况\n\n全年公开信息。\n\n"
            "二、主动公开政府信息情况\n\n"
            "指标名称\t单位\t统计数\n（一）收到申请数\t件\t3\n1.当面申请数\t件\t1\n2.传真申请数\t件\t0\n")
    result = findings_for_text(tmp_path, text, select=["L101"])
    assert [(d.code, d.severity.value, line_of(result, d)) for d in result.diagnostics] == [("L101", "error", 10)]
    assert [f["label"] for f in result.diagnostics[0].data["found"]] == ["收到申请数", "当面申请数", "传真申请数"]


def test_old_rows_in_prose_are_not_flagged(tmp_path):
    text = _seed_text().replace("## 三、收到和处理政府信息公开申请情况",
                                "本年度没有举报投诉数量的统计，当面申请数为0。\n\n## 三、收到和处理政府信息公开申请情况")
    assert findings(_write(tmp_path, text), select=["L101"]).diagnostics == []


@pytest.mark.parametrize("prefix", ["001"])
def test_2018_report_on_the_old_template_is_not_told_it_is_old(prefix):
    assert findings(seed(prefix), select=["L"]).diagnostics == []


@pytest.mark.parametrize("year", [2017, 2018])
def test_pingtan_old_reports_have_no_l_finding(year):
    path = next(p for p in PINGTAN if p.stem.endswith(str(year)))
    assert findings(path, select=["L"]).diagnostics == []


def test_gb2019_table_in_a_2021_report(tmp_path):
    text = _seed_text().replace("兴庆区 2020 年政府信息公开", "兴庆区 2021 年政府信息公开", 1)
    result = findings(_write(tmp_path, text), select=["L102"])
    assert len(result.diagnostics) == 1
    d = result.diagnostics[0]
    assert line_of(result, d) == 60  # 本年新制作数量 in the header of table 2
    labels = [f["label"] for f in d.data["found"]]
    assert {"本年新制作数量", "其他对外管理服务事项", "政府集中采购", "（六）其他处理（单独一行）"} <= set(labels)
    assert d.data["label_version"] == "gb2019" and d.data["expected_version"] == "gb2021"


def test_gb2019_table_in_a_2020_report_is_right():
    assert findings(seed("003"), select=["L102", "L103"]).diagnostics == []


def test_gb2021_table_in_a_2020_report(tmp_path):
    path = next(p for p in PINGTAN if p.stem.endswith("2021"))
    text = path.read_text(encoding="utf-8").replace("2021年度政府信息公开工作年度报告", "2020年度政府信息公开工作年度报告")
    result = findings(_write(tmp_path, text), select=["L103"])
    assert len(result.diagnostics) == 1
    d = result.diagnostics[0]
    assert {"本年制发件数", "本年废止件数", "现行有效件数"} <= {f["label"] for f in d.data["found"]}
    assert d.data["label_version"] == "gb2021" and d.data["expected_version"] == "gb2019"


def test_pingtan_2021_preamble_uses_the_2008_wording():
    path = next(p for p in PINGTAN if p.stem.endswith("2021"))
    result = findings(path, select=["L104"])
    assert [(d.data["where"], d.data["found"]) for d in result.diagnostics] == [
        ("前言", "因政府信息公开申请行政复议、提起行政诉讼")]
    d = result.diagnostics[0]
    assert result.document.text[d.span.start:d.span.end] == "因政府信息公开申请行政复议、提起行政诉讼"


def test_old_section_title_as_a_heading(tmp_path):
    text = _seed_text().replace("## 六、其他需要报告的事项", "## 六、政府信息公开的收费及减免情况")
    result = findings(_write(tmp_path, text), select=["L104"])
    assert [(line_of(result, d), d.data["found"]) for d in result.diagnostics] == [(127, "政府信息公开的收费及减免情况")]


def test_stale_format_citation_in_2021_report(tmp_path):
    text = _seed_text().replace("兴庆区 2020 年政府信息公开", "兴庆区 2021 年政府信息公开", 1)
    result = findings(_write(tmp_path, text), select=["L105"])
    assert [(d.code, d.severity.value, line_of(result, d), d.data["found"]) for d in result.diagnostics] == [
        ("L105", "warning", 7, "国办公开办函〔2019〕60号")]


def test_2019_format_citation_in_2020_report_is_right():
    assert findings(seed("003"), select=["L105"]).diagnostics == []


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
