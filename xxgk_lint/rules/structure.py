"""S: the structure the mandated template prescribes -- title, the six
sections in order with their titles, and the tables with their rows.

Old-format (pre-2019) reports have no fixed sections; they are checked against
their own template (the 统计表 rows), never against gb2019/gb2021.
"""

from __future__ import annotations

from xxgk_lint.linter.model import (Diagnostic, Heading, ReadProblem, Report, SectionDef, Severity, Span, doc_start,
                                     fold_key, msg, rule_data)
from xxgk_lint.linter.registry import rule


def _template_sections(report: Report):
    return report.template.sections if report.template.fixed_sections else []


@rule("S001", "title-missing", "warning")
def title_missing(report: Report):
    """报告缺少标题。

    检查什么：正文之前是否有“××××年（度）政府信息公开工作年度报告”形式的标题。
    为什么：标题写明机关和年度，是读者和上级主管部门识别报告的依据；缺少标题也无法核对年度。
    错误示例：`示例市示例局2023年政府信息公开工作年度报告` → `示例市示例局`（只剩机关名，没有报告标题）
    正确示例：标准报告
    依据：《中华人民共和国政府信息公开工作年度报告格式》；条例第四十九条（每年公布本机关上一年度报告）。
    """
    if report.title is None:
        yield Diagnostic.of("S001", "missing", doc_start(report))


@rule("S101", "section-missing")
def section_missing(report: Report):
    """缺少模板规定的部分。

    检查什么：2019 年及以后的报告必须依次包含六个部分：一、总体情况；二、主动公开政府信息情况；
    三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；
    五、存在的主要问题及改进情况；六、其他需要报告的事项。
    为什么：条例第五十条规定了年度报告的内容，统一格式把它们固定为这六部分，缺一不可。
    错误示例：`五、存在的主要问题及改进情况` → `存在的主要问题及改进情况`（去掉编号后这一部分并入了第四部分）
    正确示例：标准报告
    依据：条例第五十条；国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式。
    """
    present = {s.template.no for s in report.sections if s.template}
    order = [s.no for s in _template_sections(report)]
    for n, tsec in enumerate(_template_sections(report)):
        if tsec.no in present or not tsec.required:
            continue
        later = [s.heading for s in report.sections if s.template and s.template.no in order[n + 1:] and s.heading]
        where = later[0].span if later else (report.sections[-1].span if report.sections else doc_start(report))
        if not later and report.sections:
            where = Span(where.end, where.end)
        hint = (msg("S101", "before", heading=f"{later[0].marker}{later[0].title}") if later
                else msg("S101", "at_end"))
        yield Diagnostic.of("S101", "missing", where, no=tsec.no, title=tsec.title, hint=hint,
                            data={"expected": tsec.title, "section": tsec.no})


def _longest_ordered(indices: list[int]) -> set[int]:
    """Positions (into ``indices``) of a longest strictly increasing subsequence."""
    best: list[list[int]] = []
    for pos, value in enumerate(indices):
        cands = [seq for seq in best if indices[seq[-1]] < value]
        seq = (max(cands, key=len) if cands else []) + [pos]
        best.append(seq)
    if not best:
        return set()
    longest: list[int] = max(best, key=len)
    return set(longest)


@rule("S102", "section-order")
def section_order(report: Report):
    """各部分的顺序与模板不符。

    检查什么：六个部分是否按一、二、三、四、五、六的顺序出现。
    为什么：统一格式规定了顺序，便于对照阅读和汇总；顺序颠倒通常是拼接稿件时出错。
    错误示例：`二、主动公开政府信息情况` → `五、存在的主要问题及改进情况`（第五部分出现在第三部分之前）
    正确示例：标准报告
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式。
    """
    order = [s.no for s in _template_sections(report)]
    # each template section at its first heading
    unique: list[tuple[Heading, SectionDef]] = []
    for sec in report.sections:
        if sec.template and sec.heading and all(t.no != sec.template.no for _, t in unique):
            unique.append((sec.heading, sec.template))
    indices = [order.index(t.no) for _, t in unique]
    keep = _longest_ordered(indices)
    for pos, (heading, tsec) in enumerate(unique):
        if pos in keep:
            continue
        after = [unique[p][1] for p in sorted(keep) if indices[p] < indices[pos]]
        before = next((unique[p][1] for p in sorted(keep) if indices[p] > indices[pos]), None)
        if after:
            where = msg("S102", "after", title=after[-1].title)
        else:
            where = msg("S102", "before", title=before.title) if before else msg("S102", "further")
        yield Diagnostic.of("S102", "order", heading.span, heading=f"{heading.marker}{heading.title}",
                            no=tsec.no, where=where,
                            data={"section": tsec.no, "expected_order": order})


@rule("S103", "section-duplicate")
def section_duplicate(report: Report):
    """同一部分出现了两次。

    检查什么：模板的同一部分（如“二、主动公开政府信息情况”）是否重复出现。
    为什么：重复的标题多由复制粘贴造成，读者无法判断哪一处内容有效。
    错误示例：`六、其他需要报告的事项` → `六、其他需要报告的事项\\n无。\\n六、其他需要报告的事项`
    正确示例：标准报告
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式。
    """
    seen: dict[str, Heading] = {}
    for sec in report.sections:
        if not sec.template or not sec.heading:
            continue
        first = seen.get(sec.template.no)
        if first is None:
            seen[sec.template.no] = sec.heading
            continue
        line, _ = report.document.line_col(first.span.start)
        yield Diagnostic.of("S103", "duplicate", sec.heading.span, no=sec.template.no, title=sec.template.title,
                            line=line, data={"section": sec.template.no, "first_line": line})


@rule("S104", "section-title", "warning")
def section_title(report: Report):
    """部分标题与模板规定的文字不一致。

    检查什么：各部分标题是否与统一格式的文字一致（全角半角、空格不计）。
    为什么：统一格式规定了标题文字；改写标题（哪怕只差一两个字）会让汇总和比对出错。
    错误示例：`五、存在的主要问题及改进情况` → `五、存在的问题及改进情况`
    正确示例：标准报告
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式。
    """
    for sec in report.sections:
        if not sec.template or not sec.heading:
            continue
        expected = sec.template.bare_title
        if fold_key(sec.heading.title) != fold_key(expected):
            yield Diagnostic.of("S104", "title", sec.heading.span, found=f"{sec.heading.marker}{sec.heading.title}",
                                expected=sec.template.title,
                                data={"found": sec.heading.title, "expected": sec.template.title})


@rule("S105", "section-unexpected", "warning")
def section_unexpected(report: Report):
    """出现了模板之外的一级标题。

    检查什么：“一、”级标题是否都对应模板的六个部分之一。
    为什么：模板之外的一级部分通常是旧格式的遗留或标题写错，应并入相应部分（例如把下一年的计划写进“五、存在的主要问题及改进情况”）。
    错误示例：`六、其他需要报告的事项` → `七、下一步工作计划\\n加强培训。\\n六、其他需要报告的事项`
    正确示例：标准报告
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式。
    """
    if not report.template.fixed_sections:
        return
    for sec in report.sections:
        if sec.template is None and sec.heading:
            yield Diagnostic.of("S105", "unexpected", sec.heading.span,
                                heading=f"{sec.heading.marker}{sec.heading.title}", data={"found": sec.heading.title})


@rule("S201", "table-missing")
def table_missing(report: Report):
    """缺少模板规定的表格。

    检查什么：第二、三、四部分是否分别有主动公开情况表、申请情况表（含勾稽关系说明）和
    行政复议行政诉讼情况表。
    该部分的文字中能找到表格的大部分行标签时，表格不算缺少，由 E011 报告表格未能读取。
    为什么：这三张表是统一格式的核心统计内容，缺表就无法汇总。
    错误示例：`行政复议 行政诉讼` → ``；`结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉` → ``；`结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计` → ``；`0 0 0 0 0 0 0 0 0 0 0 0 0 0 0` → `本年度未发生行政复议、行政诉讼。`（第四部分只有一句话，没有表格）
    正确示例：标准报告
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式。
    """
    if not report.template.fixed_sections:
        return
    for tsec in report.template.sections:
        for tid in tsec.tables:
            if tid in report.tables or report.table_labels_in_text(tid):
                continue  # there, only not read: E011 says so
            sec = report.section(tsec.no)
            where = sec.heading.span if sec and sec.heading else doc_start(report)
            yield Diagnostic.of("S201", "missing", where, no=tsec.no, title=tsec.title,
                                data={"table": tid, "section": tsec.no})


def _row_severity(report: Report, table) -> Severity | None:
    # a table whose wording is not confirmed by an official copy (the old 统计表, known from
    # one report only): warn, do not fail
    return Severity.WARNING if table.definition.confidence != "high" else None


@rule("S202", "table-row-missing")
def table_row_missing(report: Report):
    """表格缺少模板规定的行（或行标签无法识别）。

    检查什么：表格的每一个数据行（如“（四）无法提供”下的三行）是否都在，且按模板顺序。
    部门（按机关名称判断，或配置 body-kind 指定）的报告缺少“规章”一行时为警告并说明原因：
    地方人民政府的部门无权制定规章，该行只能填 0（见模板数据 rule_data.rows_not_for_body_kind）。
    为什么：少了一行，合计就无从核对；行标签改写后也无法确定数字的含义。没有数据的行也要保留，填 0。
    错误示例：`2.重复申请 0 0 0 0 0 0 0` → ``（申请情况表缺少“2.重复申请”一行）
    正确示例：标准报告
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式。
    """
    not_for_body = {(r["table"], r["row"]): r for r in rule_data(report)["rows_not_for_body_kind"]}
    for table in report.tables.values():
        found = [r for r in table.definition.rows if r.id in table.rows]
        for row_id in table.missing_rows:
            excused = not_for_body.get((table.id, row_id))
            if excused is not None and excused.get("body_kind") == report.body_kind:
                yield from _row_not_for_body(report, table, row_id, excused)
                continue
            row = table.definition.row(row_id)
            if row is None:  # missing_rows are the definition's own rows
                continue
            index = table.definition.rows.index(row)
            following = [r for r in table.definition.rows[index + 1:] if r.id in table.rows]
            where = table.rows[following[0].id].label_span if following else (
                table.rows[found[-1].id].span if found else table.span)
            label = msg("S202", "row_named", label=row.label) if row.label else msg("S202", "row_unnamed")
            yield Diagnostic.of("S202", "missing", where, row=label, severity=_row_severity(report, table),
                                data={"table": table.id, "row": row_id, "expected_label": row.label})


def _row_not_for_body(report: Report, table, row_id: str, excused: dict):
    """A missing row the body could never fill (a department's 规章): a warning saying why."""
    row = table.definition.row(row_id)
    if row is None:  # missing_rows are the definition's own rows
        return
    index = table.definition.rows.index(row)
    following = [r for r in table.definition.rows[index + 1:] if r.id in table.rows]
    where = table.rows[following[0].id].label_span if following else table.span
    reason = excused.get("reason", "")
    agency = msg("S202", "agency_named", name=report.agency.value) if report.agency else msg("S202", "agency_self")
    yield Diagnostic.of("S202", "not_for_body", where, label=row.label, agency=agency, reason=reason,
                        severity=Severity.WARNING,
                        data={"table": table.id, "row": row_id, "expected_label": row.label,
                              "body_kind": report.body_kind, "reason": reason})


@rule("S203", "table-row-cells")
def table_row_cells(report: Report):
    """表格某一行的单元格数量与模板不符。

    检查什么：每个数据行的数值单元格个数是否等于模板的列数（申请情况表 7 列，
    行政复议行政诉讼情况表 15 列……）。
    为什么：多一格或少一格，数字就会错位到别的列，所有合计都失去意义。
    错误示例：`（七）总计 3 0 0 0 0 0 3` → `（七）总计 3 0 0 0 0 0 0 3`（8 个数，多了一格）
    正确示例：标准报告
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式。
    """
    for table in report.tables.values():
        for problem in table.problems:
            if problem.kind in ("short-row", "extra-cells", "extra-cells-resolved"):
                severity = Severity.WARNING if problem.kind == "extra-cells-resolved" else _row_severity(report, table)
                yield Diagnostic.of("S203", problem.kind, problem.span, severity=severity,
                                    data={"table": table.id, "row": problem.row_id, **problem.data},
                                    **_row_cells_fields(problem))


def _row_cells_fields(problem: ReadProblem) -> dict:
    """The message fields of a row whose cells the table reader counted (the message id is its kind)."""
    return {"label": problem.label, "found": len(problem.data["found"]), "need": problem.data["expected_cells"]}
