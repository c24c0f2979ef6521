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

from xxgk_lint.linter.model import Diagnostic, Report, Severity, doc_start, rule_data, section_no_en
from xxgk_lint.linter.registry import rule

_SOURCE_NAMES = {"title": "标题", "meta": "页面信息中的标题", "period": "统计期限", "option": "命令行/配置",
                 "body": "正文中最常出现的年份"}
_SOURCE_NAMES_EN = {"title": "the title", "meta": "the title in the page's metadata", "period": "the statistics period",
                    "option": "the command line or configuration", "body": "the year most often named in the text"}
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


def _year_source(report: Report, en: bool = False) -> str:
    names = _SOURCE_NAMES_EN if en else _SOURCE_NAMES
    return names.get(report.year.source, report.year.source) if report.year else ""


def _fmt(d: _dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "（无效日期）"


def _fmt_en(d: _dt.date | None) -> str:
    return d.isoformat() if d else "(invalid date)"


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
        yield Diagnostic(f"统计期限“{period.raw}”中的日期不存在，请核对", period.span,
                         data={"found": period.raw, "problem": "invalid-date"},
                         message_en=f"The statistics period “{period.raw}” names a date that does not exist; "
                                    f"please check it")
        return
    year = report.report_year
    if year is None or (report.year.source not in _FIRM_SOURCES):
        year = period.start.year
    expected = (_dt.date(year, 1, 1), _dt.date(year, 12, 31))
    if (period.start, period.end) == expected:
        return
    problems, problems_en = [], []
    if period.start.year != period.end.year:
        problems.append("跨两个年度")
        problems_en.append("it spans two years")
    if year not in (period.start.year, period.end.year):
        problems.append(f"写的是{period.start.year}年而不是报告年度{year}年")
        problems_en.append(f"it is for {period.start.year}, not the report year {year}")
    if (period.start.month, period.start.day) != (1, 1):
        problems.append("起始日不是1月1日")
        problems_en.append("it does not start on 1 January")
    if (period.end.month, period.end.day) != (12, 31):
        problems.append("截止日不是12月31日")
        problems_en.append("it does not end on 31 December")
    if not problems:  # e.g. both dates right but a year off on one side
        problems.append("与报告年度不符")
        problems_en.append("it does not match the report year")
    where = f"（报告年度 {year} 年来自{_year_source(report)}）" if report.year else ""
    where_en = f" (report year {year} taken from {_year_source(report, True)})" if report.year else ""
    yield Diagnostic(
        f"统计期限为{_fmt(period.start)}至{_fmt(period.end)}，{'，'.join(problems)}；"
        f"应为{_fmt(expected[0])}至{_fmt(expected[1])}{where}",
        period.span,
        data={"expected": {"start": expected[0].isoformat(), "end": expected[1].isoformat()},
              "found": {"start": period.start.isoformat(), "end": period.end.isoformat()},
              "year": year, "year_source": report.year.source if report.year else None, "problems": problems},
        message_en=f"The statistics period is {_fmt_en(period.start)} to {_fmt_en(period.end)}: "
                   f"{', '.join(problems_en)}; expected {_fmt_en(expected[0])} to {_fmt_en(expected[1])}{where_en}")


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
        yield Diagnostic("没有找到统计期限的说明（如“本报告中数据的统计期限自××××年1月1日起至××××年12月31日止”）",
                         doc_start(report), data={"expected_year": report.report_year},
                         message_en="No statement of the statistics period found "
                                    "(such as “本报告中数据的统计期限自××××年1月1日起至××××年12月31日止”)")


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
            yield int(m.group(1)), span, "前言", m.group()
    table_years = _table_year_patterns(report)
    for line in report.lines:
        if line.kind in ("BLANK", "FURNITURE"):
            continue
        text = line.text.text
        for regex in table_years:
            for m in regex.finditer(text):
                yield int(m.group(1)), line.text.span(m.start(1), m.end(1)), "统计表表头", m.group()
    overview = report.section(rule_data(report)["report_year_statements"]["overview_section"])
    if overview is not None:
        first = next(iter(overview.all_paragraphs()), None)
        if first is not None:
            m = _OPENING.match(first.text.text)
            if m:
                yield int(m.group(1)), first.text.span(m.start(1), m.end(1)), "总体情况开头", m.group()


_WHERE_EN = {"前言": "The preamble", "统计表表头": "The statistics table header",
             "总体情况开头": "The opening of section 1 (overview)"}


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
    if year is None or report.year.source not in ("title", "meta", "option"):
        return
    seen: set[int] = set()
    for found, span, where, sentence in _year_statements(report):
        if found == year or span.start in seen:
            continue
        seen.add(span.start)
        hint = "，疑为照抄往年报告" if found < year else ""
        hint_en = "; probably copied from an earlier report" if found < year else ""
        yield Diagnostic(f"{where}写的是{found}年（“{sentence}”），与报告年度{year}年（来自{_year_source(report)}）不一致{hint}",
                         span, data={"expected": year, "found": found, "where": where, "text": sentence},
                         message_en=f"{_WHERE_EN.get(where, where)} names {found} (“{sentence}”), not the report year "
                                    f"{year} (taken from {_year_source(report, True)}){hint_en}")


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
    if year is None or report.year.source not in ("title", "meta", "option"):
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
                yield Diagnostic(f"第{no}部分的段落以“{m.group().strip()}”开头，早于报告年度{year}年，请核对是否照抄往年报告",
                                 para.text.span(m.start(1), m.end(1)),
                                 data={"expected": year, "found": found, "section": no},
                                 message_en=f"A paragraph of section {section_no_en(no)} begins with "
                                            f"“{m.group().strip()}”, before the report year {year}; check whether "
                                            f"it was copied from an earlier report")


# -- publication deadline -----------------------------------------------------------------

def _dates(report: Report) -> list:
    """The report's dates, the signature (落款, a fact of the report: error) before the
    page's publication date (perhaps a reposting: warning)."""
    out = [d for d in (report.signature_date, report.publication_date)
           if d is not None and isinstance(d.value, _dt.date)]
    return [d for n, d in enumerate(out) if not any(e.span == d.span for e in out[:n])]


def body_kind(report: Report) -> tuple[str | None, str]:
    """The kind of body (department | government | township | None) and where
    it came from.  Configuration (``report.settings.body_kind``) wins over the
    guess from the agency name; None means "do not know"."""
    kind, why, _ = _body_kind(report)
    return kind, why


def _body_kind(report: Report) -> tuple[str | None, str, str]:
    """body_kind() with where it came from in Chinese and in English (``Report.body_kind``:
    the configuration wins over the kind inferred from the agency name)."""
    if report.body_kind_source == "config":
        return report.body_kind, "配置", "the configuration"
    name = str(report.agency.value) if report.agency else ""
    if not name:
        return None, "报告（没有识别出机关名称）", "the report (no agency name was found)"
    return report.body_kind, f"机关名称“{name}”", f"the agency name “{name}”"


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def deadline(report: Report, kind: str | None) -> tuple[_dt.date | None, str]:
    """The last day to publish the report for ``report_year`` and its legal basis."""
    last, basis, _ = _deadline(report, kind)
    return last, basis


def _deadline(report: Report, kind: str | None) -> tuple[_dt.date | None, str, str]:
    """deadline() with the legal basis in Chinese and in English."""
    year = report.report_year
    law = report.templates.law
    regulation = law.regulation_for(year)
    entry = regulation.deadline_for(kind)  # the law's data names the kinds of body each deadline is for
    if entry is None:
        return None, "", ""
    last = entry.date(year)
    month, day = last.month, last.day
    cited, cited_en, by_en = regulation.cited_as, regulation.cited_as_en, f"by {day} {_MONTHS_EN[month - 1]}"
    if entry.every_body:
        return last, f"{cited}（每年{month}月{day}日前）", f"{cited_en} ({by_en} each year)"
    names = law.body_kind_names
    if kind not in entry.body_kinds:  # a kind the article does not name, e.g. a township: the deadline it follows
        named = names[entry.body_kinds[0]].zh
        return (last, f"{cited}（{names[kind].zh}按{named}的期限，{month}月{day}日前）",
                f"{cited_en} (a {names[kind].en} follows the local government's deadline: {by_en})")
    return last, f"{cited}（{names[kind].zh}，{month}月{day}日前）", f"{cited_en} ({names[kind].en}: {by_en})"


def _kinds_named(report: Report) -> str:
    """The kinds of body the governing article names, as P201 lists them ("……部门或……地方人民政府")."""
    regulation = report.templates.law.regulation_for(report.report_year)
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
    kind, why, why_en = _body_kind(report)
    last, basis, basis_en = _deadline(report, kind)
    if last is not None:  # the signature when it is late, else the page's date when that is
        pub = next((d for d in dates if d.value > last), pub)
    if last is None:
        yield Diagnostic(f"无法从{why}判断机关类型（{_kinds_named(report)}），"
                         f"未检查公布期限；可在配置中设置 body-kind", pub.span, severity=Severity.INFO,
                         data={"body_kind": kind, "published": pub.value.isoformat()},
                         message_en=f"Cannot tell the kind of body (department of a people's government, or local "
                                    f"people's government, at or above county level) from {why_en}, so the "
                                    f"publication deadline was not checked; set body-kind in the configuration")
        return
    if pub.value <= last:
        return
    what = "落款日期" if pub.source == "body" else "页面发布日期"
    what_en = "The date of signature" if pub.source == "body" else "The page's publication date"
    severity = None if pub.source == "body" else Severity.WARNING
    names = report.templates.law.body_kind_names
    kind_text = f"，机关类型“{names[kind].zh if kind in names else kind}”来自{why}" if kind else ""
    kind_text_en = f"; the kind of body comes from {why_en}" if kind else ""
    yield Diagnostic(f"{what}{_fmt(pub.value)}晚于法定公布期限{_fmt(last)}（{basis}{kind_text}）", pub.span,
                     severity=severity,
                     data={"deadline": last.isoformat(), "published": pub.value.isoformat(), "body_kind": kind,
                           "source": pub.source},
                     message_en=f"{what_en} {_fmt_en(pub.value)} is after the legal publication deadline "
                                f"{_fmt_en(last)} ({basis_en}{kind_text_en})")


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
    end, end_words, end_words_en = _dt.date(year, 12, 31), f"报告年度{year}年结束", f"the end of the report year {year}"
    period = report.period
    # (a period that ends years later is a typo P101 reports; it says nothing about the signature)
    if period is not None and period.end is not None and end < period.end <= _dt.date(year + 1, 12, 31):
        end, end_words, end_words_en = period.end, f"统计期限截止日{_fmt(period.end)}", \
            f"the end of the statistics period, {_fmt_en(period.end)}"
    pub = next((d for d in _dates(report) if d.value <= end), None)
    if pub is None:
        return
    what = "落款日期" if pub.source == "body" else "页面发布日期"
    what_en = "The date of signature" if pub.source == "body" else "The page's publication date"
    when = "早于" if pub.value < end else "就在"
    when_en = "before" if pub.value < end else "on"
    yield Diagnostic(f"{what}{_fmt(pub.value)}{when}{end_words}，报告不可能在统计期限结束前写成，疑为照抄往年报告时未改年份",
                     pub.span, severity=None if pub.source == "body" else Severity.WARNING,
                     data={"expected_after": end.isoformat(), "published": pub.value.isoformat(),
                           "source": pub.source},
                     message_en=f"{what_en} {_fmt_en(pub.value)} is {when_en} {end_words_en}; a report on the whole "
                                f"period cannot be written before it ends, probably the year was not updated when "
                                f"copying an earlier report")
