"""OpenDocument text (.odt): content.xml read directly, so LibreOffice is not
needed.  Same composition as .docx: one source line per body paragraph or
heading, one per table cell; merged cells (number-columns/rows-spanned) appear
once at their origin and covered cells are skipped.  ``line_info`` gives the
paragraph number with its first words, or table/row/column, as for .docx.
"""

from __future__ import annotations

from ..document import Block, Cell, Document
from . import limits

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_EXCERPT = 16
_SKIP = {TEXT + "note", TEXT + "tracked-changes", OFFICE + "annotation", TEXT + "sequence-decls"}


def read(path: str) -> Document:
    from . import ReadError

    zf = limits.open_zip(path, "OpenDocument")
    with zf:
        if "content.xml" not in zf.namelist():
            raise ReadError("E007", "OpenDocument 文件缺少 content.xml，文件已损坏或不是 .odt 格式", {"part": "content.xml"},
                            "The OpenDocument file lacks content.xml; it is damaged or not an .odt file")
        root = limits.parse_xml(limits.read_member(zf, "content.xml", "OpenDocument"), "content.xml", "OpenDocument")
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise ReadError("E007", "OpenDocument 文件中没有正文（office:text），不是文字处理文档", {"part": "content.xml"},
                        "The OpenDocument file has no text body (office:text); it is not a text document")
    builder = _Builder(path)
    builder.walk(body)
    doc = builder.document()
    if not doc.text.strip():
        raise ReadError("E004", "OpenDocument 文件中没有任何文字", message_en="The OpenDocument file contains no text")
    return doc


def text_of(el) -> str:
    """Visible text: spans and links inline, <text:s/> spaces, tabs and line
    breaks as spaces; notes and annotations left out."""
    out = [el.text or ""]
    for child in el:
        if child.tag in _SKIP:
            pass
        elif child.tag == TEXT + "s":
            out.append(" " * int(child.get(TEXT + "c", "1") or 1))
        elif child.tag in (TEXT + "tab", TEXT + "line-break"):
            out.append(" ")
        else:
            out.append(text_of(child))
        out.append(child.tail or "")
    return "".join(out)


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
            level = int(el.get(TEXT + "outline-level", "1") or 1)
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
            for tc in tr:
                if tc.tag == TABLE + "covered-table-cell":
                    col += int(tc.get(TABLE + "number-columns-repeated", "1") or 1)
                    continue
                if tc.tag != TABLE + "table-cell":
                    continue
                colspan = int(tc.get(TABLE + "number-columns-spanned", "1") or 1)
                rowspan = int(tc.get(TABLE + "number-rows-spanned", "1") or 1)
                repeat = min(int(tc.get(TABLE + "number-columns-repeated", "1") or 1), 100)
                text = " ".join(text_of(p) for p in tc.iter(TEXT + "p", TEXT + "h")).strip()
                for _ in range(repeat):
                    info = {"kind": "odt", "table": self.table_no, "row": r + 1, "col": col + 1}
                    start, end = self.add_line(text, info)
                    cells.append(Cell(start, end, rowspan, colspan))
                    col += colspan
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
