"""Naming and reading table cells: the words the A rules' messages and data use for them."""

from __future__ import annotations

import re
from decimal import Decimal

from xxgk_lint.linter.model import Report, TableData, section_no_en

Cell = tuple[str, str]  # (row id, column id)


def short_label(label: str) -> str:
    """A row label without its trailing explanation: （二）部分公开（区分处理的……） -> （二）部分公开."""
    m = re.match(r"^(.{3,}?)[（(](?![一二三四五六七八九十][）)])[^（）()]*[）)]$", label)
    return m.group(1) if m else label


def table_name(table: TableData, en: bool = False) -> str:
    defn = table.definition
    if en:  # the table of section 三 is "table 3" (表三)
        if defn.caption:
            return f"table “{defn.caption}”"
        return f"table {section_no_en(defn.section)}" if defn.section else f"table {defn.id}"
    if defn.caption:
        return f"“{defn.caption}”"
    return f"第{defn.section}部分的表格" if defn.section else f"表格 {defn.id}"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def row_label(table: TableData, rid: str) -> str:
    row = table.definition.row(rid)
    return short_label(row.label) if row and row.label else ""


def col_label(table: TableData, cid: str) -> str:
    return table.definition.column_label(cid)


def cell_name(table: TableData, cell: Cell, en: bool = False) -> str:
    rid, cid = cell
    row, col = row_label(table, rid), col_label(table, cid)
    single_column = len(table.definition.columns_for(table.definition.row(rid))) == 1 if table.definition.row(rid) else False
    if not row:
        return f"column “{col}”" if en else f"“{col}”"
    if single_column:
        return f"row “{row}”" if en else f"“{row}”"
    return f"row “{row}”, column “{col}”" if en else f"“{row}”行“{col}”列"


def fmt(value: Decimal) -> str:
    return format(value, "f")


def signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + fmt(value)


def cell_data(report: Report, table: TableData, cell: Cell) -> dict:
    rid, cid = cell
    value = table.cell(rid, cid)
    line, col = report.document.line_col(value.span.start) if value and value.span else (None, None)
    return {
        "row": rid, "row_label": (table.definition.row(rid).label if table.definition.row(rid) else ""),
        "column": cid, "column_label": col_label(table, cid),
        "value": fmt(value.value) if value and value.value is not None else None,
        "raw": value.raw if value else None, "line": line, "col": col,
        "offset": value.span.start if value and value.span else None,
        **({"inferred": True} if value and value.inferred else {}),
    }


def unreliable(report: Report, table: TableData) -> set[str]:
    return table.unreliable_rows()


def number(table: TableData, cell: Cell, bad_rows: set[str]) -> Decimal | None:
    if cell[0] in bad_rows:
        return None
    value = table.cell(*cell)
    return value.value if value is not None and value.kind == "number" else None
