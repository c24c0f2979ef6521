"""The same report in the table layouts real reports use (copied from web pages,
extracted from PDF, exported from Word): every layout gives the same table
values and no finding; an empty cell is found in its own column in every layout
that can show one."""

from __future__ import annotations

import re

import pytest

from clihelp import SCAFFOLD
from helpers import findings_for_text

_NUMBER = re.compile(r"^\d+$")


def _rows(text: str):
    """(label, values) for each table row of the scaffold (lines ending in numbers), else None."""
    for line in text.split("\n"):
        parts = line.split(" ")
        nums = [p for p in parts if _NUMBER.match(p)]
        if len(parts) > 1 and nums and parts[-len(nums):] == nums:
            yield line, " ".join(parts[:-len(nums)]), nums
        else:
            yield line, None, None


def _render(layout, text: str) -> str:
    out: list[str] = []
    for line, label, values in _rows(text):
        if label is None:
            out.append(line)
        else:
            out.extend(layout(label, values))
    return "\n".join(out)


LAYOUTS = {
    # cells separated by tabs (Word or a spreadsheet pasted as text)
    "tabs": lambda label, values: ["\t".join([label, *values])],
    # a Markdown table row
    "markdown": lambda label, values: ["| " + " | ".join([label, *values]) + " |"],
    # a web page printed one cell per line, each cell closed by a bar, the row opened by one
    "cell-then-bar": lambda label, values: ["|", *([f"{label} |"] if label else []), *[f"{v} |" for v in values]],
    # a web page printed with every bar on a line of its own, rows ended by "||"
    "bar-on-its-own-line": lambda label, values: [*([label, "|"] if label else []),
                                                  *[x for v in values for x in (v, "|")], "||"],
    # PDF text: the label, then one value per line
    "value-per-line": lambda label, values: [label, *values] if label else [" ".join(values)],
}


def _table_values(report) -> dict:
    return {tid: {(rid, cid): (cell.kind, cell.raw) for rid, row in table.rows.items()
                  for cid, cell in row.values.items()}
            for tid, table in report.tables.items()}


EXPECTED = None


def _expected(tmp_path):
    global EXPECTED
    if EXPECTED is None:
        result = findings_for_text(tmp_path, SCAFFOLD)
        assert result.diagnostics == []
        EXPECTED = _table_values(result.report)
    return EXPECTED


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_every_layout_reads_the_same_tables_and_finds_nothing(tmp_path, name):
    result = findings_for_text(tmp_path, _render(LAYOUTS[name], SCAFFOLD), name=f"{name}.txt")
    assert [(d.code, d.message) for d in result.diagnostics] == []
    assert _table_values(result.report) == _expected(tmp_path)


def test_pdf_table4_header_printed_one_character_per_line(tmp_path):
    """Table 4's narrow header cells come out of PDF text one character per column."""
    header = "\n".join(["行政复议 行政诉讼", "未经复议直接起诉 复议后起诉", "结 结 其 尚", "结 结 其 尚 结 结 其 尚",
                        "果 果 他 未", "总计 果 果 他 未 总 果 果 他 未 总", "维 纠 结 审", "维 纠 结 审 计 维 纠 结 审 计",
                        "持 正 果 结", "持 正 果 结 持 正 果 结", "1 0 0 1 2 0 0 0 0 0 0 0 0 0 0"])
    text = re.sub(r"(四、政府信息公开行政复议、行政诉讼情况\n).*?(\n\n五)", lambda m: m.group(1) + header + m.group(2),
                  SCAFFOLD, flags=re.S)
    result = findings_for_text(tmp_path, text)
    assert result.diagnostics == []
    t4 = result.report.tables["t4"]
    assert [t4.value("count", c) for c in ("rev_maintain", "rev_pending", "rev_total")] == [1, 1, 2]


@pytest.mark.parametrize("name", ["tabs", "markdown", "cell-then-bar", "bar-on-its-own-line"])
def test_an_empty_cell_is_found_in_its_column(tmp_path, name):
    def layout(label, values):
        if label == "（一）予以公开":  # the 商业企业 cell left empty
            values = [values[0], "", *values[2:]]
        return LAYOUTS[name](label, values)

    result = findings_for_text(tmp_path, _render(layout, SCAFFOLD), name=f"{name}.txt")
    assert [d.code for d in result.diagnostics] == ["A202"], [(d.code, d.message) for d in result.diagnostics]
    (cell,) = result.diagnostics[0].data["cells"]
    assert (cell["row"], cell["column"]) == ("r3_1", "c_commercial")


def test_paragraphs_indented_with_tabs_are_prose_not_table_rows(tmp_path):
    """Web pages copied as text often indent every paragraph with a tab."""
    text = "\n".join("\t" + line if line and not line[0].isdigit() else line for line in SCAFFOLD.split("\n"))
    result = findings_for_text(tmp_path, text)
    assert [(d.code, d.message) for d in result.diagnostics] == []
    assert result.report.title.value == "示例市示例局2023年政府信息公开工作年度报告"


def test_numbers_with_thousands_separators_are_one_cell(tmp_path):
    text = (SCAFFOLD.replace("一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3", "一、本年新收政府信息公开申请数量 1,200 0 0 0 0 0 1,200")
            .replace("（一）予以公开 2 0 0 0 0 0 2", "（一）予以公开 1,199 0 0 0 0 0 1,199")
            .replace("（七）总计 3 0 0 0 0 0 3", "（七）总计 1,200 0 0 0 0 0 1,200")
            .replace("行政许可 0", "行政许可 1,234"))
    result = findings_for_text(tmp_path, text)
    assert [(d.code, d.message) for d in result.diagnostics] == []
    assert result.report.tables["t2"].value("licensing", "decisions") == 1234
    assert result.report.tables["t3"].value("r1", "c_total") == 1200
    # a wrong total is still found, with the number as printed
    (d,) = findings_for_text(tmp_path, text.replace("（七）总计 1,200 0 0 0 0 0 1,200", "（七）总计 1,201 0 0 0 0 0 1,201"),
                             select=["A102"]).diagnostics
    assert "1,201" in d.message or "1201" in d.message


def test_small_wording_variants_of_row_labels_are_read(tmp_path):
    text = (SCAFFOLD.replace("2.其他法律行政法规禁止公开", "2.其他法律、行政法规禁止公开")
            .replace("5.要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或者重新出具已获取信息"))
    result = findings_for_text(tmp_path, text)
    assert [(d.code, d.message) for d in result.diagnostics] == []
    # a row label cut short is still a table row (not a section 一、 with numbers in its title)
    result = findings_for_text(tmp_path, SCAFFOLD.replace("一、本年新收政府信息公开申请数量 3", "一、本年新收政府信息公开申请数 3"))
    assert {d.code for d in result.diagnostics} == {"S202"}
