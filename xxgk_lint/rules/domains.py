"""A2xx: every cell holds what its column allows, and no data cell is left blank."""

from __future__ import annotations

import re

from xxgk_lint.linter.model import Diagnostic, Msg, Report, TableData, msg
from xxgk_lint.linter.registry import rule
from xxgk_lint.rules.cells import cell_data, cell_ref, row_label, table_ref, unreliable

_WHOLE = r"(?:\d{1,3}(?:,\d{3})+|\d+)"  # 1200 or 1,200
_DOMAIN_RE = {"count": re.compile(rf"^{_WHOLE}$"), "signed": re.compile(rf"^[+-]?{_WHOLE}$"),
              "amount": re.compile(rf"^{_WHOLE}(?:\.\d+)?$")}
_DOMAIN_WORDS = {"count": msg("A201", "count"), "signed": msg("A201", "signed"), "amount": msg("A201", "amount")}


def _cells(report: Report, table: TableData):
    """(row, column def, cell) of every readable row, in template order."""
    bad = unreliable(report, table)
    for row_def in table.definition.rows:
        row = table.rows.get(row_def.id)
        if row is None or row_def.id in bad:
            continue
        for col in row.columns:
            cell = row.values.get(col.id)
            if cell is not None:
                yield row, col, cell


@rule("A201", "value-domain")
def value_domain(report: Report):
    """表格单元格里的数字不符合该列的取值要求。

    检查什么：件数、条数等计数列必须是非负整数（不带正负号、小数点或百分号）；
    2019 年格式表二“本年增/减”列是可带“+”“-”号的整数；金额列（万元）是非负数，可有小数。
    一行中的多处问题合并为一条。读取不可靠的行不检查。
    为什么：计数不可能是负数或小数；这类数字通常是录入错误或单元格错位。
    错误示例：`行政许可 0` → `行政许可 2.5`
    正确示例：`行政许可 0` → `行政许可 25`
    依据：统一格式各表的设计（单位为件、条或万元）；模板数据中各列的取值类型。
    """
    for table in report.tables.values():
        bad_by_row: dict[str, list] = {}
        for row, col, cell in _cells(report, table):
            if cell.kind != "number":
                continue
            domain = row.row.domain or col.domain
            pattern = _DOMAIN_RE.get(domain)
            if pattern is not None and not pattern.match(cell.raw):
                bad_by_row.setdefault(row.row.id, []).append((row, col, cell, domain))
        for rid, bad in bad_by_row.items():
            row = bad[0][0]
            parts = [msg("A201", "cell", cell=cell_ref(table, (rid, col.id)), raw=cell.raw, domain=_DOMAIN_WORDS[domain])
                     for _, col, cell, domain in bad]
            yield Diagnostic.of(
                "A201", "cells", bad[0][2].span, table=table_ref(table, capital=True), parts=parts,
                data={"table": table.id, "row": rid, "row_label": row.row.label,
                      "cells": [{**cell_data(report, table, (rid, col.id)), "domain": domain}
                                for _, col, cell, domain in bad]},
                related=[(cell_ref(table, (rid, col.id)).render("zh"), cell.span) for _, col, cell, _ in bad[1:]],
            )


def _blank_list(table: TableData, cells) -> Msg:
    """'“1.信访举报投诉类申请”整行（“/”）、“规章”行“本年制发件数”列（空白）……'"""
    by_row: dict[str, list] = {}
    for row, col, cell in cells:
        by_row.setdefault(row.row.id, []).append((row, col, cell))
    items = []
    for rid, found in by_row.items():
        row = found[0][0]
        if len(found) == len(row.columns) and len(found) > 1:
            label = row_label(table, rid)  # table 4's one row has no label
            marks = _marks([c for _, _, c in found])
            items.append(msg("A202", "whole_row", row=label, marks=marks) if label
                         else msg("A202", "every_cell", marks=marks))
        else:
            for _, col, c in found:
                items.append(msg("A202", "cell", cell=cell_ref(table, (rid, col.id)), mark=_marks([c])))
    if len(items) > 8:
        return msg("A202", "list_more", items=items[:8], count=len(cells))
    return msg("A202", "list", items=items)


def _marks(cells) -> Msg:
    """What the cells hold instead of a number: 空白 (blank), “/”, “-”..., each once, sorted."""
    shown = sorted({f"“{c.raw}”" for c in cells if c.kind != "blank"})
    if not shown:
        return msg("A202", "blank")
    if any(c.kind == "blank" for c in cells):
        return msg("A202", "marks_and_blank", marks=shown)
    return msg("A202", "marks", marks=shown)


@rule("A202", "blank-or-placeholder", "warning")
def blank_or_placeholder(report: Report):
    """表格中应填数字的单元格为空或填了“/”“-”等符号。

    检查什么：模板表格的数据单元格是否都填了数字。空白和“/”“-”“—”“无”等符号与 0 不同：
    读者无法判断是没有发生还是漏填。每张表合并为一条，列出所有这样的单元格。
    这些单元格不参与合计检查。
    为什么：统一格式要求逐项填报数字；没有发生的事项应填 0。
    错误示例：`规章 0 0 0` → `规章 / / /`
    正确示例：标准报告
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式（各表逐项填报）。
    """
    for tid in sorted(report.tables):
        table = report.tables[tid]
        cells = [(row, col, cell) for row, col, cell in _cells(report, table) if cell.kind in ("blank", "placeholder")]
        if not cells:
            continue
        yield Diagnostic.of(
            "A202", "blank_cells", cells[0][2].span, table=table_ref(table, capital=True), count=len(cells),
            shown=_blank_list(table, cells),
            data={"table": table.id, "count": len(cells),
                  "cells": [{**cell_data(report, table, (row.row.id, col.id)), "kind": cell.kind}
                            for row, col, cell in cells]},
            related=[(cell_ref(table, (row.row.id, col.id)).render("zh"), cell.span) for row, col, cell in cells[1:]],
        )
