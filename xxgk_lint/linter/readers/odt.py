"""OpenDocument text (.odt): content.xml read directly, so LibreOffice is not
needed.  Same composition as .docx: one source line per body paragraph or
heading, one per table cell; merged cells (number-columns/rows-spanned) appear
once at their origin and covered cells are skipped.  ``line_info`` gives the
paragraph number with its first words, or table/row/column, as for .docx.
"""

from __future__ import annotations

from ..model.document import Block, Cell, Document
from . import limits

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_EXCERPT = 16
# a run of spaces (<text:s text:c="N"/>) longer than this is cut: no report
# needs more, and a crafted count of 10⁹ would take gigabytes
MAX_SPACES = 1000
# columns a cell may span or repeat (LibreOffice's sheets have 16384; a text table far fewer)
MAX_SPAN = 1024
_SKIP = {TEXT + "note", TEXT + "tracked-changes", OFFICE + "annotation", TEXT + "sequence-decls"}


def read(path: str) -> Document:
    from . import ReadError

    zf = limits.open_zip(path, "OpenDocument")
    with zf:
        if "content.xml" not in zf.namelist():
            raise ReadError.of("E007", "odt_no_content", {"part": "content.xml"})
        root = limits.parse_xml(limits.read_member(zf, "content.xml", "OpenDocument"), "content.xml", "OpenDocument")
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise ReadError.of("E007", "odt_no_body", {"part": "content.xml"})
    builder = _Builder(path)
    builder.walk(body)
    doc = builder.document()
    if not doc.text.strip():
        raise ReadError.of("E004", "no_text", kind="OpenDocument")
    return doc


def text_of(el) -> str:
    """Visible text: spans and links inline, <text:s/> spaces, tabs and line
    breaks as spaces; notes and annotations left out."""
    out = [el.text or ""]
    for child in el:
        if child.tag in _SKIP:
            pass
        elif child.tag == TEXT + "s":
            out.append(" " * min(_count(child.get(TEXT + "c")) or 1, MAX_SPACES))
        elif child.tag in (TEXT + "tab", TEXT + "line-break"):
            out.append(" ")
        else:
            out.append(text_of(child))
        out.append(child.tail or "")
    return "".join(out)


def _cell_paragraphs(el):
    """The paragraphs of a table cell in order, not those inside a comment
    (office:annotation) or note anchored in it: those are not the cell's text."""
    for child in el:
        if child.tag in _SKIP:
            continue
        if child.tag in (TEXT + "p", TEXT + "h"):
            yield child
        else:
            yield from _cell_paragraphs(child)


def _count(value: str | None) -> int | None:
    """An ODF count (xsd:positiveInteger); None when it is missing or no
    integer at all ("abc", "1.5", "NaN", "1e400")."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    return int(value) if len(value) <= 9 else 10 ** 9


def _table_count(tc, name: str) -> int:
    """A table cell's span or repeat: 1 when absent; a value that is no
    positive integer is a damaged file, as a bad w:gridSpan is in Word."""
    from . import ReadError

    raw = tc.get(TABLE + name)
    if raw is None or raw == "":
        return 1
    n = _count(raw)
    if n is None or n < 1:
        raise ReadError.of("E007", "odt_property",
                           {"part": "content.xml", "property": f"table:{name}", "value": raw[:20]},
                           name=name, value=raw[:20])
    return min(n, MAX_SPAN)


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.lines: list[str] = []
        self.info: list[dict] = []
        self.blocks: list[Block] = []
        self.pos = 0
        self.paragraph_no = 0
        self.table_no = 0

    def add_line(self, text: str, info: dict) -> tuple[int, int]:
        text = text.replace("\n", " ")
        start = self.pos
        self.lines.append(text)
        self.info.append(info)
        self.pos += len(text) + 1
        return start, start + len(text)

    def walk(self, parent) -> None:
        for el in parent:
            if el.tag in (TEXT + "p", TEXT + "h"):
                self.paragraph(el)
            elif el.tag == TABLE + "table":
                self.table(el)
            elif el.tag in (TEXT + "list", TEXT + "list-item", TEXT + "list-header", TEXT + "section",
                            TEXT + "index-body", TABLE + "table-header-rows", TABLE + "table-rows"):
                self.walk(el)

    def paragraph(self, el) -> None:
        self.paragraph_no += 1
        text = text_of(el)
        style = None
        if el.tag == TEXT + "h":
            level = _count(el.get(TEXT + "outline-level")) or 1
            style = f"h{level}" if level <= 4 else None
        info = {"kind": "odt", "paragraph": self.paragraph_no, "excerpt": text.strip()[:_EXCERPT]}
        start, end = self.add_line(text, info)
        self.blocks.append(Block("paragraph", start, end, style=style))

    def table(self, table) -> None:
        self.table_no += 1
        rows: list[list[Cell]] = []
        first = self.pos
        for r, tr in enumerate(_rows(table)):
            col, cells = 0, []
            spanned = 0  # covered cells still to come that a cell of this row spans (its colspan counted them)
            for tc in tr:
                if tc.tag == TABLE + "covered-table-cell":
                    # covered by a cell to the left: already counted; covered by a
                    # cell above (rows-spanned): a column of its own
                    repeat = _table_count(tc, "number-columns-repeated")
                    consumed = min(repeat, spanned)
                    spanned -= consumed
                    col += repeat - consumed
                    continue
                if tc.tag != TABLE + "table-cell":
                    continue
                colspan = _table_count(tc, "number-columns-spanned")
                rowspan = _table_count(tc, "number-rows-spanned")
                repeat = min(_table_count(tc, "number-columns-repeated"), 100)
                text = " ".join(text_of(p) for p in _cell_paragraphs(tc)).strip()
                for _ in range(repeat):
                    info = {"kind": "odt", "table": self.table_no, "row": r + 1, "col": col + 1}
                    start, end = self.add_line(text, info)
                    cells.append(Cell(start, end, rowspan, colspan))
                    col += colspan
                    spanned += colspan - 1
            rows.append(cells)
        if any(rows):
            self.blocks.append(Block("table", first, max(first, self.pos - 1), rows=rows))

    def document(self) -> Document:
        return Document(path=self.path, format="odt", text="\n".join(self.lines), blocks=self.blocks,
                        line_info=self.info, metadata={"paragraphs": self.paragraph_no, "tables": self.table_no})


def _rows(table):
    for el in table:
        if el.tag == TABLE + "table-row":
            yield el
        elif el.tag in (TABLE + "table-header-rows", TABLE + "table-rows", TABLE + "table-row-group"):
            yield from _rows(el)
