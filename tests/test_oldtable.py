"""The pre-2019 《政府信息公开情况统计表》 in both its forms, in every layout.

- the national form (统计指标 / 单位 / 统计数): seed 001, rendered as tab, pipe,
  one-cell-per-line, space-separated and flattened text, as .docx and as .html;
- the provincial form with 本年度 and 历年累计 columns: the 平潭 2017/2018 pages
  (flattened, digits of a row run together) and the same table rendered cleanly.

The .docx and .html documents are built here from the text fixtures (python-docx,
lxml), so they hold the real reports' tables cell for cell.
"""

from __future__ import annotations

import json
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from clihelp import run
from helpers import findings, findings_for_text, line_of, report_from_text
from readers_util import docx_from_text

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
SEED001 = FIXTURES / "seeds" / "001_b0a66c8402e0df51.txt"
PINGTAN = {y: FIXTURES / "real" / f"pingtan-zhsyq-{y}.txt" for y in (2017, 2018)}


def _values(report, tid):
    table = report.tables.get(tid)
    if table is None:
        return None
    return {(rid, cid): (c.kind, c.raw) for rid, row in table.rows.items() for cid, c in row.values.items()}


def _errors(result, families="AES"):
    return [(d.code, d.message) for d in result.diagnostics if d.code[0] in families]


# -- rendering a text report's tables in other layouts -----------------------------------------

def _render(text: str, layout) -> str:
    """The text with every tab row re-rendered by ``layout(cells) -> lines``;
    ``layout=None`` flattens all consecutive rows onto one line without separators
    (a web page whose cells ran together)."""
    out: list[str] = []
    flat: list[str] = []
    for line in text.split("\n"):
        if "\t" in line:
            if layout is None:
                flat.append("".join(c.replace(" ", "") for c in line.split("\t")))
            else:
                out.extend(layout(line.split("\t")))
            continue
        if flat and line.strip():
            out.append("".join(flat))
            flat = []
        if layout is not None or not flat:
            out.append(line)
    if flat:
        out.append("".join(flat))
    return "\n".join(out)


TEXT_LAYOUTS = {
    "tabs": lambda cells: ["\t".join(cells)],
    "markdown": lambda cells: ["| " + " | ".join(cells) + " |"],
    "cell-then-bar": lambda cells: ["|", *[f"{c} |" for c in cells]],
    "value-per-line": lambda cells: [c for c in cells if c.strip()],
    "spaces": lambda cells: ["  ".join(c for c in cells if c.strip())],
    "flattened": None,
}


def _html_from_text(text_path, out_path) -> None:
    """An HTML page holding the same report: paragraphs as <p>, table rows as <tr>."""
    from xxgk_lint.linter.readers import read

    doc = read(str(text_path))
    root = etree.Element("html")
    etree.SubElement(etree.SubElement(root, "head"), "meta", charset="utf-8")
    body = etree.SubElement(root, "body")
    for block in doc.blocks:
        if block.kind == "table":
            table = etree.SubElement(body, "table")
            for row in block.rows:
                tr = etree.SubElement(table, "tr")
                for cell in row:
                    etree.SubElement(tr, "td").text = doc.text[cell.start:cell.end].strip()
        else:
            etree.SubElement(body, "p").text = doc.text[block.start:block.end]
    out_path.write_bytes(etree.tostring(root, method="html", encoding="utf-8", doctype="<!DOCTYPE html>"))


def _as(fmt: str, text: str, tmp_path: pathlib.Path) -> pathlib.Path:
    """``text`` written as a .txt, .docx or .html report."""
    src = tmp_path / "source.txt"
    src.write_text(text, encoding="utf-8")
    if fmt == "txt":
        return src
    out = tmp_path / f"report.{fmt}"
    (docx_from_text if fmt == "docx" else _html_from_text)(src, out)
    return out


# -- the national form ---------------------------------------------------------------------------

SEED_TEXT = SEED001.read_text(encoding="utf-8")


def test_seed_001_golden_values(tmp_path):
    """Read by hand from seed 001 (银川市大数据产业发展服务中心 2018): the non-zero cells."""
    report = report_from_text(tmp_path, SEED_TEXT)
    assert "stat_cum" not in report.tables
    stat = report.tables["stat"]
    nonzero = {rid: row.values["value"].raw for rid, row in stat.rows.items() if row.values["value"].raw != "0"}
    assert nonzero == {"1.1": "120", "1.1a": "2", "1.1b": "2", "1.2.2": "107", "1.2.3": "13", "2.2.1": "1",
                       "2.2.1a": "1", "2.2.3": "8", "8.1": "1", "8.3": "1", "8.3.1": "1", "9.3": "1"}
    assert len(stat.rows) == len(stat.definition.data_rows) and not stat.missing_rows and not stat.problems


@pytest.mark.parametrize("layout", sorted(TEXT_LAYOUTS))
def test_national_form_reads_the_same_in_every_text_layout(tmp_path, layout):
    expected = _values(report_from_text(tmp_path, SEED_TEXT), "stat")
    result = findings_for_text(tmp_path, _render(SEED_TEXT, TEXT_LAYOUTS[layout]), name=f"{layout}.txt")
    assert _values(result.report, "stat") == expected
    assert "stat_cum" not in result.report.tables
    assert _errors(result, "AE") == []


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_national_form_reads_the_same_from_docx_and_html(tmp_path, fmt):
    expected = _values(report_from_text(tmp_path, SEED_TEXT), "stat")
    result = findings(_as(fmt, SEED_TEXT, tmp_path))
    assert _values(result.report, "stat") == expected
    assert _errors(result, "AE") == []


def _seed(replace: dict[str, str]) -> str:
    text = SEED_TEXT
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


# identity -> (edit that breaks it, its severity, the cell the finding points at, expected found/computed)
NATIONAL_CASES = {
    "old.apply-channels": ({"(一) 收到申请数\t件\t0": "(一) 收到申请数\t件\t3", "3.网络申请数\t件\t0": "3.网络申请数\t件\t2"},
                           "error", "3", ("3", "2")),
    "old.closed": ({"1.按时办结数\t件\t0": "1.按时办结数\t件\t1"}, "error", "0", ("0", "1")),
    "old.replies": ({"6.申请信息不存在数\t件\t0": "6.申请信息不存在数\t件\t2"}, "error", "0", ("0", "2")),
    "old.review": ({"四、行政复议数量\t件\t0": "四、行政复议数量\t件\t1"}, "error", "1", ("1", "0")),
    "old.litigation": ({"(三) 其他情形数\t件\t0\n六": "(三) 其他情形数\t件\t4\n六"}, "error", "0", ("0", "4")),
    "old.staff": ({"2.兼职人员数\t人\t0": "2.兼职人员数\t人\t3"}, "error", "1", ("1", "4")),
    "old.subset-normative": ({"其中：主动公开规范性文件数\t条\t2": "其中：主动公开规范性文件数\t条\t121"}, "error", "121",
                             ("121", "120")),
    "old.channel-le-total.website": ({"2.政府网站公开政府信息数\t条\t107": "2.政府网站公开政府信息数\t条\t130"},
                                     "error", "130", None),
    "old.channels-cover": ({"2.政府网站公开政府信息数\t条\t107": "2.政府网站公开政府信息数\t条\t100"}, "warning", None,
                           None),
}


@pytest.mark.parametrize("fmt", ["txt", "docx", "html"])
@pytest.mark.parametrize("identity", sorted(NATIONAL_CASES))
def test_national_identity_fails_and_passes(tmp_path, identity, fmt):
    edit, severity, anchor_raw, sides = NATIONAL_CASES[identity]
    good_dir, bad_dir = tmp_path / "good", tmp_path / "bad"
    good_dir.mkdir()
    bad_dir.mkdir()
    good = findings(_as(fmt, SEED_TEXT, good_dir))
    assert [d for d in good.diagnostics if d.code == "A105"] == []
    result = findings(_as(fmt, _seed(edit), bad_dir))
    diags = [d for d in result.diagnostics if d.code == "A105"]
    assert [d.data["identity"] for d in diags] == [identity]
    assert diags[0].severity.value == severity
    if sides:
        assert (diags[0].data["found"], diags[0].data["computed"]) == sides
    if anchor_raw is not None:  # the finding points at the printed total in the user's file
        assert result.document.text[diags[0].span.start:diags[0].span.end] == anchor_raw


def test_national_finding_names_cells_and_line(tmp_path):
    result = findings_for_text(tmp_path, _seed(NATIONAL_CASES["old.apply-channels"][0]), select=["A"])
    d = next(d for d in result.diagnostics if d.code == "A105")
    assert line_of(result, d) == 185
    assert "“（一）收到申请数”为 3" in d.message and "之和为 2" in d.message
    assert {c["row"] for c in d.data["cells"]} == {"3.1", "3.1.1", "3.1.2", "3.1.3", "3.1.4"}


def test_prose_against_the_national_form(tmp_path):
    sentence = "2018年，银川市大数据产业发展服务中心依申请公开信息0条，"
    bad = _seed({sentence: "2018年，本中心共收到政府信息公开申请2件，" + sentence})
    result = findings_for_text(tmp_path, bad, select=["A301"])
    assert [(d.code, d.data["table"], d.data["prose_value"], d.data["table_value"]) for d in result.diagnostics] == \
        [("A301", "stat", "2", "0")]
    good = _seed({sentence: "2018年，本中心共收到政府信息公开申请0件，" + sentence})
    assert findings_for_text(tmp_path, good, select=["A301"]).diagnostics == []


# -- the provincial form (本年度 / 历年累计) -------------------------------------------------------

# Read by hand from the two pages: every row's 本年度 and 历年累计.
PINGTAN_VALUES = {
    2017: {"pub": ("2122", "10037"), "pub.web": ("2122", "10037")},
    2018: {"pub": ("2069", "12106"), "pub.web": ("2069", "12106")},
}
CUM_ROWS = ["pub", "pub.web", "pub.gazette", "apply", "apply.in_person", "apply.online", "apply.mail_fax", "reply",
            "reply.agree", "reply.partly", "reply.refuse", "reply.other", "complaint", "review", "litigation"]


@pytest.mark.parametrize("year", [2017, 2018])
def test_pingtan_golden(year):
    result = findings(PINGTAN[year])
    report = result.report
    assert report.version == "old" and "stat" not in report.tables
    table = report.tables["stat_cum"]
    got = {rid: (row.values["year"].raw, row.values["cumulative"].raw) for rid, row in table.rows.items()}
    want = {rid: PINGTAN_VALUES[year].get(rid, ("0", "0")) for rid in CUM_ROWS}
    assert got == want
    assert not table.problems and not table.missing_rows
    # every number came out of a run of digits, and points at its own digits
    cell = table.cell("pub", "cumulative")
    assert cell.inferred and report.document.text[cell.span.start:cell.span.end] == want["pub"][1]
    assert _errors(result) == []


def _previous_check(path) -> list[dict]:
    code, out, _ = run("check", path, "--previous", PINGTAN[2017], "--format", "json", "--no-cache")
    return [i for i in json.loads(out) if i["code"] == "X101"]


def test_pingtan_cumulative_follows_on_from_the_previous_year():
    """历年累计 2018 (12106) = 历年累计 2017 (10037) + 本年度 2018 (2069)."""
    assert _previous_check(PINGTAN[2018]) == []


def test_pingtan_cumulative_that_does_not_follow_on(tmp_path):
    text = PINGTAN[2018].read_text(encoding="utf-8").replace("主动公开文件数条206912106", "主动公开文件数条206912107")
    path = tmp_path / "pingtan-2018.txt"
    path.write_text(text, encoding="utf-8")
    found = _previous_check(path)
    assert len(found) == 1 and found[0]["data"]["identity"] == "old.cum.cumulative-cross-year"
    assert (found[0]["data"]["found"], found[0]["data"]["expected"]) == ("12107", "12106")
    assert found[0]["line"] == 10


def test_a_run_that_several_splits_fit_is_not_guessed(tmp_path):
    """Without the prose sentence stating 2069, "206912106" splits as 20|6912106,
    206|912106 or 2069|12106 (累计 not below 本年度): unreadable, never a guess."""
    text = PINGTAN[2018].read_text(encoding="utf-8").replace("2018年全区主动公开政府信息2069条", "2018年全区主动公开了政府信息")
    result = findings_for_text(tmp_path, text)
    e010 = [d for d in result.diagnostics if d.code == "E010"]
    # 政府网站公开数 has the same digits and, with 主动公开文件数 unknown, the same readings
    assert {d.data["row"] for d in e010} == {"pub", "pub.web"}
    pub = next(d for d in e010 if d.data["row"] == "pub")
    assert pub.data["candidates"] == ["20/6912106", "206/912106", "2069/12106"]
    assert "仍有 3 种：20/6912106、206/912106、2069/12106" in pub.message
    assert text[pub.span.start:pub.span.end].startswith("主动公开文件数")
    assert not {"pub", "pub.web"} & set(result.report.tables["stat_cum"].rows)
    assert not [d for d in result.diagnostics if d.code.startswith("A1")]


CUM_HEADER = "指标名称\t计量单位\t2018年度\t历年累计"
CUM_LABELS = {
    "pub": "主动公开文件数", "pub.web": "其中：1.政府网站公开数", "pub.gazette": "2.政府公报公开数",
    "apply": "受理依申请公开信息总数", "apply.in_person": "其中：1.当面申请数", "apply.online": "2.网上申请数",
    "apply.mail_fax": "3.信函、传真申请数", "reply": "对申请的答复总数", "reply.agree": "其中：1.同意公开答复数",
    "reply.partly": "2.同意部分公开答复数", "reply.refuse": "3.不予公开答复数", "reply.other": "4.其他类型答复数",
    "complaint": "接受行政诉讼、举报数", "review": "行政复议数", "litigation": "行政诉讼数",
}
CUM_UNITS = {"complaint": "件", "review": "件", "litigation": "件"}


def _cum_report(values: dict[str, tuple[int, int]], prose: str = "") -> str:
    """A 2018 report of the provincial form with ``values`` (row -> (本年度, 历年累计)), as tab rows."""
    rows = [f"{CUM_LABELS[r]}\t{CUM_UNITS.get(r, '条')}\t{values[r][0]}\t{values[r][1]}" for r in CUM_ROWS]
    return "\n".join([
        "示例县人民政府2018年政府信息公开工作年度报告", "",
        "本报告所列数据的统计期限自2018年1月1日起至2018年12月31日止。", "",
        "一、概述", "", prose or "2018年，本县依法做好政府信息公开工作。", "",
        "二、政府信息公开情况统计表", "", CUM_HEADER, *rows, "",
    ])


GOOD_CUM = {r: (0, 0) for r in CUM_ROWS} | {
    "pub": (120, 900), "pub.web": (110, 850), "pub.gazette": (12, 60),
    "apply": (5, 30), "apply.in_person": (1, 10), "apply.online": (3, 15), "apply.mail_fax": (1, 5),
    "reply": (5, 29), "reply.agree": (3, 20), "reply.partly": (1, 4), "reply.refuse": (1, 3), "reply.other": (0, 2),
    "review": (1, 2),
}

# identity -> (change that breaks it, severity, the printed number the finding points at)
CUM_CASES = {
    "old.cum.apply-channels": ({"apply": (6, 31)}, "error", "6"),
    "old.cum.replies": ({"reply.other": (1, 2)}, "error", "5"),
    "old.cum.year-le-cumulative": ({"review": (3, 2)}, "error", "2"),
    "old.cum.web-le-total": ({"pub.web": (130, 850)}, "error", "130"),
    "old.cum.channels-cover": ({"pub.web": (100, 850)}, "warning", "120"),
}


@pytest.mark.parametrize("fmt", ["txt", "docx", "html"])
def test_provincial_form_correct_report_has_no_finding(tmp_path, fmt):
    result = findings(_as(fmt, _cum_report(GOOD_CUM), tmp_path))
    table = result.report.tables["stat_cum"]
    assert {rid: (int(r.values["year"].raw), int(r.values["cumulative"].raw)) for rid, r in table.rows.items()} == GOOD_CUM
    assert _errors(result) == []


@pytest.mark.parametrize("fmt", ["txt", "docx", "html"])
@pytest.mark.parametrize("identity", sorted(CUM_CASES))
def test_provincial_identity_fails(tmp_path, identity, fmt):
    change, severity, anchor = CUM_CASES[identity]
    result = findings(_as(fmt, _cum_report(GOOD_CUM | change), tmp_path))
    diags = [d for d in result.diagnostics if d.code == "A105"]
    assert [d.data["identity"] for d in diags] == [identity]
    assert diags[0].severity.value == severity
    assert result.document.text[diags[0].span.start:diags[0].span.end] == anchor


def test_prose_against_the_provincial_form(tmp_path):
    bad = _cum_report(GOOD_CUM, "2018年，本县共受理政府信息公开申请6件，行政复议1件。")
    result = findings_for_text(tmp_path, bad, select=["A301"])
    assert [(d.data["table"], d.data["quantity"], d.data["prose_value"], d.data["table_value"])
            for d in result.diagnostics] == [("stat_cum", "received", "6", "5")]
    good = _cum_report(GOOD_CUM, "2018年，本县共受理政府信息公开申请5件，行政复议1件。")
    assert findings_for_text(tmp_path, good, select=["A301"]).diagnostics == []


# -- property: consistent tables in any layout read back exactly ----------------------------------

@st.composite
def _cum_tables(draw):
    n = st.integers(0, 300)
    values: dict[str, tuple[int, int]] = {}

    def pair(year=None):
        y = draw(n) if year is None else year
        return y, y + draw(n)

    values["pub"] = pair()
    for r in ("pub.web", "pub.gazette"):
        y = draw(st.integers(0, values["pub"][0]))
        values[r] = (y, y + draw(st.integers(0, values["pub"][1] - values["pub"][0])))
    for total, parts in (("apply", ["apply.in_person", "apply.online", "apply.mail_fax"]),
                         ("reply", ["reply.agree", "reply.partly", "reply.refuse", "reply.other"])):
        for p in parts:
            values[p] = pair()
        values[total] = (sum(values[p][0] for p in parts), sum(values[p][1] for p in parts))
    for r in ("complaint", "review", "litigation"):
        values[r] = pair()
    return values


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=_cum_tables(), layout=st.sampled_from(sorted(TEXT_LAYOUTS)))
def test_property_consistent_provincial_tables_read_back(tmp_path, values, layout):
    """Every layout reads the table back exactly; a flattened one may leave a row
    unreadable (E010) when several splits fit, but never reads a wrong number."""
    text = _render(_cum_report(values), TEXT_LAYOUTS[layout])
    result = findings_for_text(tmp_path, text, name=f"{layout}.txt")
    table = result.report.tables["stat_cum"]
    got = {rid: (int(r.values["year"].raw), int(r.values["cumulative"].raw)) for rid, r in table.rows.items()}
    unreadable = table.unreliable_rows()
    if layout != "flattened":
        assert got == values and not unreadable
    else:
        assert set(got) | unreadable == set(CUM_ROWS)
        assert {rid: got[rid] for rid in got} == {rid: values[rid] for rid in got}
    assert [d for d in result.diagnostics if d.code.startswith("A1") and d.severity.value == "error"] == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), layout=st.sampled_from(sorted(TEXT_LAYOUTS)))
def test_property_consistent_national_tables_read_back(tmp_path, data, layout):
    """Seed 001's table with random consistent numbers in the application, review,
    litigation and staff blocks reads back exactly in every layout."""
    def part(n):
        return data.draw(st.lists(st.integers(0, 500), min_size=n, max_size=n))

    channels, closed, replies, review, lit, staff = part(4), part(2), part(8), part(3), part(3), part(2)
    lines = SEED_TEXT.split("\n")
    want: dict[str, int] = {}

    def setrow(label_start: str, rid: str, value: int, nth: int = 0):
        hits = [i for i, ln in enumerate(lines) if ln.startswith(label_start) and "\t" in ln]
        i = hits[nth]
        cells = lines[i].split("\t")
        lines[i] = "\t".join([*cells[:2], str(value)])
        want[rid] = value

    setrow("(一) 收到申请数", "3.1", sum(channels))
    for k, (lab, rid) in enumerate([("1.当面申请数", "3.1.1"), ("2.传真申请数", "3.1.2"), ("3.网络申请数", "3.1.3"),
                                    ("4.信函申请数", "3.1.4")]):
        setrow(lab, rid, channels[k])
    setrow("(二) 申请办结数", "3.2", sum(closed))
    setrow("1.按时办结数", "3.2.1", closed[0])
    setrow("2.延期办结数", "3.2.2", closed[1])
    setrow("(三) 申请答复数", "3.3", sum(replies))
    for k, lab in enumerate(["1.属于已主动公开范围数", "2.同意公开答复数", "3.同意部分公开答复数", "4.不同意公开答复数",
                             "5.不属于本行政机关公开数", "6.申请信息不存在数", "7.告知作出更改补充数", "8.告知通过其他途径办理数"]):
        setrow(lab, f"3.3.{k + 1}", replies[k])
    # 不同意公开答复数's 其中 rows: all of it under the last one
    setrow("法律法规规定的其他情形", "3.3.4f", replies[3])
    setrow("四、行政复议数量", "4", sum(review))
    setrow("五、行政诉讼数量", "5", sum(lit))
    for k, (lab, nth) in enumerate([("(一) 维持具体行政行为数", 0), ("(二) 被依法纠错数", 0), ("(三) 其他情形数", 0)]):
        setrow(lab, f"4.{k + 1}", review[k], nth)
    for k, (lab, nth) in enumerate([("(一) 维持具体行政行为或者驳回", 0), ("(二) 被依法纠错数", 1), ("(三) 其他情形数", 1)]):
        setrow(lab, f"5.{k + 1}", lit[k], nth)
    setrow("(三) 从事政府信息公开工作人员数", "8.3", sum(staff))
    setrow("1.专职人员数", "8.3.1", staff[0])
    setrow("2.兼职人员数", "8.3.2", staff[1])
    text = _render("\n".join(lines), TEXT_LAYOUTS[layout])
    result = findings_for_text(tmp_path, text, name=f"{layout}.txt", select=["A", "E"])
    stat = result.report.tables["stat"]
    assert {rid: int(stat.cell(rid, "value").raw) for rid in want} == want
    assert _errors(result, "AE") == []


def test_provincial_form_left_in_a_2023_report_is_a_leftover(tmp_path):
    scaffold = (FIXTURES / "rule-example-scaffold.txt").read_text(encoding="utf-8")
    table = "\n".join(ln for ln in _cum_report(GOOD_CUM).split("\n") if "\t" in ln)
    result = findings_for_text(tmp_path, scaffold.rstrip("\n") + "\n\n附件：政府信息公开情况统计表\n\n" + table + "\n")
    assert "stat_cum" in result.report.tables and result.report.version == "gb2021"
    leftover = [d for d in result.diagnostics if d.code == "L101"]
    found = {f["label"] for f in leftover[0].data["found"]}
    assert len(leftover) == 1 and {"历年累计", "主动公开文件数", "对申请的答复总数"} <= found
    # the scaffold's own tables are there: a warning, and the year column heading is P103's
    assert leftover[0].severity.value == "warning"
    assert [d.code for d in result.diagnostics if d.code == "P103"] == ["P103"]


def _docx_merged(text: str, path: pathlib.Path) -> None:
    """A .docx of ``text`` whose header rows (一、主动公开情况 …, no unit and no value)
    are one cell merged across the table, as Word tables of the 统计表 print them."""
    import docx

    word = docx.Document()
    rows: list[list[str]] = []

    def flush():
        if not rows:
            return
        table = word.add_table(rows=len(rows), cols=3)
        for i, row in enumerate(rows):
            for j, value in enumerate(row[:3]):
                table.cell(i, j).text = value
            if not "".join(row[1:]).strip():
                merged = table.cell(i, 0).merge(table.cell(i, 2))
                for extra in merged.paragraphs[1:]:  # merging joins the cells' paragraphs
                    extra._element.getparent().remove(extra._element)
                merged.paragraphs[0].text = row[0]
        rows.clear()

    for line in text.split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        if line.strip():
            word.add_paragraph(line)
    flush()
    word.save(str(path))


def test_national_form_in_word_with_merged_header_rows(tmp_path):
    expected = _values(report_from_text(tmp_path, SEED_TEXT), "stat")
    _docx_merged(SEED_TEXT, tmp_path / "merged.docx")
    result = findings(tmp_path / "merged.docx")
    assert _values(result.report, "stat") == expected
    assert _errors(result, "AES") == []
    bad = _seed(NATIONAL_CASES["old.staff"][0])
    _docx_merged(bad, tmp_path / "bad.docx")
    result = findings(tmp_path / "bad.docx")
    assert [d.data["identity"] for d in result.diagnostics if d.code == "A105"] == ["old.staff"]


def test_national_form_flattened_into_its_section_heading(tmp_path):
    """A flattened page where the table's first rows are in the line of the section
    heading (十二、政府信息公开情况统计表统计指标单位统计数一、主动公开情况…): all rows are read."""
    expected = _values(report_from_text(tmp_path, SEED_TEXT), "stat")
    caption = "银川市大数据产业发展服务中心 2018 年度政府信息公开情况统计表\n\n"
    flat = _render(SEED_TEXT, None)
    assert caption in flat
    result = findings_for_text(tmp_path, flat.replace(caption, "十二、政府信息公开情况统计表"))
    assert _values(result.report, "stat") == expected
    assert _errors(result) == []


def test_old_report_without_a_table_gets_none(tmp_path):
    """Section headings that are also header rows of the national form (一、主动公开情况 …)
    and a mention of the 统计表 make no table."""
    text = "\n".join([
        "示例县人民政府2018年政府信息公开工作年度报告", "",
        "本报告由概述、主动公开情况、依申请公开情况和政府信息公开情况统计表组成。", "",
        "一、主动公开情况", "", "2018年主动公开政府信息120条。", "",
        "二、回应解读情况", "", "回应公众关注热点3次。", "",
        "三、依申请公开情况", "", "2018年未收到政府信息公开申请。", "",
    ])
    result = findings_for_text(tmp_path, text)
    assert not {"stat", "stat_cum"} & set(result.report.tables)
    assert [d for d in result.diagnostics if d.code in ("S202", "S203", "E010")] == []


def test_year_column_of_last_year_is_still_caught(tmp_path):
    text = PINGTAN[2018].read_text(encoding="utf-8").replace("2018年度历年累计", "2017年度历年累计")
    result = findings_for_text(tmp_path, text)
    assert [d.code for d in result.diagnostics if d.code.startswith(("P", "A", "E"))] == ["P103"]
    # the table is still read
    assert result.report.tables["stat_cum"].value("pub", "cumulative") == 12106
