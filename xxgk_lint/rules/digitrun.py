"""A108: a row of digits run together that no way of splitting fits.

The table reader (linter/digitruns.py) tries every way to cut such a run into
the row's cells; when none agrees with the row's totals, or each that does
breaks a column relation of the table, it records the closest readings and the
relations each breaks (``ReadProblem.broken``).  This rule words them.
"""

from __future__ import annotations


from xxgk_lint.linter.model import Diagnostic, Msg, ReadProblem, Report, TableData, msg
from xxgk_lint.linter.registry import rule


@rule("A108", "digit-run-inconsistent")
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
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式，表三左上角注“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”。
    """
    for table in report.tables.values():
        for problem in table.problems:
            if problem.kind == "inconsistent-run":
                yield _finding(table, problem)


# how a broken relation is written between its two sides
_BROKEN = {"==": "≠", ">=": "<", "<=": ">"}


def _finding(table: TableData, problem: ReadProblem) -> Diagnostic:
    """The row's own relations (scope row: terms are its columns) or the table's
    column relations (scope columns: terms are rows, named per column)."""
    defn, data = table.definition, problem.data
    by_row = data["scope"] == "row"
    row_def = defn.row(problem.row_id)
    col_labels = {c.id: c.label for c in defn.columns_for(row_def)} if row_def else {}
    labels = col_labels if by_row else {r.id: r.label for r in defn.rows}
    readings = [_reading(values, fails, labels, col_labels) for values, fails in problem.broken]
    return Diagnostic.of("A108", "row" if by_row else "columns", problem.span, label=problem.label,
                         digits=data["digits"], cells=data["expected_cells"], n=data["readings"], readings=readings,
                         data={"table": table.id, "row": problem.row_id, **data})


def _reading(values: list[str], fails, labels: dict[str, str], col_labels: dict[str, str]) -> Msg:
    """One reading of a run and the relations it breaks: 3 10 0 0 0 0 5（“总计” 5 ≠ …）."""
    parts = []
    for ident, column, left, right in fails:
        sides = {"lhs": _side(ident.lhs, labels), "left": left, "op": _BROKEN[ident.op],
                 "rhs": _side(ident.rhs, labels), "right": right}
        parts.append(msg("A108", "broken", **sides) if column is None
                     else msg("A108", "broken_in_column", column=col_labels.get(column, column), **sides))
    return msg("A108", "reading", values=" ".join(values), parts=parts)


def _side(terms, labels: dict[str, str]) -> Msg:
    names = [f"“{labels.get(t.name, t.name)}”" for t in terms]
    if len(names) > 3:
        return msg("A108", "columns_from_to", first=names[0], last=names[-1])
    return msg("A108", "sum", names=names)
