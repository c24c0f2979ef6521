"""Blocks -> logical lines of normalised text, each mapped back to the source.

What is normalised (for matching; the source stays untouched):
- full-width ASCII forms and odd spaces fold to ASCII (``（一）`` -> ``(一)``);
- Markdown heading marks, emphasis and quote marks are dropped;
- whitespace runs collapse to one space; table cells are joined by a tab;
- page numbers and site furniture left by PDF/web extraction are dropped;
- a whole report flattened onto one line (text copied from a web page) is cut
  into virtual lines before its heading markers.
"""

from __future__ import annotations

import functools
import re
from .model.document import Document
from .model.lines import Line  # built here; also imported from here by the table readers
from .numerals import NUMBER_LIST
from .ntext import FOLD_TABLE, NText, fold_key, join


_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_MD_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[/,，]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
_BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
# Furniture of government web pages that is never report text.
_FURNITURE = re.compile(
    r"^\s*(?:字号[:：].*|【?\s*字体[:：].*|打印本页|关闭窗口|【?打印】?|【?关闭】?|分享到[:：]?.*|"
    r"=+\s*正文\s*=+|页面链接与图片详见.*|扫一扫.*|当前位置[:：].*|您当前的位置[:：].*|"
    r"[>＞»]?\s*[^\s>＞»]+(?:\s*[>＞»]\s*[^\s>＞»]+){2,})\s*$"  # breadcrumb: 首页 > 政务公开 > …
)
_LONG_LINE = 300
_MARKER = re.compile(rf"[一二三四五六七八九十]{{1,2}}[、.](?!是|{NUMBER_LIST})|[(（][一二三四五六七八九十]{{1,3}}[)）](?!是)")
# characters after which a heading marker in a flattened line starts a new line
_BREAK_AFTER = set(" 。；;！!？?）)]】0123456789")


_MD_MARKS = re.compile(r"[#>*_]")


def _strip_markdown(nt: NText) -> tuple[NText, str | None]:
    if not _MD_MARKS.search(nt.text):  # none of the marks can match
        return nt, None
    style = None
    removals: list[tuple[int, int]] = []
    m = _MD_HEADING.match(nt.text)
    if m:
        style = f"h{len(m.group(1))}"
        removals.append((0, m.end()))
    else:
        q = _MD_QUOTE.match(nt.text)
        if q and q.end() > 0:
            removals.append((0, q.end()))
    start = removals[-1][1] if removals else 0
    for em in _MD_EMPHASIS.finditer(nt.text, start):
        if em.end() > em.start():
            removals.append((em.start(), em.end()))
    return nt.remove(sorted(removals)), style


_COMMENT = re.compile(r"<!--.*?-->")


def _normalise_piece(doc: Document, start: int, end: int, markdown: bool) -> tuple[NText, str | None]:
    if start >= end:  # an empty cell: nothing to normalise
        return NText("", [], end), None
    nt = NText.from_source(doc.text, start, end)
    if "<!--" in nt.text:  # suppression directives and other comments are not report text
        nt = nt.remove([(m.start(), m.end()) for m in _COMMENT.finditer(nt.text)])
    style = None
    if markdown:
        nt, style = _strip_markdown(nt)
    nt = nt.map_chars(FOLD_TABLE).collapse_spaces()
    # Markdown escapes such as "1\." keep only the escaped character.
    if markdown and "\\" in nt.text:
        nt = nt.remove([(m.start(), m.start() + 1) for m in re.finditer(r"\\(?=[^\w\s])", nt.text)])
    return nt, style


def to_lines(doc: Document) -> list[Line]:
    markdown = doc.format == "md" or doc.format == "txt"
    lines: list[Line] = []
    for block in doc.blocks:
        if block.kind == "table" and block.rows:
            for row in block.rows:
                cells = [_normalise_piece(doc, c.start, c.end, markdown)[0] for c in row]
                # drop empty trailing/leading cells only where they carry nothing
                lines.append(Line(join(cells, "\t"), is_row=True))
            continue
        nt, style = _normalise_piece(doc, block.start, block.end, markdown)
        if block.style and not style:
            style = block.style
        lines.append(Line(nt, style=style))
    lines = _drop_furniture(lines)
    return _split_flattened(lines)


def _running_headers(lines: list[Line]) -> set[str]:
    """Lines repeated on every page by PDF extraction (a running header or
    footer such as the report's title): the same text, with at least six
    Chinese characters (a row of zeros repeats too), three times or more.  Their first occurrence is kept (it may be the title)."""
    counts: dict[str, int] = {}
    for line in lines:
        text = line.plain.strip()
        if (not line.is_row and 8 <= len(text) <= 60 and not re.search(r"[。;；]", text)
                and len(re.findall(r"[\u4e00-\u9fff]", text)) >= 6):
            counts[text] = counts.get(text, 0) + 1
    return {text for text, n in counts.items() if n >= 3}


def _drop_furniture(lines: list[Line]) -> list[Line]:
    kept: list[Line] = []
    blank_run = 0
    headers = _running_headers(lines)
    seen_headers: set[str] = set()
    for n, line in enumerate(lines):
        text = line.plain
        if text.strip() in headers:
            if text.strip() in seen_headers:
                line.kind = "FURNITURE"
                continue
            seen_headers.add(text.strip())
        if not line.is_row:
            if not text.strip():
                blank_run += 1
                kept.append(line)
                continue
            if _PAGE_NUMBER.match(text) or (len(text) <= 100 and _FURNITURE.match(text)):
                line.kind = "FURNITURE"
                blank_run = 0
                continue
            # A bare number after two or more blank lines is a page number left
            # by PDF text extraction (seed 002); table cells are not set so.
            if _BARE_NUMBER.match(text) and blank_run >= 2:
                nxt = lines[n + 1].plain.strip() if n + 1 < len(lines) else ""
                if not nxt:
                    blank_run = 0
                    continue
        blank_run = 0
        kept.append(line)
    return kept


# 行政复议、行政诉讼 is also written 行政复议与/及/和行政诉讼 (real 2022-2025 reports):
# titles are compared with these words and 、 (folded to ",") as one
_CONJUNCTIONS = str.maketrans("与及和", ",,,")


@functools.lru_cache(maxsize=1)
def _title_keys() -> tuple[str, ...]:
    from .templates import load

    bodies = {re.sub(r"^[一二三四五六七八九十]{1,3}[,.]", "", fold_key(t)).translate(_CONJUNCTIONS)
              for t in load().all_section_titles()}
    return tuple(sorted((b for b in bodies if len(b) >= 2), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _titles_by_start() -> dict[str, tuple[str, ...]]:
    by_start: dict[str, list[str]] = {}
    for title in _title_keys():
        by_start.setdefault(title[:2], []).append(title)
    return {start: tuple(titles) for start, titles in by_start.items()}


def _titles_starting(start: str) -> tuple[str, ...]:
    """The title keys (in ``_title_keys`` order) that begin with ``start``: only
    those can give ``_fuzzy_prefix`` a length (both of its ways need the key's
    first two characters to be the title's)."""
    return _titles_by_start().get(start, ())


def _fuzzy_prefix(key: str, title: str) -> int:
    """Length of the prefix of ``key`` that is ``title``, allowing one typo in
    a long title (四、政府信息公开行政法复议… in a real report)."""
    if key.startswith(title):
        return len(title)
    if len(title) >= 8 and key[:2] == title[:2]:
        from difflib import SequenceMatcher

        for length in (len(title) + 1, len(title) - 1):
            matcher = SequenceMatcher(None, key[:length], title)
            # the quick ratios bound ratio() from above and cost far less
            if matcher.real_quick_ratio() >= 0.93 and matcher.quick_ratio() >= 0.93 and matcher.ratio() >= 0.93:
                return length
    return 0


_TITLE_MARKER = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\))\s*")


def title_end(text: str) -> int | None:
    """Where a heading's known section title ends in ``text`` (一、总体情况|2023年…), or None."""
    m = _TITLE_MARKER.match(text)
    if not m:
        return None
    rest = text[m.end():]
    rest_key = fold_key(rest[:60]).translate(_CONJUNCTIONS)
    for title in _titles_starting(rest_key[:2]):
        length = _fuzzy_prefix(rest_key, title)
        if length:
            title = rest_key[:length]
            # walk the raw text until the folded title is consumed
            consumed, i = 0, 0
            while i < len(rest) and consumed < len(title):
                if not rest[i].isspace():
                    consumed += 1
                i += 1
            return m.end() + i
    return None


def _split_flattened(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for line in lines:
        if line.is_row or len(line.plain) < _LONG_LINE:
            out.append(line)
            continue
        text = line.plain
        cuts = {0}
        for m in _MARKER.finditer(text):
            i = m.start()
            if i == 0 or text[i - 1] in _BREAK_AFTER or title_end(text[i:]) is not None:
                cuts.add(i)
        cuts.update(_tables_after_sentences(text))
        cuts = sorted(cuts)
        cuts.append(len(line.plain))
        for i, j in zip(cuts, cuts[1:]):
            piece = line.text.slice(i, j)
            # trim spaces left at the cut
            lead = len(piece.text) - len(piece.text.lstrip(" "))
            trail = len(piece.text.rstrip(" "))
            piece = piece.slice(lead, trail)
            if not piece.text:
                continue
            cut = title_end(piece.text)
            if cut is not None and cut < len(piece.text):
                rest = piece.slice(cut)
                lead = len(rest.text) - len(rest.text.lstrip(" "))
                out.append(Line(piece.slice(0, cut), virtual=True))
                if rest.text.strip():
                    out.append(Line(rest.slice(lead), virtual=True))
                continue
            out.append(Line(piece, virtual=True))
    return out


_SENTENCE_END = re.compile(r"[。；;！!？?]\s*")


def _tables_after_sentences(text: str) -> list[int]:
    """Where a table starts right after a sentence in a page flattened onto one
    line ("…情况。 第二十条第（一）项 信息内容 …"): the sentence is prose, the rest
    the table, so the line is cut between them."""
    from .classify import table_start_keys

    keys = table_start_keys()

    def table_at(i: int) -> bool:
        head = fold_key(text[i:i + 40])
        return bool(head) and any(head.startswith(k) for k in keys)

    cuts = [m.end() for m in _SENTENCE_END.finditer(text) if table_at(m.end())]
    # a sub-heading with the table right after it ("（一）行政复议、行政诉讼情况 行政复议 行政诉讼 …")
    for m in _SUBHEADING_THEN_SPACE.finditer(text):
        if table_at(m.end()):
            cuts.append(m.end())
    return cuts


_SUBHEADING_THEN_SPACE = re.compile(r"[(（][一二三四五六七八九十]{1,3}[)）][^\s。;；]{2,24}\s+")
