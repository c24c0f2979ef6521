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
``grouping.group_failures``).  The prose rules compare numbers the text states with the
matching cells and with each other (rules/prose.py); value domains and
blanks are rules/domains.py; a run of digits no reading fits (A108) is
rules/digitrun.py.  The messages are in messages/rules/arithmetic.yaml.
"""

from __future__ import annotations

import copy
from typing import Any

from xxgk_lint.linter.model import Diagnostic, Msg, Report, Severity, TableData, msg
from xxgk_lint.linter.registry import rule
from xxgk_lint.rules.cells import (Cell, cell_data, cell_ref, col_label, fmt, row_label, short_label, signed, table_ref,
                                   unreliable)
from xxgk_lint.rules.grouping import Group, Instance, cell_order, group_failures, instances

# An identity the data gives no code lands here (identities.DEFAULT_CODE).
_OTHER = "A107"


# -- words -------------------------------------------------------------------------------------

def _term_names(inst: Instance, terms) -> list[Msg | str]:
    """Names of the terms; all children of one header are named by the header."""
    table = inst.table
    defn = table.definition
    names: list[Msg | str] = []
    cells = [c for _, c in terms]
    key = 0 if inst.per == "column" else 1
    done: set[str] = set()
    for c in cells:
        ident = c[key]
        if inst.per == "column":
            header = _header_of(inst, c, cells)
            if header is not None:
                if header[0] not in done:
                    names.append(msg("arithmetic", "rows_under", label=short_label(header[1])))
                    done.add(header[0])
                continue
            names.append(f"“{row_label(table, ident)}”")
        elif len(cells) == 1:  # a lone total: its full label (行政复议·总计)
            names.append(f"“{col_label(table, ident)}”")
        else:
            row = defn.row(c[0]) or defn.rows[0]
            col = next((cd for cd in defn.columns_for(row) if cd.id == ident), None)
            names.append(f"“{col.label if col else ident}”")
    return names


def _header_of(inst: Instance, cell: Cell, cells: list[Cell]) -> tuple[str, str] | None:
    """The header row (id, label) whose children -- all of them, in this column --
    are among ``cells`` while the header itself is not: they are named by the header."""
    defn = inst.table.definition
    row = defn.row(cell[0])
    parent = defn.row(row.parent) if row and row.parent else None
    if parent is None or parent.kind != "header" or parent.id in {x[0] for x in cells}:
        return None
    children = [r.id for r in defn.rows if r.parent == parent.id]
    return (parent.id, parent.label) if len(children) > 1 and all((ch, cell[1]) in cells for ch in children) else None


def _side_words(inst: Instance, terms) -> Msg:
    names = _term_names(inst, terms)
    return msg("arithmetic", "one_term", name=names[0]) if len(names) == 1 else msg("arithmetic", "sum", names=names)


_OP_WORDS = {"==": msg("arithmetic", "equal"), ">=": msg("arithmetic", "at_least"), "<=": msg("arithmetic", "at_most")}


def _identity_words(inst: Instance) -> Msg:
    """The relation, e.g. '“（七）总计”应等于……之和'.  The template's own wording
    (``text``) is Chinese, so English always spells the relation out."""
    found, computed = inst.found_side
    left, right = (inst.lhs, inst.rhs) if found is inst.rhs else (found, computed)  # the way the data writes it
    sides = {"left": _side_words(inst, left), "op": _OP_WORDS[inst.ident.op], "right": _side_words(inst, right)}
    if inst.ident.text:
        return msg("arithmetic", "relation_stated", text=inst.ident.text, **sides)
    return msg("arithmetic", "relation", **sides)


def _where(inst: Instance) -> Msg | None:
    defn = inst.table.definition
    if inst.per == "column":
        row = defn.row(inst.anchor[0])
        if row is None or len(defn.columns_for(row)) <= 1:
            return None
        return msg("arithmetic", "in_column", column=col_label(inst.table, inst.axis))
    label = row_label(inst.table, inst.axis)
    return msg("arithmetic", "in_row", row=label) if label else None


def _check_data(report: Report, inst: Instance) -> dict:
    found_terms, computed_terms = inst.found_side
    found, computed = inst.side(found_terms), inst.side(computed_terms)
    return {
        "identity": inst.ident.id, "kind": inst.ident.kind, "per": inst.per, "axis": inst.axis,
        "words": _identity_words(inst).render("zh"), "op": inst.ident.op,
        "found": fmt(found), "computed": fmt(computed), "difference": fmt(found - computed),
        "cells": [cell_data(report, inst.table, c) for c in inst.cells],
    }


def _check_words(inst: Instance) -> Msg:
    found_terms, computed_terms = inst.found_side
    found, computed = inst.side(found_terms), inst.side(computed_terms)
    fields = {"found_side": _side_words(inst, found_terms), "found": fmt(found),
              "computed_side": _side_words(inst, computed_terms), "computed": fmt(computed),
              "difference": signed(found - computed)}
    where = _where(inst)
    return msg("arithmetic", "check_at", where=where, **fields) if where else msg("arithmetic", "check", **fields)


def _summary(failures: list[Instance]) -> list[Msg]:
    """Failures by identity: 'words（“自然人”列 25 ≠ 24，“总计”列 25 ≠ 24）'."""
    by_ident: dict[str, list[Instance]] = {}
    for f in failures:
        by_ident.setdefault(f.ident.id, []).append(f)
    parts = []
    for fs in by_ident.values():
        items = []
        for f in fs:
            found_terms, computed_terms = f.found_side
            sides = {"found": fmt(f.side(found_terms)), "computed": fmt(f.side(computed_terms))}
            where = _where(f)
            items.append(msg("arithmetic", "unequal_at", where=where, **sides) if where
                         else msg("arithmetic", "unequal", **sides))
        parts.append(msg("arithmetic", "relation_failures", relation=_identity_words(fs[0]), items=items))
    return parts


def _inferred_note(table: TableData, cells) -> Msg | str:
    if any((v := table.cell(*c)) is not None and v.inferred for c in cells):
        return msg("arithmetic", "inferred")
    return ""


def _finding(report: Report, group: Group) -> Diagnostic:
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
    words: dict[str, Any] = {"table": table_ref(table, capital=True), "note": _inferred_note(table, cells)}
    if group.suspects:
        anchor, code, diag = _suspects_finding(report, group, data, words)
    else:
        anchor, code = first.anchor, first.code
        if len(group.failures) == 1:
            diag = Diagnostic.of(code, "failed", check=_check_words(first), relation=_identity_words(first), **words)
        else:
            diag = _columns_finding(group, code, words)
    value = table.cell(*anchor)
    diag.span = value.span if value and value.span else table.span
    diag.severity, diag.data = severity, data
    diag.related = [(cell_ref(table, c).render("zh"), v.span) for c in cells
                    if c != anchor and (v := table.cell(*c)) is not None and v.span]
    return diag


def _suspects_finding(report: Report, group: Group, data: dict, words: dict[str, Any]) -> tuple[Cell, str, Diagnostic]:
    """The finding naming the likely wrong numbers: its anchor, code and message."""
    table = group.failures[0].table
    suspects = sorted(group.suspects.items(), key=lambda kv: cell_order(table)(kv[0]))
    anchor = suspects[0][0]
    # the code of the identity whose printed total is the suspect, else the first failure's
    code = next((f.code for f in group.failures if len(f.lhs) == 1 and f.lhs[0][1] in group.suspects),
                group.failures[0].code)
    printed = {c: v for f in group.failures for c, v in f.values.items()}  # every suspect takes part in a failure
    data["suspects"] = [{**cell_data(report, table, c), "consistent_value": fmt(printed[c] + d)}
                        for c, d in suspects]
    names = [msg("arithmetic", "suspect", cell=cell_ref(table, c), value=fmt(printed[c])) for c, _ in suspects]
    wanted = [fmt(printed[c] + d) for c, d in suspects]
    diag = Diagnostic.of(code, "suspect" if len(suspects) == 1 else "suspects", names=names,
                         count=len(group.failures), summary=_summary(group.failures), wanted=wanted, **words)
    return anchor, code, diag


def _columns_finding(group: Group, code: str, words: dict[str, Any]) -> Diagnostic:
    """One identity failing in several columns."""
    first = group.failures[0]
    items = []
    for f in group.failures:
        found_terms, computed_terms = f.found_side
        found, computed = f.side(found_terms), f.side(computed_terms)
        items.append(msg("arithmetic", "column_failure", where=_where(f) or "", found=fmt(found),
                         computed=fmt(computed), difference=signed(found - computed)))
    fields: dict[str, Any] = {"count": len(group.failures), "relation": _identity_words(first), "items": items, **words}
    if first.ident.text:  # the stated text does not say which side is which
        found_terms, computed_terms = first.found_side
        return Diagnostic.of(code, "columns_stated", found_side=_side_words(first, found_terms),
                             computed_side=_side_words(first, computed_terms), **fields)
    return Diagnostic.of(code, "columns", **fields)


def table_findings(report: Report) -> list[Diagnostic]:
    """All identity findings of the report's tables (the A1xx rules pick theirs),
    worked out once per report."""
    return report.memo("arithmetic.table_findings", lambda: _table_findings(report))


def _table_findings(report: Report) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for tid in sorted(report.tables):
        table = report.tables[tid]
        insts = instances(table, unreliable(report, table))
        for group in group_failures(insts, cell_order(table)):
            out.append(_finding(report, group))
    return out


def _pick(report: Report, code: str):
    for d in table_findings(report):
        if d.code == code:
            yield copy.copy(d)  # the runner fills in the copy; the memo stays as it was worked out


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
