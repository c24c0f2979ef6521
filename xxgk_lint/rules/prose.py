"""A3xx: numbers the prose states, against the tables and against each other.

They report warnings only: prose is read by patterns, never with certainty.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from xxgk_lint.linter.model import Diagnostic, Report, TableData, rule_data
from xxgk_lint.linter.registry import rule
from xxgk_lint.rules.arithmetic import table_findings
from xxgk_lint.rules.cells import (Cell, cell_data, cell_name, col_label, fmt, number, row_label, short_label, signed,
                                   table_name, unreliable)

_CACHE: dict[str, tuple] = {}

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
    targets = rule_data(report).get("prose_targets", {}).get("gb" if report.template.uniform_format else "old", {}).get(key)
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
    bad = unreliable(report, table)
    row_ids = [r.id for r in table.definition.rows if r.kind == "data"
               and any(fnmatch.fnmatchcase(r.id, g) for g in row_globs)]
    cells = [(r, c) for r in row_ids for c in cols]
    if not cells or any(number(table, c, bad) is None for c in cells):
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
    values = [number(table, c, bad) for c in cells]
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
            column = col_label(table, next(iter(columns)))
            if en:
                return f"the sum of the rows under “{short_label(parent.label)}”, column “{column}”"
            return f"“{short_label(parent.label)}”下各行“{column}”列之和"
    labels = [col_label(table, cid) for _, cid in cells]
    groups = {label.split("·")[0] for label in labels}
    if len(cells) > 1 and len({rid for rid, _ in cells}) == 1 and len(groups) == 1 and all("·" in x for x in labels):
        # one row, the columns under one heading (“法人或其他组织”)
        row = row_label(table, cells[0][0])
        group = next(iter(groups))
        if en:
            return f"the sum of the columns under “{group}”, row “{row}”"
        return f"“{row}”行“{group}”下各列之和"
    return (" + " if en else "＋").join(cell_name(table, c, en) for c in cells)


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
        bad = unreliable(report, table)
        found = sum((number(table, c, bad) for c in cells), Decimal(0))
        stated = value / 10000 if unit == "元" else value
        if stated == found or stated in _also_sums(report, key, table, bad):
            continue
        what = _PROSE_RE[key][0]
        cell_names = _cells_name(table, cells)
        notes, notes_en = [], []
        if key == "received":
            carried = _target_cells(report, "carried_over")
            if carried:
                extra = sum((number(carried[0], c, bad) for c in carried[1]), Decimal(0))
                if extra and found + extra == stated:
                    notes.append(f"正文的数字等于本年新收加上年结转（{fmt(found)}＋{fmt(extra)}），可能把上年结转的申请也算作本年收到")
                    notes_en.append(f"the prose number is new applications plus those carried over from the previous "
                                    f"year ({fmt(found)} + {fmt(extra)}); the carried-over applications may have "
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
            f"正文“{m.group()}”与{table_name(table)}{cell_names}{'' if cell_names.endswith('之和') else '的'} "
            f"{fmt(found)} 不一致"
            f"（{what}：正文 {fmt(stated)}，表格 {fmt(found)}，相差 {signed(stated - found)}）"
            + (f"。{note}" if note else ""),
            span,
            data={"quantity": key, "prose": m.group(), "prose_value": fmt(stated), "table": table.id,
                  "table_value": fmt(found), "difference": fmt(stated - found), "sentence": sent.text,
                  "cells": [cell_data(report, table, c) for c in cells]},
            related=[(cell_name(table, c), table.cell(*c).span) for c in cells],
            message_en=f"Prose “{m.group()}” disagrees with {table_name(table, True)}, "
                       f"{_cells_name(table, cells, True)} ({_PROSE_EN[key]}: prose "
                       f"{fmt(stated)}, table {fmt(found)}, difference {signed(stated - found)})"
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
                f"正文写合计 {m.group('n')}{m.group('u')}，其中各项 {items} ＝ {fmt(found)}{parts[0].group('u')}，"
                f"超过合计 {fmt(found - total)}{m.group('u')}；合计或分项有误",
                span,
                data={"total": fmt(total), "parts": [p.group("n") for p in parts], "sum": fmt(found),
                      "difference": fmt(found - total), "unit": m.group("u"), "sentence": text},
                message_en=f"The prose gives a total of “{m.group('n')}{m.group('u')}”, but its parts "
                           f"{' + '.join(f'“{p.group()}”' for p in parts)} add up to {fmt(found)}, "
                           f"{fmt(found - total)} more than the total; the total or a part is wrong",
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
        f"正文写合计 {m.group('n')}{m.group('u')}，其中 {items} ＝ {fmt(found)}{parts[0].group('u')}，"
        f"比合计少 {fmt(total - found)}；这几项（{kinds}）已包括全部类别，合计或分项有误",
        span,
        data={"total": fmt(total), "parts": [p.group("n") for p in parts], "sum": fmt(found),
              "difference": fmt(found - total), "unit": m.group("u"), "sentence": text, "partition": partition},
        related=[(p.group(), sent.para.text.span(sent.start + p.start(), sent.start + p.end())) for p in parts],
        message_en=f"The prose gives a total of “{m.group('n')}{m.group('u')}”, but its parts "
                   f"{' + '.join(f'“{p.group()}”' for p in parts)}, which cover every kind "
                   f"({', '.join(f'“{k}”' for k in partition)}), "
                   f"add up to {fmt(found)}, {fmt(total - found)} less than the total; the total or a part is wrong",
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
                f"正文“{rate.group()}”与同句的数字不符：办结 {c} 件 ÷ 收到 {n} 件 ＝ {fmt((c * 100 / n).quantize(Decimal('0.01')))}%",
                span,
                data={"printed": rate.group("p"), "numerator": fmt(c), "denominator": fmt(n),
                      "computed": fmt((c * 100 / n).quantize(Decimal("0.0001"))), "sentence": text},
                message_en=f"Prose “{rate.group()}” does not match the numbers of the same sentence: {c} closed ÷ "
                           f"{n} received = {fmt((c * 100 / n).quantize(Decimal('0.01')))}%",
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
                    f"{part.group('n')} ÷ {m.group('n')} ＝ {fmt(computed.quantize(Decimal('0.01')))}%",
                    span,
                    data={"printed": share.group("p"), "numerator": part.group("n"), "denominator": m.group("n"),
                          "computed": fmt(computed.quantize(Decimal("0.0001"))), "sentence": text},
                    message_en=f"Prose “{part.group()}，占{share.group('p')}%” does not match the total "
                               f"“{m.group('n')}{m.group('u')}”: {part.group('n')} ÷ {m.group('n')} = "
                               f"{fmt(computed.quantize(Decimal('0.01')))}%",
                )
