"""A3xx: numbers the prose states, against the tables and against each other.

A301 compares each table quantity the prose states with the cells holding it; A302 adds up the
parts a total lists after 其中; A303 recomputes the percentages the prose prints.  They report
warnings only: prose is read by patterns, never with certainty.  The phrases, the words that put
a sentence off topic and the cells of each quantity are template data
(``rule_data.prose_vocabulary`` and ``prose_targets``, loaded by linter/prosedata.py); how a
sentence is read is rules/prosetext.py.
"""

from __future__ import annotations

import fnmatch
import re
from decimal import Decimal

from xxgk_lint.linter.model import (Diagnostic, Msg, ProseVocabulary, Report, Span, TableData, Target, msg,
                                   vocabulary)
from xxgk_lint.linter.registry import rule
from xxgk_lint.rules.arithmetic import table_findings
from xxgk_lint.rules.cells import (Cell, cell_data, cell_ref, col_label, fmt, number, row_label, short_label, signed,
                                   table_ref, unreliable)
from xxgk_lint.rules.prosetext import (Sentence, item_labels, listed_parts, partition, parts, rate_ok, sentences,
                                      statements)


@rule("A301", "prose-table-mismatch", "warning")
def prose_table_mismatch(report: Report):
    """正文中的数字与表格中对应的数字不一致。

    检查什么：正文明确说出的下列数量与表格对应单元格（“总计”列）比较：
    收到（新收、受理、接收）政府信息公开申请 N 件 → 表三“一、本年新收”；上年结转 N 件 → “二、上年结转”；
    办结 N 件 → “（七）总计”；N 件结转下年度（结转至次年 N 件）→ “四、结转下年度继续办理”；
    予以公开 / 部分公开 / 不予公开 / 无法提供 / 不予处理 / 其他处理 N 件 → 对应结果行（后四项为其下各行之和）；
    行政复议 / 行政诉讼 N 件（起）→ 表四复议总计 / 两类诉讼总计之和；
    本年制发（废止）规范性文件 N 件 → 表二规范性文件的本年制发（新制作）/ 废止件数；
    同一句先写收到申请、再写“自然人 N 件”“法人（或其他组织）N 件” → 表三本年新收的“自然人”列 /
    “法人或其他组织”下各列之和（等于本年新收加上年结转的，也不报告）；
    “未收到政府信息公开申请” → 本年新收为 0；“（申请）全部办结 / 均已办结” → 结转下年度为 0
    （句中提到结转、上年、复议、诉讼或“部分”时不比较）；
    旧版统计表：收到申请、办结、行政复议、行政诉讼、收取费用（换算为万元）。
    各数量的说法与对应单元格见模板数据 rule_data.prose_vocabulary 与 rule_data.prose_targets。
    为了不误报，只在句子明确讲政府信息公开申请时比较（句中有“申请”，且不涉及信件、信访、投诉、
    许可、热线等其他业务），跳过含“同比、较上年、增长、减少”等比较用语或更早年份的分句，
    “予以公开及部分公开 N 件”这类合并口径与两行之和比较，不当作其中一行；合计之后“其中”列出的分项（如“共收到申请3件，
    其中通过网络平台收到申请2件”，括号里的“（其中……）”也是）是合计的一部分，不比较；
    表格该格读取不可靠或未填数字时不比较。
    为什么：正文与表格说法不一，读者无从判断哪个是真的；通常是其中一处未随修改同步。
    错误示例：`本局依法办理政府信息公开申请。` → `本局共收到政府信息公开申请4件。`（表三本年新收为 3 件）
    正确示例：`本局依法办理政府信息公开申请。` → `本局共收到政府信息公开申请3件。`
    依据：条例第五十条（年度报告应当如实报告收到和处理申请的情况）；统一格式表三、表四。
    """
    for st in statements(report):
        key, sent, m = st.quantity.key, st.sentence, st.match
        target = _target_cells(report, key)
        if target is None:
            continue
        table, cells = target
        bad = unreliable(report, table)
        found = _sum(table, cells, bad)
        stated = st.quantity.in_table_unit(st.value, st.unit)
        if stated == found or stated in _also_sums(report, key, table, bad):
            continue
        notes = _notes(report, key, cells, found, stated, bad)
        yield Diagnostic.of(
            "A301", "mismatch", sent.span(m.start(), m.end()), prose=m.group(), table=table_ref(table),
            cells=_cells_name(table, cells), found=fmt(found), quantity_zh=st.quantity.zh, quantity_en=st.quantity.en,
            stated=fmt(stated), difference=signed(stated - found), note=msg("A301", "notes", notes=notes) if notes else "",
            data={"quantity": key, "prose": m.group(), "prose_value": fmt(stated), "table": table.id,
                  "table_value": fmt(found), "difference": fmt(stated - found), "sentence": sent.text,
                  "cells": [cell_data(report, table, c) for c in cells]},
            related=_related(table, cells),
        )


def _notes(report: Report, key: str, cells: list[Cell], found: Decimal, stated: Decimal,
           bad: set[str]) -> list[Msg]:
    """What may explain a mismatch: applications received counted with the carried-over
    ones, or a table cell the other numbers of its table also say is wrong."""
    notes = []
    if key == "received":
        carried = _target_cells(report, "carried_over")
        if carried:
            extra = _sum(carried[0], carried[1], bad)
            if extra and found + extra == stated:
                notes.append(msg("A301", "with_carried_over", found=fmt(found), extra=fmt(extra)))
    for d in table_findings(report):
        for s in d.data.get("suspects", []):
            if (s["row"], s["column"]) in cells and len(cells) == 1 and Decimal(s["consistent_value"]) == stated:
                notes.append(msg("A301", "table_wrong", value=s["consistent_value"]))
    return notes


def _target(report: Report, key: str) -> Target | None:
    """Where this report's tables hold the quantity ``key`` (prose_targets)."""
    return vocabulary(report.templates).target(report.version, key, report.tables)


def _target_cells(report: Report, key: str):
    """(table, cells) holding the quantity, or None when the table cannot give it."""
    target = _target(report, key)
    table = report.tables.get(target.table) if target is not None else None
    if target is None or table is None:
        return None
    bad = unreliable(report, table)
    row_ids = [r.id for r in table.definition.rows if r.kind == "data"
               and any(fnmatch.fnmatchcase(r.id, g) for g in target.rows)]
    cells = [(r, c) for r in row_ids for c in target.columns]
    if not cells or any(number(table, c, bad) is None for c in cells):
        return None
    return table, cells


def _also_sums(report: Report, key: str, table: TableData, bad: set[str]) -> set[Decimal]:
    """Other readings of the prose's number that are not a mismatch (prose_targets' ``also_rows``:
    an applicant split may count the carried-over applications too)."""
    target = _target(report, key)
    if target is None or not target.also_rows:
        return set()
    values = [number(table, (r, c), bad) for r in target.also_rows for c in target.columns]
    known = [v for v in values if v is not None]
    return {sum(known, Decimal(0))} if len(known) == len(values) else set()


def _sum(table: TableData, cells: list[Cell], bad: set[str]) -> Decimal:
    """The sum of cells that hold numbers (_target_cells checked them)."""
    return sum((number(table, c, bad) or Decimal(0) for c in cells), Decimal(0))


def _related(table: TableData, cells: list[Cell]) -> list[tuple[str, Span]]:
    """The cells a prose number was compared with, as a finding's related locations."""
    found = ((cell_ref(table, c).render("zh"), table.cell(*c)) for c in cells)
    return [(name, value.span) for name, value in found if value is not None and value.span is not None]


def _cells_name(table: TableData, cells: list[Cell]) -> Msg:
    """The cells a prose number is compared with: one cell, all the rows under
    one heading row in one column (“（三）不予公开”下各行“总计”列之和), or a list."""
    definition = table.definition
    rows = [definition.row(rid) for rid, _ in cells]
    columns = {cid for _, cid in cells}
    parents = {r.parent for r in rows if r is not None}
    parent_id = next(iter(parents)) if len(parents) == 1 else None
    parent = definition.row(parent_id) if parent_id is not None and len(cells) > 1 and len(columns) == 1 else None
    if parent is not None:
        children = [r.id for r in definition.rows if r.parent == parent.id and r.kind == "data"]
        if children and children == [rid for rid, _ in cells]:
            column = col_label(table, next(iter(columns)))
            return msg("A301", "rows_sum", parent=short_label(parent.label), column=column)
    labels = [col_label(table, cid) for _, cid in cells]
    groups = {label.split("·")[0] for label in labels}
    if len(cells) > 1 and len({rid for rid, _ in cells}) == 1 and len(groups) == 1 and all("·" in x for x in labels):
        # one row, the columns under one heading (“法人或其他组织”)
        row = row_label(table, cells[0][0])
        group = next(iter(groups))
        return msg("A301", "columns_sum", row=row, group=group)
    return msg("A301", "cells", names=[cell_ref(table, c) for c in cells])


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
    vocab = vocabulary(report.templates)
    for sent in sentences(report, "。"):
        text = sent.text
        for m in vocab.total.finditer(text):
            if m.group("approx") or (m.start() > 0 and text[m.start() - 1] in ".0123456789"):
                continue
            items = listed_parts(vocab, text, m, ";；")
            if len(items) < 2 or any(p.group("approx") for p in items):
                continue
            total = Decimal(m.group("n"))
            found = sum((Decimal(p.group("n")) for p in items), Decimal(0))
            if found < total:
                kinds = partition(vocab, item_labels(text, m.end(), items))
                if kinds:
                    yield _short_of_total(vocab, sent, m, items, total, found, kinds)
                continue
            if found == total:
                continue
            # overlapping items: one item as large as the whole, or the same information by several
            # channels ("通过网站公开100条，通过政务新媒体公开120条"; 不同渠道公开相同信息计1条)
            listed = text[m.end():items[-1].end()]
            if any(Decimal(p.group("n")) == total for p in items) or any(w in listed for w in vocab.channels):
                continue
            yield Diagnostic.of(
                "A302", "over", sent.span(m.start("n"), m.end("u")), total=m.group("n"), unit=m.group("u"),
                parts=[p.group() for p in items], sum=fmt(found), part_unit=items[0].group("u"),
                difference=fmt(found - total),
                data={"total": fmt(total), "parts": [p.group("n") for p in items], "sum": fmt(found),
                      "difference": fmt(found - total), "unit": m.group("u"), "sentence": text},
            )


def _short_of_total(vocab: ProseVocabulary, sent: Sentence, m: re.Match, items: list[re.Match], total: Decimal,
                    found: Decimal, kinds: list[str]) -> Diagnostic:
    """The finding for a 其中 list that names every kind of the whole but adds up to less."""
    text = sent.text
    labels = item_labels(text, m.end(), items)
    named = "＋".join(f"{vocab.item_prefix.sub('', lab).strip()}{p.group()}"
                      for lab, p in zip(labels, items, strict=True))
    return Diagnostic.of(
        "A302", "short", sent.span(m.start("n"), m.end("u")), total=m.group("n"), unit=m.group("u"), named=named,
        parts=[p.group() for p in items], kinds=kinds, sum=fmt(found), part_unit=items[0].group("u"),
        difference=fmt(total - found),
        data={"total": fmt(total), "parts": [p.group("n") for p in items], "sum": fmt(found),
              "difference": fmt(found - total), "unit": m.group("u"), "sentence": text, "partition": kinds},
        related=[(p.group(), sent.span(p.start(), p.end())) for p in items],
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
    vocab = vocabulary(report.templates)
    for sent in sentences(report, "。"):
        yield from _rate_findings(vocab, sent)
        yield from _share_findings(vocab, sent)


def _rate_findings(vocab: ProseVocabulary, sent: Sentence):
    """办结率 against the applications received and closed that the sentence states before it."""
    text = sent.text
    closed_re = vocab.quantities["closed"].patterns[0]
    carried_re = vocab.quantities["carried_over"].patterns[0]
    for rate in vocab.rate.finditer(text):
        received = [m for m in vocab.rate_received.finditer(text) if m.start() < rate.start()]
        closed = [m for m in closed_re.finditer(text) if m.start() < rate.start()]
        if len(received) != 1 or len(closed) != 1:
            continue
        n, c = Decimal(received[0].group("n")), Decimal(closed[0].group("n"))
        carried = [Decimal(m.group("n")) for m in carried_re.finditer(text)]
        bases = [n] + ([n + carried[0]] if len(carried) == 1 else [])
        if n == 0 or any(rate_ok(c, b, rate.group("p")) for b in bases if b):
            continue
        yield Diagnostic.of(
            "A303", "rate", sent.span(rate.start(), rate.end()), rate=rate.group(), closed=str(c), received=str(n),
            computed=fmt((c * 100 / n).quantize(Decimal("0.01"))),
            data={"printed": rate.group("p"), "numerator": fmt(c), "denominator": fmt(n),
                  "computed": fmt((c * 100 / n).quantize(Decimal("0.0001"))), "sentence": text},
        )


def _share_findings(vocab: ProseVocabulary, sent: Sentence):
    """“占 X%” after an item of a 其中 list against the item and the total."""
    text = sent.text
    for m in vocab.total.finditer(text):
        if m.group("approx"):
            continue
        total = Decimal(m.group("n"))
        if total == 0:
            continue
        for part in parts(vocab, text, m.end(), bool(m.group("open")), m.group("u"), ""):
            share = vocab.share.match(text, part.end())
            if not share or part.group("approx") or rate_ok(Decimal(part.group("n")), total, share.group("p")):
                continue
            computed = Decimal(part.group("n")) * 100 / total
            yield Diagnostic.of(
                "A303", "share", sent.span(share.start("p"), share.end()), part=part.group(), printed=share.group("p"),
                total=m.group("n"), unit=m.group("u"), part_n=part.group("n"),
                computed=fmt(computed.quantize(Decimal("0.01"))),
                data={"printed": share.group("p"), "numerator": part.group("n"), "denominator": m.group("n"),
                      "computed": fmt(computed.quantize(Decimal("0.0001"))), "sentence": text},
            )
