"""Digit runs (cells that ran together, "1000102") beyond the row itself.

``tables.py`` splits a run with the row's identities and then the table's
column identities.  This module holds what comes after:

- a run that no reading can make satisfy those identities is an arithmetic
  defect, not a reading problem: ``inconsistent_run`` records the closest
  readings and the relations each breaks (A108 words them);
- a run that still has several readings is settled, when it can be, by the
  numbers the prose states (``settle_with_prose``, vocabulary in the template
  data's ``rule_data.digit_run_cues``) and then by the previous year's report
  (``settle_with_previous``: the template's cross-year identities, e.g.
  上年结转 = last year's 结转下年度, 现行有效件数).  A reading is chosen only
  when exactly one is left; otherwise the row stays unreadable (E010).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from .diagnostics import Span
from .digitsplit import split_cells, to_decimal
from .identities import Identity, holds
from .model.tables import ReadProblem, RowData, TableData
from .ntext import NText
from .templates import ColumnDef, RowDef, TableDef

_CLOSEST = 3  # readings shown in a finding


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def _failures(values: list[Decimal | None], columns: list[ColumnDef], identities: Sequence[Identity]) -> list[tuple]:
    """(identity, left, right) of each identity over the columns that the values break."""
    position = {c.id: n for n, c in enumerate(columns)}
    out = []
    for ident in identities:
        if any(name not in position for name in ident.names):
            continue
        sides = ident.sides(lambda name: values[position[name]])
        if sides is not None and not holds(ident.op, *sides):
            out.append((ident, *sides))
    return out


def inconsistent_run(row: RowDef, run, candidates: list[list[str]], columns: list[ColumnDef],
                     identities: list[Identity], span: Span, need: int) -> ReadProblem:
    """The problem of a run whose every reading breaks the row's identities."""
    scored = []
    seen: set[tuple] = set()
    for cand in candidates:
        values = [to_decimal(p) for p in cand]
        key = tuple(values)
        if key in seen:
            continue
        seen.add(key)
        fails = _failures(values, columns, identities)
        scored.append((sum(abs(left - right) for _, left, right in fails), len(fails), cand, fails))
    scored.sort(key=lambda s: (s[0], s[1]))
    closest = scored[:_CLOSEST]
    digits = " ".join(t.text for t in run)
    data = [{"values": list(cand), "differences": [
        {"identity": i.id, "left": _fmt(lv), "right": _fmt(rv)} for i, lv, rv in fails]} for _, _, cand, fails in closest]
    broken = [(list(cand), [(i, None, _fmt(lv), _fmt(rv)) for i, lv, rv in fails]) for _, _, cand, fails in closest]
    return ReadProblem("inconsistent-run", span, row.id,
                       {"digits": digits, "expected_cells": need, "readings": len(scored), "closest": data, "scope": "row"},
                       label=row.label, broken=broken)


def inconsistent_columns(table: TableData, definition, rid: str, identities: list[Identity], columns) -> None:
    """Every reading of the run of ``rid`` (each consistent with its row) breaks a
    column identity the row takes part in: the run's problem becomes the defect."""
    run, cands = table.pending[rid]
    problem = next((p for p in table.problems if p.row_id == rid), None)
    if problem is None:
        return
    position = {c.id: n for n, c in enumerate(columns)}
    instances = [inst for ident in identities for inst in ident.instances()]
    scored = []
    for cand in cands:
        fails = []
        for inst in instances:
            def get(cell, cand=cand):
                if cell[0] == rid:
                    n = position.get(cell[1])
                    return to_decimal(cand[n]) if n is not None and n < len(cand) else None
                return _value(table, *cell)

            sides = inst.sides(get)
            if sides is not None and not holds(inst.ident.op, *sides):
                fails.append((inst.ident, inst.axis, *sides))
        scored.append((sum(abs(lv - rv) for _, _, lv, rv in fails), len(fails), cand, fails))
    if any(not s[3] for s in scored):
        return  # a reading passes after all (terms were unreadable)
    scored.sort(key=lambda s: (s[0], s[1]))
    closest = scored[:_CLOSEST]
    data = [{"values": list(cand), "differences": [
        {"identity": i.id, "column": c, "left": _fmt(lv), "right": _fmt(rv)} for i, c, lv, rv in fails]}
        for _, _, cand, fails in closest]
    row = definition.row(rid)
    digits = " ".join(t.text for t in run)
    need = len(columns)
    problem.kind = "inconsistent-run"
    problem.label = row.label
    problem.broken = [(list(cand), [(i, c, _fmt(lv), _fmt(rv)) for i, c, lv, rv in fails[:2]])
                      for _, _, cand, fails in closest]
    problem.data = {"digits": digits, "expected_cells": need, "readings": len(cands), "closest": data,
                    "scope": "columns"}
    del table.pending[rid]


# -- settling rows with several readings ---------------------------------------------------

def resolve_pending(result: TableData, table: TableDef, nt: NText, final: bool = True) -> None:
    """Rows that split several ways are settled, when they can be, by the
    table's column identities (一+二 = （七）+四, （七） = the result rows):
    accepted only if exactly one combination of readings satisfies them.
    (``tables.py`` calls this when it has read the table, ``_narrow`` after the
    prose or the previous report took readings away.)"""
    pending = {rid: p for rid, p in result.pending.items() if p[1]}
    if not pending or len(pending) > 6:
        return
    # only the identities a pending row takes part in can tell its readings apart
    identities = [i for i in table.identity_set.row_facts if set(i.names) & set(pending)]
    if not identities:
        return
    combos = list(itertools.islice(itertools.product(*(c for _, c in pending.values())), 5000))
    columns = {rid: table.columns_for(table.row(rid)) for rid in pending}
    position = {rid: {c.id: n for n, c in enumerate(columns[rid])} for rid in pending}
    instances = [inst for ident in identities for inst in ident.instances()]
    good = []
    for combo in combos:
        values = {rid: [to_decimal(p) for p in pieces] for rid, pieces in zip(pending, combo)}
        get = _cell_getter(result, values, position)
        if all(inst.holds(get) for inst in instances):
            good.append(combo)
    if final and not good and len(pending) == 1 and len(combos) < 5000:
        # every reading of the one run breaks a column identity: an arithmetic defect (A108)
        rid = next(iter(pending))
        inconsistent_columns(result, table, rid, identities, columns[rid])
        return
    if len(good) != 1:
        return
    for (rid, (run, _)), pieces in zip(pending.items(), good[0]):
        row = table.row(rid)
        cells = split_cells(nt, run, pieces)
        label_span = next(p.span for p in result.problems if p.row_id == rid)
        result.rows[rid] = RowData(row, label_span, dict(zip((c.id for c in columns[rid]), cells)), columns[rid])
        result.problems = [p for p in result.problems if p.row_id != rid]
        del result.pending[rid]


def _cell_getter(result: TableData, values: dict[str, list[Decimal | None]],
                 position: dict[str, dict[str, int]]) -> Callable[[tuple[str, str]], Decimal | None]:
    """A cell's value with the pending rows read as ``values``: what an identity instance evaluates."""
    def get(cell: tuple[str, str]) -> Decimal | None:
        rid, cid = cell
        if rid in values:
            n = position[rid].get(cid)
            return values[rid][n] if n is not None and n < len(values[rid]) else None
        row = result.rows.get(rid)
        return row.values[cid].value if row and cid in row.values else None
    return get


def _apply(table: TableData, rid: str, pieces: list[str], how: str) -> None:
    """Read the pending row ``rid`` as ``pieces``."""
    row = table.definition.row(rid)
    run, _ = table.pending.pop(rid)
    columns = table.definition.columns_for(row)
    cells = split_cells(table.stream, run, pieces)
    label_span = next(p.span for p in table.problems if p.row_id == rid)
    table.rows[rid] = RowData(row, label_span, dict(zip((c.id for c in columns), cells)), columns)
    table.problems = [p for p in table.problems if p.row_id != rid]
    for cell in cells:
        cell.settled_by = how


def column_identities(table: TableData) -> tuple[Identity, ...]:
    """The table's facts over rows (evaluated per column), as tables.py settles runs with them."""
    return table.definition.identity_set.row_facts


def _narrow(table: TableData, keep: dict[str, list[list[str]]], how: str) -> None:
    """Keep only the readings ``keep`` of the pending rows, and settle what that
    decides: with the column identities where the row takes part in one, else
    when one reading is left.  Readings the identities then reject are restored."""
    if not keep or table.stream is None:
        return
    original = {rid: table.pending[rid] for rid in keep}
    for rid, cands in keep.items():
        table.pending[rid] = (original[rid][0], cands)
    in_identities = {n for i in column_identities(table) for n in i.names}
    resolve_pending(table, table.definition, table.stream, final=False)
    for rid in keep:
        if rid not in table.pending:
            for cell in table.rows[rid].values.values():
                cell.settled_by = how
        elif len(table.pending[rid][1]) == 1 and rid not in in_identities:
            _apply(table, rid, table.pending[rid][1][0], how)
        else:
            table.pending[rid] = original[rid]


_COMPARISON = re.compile(r"同比|较上年|比上年|较去年|比去年|去年|上年|上一年|增长|下降|减少|增加|持平|累计")


def _prose_constraints(report, table: TableData, rid: str, columns: list[ColumnDef]) -> dict[int, Decimal]:
    """Column position -> the value the prose states for it (one value, one column per clause)."""
    cues = report.templates.raw.get("rule_data", {}).get("digit_run_cues", {}).get(table.id, {}).get(rid)
    if not cues:
        return {}
    position = {c.id: n for n, c in enumerate(columns)}
    found: dict[int, set[Decimal]] = {}
    for stated in report.stated_numbers:
        clause = stated.context
        if stated.unit not in cues.get("units", ["件"]) or _COMPARISON.search(clause):
            continue
        if not any(w in clause for w in cues.get("row", [])) or not all(w in clause for w in cues.get("require", [])):
            continue
        if re.search(re.escape(stated.raw) + r"\s*(?:余|多)", clause):
            continue
        named = [cid for cid, words in cues.get("columns", {}).items() if any(w in clause for w in words)]
        if not named and cues.get("default"):
            named = [cues["default"]]
        if len(named) != 1 or named[0] not in position:
            continue
        found.setdefault(position[named[0]], set()).add(stated.value)
    return {col: next(iter(values)) for col, values in found.items() if len(values) == 1}


def settle_with_prose(report) -> None:
    """Readings of pending rows that agree with every number the prose states for their cells."""
    for table in report.tables.values():
        keep = {}
        for rid, (_run, cands) in table.pending.items():
            if len(cands) < 2:
                continue
            columns = table.definition.columns_for(table.definition.row(rid))
            constraints = _prose_constraints(report, table, rid, columns)
            if not constraints:
                continue
            left = [c for c in cands if all(to_decimal(c[col]) == v for col, v in constraints.items())]
            if left and len(left) < len(cands):
                keep[rid] = left
        _narrow(table, keep, "prose")


def _cross_year(table: TableData):
    return table.definition.identity_set.cross_year


def _value(table: TableData, rid: str, cid: str, reading: dict[str, Decimal] | None = None):
    if reading is not None and cid in reading:
        return reading[cid]
    if rid in table.unreliable_rows():
        return None
    return table.value(rid, cid)


def _holds_across_years(table: TableData, prev: TableData, rid: str, reading: dict[str, Decimal], ident) -> bool | None:
    """Does the identity hold with ``reading`` as row ``rid``?  None when it says nothing about it."""
    names = set(ident.names)
    verdicts = []
    if ident.axis_kind == "column":  # rows: one evaluation per column; the row must be a this-year term
        if not any(t.name == rid and not t.previous for t in (*ident.lhs, *ident.rhs)):
            return None
        for cid in reading:
            pairs = []
            for side in (ident.lhs, ident.rhs):
                total = Decimal(0)
                for t in side:
                    src = prev if t.previous else table
                    v = _value(src, t.name, cid, reading if (not t.previous and t.name == rid) else None)
                    if v is None:
                        total = None
                        break
                    total += t.sign * v
                pairs.append(total)
            if None not in pairs:
                verdicts.append(holds(ident.op, pairs[0], pairs[1]))
    else:  # columns: one evaluation, on this row
        if not names <= set(reading):
            return None
        pairs = []
        for side in (ident.lhs, ident.rhs):
            total = Decimal(0)
            for t in side:
                v = _value(prev, rid, t.name) if t.previous else reading[t.name]
                if v is None:
                    return None
                total += t.sign * v
            pairs.append(total)
        verdicts.append(holds(ident.op, pairs[0], pairs[1]))
    return all(verdicts) if verdicts else None


def settle_with_previous(report) -> None:
    """Readings of pending rows that keep the cross-year identities with the previous report."""
    prev_report = getattr(report, "previous", None)
    if prev_report is None:
        return
    for table in report.tables.values():
        prev = prev_report.tables.get(table.id)
        if prev is None or not table.pending:
            continue
        identities = list(_cross_year(table))
        keep = {}
        for rid, (_run, cands) in table.pending.items():
            if len(cands) < 2:
                continue
            columns = table.definition.columns_for(table.definition.row(rid))
            left, said = [], False
            for cand in cands:
                reading = {c.id: to_decimal(p) for c, p in zip(columns, cand)}
                verdicts = [v for v in (_holds_across_years(table, prev, rid, reading, i) for i in identities)
                            if v is not None]
                said = said or bool(verdicts)
                if all(verdicts):
                    left.append(cand)
            if said and left and len(left) < len(cands):
                keep[rid] = left
        _narrow(table, keep, "previous")
