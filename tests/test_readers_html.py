"""Web-page reader: declared charset, colspan/rowspan grid, site furniture and
page metadata dropped, positions as line/column of the HTML source."""

from __future__ import annotations

import json

import pytest

from readers_util import DOCUMENTS, report_of
from xxgk_lint.linter.readers import ReadError, read

PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某区2023年政府信息公开工作年度报告</title><script>var nav = "首页";</script>
<style>.x{}</style></head>
<body><div class="nav"><ul><li>首页</li><li>政务公开</li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 年报</div>
<table class="info"><tr><td>索引号</td><td>0001/2024-001</td><td>发布机构</td><td>某区政府</td></tr>
<tr><td>发布日期</td><td>2024-01-15</td><td>主题分类</td><td>年报</td></tr></table>
<div class="article"><h1>某区2023年政府信息公开工作年度报告</h1>
<div class="fontsize">字号：大 中 小</div>
<p>一、总体情况</p>
<p>正文&nbsp;第一段，含“𠀀”字。</p>
<table border="1">
<tr><td rowspan="2">信息内容</td><td colspan="2">数量</td></tr>
<tr><td>制发</td><td>废止</td></tr>
<tr><td>规章</td><td>1</td><td>2</td></tr>
</table>
</div>
<div class="share">分享到：微信</div><div class="footer">版权所有</div>
</body></html>
"""


def write_gb(tmp_path, text=PAGE, name="page.html"):
    path = tmp_path / name
    path.write_bytes(text.encode("gb18030"))  # declared gb2312, holds a GB18030-only character
    return path


def test_charset_grid_and_furniture(tmp_path):
    doc = read(str(write_gb(tmp_path)))
    assert doc.metadata["encoding"] == "gb18030"
    paragraphs = [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "paragraph"]
    assert paragraphs == ["发布日期：2024-01-15", "某区2023年政府信息公开工作年度报告", "一、总体情况",
                          "正文 第一段，含“𠀀”字。"]
    assert doc.metadata["published"] == "2024-01-15"
    for junk in ("首页", "当前位置", "索引号", "字号", "分享到", "版权所有", "var nav"):
        assert junk not in "".join(paragraphs)
    table = [b for b in doc.blocks if b.kind == "table"]
    assert len(table) == 1
    shape = [[(doc.text[c.start:c.end], c.rowspan, c.colspan) for c in row] for row in table[0].rows]
    assert shape == [[("信息内容", 2, 1), ("数量", 1, 2)], [("制发", 1, 1), ("废止", 1, 1)],
                     [("规章", 1, 1), ("1", 1, 1), ("2", 1, 1)]]
    assert [b.style for b in doc.blocks if b.kind == "paragraph"][1] == "h1"


def test_location_is_line_and_column_of_the_html_source(tmp_path):
    path = write_gb(tmp_path)
    doc = read(str(path))
    source_lines = PAGE.split("\n")
    loc = doc.location(doc.text.index("一、总体情况"))
    assert loc["kind"] == "html"
    assert source_lines[loc["line"] - 1][loc["column"] - 1:].startswith("一、总体情况")
    table = [b for b in doc.blocks if b.kind == "table"][0]
    loc = doc.location(table.rows[2][2].start)
    assert source_lines[loc["line"] - 1][loc["column"] - 1:].startswith("2</td>")


def test_real_page_on_one_line_has_columns():
    path = DOCUMENTS.parent / "real" / "shanghai-bgt-2019.html"
    doc = read(str(path))
    source = path.read_text(encoding="utf-8")
    loc = doc.location(doc.text.index("二、主动公开政府信息情况"))
    assert loc["line"] == 1 and source.split("\n")[0][loc["column"] - 1:].startswith("二、主动公开政府信息情况")
    report = report_of(path)
    assert report.version == "gb2019" and report.year.value == 2019
    assert {"t2", "t3", "t4"} <= set(report.tables)
    assert doc.metadata["published"] == "2020-01-31"


def test_real_government_page_with_site_around_it():
    report = report_of(DOCUMENTS / "shuyang-fgj-2023.html")
    assert report.title.value == "沭阳县发展和改革局2023年政府信息公开年度报告"
    assert report.version == "gb2021"
    assert [s.heading.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert {"t2", "t3", "t4"} <= set(report.tables)
    assert len(report.tables["t3"].rows) >= 20
    doc = report.document
    assert doc.metadata["published"] == "2024-01-17"
    for junk in ("繁體版", "无障碍", "走进沭阳", "索引号"):
        assert junk not in "".join(doc.text[b.start:b.end] for b in doc.blocks if b.kind == "paragraph")


def test_gbk_page_of_generated_report():
    doc = read(str(DOCUMENTS / "report_gov_gbk.html"))
    assert doc.metadata["encoding"] == "gb18030"
    assert "政务公开" not in doc.text.split("\n")[0]  # the nav is gone
    assert report_of(DOCUMENTS / "report_gov_gbk.html").title is not None


def test_entities_are_not_resolved(tmp_path):
    path = tmp_path / "xxe.html"
    path.write_text('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    "<html><body><p>报告&x;正文</p></body></html>", encoding="utf-8")
    doc = read(str(path))
    assert "root:" not in doc.text and "报告" in doc.text


@pytest.mark.parametrize("content", ["", "   \n", "<html><body><script>document.write('x')</script></body></html>"])
def test_page_without_text(tmp_path, content):
    path = tmp_path / "empty.html"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E004"


def test_a_misspelt_charset_is_ignored_not_fatal(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes('<html><head><meta charset="gb2342"></head><body><p>一、总体情况</p></body></html>'
                     .encode("gb18030") + b"\xff")  # and one byte that no encoding takes
    doc = read(str(page))
    assert "一、总体情况" in doc.text and doc.metadata["encoding"] == "gb18030"


def _source_at(source: str, loc: dict) -> str:
    return source.split("\n")[loc["line"] - 1][loc["column"] - 1:]


def test_positions_are_where_the_text_is_never_in_an_attribute(tmp_path):
    page = ('<html><body><p>某区2023年政府信息公开工作年度报告</p>\n'
            '<div><p style="margin:0">intro</p>一、总体情况<span>x</span></div>\n'
            '<table width="300" border="1"><tr><td width="30">信息内容</td><td width="30">数量</td></tr>'
            '<tr><td width="30" style="font-size:10pt">规章</td>'
            '<td width="30"><span style="font-size:10pt">0</span></td></tr>\n'
            '<tr><td width="30">&nbsp;规范性文件</td><td width="30" class="c0"></td></tr></table></body></html>')
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = read(str(path))
    for line in range(1, len(doc.line_starts) + 1):
        loc = doc.location(doc.line_starts[line - 1])
        text = doc.line_text(line)
        expected = text[:2] if text else "<td"  # an empty cell is at its element
        assert _source_at(page, loc).startswith(expected), (text, loc)
    table = [b for b in doc.blocks if b.kind == "table"][0]
    zero, empty = table.rows[1][1], table.rows[2][1]
    assert _source_at(page, doc.location(zero.start)).startswith("0</span>")
    assert _source_at(page, doc.location(empty.start)).startswith('<td width="30" class="c0">')
    # within a text the column counts on, as far as the source has the text as it is
    loc = doc.location(doc.text.index("总体情况"))
    assert _source_at(page, loc).startswith("总体情况")


def test_real_page_findings_are_placed_in_the_html_source(tmp_path):
    from clihelp import run

    path = DOCUMENTS.parent / "real" / "shanghai-bgt-2019.html"
    source = path.read_text(encoding="utf-8")
    doc = read(str(path))
    assert all(info["column"] > 1 for info in doc.line_info)  # nothing left at 1:1
    code, out, _ = run("check", "--no-cache", "--format", "json", path)
    items = json.loads(out)
    blank = [i for i in items if i["code"] == "A202"]
    assert blank and all(_source_at(source, i["location"]).startswith("<td") for i in blank)
    s104 = next(i for i in items if i["code"] == "S104")
    assert s104["line"] > 1  # json line/column: the extracted text's
    assert _source_at(source, s104["location"]).startswith("五、政府信息公开工作存在的主要问题及改进情况</p>")
    column = s104["location"]["column"]
    # formats that show only a line and column show the HTML file's
    code, out, _ = run("check", "--no-cache", "--format", "concise", path)
    assert f"{path}:1:{column}: S104 " in out and f":{s104['line']}:" not in out
    code, out, _ = run("check", "--no-cache", "--format", "github", path)
    line = next(x for x in out.splitlines() if "S104" in x)
    assert f"line=1,endLine=1,col={column},endColumn={column + len('五、政府信息公开工作存在的主要问题及改进情况')}" in line
    code, out, _ = run("check", "--no-cache", "--format", "sarif", path)
    result = next(r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "S104")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (1, column)
    code, out, _ = run("check", "--no-cache", "--format", "junit", path)
    assert f":1:{column}: S104" in out
    code, out, _ = run("check", "--no-cache", "--format", "text", path)
    assert f"{path}:1:{column}: S104" in out


def test_huge_rowspan_and_colspan_are_clamped_quickly(tmp_path):
    import time

    rows = "".join(f'<tr><td rowspan="1000" colspan="1000">{i}</td><td rowspan="1000" colspan="1000">x</td></tr>'
                   for i in range(150))
    path = tmp_path / "bomb.html"
    path.write_text(f"<html><body><p>报告</p><table>{rows}</table></body></html>", encoding="utf-8")
    began = time.monotonic()
    doc = read(str(path))
    assert time.monotonic() - began < 5
    table = [b for b in doc.blocks if b.kind == "table"][0]
    assert len(table.rows) == 150
    assert all(c.rowspan == 150 - r and c.colspan <= 4 for r, row in enumerate(table.rows) for c in row)


def test_span_attributes_read_as_browsers_do(tmp_path):
    path = tmp_path / "spans.html"
    path.write_text('<html><body><table><tr><td colspan="2.5">a</td><td colspan="abc">b</td></tr>'
                    '<tr><td rowspan=" 3x">c</td><td>d</td><td colspan="0">e</td></tr></table></body></html>',
                    encoding="utf-8")
    doc = read(str(path))
    rows = [b for b in doc.blocks if b.kind == "table"][0].rows
    assert [[(c.rowspan, c.colspan) for c in row] for row in rows] == [[(1, 2), (1, 1)], [(1, 1), (1, 1), (1, 1)]]


def test_an_absurd_grid_is_too_large(tmp_path):
    rows = "".join(f'<tr><td rowspan="1000" colspan="2">{i}</td><td rowspan="1000">x</td></tr>' for i in range(1000))
    path = tmp_path / "stairs.html"
    path.write_text(f"<html><body><p>报告</p><table>{rows}</table></body></html>", encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E005" and info.value.data["limit"] == 1_000_000
