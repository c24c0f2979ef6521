"""Reading a template table out of whatever layout the report uses.

Every layout -- a Word/HTML grid, tab or pipe rows, PDF text with one cell per
line and vertical headers, a web page flattened to one line -- is read the
same way: the table's region becomes one stream of text, the template's row
labels are found in it in template order (tolerating line breaks, spaces and
page-number debris inside a label), and the values of a row are the numeric
tokens between its label and the next one.  Digits of adjacent cells that ran
together are split with the template's row identities; when more than one
split fits, the row is reported as unreadable instead of guessed.
"""

from __future__ import annotations

import itertools
import re

from .diagnostics import Span
from .digitruns import inconsistent_run, resolve_pending
from .digitsplit import MAX_SPLITS, cell_value, reading_satisfies, row_identities, satisfies_for, split_candidates, \
    split_cells, to_decimal
from .model.lines import Line
from .model.tables import CellValue, ReadProblem, RowData, TableData
from .ntext import NText, fold_key, join
from .tabletokens import NON_DIGIT, Token, find_label, label_pattern, tokenize, value_run
from .templates import RowDef, TableDef


# -- reading one table ------------------------------------------------------------------

def _stream(lines: list[Line]) -> NText:
    return join([ln.text for ln in lines], "\n")


def read_table(table: TableDef, version: str, lines: list[Line]) -> TableData | None:
    """Read ``table`` from ``lines``; None when none of its labels is there."""
    if not lines:
        return None
    nt = _stream(lines)
    stream = nt.text
    end = len(stream)
    matches = _match_labels(table.rows, stream, end)
    found = [(r, m) for r, m in matches if m is not None]
    unlabeled = [r for r, m in matches if m is None and not r.label]
    if not found:
        return None
    result = TableData(table, version, Span(0, 0), {}, [], [], len(found))
    result.stream = nt
    stream_key = fold_key(stream)
    result.matched_columns = sum(1 for b in table.blocks for c in b.columns
                                 if len(c.label) >= 4 and fold_key(c.label) in stream_key)
    starts = [m.start() for _, m in found]
    for idx, (row, m) in enumerate(found):
        if row.kind != "data":
            if _subtotal_capable(table, row):
                _read_subtotal(result, table, row, nt, m, found, idx, end)
            continue
        next_start = starts[idx + 1] if idx + 1 < len(found) else end
        # values printed inside a label that a line break split (seed 002)
        gap_tokens = [t for g in range(1, (m.re.groups or 0) + 1) if m.group(g) and any(c.isdigit() for c in m.group(g))
                      for t in tokenize(stream, m.start(g), m.end(g)) if t.kind == "num"]
        tokens = gap_tokens + tokenize(stream, m.end(), next_start)
        _assign(result, table, row, nt, m.start(), m.end(), value_run(tokens))
    for row in unlabeled:
        _read_unlabeled(result, table, row, nt, found[0][1].end())
    for row, m in matches:
        if m is None and row.kind == "data" and row.label:
            result.missing_rows.append(row.id)
    resolve_pending(result, table, nt)
    spans = [r.span for r in result.rows.values()] + [nt.span(m.start(), m.end()) for _, m in found]
    result.span = Span.cover(spans)
    return result


def _match_labels(rows: list[RowDef], stream: str, end: int) -> list[tuple[RowDef, re.Match | None]]:
    """Each row with where its label is, in template order (None: no label, or not found)."""
    matches: list[tuple[RowDef, re.Match | None]] = []
    pos = 0
    for n, row in enumerate(rows):
        if not row.label:
            matches.append((row, None))
            continue
        m = find_label(stream, row, pos, end)
        if m is not None:
            # A label found only after the next row's label is not this row's.
            for nxt in rows[n + 1:n + 3]:
                if nxt.label:
                    m2 = find_label(stream, nxt, pos, end)
                    if m2 is not None and m2.start() < m.start():
                        m = None
                    break
        matches.append((row, m))
        if m is not None:
            pos = m.end()
    return matches


def _read_unlabeled(result: TableData, table: TableDef, row: RowDef, nt: NText, after: int) -> None:
    """An unlabeled data row (table 4): the first values after the headers (which end at ``after``)."""
    stream = nt.text
    end = len(stream)
    tokens = tokenize(stream, after, end)
    run = value_run([t for t in tokens if t.start >= after])
    if not run:  # a grid row left empty (a blank template) is the row, all blank
        run = _empty_grid_row(stream, after, end, len(table.columns_for(row)))
    if run:
        _assign(result, table, row, nt, run[0].start, run[0].start, run)
    else:
        result.missing_rows.append(row.id)


def _empty_grid_row(stream: str, start: int, end: int, need: int) -> list[Token]:
    """Blank tokens for the first grid line in ``stream[start:end]`` whose
    cells are all empty and at least ``need`` in number."""
    pos = start
    for line in stream[start:end].split("\n"):
        if "\t" in line and not line.strip() and line.count("\t") + 1 >= need:
            cells = [pos] + [pos + i + 1 for i, ch in enumerate(line) if ch == "\t"]
            return [Token("blank", "", at, at) for at in cells[:need]]
        pos += len(line) + 1
    return []


def _subtotal_capable(table: TableDef, row: RowDef) -> bool:
    """A header whose children are all data rows (（三）…（六） of table 3)."""
    children = [r for r in table.rows if r.parent == row.id]
    return bool(children) and all(r.kind == "data" for r in children)


_SUBTOTAL = re.compile(label_pattern("小计"))


def _read_subtotal(result: TableData, table: TableDef, row: RowDef, nt: NText, m: re.Match,
                   found: list, idx: int, end: int) -> None:
    """Values printed on a header row itself, or on a 小计 row inside its block.
    Accepted only when they fill the row exactly with numbers; never required."""
    stream = nt.text
    need = len(table.columns_for(row))
    # the block ends at the first found label that is not one of the header's children
    block_end = next((mm.start() for r, mm in found[idx + 1:] if r.parent != row.id), end)
    next_start = found[idx + 1][1].start() if idx + 1 < len(found) else end
    regions = [(m.start(), m.end(), next_start)]
    sub = _SUBTOTAL.search(stream, m.end(), block_end)
    if sub is not None:
        after = next((mm.start() for _, mm in found[idx + 1:] if mm.start() >= sub.end()), end)
        regions.append((sub.start(), sub.end(), min(after, block_end)))
    for lstart, lend, rend in regions:
        run = value_run(tokenize(stream, lend, rend))
        lo, hi = 0, len(run)  # blanks trimmed by index, not by slicing once per cell
        while lo < hi and run[lo].kind == "blank":
            lo += 1
        while hi > lo and run[hi - 1].kind == "blank":
            hi -= 1
        run = run[lo:hi]
        if len(run) == need and all(t.kind == "num" for t in run):
            columns = table.columns_for(row)
            result.rows[row.id] = RowData(row, nt.span(lstart, lend), dict(zip((c.id for c in columns),
                                          (cell_value(nt, t) for t in run))), columns, subtotal=True)
            return


def _assign(result: TableData, table: TableDef, row: RowDef, nt: NText, lstart: int, lend: int,
            run: list[Token]) -> None:
    columns = table.columns_for(row)
    need = len(columns)
    label_span = nt.span(lstart, lend)
    # empty cells around the values belong to the label area or the table's width
    # (trimmed by index: slicing once per cell was quadratic in a row of 30,000 empty cells)
    lo, hi = 0, len(run)
    while hi > lo and run[hi - 1].kind == "blank" and hi - lo > need:
        hi -= 1
    while hi > lo and run[lo].kind == "blank" and hi - lo > need:
        lo += 1
    run = run[lo:hi]
    while run and run[-1].kind == "blank" and all(t.kind == "blank" for t in run[need:]) and len(run) > need:
        run = run[:-1]
    identities = row_identities(table, columns)
    values: list[CellValue]
    if len(run) == need:
        values = [cell_value(nt, t) for t in run]
    elif len(run) > need:
        values = _resolve_extra(result, table, row, nt, run, columns, identities, label_span)
        if not values:
            return
    else:
        values = _resolve_short(result, row, nt, run, columns, identities, label_span)
        if not values:
            return
    result.rows[row.id] = RowData(row, label_span, dict(zip((c.id for c in columns), values)), columns)


def _resolve_extra(result, table, row, nt, run, columns, identities, label_span) -> list[CellValue]:
    """More cells than columns: accept only if every reading consistent with the
    row's identities gives the same values (seed 003's （七）总计 row)."""
    need = len(columns)
    extra = len(run) - need
    readings: dict[tuple, list[Token]] = {}
    if extra <= 3 and identities:
        for drop in itertools.combinations(range(len(run)), extra):
            kept = [t for i, t in enumerate(run) if i not in drop]
            vals = [to_decimal(t.text) if t.kind == "num" else None for t in kept]
            if reading_satisfies(vals, columns, identities):
                readings.setdefault(tuple(vals), kept)
    span = Span.cover([label_span] + [nt.span(t.start, t.end) for t in run])
    found = [t.text or "（空）" for t in run]
    if len(readings) == 1:
        kept = next(iter(readings.values()))
        result.problems.append(ReadProblem("extra-cells-resolved", span, row.id, {"found": found, "expected_cells": need},
                                           label=row.label))
        return [cell_value(nt, t) for t in kept]
    result.problems.append(ReadProblem("extra-cells", span, row.id,
                                       {"found": found, "expected_cells": need, "readings": len(readings)},
                                       label=row.label))
    return []


def _resolve_short(result, row, nt, run, columns, identities, label_span) -> list[CellValue]:
    need = len(columns)
    # a digit run followed by the empty cells of the next grid line: those cells are not this row's
    nums = run
    while nums and nums[-1].kind == "blank":
        nums = nums[:-1]
    if nums is not run and nums and all(t.kind == "num" for t in nums) and any(len(t.text) > 1 for t in nums):
        run = nums
    if run and all(t.kind == "num" for t in run) and any(len(NON_DIGIT.sub("", t.text)) > 1 for t in run):
        candidates = split_candidates([t.text for t in run], need)
        readings = {}
        satisfies = satisfies_for(columns, identities)
        for cand in candidates:
            vals = [to_decimal(p) for p in cand]
            if satisfies(vals):
                readings.setdefault(tuple(vals), cand)
        span = Span.cover([label_span] + [nt.span(t.start, t.end) for t in run])
        digits = " ".join(t.text for t in run)
        # too many ways to cut (the enumeration stopped): a reading found is not the only one
        complete = len(candidates) < MAX_SPLITS
        if len(readings) == 1 and complete:
            cand = next(iter(readings.values()))
            return split_cells(nt, run, cand)
        if len(candidates) == 1:
            # one digit a cell: the only reading there is; the A rules check it
            return split_cells(nt, run, candidates[0])
        if candidates and not readings and complete:
            # every reading (all of them were tried) breaks the row's identities: an arithmetic defect (A108)
            result.problems.append(inconsistent_run(row, run, candidates, columns, identities, span, need))
            return []
        kind = "ambiguous-split" if readings or not complete else "no-split"
        result.pending[row.id] = (run, [list(v) for v in readings.values()] if complete else [])
        result.problems.append(ReadProblem(kind, span, row.id,
                                           {"digits": digits, "expected_cells": need, "readings": len(readings)},
                                           label=row.label, split_limit=0 if complete else MAX_SPLITS))
        return []
    while run and run[0].kind == "blank":  # empty label-area cells, not values
        run = run[1:]
    values = [cell_value(nt, t) for t in run]
    anchor = run[-1].end if run else None
    for _ in range(need - len(run)):
        span = nt.span(anchor, anchor) if anchor is not None else label_span
        values.append(CellValue("", "missing", None, span))
    if len(run) < need:
        result.problems.append(ReadProblem(
            "short-row", Span.cover([label_span] + [nt.span(t.start, t.end) for t in run]), row.id,
            {"found": [t.text or "（空）" for t in run], "expected_cells": need}, label=row.label))
    return values
