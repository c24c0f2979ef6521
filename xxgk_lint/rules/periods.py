"""P: the statistics period, the report year written across the report, and
the publication date against the legal deadline.

The report year is the year of the title (or the one given on the command
line); other statements of the year are compared with it.  Prose mentions
other years legitimately ("比2018年增长", "2021年工作计划"), so only
statements that name the report itself, the table captions and paragraph
openings are compared.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re

from xxgk_lint.linter.model import Diagnostic, Msg, Report, Severity, doc_start, msg, rule_data
from xxgk_lint.linter.registry import rule

# where the report year came from (``report.year.source``)
_SOURCE_NAMES = {"title": msg("periods", "source_title"), "meta": msg("periods", "source_meta"),
                 "period": msg("periods", "source_period"), "option": msg("periods", "source_option"),
                 "body": msg("periods", "source_body")}
# years we trust enough to compare other statements with
_FIRM_SOURCES = ("title", "meta", "option", "period")

_YEAR = r"(?<!\d)((?:19|20)\d{2})\s*年"
_SENTENCE_END = "。;；!?！？"
_CLAUSE_END = _SENTENCE_END + ",，"
_OPENING = re.compile(r"^\s*" + _YEAR + r"\s*度?\s*[,，]")


def _table_year_patterns(report: Report) -> list[re.Pattern]:
    """A year before a table caption of the template data ("2020年度……政府信息公开情况统计表") or
    before a column heading that follows the year (rule_data.year_column_headings: "2020年度 历年累计")."""
    captions = {t.caption for v in report.templates.versions.values() for t in v.tables.values() if t.caption}
    headings = rule_data(report).get("year_column_headings", [])
    out = [re.compile(_YEAR + r"\s*度?\s*[^\d。,;]{0,30}?" + re.escape(c)) for c in sorted(captions)]
    if headings:
        out.append(re.compile(_YEAR + r"\s*度?\s*(?=" + "|".join(re.escape(h) for h in headings) + ")"))
    return out


def _year_source(report: Report) -> Msg | str:
    if report.year is None:
        return ""
    source = report.year.source
    return _SOURCE_NAMES.get(source) or msg("periods", "source_other", source=source)


def _fmt(d: _dt.date | None) -> Msg:
    if d is None:
        return msg("periods", "invalid_date")
    return msg("periods", "date", year=d.year, month=d.month, day=d.day, iso=d.isoformat())


def _date_source(source: str) -> Msg:
    """What a date of the report is: its signature (落款) or the page's publication date."""
    return msg("periods", "signature_date" if source == "body" else "page_date")


@rule("P101", "period-wrong")
def period_wrong(report: Report):
    """统计期限不是报告年度的1月1日至12月31日。

    检查什么：前言中“本报告中数据的统计期限自××××年1月1日起至××××年12月31日止”所写的起止日期，
    是否正好是报告年度（标题中的年份）的1月1日和12月31日。起止日期不在年初年末、跨两个年度、
    或写成另一个年度，都是错误；日期本身不存在（如2月30日）也是错误。
    为什么：年度报告报告的是上一个完整的自然年度；统计期限写错，表中数字的口径就不明，
    写成上一年多半是照抄上年报告时漏改。
    错误示例：`统计期限自2023年1月1日起至2023年12月31日止` → `统计期限自2022年1月1日起至2022年12月31日止`（标题为2023年度报告，统计期限却是2022年）
    正确示例：标准报告（前言写“统计期限自2023年1月1日起至2023年12月31日止”）
    依据：条例第四十九条（每年公布本机关上一年度的政府信息公开工作年度报告）；2008年条例第三十一条。
    """
    period = report.period
    if period is None:
        return
    if period.start is None or period.end is None:
        yield Diagnostic.of("P101", "invalid", period.span, period=period.raw,
                            data={"found": period.raw, "problem": "invalid-date"})
        return
    year = report.report_year
    if year is None or report.year is None or report.year.source not in _FIRM_SOURCES:
        year = period.start.year
    expected = (_dt.date(year, 1, 1), _dt.date(year, 12, 31))
    if (period.start, period.end) == expected:
        return
    problems = _period_problems(period.start, period.end, year)
    where = msg("P101", "year_from", year=year, source=_year_source(report)) if report.year else ""
    yield Diagnostic.of(
        "P101", "wrong", period.span, start=_fmt(period.start), end=_fmt(period.end), problems=problems,
        expected_start=_fmt(expected[0]), expected_end=_fmt(expected[1]), where=where,
        data={"expected": {"start": expected[0].isoformat(), "end": expected[1].isoformat()},
              "found": {"start": period.start.isoformat(), "end": period.end.isoformat()},
              "year": year, "year_source": report.year.source if report.year else None,
              "problems": [p.render("zh") for p in problems]})


def _period_problems(start: _dt.date, end: _dt.date, year: int) -> list[Msg]:
    """What is wrong with a statistics period that is not the report year's 1 January to 31 December."""
    problems = []
    if start.year != end.year:
        problems.append(msg("P101", "two_years"))
    if year not in (start.year, end.year):
        problems.append(msg("P101", "other_year", found=start.year, year=year))
    if (start.month, start.day) != (1, 1):
        problems.append(msg("P101", "start_day"))
    if (end.month, end.day) != (12, 31):
        problems.append(msg("P101", "end_day"))
    if not problems:  # e.g. both dates right but a year off on one side
        problems.append(msg("P101", "not_report_year"))
    return problems


@rule("P102", "period-missing", "warning")
def period_missing(report: Report):
    """报告没有写明统计期限。

    检查什么：报告中是否有“统计期限（时限）自××××年1月1日起至××××年12月31日止”一类的说明。
    为什么：两种统一格式都没有规定这句话，但几乎所有报告都在前言写明统计期限，
    读者据此判断表中数字的口径；缺少这句话时本工具也无法核对统计期限。
    错误示例：`报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。` → ``（前言只剩“本报告根据《中华人民共和国政府信息公开条例》编制。”）
    正确示例：标准报告（前言写“报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。”）
    依据：条例第四十九条（报告上一年度的工作）；各地年度报告的通行写法。
    """
    if report.period is None and any(True for _ in report.text_lines()):
        yield Diagnostic.of("P102", "missing", doc_start(report), data={"expected_year": report.report_year})


def _front_paragraphs(report: Report):
    return list(report.front.all_paragraphs())


def _outside_brackets(text: str, pos: int) -> bool:
    """True when ``pos`` is not inside 《》 (a cited document's own title)."""
    return text.rfind("《", 0, pos) <= text.rfind("》", 0, pos)


@functools.lru_cache(maxsize=4)
def _patterns(self_name: str, self_cues: tuple[str, ...], others: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return (re.compile(_YEAR + self_name), re.compile("|".join(map(re.escape, self_cues))),
            re.compile("|".join(map(re.escape, others))))


def _statement_patterns(report: Report) -> tuple[re.Pattern, ...]:
    """From rule_data.report_year_statements: the report naming itself after a year
    ("现公布……2020年政府信息公开工作年度报告"); the words of a sentence where the report
    names itself; the words of a clause about another report ("针对2022年度……报告中指出的问题")."""
    data = rule_data(report)["report_year_statements"]
    return _patterns(data["self_name"], tuple(data["self_cues"]), tuple(data["other_report_cues"]))


def _names_this_report(report: Report, text: str, start: int, end: int) -> bool:
    """Does the sentence around text[start:end] name the report itself, and
    not, in the clause before it, another report (last year's)?"""
    sentence_start = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    ends = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i != -1]
    sentence = text[sentence_start:min(ends) if ends else len(text)]
    clause_start = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    _, self_cue, other_report = _statement_patterns(report)
    return bool(self_cue.search(sentence)) and not other_report.search(text[clause_start:start])


def _year_statements(report: Report):
    """(year, span, where, sentence) for statements where the report year is meant."""
    period_span = report.period.span if report.period else None
    for para in _front_paragraphs(report):
        text = para.text.text
        for m in _statement_patterns(report)[0].finditer(text):
            span = para.text.span(m.start(1), m.end(1))
            if not _outside_brackets(text, m.start()) or not _names_this_report(report, text, m.start(), m.end()):
                continue
            if period_span and period_span.start <= span.start < period_span.end:
                continue
            yield int(m.group(1)), span, msg("P103", "preamble"), m.group()
    table_years = _table_year_patterns(report)
    for line in report.lines:
        if line.kind in ("BLANK", "FURNITURE"):
            continue
        text = line.text.text
        for regex in table_years:
            for m in regex.finditer(text):
                yield int(m.group(1)), line.text.span(m.start(1), m.end(1)), msg("P103", "table_header"), m.group()
    overview = report.section(rule_data(report)["report_year_statements"]["overview_section"])
    if overview is not None:
        first = next(iter(overview.all_paragraphs()), None)
        if first is not None:
            m = _OPENING.match(first.text.text)
            if m:
                yield (int(m.group(1)), first.text.span(m.start(1), m.end(1)), msg("P103", "overview_opening"),
                       m.group())


@rule("P103", "year-mismatch")
def year_mismatch(report: Report):
    """报告中指称报告年度的年份与标题不一致。

    检查什么：前言中称呼本报告的句子（句中有“本报告、现公布、特发布、编制、现将”等，
    如“现公布……2020年政府信息公开工作年度报告”）、
    统计表的表头（如“2020年度政府信息公开情况统计表”“2020年度 历年累计”）、
    以及“一、总体情况”第一段开头的“××××年，”，所写年份是否都是报告年度。
    书名号《》内引用的文件名、以“针对、对照”或“上年度、上一年度”引出的往年报告
    （如“针对2022年度政府信息公开工作年度报告中指出的问题”）、正文中与往年的比较等不在检查之列。
    为什么：这些位置写的都应当是报告年度；写成上一年，几乎总是照抄上年报告时漏改。
    错误示例：`2023年，本局认真贯彻` → `2022年，本局认真贯彻`（标题为2023年度报告）
    正确示例：标准报告（总体情况开头写“2023年，本局认真贯彻……”）
    依据：条例第四十九条（公布上一年度的年度报告）；国办公开办函〔2021〕30号附件格式（四）明确责任：
    内容雷同、敷衍塞责的，依条例第四十七条追究责任。
    """
    year = report.report_year
    if year is None or report.year is None or report.year.source not in ("title", "meta", "option"):
        return
    seen: set[int] = set()
    for found, span, where, sentence in _year_statements(report):
        if found == year or span.start in seen:
            continue
        seen.add(span.start)
        yield Diagnostic.of("P103", "mismatch", span, where=where, found=found, sentence=sentence, year=year,
                            source=_year_source(report), hint=msg("P103", "copied") if found < year else "",
                            data={"expected": year, "found": found, "where": where.render("zh"), "text": sentence})


@rule("P104", "stale-year-opening", "warning")
def stale_year_opening(report: Report):
    """段落以往年年份开头，可能是照抄上年报告。

    检查什么：第一至第四部分中以“××××年，”开头的段落，年份早于报告年度的（第五部分写计划、
    第六部分写其他事项，不在检查之列；“一、总体情况”的第一段由 P103 检查）。
    为什么：这些部分讲的是报告年度的工作，段落以上一年开头多半是照抄往年报告时漏改；
    但也可能是有意回顾往年，所以只作提醒。
    错误示例：`二、主动公开政府信息情况` → `二、主动公开政府信息情况\\n2022年，本局主动公开政府信息120条。`（2023年度报告）
    正确示例：`二、主动公开政府信息情况` → `二、主动公开政府信息情况\\n2023年，本局主动公开政府信息120条。`
    依据：条例第四十九条（报告上一年度的工作）。
    """
    year = report.report_year
    if year is None or report.year is None or report.year.source not in ("title", "meta", "option"):
        return
    data = rule_data(report)["report_year_statements"]
    overview = report.section(data["overview_section"])
    first = next(iter(overview.all_paragraphs()), None) if overview else None
    for no in data["year_work_sections"]:
        sec = report.section(no)
        if sec is None:
            continue
        for para in sec.all_paragraphs():
            if first is not None and para.span == first.span:
                continue
            m = _OPENING.match(para.text.text)
            if m and int(m.group(1)) < year:
                found = int(m.group(1))
                yield Diagnostic.of("P104", "stale", para.text.span(m.start(1), m.end(1)), no=no,
                                    opening=m.group().strip(), year=year,
                                    data={"expected": year, "found": found, "section": no})


# -- publication deadline -----------------------------------------------------------------

def _dates(report: Report) -> list:
    """The report's dates, the signature (落款, a fact of the report: error) before the
    page's publication date (perhaps a reposting: warning)."""
    out = [d for d in (report.signature_date, report.publication_date)
           if d is not None and isinstance(d.value, _dt.date)]
    return [d for n, d in enumerate(out) if not any(e.span == d.span for e in out[:n])]


def body_kind(report: Report) -> tuple[str | None, Msg]:
    """The kind of body (department | government | township | None) and where
    it came from (``Report.body_kind``: the configuration wins over the kind
    inferred from the agency name); None means "do not know"."""
    if report.body_kind_source == "config":
        return report.body_kind, msg("P201", "from_config")
    name = str(report.agency.value) if report.agency else ""
    if not name:
        return None, msg("P201", "from_no_name")
    return report.body_kind, msg("P201", "from_name", name=name)


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def deadline(report: Report, kind: str | None) -> tuple[_dt.date | None, Msg | None]:
    """The last day to publish the report for ``report_year`` and its legal basis
    (None, None when the law gives no deadline for this kind of body)."""
    year = report.report_year
    if year is None:
        return None, None
    law = report.templates.law
    regulation = law.regulation_for(year)
    entry = regulation.deadline_for(kind)  # the law's data names the kinds of body each deadline is for
    if entry is None:
        return None, None
    last = entry.date(year)
    when = {"cited_zh": regulation.cited_as, "cited_en": regulation.cited_as_en, "month": last.month,
            "day": last.day, "month_en": _MONTHS_EN[last.month - 1]}
    if entry.every_body:
        return last, msg("P201", "basis_every_body", **when)
    names = law.body_kind_names
    assert kind is not None  # only a deadline for every body is found for an unknown kind
    if kind not in entry.body_kinds:  # a kind the article does not name, e.g. a township: the deadline it follows
        return last, msg("P201", "basis_follows", kind_zh=names[kind].zh, kind_en=names[kind].en,
                         named_zh=names[entry.body_kinds[0]].zh, **when)
    return last, msg("P201", "basis_kind", kind_zh=names[kind].zh, kind_en=names[kind].en, **when)


def _kinds_named(report: Report, year: int) -> str:
    """The kinds of body the governing article names, as P201 lists them ("……部门或……地方人民政府")."""
    regulation = report.templates.law.regulation_for(year)
    names = report.templates.law.body_kind_names
    return "或".join(names[k].zh for d in regulation.deadlines for k in d.body_kinds if k in names)


@rule("P201", "published-late")
def published_late(report: Report):
    """公布（落款）日期晚于法定期限。

    检查什么：报告落款日期或页面上的发布日期，是否晚于法定的公布期限：2019年及以后的报告，
    县级以上人民政府部门为次年1月31日，县级以上地方人民政府（由其政府信息公开工作主管部门公布）
    为次年3月31日；2018年及以前的报告为次年3月31日。机关类型按机关名称推断
    （以“局、委、办、中心、厅、所、院”等结尾为部门；“××人民政府”“××市/县/区”、管委会为地方人民政府；
    乡镇人民政府、街道办事处按地方人民政府的期限），也可在配置中用 body-kind 指定；
    “××开发区、实验区、新区”等从名称无法判断的，不检查，只给出一次提示。
    落款日期晚于期限为错误；落款按时而网页发布日期（可能是转载日期）晚于期限时为警告。
    为什么：按时公布年度报告是条例规定的法定义务。
    错误示例：`2024年1月20日` → `2024年3月5日`（示例市示例局是政府部门，2023年度报告应在2024年1月31日前公布）
    正确示例：`2024年1月20日` → `2024年1月31日`（期限当天公布不算逾期）
    依据：条例第四十九条；2008年条例第三十一条；国办公开办函〔2019〕60号（“法定报告时限比以往提前了两个月”）。
    """
    dates = _dates(report)
    year = report.report_year
    if not dates or year is None:
        return
    pub = dates[0]
    kind, why = body_kind(report)
    last, basis = deadline(report, kind)
    if last is not None:  # the signature when it is late, else the page's date when that is
        pub = next((d for d in dates if d.value > last), pub)
    if last is None:
        yield Diagnostic.of("P201", "kind_unknown", pub.span, severity=Severity.INFO, why=why,
                            kinds=_kinds_named(report, year),
                            data={"body_kind": kind, "published": pub.value.isoformat()})
        return
    if pub.value <= last:
        return
    severity = None if pub.source == "body" else Severity.WARNING
    names = report.templates.law.body_kind_names
    kind_text = msg("P201", "kind_from", kind=names[kind].zh if kind in names else kind, why=why) if kind else ""
    yield Diagnostic.of("P201", "late", pub.span, severity=severity, what=_date_source(pub.source),
                        published=_fmt(pub.value), deadline=_fmt(last), basis=basis, kind=kind_text,
                        data={"deadline": last.isoformat(), "published": pub.value.isoformat(), "body_kind": kind,
                              "source": pub.source})


@rule("P202", "date-in-report-year")
def date_in_report_year(report: Report):
    """落款（公布）日期在报告年度结束之前。

    检查什么：落款日期（网页另有发布日期时也检查落款）或页面发布日期是否在报告年度之内
    （12月31日及以前），或早于统计期限的截止日。
    统计期限还没结束就不可能写出全年的报告，这通常是照抄上年报告时落款年份漏改。
    落款日期为错误；落款无误而页面发布日期在报告年度之内时为警告。
    为什么：落款日期是报告公布时间的依据，写错会让人误以为报告逾期或造假。
    错误示例：`2024年1月20日` → `2023年1月20日`（2023年度报告的落款日期在2023年之内）
    正确示例：标准报告（落款“2024年1月20日”）
    依据：条例第四十九条（每年1月31日或3月31日前公布上一年度的年度报告）。
    """
    year = report.report_year
    if year is None:
        return
    # the report cannot be signed before its period ends: the report year's last day, or
    # the stated period's end when that is later
    end, end_words = _dt.date(year, 12, 31), msg("P202", "year_end", year=year)
    period = report.period
    # (a period that ends years later is a typo P101 reports; it says nothing about the signature)
    if period is not None and period.end is not None and end < period.end <= _dt.date(year + 1, 12, 31):
        end, end_words = period.end, msg("P202", "period_end", date=_fmt(period.end))
    pub = next((d for d in _dates(report) if d.value <= end), None)
    if pub is None:
        return
    yield Diagnostic.of("P202", "early", pub.span, severity=None if pub.source == "body" else Severity.WARNING,
                        what=_date_source(pub.source), published=_fmt(pub.value),
                        when=msg("P202", "before" if pub.value < end else "on"), end=end_words,
                        data={"expected_after": end.isoformat(), "published": pub.value.isoformat(),
                              "source": pub.source})
