"""The identity engine: the template's identities, parsed once, evaluated one way.

The data (``identities:`` of each table in templates/template-versions.yaml)
writes them as small expressions over row or column ids:
``r1 + r2 == r3_7 + r4``, ``c_total == c_natural + ...``,
``r3_7 == r3_1 + sum(r3_3_*) + ...``, ``cumulative >= year``, and across
years ``r2(Y) == r4(Y-1)``.  Each names the rule that reports it (``code:``,
A101-A107 within a table, X101 across years; none means A107).  A relation
the engine cannot evaluate is written in words and marked ``prose: true``.

``compile_table`` parses them when the template data is loaded; the table
definition carries the result (``TableDef.identity_set``) and nothing parses
them again.  A code that is not an identity rule's, an expression that does
not parse (a misspelt row id) and a ``per`` that contradicts the terms fail
the load (``TemplateDataError``): a typo never turns a check off silently.

Which cells an identity covers is decided here, once, for every user (the A
rules, the X rules, the table reader's digit splitting, the old table):

- an identity over row ids holds in every column of the block its rows
  belong to (``per: column``; its rows must be of one block);
- an identity over column ids holds in every row of the table whose columns
  include its terms (``per: row``), header rows a report filled in as
  subtotals included.

Comparisons honour the operator (``==``, ``>=``, ``<=``) with a tolerance
(exact by default); a term whose value is unknown leaves the identity
unevaluated, never failed.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .templateschema import TemplateDataError

_OPS = ("==", ">=", "<=")
_TERM = re.compile(r"^(?:sum\((?P<glob>[\w.*]+)\)|(?P<name>[\w.]+))$")

# The rules that report identity failures, by code (rules/arithmetic.py, rules/cross.py).
TABLE_CODES = frozenset({"A101", "A102", "A103", "A104", "A105", "A106", "A107"})
CROSS_YEAR_CODES = frozenset({"X101"})
DEFAULT_CODE = "A107"  # an evaluable identity the data gives no code: a warning of its own rule
CROSS_YEAR_CODE = "X101"
SUBTOTAL_CODE = "A106"  # the identities of subtotal rows a report adds (not in the data)

Cell = tuple[str, str]  # (row id, column id)


@dataclass(frozen=True)
class Term:
    sign: int
    name: str


@dataclass(frozen=True)
class Identity:
    id: str
    kind: str
    op: str
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]
    per: str | None
    text: str | None = None
    code: str = DEFAULT_CODE
    # "column" when the terms are rows (one evaluation per column), "row" when they are columns
    axis_kind: str = "column"
    # the columns (per column) or the template rows (per row) it is evaluated in, in template order
    axes: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [t.name for t in (*self.lhs, *self.rhs)]

    @property
    def heuristic(self) -> bool:
        return self.kind == "heuristic"

    def instance(self, axis: str) -> Instance:
        """The identity in one column (per column) or row (per row)."""
        at = (lambda n: (n, axis)) if self.axis_kind == "column" else (lambda n: (axis, n))
        return Instance(self, axis, tuple((t.sign, at(t.name)) for t in self.lhs),
                        tuple((t.sign, at(t.name)) for t in self.rhs))

    def instances(self, rows: Collection[str] | None = None) -> Iterator[Instance]:
        """Every evaluation of the identity; per row, only in ``rows`` (the rows a table read) when given."""
        for inst in self._instances:
            if self.axis_kind == "row" and rows is not None and inst.axis not in rows:
                continue
            yield inst

    @functools.cached_property
    def _instances(self) -> tuple[Instance, ...]:
        """Built once per identity (the definition lives as long as the templates)."""
        return tuple(self.instance(axis) for axis in self.axes)

    def holds_for(self, get: Callable[[str], Decimal | None], tolerance: Decimal | int = 0) -> bool:
        """True when the identity holds with the values ``get`` gives its terms, or cannot
        be evaluated (a value is unknown)."""
        sides = self.sides(get)
        return sides is None or holds(self.op, sides[0], sides[1], tolerance)

    def sides(self, get: Callable[[str], Decimal | None]) -> tuple[Decimal, Decimal] | None:
        """(left, right) with the values ``get`` gives the terms (by name); None when one is unknown."""
        return evaluate(self._pairs[0], self._pairs[1], get)

    @functools.cached_property
    def _pairs(self):
        return tuple((t.sign, t.name) for t in self.lhs), tuple((t.sign, t.name) for t in self.rhs)


@dataclass(frozen=True)
class Instance:
    """One identity in one column (or row): signed cells on each side."""
    ident: Identity
    axis: str
    lhs: tuple[tuple[int, Cell], ...]
    rhs: tuple[tuple[int, Cell], ...]

    @property
    def cells(self) -> list[Cell]:
        return list(dict.fromkeys(c for _, c in (*self.lhs, *self.rhs)))

    def sides(self, get: Callable[[Cell], Decimal | None]) -> tuple[Decimal, Decimal] | None:
        """(left, right) with the values ``get`` gives; None when one is unknown."""
        return evaluate(self.lhs, self.rhs, get)

    def holds(self, get: Callable[[Cell], Decimal | None], tolerance: Decimal | int = 0) -> bool:
        sides = self.sides(get)
        return sides is None or holds(self.ident.op, sides[0], sides[1], tolerance)


def evaluate(lhs, rhs, get) -> tuple[Decimal, Decimal] | None:
    """The two sides' sums, each side (sign, key) pairs; None when ``get`` knows a value not."""
    left = right = Decimal(0)
    for sign, key in lhs:
        value = get(key)
        if value is None:
            return None
        left += sign * value
    for sign, key in rhs:
        value = get(key)
        if value is None:
            return None
        right += sign * value
    return left, right


def holds(op: str, left, right, tolerance=0) -> bool:
    diff = left - right
    if op == "==":
        return abs(diff) <= tolerance
    if op == ">=":
        return diff >= -tolerance
    return diff <= tolerance


def satisfies_fn(identities: Sequence[Identity], position: Mapping[str, int],
                 tolerance: Decimal | int = 0) -> Callable[[Sequence[Decimal | None]], bool]:
    """Does a list of values (a reading of one row, in column order) satisfy the
    identities whose terms all have a position?  Terms are resolved to positions
    once: the digit splitter asks this for thousands of readings of one row."""
    checks = [(i.op, [(t.sign, position[t.name]) for t in i.lhs], [(t.sign, position[t.name]) for t in i.rhs])
              for i in identities if all(t.name in position for t in (*i.lhs, *i.rhs))]

    def satisfies(values: Sequence[Decimal | None]) -> bool:
        def get(n: int):
            return values[n] if n < len(values) else None

        for op, lhs, rhs in checks:
            sides = evaluate(lhs, rhs, get)
            if sides is not None and not holds(op, sides[0], sides[1], tolerance):
                return False
        return True

    return satisfies


# -- parsing -----------------------------------------------------------------------------------

def _side(text: str, known: list[str]) -> tuple[Term, ...] | None:
    text = text.strip()
    if not text:
        return None
    terms: list[Term] = []
    for sign_text, body in re.findall(r"([+-]?)\s*([^+-]+)", text):
        body = body.strip()
        m = _TERM.match(body)
        if not m:
            return None
        sign = -1 if sign_text == "-" else 1
        if m.group("glob"):
            names = [k for k in known if fnmatch.fnmatchcase(k, m.group("glob"))]
            if not names:
                return None
            terms.extend(Term(sign, n) for n in names)
        else:
            if m.group("name") not in known:
                return None
            terms.append(Term(sign, m.group("name")))
    return tuple(terms)


def parse(identity_id: str, kind: str, expr: str, known: list[str], per: str | None = None,
          text: str | None = None) -> Identity | None:
    """Parse ``expr`` over the ids in ``known``; None when it is not an expression."""
    # Remarks after the expression, e.g. "(both rows of ...)", are not part of it.
    expr = re.sub(r"\s*\(.*$", "", expr) if "sum(" not in expr else expr
    for op in _OPS:
        if op in expr:
            left, right = expr.split(op, 1)
            lhs, rhs = _side(left, known), _side(right, known)
            if lhs is None or rhs is None:
                return None
            return Identity(identity_id, kind, op, lhs, rhs, per, text)
    return None


@dataclass(frozen=True)
class YearTerm:
    sign: int
    name: str
    previous: bool  # True for the (Y-1) report


@dataclass(frozen=True)
class CrossYearIdentity:
    id: str
    kind: str
    lhs: tuple[YearTerm, ...]
    rhs: tuple[YearTerm, ...]
    per: str | None
    code: str = CROSS_YEAR_CODE
    axis_kind: str = "column"
    axes: tuple[str, ...] = ()

    op = "=="  # across years the data states equalities only

    @property
    def names(self) -> list[str]:
        return [t.name for t in (*self.lhs, *self.rhs)]

    def pairs(self, rows: Collection[str] | None = None) -> Iterator[tuple[str, Callable[[str], Cell]]]:
        """(axis, term name -> cell) of each evaluation, as ``Identity.instances``."""
        for axis in self.axes:
            if self.axis_kind == "column":
                yield axis, (lambda name, a=axis: (name, a))
            elif rows is None or axis in rows:
                yield axis, (lambda name, a=axis: (a, name))


_YEAR_SIDE_TERM = re.compile(r"\s*([+-]?)\s*([\w.]+)\((Y(?:-1)?)\)\s*")


def _year_side(text: str, known: list[str]) -> tuple[YearTerm, ...] | None:
    terms: list[YearTerm] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _YEAR_SIDE_TERM.match(text, pos)
        if not m or m.group(2) not in known or (terms and not m.group(1)):
            return None
        terms.append(YearTerm(-1 if m.group(1) == "-" else 1, m.group(2), m.group(3) == "Y-1"))
        pos = m.end()
    return tuple(terms) or None


def parse_cross_year(identity_id: str, kind: str, expr: str, known: list[str],
                     per: str | None = None) -> CrossYearIdentity | None:
    """Parse ``r2(Y) == r4(Y-1)`` or ``valid(Y) == valid(Y-1) + made(Y) - repealed(Y) for each row``."""
    expr = re.split(r"\s+for\s+each\b", expr)[0]
    if "==" not in expr:
        return None
    left, right = expr.split("==", 1)
    lhs, rhs = _year_side(left, known), _year_side(right, known)
    if lhs is None or rhs is None:
        return None
    return CrossYearIdentity(identity_id, kind, lhs, rhs, per)


# -- at template load ---------------------------------------------------------------------------

@dataclass
class TableIdentities:
    """A table definition's identities, parsed at load (``TableDef.identity_set``)."""
    within: tuple[Identity, ...] = ()  # evaluable within one report (the A rules)
    cross_year: tuple[CrossYearIdentity, ...] = ()  # this report against the previous year's (X101)
    subtotals: dict[str, Identity] = field(default_factory=dict)  # header row id -> its subtotal identity
    prose: tuple[str, ...] = ()  # ids of relations written in words (not evaluated)
    _by_columns: dict[tuple[str, ...], tuple[Identity, ...]] = field(default_factory=dict, repr=False)

    @functools.cached_property
    def facts(self) -> tuple[Identity, ...]:
        """What the table reader may rely on to read digits that ran together: every
        identity that is not a heuristic (a heuristic may fail on a correct table)."""
        return tuple(i for i in self.within if not i.heuristic)

    @functools.cached_property
    def row_facts(self) -> tuple[Identity, ...]:
        """``facts`` over rows (one evaluation per column)."""
        return tuple(i for i in self.facts if i.axis_kind == "column")

    def facts_over(self, column_ids: Sequence[str]) -> tuple[Identity, ...]:
        """``facts`` over columns whose terms are all among ``column_ids`` (a row's own checks)."""
        key = tuple(column_ids)
        if key not in self._by_columns:
            ids = set(key)
            self._by_columns[key] = tuple(i for i in self.facts if i.axis_kind == "row" and set(i.names) <= ids)
        return self._by_columns[key]


def _with_axes(parsed, defn, code: str, row_ids: list[str], at: str = ""):
    """The parsed identity with its code and the columns / rows it covers (see the module doc)."""
    names = set(parsed.names)
    if names <= set(row_ids):
        blocks = {defn.row(n).block for n in names}
        if len(blocks) != 1:
            raise TemplateDataError(at or f"tables.{defn.id}", f"identity {parsed.id} names rows of different blocks")
        axes = tuple(c.id for c in defn.blocks[blocks.pop()].columns)
        axis_kind = "column"
    else:
        axes = tuple(r.id for r in defn.rows if names <= {c.id for c in defn.columns_for(r)})
        axis_kind = "row"
    if parsed.per is not None and parsed.per != axis_kind:
        raise TemplateDataError(f"{at}.per" if at else f"tables.{defn.id}", f"identity {parsed.id} says per: {parsed.per}, but its terms are "
                                f"{'rows' if axis_kind == 'column' else 'columns'}")
    return dataclasses.replace(parsed, code=code, axis_kind=axis_kind, axes=tuple(dict.fromkeys(axes)))


def compile_table(defn: Any, where: str = "") -> TableIdentities:
    """Parse and validate the identities of a table definition (rows, blocks, identities);
    ``where`` is the table's path in the YAML, for the error."""
    where = where or f"tables.{defn.id}"
    row_ids = [r.id for r in defn.rows]
    col_ids = [c.id for b in defn.blocks for c in b.columns]
    within: list[Identity] = []
    cross: list[CrossYearIdentity] = []
    prose: list[str] = []
    for k, d in enumerate(defn.identities):
        at = f"{where}.identities[{k}]"
        codes = CROSS_YEAR_CODES if d.cross_year else TABLE_CODES
        if d.code is not None and d.code not in codes:
            raise TemplateDataError(f"{at}.code", f"identity {d.id} names code {d.code!r}; "
                                    f"expected one of {', '.join(sorted(codes))}")
        if d.prose:
            if d.code is not None:
                raise TemplateDataError(f"{at}.prose", f"identity {d.id} is prose (not evaluated) but names a code")
            prose.append(d.id)
            continue
        if d.cross_year:
            found = (parse_cross_year(d.id, d.kind, d.expr, row_ids, d.per)
                     or parse_cross_year(d.id, d.kind, d.expr, col_ids, d.per))
        else:
            found = (parse(d.id, d.kind, d.expr, row_ids, d.per, d.text)
                     or parse(d.id, d.kind, d.expr, col_ids, d.per, d.text))
        if found is None:
            raise TemplateDataError(f"{at}.expr", f"identity {d.id} ({d.expr!r}) does not parse over the table's "
                                    f"row or column ids; mark a relation written in words `prose: true`")
        if d.cross_year:
            cross.append(_with_axes(found, defn, d.code or CROSS_YEAR_CODE, row_ids, at))
        else:
            within.append(_with_axes(found, defn, d.code or DEFAULT_CODE, row_ids, at))
    subtotals = {}
    for row in defn.rows:
        children = [r.id for r in defn.rows if r.parent == row.id]
        if row.kind == "header" and children:
            found = parse(f"subtotal:{defn.id}.{row.id}", "implied", f"{row.id} == {' + '.join(children)}",
                          row_ids, "column")
            if found is not None:
                subtotals[row.id] = _with_axes(found, defn, SUBTOTAL_CODE, row_ids)
    return TableIdentities(tuple(within), tuple(cross), subtotals, tuple(prose))
