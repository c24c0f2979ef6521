"""The template tables of a report with the cells that take part in a finding
marked, and the value a suspect cell should have."""

from __future__ import annotations

from ...catalogue import ui
from ...diagnostics import Diagnostic, FileResult
from .findings import esc, scalar
from .textview import severities, worst_class

def _cell_refs(diag: Diagnostic) -> list[tuple[str | None, str, str | None, str | None, bool]]:
    """(table, row, column or None for the whole row, expected value, strong) for the cells the
    finding's data names.  Strong: the cell the finding is about (a suspect, or the only cell
    named); the others merely take part in a failed relation."""
    data = diag.data or {}
    table = data.get("table") if isinstance(data.get("table"), str) else None
    refs = []
    for key in ("cells", "suspects"):
        items = [i for i in data.get(key) or [] if isinstance(i, dict) and isinstance(i.get("row"), str)] \
            if isinstance(data.get(key), list) else []
        for item in items:
            column = item.get("column") if isinstance(item.get("column"), str) else None
            expected = next((item[k] for k in ("consistent_value", "expected") if scalar(item.get(k))), None)
            strong = key == "suspects" or len(items) == 1 or expected is not None
            refs.append((item.get("table", table), item["row"], column, expected, strong))
    if isinstance(data.get("row"), str):
        column = data.get("column") if isinstance(data.get("column"), str) else None
        expected = data.get("expected") if column and scalar(data.get("expected")) else None
        refs.append((table, data["row"], column, expected, True))
    return refs


def tables_view(result: FileResult, diags: list[Diagnostic], ids: dict) -> str:
    report = result.report
    # (table, row, column) -> finding ids; whole-row references use column None
    marks: dict[tuple, list[str]] = {}
    expected: dict[tuple, list[str]] = {}
    strong: set[tuple] = set()
    _mark_named_cells(diags, ids, marks, expected, strong)
    _mark_pointed_cells(report, diags, ids, marks, expected, strong)
    parts = [f"<div class=\"xr-block\"><h3>{esc(ui('html.tables'))}</h3>",
             f"<p class=\"xr-note\">{esc(ui('html.tables_note'))}</p>"]
    for tid in sorted(report.tables):
        parts.append(_table(report, report.tables[tid], marks, expected, strong, diags, ids))
    parts.append("</div>")
    return "\n".join(parts)


def _mark_named_cells(diags: list[Diagnostic], ids: dict, marks: dict[tuple, list[str]],
                      expected: dict[tuple, list[str]], strong: set[tuple]) -> None:
    """The cells the findings' data names (see ``_cell_refs``)."""
    for d in diags:
        did = ids[id(d)]
        for table, row, column, value, is_strong in _cell_refs(d):
            if table is None:
                continue
            where = (table, row, column)
            marks.setdefault(where, [])
            if did not in marks[where]:
                marks[where].append(did)
            if is_strong:
                strong.add(where)
            if value is not None:
                expected.setdefault(where, [])
                if str(value) not in expected[where]:
                    expected[where].append(str(value))


def _mark_pointed_cells(report, diags: list[Diagnostic], ids: dict, marks: dict[tuple, list[str]],
                        expected: dict[tuple, list[str]], strong: set[tuple]) -> None:
    """The cell a finding points at (its span is the cell's span; offsets, never text search)."""
    for d in diags:
        data = d.data or {}
        table = report.tables.get(data.get("table")) if isinstance(data.get("table"), str) else None
        if d.span is None or table is None:
            continue
        for rid, row in table.rows.items():
            for cid, cell in row.values.items():
                if cell.span != d.span:
                    continue
                where = (table.id, rid, cid)
                marks.setdefault(where, [])
                if ids[id(d)] not in marks[where]:
                    marks[where].append(ids[id(d)])
                strong.add(where)
                if data.get("suspects") or where in expected or cell.value is None:
                    continue
                if scalar(data.get("expected")):
                    expected[where] = [str(data["expected"])]
                elif scalar(data.get("computed")) and str(data.get("found")) == format(cell.value, "f"):
                    # only when this cell alone is the side that was found (a printed total)
                    expected[where] = [str(data["computed"])]


def _table_title(report, table) -> str:
    defn = table.definition
    if defn.caption:
        return defn.caption
    section = None
    try:
        section = report.template.section(defn.section) if defn.section else None
    except (KeyError, AttributeError):
        section = None
    return section.title if section else ui("html.table_id", id=defn.id)


def _header_rows(labels: list[str], corner: str) -> str:
    """Column headers; a label 'a·b' sits under a merged header 'a'."""
    paths = [label.split("·") for label in labels]
    depth = max((len(p) for p in paths), default=1)
    rows = []
    for level in range(depth):
        cells = [f"<th rowspan=\"{depth}\" class=\"xr-corner\">{esc(corner)}</th>"] if level == 0 else []
        i = 0
        while i < len(paths):
            path = paths[i]
            if len(path) <= level:
                i += 1
                continue
            j = i + 1
            while j < len(paths) and len(paths[j]) > level + 1 and len(path) > level + 1 \
                    and paths[j][:level + 1] == path[:level + 1]:
                j += 1
            rowspan = depth - level if len(path) == level + 1 else 1
            cells.append(f"<th colspan=\"{j - i}\" rowspan=\"{rowspan}\">{esc(path[level])}</th>")
            i = j
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(rows)


def _table(report, table, marks, expected, strong, diags, ids) -> str:
    defn = table.definition
    width = max((len(b.columns) for b in defn.blocks), default=1)
    tid = table.id
    sev_of = severities(diags, ids)
    msg_of = {ids[id(d)]: f"{d.code} {d.text()}" for d in diags}
    out = [f"<div class=\"xr-table-wrap\"><h4>{esc(_table_title(report, table))}</h4>",
           f"<table class=\"xr-table\" data-table=\"{esc(tid)}\">"]
    if defn.corner_note:
        out.append(f"<caption>{esc(defn.corner_note)}</caption>")
    parents = {r.parent for r in defn.rows if r.parent}
    block = None
    for row_def in defn.rows:
        columns = defn.columns_for(row_def)
        if row_def.block != block:
            block = row_def.block
            caption = defn.blocks[block].caption if block < len(defn.blocks) else ""
            labels = [defn.column_label(c.id) for c in columns]
            out.append(_header_rows(labels + [""] * (width - len(labels)), caption or ""))
            if row_def.kind == "header" and row_def.label == caption:
                continue
        row = table.rows.get(row_def.id)
        row_marks = marks.get((tid, row_def.id, None), [])
        row_class = f" class=\"xr-marked {worst_class(row_marks, sev_of)}\" data-f=\"{' '.join(row_marks)}\"" if row_marks else ""
        label = esc(row_def.label)
        if row_def.kind == "header" and (row is None or not row.values):
            if row_def.id not in parents:  # a column heading of the template, shown in the header
                continue
            out.append(f"<tr{row_class}><th class=\"xr-rowhead xr-group\" colspan=\"{width + 1}\">{label}</th></tr>")
            continue
        missing_row = row is None and row_def.id in table.missing_rows
        note = f"<span class=\"xr-miss\">{esc(ui('html.row_missing'))}</span>" if missing_row else ""
        tip = _title(row_marks, msg_of)
        cells = [f"<th class=\"xr-rowhead\"{tip}>{label}{note}</th>"]
        for col in columns:
            cells.append(_cell(tid, row_def, row, col, row_marks, marks, expected, strong, sev_of, msg_of))
        cells.extend("<td class=\"xr-cell xr-pad\"></td>" for _ in range(width - len(columns)))
        out.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    out.append("</table></div>")
    return "".join(out)


def _cell(tid, row_def, row, col, row_marks, marks, expected, strong, sev_of, msg_of) -> str:
    """One cell of a table row: its value as printed, its marks, and the value it should have."""
    cell = row.values.get(col.id) if row is not None else None
    found = marks.get((tid, row_def.id, col.id), []) + row_marks
    classes = ["xr-cell"]
    if cell is None:
        classes.append("kind-missing")
        shown = ""
    else:
        classes.append(f"kind-{cell.kind}")
        shown = esc(cell.raw) if cell.raw else ""
        if cell.inferred:
            shown += (f"<sup class=\"xr-inferred\" title=\"{esc(ui('html.split_tip'))}\">"
                      f"{esc(ui('html.split'))}</sup>")
    attrs = ""
    if found:
        classes += ["xr-marked", worst_class(found, sev_of)]
        attrs = f" data-f=\"{' '.join(dict.fromkeys(found))}\" tabindex=\"0\"{_title(found, msg_of)}"
    if (tid, row_def.id, col.id) in strong or (row_marks and (tid, row_def.id, None) in strong):
        classes.append("xr-strong")
    wanted = expected.get((tid, row_def.id, col.id))
    if wanted:
        classes.append("xr-suspect")
        shown += f"<span class=\"xr-expect\">{esc(ui('html.expected_cell', values=ui('html.or').join(wanted)))}</span>"
    return (f"<td class=\"{' '.join(classes)}\" data-row=\"{esc(row_def.id)}\" data-col=\"{esc(col.id)}\"{attrs}>"
            f"{shown}</td>")


def _title(found: list[str], msg_of: dict) -> str:
    if not found:
        return ""
    text = "\n".join(msg_of[f] for f in dict.fromkeys(found) if f in msg_of)
    return f" title=\"{esc(text[:1500])}\""
