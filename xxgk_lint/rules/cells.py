"""Naming and reading table cells: the words the A rules' messages and data use for them."""

from __future__ import annotations

import re
from decimal import Decimal

from xxgk_lint.linter.model import Msg, Report, TableData, msg

Cell = tuple[str, str]  # (row id, column id)


def short_label(label: str) -> str:
    """A row label without its trailing explanation: （二）部分公开（区分处理的……） -> （二）部分公开."""
    m = re.match(r"^(.{3,}?)[（(](?![一二三四五六七八九十][）)])[^（）()]*[）)]$", label)
    return m.group(1) if m else label


def table_ref(table: TableData, capital: bool = False) -> Msg:
    """The table's name, e.g. “政府信息公开行政复议、行政诉讼情况” or 第三部分的表格
    (table 3); ``capital`` for English at the start of a sentence."""
    defn = table.definition
    if defn.caption:
        return msg("cells", "Table_caption" if capital else "table_caption", caption=defn.caption)
    if defn.section:
        return msg("cells", "Table_section" if capital else "table_section", no=defn.section)
    return msg("cells", "Table_id" if capital else "table_id", id=defn.id)


def row_label(table: TableData, rid: str) -> str:
    row = table.definition.row(rid)
    return short_label(row.label) if row and row.label else ""


def col_label(table: TableData, cid: str) -> str:
    return table.definition.column_label(cid)


def cell_ref(table: TableData, cell: Cell) -> Msg:
    """A cell's name: “（一）予以公开”行“自然人”列; the row alone in a one-column
    block, the column alone in a table without row labels."""
    rid, cid = cell
    row_def = table.definition.row(rid)
    row, col = row_label(table, rid), col_label(table, cid)
    if not row:
        return msg("cells", "column", column=col)
    if row_def is not None and len(table.definition.columns_for(row_def)) == 1:
        return msg("cells", "row", row=row)
    return msg("cells", "cell", row=row, column=col)


# rules/prose.py's words, until its messages come from the catalogue too: then remove both
def fmt(value: Decimal) -> str:
    return format(value, "f")


def signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + fmt(value)


def cell_data(report: Report, table: TableData, cell: Cell) -> dict:
    rid, cid = cell
    value = table.cell(rid, cid)
    row_def = table.definition.row(rid)
    line, col = report.document.line_col(value.span.start) if value and value.span else (None, None)
    return {
        "row": rid, "row_label": row_def.label if row_def else "",
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
