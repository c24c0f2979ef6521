"""Facts stated in the text: title, report year, agency, statistics period,
publication date and the numbers stated in prose -- each with its span."""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from .model import Fact, Line, Period, StatedNumber

SOURCE_NAMES = {"title": "标题", "period": "统计期限", "body": "正文", "option": "命令行/配置", "meta": "页面信息",
                "signature": "落款"}

# the report years taken from the text (as --year accepts): an absurd year never reaches date arithmetic
YEARS = range(2000, 2101)
_TITLE_YEAR = re.compile(r"(\d{4})\s*年\s*度?")
_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_PERIOD_WORDS = r"(?:统计期限|统计时限|统计期间|统计时间|统计周期|统计区间|数据统计|统计范围|时间范围)"
# "自2023年1月1日起至2023年12月31日止", "为2023年1月至12月" (a month without its day: its first or last day)
_PERIOD = re.compile(
    _PERIOD_WORDS + r"[^。;\n]{0,20}?(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?"
    + r"[^。;\n\d]{0,12}?(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?"
)
# "统计期限为2023年度" / "2023年全年": the whole year
_PERIOD_YEAR = re.compile(_PERIOD_WORDS + r"[^。;\n\d]{0,10}?(\d{4})\s*年\s*(?:度|全年)(?!\s*\d{1,2}\s*月)")
_PUBLISHED_META = re.compile(r"^(?:发布时间|发布日期|公开日期|成文日期)\s*:\s*(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})")
_SIGNATURE_DATE = re.compile(r"^\s*" + _DATE + r"\s*$")
_AGENCY_TAIL = re.compile(r"\s*(?:\d{4}\s*年\s*度?)?\s*政府信息公开.*$")
# (?<!\d): a number starts where its digits start -- trying every position inside
# a long run of digits that has no unit after it was quadratic (issue 13)
_STATED = re.compile(
    r"(?<!\d)(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<approx>余|多)?\s*(?P<unit>万元|元|件|条|个|次|篇|人次|人|项|%|期)"
)


def _title_lines(lines: list[Line]) -> list[Line]:
    return [ln for ln in lines if ln.kind == "TITLE"]


def find_title(lines: list[Line]) -> Fact | None:
    titles = _title_lines(lines)
    if titles:
        from .diagnostics import Span

        text = "".join(ln.plain.strip() for ln in titles)
        return Fact(text, Span.cover([ln.text.span() for ln in titles]), "title")
    for ln in lines:
        if ln.kind == "META" and re.match(r"^标题\s*:", ln.plain):
            value = ln.plain.split(":", 1)[1].strip()
            if value:
                start = ln.plain.index(value)
                return Fact(value, ln.text.span(start, start + len(value)), "meta")
    return None


def find_year(title: Fact | None, lines: list[Line], override: int | None) -> Fact | None:
    if override is not None:
        return Fact(override, None, "option")
    if title is not None:
        m = _TITLE_YEAR.search(str(title.value))
        if m and int(m.group(1)) in YEARS:
            return Fact(int(m.group(1)), title.span, title.source)
    period = find_period(lines)
    if period and period.start and period.start.year in YEARS:
        return Fact(period.start.year, period.span, "period")
    # the year most often written in the body as "2020年"
    counts: Counter[int] = Counter()
    first_span = {}
    for ln in lines:
        if ln.kind not in ("PARA", "H1", "H2", "H3", "H4"):
            continue
        for m in re.finditer(r"(\d{4})\s*年", ln.plain):
            y = int(m.group(1))
            if y in YEARS:
                counts[y] += 1
                first_span.setdefault(y, ln.text.span(m.start(), m.end()))
    if counts:
        y, _ = counts.most_common(1)[0]
        return Fact(y, first_span[y], "body")
    return None


def find_agency(title: Fact | None, lines: list[Line]) -> Fact | None:
    if title is not None:
        name = re.sub(r"^\s*(?:关于)?\s*\d{4}\s*年\s*度?\s*", "", str(title.value))
        name = _AGENCY_TAIL.sub("", name).strip()
        name = re.sub(r"^关于|(?:关于|的)$", "", name)
        if 2 <= len(name) <= 40:
            return Fact(name, title.span, title.source)
    for ln in lines:
        if ln.kind == "META" and re.match(r"^(发布机构|发文机关|单位)\s*:", ln.plain):
            value = ln.plain.split(":", 1)[1].strip()
            if value:
                start = ln.plain.index(value)
                return Fact(value, ln.text.span(start, start + len(value)), "meta")
    # the signature: the body's name on the line above the closing date
    tail = [ln for ln in lines if ln.kind not in ("BLANK", "FURNITURE")][-6:]
    for above, ln in zip(tail, tail[1:]):
        name = above.plain.strip()
        if (_SIGNATURE_DATE.match(ln.plain) and 2 <= len(name) <= 30 and above.kind in ("PARA", "TITLE")
                and not re.search(r"[\d。,，;；:：、()（）]", name)):
            start = above.plain.index(name)
            return Fact(name, above.text.span(start, start + len(name)), "signature")
    return None


def _date(y: str, m: str, d: str) -> _dt.date | None:
    try:
        return _dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_period(lines: list[Line]) -> Period | None:
    """The statement of the statistics period; PDF text may wrap it over two
    lines, so each line is searched together with the next one."""
    prose = [ln for ln in lines if ln.kind not in ("BLANK", "FURNITURE", "TROW")]
    for n, ln in enumerate(prose):
        text = ln.text
        if n + 1 < len(prose) and not ln.plain.endswith("。"):
            text = text + prose[n + 1].text
        m = _PERIOD.search(text.text)
        if m and m.start() < len(ln.plain):
            y1, m1, d1, y2, m2, d2 = m.groups()
            start = _date(y1, m1, d1 or "1")
            end = _date(y2 or y1, m2, d2 or str(_last_day(y2 or y1, m2)))
            return Period(start, end, text.span(m.start(), m.end()), m.group())
        m = _PERIOD_YEAR.search(text.text)
        if m and m.start() < len(ln.plain):
            year = int(m.group(1))
            return Period(_dt.date(year, 1, 1), _dt.date(year, 12, 31), text.span(m.start(), m.end()), m.group())
    return None


def _last_day(year: str, month: str) -> int:
    """The month's last day (31 for a month that does not exist: _date() rejects it)."""
    y, mo = int(year), int(month)
    return calendar.monthrange(y, mo)[1] if 1 <= mo <= 12 and 1 <= y <= 9999 else 31


def find_publication_date(lines: list[Line]) -> Fact | None:
    for ln in lines:
        if ln.kind == "META":
            m = _PUBLISHED_META.match(ln.plain)
            if m:
                d = _date(*m.groups())
                if d:
                    return Fact(d, ln.text.span(m.start(1), m.end(3)), "meta")
    # without a page date, the signature date is the publication date
    return find_signature_date(lines)


def find_signature_date(lines: list[Line]) -> Fact | None:
    """The date alone on one of the last lines (落款), even when the page also gives a
    publication date: it is a fact of the report itself."""
    tail = [ln for ln in lines if ln.kind not in ("BLANK", "FURNITURE")][-6:]
    for ln in reversed(tail):
        m = _SIGNATURE_DATE.match(ln.plain)
        if m:
            d = _date(*m.groups())
            if d:
                return Fact(d, ln.text.span(m.start(1), m.end()), "body")
    return None


BODY_KINDS = ("department", "government", "township")


def infer_body_kind(name: str, data: dict) -> str | None:
    """department | government | township | None from the agency's name: the longest
    suffix of the name listed under a kind in ``rule_data.body_kinds`` decides
    (管理委员会 is a government though 委员会 is a department; 实验区 is unknown
    though 区 is a government)."""
    name = re.sub(r"[\s（）()]", "", name or "")
    name = re.sub(r"^\d{4}年度?", "", name)  # "2019年上海市人民政府办公厅" (title word order)
    if not name:
        return None
    best, kind = 0, None
    for candidate, suffixes in data.get("body_kinds", {}).items():
        for suffix in suffixes or ():
            if len(suffix) > best and name.endswith(suffix):
                best, kind = len(suffix), candidate
    return kind if kind in BODY_KINDS else None


def find_body_kind(agency: Fact | None, data: dict) -> Fact | None:
    """The kind of body the agency name says, with the name's span; None without a name."""
    if agency is None:
        return None
    return Fact(infer_body_kind(str(agency.value), data), agency.span, agency.source)


def stated_numbers(report) -> list[StatedNumber]:
    out: list[StatedNumber] = []
    for para in report.paragraphs():
        text = para.text.text
        for m in _STATED.finditer(text):
            raw = m.group("num")
            try:
                value = Decimal(raw.replace(",", ""))
            except InvalidOperation:
                continue
            # skip years and dates ("2020年", "12月31日")
            clause_start = max(text.rfind(c, 0, m.start()) for c in "。;,，；")
            clause_end_candidates = [i for i in (text.find(c, m.end()) for c in "。;,，；") if i != -1]
            clause_end = min(clause_end_candidates) if clause_end_candidates else len(text)
            context = text[clause_start + 1:clause_end]
            out.append(StatedNumber(value, raw, m.group("unit"), para.text.span(m.start(), m.end()), context))
    return out
