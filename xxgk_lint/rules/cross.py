"""X: checks across reports -- this year's report against the same body's
report for the year before (``report.previous``, set by the runner when the
run has it or ``--previous`` names it).

The identities are the template's cross-year ones (``cross_year: true`` in the
data, ``code: X101``), parsed at template load; the engine (linter/identities.py)
says where each is evaluated: per column when they name rows (table 3:
上年结转 = last year's 结转下年度), per row when they name columns (table 2).
"""

from __future__ import annotations

import re
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any, NamedTuple

from xxgk_lint.linter.model import CellValue, Diagnostic, Msg, Report, Severity, Span, holds, msg
from xxgk_lint.linter.registry import rule


def _identities(prev: Report, table):
    """The table's cross-year identities (parsed at template load), with last year's table."""
    prev_table = prev.tables.get(table.id)
    if prev_table is None:
        return
    for parsed in table.definition.identity_set.cross_year:
        yield parsed, prev_table


class _Term(NamedTuple):
    """One cell of an instance of a cross-year identity, with a number and a place."""

    left: bool  # on the identity's left-hand side
    term: Any  # the identity's term (sign, name, previous)
    row_id: str
    col_id: str
    cell: CellValue
    value: Decimal
    span: Span


def _terms(table, prev_table, parsed, address, unreliable: set[str]) -> list[_Term] | None:
    """The cells of one instance of the identity; None when one of them holds no number
    or sits in a row the table reader could not read reliably."""
    terms = []
    for side in (parsed.lhs, parsed.rhs):
        for term in side:
            row_id, col_id = address(term.name)
            cell = (prev_table if term.previous else table).cell(row_id, col_id)
            if cell is None or cell.value is None or cell.span is None or row_id in unreliable:
                return None
            terms.append(_Term(side is parsed.lhs, term, row_id, col_id, cell, cell.value, cell.span))
    return terms


def _label(table, row_id: str, col_id: str) -> Msg | str:
    row = table.definition.row(row_id)
    if not row:
        return col_id
    return msg("X101", "row_column", row=row.label, column=table.definition.column_label(col_id))


@rule("X101", "cross-year-identity", "warning")
def cross_year_identity(report: Report):
    """与上一年度报告衔接的数字不一致（上年结转、现行有效件数等）。

    检查什么：同一机关相邻两年的报告之间，模板隐含的衔接关系：
    本年“二、上年结转政府信息公开申请数量” = 上一年“四、结转下年度继续办理”（每一列）；
    2021 年格式表二：本年现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数；
    2019 年格式表二：本年“上一年项目数量” = 上年“上一年项目数量” + 上年“本年增/减”。
    旧版统计表中带“本年度”“历年累计”两列的地方格式：本年“历年累计” = 上年“历年累计” + 本年“本年度”（每一行）。
    为什么：上年结转的申请就是上一年报告结转到下一年的申请；两份报告对不上，至少有一份是错的。
    机构调整、文件修订重发等情况可能使个别关系合理地不成立，所以这是警告。
    错误示例：上年报告 `四、结转下年度继续办理 0 0 0 0 0 0 0` → `四、结转下年度继续办理 3 0 0 0 0 0 3`（2022 年报告结转下年度 3 件，2023 年报告上年结转仍填 0）
    正确示例：上年报告 `四、结转下年度继续办理 0 0 0 0 0 0 0` → `四、结转下年度继续办理 3 0 0 0 0 0 3`；`二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0` → `二、上年结转政府信息公开申请数量 3 0 0 0 0 0 3`（两份报告衔接：结转的 3 件计入本年上年结转）
    依据：国办公开办函〔2021〕30号附件格式表三、表二的行列含义。
    需要：用 --previous 指定上一年度报告，或在同一次检查中给出同一机关相邻年度的报告。
    """
    prev = report.previous
    if prev is None:
        return
    for table in report.tables.values():
        for parsed, prev_table in _identities(prev, table):
            unreliable = table.unreliable_rows() | prev_table.unreliable_rows()
            for _axis, address in parsed.pairs(table.rows):
                terms = _terms(table, prev_table, parsed, address, unreliable)
                if terms is None:
                    continue
                left = sum(t.term.sign * t.value for t in terms if t.left)
                right = sum(t.term.sign * t.value for t in terms if not t.left)
                if holds(parsed.op, left, right):
                    continue
                anchor = next(t for t in terms if t.left and not t.term.previous)
                parts = [msg("X101", "cell", report=msg("X101", "previous_report" if t.term.previous else "this_report"),
                             label=_label(table, t.row_id, t.col_id), value=t.cell.raw)
                         for t in terms]
                data = {
                    "identity": parsed.id, "table": table.id, "found": str(left), "expected": str(right),
                    "difference": str(left - right), "previous_report": prev.path,
                    "cells": [{"report": "previous" if t.term.previous else "this", "row": t.row_id,
                               "column": t.col_id, "value": t.cell.raw,
                               "line": (prev if t.term.previous else report).document.line_col(t.span.start)[0]}
                              for t in terms],
                }
                yield Diagnostic.of("X101", "broken", anchor.span, severity=Severity.WARNING, data=data,
                                    previous=prev.path, cells=parts, expected=str(right), found=str(left),
                                    difference=str(left - right))


# Sections longer than this are compared sentence by sentence: comparing
# characters is quadratic (about a second at 20,000 characters a side).
_CHAR_LIMIT = 20000
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?\n]*|[。；;！!？?\n]+")


def _similarity(now_text: str, old_text: str) -> tuple[float, str] | None:
    """(similarity, the start of the longest passage in common) when the two
    texts are at least 90% alike, else None."""
    chars = SequenceMatcher(None, now_text, old_text, autojunk=False)
    if chars.real_quick_ratio() < 0.9 or chars.quick_ratio() < 0.9:
        return None
    if max(len(now_text), len(old_text)) <= _CHAR_LIMIT:
        ratio = chars.ratio()
        if ratio < 0.9:
            return None
        longest = max(chars.get_matching_blocks(), key=lambda b: b.size)
        return ratio, now_text[longest.a:longest.a + min(longest.size, 60)]
    now, old = _SENTENCE.findall(now_text), _SENTENCE.findall(old_text)
    blocks = [b for b in SequenceMatcher(None, now, old, autojunk=False).get_matching_blocks() if b.size]
    sizes = [sum(len(x) for x in now[b.a:b.a + b.size]) for b in blocks]
    ratio = 2 * sum(sizes) / (len(now_text) + len(old_text))
    if ratio < 0.9:
        return None
    longest = blocks[sizes.index(max(sizes))]
    start = sum(len(x) for x in now[:longest.a])
    return ratio, now_text[start:start + min(max(sizes), 60)]


@rule("X102", "copied-from-last-year", "warning")
def copied_from_last_year(report: Report):
    """某一部分的文字与上一年度报告几乎相同（内容雷同）。

    检查什么：把本报告每一部分的正文与上一年度报告的同一部分比较，文字相似度达到 90%
    以上（且超过 100 字）时报告，给出相似度和相同的段落开头。超过两万字的部分逐句比较
    （一句中有改动即算不同）。
    为什么：2021 年格式的说明明确要求避免“内容雷同、敷衍塞责”，照抄上一年的报告会被追究责任。
    错误示例：`存在的主要问题是政策解读形式较为单一。改进措施是丰富解读形式，提高解读质量。` → `存在的主要问题：一是政府信息公开工作人员业务能力有待提高，对条例的理解不够深入；二是政务新媒体信息发布不够及时。改进措施：下一步，本局将加强业务培训，提高工作人员依法公开的能力；规范政务新媒体管理，及时准确发布政府信息。`（第五部分照抄了上年报告的第五部分）
    正确示例：标准报告（第五部分写的是本年度的问题和改进措施，与上年报告不同）
    依据：国办公开办函〔2021〕30号（四）明确责任；条例第四十七条。
    """
    prev = report.previous
    if prev is None:
        return
    for sec in report.sections:
        if sec.template is None or sec.heading is None:
            continue
        old = prev.section(sec.template.no)
        if old is None:
            continue
        now_text, old_text = sec.body_text(), old.body_text()
        if len(now_text) < 100 or len(old_text) < 100:
            continue
        similar = _similarity(now_text, old_text)
        if similar is None:
            continue
        ratio, passage = similar
        yield Diagnostic.of(
            "X102", "copied", sec.heading.span, heading=f"{sec.heading.marker}{sec.heading.title}",
            previous=prev.path, ratio=ratio, passage=passage,
            data={"section": sec.template.no, "similarity": round(ratio, 3), "previous_report": prev.path,
                  "passage": passage},
        )


@rule("X103", "previous-report-mismatch", "warning")
def previous_report_mismatch(report: Report):
    """给出的上一年度报告不是同一机关的上一年。

    检查什么：作为“上一年度报告”比对的文件，其机关名称应与本报告相同，年度应正好早一年。
    为什么：拿错了文件，跨年度比对的结论就没有意义。
    错误示例：上年报告 `示例市示例局2022年` → `示例市示例局2021年`（检查 2023 年报告时，给出的“上一年度报告”是 2021 年的；给成其他机关的报告也会报告）
    正确示例：标准报告（上年报告是同一机关 2022 年的报告）
    依据：条例第四十九条（每年公布上一年度的报告）。
    """
    prev = report.previous
    if prev is None:
        return
    problems = []
    if report.report_year and prev.report_year and prev.report_year != report.report_year - 1:
        problems.append(msg("X103", "year", found=prev.report_year, expected=report.report_year - 1))
    if report.agency and prev.agency and report.agency.value != prev.agency.value:
        problems.append(msg("X103", "agency", found=prev.agency.value, expected=report.agency.value))
    if problems:
        span = report.title.span if report.title else None
        yield Diagnostic.of("X103", "mismatch", span, previous=prev.path, problems=problems,
                            data={"previous_report": prev.path, "previous_year": prev.report_year,
                                  "previous_agency": prev.agency.value if prev.agency else None})
