"""Web pages (.html/.htm): the report text of a government page, without the
site around it.

The page is decoded with its declared charset (GB2312/GBK pages are decoded as
GB18030, their superset), parsed with lxml, and walked in document order:
block elements become lines, data tables become grids (colspan/rowspan
resolved), layout tables are walked as flow.  Navigation, breadcrumbs, share
and font-size widgets, scripts and the page's metadata table (索引号, 发布机构 …)
are dropped; the publication date found there is kept in
``Document.metadata["published"]``.  ``line_info`` gives each line's line and
column in the HTML source.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass, field

from ..model.document import Block, Cell, Document

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "x-euc-cn", "euc-cn", "csgb2312"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "nav", "aside", "form", "button", "select",
              "option", "iframe", "object", "embed", "svg", "input", "textarea", "map", "audio", "video", "canvas"}
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre", "section",
               "article", "main", "center", "address", "figure", "figcaption", "caption", "ul", "ol", "dl", "hr",
               "header", "footer", "tr", "td", "th", "table", "tbody", "thead", "tfoot", "body", "html"}
_FURNITURE_TOKEN = re.compile(
    r"(?:^|[-_])(?:nav|navs|navbar|mainnav|subnav|menu|breadcrumbs?|crumbs?|bread|position|location|curpos|"
    r"share|bdshare|bdsharebuttonbox|footer|foot|copyright|sidebar|toolbar|print|fontsize|font-size|zihao|"
    r"related|relevant|header|topbar|search|login|qrcode|ewm|meta)(?:[-_]|$)|^(?:head|top|bottom|nav\d*)$",
    re.I)
_META_LABELS = ("索引号", "发布机构", "发文机关", "发文字号", "主题分类", "成文日期", "公开日期", "发布日期",
                "生效日期", "信息来源", "公开方式", "公开范围", "文号", "主题词", "关键词", "有效性", "时效")
_DATE_LABEL = re.compile(r"(?:发布日期|发布时间|公开日期|成文日期|日期)\s*[:：]?\s*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
_TITLE_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u200b]+")
_WS_CHARS = " \t\r\n\f\v\u00a0\u3000\u200b"
_MAX_LAYOUT_CELL = 400
# a start tag (its name in group 1) or a comment, as the HTML tokenizer sees them
_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<([A-Za-z][^\s/>]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>?", re.S)
# elements whose content is text, not tags (libxml2's list)
_RAW_TEXT = {"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "area", "base", "col", "embed", "source", "param",
         "track", "keygen"}
# where a text begins after a tag: spaces, space entities, end tags and comments come first
_LEAD = re.compile(r"(?:[ \t\r\n\f\v\u3000]+|&(?:nbsp|ensp|emsp|thinsp|#160|#x[aA]0|#12288|#x3000);?|</[^>]*>|"
                   r"<!--.*?-->)*", re.S)
_PROBE = re.compile(r"[^\s&<>\"'\u00a0\u3000\u200b]{1,4}")
# libxml2 counts lines up to 65535, then stays there
_LAST_LINE = 65535
# a table of more grid positions than this is refused (no report has one)
MAX_GRID_CELLS = 1_000_000


@dataclass
class HtmlDocument(Document):
    """A web page's Document: ``location`` gives the line and column in the
    HTML source.  ``literal[i]`` is how many characters line ``i`` of the
    extracted text has in common with the source where the line starts (a
    text without entities or tags inside): within them the column is exact,
    beyond them ``location`` gives where the element's text starts."""

    literal: list[int] = field(default_factory=list, repr=False)

    def location(self, offset: int) -> dict:
        info = super().location(offset)
        line, column = self.line_col(offset)
        if info.get("kind") == "html" and line - 1 < len(self.literal):
            same = self.literal[line - 1]
            k = column - 1
            if k < same or k == same == len(self.line_text(line)):
                info["column"] += k
        return info


def decode(data: bytes) -> tuple[str, str]:
    """Decode with the BOM, else the declared charset, else UTF-8, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "utf-16"
    m = _CHARSET.search(data[:8192])
    declared = m.group(1).decode("ascii", "ignore").lower() if m else ""
    if declared in _GB_FAMILY:
        declared = "gb18030"
    try:
        codecs.lookup(declared or "utf-8")
    except LookupError:  # a misspelt charset (gb2342): find the encoding as if none were declared
        declared = ""
    candidates = [declared] if declared else []
    candidates += [e for e in ("utf-8", "gb18030") if e not in candidates]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    # a few broken bytes: the encoding that needs the fewest replacement characters
    decoded = {e: data.decode(e, "replace") for e in candidates}
    best = min(candidates, key=lambda e: decoded[e].count("\ufffd"))
    return decoded[best], best


def read(path: str) -> Document:
    from . import ReadError

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ReadError.of("E001", "cannot_read", reason=exc.strerror or exc) from exc
    source, encoding = decode(data)
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    import lxml.html
    from lxml import etree

    # comments are kept only so that xxgk-lint directives reach the source text
    parser = lxml.html.HTMLParser(remove_comments=False, remove_pis=True, no_network=True, huge_tree=False,
                                  default_doctype=False)
    stripped = _XML_DECL.sub(lambda m: " " * len(m.group(0)), source, count=1)
    if not stripped.strip():
        raise ReadError.of("E004", "html_empty")
    try:
        root = lxml.html.document_fromstring(stripped, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReadError.of("E007", "html_unparsable", exc=exc) from exc
    builder = _Builder(path, stripped, root)
    builder.walk(root)
    builder.flush()
    doc = builder.document()
    doc.metadata["encoding"] = encoding
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        doc.metadata["title"] = _WS.sub(" ", title.text_content()).strip()
    if not any(doc.text[b.start:b.end].strip() for b in doc.blocks if b.kind == "paragraph") and \
            not any(b.kind == "table" for b in doc.blocks):
        raise ReadError.of("E004", "html_no_text")
    return doc


def _classes(el) -> list[str]:
    return (el.get("class") or "").split() + ([el.get("id")] if el.get("id") else [])


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or el.get("hidden") is not None


def _text(el) -> str:
    parts: list[str] = []
    _visible_text(el, parts)
    return _WS.sub(" ", "".join(parts)).strip()


def _visible_text(el, out: list[str]) -> None:
    """Append the visible text of ``el`` to ``out`` (a list, not nested
    generators: this runs for every table cell of a page)."""
    if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS or _hidden(el):
        return
    if el.text:
        out.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            if child.tag == "br":
                out.append(" ")
            else:
                _visible_text(child, out)
                if child.tag in _BLOCK_TAGS:
                    out.append(" ")
        if child.tail:
            out.append(child.tail)


class _SourceMap:
    """Where each element of the parsed tree starts in the HTML source.

    lxml gives an element's line only (the line its start tag ends on, up to
    65535), so the start tags and comments of the source are found with a
    tokenizer and matched, in document order, to the tree's elements.  An
    element the parser made up (an implied <html>/<body>) starts where the
    previous tag ended."""

    def __init__(self, source: str, root, comment_tag):
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        starts: list[int] = []
        ends: list[int] = []
        names: list[str] = []
        pos = 0
        while (m := _TOKEN.search(source, pos)) is not None:
            name = (m.group(1) or "!--").lower()
            starts.append(m.start())
            ends.append(m.end())
            names.append(name)
            pos = m.end()
            if name in _RAW_TEXT and not m.group(0).endswith("/>"):
                close = re.compile(rf"</{name}[\s/>]", re.I).search(source, pos)
                pos = close.start() if close else len(source)
        # texts lie between start tags (comments inside a text are skipped over)
        self.tag_starts = [start for start, name in zip(starts, names) if name != "!--"]
        self.at: dict = {}  # element -> (start of its tag, end of its tag)
        j, last, n = 0, 0, len(starts)
        for el in root.iter():
            if el.tag is comment_tag:
                name = "!--"
            elif isinstance(el.tag, str):
                name = el.tag.lower()
            else:
                continue
            line = el.sourceline if el.sourceline and el.sourceline < _LAST_LINE else None
            window = 4 if name in ("html", "head", "body") else 64
            found = -1
            for k in range(j, min(n, j + window)):
                if line is not None and self.line(starts[k]) > line:
                    break
                if names[k] == name and (line is None or self.line(ends[k]) >= line):
                    found = k
                    break
            if found == -1:
                self.at[el] = (last, last)
            else:
                self.at[el] = (starts[found], ends[found])
                j, last = found + 1, ends[found]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def position(self, offset: int) -> dict:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return {"kind": "html", "line": index + 1, "column": offset - self.line_starts[index] + 1}

    def element(self, el) -> int:
        """Where the start tag of ``el`` begins."""
        return self.at.get(el, (0, 0))[0]

    def text(self, owner, tail: bool, text: str) -> int:
        """Where a text node begins: ``owner.text`` (after the start tag of
        ``owner``) or ``owner.tail`` (after its end tag).  Between two start
        tags there is only text, end tags and comments, so the text is looked
        for there and never in an attribute."""
        source = self.source
        begin = self.at.get(owner, (0, 0))[1]
        if tail and isinstance(owner.tag, str) and owner.tag.lower() not in _VOID:
            *_, last = owner.iter()  # the tail follows the end tags after the last descendant's start tag
            begin = self.at.get(last, (0, begin))[1]
            name = owner.tag.lower()
            depth, node = 0, last  # elements named like owner between it and the last descendant
            while node is not None and node is not owner:
                depth += isinstance(node.tag, str) and node.tag.lower() == name
                node = node.getparent()
            gap_end = self._gap_end(begin)
            close = re.compile(rf"</{re.escape(name)}\s*>", re.I)
            pos = begin
            for _ in range(depth + 1):
                m = close.search(source, pos, gap_end)
                if m is None:
                    break
                pos = m.end()
            else:
                begin = pos
        gap_end = self._gap_end(begin)
        lead = _LEAD.match(source, begin, gap_end)
        offset = lead.end() if lead else begin
        probe = _PROBE.match(text.lstrip(_WS_CHARS))
        if probe and not source.startswith(probe.group(0), offset):
            found = source.find(probe.group(0), begin, gap_end)
            if found != -1:
                offset = found
        return min(offset, max(gap_end, begin))

    def _gap_end(self, offset: int) -> int:
        k = bisect.bisect_left(self.tag_starts, offset)
        return self.tag_starts[k] if k < len(self.tag_starts) else len(self.source)


def _first_text(el):
    """The first visible non-blank text node in ``el``, in the order
    :func:`_visible_text` reads them: (owner, is_tail, text) or None."""
    if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS or _hidden(el):
        return None
    if el.text and el.text.strip(_WS_CHARS):
        return el, False, el.text
    for child in el:
        if isinstance(child.tag, str) and child.tag != "br":
            found = _first_text(child)
            if found is not None:
                return found
        if child.tail and child.tail.strip(_WS_CHARS):
            return child, True, child.tail
    return None


def _literal(source: str, offset: int, text: str) -> int:
    """How many leading characters of ``text`` the source has at ``offset``."""
    if source.startswith(text, offset):
        return len(text)
    low, high = 0, len(text)  # source has text[:low], lacks text[:high]
    while high - low > 1:
        mid = (low + high) // 2
        if source.startswith(text[:mid], offset):
            low = mid
        else:
            high = mid
    return low


class _Builder:
    def __init__(self, path: str, source: str, root):
        from lxml import etree

        self.path = path
        self.source = source
        self.map = _SourceMap(source, root, etree.Comment)
        self.lines: list[str] = []
        self.info: list[dict] = []
        self.literal: list[int] = []
        self.blocks: list[Block] = []
        self.pos = 0
        self.buffer: list[str] = []
        self.buffer_el = None
        self.buffer_at = None  # (owner, is_tail, text) of the buffer's first text
        self.buffer_style: str | None = None
        self.metadata: dict = {}
        self.in_article = 0
        self.date_line_added = False
        self.block_els: dict[int, object] = {}  # paragraph block index -> element
        self.meta_el = None
        self.comment_tag = etree.Comment

    # -- positions ------------------------------------------------------------------
    def locate(self, el, node=None) -> int:
        """Source offset of the text of ``el``: of its text node ``node``
        (owner, is_tail, text), else of its first visible text; an element
        without text is at its start tag."""
        node = node or _first_text(el)
        if node is None:
            return self.map.element(el)
        return self.map.text(*node)

    def add_line(self, text: str, offset: int) -> tuple[int, int]:
        start = self.pos
        self.lines.append(text)
        self.info.append(self.map.position(offset))
        self.literal.append(_literal(self.source, offset, text))
        self.pos += len(text) + 1
        return start, start + len(text)

    # -- flow -------------------------------------------------------------------------
    def flush(self) -> None:
        text = _WS.sub(" ", "".join(self.buffer)).strip()
        el, at, style = self.buffer_el, self.buffer_at, self.buffer_style
        self.buffer, self.buffer_el, self.buffer_at, self.buffer_style = [], None, None, None
        self.meta_el = el
        if not text or self._metadata_line(text):
            return
        start, end = self.add_line(text, self.locate(el, at))
        self.blocks.append(Block("paragraph", start, end, style=style))
        self.block_els[len(self.blocks) - 1] = el

    def append(self, text: str | None, el, tail_of=None) -> None:
        """Add ``el``'s text, or the tail of its child ``tail_of``."""
        if not text:
            return
        if self.buffer_el is None and text.strip():
            self.buffer_el = el
        if self.buffer_at is None and text.strip(_WS_CHARS):
            self.buffer_at = (tail_of, True, text) if tail_of is not None else (el, False, text)
        self.buffer.append(text)

    def walk(self, el) -> None:
        if el.tag is self.comment_tag:
            self._directive(el)
            return
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP_TAGS or _hidden(el) or self._furniture(el, tag):
            return
        if tag == "table" and not self._layout_table(el):
            self.flush()
            self.table(el)
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
            if tag in ("h1", "h2", "h3", "h4"):
                self.buffer_style = tag
        if tag == "br":
            self.flush()
            return
        article = tag in ("article", "main")
        self.in_article += article
        self.append(el.text, el)
        for child in el:
            self.walk(child)
            if block and isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
                self.flush()
            self.append(child.tail, el, child)
        self.in_article -= article
        if block:
            self.flush()

    def _directive(self, comment) -> None:
        """An ``<!-- xxgk-lint: … -->`` comment goes into the source text where
        it stands: inside a paragraph (noqa for that paragraph) or on its own
        line (disable / enable / disable-next-line).  Other comments are dropped."""
        text = comment.text or ""
        if not re.match(r"\s*xxgk-lint\s*:", text):
            return
        directive = f"<!--{text}-->"
        if self.buffer_el is not None:
            self.buffer.append(" " + directive)
            return
        self.flush()
        start, end = self.add_line(directive, self.map.element(comment))
        self.blocks.append(Block("paragraph", start, end))

    def _furniture(self, el, tag: str) -> bool:
        if tag in ("header", "footer") and not self.in_article:
            return True
        if tag in ("html", "body", "table", "tr", "td", "th", "tbody"):
            return False
        return any(_FURNITURE_TOKEN.search(token) for token in _classes(el))

    def _metadata_line(self, text: str) -> bool:
        """A page's 索引号/发布机构 line is dropped; a publication date found in
        it is kept in the metadata and as one 发布日期 line (the date is report
        information, the rest is the site's)."""
        labels = sum(1 for label in _META_LABELS if label in text)
        date = _DATE_LABEL.search(text)
        if len(text) > 120:
            return False
        if date:
            self._published(date.groups())
        if labels >= 2 or (labels == 1 and not date and re.match(r"^\s*(?:索引号|发布机构|发文字号|主题分类|信息来源)", text)):
            if date:
                self._date_line()
            return True
        return False

    def _published(self, ymd) -> None:
        y, mo, d = ymd
        self.metadata.setdefault("published", f"{y}-{int(mo):02d}-{int(d):02d}")

    def _date_line(self) -> None:
        if "published" in self.metadata and not self.date_line_added:
            self.date_line_added = True
            text = f"发布日期：{self.metadata['published']}"
            where = self.locate(self.meta_el) if self.meta_el is not None else 0
            start, end = self.add_line(text, where)
            self.blocks.append(Block("paragraph", start, end))

    # -- tables -----------------------------------------------------------------------
    def _layout_table(self, table) -> bool:
        if table.find(".//table") is not None:
            return True
        cells = [c for c in table.iter("td", "th")]
        if not cells:
            return True
        if max((len(tr.findall("td")) + len(tr.findall("th")) for tr in table.iter("tr")), default=0) <= 1:
            return True
        return any(len(_text(c)) > _MAX_LAYOUT_CELL for c in cells)

    def _metadata_table(self, table, grid_text: list[str]) -> bool:
        joined = "".join(grid_text)
        if sum(1 for label in _META_LABELS if label in joined) < 2 or len(joined) > 600:
            return False
        for n, text in enumerate(grid_text):
            if any(text.startswith(k) for k in ("发布日期", "公开日期", "发布时间", "成文日期")):
                value = text if _DATE_LABEL.search(text) else (grid_text[n + 1] if n + 1 < len(grid_text) else "")
                m = re.search(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})", value)
                if m:
                    self._published(m.groups())
        self.meta_el = table
        self._date_line()
        return True

    def table(self, table) -> None:
        trs = [tr for tr in table.iter("tr") if not _hidden(tr)]
        raw_rows = []
        for tr in trs:
            row = []
            for td in tr:
                if isinstance(td.tag, str) and td.tag in ("td", "th") and not _hidden(td):
                    row.append((td, _text(td), _span(td, "rowspan"), _span(td, "colspan")))
            raw_rows.append(row)
        if self._metadata_table(table, [t for row in raw_rows for _, t, _, _ in row]):
            return
        spans = _grid_spans([[(rowspan, colspan) for _, _, rowspan, colspan in row] for row in raw_rows])
        rows: list[list[Cell]] = []
        first = self.pos
        for row, row_spans in zip(raw_rows, spans):
            cells = []
            for (td, text, _, _), (rowspan, colspan) in zip(row, row_spans):
                start, end = self.add_line(text, self.locate(td))
                cells.append(Cell(start, end, rowspan, colspan))
            rows.append(cells)
        if any(rows):
            self.blocks.append(Block("table", first, max(self.pos - 1, first), rows=rows))

    def _drop_before_title(self) -> list[Block]:
        """Text above the report's title is the site's (site name, column
        name), except the publication date and lines inside the title's own
        container (an agency name set above the title)."""
        text = "\n".join(self.lines)

        def is_title(block: Block) -> bool:
            line = text[block.start:block.end]
            return block.kind == "paragraph" and len(line) <= 80 and "报告" in line and bool(_TITLE_YEAR.search(line))

        n = next((n for n, block in enumerate(self.blocks[:40]) if is_title(block)), None)
        if n is None:
            return self.blocks
        container = self.block_els.get(n).getparent() if self.block_els.get(n) is not None else None
        kept = []
        for i, block in enumerate(self.blocks[:n]):
            el = self.block_els.get(i)
            line = text[block.start:block.end]
            inside = container is not None and el is not None and any(a is container for a in el.iterancestors())
            if block.kind != "paragraph" or line.startswith("发布日期") or inside:
                kept.append(block)
        return kept + self.blocks[n:]

    def document(self) -> Document:
        doc = HtmlDocument(path=self.path, format="html", text="\n".join(self.lines),
                           blocks=self._drop_before_title(), line_info=self.info, literal=self.literal)
        doc.metadata.update(self.metadata)
        return doc


def _span(td, name: str) -> int:
    """A rowspan/colspan as browsers read it: the leading digits ("2.5" is 2),
    at least 1, at most 1000 (the limit of colspan in HTML)."""
    m = re.match(r"[ \t\n\f\r]*\+?0*(\d{1,7})", td.get(name) or "")
    return max(1, min(int(m.group(1)), 1000)) if m else 1


def _grid_spans(rows: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """The (rowspan, colspan) of each cell, clamped to the grid the table has:
    a row span to the rows below it, a column span to the widest row of the
    table (a row's cells counted at most as wide as the most cells any row
    has).  The grid is laid out keeping, for each column, the last row a cell
    above covers; a grid of more than MAX_GRID_CELLS positions is refused."""
    from . import ReadError

    most = max((len(row) for row in rows), default=0)
    width = max((sum(min(colspan, most) for _, colspan in row) for row in rows), default=0)
    covered_until: list[int] = []  # column -> last row a cell from above covers
    out = []
    for r, row in enumerate(rows):
        col = 0
        spans = []
        for rowspan, colspan in row:
            while col < len(covered_until) and covered_until[col] >= r:
                col += 1
            rowspan, colspan = min(rowspan, len(rows) - r), min(colspan, width)
            if col + colspan > len(covered_until):
                covered_until.extend([-1] * (col + colspan - len(covered_until)))
                if len(covered_until) * len(rows) > MAX_GRID_CELLS:
                    raise ReadError.of("E005", "html_table_too_large",
                                       {"rows": len(rows), "columns": len(covered_until), "limit": MAX_GRID_CELLS},
                                       rows=len(rows), columns=len(covered_until), limit=MAX_GRID_CELLS)
            covered_until[col:col + colspan] = [r + rowspan - 1] * colspan
            spans.append((rowspan, colspan))
            col += colspan
        out.append(spans)
    return out
