"""A: arithmetic and consistency -- every number that must agree, agrees.

One engine evaluates the identities of the template data (``identities`` of
each table in templates/template-versions.yaml; cross-year ones belong to the
X family) over the cells the table reader found:

- an identity over row ids (``r1 + r2 == r3_7 + r4``) is evaluated for every
  column, one over column ids (``c_total == c_natural + ...``) for every row
  that has those columns;
- a subtotal row a report added under （三）…（六） (``RowData.subtotal``) is
  checked against its children the same way;
- a cell that is blank, a placeholder, or in a row the reader could not read
  reliably (``table.unreliable_rows()``) takes part in no evaluation.

Arithmetic is exact (``Decimal``); no number is ever corrected.  Failures that
one wrong number explains are reported once, naming that number (see
``_group``).  The prose rules compare numbers the text states with the
matching cells and with each other; they report warnings only.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from xxgk_lint.linter.model import (Diagnostic, Identity, Report, Severity, TableData, parse_identity, rule_data,
                                     section_no_en)
from xxgk_lint.linter.registry import rule

# Rule code of each identity, by identity id (prefix).  Identities are data;
# their ids are stable keys, so a new identity in the data lands in A107.
_CODES = (
    ("t3.balance", "A101"), ("t3.results-total", "A102"), ("t3.row-total", "A103"),
    ("t4.", "A104"), ("old.", "A105"), ("subtotal:", "A106"),
)
_OTHER = "A107"

Cell = tuple[str, str]  # (row id, column id)


def _code(identity_id: str) -> str:
    return next((code for prefix, code in _CODES if identity_id.startswith(prefix)), _OTHER)


# -- instances: one identity evaluated on one column (or row) -------------------------------

@dataclass
class _Inst:
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
        r = self.residual(delta)
        return r == 0 if self.ident.op == "==" else (r >= 0 if self.ident.op == ">=" else r <= 0)

    @property
    def found_side(self):
        """The side holding the printed total: a lone term on the left, else the right side."""
        return (self.lhs, self.rhs) if len(self.lhs) == 1 else (self.rhs, self.lhs)

    @property
    def anchor(self) -> Cell:
        return self.found_side[0][0][1]

    @property
    def code(self) -> str:
        return _code(self.ident.id)

    @property
    def heuristic(self) -> bool:
        return self.ident.kind == "heuristic"


# id(table definition) -> (definition, its parsed identities); the definition is
# kept so that its id is not reused
_TEMPLATE_IDENTITIES: dict[int, tuple] = {}


def _template_identities(defn) -> list[Identity]:
    cached = _TEMPLATE_IDENTITIES.get(id(defn))
    if cached is not None and cached[0] is defn:
        return cached[1]
    row_ids = [r.id for r in defn.rows]
    col_ids = [c.id for b in defn.blocks for c in b.columns]
    out: list[Identity] = []
    for d in defn.identities:
        if d.cross_year:
            continue
        parsed = (parse_identity(d.id, d.kind, d.expr, row_ids, d.per, d.text)
                  or parse_identity(d.id, d.kind, d.expr, col_ids, d.per, d.text))
        if parsed is not None:
            out.append(parsed)
    _TEMPLATE_IDENTITIES[id(defn)] = (defn, out)
    return out


def _identities(table: TableData) -> list[Identity]:
    defn = table.definition
    row_ids = [r.id for r in defn.rows]
    out: list[Identity] = list(_template_identities(defn))
    for rid, row in table.rows.items():
        if row.subtotal:
            children = [r.id for r in defn.rows if r.parent == rid]
            parsed = parse_identity(f"subtotal:{defn.id}.{rid}", "implied", f"{rid} == {' + '.join(children)}",
                                    row_ids, "column")
            if parsed is not None:
                out.append(parsed)
    return out


def _unreliable(report: Report, table: TableData) -> set[str]:
    return table.unreliable_rows()


def _number(table: TableData, cell: Cell, bad_rows: set[str]) -> Decimal | None:
    if cell[0] in bad_rows:
        return None
    value = table.cell(*cell)
    return value.value if value is not None and value.kind == "number" else None


def _instances(table: TableData, bad: set[str]) -> list[_Inst]:
    defn = table.definition
    row_index = {r.id: n for n, r in enumerate(defn.rows)}
    out: list[_Inst] = []
    for ident in _identities(table):
        names = set(ident.names)
        if names <= set(row_index):  # terms are rows: once per column
            columns = defn.columns_for(defn.row(ident.names[0]))
            axes = [("column", c.id, lambda n, c=c.id: (n, c), k) for k, c in enumerate(columns)]
        else:  # terms are columns: once per row that has them
            axes = []
            for rid in sorted(table.rows, key=lambda r: row_index.get(r, 0)):
                cols = {c.id for c in table.rows[rid].columns}
                if names <= cols:
                    axes.append(("row", rid, lambda n, r=rid: (r, n), row_index.get(rid, 0)))
        for per, axis, at, pos in axes:
            lhs = [(t.sign, at(t.name)) for t in ident.lhs]
            rhs = [(t.sign, at(t.name)) for t in ident.rhs]
            values = {c: _number(table, c, bad) for _, c in (*lhs, *rhs)}
            if any(v is None for v in values.values()):
                continue  # blank, placeholder, missing or unreliable: not evaluated
            out.append(_Inst(ident, table, per, axis, lhs, rhs, values, (ident.id, pos)))
    # evaluation order must not matter: fix it by identity id and template position
    return sorted(out, key=lambda i: i.order)


# -- grouping the consequences of one wrong number -------------------------------------------

@dataclass
class _Group:
    failures: list[_Inst]
    suspects: dict[Cell, Decimal] = field(default_factory=dict)  # cell -> change that fixes all


def _fix_for(cell: Cell, failing: list[_Inst]) -> Decimal | None:
    """The one change of ``cell`` that zeroes every failing equality containing it."""
    fixes = {-f.residual() / f.coef(cell) for f in failing if f.ident.op == "==" and f.coef(cell)}
    if len(fixes) != 1:
        return None
    fix = fixes.pop()
    return fix if fix != 0 else None


def _group(insts: list[_Inst], cell_order) -> list[_Group]:
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
    by_cell: dict[Cell, list[_Inst]] = {}
    for inst in insts:
        for c in inst.cells:
            if inst.coef(c):
                by_cell.setdefault(c, []).append(inst)
    groups: list[_Group] = []
    taken: set[int] = set()

    # 1. single cells
    explain: dict[frozenset, list[tuple[Cell, Decimal]]] = {}
    for c in sorted({c for f in failing for c in f.cells}, key=cell_order):
        mine = [f for f in failing if f.coef(c)]
        fix = _fix_for(c, mine)
        if fix is None or len(mine) < 2 or not all(i.ok({c: fix}) for i in by_cell[c]):
            continue
        explain.setdefault(frozenset(id(f) for f in mine), []).append((c, fix))
    for key in sorted(explain, key=lambda k: -len(k)):
        cands = explain[key]
        if len(cands) != 1 or key & taken:
            continue
        c, fix = cands[0]
        groups.append(_Group([f for f in failing if id(f) in key], {c: fix}))
        taken |= key

    # 2. one culprit per column (row), several in one row (column)
    for per in ("column", "row"):
        culprits: dict[str, dict[Cell, Decimal]] = {}
        axes = sorted({f.axis for f in failing if f.per == per and id(f) not in taken})
        for axis in axes:
            members = [i for i in insts if i.per == per and i.axis == axis]
            fails = [f for f in members if not f.ok()]
            found = []
            for c in sorted({c for f in fails for c in f.cells}, key=cell_order):
                if not all(f.coef(c) for f in fails):
                    continue
                fix = _fix_for(c, fails)
                if fix is not None and all(m.ok({c: fix}) for m in members):
                    found.append((c, fix))
            if len(found) == 1:
                c, fix = found[0]
                other = c[0] if per == "column" else c[1]
                culprits.setdefault(other, {})[c] = fix
        for other, delta in sorted(culprits.items()):
            if len(delta) < 2:
                continue
            touched = {id(i): i for c in delta for i in by_cell.get(c, [])}
            if not all(i.ok(delta) for i in touched.values()):
                continue
            key = {k for k, i in touched.items() if not i.ok()}
            if key & taken:
                continue
            groups.append(_Group([f for f in failing if id(f) in key], dict(delta)))
            taken |= key

    # 3. the rest
    rest: dict[tuple, list[_Inst]] = {}
    for f in failing:
        if id(f) in taken:
            continue
        key = (f.ident.id, f.anchor[0]) if f.per == "column" else (f.ident.id, f.axis, f.anchor[1])
        rest.setdefault(key, []).append(f)
    groups.extend(_Group(fs) for fs in rest.values())
    return groups


# -- words -------------------------------------------------------------------------------------

def _short(label: str) -> str:
    """A row label without its trailing explanation: （二）部分公开（区分处理的……） -> （二）部分公开."""
    m = re.match(r"^(.{3,}?)[（(](?![一二三四五六七八九十][）)])[^（）()]*[）)]$", label)
    return m.group(1) if m else label


def _table_name(table: TableData, en: bool = False) -> str:
    defn = table.definition
    if en:  # the table of section 三 is "table 3" (表三)
        if defn.caption:
            return f"table “{defn.caption}”"
        return f"table {section_no_en(defn.section)}" if defn.section else f"table {defn.id}"
    if defn.caption:
        return f"“{defn.caption}”"
    return f"第{defn.section}部分的表格" if defn.section else f"表格 {defn.id}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _row_label(table: TableData, rid: str) -> str:
    row = table.definition.row(rid)
    return _short(row.label) if row and row.label else ""


def _col_label(table: TableData, cid: str) -> str:
    return table.definition.column_label(cid)


def _cell_name(table: TableData, cell: Cell, en: bool = False) -> str:
    rid, cid = cell
    row, col = _row_label(table, rid), _col_label(table, cid)
    single_column = len(table.definition.columns_for(table.definition.row(rid))) == 1 if table.definition.row(rid) else False
    if not row:
        return f"column “{col}”" if en else f"“{col}”"
    if single_column:
        return f"row “{row}”" if en else f"“{row}”"
    return f"row “{row}”, column “{col}”" if en else f"“{row}”行“{col}”列"


def _term_names(inst: _Inst, terms, en: bool = False) -> list[str]:
    """Names of the terms; all children of one header are named by the header."""
    table = inst.table
    defn = table.definition
    names: list[str] = []
    cells = [c for _, c in terms]
    key = 0 if inst.per == "column" else 1
    done: set[str] = set()
    for c in cells:
        ident = c[key]
        if inst.per == "column":
            row = defn.row(ident)
            parent = row.parent if row else None
            children = [r.id for r in defn.rows if r.parent == parent] if parent else []
            if parent and len(children) > 1 and all((ch, c[1]) in cells for ch in children) \
                    and defn.row(parent).kind == "header" and parent not in {x[0] for x in cells}:
                if parent not in done:
                    label = _short(defn.row(parent).label)
                    names.append(f"the rows under “{label}”" if en else f"“{label}”下各行")
                    done.add(parent)
                continue
            names.append(f"“{_row_label(table, ident)}”")
        elif len(cells) == 1:  # a lone total: its full label (行政复议·总计)
            names.append(f"“{_col_label(table, ident)}”")
        else:
            col = next((cd for cd in table.definition.columns_for(defn.row(c[0]) or defn.rows[0]) if cd.id == ident), None)
            names.append(f"“{col.label if col else ident}”")
    return names


def _side_words(inst: _Inst, terms, en: bool = False) -> str:
    names = _term_names(inst, terms, en)
    if en:
        return " + ".join(names)
    return names[0] if len(names) == 1 else "＋".join(names) + "之和"


_OP_WORDS = {"==": "等于", ">=": "不小于", "<=": "不大于"}
_OP_WORDS_EN = {"==": "equal", ">=": "be at least", "<=": "be at most"}


def _identity_words(inst: _Inst, en: bool = False) -> str:
    """The relation, e.g. '“（七）总计”应等于……之和'.  The template's own wording
    (``text``) is Chinese, so English always spells the relation out."""
    if inst.ident.text and not en:
        return inst.ident.text
    found, computed = inst.found_side
    op = inst.ident.op
    left, right = (inst.lhs, inst.rhs) if found is inst.rhs else (found, computed)  # the way the data writes it
    if en:
        return f"{_side_words(inst, left, en)} should {_OP_WORDS_EN[op]} {_side_words(inst, right, en)}"
    return f"{_side_words(inst, left)}应{_OP_WORDS[op]}{_side_words(inst, right)}"


def _where(inst: _Inst, en: bool = False) -> str:
    if inst.per == "column":
        cols = inst.table.definition.columns_for(inst.table.definition.row(inst.anchor[0]))
        if len(cols) <= 1:
            return ""
        label = _col_label(inst.table, inst.axis)
        return f"column “{label}”" if en else f"“{label}”列"
    label = _row_label(inst.table, inst.axis)
    if not label:
        return ""
    return f"row “{label}”" if en else f"“{label}”行"


def _fmt(value: Decimal) -> str:
    return format(value, "f")


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + _fmt(value)


def _cell_data(report: Report, table: TableData, cell: Cell) -> dict:
    rid, cid = cell
    value = table.cell(rid, cid)
    line, col = report.document.line_col(value.span.start) if value and value.span else (None, None)
    return {
        "row": rid, "row_label": (table.definition.row(rid).label if table.definition.row(rid) else ""),
        "column": cid, "column_label": _col_label(table, cid),
        "value": _fmt(value.value) if value and value.value is not None else None,
        "raw": value.raw if value else None, "line": line, "col": col,
        "offset": value.span.start if value and value.span else None,
        **({"inferred": True} if value and value.inferred else {}),
    }


def _check_data(report: Report, inst: _Inst) -> dict:
    found_terms, computed_terms = inst.found_side
    found, computed = inst.side(found_terms), inst.side(computed_terms)
    return {
        "identity": inst.ident.id, "kind": inst.ident.kind, "per": inst.per, "axis": inst.axis,
        "words": _identity_words(inst), "op": inst.ident.op,
        "found": _fmt(found), "computed": _fmt(computed), "difference": _fmt(found - computed),
        "cells": [_cell_data(report, inst.table, c) for c in inst.cells],
    }


def _check_words(inst: _Inst, en: bool = False) -> str:
    found_terms, computed_terms = inst.found_side
    found, computed = inst.side(found_terms), inst.side(computed_terms)
    where = _where(inst, en)
    if en:
        return (f"{where + ': ' if where else ''}{_side_words(inst, found_terms, en)} is {_fmt(found)}, "
                f"{_side_words(inst, computed_terms, en)} is {_fmt(computed)} (difference {_signed(found - computed)})")
    prefix = f"{where}：" if where else ""
    return (f"{prefix}{_side_words(inst, found_terms)}为 {_fmt(found)}，"
            f"{_side_words(inst, computed_terms)}为 {_fmt(computed)}，相差 {_signed(found - computed)}")


def _summary(failures: list[_Inst], en: bool = False) -> str:
    """Failures by identity: 'words（“自然人”列 25 ≠ 24，“总计”列 25 ≠ 24）'."""
    by_ident: dict[str, list[_Inst]] = {}
    for f in failures:
        by_ident.setdefault(f.ident.id, []).append(f)
    parts = []
    for fs in by_ident.values():
        items = []
        for f in fs:
            found_terms, computed_terms = f.found_side
            where = _where(f, en)
            items.append(f"{where + ' ' if where else ''}{_fmt(f.side(found_terms))} ≠ {_fmt(f.side(computed_terms))}")
        if en:
            parts.append(f"{_identity_words(fs[0], en)} ({', '.join(items)})")
        else:
            parts.append(f"{_identity_words(fs[0])}（{'，'.join(items)}）")
    return "; ".join(parts) if en else "；".join(parts)


def _inferred_note(table: TableData, cells, en: bool = False) -> str:
    if any((v := table.cell(*c)) is not None and v.inferred for c in cells):
        return (" (some numbers were split from digits run together, using the row's totals; please check them "
                "against the original table too)" if en
                else "（部分数字由连写在一起的数字按本行合计关系拆分得到，请一并核对原表）")
    return ""


def _finding(report: Report, group: _Group) -> Diagnostic:
    first = group.failures[0]
    table = first.table
    checks = [_check_data(report, f) for f in group.failures]
    cells = list(dict.fromkeys(c for f in group.failures for c in f.cells))
    severity = Severity.WARNING if all(f.heuristic for f in group.failures) else None
    data = {
        "table": table.id, "identity": first.ident.id, "identities": sorted({f.ident.id for f in group.failures}),
        "found": checks[0]["found"], "computed": checks[0]["computed"], "difference": checks[0]["difference"],
        "checks": checks, "cells": [_cell_data(report, table, c) for c in cells],
    }
    if group.suspects:
        suspects = sorted(group.suspects.items(), key=lambda kv: _cell_order(table)(kv[0]))
        anchor = suspects[0][0]
        # the code of the identity whose printed total is the suspect, else the first failure's
        code = next((f.code for f in group.failures if len(f.lhs) == 1 and f.lhs[0][1] in group.suspects),
                    first.code)
        data["suspects"] = [{**_cell_data(report, table, c), "consistent_value": _fmt(table.value(*c) + d)}
                            for c, d in suspects]
        names = "、".join(f"{_cell_name(table, c)}的 {_fmt(table.value(*c))}" for c, _ in suspects)
        wanted = "、".join(_fmt(table.value(*c) + d) for c, d in suspects)
        message = (f"{_table_name(table)}中{names} 与表内其他数字对不上，共有 {len(group.failures)} 处关系不成立："
                   f"{_summary(group.failures)}。若{'该数' if len(suspects) == 1 else '这些数'}为 {wanted}，以上关系全部成立，"
                   f"且不影响其他关系；请首先核对{'这一格' if len(suspects) == 1 else '这一行'}"
                   f"（也可能是其他数字有误，本工具不作更正）{_inferred_note(table, cells)}")
        one = len(suspects) == 1
        names_en = "; ".join(f"{_cell_name(table, c, True)} ({_fmt(table.value(*c))})" for c, _ in suspects)
        wanted_en = ", ".join(_fmt(table.value(*c) + d) for c, d in suspects)
        message_en = (f"{_cap(_table_name(table, True))}: {names_en} disagree{'s' if one else ''} with the "
                      f"other numbers of the table; {len(group.failures)} relations fail: {_summary(group.failures, True)}. "
                      f"If {'this number were' if one else 'these numbers were'} {wanted_en}, all of them would hold "
                      f"and no other relation would break; check {'this cell' if one else 'this row'} first (another "
                      f"number may be the wrong one; the tool corrects nothing){_inferred_note(table, cells, True)}")
    else:
        anchor = first.anchor
        code = first.code
        if len(group.failures) == 1:
            message = (f"{_table_name(table)}{_check_words(first)}。应满足：{_identity_words(first)}"
                       f"{_inferred_note(table, cells)}")
            message_en = (f"{_cap(_table_name(table, True))}, {_check_words(first, True)}. "
                          f"Expected: {_identity_words(first, True)}{_inferred_note(table, cells, True)}")
        else:
            items, items_en = [], []
            for f in group.failures:
                found_terms, computed_terms = f.found_side
                found, computed = f.side(found_terms), f.side(computed_terms)
                items.append(f"{_where(f)} {_fmt(found)} ≠ {_fmt(computed)}（相差 {_signed(found - computed)}）")
                items_en.append(f"{_where(f, True)} {_fmt(found)} ≠ {_fmt(computed)} "
                                f"(difference {_signed(found - computed)})")
            sides = ""
            if first.ident.text:  # the stated text does not say which side is which
                found_terms, computed_terms = first.found_side
                sides = f"（{_side_words(first, found_terms)} ≠ {_side_words(first, computed_terms)}）"
            message = (f"{_table_name(table)}有 {len(group.failures)} 列不满足：{_identity_words(first)}{sides}："
                       f"{'，'.join(items)}{_inferred_note(table, cells)}")
            message_en = (f"{_cap(_table_name(table, True))}: the relation {_identity_words(first, True)} fails in "
                          f"{len(group.failures)} columns: {'; '.join(items_en)}{_inferred_note(table, cells, True)}")
    value = table.cell(*anchor)
    span = value.span if value and value.span else table.span
    related = [(f"{_cell_name(table, c)}", table.cell(*c).span) for c in cells
               if c != anchor and table.cell(*c) is not None and table.cell(*c).span]
    diag = Diagnostic(message, span, severity=severity, data=data, related=related, message_en=message_en)
    diag.code = code  # filled by the runner only when empty; the rule functions below pick by it
    return diag


def _cell_order(table: TableData):
    defn = table.definition
    rows = {r.id: n for n, r in enumerate(defn.rows)}
    cols = {c.id: n for b in defn.blocks for n, c in enumerate(b.columns)}
    return lambda c: (rows.get(c[0], 10 ** 6), cols.get(c[1], 10 ** 6))


def table_findings(report: Report) -> list[Diagnostic]:
    """All identity findings of the report's tables (the A1xx rules pick theirs)."""
    cached = _CACHE.get("tables")
    if cached and cached[0] is report:
        return cached[1]
    out: list[Diagnostic] = []
    for tid in sorted(report.tables):
        table = report.tables[tid]
        insts = _instances(table, _unreliable(report, table))
        for group in _group(insts, _cell_order(table)):
            out.append(_finding(report, group))
    _CACHE["tables"] = (report, out)
    return out


_CACHE: dict[str, tuple] = {}


def _pick(report: Report, code: str):
    for d in table_findings(report):
        if d.code == code:
            yield Diagnostic(d.message, d.span, severity=d.severity, data=d.data, related=d.related,
                             message_en=d.message_en)


_BASIS_T3 = "国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式，表三左上角注“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”"
_GROUPING = """同一个数字同时破坏几处关系时（例如一格既使本行“总计”对不上、又使本列合计对不上），
    若只改动这一格就能使它参与的所有关系都成立、且没有别的单独一格能做到，只报告一条，指出这一格；
    若每一列都只能由同一行的一格解释（如“（七）总计”一行在“自然人”和“总计”两列都多 1，
    同时造成勾稽关系不成立），也只报告一条，指出这一行。读取不可靠的行（数字连写无法唯一拆分、
    单元格多于或少于列数）、空白或填“/”的单元格不参与计算。"""


def _doc(func):
    """Fill the shared paragraphs (basis, grouping) into a rule's docstring."""
    func.__doc__ = func.__doc__.format(basis=_BASIS_T3, grouping=" ".join(_GROUPING.split()))
    return func


@rule("A101", "table3-balance")
@_doc
def table3_balance(report: Report):
    """申请情况表的勾稽关系不成立：第一项加第二项之和不等于第三项加第四项之和。

    检查什么：表三每一列（自然人、商业企业……总计）：一、本年新收 ＋ 二、上年结转 ＝
    三、本年度办理结果（七）总计 ＋ 四、结转下年度继续办理。
    为什么：这是模板在表头写明的勾稽关系；不成立说明有申请被漏记或重复统计。
    错误示例：`四、结转下年度继续办理 0 0 0 0 0 0 0` → `四、结转下年度继续办理 1 0 0 0 0 0 1`（新收 3 ＋ 上年结转 0 ≠ 总计 3 ＋ 结转下年度 1）
    正确示例：标准报告
    依据：{basis}。
    分组：{grouping}
    """
    yield from _pick(report, "A101")


@rule("A102", "table3-results-total")
@_doc
def table3_results_total(report: Report):
    """申请情况表“（七）总计”不等于各项办理结果之和。

    检查什么：表三每一列：（七）总计 ＝（一）予以公开 ＋（二）部分公开 ＋（三）不予公开下 8 行
    ＋（四）无法提供下 3 行 ＋（五）不予处理下 5 行 ＋（六）其他处理（2021 年格式为其下 3 行）。
    只检查“（七）总计”与结果行的关系，即使勾稽关系（一＋二＝三＋四）成立也会报告。
    为什么：“总计”由表格设计决定就是各办理结果之和；对不上时总计或某一结果行必有一处错误。
    错误示例：`一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3` → `一、本年新收政府信息公开申请数量 4 0 0 0 0 0 4`；`（七）总计 3 0 0 0 0 0 3` → `（七）总计 4 0 0 0 0 0 4`（勾稽关系成立，但各结果行相加为 3）
    正确示例：标准报告
    依据：表格设计（“总计”行），{basis}。
    分组：{grouping}
    """
    yield from _pick(report, "A102")


@rule("A103", "table3-row-total")
@_doc
def table3_row_total(report: Report):
    """申请情况表某一行的“总计”列不等于六类申请人之和。

    检查什么：表三每一个有数字的行：总计 ＝ 自然人 ＋ 商业企业 ＋ 科研机构 ＋ 社会公益组织
    ＋ 法律服务机构 ＋ 其他。
    为什么：“总计”列由表格设计决定就是各申请人类别之和。
    错误示例：`（一）予以公开 2 0 0 0 0 0 2` → `（一）予以公开 2 0 0 0 0 0 3`
    正确示例：标准报告
    依据：表格设计（“总计”列），{basis}。
    分组：{grouping}
    """
    yield from _pick(report, "A103")


@rule("A104", "table4-total")
@_doc
def table4_total(report: Report):
    """行政复议、行政诉讼情况表的“总计”不等于各结果之和。

    检查什么：表四的行政复议、未经复议直接起诉、复议后起诉三组，每组：
    总计 ＝ 结果维持 ＋ 结果纠正 ＋ 其他结果 ＋ 尚未审结。
    为什么：“总计”由表格设计决定就是四种结果之和；常见错误是总计填 0 而各项不为 0。
    错误示例：`0 0 0 0 0 0 0 0 0 0 0 0 0 0 0` → `5 3 2 1 0 0 0 0 0 0 0 0 0 0 0`（行政复议四项之和 11，总计填 0）
    正确示例：`0 0 0 0 0 0 0 0 0 0 0 0 0 0 0` → `5 3 2 1 11 0 0 0 0 0 0 0 0 0 0`
    依据：表格设计（“总计”列），国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式。
    分组：{grouping}
    """
    yield from _pick(report, "A104")


@rule("A105", "old-table-sum")
@_doc
def old_table_sum(report: Report):
    """旧版《政府信息公开情况统计表》的分项之和与合计不符。

    检查什么：2018 年及以前的统计表中由分项构成的合计：收到申请数 ＝ 当面 ＋ 传真 ＋ 网络 ＋ 信函；
    申请办结数 ＝ 按时 ＋ 延期；申请答复数 ＝ 八类答复之和；行政复议（诉讼）数量 ＝ 三种结果之和；
    从事政府信息公开工作人员数 ＝ 专职 ＋ 兼职；“其中”项不大于所属合计；每一种公开渠道的信息数
    不大于主动公开政府信息数（同一信息多渠道公开只计 1 条）。
    “不同意公开答复数”的“其中”六项之和、各渠道之和不小于主动公开政府信息数，通常成立，但常有不逐项填报的情况，只作警告。
    带“本年度”“历年累计”两列的地方格式（指标名称 / 计量单位 / 本年度 / 历年累计）：每一行历年累计不小于本年度；
    受理依申请公开总数 ＝ 当面 ＋ 网上 ＋ 信函、传真；对申请的答复总数 ＝ 同意公开 ＋ 同意部分公开 ＋ 不予公开
    ＋ 其他类型答复（两列各自检查）；政府网站、政府公报公开数不大于主动公开文件数。
    网页上连在一起的数字（“主动公开文件数条206912106”）按本行和各列的关系拆分，仍有多种拆法时再看正文所述数字
    （“主动公开政府信息2069条”），只有一种拆法成立才读取，否则报告 E010。
    本年历年累计 ＝ 上年历年累计 ＋ 本年度，由 X101 在给出上一年度报告时检查。
    为什么：这些合计由统计表的设计决定；对不上说明合计或分项填错。
    错误示例：`示例市示例局2023年` → `示例市示例局2018年`；`0 0 0 0 0 0 0 0 0 0 0 0 0 0 0` → `0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\\n（一）收到申请数 件 10\\n1.当面申请数 件 2\\n2.传真申请数 件 0\\n3.网络申请数 件 5\\n4.信函申请数 件 2`（2018年度报告附旧版统计表，四种渠道之和为 9）
    正确示例：`示例市示例局2023年` → `示例市示例局2018年`；`0 0 0 0 0 0 0 0 0 0 0 0 0 0 0` → `0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\\n（一）收到申请数 件 9\\n1.当面申请数 件 2\\n2.传真申请数 件 0\\n3.网络申请数 件 5\\n4.信函申请数 件 2`
    依据：国办发〔2014〕32号《政府信息公开情况统计表》的设计（数据见模板文件 old-2008 部分）。
    分组：{grouping}
    """
    yield from _pick(report, "A105")


@rule("A106", "subtotal-row")
@_doc
def subtotal_row(report: Report):
    """报告自行增加的小计行与其下各行之和不符。

    检查什么：模板没有小计行，但有的报告在“（三）不予公开”“（四）无法提供”“（五）不予处理”
    “（六）其他处理”这一行本身填了数字，或在其下加了“小计”行。有小计时检查：
    小计 ＝ 其下各行之和（每一列）；小计行的“总计”列 ＝ 六类申请人之和由 A103 检查。没有小计不报告。
    为什么：小计是读者核对的依据，填错会误导读者。
    错误示例：`（三）不予公开` → `（三）不予公开 1 0 0 0 0 0 1`（其下 8 行之和为 0）
    正确示例：`（三）不予公开` → `（三）不予公开 0 0 0 0 0 0 0`
    依据：表格设计（小计为分项之和）。
    分组：{grouping}
    """
    yield from _pick(report, "A106")


@rule("A107", "table-identity-other", "warning")
def table_identity_other(report: Report):
    """表格中其他通常成立的数量关系不成立（提示）。

    检查什么：模板数据中其余可计算的关系，目前为 2019 年格式表二“对外公开总数量”不小于
    “本年新公开数量”（对外公开总数量是累计数，包含本年新公开的文件）。
    为什么：通常成立，但有合理例外（如文件废止后不再计入），只作提示。
    错误示例：`行政规范性文件 0 0 0` → `规范性文件 4 4 3`；`行政许可 0` → `行政许可 0 0 0`；`行政处罚 0` → `行政处罚 0 0 0`；`行政强制 0` → `行政强制 0 0 0`；`行政事业性收费 0` → `行政事业性收费 0 0`（第二部分改用2019年格式的表格：规范性文件本年新公开 4 件，对外公开总数量却只有 3 件）
    正确示例：`行政规范性文件 0 0 0` → `规范性文件 4 4 6`；`行政许可 0` → `行政许可 0 0 0`；`行政处罚 0` → `行政处罚 0 0 0`；`行政强制 0` → `行政强制 0 0 0`；`行政事业性收费 0` → `行政事业性收费 0 0`（对外公开总数量 6 件，不少于本年新公开的 4 件）
    依据：国办公开办函〔2019〕60号附件格式表二的设计。
    """
    yield from _pick(report, _OTHER)


@rule("A108", "digit-run-inconsistent")
@_doc
def digit_run_inconsistent(report: Report):
    """连写在一起的一行数字，无论怎样拆分都不满足表格的合计关系。

    检查什么：从网页复制的文本常把相邻单元格的数字连在一起（如“一、本年新收政府信息公开申请数量31000005”）。
    工具列出把这串数字拆成该行单元格数的所有拆法（不拆开小数、不产生以0开头的多位数）；
    若没有一种拆法满足本行的合计关系（总计 ＝ 各类申请人之和），或满足本行关系的每一种拆法都使
    表格的列关系（如“第一项加第二项之和，等于第三项加第四项之和”）不成立，这行数字本身就有错，
    报告为计算错误，并列出最接近成立的几种读法及各自相差多少。
    数字个数正好等于单元格数时只有一种读法，按这一读法读取，由其他 A 规则检查；
    还有多种读法都成立时，依次用表格的列关系、正文写明的数字、上一年度报告（--previous：上年结转、现行有效件数）
    选出唯一的读法，仍无法确定时报告 E010，不猜测。
    为什么：这不是读取问题：任何读法下表格都对不上，起草人需要核对原表。
    错误示例：`一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3` → `一、本年新收政府信息公开申请数量31000005`（可读作 31 0 0 0 0 0 5 或 3 10 0 0 0 0 5，总计都不等于各类申请人之和）
    正确示例：`一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3` → `一、本年新收政府信息公开申请数量3000003`（只有一种读法 3 0 0 0 0 0 3，且合计相符）
    依据：{basis}。
    """
    for table in report.tables.values():
        for problem in table.problems:
            if problem.kind == "inconsistent-run":
                yield Diagnostic(problem.message, problem.span,
                                 data={"table": table.id, "row": problem.row_id, **problem.data},
                                 message_en=problem.message_en)




# -- value domains and blanks ------------------------------------------------------------------

_WHOLE = r"(?:\d{1,3}(?:,\d{3})+|\d+)"  # 1200 or 1,200
_DOMAIN_RE = {"count": re.compile(rf"^{_WHOLE}$"), "signed": re.compile(rf"^[+-]?{_WHOLE}$"),
              "amount": re.compile(rf"^{_WHOLE}(?:\.\d+)?$")}
_DOMAIN_WORDS = {"count": "非负整数", "signed": "整数（可带“+”“-”号）", "amount": "非负数（可有小数）"}
_DOMAIN_WORDS_EN = {"count": "a non-negative whole number", "signed": "a whole number (a sign “+” or “-” allowed)",
                    "amount": "a non-negative number (decimals allowed)"}


def _cells(report: Report, table: TableData):
    """(row, column def, cell) of every readable row, in template order."""
    bad = _unreliable(report, table)
    for row_def in table.definition.rows:
        row = table.rows.get(row_def.id)
        if row is None or row_def.id in bad:
            continue
        for col in row.columns:
            cell = row.values.get(col.id)
            if cell is not None:
                yield row, col, cell


@rule("A201", "value-domain")
def value_domain(report: Report):
    """表格单元格里的数字不符合该列的取值要求。

    检查什么：件数、条数等计数列必须是非负整数（不带正负号、小数点或百分号）；
    2019 年格式表二“本年增/减”列是可带“+”“-”号的整数；金额列（万元）是非负数，可有小数。
    一行中的多处问题合并为一条。读取不可靠的行不检查。
    为什么：计数不可能是负数或小数；这类数字通常是录入错误或单元格错位。
    错误示例：`行政许可 0` → `行政许可 2.5`
    正确示例：`行政许可 0` → `行政许可 25`
    依据：统一格式各表的设计（单位为件、条或万元）；模板数据中各列的取值类型。
    """
    for table in report.tables.values():
        bad_by_row: dict[str, list] = {}
        for row, col, cell in _cells(report, table):
            if cell.kind != "number":
                continue
            domain = row.row.domain or col.domain
            pattern = _DOMAIN_RE.get(domain)
            if pattern is not None and not pattern.match(cell.raw):
                bad_by_row.setdefault(row.row.id, []).append((row, col, cell, domain))
        for rid, bad in bad_by_row.items():
            row = bad[0][0]
            parts = "；".join(f"{_cell_name(table, (rid, col.id))}为“{cell.raw}”，应为{_DOMAIN_WORDS[domain]}"
                             for _, col, cell, domain in bad)
            parts_en = "; ".join(f"{_cell_name(table, (rid, col.id), True)} is “{cell.raw}”, expected "
                                 f"{_DOMAIN_WORDS_EN[domain]}" for _, col, cell, domain in bad)
            yield Diagnostic(
                f"{_table_name(table)}中{parts}",
                bad[0][2].span,
                data={"table": table.id, "row": rid, "row_label": row.row.label,
                      "cells": [{**_cell_data(report, table, (rid, col.id)), "domain": domain}
                                for _, col, cell, domain in bad]},
                related=[(_cell_name(table, (rid, col.id)), cell.span) for _, col, cell, _ in bad[1:]],
                message_en=f"{_cap(_table_name(table, True))}: {parts_en}",
            )


def _blank_list(table: TableData, cells, en: bool = False) -> str:
    """'“1.信访举报投诉类申请”整行（“/”）、“规章”行“本年制发件数”列（空白）……'"""
    blank = "blank" if en else "空白"
    by_row: dict[str, list] = {}
    for row, col, cell in cells:
        by_row.setdefault(row.row.id, []).append((row, col, cell))
    items = []
    for rid, found in by_row.items():
        row = found[0][0]
        marks = sorted({blank if c.kind == "blank" else f"“{c.raw}”" for _, _, c in found})
        if len(found) == len(row.columns) and len(found) > 1:
            label = _row_label(table, rid)  # table 4's one row has no label
            if en:
                items.append(f"the whole row “{label}” ({', '.join(marks)})" if label
                             else f"every cell ({', '.join(marks)})")
            else:
                items.append(f"“{label}”整行（{'、'.join(marks)}）" if label else f"全部单元格（{'、'.join(marks)}）")
        else:
            for _, col, c in found:
                mark = blank if c.kind == "blank" else f"“{c.raw}”"
                items.append(f"{_cell_name(table, (rid, col.id), True)} ({mark})" if en
                             else f"{_cell_name(table, (rid, col.id))}（{mark}）")
    if en:
        return "; ".join(items[:8]) + (f" and others, {len(cells)} cells in all" if len(items) > 8 else "")
    return "、".join(items[:8]) + (f"等共 {len(cells)} 格" if len(items) > 8 else "")


@rule("A202", "blank-or-placeholder", "warning")
def blank_or_placeholder(report: Report):
    """表格中应填数字的单元格为空或填了“/”“-”等符号。

    检查什么：模板表格的数据单元格是否都填了数字。空白和“/”“-”“—”“无”等符号与 0 不同：
    读者无法判断是没有发生还是漏填。每张表合并为一条，列出所有这样的单元格。
    这些单元格不参与合计检查。
    为什么：统一格式要求逐项填报数字；没有发生的事项应填 0。
    错误示例：`规章 0 0 0` → `规章 / / /`
    正确示例：标准报告
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式（各表逐项填报）。
    """
    for tid in sorted(report.tables):
        table = report.tables[tid]
        cells = [(row, col, cell) for row, col, cell in _cells(report, table) if cell.kind in ("blank", "placeholder")]
        if not cells:
            continue
        shown = _blank_list(table, cells)
        yield Diagnostic(
            f"{_table_name(table)}有 {len(cells)} 个应填数字的单元格没有填数字：{shown}；"
            f"没有发生的事项应填 0（空白或符号与 0 不同，这些单元格未参与合计检查）",
            cells[0][2].span,
            data={"table": table.id, "count": len(cells),
                  "cells": [{**_cell_data(report, table, (row.row.id, col.id)), "kind": cell.kind}
                            for row, col, cell in cells]},
            related=[(_cell_name(table, (row.row.id, col.id)), cell.span) for row, col, cell in cells[1:]],
            message_en=f"{_cap(_table_name(table, True))} has {len(cells)} cells without a number where one is "
                       f"required: {_blank_list(table, cells, True)}; enter 0 for what did not happen (a blank or a "
                       f"symbol is not 0; these cells were left out of the total checks)",
        )


# -- prose against the tables and against itself ------------------------------------------------

_STOP = r"[^\d,，。;；:：()（）]"  # filler between a keyword and its number: no digit, no clause break
# Sentences about other business (letters, hotlines, licensing) are never read as applications.
_OTHER_BUSINESS = re.compile(r"许可|审批|信访|投诉|举报|咨询|信件|来信|来电|诉求|信箱|热线|12345|留言|建议|提案|议案")
_COMPARISON = re.compile(r"同比|较上年|比上年|较去年|比去年|去年|上一年度|增长|下降|减少|增加|持平")
_APPLICATION = re.compile(r"申请")
_DISCLOSURE = re.compile(r"信息公开|依申请")

# What the prose says -> the patterns that state it.  Each pattern has a group ``n``.
_PROSE = {
    "received": ("收到的申请", [
        rf"(?:收到|新收|受理|接收|接到){_STOP}{{0,25}}?申请(?:共计|总计|合计|共)?(?P<n>\d+)件",
        r"(?:收到|新收|受理|接收|接到)(?:各类)?(?P<n>\d+)件(?:[^\d,，。;；]{0,10}?)申请",
    ]),
    "carried_over": ("上年结转的申请", [
        rf"上年(?:度)?结转{_STOP}{{0,16}}?(?P<n>\d+)件",
        rf"(?P<n>\d+)件{_STOP}{{0,8}}?上年(?:度)?结转",
    ]),
    "closed": ("办结的申请", [
        rf"(?<!按时)(?<!延期)(?<!逾期)办结(?!率){_STOP}{{0,12}}?(?P<n>\d+)件",
    ]),
    "carried_forward": ("结转下年度的申请", [
        rf"结转(?:至|到)?下(?:一)?年(?:度)?{_STOP}{{0,10}}?(?P<n>\d+)件",
        rf"(?P<n>\d+)件{_STOP}{{0,8}}?结转(?:至|到)?下(?:一)?年",
        r"结转(?:至|到)(?P<y>\d{4})年(?:度)?(?P<n>\d+)件",
    ]),
    "disclosed": ("予以公开", [r"(?<![不及和与])予以公开(?![及和与、])(?:[^\d,，。;；]{0,4}?)(?P<n>\d+)件"]),
    "partly": ("部分公开", [r"(?<![及和与])部分公开(?![及和与、])(?:[^\d,，。;；]{0,4}?)(?P<n>\d+)件"]),
    "disclosed_or_partly": ("予以公开及部分公开", [r"予以公开(?:及|和|与|、)部分公开(?:[^\d,，。;；]{0,4}?)(?P<n>\d+)件"]),
    "unable": ("无法提供", [r"无法提供(?:[^\d,，。;；]{0,4}?)(?P<n>\d+)件"]),
    "not_processed": ("不予处理", [r"不予处理(?:[^\d,，。;；]{0,4}?)(?P<n>\d+)件"]),
    "other_processing": ("其他处理", [r"其他处理(?:[^\d,，。;；]{0,4}?)(?P<n>\d+)件"]),
    "refused": ("不予公开", [r"(?<![及和与])不予公开(?![及和与、])(?:[^\d,，。;；]{0,4}?)(?P<n>\d+)件"]),
    "review": ("行政复议", [r"行政复议(?:案件|申请)?(?:共计|共)?(?P<n>\d+)(?:件|起|宗|次)"]),
    "litigation": ("行政诉讼", [r"行政诉讼(?:案件)?(?:共计|共)?(?P<n>\d+)(?:件|起|宗|次)"]),
    "normative_made": ("本年制发的规范性文件", [
        r"本年(?:度)?(?:共)?(?:制发|印发)(?:的)?(?:行政)?规范性文件(?:共)?(?P<n>\d+)件"]),
    "normative_repealed": ("本年废止的规范性文件", [
        r"本年(?:度)?(?:共)?废止(?:的)?(?:行政)?规范性文件(?:共)?(?P<n>\d+)件"]),
    "fees": ("收取的费用", [r"(?:收取|收费)(?:[^\d,，。;；]{0,10}?)(?P<n>\d+(?:\.\d+)?)(?P<u>万元|元)"]),
    # who applied, in a sentence that first says how many applications came in
    "applicant_natural": ("自然人提出的申请", [
        r"(?<![非])自然人(?:申请|提出(?:的)?(?:申请)?|的申请)?(?:共|为)?(?P<n>\d+)件"]),
    "applicant_org": ("法人或其他组织提出的申请", [
        r"法人(?:或|和|及|、)?(?:其他组织)?(?:申请|提出(?:的)?(?:申请)?|的申请)?(?:共|为)?(?P<n>\d+)件"]),
    # statements that give 0 without a number (the group ``zero``)
    "received_none": ("收到的申请", [
        r"(?:未|没有|无)(?:收到|接到|受理|新收)(?:任何|过)?(?:政府信息公开|信息公开|依申请公开)?(?:的)?申请(?!人)(?P<zero>)"]),
    "all_closed": ("结转下年度的申请", [
        r"(?:全部|均|都)(?:已)?(?:全部)?(?:按时|依法|按期|及时)?(?:办结|答复完毕)(?!率)(?P<zero>)"]),
}
# quantities whose statement must follow a statement of the applications received in the sentence
_AFTER_RECEIVED = {"applicant_natural", "applicant_org"}
# a sentence about these is not about the applications of this year as a whole
_NOT_ALL_CLOSED = re.compile(r"结转|复议|诉讼|上年|部分")
# a count may be printed with thousands separators (收到申请1,200件)
_PROSE_RE = {k: (d, [re.compile(p.replace(r"(?P<n>\d+)", r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)")) for p in ps])
             for k, (d, ps) in _PROSE.items()}
_ANY_DIGIT = re.compile(r"\d")
_PROSE_EN = {
    "received": "applications received", "carried_over": "applications carried over from the previous year",
    "closed": "applications closed", "carried_forward": "applications carried forward to the next year",
    "disclosed": "disclosed", "partly": "partly disclosed", "disclosed_or_partly": "disclosed or partly disclosed",
    "unable": "unable to provide", "not_processed": "not processed", "other_processing": "other processing",
    "refused": "not disclosed", "review": "administrative reconsiderations", "litigation": "administrative lawsuits",
    "normative_made": "normative documents issued this year",
    "normative_repealed": "normative documents repealed this year", "fees": "fees charged (10,000 yuan)",
    "applicant_natural": "applications by natural persons", "applicant_org": "applications by legal persons or "
    "other organisations", "received_none": "applications received", "all_closed": "applications carried forward",
}
# Which quantities are about applications (the sentence must speak of 申请, not of letters).
_ABOUT_APPLICATIONS = {"received", "carried_over", "closed", "carried_forward", "disclosed", "partly", "refused",
                       "disclosed_or_partly", "unable", "not_processed", "other_processing",
                       "applicant_natural", "applicant_org", "received_none", "all_closed"}
_ABOUT_DISCLOSURE = {"review", "litigation", "fees"}



@dataclass
class _Sentence:
    text: str
    start: int  # offset in the paragraph's normalised text
    para: object


def _sentences(report: Report, breaks: str = "。;；!?！？\n") -> list[_Sentence]:
    """Sentences of the prose, each once (a heading line may also be a paragraph).
    Split once per report and break set: several rules read them."""
    cached = _CACHE.get("sentences" + breaks)
    if cached and cached[0] is report:
        return cached[1]
    out = list(_split_sentences(report, breaks))
    _CACHE["sentences" + breaks] = (report, out)
    return out


def _split_sentences(report: Report, breaks: str):
    seen: set[tuple[int, int]] = set()
    splitter = re.compile(f"[{re.escape(breaks)}]|$")
    for para in report.paragraphs():
        text = para.text.text
        start = 0
        for m in splitter.finditer(text):
            span = para.text.span(start, m.start()) if m.start() > start else None
            if span is not None and (span.start, span.end) not in seen:
                seen.add((span.start, span.end))
                yield _Sentence(text[start:m.start()], start, para)
            start = m.end()
            if m.end() >= len(text):
                break


def _clause(text: str, i: int, j: int) -> str:
    left = max(text.rfind(c, 0, i) for c in ",，、") + 1
    ends = [k for k in (text.find(c, j) for c in ",，、") if k != -1]
    return text[left:min(ends) if ends else len(text)]


def _prose_mentions(report: Report):
    """(quantity, value, unit, sentence, match) for every clear statement in the prose."""
    year = report.report_year
    received = _PROSE_RE["received"][1]
    for sent in _sentences(report):
        text = sent.text
        has_digit = bool(_ANY_DIGIT.search(text))
        for key, (_, patterns) in _PROSE_RE.items():
            zero = key in ("received_none", "all_closed")
            if not has_digit and not zero:  # the other patterns need a number
                continue
            if key == "all_closed" and _NOT_ALL_CLOSED.search(text):
                continue
            if key in _AFTER_RECEIVED:
                first = min((x.start() for p in received for x in p.finditer(text)), default=None)
                if first is None:
                    continue
            seen: set[int] = set()
            # after the quantity's total, the 其中 list (in brackets or not) gives parts of it, not the
            # total: "共收到申请3件，其中通过网络平台收到申请2件"
            total_end = len(text)
            if "其中" in text:
                total_end = min((x.end() for p in patterns for x in p.finditer(text)), default=len(text))
            for pattern in patterns:
                for m in pattern.finditer(text):
                    n_at = m.start("zero") if zero else m.start("n")
                    if n_at in seen:
                        continue
                    if key in _AFTER_RECEIVED and m.start() < first:
                        continue
                    if key not in _AFTER_RECEIVED and total_end <= m.start() and "其中" in text[total_end:m.start()]:
                        continue
                    if not zero and n_at > 0 and (text[n_at - 1].isdigit() or text[n_at - 1] == "."):
                        continue
                    if key in _ABOUT_APPLICATIONS and (not _APPLICATION.search(text) or _OTHER_BUSINESS.search(text)):
                        continue
                    if key in _ABOUT_DISCLOSURE and not _DISCLOSURE.search(text):
                        continue
                    clause = _clause(text, m.start(), m.end())
                    if _COMPARISON.search(clause):
                        continue
                    if year and any(int(y) < year for y in re.findall(r"(\d{4})年", clause)):
                        continue
                    if "y" in m.groupdict() and m.group("y") and year and int(m.group("y")) != year + 1:
                        continue
                    seen.add(n_at)
                    unit = m.groupdict().get("u") or ""
                    value = Decimal(0) if zero else Decimal(m.group("n").replace(",", ""))
                    yield key, value, unit, sent, m


def _prose_target(report: Report, key: str) -> dict | None:
    """The template data's address of a prose quantity for this report (prose_targets)."""
    targets = rule_data(report).get("prose_targets", {}).get("old" if report.version == "old" else "gb", {}).get(key)
    if isinstance(targets, list):  # one address per form of the table (the old 统计表 has two)
        targets = next((t for t in targets if t["table"] in report.tables), None)
    return targets


def _target_cells(report: Report, key: str):
    """(table, cells) holding the quantity, or None when the table cannot give it."""
    targets = _prose_target(report, key)
    if targets is None:
        return None
    tid, row_globs, cols = targets["table"], targets["rows"], targets["columns"]
    table = report.tables.get(tid)
    if table is None:
        return None
    bad = _unreliable(report, table)
    row_ids = [r.id for r in table.definition.rows if r.kind == "data"
               and any(fnmatch.fnmatchcase(r.id, g) for g in row_globs)]
    cells = [(r, c) for r in row_ids for c in cols]
    if not cells or any(_number(table, c, bad) is None for c in cells):
        return None
    return table, cells


def _also_sums(report: Report, key: str, table: TableData, bad: set[str]) -> set[Decimal]:
    """Other readings of the prose's number that are not a mismatch (prose_targets' ``also_rows``:
    an applicant split may count the carried-over applications too)."""
    targets = _prose_target(report, key) or {}
    rows = targets.get("also_rows")
    if not rows:
        return set()
    cells = [(r, c) for r in rows for c in targets["columns"]]
    values = [_number(table, c, bad) for c in cells]
    return set() if any(v is None for v in values) else {sum(values, Decimal(0))}


def _cells_name(table: TableData, cells: list[Cell], en: bool = False) -> str:
    """The cells a prose number is compared with: one cell, all the rows under
    one heading row in one column (“（三）不予公开”下各行“总计”列之和), or a list."""
    definition = table.definition
    rows = [definition.row(rid) for rid, _ in cells]
    columns = {cid for _, cid in cells}
    parents = {r.parent for r in rows if r is not None}
    if len(cells) > 1 and len(columns) == 1 and len(parents) == 1 and None not in parents:
        parent = definition.row(next(iter(parents)))
        children = [r.id for r in definition.rows if parent is not None and r.parent == parent.id and r.kind == "data"]
        if children and children == [rid for rid, _ in cells]:
            column = _col_label(table, next(iter(columns)))
            if en:
                return f"the sum of the rows under “{_short(parent.label)}”, column “{column}”"
            return f"“{_short(parent.label)}”下各行“{column}”列之和"
    labels = [_col_label(table, cid) for _, cid in cells]
    groups = {label.split("·")[0] for label in labels}
    if len(cells) > 1 and len({rid for rid, _ in cells}) == 1 and len(groups) == 1 and all("·" in x for x in labels):
        # one row, the columns under one heading (“法人或其他组织”)
        row = _row_label(table, cells[0][0])
        group = next(iter(groups))
        if en:
            return f"the sum of the columns under “{group}”, row “{row}”"
        return f"“{row}”行“{group}”下各列之和"
    return (" + " if en else "＋").join(_cell_name(table, c, en) for c in cells)


@rule("A301", "prose-table-mismatch", "warning")
def prose_table_mismatch(report: Report):
    """正文中的数字与表格中对应的数字不一致。

    检查什么：正文明确说出的下列数量与表格对应单元格（“总计”列）比较：
    收到（新收、受理、接收）政府信息公开申请 N 件 → 表三“一、本年新收”；上年结转 N 件 → “二、上年结转”；
    办结 N 件 → “（七）总计”；N 件结转下年度（结转至次年 N 件）→ “四、结转下年度继续办理”；
    予以公开 / 部分公开 / 不予公开 N 件 → 对应结果行（不予公开为其下 8 行之和）；
    行政复议 / 行政诉讼 N 件（起）→ 表四复议总计 / 两类诉讼总计之和；
    本年制发（废止）规范性文件 N 件 → 表二规范性文件的本年制发（新制作）/ 废止件数；
    同一句先写收到申请、再写“自然人 N 件”“法人（或其他组织）N 件” → 表三本年新收的“自然人”列 /
    “法人或其他组织”下各列之和（等于本年新收加上年结转的，也不报告）；
    “未收到政府信息公开申请” → 本年新收为 0；“（申请）全部办结 / 均已办结” → 结转下年度为 0
    （句中提到结转、上年、复议、诉讼或“部分”时不比较）；
    旧版统计表：收到申请、办结、行政复议、行政诉讼、收取费用（换算为万元）。
    为了不误报，只在句子明确讲政府信息公开申请时比较（句中有“申请”，且不涉及信件、信访、投诉、
    许可、热线等其他业务），跳过含“同比、较上年、增长、减少”等比较用语或更早年份的分句，
    “予以公开及部分公开 N 件”这类合并口径不比较；合计之后“其中”列出的分项（如“共收到申请3件，
    其中通过网络平台收到申请2件”，括号里的“（其中……）”也是）是合计的一部分，不比较；
    表格该格读取不可靠或未填数字时不比较。
    为什么：正文与表格说法不一，读者无从判断哪个是真的；通常是其中一处未随修改同步。
    错误示例：`本局依法办理政府信息公开申请。` → `本局共收到政府信息公开申请4件。`（表三本年新收为 3 件）
    正确示例：`本局依法办理政府信息公开申请。` → `本局共收到政府信息公开申请3件。`
    依据：条例第五十条（年度报告应当如实报告收到和处理申请的情况）；统一格式表三、表四。
    """
    for key, value, unit, sent, m in _prose_mentions(report):
        target = _target_cells(report, key)
        if target is None:
            continue
        table, cells = target
        bad = _unreliable(report, table)
        found = sum((_number(table, c, bad) for c in cells), Decimal(0))
        stated = value / 10000 if unit == "元" else value
        if stated == found or stated in _also_sums(report, key, table, bad):
            continue
        what = _PROSE_RE[key][0]
        cell_names = _cells_name(table, cells)
        notes, notes_en = [], []
        if key == "received":
            carried = _target_cells(report, "carried_over")
            if carried:
                extra = sum((_number(carried[0], c, bad) for c in carried[1]), Decimal(0))
                if extra and found + extra == stated:
                    notes.append(f"正文的数字等于本年新收加上年结转（{_fmt(found)}＋{_fmt(extra)}），可能把上年结转的申请也算作本年收到")
                    notes_en.append(f"the prose number is new applications plus those carried over from the previous "
                                    f"year ({_fmt(found)} + {_fmt(extra)}); the carried-over applications may have "
                                    f"been counted as received this year")
        for d in table_findings(report):
            for s in d.data.get("suspects", []):
                if (s["row"], s["column"]) in cells and len(cells) == 1 and Decimal(s["consistent_value"]) == stated:
                    notes.append(f"按表内其他数字推算该格应为 {s['consistent_value']}，与正文一致，可能是表格填错")
                    notes_en.append(f"the other numbers of the table make this cell {s['consistent_value']}, as the "
                                    f"prose says; the table may be wrong")
        note = "；".join(notes)
        note_en = "; ".join(notes_en)
        span = sent.para.text.span(sent.start + m.start(), sent.start + m.end())
        yield Diagnostic(
            f"正文“{m.group()}”与{_table_name(table)}{cell_names}{'' if cell_names.endswith('之和') else '的'} "
            f"{_fmt(found)} 不一致"
            f"（{what}：正文 {_fmt(stated)}，表格 {_fmt(found)}，相差 {_signed(stated - found)}）"
            + (f"。{note}" if note else ""),
            span,
            data={"quantity": key, "prose": m.group(), "prose_value": _fmt(stated), "table": table.id,
                  "table_value": _fmt(found), "difference": _fmt(stated - found), "sentence": sent.text,
                  "cells": [_cell_data(report, table, c) for c in cells]},
            related=[(_cell_name(table, c), table.cell(*c).span) for c in cells],
            message_en=f"Prose “{m.group()}” disagrees with {_table_name(table, True)}, "
                       f"{_cells_name(table, cells, True)} ({_PROSE_EN[key]}: prose "
                       f"{_fmt(stated)}, table {_fmt(found)}, difference {_signed(stated - found)})"
                       + (f". Note: {note_en}" if note_en else ""),
        )


_UNITS = r"人次|件|条|个|次|篇|项|起|份|人|期|家"
# the list of parts opens with 其中 or 包括, or a colon right after the total ("90条：规章1条、…")
_TOTAL = re.compile(rf"(?P<n>\d+)(?P<approx>余|多)?(?P<u>{_UNITS})(?:[,，]?(?P<open>[(（])?(?:其中|包括)[:：]?|[:：])")
_PART = re.compile(rf"(?P<n>\d+(?:\.\d+)?)(?P<approx>余|多)?(?P<u>{_UNITS})(?![\d%])")
_SHARE = re.compile(r"[,，]?(?:约)?占(?:比)?(?:总数|全部)?(?:的)?(?:约)?(?P<p>\d+(?:\.\d+)?)%")


def _parts(text: str, start: int, paren: bool, unit: str, stop: str):
    """Numbers with ``unit`` at the top level of the 其中 list that starts at ``start``."""
    depth, i, out = 0, start, []
    while i < len(text):
        ch = text[i]
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (ch in stop or text.startswith("共", i)):
            if not paren or ch == "。":
                break
        if depth == 0:
            m = _PART.match(text, i)
            if m and (i == 0 or not text[i - 1].isdigit()):
                if m.group("u") == unit:
                    out.append(m)
                i = m.end()
                continue
        i += 1
    return out


_CROSS_UNIT_END = re.compile(r"[,，、;；。)）]|和|及|$")


def _listed_parts(report: Report, text: str, total: re.Match, stop: str):
    """The items of the 其中 list after ``total``: those in the total's unit or, when every
    item is in one other unit that counts the same kind of thing (rule_data.prose_unit_kinds:
    a total in 条 may list 份), those -- each closing its item (“5个部门” counts departments)."""
    unit = total.group("u")
    parts = _parts(text, total.end(), bool(total.group("open")), unit, stop)
    if len(parts) >= 2:
        return parts
    kinds = rule_data(report).get("prose_unit_kinds", [])
    family = next((set(k) for k in kinds if unit in k), set())
    for other in sorted(family - {unit}):
        found = _parts(text, total.end(), bool(total.group("open")), other, stop)
        if len(found) >= 2 and all(_CROSS_UNIT_END.match(text, p.end()) for p in found):
            # every item of the list in that unit: nothing in the total's own unit between them
            listed = text[total.end():found[-1].end()]
            if not any(m.group("u") not in (other,) for m in _PART.finditer(listed)):
                return found
    return parts


def _item_labels(text: str, start: int, parts) -> list[str]:
    """The words before each item's number (after 其中 or the item before)."""
    labels, pos = [], start
    for p in parts:
        labels.append(text[pos:p.start()])
        pos = p.end()
    return labels


def _partition(report: Report, labels: list[str]) -> list[str] | None:
    """The group of rule_data.prose_partitions the items split into: every item names a
    member and every member is named; None when the items are not known to be exhaustive."""
    for group in rule_data(report).get("prose_partitions", []):
        named = [[w for w in group if w in label] for label in labels]
        if all(named) and set(group) <= {w for ws in named for w in ws}:
            return list(group)
    return None


def _rate_ok(part: Decimal, whole: Decimal, printed: str) -> bool:
    """The printed percentage equals part/whole rounded or cut to its printed decimals."""
    places = len(printed.split(".")[1]) if "." in printed else 0
    quantum = Decimal(1).scaleb(-places)
    exact = part * 100 / whole
    target = Decimal(printed)
    return exact.quantize(quantum, ROUND_HALF_UP) == target or exact.quantize(quantum, ROUND_DOWN) == target


_CHANNELS = re.compile(r"通过|渠道|途径|平台|新媒体|公众号|微博|网站")


@rule("A302", "prose-total-mismatch", "warning")
def prose_total_mismatch(report: Report):
    """正文中“共……N件，其中……”的分项之和与合计不符。

    检查什么：正文写出合计和“其中”（或“包括”、合计后紧跟冒号）分项时（如“共收到申请25件（其中：信函申请16件，
    网上申请6件，当面申请3件）”），同一单位的分项之和不得大于合计。合计与分项的单位可以不同但计的是同一类东西
    （如“共制作政府信息617条，其中主动公开138份、……”：条、份、件、篇），分项都用同一个另外的单位、
    且单位后直接是标点时（“涉及5个部门”计的是部门，不算），也按分项比较。括号里再嵌套的细分不计入；
    合计或分项带“余”“多”等约数时不检查。分项之和小于合计一般不报告，因为“其中”可以只列举一部分；
    但分项已列全一组互不重叠的类别时（主动公开、依申请公开、不予公开；自然人、法人或其他组织），
    分项之和必须等于合计，少了也报告。
    分项可能互相重叠时也不检查：某一分项就等于合计，或按公开渠道分列（“通过网站公开100条，
    通过政务新媒体公开120条”——同一信息通过不同渠道公开，计1条）。
    为什么：分项之和大于合计，说明合计或某个分项写错了。
    错误示例：`本局通过政府网站主动公开政府信息。` → `本局共制作政府信息617份，其中主动公开138份、依申请公开及不予公开431份。`（138＋431＝569，少 48 份）
    正确示例：`本局通过政府网站主动公开政府信息。` → `本局共制作政府信息617份，其中主动公开186份、依申请公开及不予公开431份。`
    依据：算术；统一格式要求报告数据准确。
    """
    for sent in _sentences(report, "。"):
        text = sent.text
        for m in _TOTAL.finditer(text):
            if m.group("approx") or (m.start() > 0 and text[m.start() - 1] in ".0123456789"):
                continue
            parts = _listed_parts(report, text, m, ";；")
            if len(parts) < 2 or any(p.group("approx") for p in parts):
                continue
            total = Decimal(m.group("n"))
            found = sum((Decimal(p.group("n")) for p in parts), Decimal(0))
            if found < total:
                partition = _partition(report, _item_labels(text, m.end(), parts))
                if partition:
                    yield _short_of_total(sent, m, parts, total, found, partition)
                continue
            if found == total:
                continue
            # overlapping items: one item as large as the whole, or the same information by several
            # channels ("通过网站公开100条，通过政务新媒体公开120条"; 不同渠道公开相同信息计1条)
            listed = text[m.end():parts[-1].end()]
            if any(Decimal(p.group("n")) == total for p in parts) or _CHANNELS.search(listed):
                continue
            span = sent.para.text.span(sent.start + m.start("n"), sent.start + m.end("u"))
            items = "＋".join(p.group() for p in parts)
            yield Diagnostic(
                f"正文写合计 {m.group('n')}{m.group('u')}，其中各项 {items} ＝ {_fmt(found)}{parts[0].group('u')}，"
                f"超过合计 {_fmt(found - total)}{m.group('u')}；合计或分项有误",
                span,
                data={"total": _fmt(total), "parts": [p.group("n") for p in parts], "sum": _fmt(found),
                      "difference": _fmt(found - total), "unit": m.group("u"), "sentence": text},
                message_en=f"The prose gives a total of “{m.group('n')}{m.group('u')}”, but its parts "
                           f"{' + '.join(f'“{p.group()}”' for p in parts)} add up to {_fmt(found)}, "
                           f"{_fmt(found - total)} more than the total; the total or a part is wrong",
            )


def _short_of_total(sent, m, parts, total: Decimal, found: Decimal, partition: list[str]) -> Diagnostic:
    """The finding for a 其中 list that names every kind of the whole but adds up to less."""
    text = sent.text
    span = sent.para.text.span(sent.start + m.start("n"), sent.start + m.end("u"))
    labels = _item_labels(text, m.end(), parts)
    items = "＋".join(f"{re.sub(r'^[其中:：、,，和及与]+', '', lab).strip()}{p.group()}"
                     for lab, p in zip(labels, parts))
    kinds = "、".join(partition)
    return Diagnostic(
        f"正文写合计 {m.group('n')}{m.group('u')}，其中 {items} ＝ {_fmt(found)}{parts[0].group('u')}，"
        f"比合计少 {_fmt(total - found)}；这几项（{kinds}）已包括全部类别，合计或分项有误",
        span,
        data={"total": _fmt(total), "parts": [p.group("n") for p in parts], "sum": _fmt(found),
              "difference": _fmt(found - total), "unit": m.group("u"), "sentence": text, "partition": partition},
        related=[(p.group(), sent.para.text.span(sent.start + p.start(), sent.start + p.end())) for p in parts],
        message_en=f"The prose gives a total of “{m.group('n')}{m.group('u')}”, but its parts "
                   f"{' + '.join(f'“{p.group()}”' for p in parts)}, which cover every kind "
                   f"({', '.join(f'“{k}”' for k in partition)}), "
                   f"add up to {_fmt(found)}, {_fmt(total - found)} less than the total; the total or a part is wrong",
    )


@rule("A303", "prose-rate-mismatch", "warning")
def prose_rate_mismatch(report: Report):
    """正文中的百分比与正文给出的数字算不上。

    检查什么：（1）“办结率 X%”：同一句中写明收到（受理）N 件、办结 M 件时，M÷N（若同句还写了上年结转 K 件，
    也接受 M÷(N＋K)）；（2）“其中”分项后的“占 X%”：分项÷合计。按印出的小数位数比较：
    四舍五入或直接截断到该位数后相同即视为一致（印出一位小数时误差约 ±0.05 个百分点）。
    为什么：百分比由正文自己的数字算出，对不上说明数字或百分比写错。
    错误示例：`本局依法办理政府信息公开申请。` → `本局收到政府信息公开申请3件，办结3件，办结率90%。`
    正确示例：`本局依法办理政府信息公开申请。` → `本局收到政府信息公开申请3件，办结3件，办结率100%。`
    依据：算术；统一格式要求报告数据准确。
    """
    received_re = re.compile(rf"(?:收到|新收|受理|接收|接到){_STOP}{{0,25}}?(?P<n>\d+)件")
    closed_re = _PROSE_RE["closed"][1][0]
    carried_re = _PROSE_RE["carried_over"][1][0]
    for sent in _sentences(report, "。"):
        text = sent.text
        for rate in re.finditer(r"办结率(?:为|达|达到|是)?(?P<p>\d+(?:\.\d+)?)%", text):
            received = [m for m in received_re.finditer(text) if m.start() < rate.start()]
            closed = [m for m in closed_re.finditer(text) if m.start() < rate.start()]
            if len(received) != 1 or len(closed) != 1:
                continue
            n, c = Decimal(received[0].group("n")), Decimal(closed[0].group("n"))
            carried = [Decimal(m.group("n")) for m in carried_re.finditer(text)]
            bases = [n] + ([n + carried[0]] if len(carried) == 1 else [])
            if n == 0 or any(_rate_ok(c, b, rate.group("p")) for b in bases if b):
                continue
            span = sent.para.text.span(sent.start + rate.start(), sent.start + rate.end())
            yield Diagnostic(
                f"正文“{rate.group()}”与同句的数字不符：办结 {c} 件 ÷ 收到 {n} 件 ＝ {_fmt((c * 100 / n).quantize(Decimal('0.01')))}%",
                span,
                data={"printed": rate.group("p"), "numerator": _fmt(c), "denominator": _fmt(n),
                      "computed": _fmt((c * 100 / n).quantize(Decimal("0.0001"))), "sentence": text},
                message_en=f"Prose “{rate.group()}” does not match the numbers of the same sentence: {c} closed ÷ "
                           f"{n} received = {_fmt((c * 100 / n).quantize(Decimal('0.01')))}%",
            )
        for m in _TOTAL.finditer(text):
            if m.group("approx"):
                continue
            total = Decimal(m.group("n"))
            if total == 0:
                continue
            for part in _parts(text, m.end(), bool(m.group("open")), m.group("u"), ""):
                share = _SHARE.match(text, part.end())
                if not share or part.group("approx") or _rate_ok(Decimal(part.group("n")), total, share.group("p")):
                    continue
                span = sent.para.text.span(sent.start + share.start("p"), sent.start + share.end())
                computed = Decimal(part.group("n")) * 100 / total
                yield Diagnostic(
                    f"正文“{part.group()}，占{share.group('p')}%”与合计 {m.group('n')}{m.group('u')} 不符："
                    f"{part.group('n')} ÷ {m.group('n')} ＝ {_fmt(computed.quantize(Decimal('0.01')))}%",
                    span,
                    data={"printed": share.group("p"), "numerator": part.group("n"), "denominator": m.group("n"),
                          "computed": _fmt(computed.quantize(Decimal("0.0001"))), "sentence": text},
                    message_en=f"Prose “{part.group()}，占{share.group('p')}%” does not match the total "
                               f"“{m.group('n')}{m.group('u')}”: {part.group('n')} ÷ {m.group('n')} = "
                               f"{_fmt(computed.quantize(Decimal('0.01')))}%",
                )
