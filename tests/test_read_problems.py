"""The table reader records what it saw (``ReadProblem``: kind, row label,
cells, digits, readings); S203 and E010 word it.  These pin the words."""

from __future__ import annotations

from xxgk_lint.linter.model import ReadProblem, Span
from xxgk_lint.linter.catalogue import render
from xxgk_lint.rules.input import _unreadable_fields
from xxgk_lint.rules.structure import _row_cells_fields


def _unreadable_words(problem):
    fields = _unreadable_fields(problem)
    return render("E010", "unreadable", fields, "zh"), render("E010", "unreadable", fields, "en")


def _row_cells_words(problem):
    fields = _row_cells_fields(problem)
    return render("S203", problem.kind, fields, "zh"), render("S203", problem.kind, fields, "en")


def _problem(kind: str, data: dict, **kw) -> ReadProblem:
    return ReadProblem(kind, Span(0, 1), "normative", data, label="行政规范性文件", **kw)


def test_s203_words_the_cell_counts():
    short = _problem("short-row", {"found": ["0"], "expected_cells": 3})
    assert _row_cells_words(short) == ("“行政规范性文件”一行只有 1 个数值单元格，模板有 3 列",
                                       "Row “行政规范性文件” has only 1 value cell; the template has 3 columns")
    assert _row_cells_words(_problem("short-row", {"found": ["0", "0"], "expected_cells": 3}))[1].endswith(
        "has only 2 value cells; the template has 3 columns")
    extra = _problem("extra-cells", {"found": ["0"] * 4, "expected_cells": 3, "readings": 0})
    assert _row_cells_words(extra)[0] == ("“行政规范性文件”一行有 4 个数值单元格，模板只有 3 列，无法确定哪一格是多余的，"
                                          "本行不参与计算检查")
    resolved = _problem("extra-cells-resolved", {"found": ["0"] * 4, "expected_cells": 3})
    assert _row_cells_words(resolved)[0].endswith("去掉多出的单元格后只有一种读法与本行合计相符，已按此读取")


def test_e010_words_why_a_run_cannot_be_split():
    head = "“行政规范性文件”一行的数字连在一起（“77132470”），需拆成 3 个单元格，但"
    tail = "；无法可靠读取本行，请核对原表"
    data = {"digits": "77132470", "expected_cells": 3}
    assert _unreadable_words(_problem("ambiguous-split", {**data, "readings": 21}))[0] == \
        head + "可拆分为 21 种不同的数值组合" + tail
    assert _unreadable_words(_problem("no-split", {**data, "readings": 0}))[0] == head + "数字不够拆成这么多个单元格" + tail
    limit = _unreadable_words(_problem("ambiguous-split", {**data, "readings": 0}, split_limit=5000))
    assert limit == (head + "拆法超过 5000 种，无法逐一核对" + tail,
                     "The numbers of row “行政规范性文件” run together (“77132470”) and must be split into 3 cells, but "
                     "there are more than 5000 ways to split them, too many to check; the row cannot be read "
                     "reliably, please check the original table")


def test_e010_lists_the_readings_the_old_tables_relations_leave():
    candidates = [f"{n}/1" for n in range(1, 9)]
    many = _problem("ambiguous-split", {"digits": "77132470", "expected_cells": 3, "readings": 8,
                                        "candidates": candidates}, relations="累计不小于本年度")
    zh, en = _unreadable_words(many)
    assert "满足表内关系（累计不小于本年度）的拆法仍有 8 种：1/1、2/1、3/1、4/1、5/1、6/1等；" in zh
    assert "8 splits agree with the table's relations: 1/1, 2/1, 3/1, 4/1, 5/1, 6/1, ...;" in en
    none = _problem("no-split", {"digits": "91", "expected_cells": 3, "readings": 0, "candidates": []},
                    relations="累计不小于本年度")
    assert "但没有一种拆法满足表内关系（累计不小于本年度）；" in _unreadable_words(none)[0]
