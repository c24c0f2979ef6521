"""Identities evaluated on a table's cells, and their failures grouped so that
one wrong number is reported once (the A1xx rules of rules/arithmetic.py)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from xxgk_lint.linter.model import Identity, TableData, holds
from xxgk_lint.rules.cells import Cell, number

CellOrder = Callable[[Cell], tuple[int, int]]


# -- instances: one identity evaluated on one column (or row) -------------------------------

@dataclass
class Instance:
    ident: Identity
    table: TableData
    per: str  # "column": terms are rows; "row": terms are columns
    axis: str  # the column id (per column) or row id (per row)
    lhs: list[tuple[int, Cell]]
    rhs: list[tuple[int, Cell]]
    values: dict[Cell, Decimal]
    order: tuple = ()

    def coef(self, cell: Cell) -> int:
        return self._coefs.get(cell, 0)

    @functools.cached_property
    def _coefs(self) -> dict[Cell, int]:
        """Each cell's coefficient (left minus right); asked for again and again while grouping."""
        out: dict[Cell, int] = {}
        for s, c in self.lhs:
            out[c] = out.get(c, 0) + s
        for s, c in self.rhs:
            out[c] = out.get(c, 0) - s
        return out

    @property
    def cells(self) -> list[Cell]:
        return list(dict.fromkeys(c for _, c in (*self.lhs, *self.rhs)))

    def side(self, terms, delta: dict[Cell, Decimal] | None = None) -> Decimal:
        delta = delta or {}
        return sum((s * (self.values[c] + delta.get(c, 0)) for s, c in terms), Decimal(0))

    def residual(self, delta=None) -> Decimal:
        if not delta:
            return self._residual
        return self.side(self.lhs, delta) - self.side(self.rhs, delta)

    @functools.cached_property
    def _residual(self) -> Decimal:
        """The residual of the printed values; asked for again and again while grouping."""
        return self.side(self.lhs) - self.side(self.rhs)

    def ok(self, delta=None) -> bool:
        return holds(self.ident.op, self.residual(delta), 0)

    @property
    def found_side(self):
        """The side holding the printed total: a lone term on the left, else the right side."""
        return (self.lhs, self.rhs) if len(self.lhs) == 1 else (self.rhs, self.lhs)

    @property
    def anchor(self) -> Cell:
        return self.found_side[0][0][1]

    @property
    def code(self) -> str:
        return self.ident.code

    @property
    def heuristic(self) -> bool:
        return self.ident.kind == "heuristic"


def _identities(table: TableData) -> list[Identity]:
    """The table's identities (parsed at template load), and those of the subtotal rows the report added."""
    parsed = table.definition.identity_set
    return [*parsed.within, *(parsed.subtotals[rid] for rid, row in table.rows.items()
                              if row.subtotal and rid in parsed.subtotals)]


def instances(table: TableData, bad: set[str]) -> list[Instance]:
    row_index = {r.id: n for n, r in enumerate(table.definition.rows)}
    out: list[Instance] = []
    for ident in _identities(table):
        for k, inst in enumerate(ident.instances(table.rows)):
            numbers = {c: number(table, c, bad) for c in inst.cells}
            values = {c: v for c, v in numbers.items() if v is not None}
            if len(values) < len(numbers):
                continue  # blank, placeholder, missing or unreliable: not evaluated
            pos = k if ident.axis_kind == "column" else row_index.get(inst.axis, 0)
            out.append(Instance(ident, table, ident.axis_kind, inst.axis, list(inst.lhs), list(inst.rhs), values,
                                (ident.id, pos)))
    # evaluation order must not matter: fix it by identity id and template position
    return sorted(out, key=lambda i: i.order)


# -- grouping the consequences of one wrong number -------------------------------------------

@dataclass
class Group:
    failures: list[Instance]
    suspects: dict[Cell, Decimal] = field(default_factory=dict)  # cell -> change that fixes all


def cell_order(table: TableData) -> CellOrder:
    """Cells in template order: by row, then column."""
    defn = table.definition
    rows = {r.id: n for n, r in enumerate(defn.rows)}
    cols = {c.id: n for b in defn.blocks for n, c in enumerate(b.columns)}
    return lambda c: (rows.get(c[0], 10 ** 6), cols.get(c[1], 10 ** 6))


def group_failures(insts: list[Instance], order: CellOrder) -> list[Group]:
    """Findings for the failed instances of one table.

    1. A cell whose single change makes every instance it takes part in hold,
       and that is the only such cell for the failures it is in (at least two),
       is named as the likely wrong number: one finding for all those failures
       (e.g. one cell that breaks both its row total and its column total).
    2. Within one column (row), if exactly one cell explains all the column's
       failures, and the cells so found in one row (column) can change together
       without breaking anything (seed 003: （七）总计 is 25 in both 自然人 and
       总计 while the results add up to 24, which also breaks 一+二=（七）+四),
       one finding names that row's cells.
    3. What is left: one finding per identity and total row (several columns
       of the same total are one finding), else one per failed instance.
    """
    failing = [i for i in insts if not i.ok()]
    if not failing:
        return []
    by_cell: dict[Cell, list[Instance]] = {}
    for inst in insts:
        for c in inst.cells:
            if inst.coef(c):
                by_cell.setdefault(c, []).append(inst)
    taken: set[int] = set()  # id() of the failures a group already holds
    groups = _single_cells(failing, by_cell, order, taken)
    for per in ("column", "row"):
        groups += _culprit_lines(per, insts, failing, by_cell, order, taken)
    return groups + _the_rest(failing, taken)


def _fix_for(cell: Cell, failing: list[Instance]) -> Decimal | None:
    """The one change of ``cell`` that zeroes every failing equality containing it."""
    fixes = {-f.residual() / f.coef(cell) for f in failing if f.ident.op == "==" and f.coef(cell)}
    if len(fixes) != 1:
        return None
    fix = fixes.pop()
    return fix if fix != 0 else None


def _single_cells(failing: list[Instance], by_cell: dict[Cell, list[Instance]], order: CellOrder,
                  taken: set[int]) -> list[Group]:
    """Step 1: a lone cell that explains two or more failures."""
    explain: dict[frozenset[int], list[tuple[Cell, Decimal]]] = {}
    for c in sorted({c for f in failing for c in f.cells}, key=order):
        mine = [f for f in failing if f.coef(c)]
        fix = _fix_for(c, mine)
        if fix is None or len(mine) < 2 or not all(i.ok({c: fix}) for i in by_cell[c]):
            continue
        explain.setdefault(frozenset(id(f) for f in mine), []).append((c, fix))
    groups = []
    for key in sorted(explain, key=lambda k: -len(k)):
        cands = explain[key]
        if len(cands) != 1 or key & taken:
            continue
        c, fix = cands[0]
        groups.append(Group([f for f in failing if id(f) in key], {c: fix}))
        taken |= key
    return groups


def _culprit_lines(per: str, insts: list[Instance], failing: list[Instance], by_cell: dict[Cell, list[Instance]],
                   order: CellOrder, taken: set[int]) -> list[Group]:
    """Step 2: the one culprit of each column (``per`` column; rows for ``per`` row),
    several of them in one row (column) that can change together."""
    culprits: dict[str, dict[Cell, Decimal]] = {}
    for axis in sorted({f.axis for f in failing if f.per == per and id(f) not in taken}):
        found = _culprit([i for i in insts if i.per == per and i.axis == axis], order)
        if found is not None:
            c, fix = found
            line = c[0] if per == "column" else c[1]
            culprits.setdefault(line, {})[c] = fix
    groups = []
    for line in sorted(culprits):
        delta = culprits[line]
        if len(delta) < 2:
            continue
        touched = {id(i): i for c in delta for i in by_cell.get(c, [])}
        if not all(i.ok(delta) for i in touched.values()):
            continue
        key = {k for k, i in touched.items() if not i.ok()}
        if key & taken:
            continue
        groups.append(Group([f for f in failing if id(f) in key], dict(delta)))
        taken |= key
    return groups


def _culprit(members: list[Instance], order: CellOrder) -> tuple[Cell, Decimal] | None:
    """The one cell of a column (row) whose change makes all its instances hold."""
    fails = [f for f in members if not f.ok()]
    found = []
    for c in sorted({c for f in fails for c in f.cells}, key=order):
        if not all(f.coef(c) for f in fails):
            continue
        fix = _fix_for(c, fails)
        if fix is not None and all(m.ok({c: fix}) for m in members):
            found.append((c, fix))
    return found[0] if len(found) == 1 else None


def _the_rest(failing: list[Instance], taken: set[int]) -> list[Group]:
    """Step 3: one group per identity and total line."""
    rest: dict[tuple[str, ...], list[Instance]] = {}
    for f in failing:
        if id(f) in taken:
            continue
        key = (f.ident.id, f.anchor[0]) if f.per == "column" else (f.ident.id, f.axis, f.anchor[1])
        rest.setdefault(key, []).append(f)
    return [Group(fs) for fs in rest.values()]
