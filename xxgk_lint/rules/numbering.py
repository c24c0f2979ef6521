"""N: numbering of headings (一、/（一）/1./（1）) and of enumerations in prose
(一是、二是、三是……).

A heading the parser did not recognise (e.g. one run into a paragraph of
flattened web text) would look like a gap; before reporting a gap the rule
looks for the missing number in the text between the two headings and keeps
quiet when it is there.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from xxgk_lint.linter.model import CN_NUM, Diagnostic, Heading, Msg, NText, Report, Section, Severity, cn, cn_number, msg
from xxgk_lint.linter.registry import rule

def level_name(level: int, plural: bool = False) -> Msg:
    """'二级标题（（一））' / 'Level-2 heading (“（一）”)' (plural: 'Level-2 headings ...')."""
    return msg("numbering", f"level{'s' if plural else ''}_{level}")


def marker_text(level: int, n: int) -> str:
    return {1: f"{cn(n)}、", 2: f"（{cn(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


# a heading marker of each level written anywhere; group 1 is its number as written
_ANY_MARKER = {
    1: re.compile(rf"(?<![{CN_NUM}])([{CN_NUM}]+)\s*[、.,]"),
    2: re.compile(rf"[(\[（]\s*([{CN_NUM}]+)\s*[)\]）]"),
    3: re.compile(r"(?<![\d.])(\d+)\s*[.、](?!\d)"),
    4: re.compile(r"[(\[（]\s*(\d+)\s*[)\]）]"),
}


# -- a numbered sequence ------------------------------------------------------------------

@dataclass
class Slip:
    index: int  # position in the sequence
    kind: str  # gap | duplicate | order | restart
    expected: int
    found: int
    previous: int


def sequence_slips(numbers: list[int]) -> list[Slip]:
    """Where a 1, 2, 3 ... sequence goes wrong.  A single mis-numbered item
    (1, 3, 3 or 1, 2, 2, 4) is reported once, as that item, not as a gap and
    then a duplicate."""
    slips: list[Slip] = []
    prev = 0
    for i, n in enumerate(numbers):
        if n == prev + 1:
            prev = n
            continue
        nxt = numbers[i + 1] if i + 1 < len(numbers) else None
        if n == prev:
            kind = "duplicate"
        elif n > prev + 1:
            kind = "gap"
        elif n == 1:
            kind = "restart"
        else:
            kind = "order"
        slips.append(Slip(i, kind, prev + 1, n, prev))
        # a typo for prev + 1 when the next item carries on from there
        prev = prev + 1 if nxt == prev + 2 else n
    return slips


# -- headings -------------------------------------------------------------------------------

_LISTED_MARKER = re.compile(rf"(?:^|[,，;；\s])(?:[{CN_NUM}]{{1,3}}、|[(（][{CN_NUM}]{{1,3}}[)）])")


def _is_contents(heading: Heading) -> bool:
    """A table of contents run into one line ("一、概述,(一)……,二、……") is not a heading."""
    return len(_LISTED_MARKER.findall(heading.line.plain)) >= 3


def _sibling_groups(report: Report):
    """(parent heading or None, [headings of one level under that parent])."""
    parents: list[tuple[Heading | None, list[Section]]] = [(None, report.sections), (None, report.front.children)]
    for top in [report.front, *report.sections]:
        for sec in top.walk():
            if sec.heading is not None and sec.children:
                parents.append((sec.heading, sec.children))
    for parent, children in parents:
        by_level: dict[int, list[Heading]] = {}
        for child in children:
            if child.heading is not None and child.heading.number > 0 and not _is_contents(child.heading):
                by_level.setdefault(child.heading.level, []).append(child.heading)
        for headings in by_level.values():
            yield parent, headings


def _marker_index(report: Report, level: int) -> dict[str, list[int]]:
    """The source offsets where a marker of ``level`` is written, sorted, by
    its number as written ("二", "12")."""
    found: dict[str, set[int]] = {}
    # every line, whatever its kind: a heading the classifier took for a table
    # row or ran into a paragraph is still text between the two headings
    for text in [ln.text for ln in report.lines] + [p.text for p in report.paragraphs()]:
        for m in _ANY_MARKER[level].finditer(text.text):
            found.setdefault(m.group(1), set()).add(text.span(m.start(), m.end()).start)
    return {number: sorted(starts) for number, starts in found.items()}


def _marker_between(index: dict[str, list[int]], level: int, n: int, lo: int, hi: int) -> bool:
    """Is the marker of number ``n`` written anywhere in the source range [lo, hi)?"""
    starts = index.get(cn(n) if level <= 2 else str(n), [])
    i = bisect.bisect_left(starts, lo)
    return i < len(starts) and starts[i] < hi


def _heading_slips(report: Report) -> list[tuple]:
    """(parent, its headings, slip, heading) of each numbering slip, found once
    per report: N101-N103 each report their kind of slip."""
    return report.memo("numbering.heading_slips", lambda: list(_find_heading_slips(report)))


def _find_heading_slips(report: Report):
    indexes: dict[int, dict[str, list[int]]] = {}  # by level, built when a gap needs it
    for parent, headings in _sibling_groups(report):
        for slip in sequence_slips([h.number for h in headings]):
            heading = headings[slip.index]
            if slip.kind == "gap":
                lo = headings[slip.index - 1].marker_span.end if slip.index else (
                    parent.marker_span.end if parent else 0)
                missing = range(slip.previous + 1, slip.found)
                if heading.level not in indexes:
                    indexes[heading.level] = _marker_index(report, heading.level)
                index = indexes[heading.level]
                if any(_marker_between(index, heading.level, k, lo, heading.marker_span.start) for k in missing):
                    continue
            yield parent, headings, slip, heading


def _raw_marker(report: Report, heading: Heading) -> str:
    return report.document.text[heading.marker_span.start:heading.marker_span.end].strip()


def _heading_data(report: Report, heading: Heading, slip: Slip, headings: list[Heading]) -> dict:
    prev = headings[slip.index - 1] if slip.index else None
    return {
        "level": heading.level,
        "expected": marker_text(heading.level, slip.expected),
        "found": _raw_marker(report, heading),
        "previous": _raw_marker(report, prev) if prev else None,
        "previous_line": report.document.line_col(prev.span.start)[0] if prev else None,
        "kind": slip.kind,
    }


def _severity(heading: Heading) -> Severity | None:
    # numbered lists (1. / （1）) are found less reliably than section headings
    return Severity.WARNING if heading.level >= 3 else None


def _missing_sections_gap(report: Report, headings, slip, heading) -> bool:
    """The numbers skipped before a section heading are exactly sections of the
    template the report lacks, and the heading is its template section: S101
    reports that one fact (a missing section), not a numbering slip too."""
    if heading.level != 1 or not report.template.fixed_sections:
        return False
    tsections = report.template.sections
    own = next((s for s in report.sections if s.heading is heading), None)
    if own is None or own.template is None or not 1 <= heading.number <= len(tsections) \
            or tsections[heading.number - 1].no != own.template.no:
        return False
    present = {s.template.no for s in report.sections if s.template}
    first = headings[slip.index - 1].number + 1 if slip.index else 1
    skipped = range(first, heading.number)
    return bool(skipped) and all(tsections[n - 1].no not in present and tsections[n - 1].required for n in skipped)


@rule("N101", "heading-number-gap")
def heading_number_gap(report: Report):
    """同一级标题的序号跳号。

    检查什么：同一上级标题之下、同一级别的标题序号（一、二、三…；（一）（二）（三）…；1. 2. 3.…；
    （1）（2）（3）…）是否从一开始连续编号。跳过某个序号（如从“（一）”直接到“（三）”）即报告。
    若缺少的序号其实写在两个标题之间的正文里（标题与正文连写时），不报告。
    缺少的一级序号正是报告缺少的模板部分（如没有“五、”，“四、”之后是“六、其他需要报告的事项”）时，
    同一件事由 S101 报告，这里不重复报告。
    一、二级标题为错误；三、四级（多为正文中的列表）为警告。
    为什么：跳号说明漏掉了一部分内容或标题，或是删改后没有重新编号，读者会以为内容缺失。
    错误示例：`（三）政府信息管理` → ``；`本局规范政府信息发布审核。` → ``（删去一项后没有重新编号，“（二）”之后直接是“（四）”）
    正确示例：标准报告（第一部分的二级标题依次编号，没有跳号）
    依据：《党政机关公文格式》（GB/T 9704-2012）7.3.3 结构层次序数的规定；
    国办公开办函〔2021〕30号附件格式（四）明确责任（发布内容不准确的追究责任）。
    """
    for _parent, headings, slip, heading in _heading_slips(report):
        if slip.kind != "gap" or _missing_sections_gap(report, headings, slip, heading):
            continue
        raw = _raw_marker(report, heading)
        before = (msg("N101", "after", previous=_raw_marker(report, headings[slip.index - 1]), raw=raw) if slip.index
                  else msg("N101", "first", raw=raw))
        yield Diagnostic.of(
            "N101", "gap", heading.marker_span, level=level_name(heading.level), before=before, raw=raw,
            expected=marker_text(heading.level, slip.expected),
            severity=_severity(heading), data=_heading_data(report, heading, slip, headings))


@rule("N102", "heading-number-duplicate")
def heading_number_duplicate(report: Report):
    """同一级标题的序号重复。

    检查什么：同一上级标题之下、同一级别的两个相邻标题是否用了同一个序号（如两个“（二）”）。
    一、二级标题为错误；三、四级为警告。
    为什么：序号重复多是复制粘贴或增删段落后没有重新编号，读者无法准确引用。
    错误示例：`（三）政府信息管理` → `（二）政府信息管理`（“（二）依申请公开”之后又是“（二）”）
    正确示例：标准报告（第一部分的二级标题依次编号，没有重复）
    依据：《党政机关公文格式》（GB/T 9704-2012）7.3.3 结构层次序数的规定。
    """
    for _parent, headings, slip, heading in _heading_slips(report):
        if slip.kind != "duplicate":
            continue
        yield Diagnostic.of(
            "N102", "duplicate", heading.marker_span, level=level_name(heading.level),
            previous=_raw_marker(report, headings[slip.index - 1]), expected=marker_text(heading.level, slip.expected),
            severity=_severity(heading), data=_heading_data(report, heading, slip, headings))


@rule("N103", "heading-number-order", "warning")
def heading_number_order(report: Report):
    """同一级标题的序号倒退或重新从一开始。

    检查什么：同一上级标题之下、同一级别的标题序号是否倒退（如“（三）”之后是“（二）”），
    或在中途重新从“（一）”开始编号。
    为什么：序号重新开始通常说明漏掉了上一级标题（两组内容被并到了同一部分之下），
    或是拼接稿件时顺序错乱。
    错误示例：`（四）政府信息公开平台建设` → `（一）政府信息公开平台建设`；`（五）监督保障` → `（二）监督保障`（“（三）”之后重新从“（一）”编号，中间没有新的一级标题）
    正确示例：标准报告（同一部分的二级标题连续编号；确是新的一组时，在它之前补上相应的一级标题）
    依据：《党政机关公文格式》（GB/T 9704-2012）7.3.3 结构层次序数的规定。
    """
    for _parent, headings, slip, heading in _heading_slips(report):
        if slip.kind not in ("order", "restart"):
            continue
        yield Diagnostic.of(
            "N103", "restart" if slip.kind == "restart" else "order", heading.marker_span,
            level=level_name(heading.level), previous=_raw_marker(report, headings[slip.index - 1]),
            raw=_raw_marker(report, heading), expected=marker_text(heading.level, slip.expected),
            data=_heading_data(report, heading, slip, headings))


_FULL = "（［"
_HALF = "(["


def _bracket_style(raw: str) -> str | None:
    opening = next((c for c in raw if c in "（［(["), None)
    closing = next((c for c in reversed(raw) if c in "）］)]"), None)
    if opening is None or closing is None:
        return None
    left, right = opening in _FULL, closing in "）］"
    if left and right:
        return "full"
    if not left and not right:
        return "half"
    return "mixed"


@rule("N104", "heading-bracket-width", "warning")
def heading_bracket_width(report: Report):
    """同一级标题的括号全角、半角混用。

    检查什么：带括号的标题序号（（一）、（1））是否全文统一使用全角括号或统一使用半角括号，
    以及同一个序号的左右括号是否一致（如“(一）”左半角右全角）。
    为什么：混用说明稿件由多处拼接而成、没有统一校对；公文序号应使用全角括号。
    错误示例：`（三）政府信息管理` → `(三)政府信息管理`（其余二级标题用全角括号，这一个用半角）
    正确示例：标准报告（二级标题序号统一用全角括号）
    依据：《党政机关公文格式》（GB/T 9704-2012）7.3.3（第二层用“（一）”）。
    """
    by_level: dict[int, list[tuple[Heading, str, str]]] = {}
    for heading in report.headings():
        if heading.level not in (2, 4):
            continue
        raw = _raw_marker(report, heading)
        style = _bracket_style(raw)
        if style == "mixed":
            yield Diagnostic.of("N104", "mixed_pair", heading.marker_span, raw=raw,
                                expected=marker_text(heading.level, heading.number),
                                data={"level": heading.level, "found": raw, "kind": "mixed-pair"})
        elif style:
            by_level.setdefault(heading.level, []).append((heading, raw, style))
    for level, items in sorted(by_level.items()):
        full = [it for it in items if it[2] == "full"]
        half = [it for it in items if it[2] == "half"]
        if not full or not half:
            continue
        minority = full if len(full) < len(half) else half
        if len(full) == len(half):  # no majority: the style that appears second is the odd one
            minority = half if items[0][2] == "full" else full
        lines = {style: [report.document.line_col(h.span.start)[0] for h, _, s in items if s == style]
                 for style in ("full", "half")}
        first, raw, style = minority[0]
        yield Diagnostic.of(
            "N104", "mixed_level", first.marker_span, level=level_name(level, True), full=len(full),
            full_lines=_lines(lines["full"]), half=len(half), half_lines=_lines(lines["half"]), raw=raw,
            data={"level": level, "found": raw, "kind": "mixed-level", "full_lines": lines["full"],
                  "half_lines": lines["half"]})


def _lines(numbers: list[int]) -> Msg:
    """'3、5' (Chinese; the message writes 第…行) or 'lines 3, 5' (English); at most six."""
    return msg("numbering", "lines_more" if len(numbers) > 6 else "lines", numbers=numbers[:6], count=len(numbers))


# -- enumerations (一是、二是……) ------------------------------------------------------------

_ENUM = re.compile(rf"([{CN_NUM}]{{1,2}})是")
# an enumeration marker follows a break: punctuation, a bracket or the start of a line
_BREAK = set(",.;:!?、。，；：！？)）]\"'“”‘’ \t")


@dataclass
class EnumMarker:
    number: int
    start: int  # index into the joined text
    strong: bool  # follows a break (a real list marker, not 统一是/唯一是)


def _section_text(sec: Section) -> tuple[NText, set[int]]:
    """The prose of one section node (its heading's title part and its own
    paragraphs) and the indices where a source line begins."""
    parts: list[NText] = []
    if sec.heading is not None:
        line = sec.heading.line.text
        lo = bisect.bisect_left(line.offsets, sec.heading.marker_span.end)
        hi = bisect.bisect_left(line.offsets, sec.heading.span.end)
        parts.append(line.slice(lo, hi))
    parts.extend(p.text for p in sec.paragraphs)
    # joined in one go (NText + NText in a loop is quadratic; ntext.join would
    # add an offset for each empty separator)
    starts: set[int] = set()
    pos = 0
    for part in parts:
        starts.add(pos)
        pos += len(part.text)
    text = NText("".join(p.text for p in parts), [o for p in parts for o in p.offsets], parts[-1].end if parts else 0)
    return text, starts


def _markers(text: str, starts: set[int]) -> list[EnumMarker]:
    found = []
    for m in _ENUM.finditer(text):
        digits = m.group(1)
        start = m.start()
        if len(digits) == 2 and digits[1] != "十" and not digits.startswith("十"):
            # 二三 etc. is not a number; keep the last digit (…三是)
            start += 1
            digits = digits[1]
        n = cn_number(digits)
        if n == 0:
            continue
        strong = start == 0 or start in starts or text[start - 1] in _BREAK
        found.append(EnumMarker(n, start, strong))
    return found


# a numbered item run into the prose of flattened web text ("……答复。5.加强平台建设一是……")
_INLINE_ITEM = re.compile(rf"(?:^|(?<=[。;:!?；：！？\s]))(?:\d{{1,2}}\s*[.、](?!\d)|[(（]\s*(?:\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*[)）]"
                          rf"|[{CN_NUM}]{{1,3}}、)")


def _enumerations(text: str, markers: list[EnumMarker]) -> list[list[EnumMarker]]:
    """Split the strong markers into runs, each starting at 一是; a numbered
    item between two markers (a heading the parser did not split) ends a run."""
    items = [m.start() for m in _INLINE_ITEM.finditer(text)]
    runs: list[list[EnumMarker]] = []
    for mk in markers:
        if not mk.strong:
            continue
        if runs:
            last = runs[-1][-1].start
            if bisect.bisect_right(items, last) < bisect.bisect_left(items, mk.start):
                runs.append([])
        if mk.number == 1 or not runs:
            runs.append([mk])
        else:
            runs[-1].append(mk)
    return [run for run in runs if run]


@rule("N201", "enumeration-number", "warning")
def enumeration_number(report: Report):
    """正文中“一是、二是、三是”的列举序号重复或跳号。

    检查什么：同一部分（或同一小标题下）的正文中，“一是……二是……三是……”是否连续编号：
    重复（“三是……三是”）、跳号（“一是……三是”）、倒退都会报告。每遇到“一是”视为开始新的一组列举。
    为什么：这类错误多由增删列举项后没有重新编号造成，是审稿时最容易被发现的瑕疵。
    错误示例：`依法做好政府信息公开工作。` → `依法做好政府信息公开工作：一是加强组织领导，二是健全工作制度，三是建立工作机制，三是积极回应社会热点。`
    正确示例：`依法做好政府信息公开工作。` → `依法做好政府信息公开工作：一是加强组织领导，二是健全工作制度，三是建立工作机制，四是积极回应社会热点。`
    依据：国办公开办函〔2021〕30号附件格式（四）明确责任（发布内容不准确的追究责任）；公文校对通行要求。
    """
    for top in [report.front, *report.sections]:
        for sec in top.walk():
            text, starts = _section_text(sec)
            if not text.text:
                continue
            markers = _markers(text.text, starts)
            for run in _enumerations(text.text, markers):
                numbers = [mk.number for mk in run]
                # a run that starts past 一 (the 一是 was written without a break) is not judged
                if numbers[0] != 1:
                    continue
                for slip in sequence_slips(numbers):
                    mk = run[slip.index]
                    if slip.kind == "gap":
                        lo = run[slip.index - 1].start
                        weak = {m.number for m in markers if lo < m.start < mk.start}
                        if set(range(slip.previous + 1, slip.found)) <= weak:
                            continue
                    prev = run[slip.index - 1]
                    found, expected = f"{cn(slip.found)}是", f"{cn(slip.expected)}是"
                    span = text.span(mk.start, mk.start + len(cn(slip.found)) + 1)
                    yield Diagnostic.of(
                        "N201", "order" if slip.kind == "restart" else slip.kind, span,
                        previous=f"{cn(prev.number)}是", found=found, expected=expected,
                        data={"expected": expected, "found": found, "previous": f"{cn(prev.number)}是",
                              "previous_line": report.document.line_col(text.span(prev.start, prev.start + 1).start)[0],
                              "kind": slip.kind, "sequence": [f"{cn(n)}是" for n in numbers]})
