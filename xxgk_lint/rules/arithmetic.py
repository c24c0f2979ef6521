"""A: arithmetic and consistency -- every number that must agree, agrees.

The identities are template data (``identities`` of each table in
templates/template-versions.yaml, each naming its rule: ``code: A101``...;
one without a code is A107; cross-year ones are X101), parsed at template load
by the identity engine (linter/identities.py), which also says which cells
each covers.  Here they are evaluated over the cells the table reader found:

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
matching cells and with each other (rules/prose.py); value domains and
blanks are rules/domains.py.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from xxgk_lint.linter.model import Diagnostic, Identity, Report, Severity, TableData, holds
from xxgk_lint.linter.registry import rule
from xxgk_lint.rules.cells import (Cell, cap, cell_data, cell_name, col_label, fmt, number, row_label, short_label,
                                   signed, table_name, unreliable)

# An identity the data gives no code lands here (identities.DEFAULT_CODE).
_OTHER = "A107"


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


def _instances(table: TableData, bad: set[str]) -> list[_Inst]:
    row_index = {r.id: n for n, r in enumerate(table.definition.rows)}
    out: list[_Inst] = []
    for ident in _identities(table):
        for k, inst in enumerate(ident.instances(table.rows)):
            values = {c: number(table, c, bad) for c in inst.cells}
            if any(v is None for v in values.values()):
                continue  # blank, placeholder, missing or unreliable: not evaluated
            pos = k if ident.axis_kind == "column" else row_index.get(inst.axis, 0)
            out.append(_Inst(ident, table, ident.axis_kind, inst.axis, list(inst.lhs), list(inst.rhs), values,
                             (ident.id, pos)))
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
                    label = short_label(defn.row(parent).label)
                    names.append(f"the rows under “{label}”" if en else f"“{label}”下各行")
                    done.add(parent)
                continue
            names.append(f"“{row_label(table, ident)}”")
        elif len(cells) == 1:  # a lone total: its full label (行政复议·总计)
            names.append(f"“{col_label(table, ident)}”")
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
        label = col_label(inst.table, inst.axis)
        return f"column “{label}”" if en else f"“{label}”列"
    label = row_label(inst.table, inst.axis)
    if not label:
        return ""
    return f"row “{label}”" if en else f"“{label}”行"








def _check_data(report: Report, inst: _Inst) -> dict:
    found_terms, computed_terms = inst.found_side
    found, computed = inst.side(found_terms), inst.side(computed_terms)
    return {
        "identity": inst.ident.id, "kind": inst.ident.kind, "per": inst.per, "axis": inst.axis,
        "words": _identity_words(inst), "op": inst.ident.op,
        "found": fmt(found), "computed": fmt(computed), "difference": fmt(found - computed),
        "cells": [cell_data(report, inst.table, c) for c in inst.cells],
    }


def _check_words(inst: _Inst, en: bool = False) -> str:
    found_terms, computed_terms = inst.found_side
    found, computed = inst.side(found_terms), inst.side(computed_terms)
    where = _where(inst, en)
    if en:
        return (f"{where + ': ' if where else ''}{_side_words(inst, found_terms, en)} is {fmt(found)}, "
                f"{_side_words(inst, computed_terms, en)} is {fmt(computed)} (difference {signed(found - computed)})")
    prefix = f"{where}：" if where else ""
    return (f"{prefix}{_side_words(inst, found_terms)}为 {fmt(found)}，"
            f"{_side_words(inst, computed_terms)}为 {fmt(computed)}，相差 {signed(found - computed)}")


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
            items.append(f"{where + ' ' if where else ''}{fmt(f.side(found_terms))} ≠ {fmt(f.side(computed_terms))}")
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
        "checks": checks, "cells": [cell_data(report, table, c) for c in cells],
    }
    if group.suspects:
        suspects = sorted(group.suspects.items(), key=lambda kv: _cell_order(table)(kv[0]))
        anchor = suspects[0][0]
        # the code of the identity whose printed total is the suspect, else the first failure's
        code = next((f.code for f in group.failures if len(f.lhs) == 1 and f.lhs[0][1] in group.suspects),
                    first.code)
        data["suspects"] = [{**cell_data(report, table, c), "consistent_value": fmt(table.value(*c) + d)}
                            for c, d in suspects]
        names = "、".join(f"{cell_name(table, c)}的 {fmt(table.value(*c))}" for c, _ in suspects)
        wanted = "、".join(fmt(table.value(*c) + d) for c, d in suspects)
        message = (f"{table_name(table)}中{names} 与表内其他数字对不上，共有 {len(group.failures)} 处关系不成立："
                   f"{_summary(group.failures)}。若{'该数' if len(suspects) == 1 else '这些数'}为 {wanted}，以上关系全部成立，"
                   f"且不影响其他关系；请首先核对{'这一格' if len(suspects) == 1 else '这一行'}"
                   f"（也可能是其他数字有误，本工具不作更正）{_inferred_note(table, cells)}")
        one = len(suspects) == 1
        names_en = "; ".join(f"{cell_name(table, c, True)} ({fmt(table.value(*c))})" for c, _ in suspects)
        wanted_en = ", ".join(fmt(table.value(*c) + d) for c, d in suspects)
        message_en = (f"{cap(table_name(table, True))}: {names_en} disagree{'s' if one else ''} with the "
                      f"other numbers of the table; {len(group.failures)} relations fail: {_summary(group.failures, True)}. "
                      f"If {'this number were' if one else 'these numbers were'} {wanted_en}, all of them would hold "
                      f"and no other relation would break; check {'this cell' if one else 'this row'} first (another "
                      f"number may be the wrong one; the tool corrects nothing){_inferred_note(table, cells, True)}")
    else:
        anchor = first.anchor
        code = first.code
        if len(group.failures) == 1:
            message = (f"{table_name(table)}{_check_words(first)}。应满足：{_identity_words(first)}"
                       f"{_inferred_note(table, cells)}")
            message_en = (f"{cap(table_name(table, True))}, {_check_words(first, True)}. "
                          f"Expected: {_identity_words(first, True)}{_inferred_note(table, cells, True)}")
        else:
            items, items_en = [], []
            for f in group.failures:
                found_terms, computed_terms = f.found_side
                found, computed = f.side(found_terms), f.side(computed_terms)
                items.append(f"{_where(f)} {fmt(found)} ≠ {fmt(computed)}（相差 {signed(found - computed)}）")
                items_en.append(f"{_where(f, True)} {fmt(found)} ≠ {fmt(computed)} "
                                f"(difference {signed(found - computed)})")
            sides = ""
            if first.ident.text:  # the stated text does not say which side is which
                found_terms, computed_terms = first.found_side
                sides = f"（{_side_words(first, found_terms)} ≠ {_side_words(first, computed_terms)}）"
            message = (f"{table_name(table)}有 {len(group.failures)} 列不满足：{_identity_words(first)}{sides}："
                       f"{'，'.join(items)}{_inferred_note(table, cells)}")
            message_en = (f"{cap(table_name(table, True))}: the relation {_identity_words(first, True)} fails in "
                          f"{len(group.failures)} columns: {'; '.join(items_en)}{_inferred_note(table, cells, True)}")
    value = table.cell(*anchor)
    span = value.span if value and value.span else table.span
    related = [(f"{cell_name(table, c)}", table.cell(*c).span) for c in cells
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
    """All identity findings of the report's tables (the A1xx rules pick theirs),
    worked out once per report."""
    return report.memo("arithmetic.table_findings", lambda: _table_findings(report))


def _table_findings(report: Report) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for tid in sorted(report.tables):
        table = report.tables[tid]
        insts = _instances(table, unreliable(report, table))
        for group in _group(insts, _cell_order(table)):
            out.append(_finding(report, group))
    return out


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
    # the paragraph's lines are Chinese: joined without spaces
    func.__doc__ = func.__doc__.format(basis=_BASIS_T3, grouping="".join(ln.strip() for ln in _GROUPING.splitlines()))
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
    分组：{grouping}
    依据：{basis}。
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
    分组：{grouping}
    依据：表格设计（“总计”行），{basis}。
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
    分组：{grouping}
    依据：表格设计（“总计”列），{basis}。
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
    分组：{grouping}
    依据：表格设计（“总计”列），国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式。
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
    分组：{grouping}
    依据：国办发〔2014〕32号《政府信息公开情况统计表》的设计（数据见模板文件 old-2008 部分）。
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
    分组：{grouping}
    依据：表格设计（小计为分项之和）。
    """
    yield from _pick(report, "A106")


@rule("A107", "table-identity-other", "warning")
def table_identity_other(report: Report):
    """表格中其他通常成立的数量关系不成立（提示）。

    检查什么：模板数据中其余可计算的关系，目前为 2019 年格式表二“对外公开总数量”不小于
    “本年新公开数量”（对外公开总数量是累计数，包含本年新公开的文件）。模板数据中新增的关系
    未注明规则代码（code）时，也由本规则报告。
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
                message, message_en = _run_words(table, problem)
                yield Diagnostic(message, problem.span,
                                 data={"table": table.id, "row": problem.row_id, **problem.data},
                                 message_en=message_en)


# how a broken relation is written between its two sides
_BROKEN = {"==": "≠", ">=": "<", "<=": ">"}


def _run_number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def _run_side(terms, labels: dict[str, str], en: bool) -> str:
    names = [f"“{labels.get(t.name, t.name)}”" for t in terms]
    if len(names) > 3:
        return f"the columns {names[0]} to {names[-1]}" if en else f"{names[0]}至{names[-1]}各列之和"
    return (" + " if en else "＋").join(names)


def _run_reading(values, fails, labels, col_labels, en: bool) -> str:
    """One reading of a run and the relations it breaks: 3 10 0 0 0 0 5（“总计” 5 ≠ …）."""
    parts = []
    for ident, column, left, right in fails:
        where = "" if column is None else (f"column “{col_labels.get(column, column)}”: " if en
                                           else f"“{col_labels.get(column, column)}”列 ")
        parts.append(f"{where}{_run_side(ident.lhs, labels, en)} {_run_number(left)} {_BROKEN[ident.op]} "
                     f"{_run_side(ident.rhs, labels, en)} {_run_number(right)}")
    joined = (", " if en else "，").join(parts)
    return f"{' '.join(values)} ({joined})" if en else f"{' '.join(values)}（{joined}）"


def _run_words(table: TableData, problem) -> tuple[str, str]:
    """A108's zh and en message for a run no reading fits: the row's own relations
    (scope row: terms are its columns) or the table's column relations (scope
    columns: terms are rows, named per column)."""
    defn, data = table.definition, problem.data
    by_row = data["scope"] == "row"
    row_def = defn.row(problem.row_id)
    col_labels = {c.id: c.label for c in defn.columns_for(row_def)} if row_def else {}
    labels = col_labels if by_row else {r.id: r.label for r in defn.rows}
    zh = "；".join(_run_reading(v, f, labels, col_labels, False) for v, f in problem.broken)
    en = "; ".join(_run_reading(v, f, labels, col_labels, True) for v, f in problem.broken)
    head = f"“{problem.label}”一行的数字连在一起（“{data['digits']}”），需拆成 {data['expected_cells']} 个单元格；"
    head_en = (f"The numbers of row “{problem.label}” run together (“{data['digits']}”) and must be split into "
               f"{data['expected_cells']} cells; ")
    n = data["readings"]
    if by_row:
        return (f"{head}{n} 种拆法中没有一种满足本行的合计关系，本行的数字有误（不是读取问题）。最接近的读法：{zh}。请核对原表",
                f"{head_en}none of the {n} ways to split them agrees with the row's totals, so the row's numbers are "
                f"wrong (this is not a reading problem). Closest readings: {en}. Please check the original table")
    return (f"{head}{n} 种符合本行合计的拆法都使表格的列关系不成立，表格数字有误（不是读取问题）。最接近的读法：{zh}。请核对原表",
            f"{head_en}each of the {n} splits that agree with the row's totals breaks a column identity of the "
            f"table, so the table's numbers are wrong (this is not a reading problem). Closest readings: {en}. "
            f"Please check the original table")
