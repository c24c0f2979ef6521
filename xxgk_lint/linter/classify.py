"""The line classifier: gives each logical line a kind for the grammar.

Kinds: BLANK, FURNITURE (dropped), META (page metadata such as 发布机构:),
TITLE, H1 一、, H2 （一）, H3 1., H4 （1）, TROW (inside a table), PARA.
It reads the template data to know table row labels (so 三、本年度办理结果 is
a table row, not a section) and table anchors (so every line of a table,
however extraction scattered it, belongs to the table).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .model.lines import Line
from .numerals import CN_NUM, NUMBER_LIST, cn_number
from .ntext import fold_key
from .templates import TemplateSet, load

H1_RE = re.compile(rf"^([{CN_NUM}]{{1,3}})\s*[、.,]\s*(?!是|{NUMBER_LIST})(?=\S)")
# "（三）项" starts a line only where a reference (第二十条第（三）项) wrapped: no heading ("（三）项目" is one)
H2_RE = re.compile(rf"^[(\[]\s*([{CN_NUM}]{{1,3}})\s*[)\]]\s*(?!是|项(?!目))")
H3_RE = re.compile(r"^(\d{1,2})\s*[.、](?!\d)\s*(?=\S)")
H4_RE = re.compile(r"^[(\[]\s*(\d{1,2})\s*[)\]]\s*(?!项(?!目))(?=\S)")
META_RE = re.compile(
    r"^(标题|发布时间|发布日期|成文日期|公开日期|生成日期|文号|发文字号|发布机构|发文机关|索引号|栏目|原文链接|"
    r"本地目录|来源|信息来源|主题分类|公文种类|生效日期|有效性|采集时间|单位|浏览次数)\s*:"
)
NUMBERS_ONLY = re.compile(r"^[\s\d.+\-/%|]+$")
HEADING_RES = {"H1": H1_RE, "H2": H2_RE, "H3": H3_RE, "H4": H4_RE}
# a line that ends in three numbers or more is a table row, whatever its label looks like
_ENDS_IN_VALUES = re.compile(r"(?:\s[-+]?\d[\d,.]*%?){3,}\s*$")


@dataclass(frozen=True)
class Vocabulary:
    anchor_keys: tuple[str, ...]
    rows_by_prefix: dict  # first two characters -> row keys (for speed)
    title_bodies: frozenset


@functools.lru_cache(maxsize=4)
def vocabulary(templates: TemplateSet | None = None) -> Vocabulary:
    templates = templates or load()
    rows: set[str] = set()
    anchors: set[str] = set()
    for version in templates.versions.values():
        for table in version.tables.values():
            for row in table.rows:
                for key in row.keys:
                    if len(key) >= 3:
                        rows.add(key)
            first = next((r for r in table.rows if r.label), None)
            if first:
                anchors.update(k for k in first.keys)
            if table.caption:
                anchors.add(fold_key(table.caption))
            for note in filter(None, [table.corner_note, *table.corner_note_variants]):
                anchors.add(fold_key(note)[:8])
    titles = sorted({fold_key(t) for t in templates.all_section_titles()}, key=len, reverse=True)
    by_prefix: dict[str, list[str]] = {}
    for key in rows:
        by_prefix.setdefault(key[:2], []).append(key)
    bodies = frozenset(re.sub(rf"^[{CN_NUM}]{{1,3}}[,.]", "", t) for t in titles)
    return Vocabulary(tuple(sorted(anchors)), by_prefix, bodies)


@functools.lru_cache(maxsize=1)
def table_start_keys() -> tuple[str, ...]:
    """Folded texts a template table can start with: its caption or corner note
    (the anchors), its first row label, the first header of its first block
    (信息内容, 申请人情况, 行政复议)."""
    templates = load()
    keys = set(vocabulary(templates).anchor_keys)
    for version in templates.versions.values():
        for table in version.tables.values():
            for block in table.blocks[:1]:
                for column in block.columns:
                    label = column.label
                    if len(label) >= 2:
                        keys.add(fold_key(label))
                        break
    return tuple(sorted(k for k in keys if len(k) >= 2))


def heading_kind(text: str) -> tuple[str, re.Match] | None:
    for kind, regex in HEADING_RES.items():
        m = regex.match(text)
        if m:
            return kind, m
    return None


def _is_row_label(key: str, vocab: Vocabulary) -> bool:
    """The line starts with a table row label, or is one cut short by a line break."""
    candidates = vocab.rows_by_prefix.get(key[:2], ())
    # a cut-short label keeps most of its text (三、本年新收…申请数 / 量); a short
    # heading such as （一）主动公开 is no piece of a longer row label
    return any(key.startswith(k) or (len(key) >= 6 and len(key) >= 0.7 * len(k) and k.startswith(key))
               for k in candidates)


def _is_anchor(key: str, vocab: Vocabulary) -> bool:
    return any(key.startswith(a) or (len(a) >= 8 and a in key[:40]) for a in vocab.anchor_keys)


def _starts_with_title(key: str, vocab: Vocabulary) -> bool:
    body = re.sub(rf"^[{CN_NUM}]{{1,3}}[,.]", "", key)
    return any(body.startswith(t) for t in vocab.title_bodies if len(t) >= 2)


def classify_line(line: Line, vocab: Vocabulary) -> str:
    text = line.plain.strip()
    if not text:
        # an empty grid row is kept: it is where a blank table's values belong
        return "TROW" if line.is_row and len(line.cells) > 1 else "BLANK"
    if line.kind == "FURNITURE":
        return "FURNITURE"
    key = fold_key(text)
    if META_RE.match(text):
        return "META"
    if line.is_row:
        hk = heading_kind(line.cells[0].strip()) if line.cells and line.cells[0].strip() else None
        if hk and hk[0] == "H1" and not _is_row_label(key, vocab) and len(line.cells) <= 2:
            return "H1"
        return "TROW"
    hk = heading_kind(text)
    if hk:
        kind = hk[0]
        if _is_row_label(key, vocab) or _ENDS_IN_VALUES.search(text):
            return "TROW"
        if kind == "H1":
            if len(text) <= 60 or line.virtual or _starts_with_title(key, vocab):
                return "H1"
            return "PARA"
        return kind
    if _is_row_label(key, vocab) or NUMBERS_ONLY.match(text):
        return "TROW"
    if len(text) <= 80 and "报告" in text and "。" not in text and re.search(r"\d{4}\s*年", text):
        return "TITLE"
    return "PARA"


def classify(lines: list[Line], templates: TemplateSet | None = None) -> list[Line]:
    """Set ``line.kind`` on every line (stateful passes for titles and tables)."""
    vocab = vocabulary(templates)
    for line in lines:
        line.kind = classify_line(line, vocab)
    _table_of_contents(lines)
    _front_matter(lines)
    _table_regions(lines, vocab)
    _wrapped_references(lines)
    return lines


_TOC_TAIL = re.compile(r"[\s.…·。_\-—]*\d*\s*$")  # "……3" dot leaders and a page number


def _heading_key(line: Line) -> str:
    return fold_key(_TOC_TAIL.sub("", line.plain))


def _table_of_contents(lines: list[Line]) -> None:
    """A table of contents (目录): three or more section headings in a row with
    nothing between them, each repeated later in the body, is front matter --
    not six empty sections followed by six duplicates."""
    content = [ln for ln in lines if ln.kind not in ("BLANK", "FURNITURE")]
    # the last place of each H1 heading: "repeated later" without rescanning the
    # rest of the document for every run (quadratic in the lines otherwise)
    last_h1 = {_heading_key(ln): i for i, ln in enumerate(content) if ln.kind == "H1"}
    n = 0
    while n < len(content):
        run = []
        while n + len(run) < len(content) and content[n + len(run)].kind in ("H1", "H2"):
            run.append(content[n + len(run)])
        if sum(ln.kind == "H1" for ln in run) >= 3:
            after = n + len(run)
            if all(last_h1.get(_heading_key(ln), -1) >= after for ln in run if ln.kind == "H1"):
                for ln in run:
                    ln.kind = "PARA"
        n += len(run) or 1


def _wrapped_references(lines: list[Line]) -> None:
    """A line that ends in 第 (第二十条第 / （五）项) was cut inside a reference:
    the marker that starts the next line is part of it, not a heading."""
    previous = None
    for line in lines:
        if line.kind in ("BLANK", "FURNITURE"):
            continue
        if (line.kind in ("H2", "H4") and previous is not None and previous.kind == "PARA"
                and previous.plain.rstrip().endswith("第")):
            line.kind = "PARA"
        previous = line


def _front_matter(lines: list[Line]) -> None:
    """TITLE only before the body; a short line right above the title (the
    agency on its own line) is part of it; META only before the body."""
    seen_body = False
    content = [ln for ln in lines if ln.kind not in ("BLANK", "FURNITURE")]
    for n, line in enumerate(content):
        if line.kind in ("H1", "H2", "H3", "H4", "TROW"):
            seen_body = True
        if line.kind == "PARA" and not seen_body:
            nxt = content[n + 1] if n + 1 < len(content) else None
            text = line.plain.strip()
            if (nxt is not None and nxt.kind == "TITLE" and len(text) <= 30
                    and not re.search(r"[。,，;:]", text)):
                line.kind = "TITLE"
                continue
            seen_body = True
        elif line.kind == "TITLE" and seen_body:
            line.kind = "PARA"
        elif line.kind == "META" and seen_body:
            line.kind = "PARA"


def _table_regions(lines: list[Line], vocab: Vocabulary) -> None:
    """Lines from a table anchor up to the next section heading are table lines.

    Inside a table, a line that looks like 一、/三、 but does not number a later
    section is a piece of a row label (三、本 / 年度办 / 理结果 in PDF text)."""
    in_table = False
    section_number = 0
    for line in lines:
        if line.kind in ("BLANK", "FURNITURE", "META", "TITLE"):
            continue
        key = fold_key(line.plain)
        if line.kind == "H1":
            m = H1_RE.match(line.plain.strip())
            number = cn_number(m.group(1)) if m else 0
            if in_table and number <= section_number and not _starts_with_title(key, vocab):
                line.kind = "TROW"
                continue
            in_table = False
            section_number = number
            continue
        if not in_table and (_is_anchor(key, vocab) or (line.is_row and key)):
            in_table = True
        if in_table:
            if line.kind == "PARA" and not line.is_row and ("。" in line.plain or len(line.plain) > 120):
                # a sentence ends the table (notes or prose under a table)
                in_table = False
                continue
            line.kind = "TROW"
