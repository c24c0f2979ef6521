"""L: leftovers of another template version -- the old 统计表 in a 2019+
report, 2019 table rows in a 2021+ report and the reverse, pre-2019 section
titles, and citations of a superseded format or regulation.

Which labels belong to which version is read from the template data: the
``leftover_labels`` lists and the table definitions of each version.  A report
is only ever compared with the version its year calls for, so a 2018 report
on the old template is never told it uses the old template.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from xxgk_lint.linter.model import (Diagnostic, Msg, NText, Report, Severity, Span, TemplateSet, fold_key, join_texts,
                                     msg, rule_data)
from xxgk_lint.linter.registry import rule

_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.．、])")
_MIN_KEY = 4  # shorter labels (其他, 总计) occur in every version


_REGEXES: dict[str, re.Pattern] = {}


def _label_regex(label: str) -> re.Pattern:
    """The label as printed: widths folded, any whitespace or cell break
    between characters, 、 and ， interchangeable."""
    regex = _REGEXES.get(label)
    if regex is None:
        parts = []
        for ch in fold_key(label):  # widths folded, no whitespace, 、 and ， as ","
            parts.append("[、,，]" if ch == "," else re.escape(ch))
        regex = _REGEXES[label] = re.compile(r"[\s|]*".join(parts))
    return regex


_SEPARATORS = re.compile(r"[\s|]+")
_COMMAS = str.maketrans({"、": ",", "，": ","})


def _squeezed(text: str) -> str:
    """``text`` without what ``_label_regex`` allows between characters, its
    commas as one: every match of a label's regex is its key in here."""
    return _SEPARATORS.sub("", text).translate(_COMMAS)


def _clean(entries: list[str]) -> list[str]:
    """Entries of leftover_labels that are labels (not notes such as
    "规范性文件 as the row label (...)")."""
    return [e for e in entries if " " not in e.strip()]


def _version_labels(report: Report, vid: str) -> list[str]:
    out: list[str] = []
    for table in report.templates.versions[vid].tables.values():
        for row in table.rows:
            out += [row.label, *row.variants]
        for block in table.blocks:
            out.append(block.caption)
            out += [c.label for c in block.columns]
    return [_MARKER.sub("", x) for x in out if x]


# templates -> {(vid, other): labels}: derived from the template set, it lives and dies with it
_ONLY_IN: weakref.WeakKeyDictionary[TemplateSet, dict[tuple[str, str], tuple[str, ...]]] = weakref.WeakKeyDictionary()


def only_in(report: Report, vid: str, other: str) -> list[str]:
    """Table labels of version ``vid`` that no label of ``other`` contains or is contained in."""
    cache = _ONLY_IN.setdefault(report.templates, {})
    if (vid, other) not in cache:
        cache[(vid, other)] = tuple(_only_in(report, vid, other))
    return list(cache[(vid, other)])


def _only_in(report: Report, vid: str, other: str) -> list[str]:
    others = [k for k in (fold_key(x) for x in _version_labels(report, other)) if len(k) >= _MIN_KEY]
    found: list[str] = []
    for label in _version_labels(report, vid):
        key = fold_key(label)
        if len(key) >= _MIN_KEY and label not in found and not any(key in o or o in key for o in others):
            found.append(label)
    return found


@dataclass
class Hit:
    label: str
    span: Span
    current: str = ""  # the report version's own label, for a row printed in another version's wording


def _table_regions(report: Report) -> list[NText]:
    """Runs of consecutive table lines, joined so that a label broken over
    several lines (one cell per line in PDF text) is still found."""
    runs: list[list[NText]] = []
    current: list[NText] = []
    for line in report.lines:
        if line.kind in ("BLANK", "FURNITURE"):
            continue
        # a sentence (。, one cell) the classifier put among table rows is prose
        if line.kind == "TROW" and not ("。" in line.plain and "\t" not in line.plain):
            current.append(line.text)
            continue
        if current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [join_texts(run, "\t") for run in runs]  # joined once: adding line by line is quadratic


def _label_lines(report: Report) -> list[NText]:
    """Short non-prose lines that begin with a label (a table row the reader
    did not see as a table, e.g. "六、举报投诉数量 件 0")."""
    out = []
    for line in report.lines:
        if line.kind in ("BLANK", "FURNITURE", "TROW") or "。" in line.plain or len(line.plain) > 80:
            continue
        out.append(line.text)
    return out


def find_labels(report: Report, labels: list[str], label_lines: bool = False) -> list[Hit]:
    hits: list[Hit] = []
    seen: set[int] = set()
    regions = _table_regions(report)
    lines = _label_lines(report) if label_lines else []
    stripped_lines = [(text, _MARKER.sub("", text.text.strip())) for text in lines]
    squeezed_regions = [_squeezed(region.text) for region in regions]
    squeezed_lines = [_squeezed(stripped) for _, stripped in stripped_lines]
    for label in labels:
        key = fold_key(label)
        # A label whose characters are not in the text in a row (separators
        # dropped) cannot match: its regex is neither compiled (≈ 0.2 ms
        # each, at every start) nor run.  Most labels of other versions are absent.
        if "|" not in key and not any(key in text for text in squeezed_regions) \
                and not any(text.startswith(key) for text in squeezed_lines):
            continue
        regex = _label_regex(label)
        for region in regions:
            for m in regex.finditer(region.text):
                span = region.span(m.start(), m.end())
                if span.start not in seen:
                    seen.add(span.start)
                    hits.append(Hit(label, span))
        for text, stripped in stripped_lines:
            start = regex.match(stripped)
            if start:
                offset = text.text.index(stripped) + start.start()
                span = text.span(offset, offset + len(start.group()))
                if span.start not in seen:
                    seen.add(span.start)
                    hits.append(Hit(label, span))
    return sorted(hits, key=lambda h: h.span.start)


def _summary(report: Report, hits: list[Hit]) -> tuple[Msg, list[dict]]:
    """The labels found (a message phrase: at most five shown) and the evidence."""
    names = []
    for h in hits:
        if h.label not in names:
            names.append(h.label)
    shown = (msg("leftover", "labels_more", names=names[:5], count=len(names)) if len(names) > 5
             else msg("leftover", "labels", names=names))
    found = [{"label": h.label, "line": report.document.line_col(h.span.start)[0]} for h in hits]
    return shown, found


def _should_use(report: Report) -> Msg:
    fields = {"version": report.version, "version_name": report.template.name}
    if report.report_year:
        return msg("leftover", "should_use_year", year=report.report_year, **fields)
    return msg("leftover", "should_use", **fields)


@rule("L101", "old-stat-table")
def old_stat_table(report: Report):
    """2019年及以后的报告中出现旧版《政府信息公开情况统计表》的指标。

    检查什么：2019年及以后的报告的表格中，是否出现2008年条例时期《政府信息公开情况统计表》
    特有的指标，如“举报投诉数量”“依申请公开信息收取的费用”“机构建设和保障经费情况”
    “政府信息公开会议和培训情况”“当面申请数”“传真申请数”等（清单见模板数据 leftover_labels）。
    若报告同时有新格式的表格（旧表只是附带的残留），为警告；若没有新格式的表格，为错误。
    2018年及以前的报告本来就使用旧表，不检查。
    为什么：2019年起年度报告改用统一格式的三张表，旧统计表的指标已经取消；
    沿用旧表说明报告照抄了往年模板，统计口径与现行格式不一致。
    错误示例：`0 0 0 0 0 0 0 0 0 0 0 0 0 0 0` → `0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\\n举报投诉数量 件 0\\n依申请公开信息收取的费用 万元 0`（第四部分的表格之后附了旧统计表的指标）
    正确示例：标准报告（第二、三、四部分按国办公开办函〔2021〕30号附件格式填报）
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号；国办发〔2014〕32号（旧统计表）。
    """
    if not report.template.uniform_format:
        return
    old = report.templates.pre_uniform
    labels = report.templates.leftover_labels["old_stat_table_in_gb2019_or_gb2021"]
    hits = find_labels(report, labels, label_lines=True)
    captions = {t.caption for t in old.tables.values()}
    if not [h for h in hits if h.label not in captions]:
        return  # a caption alone may be a local name for the new tables
    own = [t for t in report.tables.values() if t.version == report.version]
    shown, found = _summary(report, hits)
    yield Diagnostic.of(
        "L101", "old_table", hits[0].span, shown=shown, old_name=old.name, should_use=_should_use(report),
        severity=Severity.WARNING if own else None,
        data={"label_version": old.id, "expected_version": report.version, "found": found,
              "new_tables_present": [t.id for t in own]})


def _t3_single_other_row(report: Report) -> Hit | None:
    """Table 3 read with the 2019 rows in a 2021+ report: （六）其他处理 as one data row."""
    where = rule_data(report)["single_other_processing_row"]
    table = report.tables.get(where["table"])
    if table is None or table.version != where["version"] or where["row"] not in table.rows:
        return None
    return Hit(where["shown_as"], table.rows[where["row"]].label_span)


def _rows_printed_as(report: Report, other: str) -> list[Hit]:
    """Table rows whose label is printed in the wording of version ``other``
    (规范性文件 where gb2021 says 行政规范性文件)."""
    hits: list[Hit] = []
    for table in report.tables.values():
        other_def = report.templates.versions[other].tables.get(table.id)
        if other_def is None:
            continue
        for rid, row in table.rows.items():
            theirs = other_def.row(rid)
            if theirs is None or fold_key(theirs.label) == fold_key(row.row.label):
                continue
            printed = report.document.text[row.label_span.start:row.label_span.end]
            if fold_key(_MARKER.sub("", printed)) == fold_key(_MARKER.sub("", theirs.label)):
                hits.append(Hit(theirs.label, row.label_span, row.row.label))
    return hits


@rule("L102", "gb2019-table-in-gb2021")
def gb2019_table_in_gb2021(report: Report):
    """2021年及以后的报告仍使用2019年格式的表格行列。

    检查什么：2021年及以后的报告，第二部分表格是否仍有2019年格式特有的行列，如
    “本年新制作数量”“本年新公开数量”“对外公开总数量”“上一年项目数量”“本年增/减”
    “其他对外管理服务事项”“第二十条第（九）项 政府集中采购”；第三部分表格的“（六）其他处理”
    是否仍是一行（2021年格式已拆为三行）。这些为错误。若表格已按2021年格式的列填报，只是行标签
    仍用2019年的写法（如“规范性文件”，2021年格式为“行政规范性文件”），为警告。
    为什么：国办公开办函〔2021〕30号修订了表格，2021年度起应按新表填报，旧表的行列口径已经改变。
    错误示例：`第二十条第（一）项` → `第二十条第（一）项\\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量`（2023年度报告的第二部分仍用2019年格式的表头）
    正确示例：`第二十条第（一）项` → `第二十条第（一）项\\n信息内容 本年制发件数 本年废止件数 现行有效件数`
    依据：国办公开办函〔2021〕30号附件格式。
    """
    earlier = report.template.supersedes
    if earlier is None:
        return
    earlier_name = report.templates.versions[earlier].name
    labels = _clean(report.templates.leftover_labels["gb2019_in_gb2021"])
    labels += [x for x in only_in(report, earlier, report.version) if x not in labels]
    hits = find_labels(report, labels)
    single = _t3_single_other_row(report)
    if single is not None:
        hits.append(single)
    seen = {h.span.start for h in hits}
    worded = [h for h in _rows_printed_as(report, earlier) if h.span.start not in seen]
    if hits:
        hits = sorted(hits + worded, key=lambda h: h.span.start)
        shown, found = _summary(report, hits)
        yield Diagnostic.of("L102", "gb2019_rows", hits[0].span, shown=shown, gb2019_name=earlier_name,
                            should_use=_should_use(report),
                            data={"label_version": earlier, "expected_version": report.version, "found": found})
    elif worded:
        # the row is read with the 2021 columns; only its label keeps the 2019 wording
        shown, found = _summary(report, worded)
        yield Diagnostic.of("L102", "gb2019_wording", worded[0].span, shown=shown, gb2019_name=earlier_name,
                            gb2021_name=report.template.name, current=[h.current for h in worded],
                            severity=Severity.WARNING,
                            data={"label_version": earlier, "expected_version": report.version, "found": found,
                                  "expected": [h.current for h in worded]})


@rule("L103", "gb2021-table-in-gb2019")
def gb2021_table_in_gb2019(report: Report):
    """2019、2020年度报告使用了2021年格式的表格行列。

    检查什么：2019、2020年度报告的表格中，是否出现2021年格式才有的行列，如“本年制发件数”
    “本年废止件数”“现行有效件数”，以及第三部分“（六）其他处理”拆分出的三行。
    为什么：2021年格式自2021年度报告起使用；2019、2020年度报告出现新表的行列，
    要么是表格用错了格式，要么是标题中的年度写错了。
    错误示例：`示例市示例局2023年` → `示例市示例局2020年`（2020年度报告却用了2021年格式的表格，如第三部分的“（六）其他处理”分为三行）
    正确示例：标准报告（2023年度报告使用2021年格式的表格）
    依据：国办公开办函〔2019〕60号附件格式（试行）；国办公开办函〔2021〕30号。
    """
    later = report.template.superseded_by
    if later is None:
        return
    hits = find_labels(report, only_in(report, later, report.version))
    if not hits:
        return
    shown, found = _summary(report, hits)
    yield Diagnostic.of("L103", "gb2021_rows", hits[0].span, shown=shown,
                        gb2021_name=report.templates.versions[later].name, should_use=_should_use(report),
                        data={"label_version": later, "expected_version": report.version, "found": found})


def _title_key(text: str) -> str:
    return fold_key(text).rstrip(":：。.")


@rule("L104", "old-section-title", "warning")
def old_section_title(report: Report):
    """2019年及以后的报告沿用2008年条例时期的部分标题或表述。

    检查什么：2019年及以后的报告中，一级标题是否是旧格式的标题（如“概述”“政府信息公开的收费及减免情况”
    “因政府信息公开申请行政复议、提起行政诉讼的情况”“政府信息公开情况统计表”），
    以及前言介绍报告组成部分时是否仍用旧格式的说法（如“因政府信息公开申请行政复议、提起行政诉讼的情况”，
    现行格式为“政府信息公开行政复议、行政诉讼情况”）。清单见模板数据 rule_data.old_section_titles。
    为什么：2019年起年度报告按统一格式的六个部分编写，旧格式的标题说明报告套用了往年的稿子。
    错误示例：`四、政府信息公开行政复议、行政诉讼情况` → `四、因政府信息公开申请行政复议、提起行政诉讼的情况`（2008年条例时期的标题）
    正确示例：标准报告（第四部分用现行标题“四、政府信息公开行政复议、行政诉讼情况”）
    依据：国办公开办函〔2019〕60号、国办公开办函〔2021〕30号附件格式；2008年条例第三十二条（旧格式的内容项）。
    """
    if not report.template.uniform_format or not report.template.fixed_sections:
        return
    data = rule_data(report)
    old = report.templates.pre_uniform
    current = {_title_key(t.split("、", 1)[-1]) for s in report.template.sections for t in [s.title, *s.variants]}
    old_titles = {_title_key(t): t for t in data["old_section_titles"] if _title_key(t) not in current}
    for sec in report.sections:
        if sec.heading is None or _title_key(sec.heading.title) not in old_titles:
            continue
        expected = sec.template.title if sec.template else None
        hint = msg("L104", "expected", expected=expected) if expected else ""
        yield Diagnostic.of("L104", "old_heading", sec.heading.span, heading=sec.heading.title,
                            old_name=old.name, hint=hint,
                            data={"found": sec.heading.title, "label_version": old.id, "expected": expected,
                                  "expected_version": report.version})
    for entry in data["old_preamble_phrases"]:
        phrase, now = entry["phrase"], entry["current"]
        regex = _label_regex(phrase)
        for para in report.front.all_paragraphs():
            m = regex.search(para.text.text)
            if m:
                yield Diagnostic.of("L104", "old_preamble", para.text.span(m.start(), m.end()), phrase=phrase,
                                    old_name=old.name, version_name=report.template.name,
                                    version=report.version, now=now,
                                    data={"found": phrase, "expected": now, "label_version": old.id,
                                          "expected_version": report.version, "where": "前言"})
                break


@rule("L105", "stale-citation", "warning")
def stale_citation(report: Report):
    """报告引用已被取代的格式文件或旧条例作为依据。

    检查什么：2021年及以后的报告是否仍引用国办公开办函〔2019〕60号（2019年试行格式）；
    2019年及以后的报告是否仍引用国务院令第492号（2008年条例）。清单见模板数据 rule_data.stale_citations。
    为什么：2021年度起年度报告格式以国办公开办函〔2021〕30号为准，条例自2019年5月15日起为修订后的
    国务院令第711号；引用旧文件多半是照抄往年报告的前言。
    错误示例：`本报告根据《中华人民共和国政府信息公开条例》编制。` → `本报告根据《中华人民共和国政府信息公开条例》和国办公开办函〔2019〕60号要求编制。`（2023年度报告）
    正确示例：`本报告根据《中华人民共和国政府信息公开条例》编制。` → `本报告根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号要求编制。`
    依据：国办公开办函〔2021〕30号；《中华人民共和国政府信息公开条例》（国务院令第711号）。
    """
    year = report.report_year
    if year is None:
        return
    for cite in rule_data(report)["stale_citations"]:
        if year < int(cite["from_year"]):
            continue
        regex = re.compile(cite["pattern"])
        hit = None
        for para in report.paragraphs():
            m = regex.search(para.text.text)
            if m:
                hit = para.text.span(m.start(), m.end())
                break
        if hit is not None:
            yield Diagnostic.of("L105", "stale", hit, year=year, name=cite["name"], use=cite["use"],
                                data={"found": cite["name"], "expected": cite["use"], "year": year})
