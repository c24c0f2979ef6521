"""``xxgk-lint parse``: what the tool understood of a report."""

from __future__ import annotations

from typing import TextIO

from .model import Report, Section
from .templates import VERSION_NAMES


def _pos(report: Report, span) -> dict | None:
    if span is None:
        return None
    line, column = report.document.line_col(span.start)
    return {"line": line, "column": column}


def _section_json(report: Report, sec: Section) -> dict:
    h = sec.heading
    return {
        "level": h.level if h else 0,
        "number": h.number if h else None,
        "marker": h.marker if h else None,
        "title": h.title if h else None,
        "template_section": sec.template.no if sec.template else None,
        "position": _pos(report, h.span) if h else None,
        "table_lines": len(sec.table_lines),
        "children": [_section_json(report, c) for c in sec.children],
    }


def _table_json(report: Report, table) -> dict:
    rows = []
    for row_def in table.definition.rows:
        row = table.rows.get(row_def.id)
        if row is None:
            continue
        rows.append({
            "id": row_def.id,
            "label": row_def.label,
            "position": _pos(report, row.label_span),
            "cells": {
                col: {"raw": cell.raw, "kind": cell.kind, "value": str(cell.value) if cell.value is not None else None,
                      **({"inferred": True} if cell.inferred else {})}
                for col, cell in row.values.items()
            },
        })
    return {
        "id": table.id,
        "version": table.version,
        "position": _pos(report, table.span),
        "columns": {c.id: table.definition.column_label(c.id) for b in table.definition.blocks for c in b.columns},
        "rows": rows,
        "missing_rows": table.missing_rows,
        "problems": [{"kind": p.kind, "row": p.row_id, "message": p.message} for p in table.problems],
    }


def explain_json(report: Report) -> dict:
    period = report.period
    return {
        "path": report.path,
        "format": report.document.format,
        "template": {"version": report.version, "name": VERSION_NAMES[report.version], "reason": report.version_reason,
                     "labels_version": report.label_version, "label_evidence": report.version_evidence},
        "year": report.year.value if report.year else None,
        "year_source": report.year.source if report.year else None,
        "title": report.title.value if report.title else None,
        "agency": report.agency.value if report.agency else None,
        "period": {"start": str(period.start), "end": str(period.end), "text": period.raw,
                   "position": _pos(report, period.span)} if period else None,
        "publication_date": str(report.publication_date.value) if report.publication_date else None,
        "sections": [_section_json(report, s) for s in report.sections],
        "tables": {tid: _table_json(report, t) for tid, t in report.tables.items()},
    }


def _blocks(table, rows: list[dict]) -> list[list[dict]]:
    """Rows grouped by the block (sub-table) of the template they belong to."""
    groups: dict[int, list[dict]] = {}
    for row in rows:
        groups.setdefault(table.definition.row(row["id"]).block, []).append(row)
    return [groups[k] for k in sorted(groups)]


def _cell_text(cell: dict | None) -> str:
    if cell is None:
        return ""
    if cell["kind"] == "number":
        return cell["raw"] + ("*" if cell.get("inferred") else "")
    return {"blank": "（空）", "placeholder": cell["raw"], "missing": "（缺）"}[cell["kind"]]


def _is_terminal(out) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def explain_text(report: Report, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.tree import Tree

    data = explain_json(report)
    # on a terminal, its width; piped or redirected, rich would assume 80
    # columns and fold or cut the tables: no limit then
    piped = not _is_terminal(out)
    console = Console(file=out, highlight=False, soft_wrap=True, width=100_000 if piped else None)
    tpl = data["template"]
    console.print(f"[bold]{report.path}[/bold]")
    console.print(f"格式版本：{tpl['name']}（{tpl['version']}）— 依据：{tpl['reason']}")
    if tpl["labels_version"] and tpl["labels_version"] != tpl["version"]:
        console.print(f"[yellow]表格标签更像：{VERSION_NAMES[tpl['labels_version']]}[/yellow]")
    console.print(f"标题：{data['title'] or '（未找到）'}")
    console.print(f"机关：{data['agency'] or '（未识别）'}")
    console.print(f"报告年度：{data['year'] or '（未识别）'}")
    if data["period"]:
        p = data["period"]
        console.print(f"统计期限：{p['start']} 至 {p['end']}（第 {p['position']['line']} 行）")
    else:
        console.print("统计期限：（未找到）")
    if data["publication_date"]:
        console.print(f"发布/落款日期：{data['publication_date']}")
    tree = Tree("章节")

    def add(node, sec):
        pos = sec["position"]["line"] if sec["position"] else "?"
        mark = f" → 模板第{sec['template_section']}部分" if sec["template_section"] else ""
        extra = f" [dim]（表格 {sec['table_lines']} 行）[/dim]" if sec["table_lines"] else ""
        child = node.add(f"{sec['marker']}{sec['title']} [dim]第 {pos} 行[/dim]{mark}{extra}")
        for c in sec["children"]:
            add(child, c)

    for sec in data["sections"]:
        add(tree, sec)
    console.print(tree)
    for tid, table in data["tables"].items():
        console.print(f"[bold]表格 {tid}[/bold]（按 {table['version']} 的标签读取，第 {table['position']['line']} 行起）")
        for block_rows in _blocks(report.tables[tid], table["rows"]):
            cols = list(dict.fromkeys(c for row in block_rows for c in row["cells"]))
            if len(block_rows) == 1 and len(cols) > 8:  # table 4's one row of 15: one line per cell
                grid = Table(show_lines=False)
                grid.add_column("列")
                grid.add_column(block_rows[0]["label"] or "数值", justify="right")
                for c in cols:
                    grid.add_row(table["columns"].get(c, c), _cell_text(block_rows[0]["cells"].get(c)))
                console.print(grid)
                continue
            grid = Table(show_lines=False)
            grid.add_column("行", overflow="fold", max_width=30 if piped is False else None)
            for c in cols:
                # a number is never folded over two lines (17/8 would read as two numbers)
                widest = max((len(_cell_text(row["cells"].get(c))) for row in block_rows), default=1)
                grid.add_column(table["columns"].get(c, c).split("·")[-1], justify="right", overflow="fold",
                                min_width=widest)
            for row in block_rows:
                grid.add_row(row['label'] or '（数字行）', *(_cell_text(row["cells"].get(c)) for c in cols))
            console.print(grid)
        if any(c.get("inferred") for row in table["rows"] for c in row["cells"].values()):
            console.print("[dim]* 由连在一起的数字按表内合计关系拆分得到[/dim]")
        if table["missing_rows"]:
            definition = report.tables[tid].definition
            names = [definition.row(r).label if definition.row(r) and definition.row(r).label else r
                     for r in table["missing_rows"]]
            console.print(f"[yellow]未找到的行：{'、'.join(names)}[/yellow]")
        for p in table["problems"]:
            console.print(f"[yellow]{p['message']}[/yellow]")
