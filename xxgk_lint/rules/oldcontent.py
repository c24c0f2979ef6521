"""C106 and S106: what the pre-2019 regulation requires a report to contain,
and the number of parts the preamble announces.

Old-format reports (2008条例 era) have no prescribed sections, so C106 looks
for each item of 2008条例第三十二条 anywhere in the report -- a section, a
sentence inside another section, a 统计表 label -- in the wording listed in the
template data (rule_data.old_required_content).  S106 compares "本报告由……等
六部分组成" with the numbered sections, on every template version, and only
when both numbers are certain.
"""

from __future__ import annotations

import functools
import re

from xxgk_lint.linter.model import (Diagnostic, Heading, Report, Section, Severity, Span, cn, cn_number, doc_start,
                                     join_texts, msg, rule_data)
from xxgk_lint.linter.registry import rule

_SPACE = re.compile(r"\s+")
_SHORT_TITLE = 30  # a heading title longer than this (or with 。) has body text run on after it


@functools.lru_cache(maxsize=None)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def _is_short(heading: Heading) -> bool:
    """A heading that is only a title (not a flattened line with body text run on)."""
    title = heading.title
    return len(_squeeze(title)) <= _SHORT_TITLE and "。" not in title


def _has_content(sec: Section) -> bool:
    return bool(sec.paragraphs or sec.children or sec.table_lines)


def _texts(report: Report) -> tuple[str, str]:
    """(all text, text without short headings), whitespace removed: the
    first for items a heading may name, the second for statements."""
    # top-level titles name a topic ("五、存在的主要问题及改进情况"); sub-headings such as
    # "（一）公开内容不够全面" are often the statements themselves, so they stay
    short = {id(top.heading.line) for top in report.sections if top.heading is not None and _is_short(top.heading)}
    lines = [ln for ln in report.lines if ln.kind not in ("BLANK", "FURNITURE")]
    every = "".join(_squeeze(ln.plain) for ln in lines)
    statements = "".join(_squeeze(ln.plain) for ln in lines if id(ln) not in short)
    return every, statements


def _covered_by_heading(report: Report, part: dict) -> bool:
    heading, unless = part.get("heading"), part.get("heading_unless")
    if not heading:
        return False
    for top in report.sections:
        for sec in top.walk():
            if sec.heading is None or not _has_content(sec):
                continue
            title = _squeeze(sec.heading.title)[:_SHORT_TITLE]
            if _regex(heading).search(title) and not (unless and _regex(unless).search(title)):
                return True
    return False


def _covered_by_section_body(report: Report, part: dict) -> bool:
    """A section titled for the item (also a mixed title such as "存在的主要问题及下步打算")
    whose own text uses the item's wording ("加强学习", "进一步提高"): words too common
    elsewhere in a report to count on their own."""
    heading, words = part.get("section_heading"), part.get("section_patterns")
    if not heading or not words:
        return False
    for top in report.sections:
        for sec in top.walk():
            if sec.heading is None:
                continue
            if _regex(heading).search(_squeeze(sec.heading.title)[:_SHORT_TITLE]) and \
                    any(_regex(w).search(_squeeze(sec.body_text())) for w in words):
                return True
    return False


def _covered(report: Report, part: dict, texts: tuple[str, str]) -> bool:
    text = texts[0] if part.get("headings", True) else texts[1]
    if part.get("topic"):
        text = _regex(part["topic"]).sub("|", text)
    if any(_regex(p).search(text) for p in part["patterns"]):
        return True
    return _covered_by_heading(report, part) or _covered_by_section_body(report, part)


def _anchor(report: Report, pattern: str | None) -> tuple[Span, str, bool]:
    """(span, heading as printed, whether it matched ``pattern``): the first
    top-level section whose title matches, else the last one."""
    tops = [s.heading for s in report.sections if s.heading is not None]
    if pattern:
        for heading in tops:
            if _regex(pattern).search(_squeeze(heading.title)[:_SHORT_TITLE]):
                return heading.span, _printed(heading), True
    if tops:
        return tops[-1].span, _printed(tops[-1]), False
    return doc_start(report), "", False


_TITLE_END = re.compile(r"^(.{4,20}?)(?=[\d,，.。:：;；!！?？]|$)")


def _printed(heading: Heading) -> str:
    """The heading as printed; of a flattened line (body text run on after
    the title) only the title, cut where the run-on text starts."""
    title = _squeeze(heading.title)
    if not _is_short(heading):
        m = _TITLE_END.match(title)
        title = (m.group(1) if m else title[:20]) + "…"
    return f"{heading.marker.strip()}{title}"


def _traditional(report: Report) -> bool:
    """A copy in traditional characters (mirror sites convert reports): the
    word lists are simplified, so nothing they miss is missing."""
    data = rule_data(report)["traditional_script"]
    markers, least = data["markers"], data["least"]
    if not markers:
        return False
    found = 0
    for line in report.lines:
        found += sum(line.plain.count(ch) for ch in markers)
        if found >= least:
            return True
    return False


@rule("C106", "old-required-content", "warning")
def old_required_content(report: Report):
    """2019年以前的报告没有写条例（2008年）第三十二条要求的某项内容。

    检查什么：按旧格式（2018年度及以前）编写的报告，逐项查找2008年条例第三十二条要求报告的内容：
    （一）主动公开政府信息的情况；（二）依申请公开政府信息的情况（写“未收到申请”也算）；
    （三）政府信息公开的收费及减免情况（写“未收取任何费用”“没有收费”也算，统计表有“依申请公开信息
    收取的费用”一行、填0也算）；（四）因政府信息公开申请行政复议、提起行政诉讼的情况（写“未发生……
    行政复议……诉讼”也算，复议和诉讼分别查找）；（五）存在的主要问题及改进情况（问题和改进分别查找：
    只有“下一步工作计划”、没有一句说明问题的，报告缺少问题；只有“存在的主要问题”标题而内容全是计划的，
    同样报告缺少问题）。在全文任何位置（单独一部分、其他部分中的一句话、统计表的行名）找到常见说法即算
    写了，说法清单见模板数据 rule_data.old_required_content。第（六）项“其他需要报告的事项”没有必写内容，不检查。
    报告指向最可能容纳这项内容的部分标题，没有这样的部分时指向报告最后一部分。繁体字转写的报告（镜像网站常见）
    不检查：说法清单是简体的。
    为什么：2008年条例第三十二条规定年度报告“应当包括”这些内容；乡镇、街道的简短报告常常整项漏写
    （尤其是收费及减免、行政复议和行政诉讼、存在的问题）。用语千差万别，按用语查找难免有例外，只作警告。
    错误示例：`示例市示例局2023年` → `示例市示例局2018年`；`本年度未收取信息处理费。` → `无。`（2018年度报告全文没有一句话说明收费及减免情况）
    正确示例：`示例市示例局2023年` → `示例市示例局2018年`（第六部分写“本年度未收取信息处理费。”，其余各项也都写了）
    依据：《中华人民共和国政府信息公开条例》（国务院令第492号，2008年施行）第三十二条。
    """
    if report.template.uniform_format or _traditional(report):
        return
    items = rule_data(report)["old_required_content"]
    texts = _texts(report)
    count = len([s for s in report.sections if s.heading is not None])
    for item in items:
        for part in item["parts"]:
            if _covered(report, part, texts):
                continue
            span, heading, matched = _anchor(report, part.get("anchor", item.get("anchor")))
            if matched:
                where = msg("C106", "under", heading=heading)
            elif heading:
                where = msg("C106", "no_part", count=count, heading=heading)
            else:
                where = msg("C106", "unnumbered")
            whole = item["text"]
            what = (msg("C106", "what_whole", content=whole) if len(item["parts"]) == 1
                    else msg("C106", "what_part", content=whole, name=part["name"]))
            yield Diagnostic.of(
                "C106", "missing", span, item=item["item"], item_no=cn_number(item["item"].strip("（）()")), what=what,
                searched=part["searched"], content=whole, part=part["id"], where=where, severity=Severity.WARNING,
                data={"item": item["item"], "content": whole, "part": part["id"], "anchor": heading})


def _preamble_count(report: Report):
    """(n, span of the number, sentence, whether it names a table part) from
    the preamble, or None when no sentence there states the number of parts.
    The preamble's lines are joined first: PDF text breaks "等六\n部分组成"."""
    data = rule_data(report)["preamble_part_count"]
    paras = [p.text for p in report.front.all_paragraphs()]
    if not paras:
        return None
    count_re, subject_re = _regex(data["count"]), _regex(data["subject"])
    verb_re, table_re = _regex(data["verb"]), _regex(data["table_part"])
    text = join_texts(paras, "")
    start = 0
    for sentence in re.split(r"(?<=[。；;])", text.text):
        begin, start = start, start + len(sentence)
        for m in count_re.finditer(sentence):
            before = sentence[:m.start()]
            if not subject_re.search(before) or not verb_re.search(sentence):
                continue
            raw = m.group("n")
            n = 2 if raw == "两" else cn_number(raw)
            if n <= 1 or (not raw.isdigit() and raw != "两" and cn(n) != raw):
                continue  # not a numeral read with certainty
            # the words around the number, as the message quotes them
            lo, hi = max(0, m.start() - 30), min(len(sentence), m.end() + 4)
            quote = ("…" if lo else "") + _squeeze(sentence[lo:hi]) + ("…" if hi < len(sentence.rstrip("。；;")) else "")
            return (n, text.span(begin + m.start("n"), begin + m.end("n")), quote, bool(table_re.search(sentence)))
    return None


@rule("S106", "preamble-part-count", "warning")
def preamble_part_count(report: Report):
    """报告开头说报告由几个部分组成，与正文的部分数不符。

    检查什么：报告开头（第一部分之前）如有“本报告由……等六部分组成”“全文包括……五个部分”一类的句子，
    把其中的部分数与正文一级标题（一、二、三……）的个数比较。只在两个数都确定时报告：数字能准确读出，
    且正文一级标题从“一、”起连续编号、没有缺号重号（缺号重号由 N101、N102 报告）。开头列出的部分中
    有统计表（附表）的，统计表可以不编号，正文少一个部分也不报告；正文分“第一部分”“第二部分”、
    部分之内再编“一、二、”的，不比较。各版本格式的报告都检查；2019年及以后的
    报告开头说六个部分（即模板的六部分）而正文不是六个部分的，由 S101、S105 对照模板报告缺少或多出的部分，本规则不重复报告。
    为什么：开头的概述与正文不一致，多半是删改了部分而没有改开头，或照抄了其他报告的开头。
    错误示例：`本报告根据《中华人民共和国政府信息公开条例》编制。` → `本报告根据《中华人民共和国政府信息公开条例》编制，由总体情况、主动公开政府信息情况等五个部分组成。`（正文有六个部分）
    正确示例：`本报告根据《中华人民共和国政府信息公开条例》编制。` → `本报告根据《中华人民共和国政府信息公开条例》编制，由总体情况、主动公开政府信息情况等六个部分组成。`
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式（六个部分）；2008年条例第三十二条；报告自身的前后一致。
    """
    tops = [s.heading for s in report.sections if s.heading is not None and s.heading.level == 1]
    numbers = [h.number for h in tops]
    if not numbers or numbers != list(range(1, len(numbers) + 1)) or len(tops) != len(report.sections):
        return
    found = _preamble_count(report)
    if found is None:
        return
    part_re = rule_data(report)["preamble_part_count"].get("part_headings")
    if part_re and any(_regex(part_re).search(ln.plain) for ln in report.text_lines()):
        return  # "第一部分……第二部分": the 一、二、 sections are numbered within a part
    stated, span, sentence, names_table = found
    fixed = report.template.sections if report.template.fixed_sections else []
    if fixed and stated == len(fixed):
        return  # the preamble names the template's parts: S101/S105 judge the body against the template
    body = len(numbers)
    if stated == body or (names_table and stated == body + 1):
        return
    last = _printed(tops[-1])
    yield Diagnostic.of("S106", "count", span, stated=stated, sentence=sentence, body=body, last_no=cn(body), last=last,
                        severity=Severity.WARNING, data={"stated": stated, "found": body, "last_section": last},
                        related=[("最后一部分", tops[-1].span)])
