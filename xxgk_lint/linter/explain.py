"""``xxgk-lint parse``: what the tool understood of a report."""

from __future__ import annotations

from typing import TextIO

from .catalogue import has, ui
from .i18n import text
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
    words = problem_words(report, table.id) if table.problems else {}
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
        "problems": [{"kind": p.kind, "row": p.row_id, "message": words.get(p.row_id, ("", ""))[0]}
                     for p in table.problems],
    }


# the rules that word what the table reader saw (ReadProblem): E010 unreadable runs,
# S203 cell counts, A108 runs no reading fits
_PROBLEM_RULES = ("E010", "S203", "A108")


def problem_words(report: Report, table_id: str) -> dict[str, tuple[str, str]]:
    """The (zh, en) words of each read problem of a table, by row id, as its rule says them."""
    from .registry import load_registry

    registry = load_registry(include_plugins=False)
    out: dict[str, tuple[str, str]] = {}
    for code in _PROBLEM_RULES:
        for diag in registry.rules[code].check(report):
            if diag.data.get("table") == table_id:
                out.setdefault(diag.data.get("row", ""), (diag.message, diag.message_en))
    return out


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
    return cell["raw"] if cell["kind"] == "placeholder" else ui(f"parse.{cell['kind']}")


def _version_name(version: str) -> str:
    """A template version's name: the catalogue's words, else the template data's name."""
    name = VERSION_NAMES.get(version, version)
    return ui(f"version.{version}", name=name) if has("version", version) else name


def _is_terminal(out) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def explain_text(report: Report, out: TextIO) -> None:
    from rich.console import Console

    data = explain_json(report)
    # on a terminal, its width; piped or redirected, rich would assume 80
    # columns and fold or cut the tables: no limit then
    piped = not _is_terminal(out)
    console = Console(file=out, highlight=False, soft_wrap=True, width=100_000 if piped else None)
    _print_facts(console, report, data)
    _print_sections(console, data)
    for tid, table in data["tables"].items():
        _print_table(console, report, tid, table, piped)


def _print_facts(console, report: Report, data: dict) -> None:
    """The template chosen, the title, agency, year, period and publication date."""
    tpl = data["template"]
    console.print(f"[bold]{report.path}[/bold]")
    console.print(ui("parse.template", name=_version_name(tpl["version"]), version=tpl["version"], reason=tpl["reason"]))
    if tpl["labels_version"] and tpl["labels_version"] != tpl["version"]:
        console.print(f"[yellow]{ui('parse.labels_like', name=_version_name(tpl['labels_version']))}[/yellow]")
    console.print(ui("parse.title", value=data["title"] or ui("parse.not_found")))
    console.print(ui("parse.agency", value=data["agency"] or ui("parse.not_recognised")))
    console.print(ui("parse.year", value=data["year"] or ui("parse.not_recognised")))
    if data["period"]:
        p = data["period"]
        console.print(ui("parse.period", start=p["start"], end=p["end"], line=p["position"]["line"]))
    else:
        console.print(ui("parse.no_period"))
    if data["publication_date"]:
        console.print(ui("parse.publication_date", value=data["publication_date"]))


def _print_sections(console, data: dict) -> None:
    from rich.tree import Tree

    tree = Tree(ui("parse.sections"))

    def add(node, sec):
        pos = sec["position"]["line"] if sec["position"] else "?"
        mark = ui("parse.template_section", no=sec["template_section"]) if sec["template_section"] else ""
        extra = f" [dim]{ui('parse.table_lines', n=sec['table_lines'])}[/dim]" if sec["table_lines"] else ""
        child = node.add(f"{sec['marker']}{sec['title']} [dim]{ui('parse.section_line', line=pos)}[/dim]{mark}{extra}")
        for c in sec["children"]:
            add(child, c)

    for sec in data["sections"]:
        add(tree, sec)
    console.print(tree)


def _print_table(console, report: Report, tid: str, table: dict, piped: bool) -> None:
    """One table as read: its rows block by block, then what is missing or unreadable."""
    console.print(f"[bold]{ui('parse.table', id=tid)}[/bold]"
                  f"{ui('parse.table_read', version=table['version'], line=table['position']['line'])}")
    for block_rows in _blocks(report.tables[tid], table["rows"]):
        console.print(_grid(table, block_rows, piped))
    if any(c.get("inferred") for row in table["rows"] for c in row["cells"].values()):
        console.print(f"[dim]{ui('parse.inferred')}[/dim]")
    if table["missing_rows"]:
        definition = report.tables[tid].definition
        names = [definition.row(r).label if definition.row(r) and definition.row(r).label else r
                 for r in table["missing_rows"]]
        console.print(f"[yellow]{ui('parse.missing_rows', rows=names)}[/yellow]")
    words = problem_words(report, tid)
    for p in report.tables[tid].problems:  # the rules' words for what the reader saw, in the chosen language
        console.print(f"[yellow]{text(*words.get(p.row_id, ('', '')))}[/yellow]")


def _grid(table: dict, block_rows: list[dict], piped: bool):
    """A rich table of one block's rows."""
    from rich.table import Table

    cols = list(dict.fromkeys(c for row in block_rows for c in row["cells"]))
    if len(block_rows) == 1 and len(cols) > 8:  # table 4's one row of 15: one line per cell
        grid = Table(show_lines=False)
        grid.add_column(ui("parse.column"))
        grid.add_column(block_rows[0]["label"] or ui("parse.value"), justify="right")
        for c in cols:
            grid.add_row(table["columns"].get(c, c), _cell_text(block_rows[0]["cells"].get(c)))
        return grid
    grid = Table(show_lines=False)
    grid.add_column(ui("parse.row"), overflow="fold", max_width=30 if piped is False else None)
    for c in cols:
        # a number is never folded over two lines (17/8 would read as two numbers)
        widest = max((len(_cell_text(row["cells"].get(c))) for row in block_rows), default=1)
        grid.add_column(table["columns"].get(c, c).split("·")[-1], justify="right", overflow="fold",
                        min_width=widest)
    for row in block_rows:
        grid.add_row(row['label'] or ui("parse.number_row"), *(_cell_text(row["cells"].get(c)) for c in cols))
    return grid
