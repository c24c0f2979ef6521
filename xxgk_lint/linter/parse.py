"""Blocks -> report model: normalise, classify, parse the outline with Lark,
then read the facts and the tables the template defines."""

from __future__ import annotations

import functools
import re
import weakref
from importlib import resources

from lark import Lark, Token, Tree
from lark.lexer import Lexer

from . import digitruns, facts, oldtable
from .classify import HEADING_RES, classify
from .model import Document, Heading, Line, Paragraph, Report, Section, TableData, cn_number
from .normalize import title_end, to_lines
from .ntext import fold_key
from .tables import read_table
from .templates import VERSION_IDS, TemplateSet, load

LEVELS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4}
_SKIP = ("BLANK", "FURNITURE")


class _LineLexer(Lexer):
    """Feeds the classified lines to the LALR parser, one token per line."""

    def __init__(self, lexer_conf):  # noqa: D107 - Lark's interface
        pass

    def lex(self, lines):  # type: ignore[override]
        for index, line in enumerate(lines):
            yield Token(line.kind, index)


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    import hashlib
    import sys

    import lark

    from . import datacache

    grammar = resources.files("xxgk_lint").joinpath("grammar/report.lark").read_text("utf-8")
    # The LALR tables are kept in the private cache directory (building them
    # costs ≈ 25 ms, loading them 3 ms).  Not cache=True: that is a pickle in
    # the shared temporary directory under a predictable name, which another
    # user could plant.  Lark checks the grammar's and options' hash stored in
    # the file and rebuilds (and rewrites) it when they differ.
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:16]
    cache = datacache.path(f"lark-{digest}-{lark.__version__}-py{sys.version_info[0]}{sys.version_info[1]}.pickle")
    return Lark(grammar, parser="lalr", lexer=_LineLexer, cache=cache or False)


def parse_outline(lines: list[Line]) -> Tree:
    """Parse classified lines (BLANK/FURNITURE already removed)."""
    return _parser().parse(lines)


# -- headings ---------------------------------------------------------------------------

# where the running text after a section title begins in a flattened page
_RUN_ON = re.compile(r"(?<=\S)(?:\s|(?=(?:19|20)\d{2}\s*年))")


def make_heading(line: Line, source: str) -> tuple[Heading, Line | None]:
    """Split a heading line into the heading and, when the line runs on into
    prose (（一）做好…。一是…), the rest as a paragraph line.  ``source`` is
    the document's source text: the marker is kept as printed there."""
    level = LEVELS[line.kind]
    text = line.plain
    lead = len(text) - len(text.lstrip())
    m = HEADING_RES[line.kind].match(text[lead:])
    if m is None:  # a table-row heading cell (docx grid); take the first cell
        m = HEADING_RES[line.kind].match(line.cells[0].strip())
    marker_end = lead + (m.end() if m else 0)
    number = cn_number(m.group(1)) if m else 0
    rest = text[marker_end:]
    # a heading that runs on into prose ends at its first full stop, or at a
    # colon right after a section title (六、其他需要报告的事项：本年度未收取…)
    known = title_end(text[lead:])
    run_on = _RUN_ON.search(rest, len(rest) - len(rest.lstrip())) if line.virtual and level == 1 else None
    if known is not None and text[lead + known:].lstrip().startswith(":"):
        cut = lead + known
    elif known is None and run_on is not None and run_on.start() <= 40 and not re.search(r"[。;!?:]", rest[:run_on.start()]):
        # a page flattened onto one line: a title in words the template does not
        # know ends where the running text after it begins (a space, or the year
        # that opens the section's first sentence)
        cut = marker_end + run_on.start()
    else:
        stop = re.search(r"[。;!?]", rest) or (re.search(r":", rest) if len(rest) > 40 else None)
        cut = marker_end + stop.start() if stop else len(text)
    title = text[marker_end:cut].strip().rstrip("。")
    src = line.text
    marker_span = src.span(lead, marker_end)
    marker = source[marker_span.start:marker_span.end].strip()
    heading = Heading(level, number, marker, title, src.span(lead, cut), marker_span, line)
    remainder = None
    if cut < len(text) and text[cut:].strip():
        rest_nt = src.slice(cut + (1 if text[cut] in "。:" else 0))
        if rest_nt.text.strip():
            remainder = Line(rest_nt, kind="PARA", virtual=True)
    return heading, remainder


# -- tree -> sections -------------------------------------------------------------------

def _build(tree: Tree, lines: list[Line], source: str) -> tuple[Section, list[Section]]:
    front = Section(None)
    sections: list[Section] = []

    def fill(section: Section, children) -> None:
        for child in children:
            if isinstance(child, Token):
                continue
            if child.data == "para":
                section.paragraphs.append(Paragraph(lines[child.children[0].value].text))
            elif child.data == "table":
                section.table_lines.extend(lines[t.value] for t in child.children)
            elif child.data in ("sub2", "sub3", "sub4"):
                section.children.append(_section(child))

    def _section(node: Tree) -> Section:
        head_token = node.children[0]
        heading, rest = make_heading(lines[head_token.value], source)
        sec = Section(heading)
        if rest is not None:
            sec.paragraphs.append(Paragraph(rest.text))
        fill(sec, node.children[1:])
        return sec

    for node in tree.children:
        if node.data == "front":
            fill(front, node.children)
        elif node.data == "section":
            sections.append(_section(node))
    return front, sections


# -- template matching ------------------------------------------------------------------

@functools.lru_cache(maxsize=1024)
def _title_key(title: str) -> str:
    """The comparison key of a template section title, without its number."""
    return fold_key(title.split("、", 1)[-1])


def _ratio_bound(a: str, b: str) -> float:
    """``SequenceMatcher(None, a, b).ratio()`` is at most this (its real_quick_ratio)."""
    total = len(a) + len(b)
    return 2.0 * min(len(a), len(b)) / total if total else 1.0


def _match_sections(sections: list[Section], templates: TemplateSet, version: str) -> None:
    from difflib import SequenceMatcher

    template = templates.versions[version]
    if not template.fixed_sections:
        return
    # one matcher per template title for all the headings: SequenceMatcher
    # indexes its second sequence once (set_seq2) and compares it with many
    matchers: dict[str, SequenceMatcher] = {}

    def ratio(a: str, b: str) -> float:
        matcher = matchers.get(b)
        if matcher is None:
            matcher = matchers[b] = SequenceMatcher(None, "", b)
        matcher.set_seq1(a)
        return matcher.ratio()

    for sec in sections:
        key = fold_key(sec.heading.title) if sec.heading else ""
        best, best_score = None, 0.0
        for tsec in template.sections:
            candidates = [tsec.title, *tsec.variants]
            for cand in candidates:
                ckey = _title_key(cand)
                if key == ckey or key.startswith(ckey):
                    score = 1.0
                else:
                    head = key[:len(ckey) + 1]
                    # a ratio is never above its bound from the lengths alone
                    # (real_quick_ratio): skip what cannot beat the best so far
                    if max(_ratio_bound(key, ckey), _ratio_bound(head, ckey) - 0.05) <= best_score:
                        continue
                    score = max(ratio(key, ckey), ratio(head, ckey) - 0.05)
                if score > best_score:
                    best, best_score = tsec, score
        if best is not None and best_score >= 0.6:
            sec.template = best
    _match_by_number(sections, template.sections)


def _match_by_number(sections: list[Section], tsections: list) -> None:
    """A heading whose title matches no section (五、存在的主要问题及明年工作计划)
    but whose number and place are those of a section not otherwise present is
    that section under another title: a title finding (S104), not a missing
    section and an unexpected one."""
    order = [t.no for t in tsections]
    present = {s.template.no for s in sections if s.template}
    for i, sec in enumerate(sections):
        if sec.template is not None or sec.heading is None or not 1 <= sec.heading.number <= len(tsections):
            continue
        index = sec.heading.number - 1
        tsec = tsections[index]
        if tsec.no in present:
            continue
        before = next((s.template for s in reversed(sections[:i]) if s.template), None)
        after = next((s.template for s in sections[i + 1:] if s.template), None)
        if (before is None or order.index(before.no) < index) and (after is None or order.index(after.no) > index):
            sec.template = tsec
            present.add(tsec.no)


def _distinct_labels(templates: TemplateSet) -> dict[str, set[str]]:
    per_version: dict[str, set[str]] = {}
    for vid, version in templates.versions.items():
        keys: set[str] = set()
        for table in version.tables.values():
            keys.update(k for row in table.rows for k in row.keys if len(k) >= 4)
            keys.update(fold_key(c.label) for b in table.blocks for c in b.columns if len(c.label) >= 4)
        per_version[vid] = keys
    distinct: dict[str, set[str]] = {}
    for vid, keys in per_version.items():
        others = set().union(*(k for v, k in per_version.items() if v != vid))
        distinct[vid] = {k for k in keys if not any(k in o or o in k for o in others)}
    return distinct


# the labels distinct to each version, worked out once per template set and gone with it
_DISTINCT: weakref.WeakKeyDictionary[TemplateSet, dict[str, set[str]]] = weakref.WeakKeyDictionary()


def detect_label_version(lines: list[Line], templates: TemplateSet) -> tuple[str | None, dict[str, list[str]]]:
    distinct = _DISTINCT.get(templates)
    if distinct is None:
        distinct = _DISTINCT[templates] = _distinct_labels(templates)
    table_text = fold_key("".join(ln.plain for ln in lines if ln.kind == "TROW"))
    evidence = {vid: sorted(k for k in keys if k in table_text) for vid, keys in distinct.items()}
    best = max(VERSION_IDS, key=lambda v: len(evidence[v]))
    return (best if evidence[best] else None), evidence


def _read_tables(report_sections: list[Section], lines: list[Line], templates: TemplateSet,
                 version: str, label_version: str | None) -> dict[str, TableData]:
    """Read the tables of the report's version and of the version its labels
    show (a 2021 report may carry the 2019 table 2); each table is read with
    whichever of those versions' definitions fits its labels best."""
    all_rows = [ln for ln in lines if ln.kind == "TROW"]
    tables: dict[str, TableData] = {}
    wanted = {version, label_version}
    uniform = {vid for vid, v in templates.versions.items() if v.uniform_format}
    if wanted & uniform:
        # the two formats share their tables but for a few rows (table 3's
        # （六）): each table is read with whichever fits its labels
        wanted |= uniform
    versions = [v for v in VERSION_IDS if v in wanted]
    table_ids = list(dict.fromkeys(tid for v in versions for tid in templates.versions[v].tables))
    for tid in table_ids:
        best: TableData | None = None
        best_score = 0  # compared only once best is set
        for vid in versions:
            tdef = templates.versions[vid].tables.get(tid)
            if tdef is None:
                continue
            regions = []
            sec = next((s for s in report_sections if s.template and s.template.no == tdef.section), None)
            if sec is not None:
                regions.append([ln for s in sec.walk() for ln in s.table_lines])
            regions.append(all_rows)
            for region in regions:
                data = read_table(tdef, vid, region)
                if data is None:
                    continue
                rows = sum(1 for r in data.rows.values() if not getattr(r, "subtotal", False))
                score = (data.matched_labels * 2 + data.matched_columns * 2 + rows - len(data.missing_rows)
                         - 2 * len(data.problems) + (vid == version))
                if best is None or score > best_score:
                    best, best_score = data, score
                break
        if best is not None and best.rows:
            tables[tid] = best
    return tables


def build_report(doc: Document, templates: TemplateSet | None = None, template: str = "auto",
                 year: int | None = None) -> Report:
    templates = templates or load()
    lines = classify(to_lines(doc), templates)
    content = [ln for ln in lines if ln.kind not in _SKIP]
    tree = parse_outline(content)
    front, sections = _build(tree, content, doc.text)
    title = facts.find_title(content)
    year_fact = facts.find_year(title, content, year)
    label_version, evidence = detect_label_version(content, templates)
    if template != "auto":
        version, reason = template, "命令行或配置指定"
    elif year_fact is not None:
        version = templates.for_year(int(year_fact.value)) or templates.current.id
        reason = f"报告年度 {year_fact.value} 年（来自{facts.SOURCE_NAMES.get(year_fact.source, year_fact.source)}）"
    elif label_version:
        version, reason = label_version, "未能确定报告年度，按表格标签判断"
    else:
        version, reason = templates.current.id, "未能确定报告年度，也没有可识别的表格；默认按现行格式"
    _match_sections(sections, templates, version)
    tables = _read_tables(sections, content, templates, version, label_version)
    tables, old_streams = oldtable.read(tables, content, templates, version, label_version)
    report = Report(
        path=doc.path, document=doc, lines=lines, templates=templates, version=version,
        version_reason=reason, label_version=label_version, title=title,
        agency=facts.find_agency(title, content), year=year_fact,
        period=facts.find_period(content), publication_date=facts.find_publication_date(content),
        front=front, sections=sections, tables=tables, version_evidence=evidence,
    )
    report.stated_numbers = facts.stated_numbers(report)
    oldtable.settle(report, old_streams)  # runs of digits in the old 统计表, settled by the prose
    report.signature_date = facts.find_signature_date(content)
    report.inferred_body_kind = facts.find_body_kind(report.agency, templates.raw.get("rule_data", {}))
    digitruns.settle_with_prose(report)  # digit runs with several readings, by the numbers the prose states
    return report
