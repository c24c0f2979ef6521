"""Beginnings of real reports from many agencies: read without internal errors,
with the right year (from the corpus INDEX), and their stated facts."""

import pathlib

import pytest

from helpers import codes, findings

EXCERPTS = sorted((pathlib.Path(__file__).parent / "fixtures" / "excerpts").glob("*.txt"))


@pytest.mark.parametrize("path", EXCERPTS, ids=lambda p: p.stem)
def test_excerpt_is_read(path):
    result = findings(path)
    assert "E009" not in codes(result)
    year = int(next(part for part in path.stem.split("-") if part.isdigit() and len(part) == 4))
    assert result.report.report_year == year


def test_breadcrumb_and_metadata_do_not_hide_the_title():
    path = next(p for p in EXCERPTS if p.name.startswith("dingxi"))
    report = findings(path).report
    assert report.title.value == "定西市公共资源交易中心2020年政府信息公开工作的年度报告"
    assert report.sections[0].heading.title == "总体情况"


def test_blank_cells_are_kept_apart_from_zero():
    # 表三 cells left blank in a real report (only the 总计 column filled)
    path = next(p for p in EXCERPTS if p.name.startswith("ip61"))
    report = findings(path).report
    kinds = {c.kind for row in report.tables["t2"].rows.values() for c in row.values.values()}
    assert "placeholder" in kinds  # "/" in the 规章 row


def test_pipe_table_one_cell_per_line_keeps_blank_cells_in_their_columns():
    # "规章 |" "0 |" "0 |" "|" "|": a bare bar is an empty cell, the last one opens the next row
    report = findings(next(p for p in EXCERPTS if p.name.startswith("wuhan"))).report
    regulations = report.tables["t2"].rows["regulations"].values
    assert [(c.kind, c.raw) for c in regulations.values()] == [("number", "0"), ("number", "0"), ("blank", "")]
    assert [c.raw for c in report.tables["t2"].rows["normative"].values.values()] == ["5", "12", "8"]
    # table 3 with only the 总计 column filled: six blanks, then the total
    result = findings(next(p for p in EXCERPTS if p.name.startswith("ip61")))
    received = result.report.tables["t3"].rows["r1"].values
    assert [c.kind for c in received.values()] == ["blank"] * 6 + ["number"]
    assert received["c_total"].raw == "0"
    assert not [d for d in result.diagnostics if d.code == "S203" and "本年新收" in d.message]
