"""C106 old-required-content and S106 preamble-part-count.

The documents in fixtures/oldcontent/ were written for these tests (see
fixtures/README.md): short 乡镇/街道 reports in the pre-2019 form, one complete
and one with omissions, each also flattened to one line as a crawler saves a
web page, and a 街道 report whose 统计表 carries the fee, 复议 and 诉讼 rows
(as text and as an HTML table).  The edits of these reports that turn an item
on or off are rule cases: tests/rule_cases/C106.yml and S106.yml."""

import pathlib

import pytest

from helpers import findings, findings_for_text, line_of

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
OLD = FIXTURES / "oldcontent"
OMISSIONS = (OLD / "town-2017-omissions.txt").read_text(encoding="utf-8")


def _c106(result):
    return [d for d in result.diagnostics if d.code == "C106"]


def _parts(result):
    return sorted(d.data["part"] for d in _c106(result))


def _s106(result):
    return [d for d in result.diagnostics if d.code == "S106"]


# -- C106 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["town-2016-complete.txt", "town-2016-complete-flat.txt",
                                  "street-2015-stat-table.txt", "street-2015-stat-table.html"])
def test_reports_covering_every_item_pass(name):
    result = findings(OLD / name, select=("C106", "S106"))
    assert result.report.version == "old"
    assert result.diagnostics == []


@pytest.mark.parametrize("name", ["town-2017-omissions.txt", "town-2017-omissions-flat.txt"])
def test_omitted_items_are_reported_each_once(name):
    result = findings(OLD / name, select=("C106",))
    # no fee statement, no 复议, no 诉讼, and a 下一步工作计划 without any problem;
    # 主动公开, 依申请公开 (受理……申请1件) and the improvements are there
    assert _parts(result) == ["fees", "litigation", "problems", "review"]
    assert all(d.severity.value == "warning" for d in _c106(result))
    by_part = {d.data["part"]: d for d in _c106(result)}
    fees = by_part["fees"]
    assert "第三十二条第（三）项“政府信息公开的收费及减免情况”" in fees.message
    assert "未收取任何费用" in fees.message  # what was searched
    assert "可在“三、依申请公开政府信息情况”部分说明" in fees.message
    problems = by_part["problems"]
    assert "关于存在的主要问题" in problems.message and "“四、下一步工作计划" in problems.message
    assert "关于行政复议" in by_part["review"].message and "关于行政诉讼" in by_part["litigation"].message


def test_findings_point_at_the_heading_that_would_hold_the_item():
    result = findings(OLD / "town-2017-omissions.txt", select=("C106",))
    by_part = {d.data["part"]: d for d in _c106(result)}
    lines = OMISSIONS.splitlines()
    assert lines[line_of(result, by_part["fees"]) - 1] == "三、依申请公开政府信息情况"
    assert lines[line_of(result, by_part["problems"]) - 1] == "四、下一步工作计划"


def test_copies_in_traditional_characters_are_not_checked(tmp_path):
    # a mirror site's conversion: the word lists are simplified, so nothing they miss is missing
    table = str.maketrans("开关与这说对从当应务会机经们体于办报处条议诉费", "開關與這說對從當應務會機經們體於辦報處條議訴費")
    result = findings_for_text(tmp_path, OMISSIONS.translate(table), select=("C106",))
    assert result.report.version == "old" and _c106(result) == []


def test_only_old_format_reports_are_checked():
    # the standard example report (2023, gb2021) states fees in 六; without it C106 still stays silent
    result = findings(FIXTURES / "rule-example-scaffold.txt", select=("C106",))
    assert result.report.version == "gb2021" and _c106(result) == []


def test_fixture_reports_verified_by_reading():
    """C106 on every report in seeds/, real/ and documents/: verified by reading each.

    - seeds/001 (2018, 银川市大数据产业发展服务中心, old): 依申请 in 七, 复议/诉讼 in 七 ("没有……申请行政复议
      ……未发生……提起行政诉讼") and the 统计表, fees in the 统计表 row "七、依申请公开信息收取的费用 万元 0",
      problems in 十、存在的问题, plans in 十一: nothing missing, nothing reported.
    - real/pingtan-zhsyq-2017 and -2018 (平潭综合实验区, old, one-line web pages): 主动公开 (二), 依申请
      ("未收到有关政府信息公开申请"), 复议/诉讼 (四), problems and measures (五, "还存在一些不足") are there;
      the fee item is really missing: the only 收费 words are "行政事业性收费信息2条/3条" (disclosed
      items) and "免费自助复印" (a service hall), and their local 统计表 has no fee row.  One C106 each.
    - every other fixture is on the 2019 or 2021 format: not checked.
    """
    expected = {"pingtan-zhsyq-2017.txt": ["fees"], "pingtan-zhsyq-2018.txt": ["fees"]}
    paths = sorted([*(FIXTURES / "seeds").iterdir(), *(FIXTURES / "real").iterdir(),
                    *(FIXTURES / "documents").iterdir()])
    for path in paths:
        if path.suffix not in (".txt", ".html", ".docx", ".pdf", ".odt", ".doc", ".ofd") or "garbled" in path.name:
            continue
        result = findings(path, select=("C106", "S106"))
        assert _parts(result) == expected.get(path.name, []), path.name
        # S106: the five seeds state no count, or six with six sections (seed 002); 平潭 2017/2018 say
        # 六个部分 (统计表 numbered 六) and have 一…六; 2019-2025 say 六/6 with six sections
        assert _s106(result) == [], path.name


# -- S106: its edits of the complete town report are rule cases (tests/rule_cases/S106.yml) ------


def test_stat_table_in_a_word_document_covers_fees_and_review(tmp_path):
    # the street report as .docx: prose paragraphs, the 统计表 as a Word table
    import docx

    text = (OLD / "street-2015-stat-table.txt").read_text(encoding="utf-8")
    document = docx.Document()
    rows = [ln.split("\t") for ln in text.splitlines() if "\t" in ln]
    for line in text.splitlines():
        if line.strip() and "\t" not in line:
            document.add_paragraph(line)
        if line.startswith("西湖街道办事处2015年度政府信息公开情况统计表"):
            table = document.add_table(rows=len(rows), cols=3)
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
    path = tmp_path / "street.docx"
    document.save(path)
    result = findings(path, select=("C106", "S106"))
    assert result.report.version == "old" and result.diagnostics == []
    # without the table's fee row the fee item is missing
    document.tables[0]._tbl.remove(document.tables[0].rows[-1]._tr)
    document.save(path)
    assert _parts(findings(path, select=("C106",))) == ["fees"]
