"""The pre-2019 《政府信息公开情况统计表》: finding it, choosing its form, settling its digit runs.

The old table is read by ``tables.read_table`` like every other table.  This
module adds what is particular to it:

- two forms exist (the national 统计指标/单位/统计数 table, and a provincial form
  with 本年度 and 历年累计 columns); a report carries one of them, so only the
  form whose labels fit is kept (``alternative_to`` in the template data);
- a web page flattened to one line puts the table, or its first rows, into the
  line of its section heading ("六、政府信息公开情况统计表指标名称…"), which the
  classifier takes for a heading: the lines from the table's start (its column
  headings, else the last line naming it) to the end are read as well, and that
  reading is kept when it finds more of the table's rows (three data rows at least);
- a run of digits that several splits fit is settled only by facts: every
  identity of its row (``累计 >= 本年度`` too; the engine, linter/identities.py,
  honours every operator), the column identities with the rows already read, then a number the
  prose states for that row (``prose_words`` in the data).  A split is taken
  only when exactly one fits; otherwise the row stays unreadable (E010).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal

from .digitsplit import split_cells
from .identities import Identity
from .normalize import Line
from .ntext import NText, fold_key, join
from .model.tables import RowData, TableData
from .tables import read_table
from .templates import TableDef, TemplateSet

_MAX_COMBOS = 5000


def _fit(table: TableData) -> float:
    """Share of the form's row labels found (how well its labels fit); a row
    whose digits could not be split still counts: its label is there."""
    labelled = sum(1 for r in table.definition.rows if r.label) or 1
    return table.matched_labels / labelled


def choose_form(tables: dict[str, TableData], templates: TemplateSet) -> dict[str, TableData]:
    """Keep one form of each group of alternative tables: the best-fitting one
    (on a tie, the form the others are alternatives to)."""
    groups: dict[str, list[str]] = {}
    for tid, tdef in templates.pre_uniform.tables.items():
        base = tdef.alternative_to or tid
        groups.setdefault(base, []).append(tid)
    out = dict(tables)
    for base, members in groups.items():
        present = [tid for tid in members if tid in out]
        if len(present) < 2:
            continue
        best = max(present, key=lambda tid: (_fit(out[tid]), tid == base))
        for tid in present:
            if tid != best:
                del out[tid]
    return out


def _keys(templates: TemplateSet) -> tuple[list[str], list[str]]:
    """The old tables' column headings of 4+ characters (统计指标, 历年累计 ...) and captions."""
    headings, captions = set(), set()
    for table in templates.pre_uniform.tables.values():
        if table.caption:
            captions.add(fold_key(table.caption))
        headings.update(fold_key(c.label) for c in table.blocks[0].columns if len(c.label) >= 4)
    return sorted(headings), sorted(captions)


def _region(lines: list[Line], templates: TemplateSet) -> list[Line]:
    """The lines from the table's start to the end of the report: the first line
    with a column heading of the old table (统计指标, 历年累计 ...), else the last
    line naming it (a preamble may name the 统计表 long before it comes)."""
    headings, captions = _keys(templates)
    keys = [fold_key(ln.plain) for ln in lines]
    start = next((n for n, key in enumerate(keys) if any(h in key for h in headings)), None)
    if start is None:
        start = next((n for n in range(len(keys) - 1, -1, -1) if any(c in keys[n] for c in captions)), None)
    return lines[start:] if start is not None else []


def _stream(lines: list[Line]) -> NText:
    """The text ``read_table`` reads ``lines`` as (its token offsets point into it)."""
    return join([ln.text for ln in lines], "\n")


def _data_rows_found(table: TableData) -> int:
    """Data rows whose label was found (read, or found but unreadable)."""
    return len({rid for rid, row in table.rows.items() if not row.subtotal} | table.unreliable_rows())


def _better(new: TableData, old: TableData | None) -> bool:
    """More of the table's labels found, and no more rows left unreadable."""
    if old is None:
        return True
    return new.matched_labels > old.matched_labels and len(new.problems) <= len(old.problems)


def read(tables: dict[str, TableData], lines: list[Line], templates: TemplateSet,
         version: str, label_version: str | None) -> tuple[dict[str, TableData], dict[str, NText]]:
    """Keep one form of the old table, and read it from the text after its start
    (caption or column headings) when that finds more of it than the table lines
    did: a flattened web page puts the table, or its first rows, into the line of
    its section heading.  Returns the tables and, for the old table, the text it
    was read from (for ``settle``)."""
    old = templates.pre_uniform.id
    old_defs = templates.pre_uniform.tables
    tables = choose_form(tables, templates)
    streams: dict[str, NText] = {}
    table_lines = [ln for ln in lines if ln.kind == "TROW"]
    for tid in old_defs:
        if tid in tables:
            # old tables belong to no numbered section: _read_tables read them from all table lines
            streams[tid] = _stream(table_lines)
    if old not in (version, label_version):
        return tables, streams
    region = _region(lines, templates)
    if not region:
        return tables, streams
    found: dict[str, TableData] = {}
    for tid, tdef in old_defs.items():
        data = read_table(tdef, old, region)
        # a caption followed by prose is no table: at least three of its data rows must be there
        # (section headings such as 一、主动公开情况 are also header rows of the national form)
        if data is not None and _data_rows_found(data) >= 3:
            found[tid] = data
    found = choose_form(found, templates)
    current = next((tables[tid] for tid in old_defs if tid in tables), None)
    for tid, data in found.items():
        if _better(data, current):
            for other in old_defs:
                tables.pop(other, None)
                streams.pop(other, None)
            tables[tid] = data
            streams[tid] = _stream(region)
    return tables, streams


# -- settling runs of digits --------------------------------------------------------------

def _parsed(table: TableDef) -> tuple[list[Identity], list[Identity]]:
    """The facts of the table (identities that are not heuristics, all operators, parsed at
    template load): over columns (evaluated per row) and over rows (evaluated per column)."""
    facts = table.identity_set.facts
    return [i for i in facts if i.axis_kind == "row"], [i for i in facts if i.axis_kind == "column"]


def _stated(report, row_words: list[str], unit: str | None) -> set[Decimal]:
    """Numbers the prose states for a row: in a clause naming one of its words, in its unit."""
    out = set()
    for num in report.stated_numbers:
        if unit and num.unit != unit:
            continue
        if any(w in num.context for w in row_words):
            out.add(num.value)
    return out


def settle(report, streams: dict[str, NText]) -> None:
    """Settle the old table's rows whose digits ran together, where facts allow (see module doc)."""
    for tid, nt in streams.items():
        table = report.tables.get(tid)
        if table is not None and table.pending:
            _settle_table(report, table, nt)


def _settle_table(report, table: TableData, nt: NText) -> None:
    defn = table.definition
    per_row, per_col = _parsed(defn)
    columns = defn.blocks[0].columns
    col_ids = [c.id for c in columns]
    pending = {rid: p for rid, p in table.pending.items() if p[1]}
    # 1. every identity of the row itself
    choices: dict[str, list[tuple[str, ...]]] = {}
    for rid, (_run, readings) in pending.items():
        choices[rid] = [tuple(pieces) for pieces in readings
                        if all(i.holds_for(dict(zip(col_ids, map(Decimal, pieces))).get) for i in per_row)]
    unreliable = table.unreliable_rows()
    options: dict[str, list[tuple[str, ...]]] = {}
    for group in _components([rid for rid in choices if choices[rid]], per_col):
        size = 1
        for rid in group:
            size *= len(choices[rid])
        if size > _MAX_COMBOS:
            # too many combinations to try them all: never settle on a partial search
            options.update({rid: choices[rid] for rid in group})
            continue
        # 2. the column identities with the rows already read (combinations of the pending rows)
        good = []
        for combo_t in itertools.product(*(choices[r] for r in group)):
            combo = dict(zip(group, combo_t))
            get = _combo_value(table, combo, col_ids, unreliable)
            if all(inst.holds(get) for i in per_col for inst in i.instances()):
                good.append(combo)
        good = _narrow_by_prose(report, defn, group, good)
        options.update({rid: sorted({g[rid] for g in good}, key=lambda o: [len(x) for x in o]) for rid in group})
    relations = "；".join(i.text for i in per_row if i.text) or "本行与各列的合计关系"
    for rid, (run, _) in pending.items():
        problem = next(p for p in table.problems if p.row_id == rid)
        found = options.get(rid, [])
        if len(found) == 1:
            cells = split_cells(nt, run, list(found[0]))
            table.rows[rid] = RowData(defn.row(rid), problem.span, dict(zip(col_ids, cells)), columns)
            table.problems = [p for p in table.problems if p.row_id != rid]
            del table.pending[rid]
        else:
            _restate(problem, found, relations)
            table.pending[rid] = (run, [list(o) for o in found])


def _combo_value(table: TableData, combo: dict[str, tuple[str, ...]], col_ids: list[str],
                 unreliable: set[str]) -> Callable[[tuple[str, str]], Decimal | None]:
    """A cell's value with the pending rows read as ``combo`` (what a column identity evaluates)."""
    def value(cell: tuple[str, str]) -> Decimal | None:
        rid, cid = cell
        if rid in combo:
            return Decimal(combo[rid][col_ids.index(cid)])
        found = table.cell(rid, cid)
        return found.value if found is not None and rid not in unreliable else None
    return value


def _narrow_by_prose(report, defn: TableDef, group: list[str],
                     good: list[dict[str, tuple[str, ...]]]) -> list[dict[str, tuple[str, ...]]]:
    """3. the readings still possible, narrowed by what the prose states for a row."""
    for rid in group:
        remaining = {g[rid] for g in good}
        row_def = defn.row(rid)
        words = row_def.prose_words if row_def is not None else []
        if len(remaining) > 1 and words:
            stated = _stated(report, words, row_def.unit)
            narrowed = {o for o in remaining if Decimal(o[0]) in stated}
            if len(narrowed) == 1:
                good = [g for g in good if g[rid] in narrowed]
    return good


def _components(rids: list[str], identities: list[Identity]) -> list[list[str]]:
    """The pending rows grouped by the identities that link them (each group is
    searched on its own: the combinations of unrelated rows need not be tried)."""
    group_of = {rid: {rid} for rid in rids}
    for ident in identities:
        linked = [n for n in ident.names if n in group_of]
        for other in linked[1:]:
            a, b = group_of[linked[0]], group_of[other]
            if a is not b:
                a |= b
                for rid in b:
                    group_of[rid] = a
    out, seen = [], set()
    for rid in rids:
        if id(group_of[rid]) not in seen:
            seen.add(id(group_of[rid]))
            out.append([r for r in rids if r in group_of[rid]])
    return out


def _restate(problem, readings: list[tuple[str, ...]], relations: str) -> None:
    """The row stays unreadable (E010): the readings the old table's relations leave (listing them helps the drafter)."""
    problem.kind = "ambiguous-split" if readings else "no-split"
    problem.relations = relations
    problem.data = {**problem.data, "readings": len(readings), "candidates": ["/".join(o) for o in readings[:20]]}
