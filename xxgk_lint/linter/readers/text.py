"""Plain text and Markdown: decode, then one block per line.

A line with tab-separated cells, or a Markdown/pipe table row, becomes a table
row; consecutive rows form one table block.
"""

from __future__ import annotations

import re

from ..model.document import Block, Cell, Document

# A Markdown table's separator row (| --- | :--: |).  No two runs of \s* may
# meet without a required character between them: "\s*\|?\s*" tried every
# split of a long run of spaces and took seconds on a line of 40,000 spaces.
_PIPE_SEPARATOR = re.compile(r"^\s*(?:\|\s*)?:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*(?:\|\s*)?$")
# a heading number alone (一、 （一） 1. （1）, ASCII or full-width): Word's automatic
# list numbering copied as text puts a tab between it and the heading
_HEADING_MARKER = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}\s*[、.．,，]"
    r"|[(（\[［]\s*(?:[一二三四五六七八九十]{1,3}|[0-9０-９]{1,2})\s*[)）\]］]"
    r"|[0-9０-９]{1,2}\s*[.．、])")
_NUMBERS = re.compile(r"[\s\d.,+\-/%０-９．，％]*")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding).  UTF-8 (with or without BOM), UTF-16 with BOM,
    then GB18030 (a superset of GBK and GB2312) are tried strictly."""
    from . import ReadError

    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    for encoding in ("utf-8", "gb18030", "utf-8-cut"):
        try:
            text = body.decode(encoding) if encoding != "utf-8-cut" else _cut_utf8(body)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, "utf-8" if encoding == "utf-8-cut" else encoding
    raise ReadError.of("E002", "encoding")


def _cut_utf8(body: bytes) -> str:
    """UTF-8 whose copy was cut through its last character: the rest of the text."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason != "unexpected end of data" or exc.start < len(body) - 3:
            raise
        return body[:exc.start].decode("utf-8")


def read(path: str) -> Document:
    from . import ReadError

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ReadError.of("E001", "cannot_read", reason=exc.strerror or exc) from exc
    text, encoding = decode(data)
    from . import check_text_size

    check_text_size(len(text))  # before the text is cut into blocks
    if not text.strip():
        raise ReadError.of("E004", "text_empty")
    # Line offsets are counted on the text as the user's editor shows it:
    # "\r\n" and lone "\r" become "\n" (one character each way keeps columns).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = "md" if path.lower().endswith((".md", ".markdown")) else "txt"
    doc = Document(path=path, format=fmt, text=text, blocks=blocks_from_text(text))
    doc.metadata["encoding"] = encoding
    return doc


def _numbered_heading(line: str) -> bool:
    """"一、⇥总体情况": a heading number, tabs and one text ending the line -- a
    paragraph line.  A table row's first cell is a row label, and a number cell
    alone is followed by numbers or by empty cells."""
    parts = [p.strip(" \u3000") for p in line.lstrip(" \t\u3000").rstrip(" \u3000").split("\t")]
    text = parts[-1]
    return (len(parts) >= 2 and bool(_HEADING_MARKER.fullmatch(parts[0])) and not any(parts[1:-1])
            and bool(text) and not _NUMBERS.fullmatch(text))


def _row_cells(text: str, start: int, line: str) -> list[Cell] | None:
    # tabs only before or after a text are indentation; a line of tabs alone is an empty grid row
    if ("\t" in line.strip(" \t\u3000") and not _numbered_heading(line)) or \
            (line.count("\t") >= 2 and not line.strip()):
        cells, pos = [], start
        for part in line.split("\t"):
            cells.append(Cell(pos, pos + len(part)))
            pos += len(part) + 1
        return cells
    stripped = line.strip()
    bars = stripped.count("|")
    if (stripped.startswith("|") and bars >= 2) or bars >= 3:
        cells = []
        parts = line.split("|")
        offset = start
        last = len(parts) - 1
        for n, part in enumerate(parts):
            # the text before a leading bar and after a trailing bar is no cell
            if not ((n == 0 or n == last) and not part.strip()):
                cells.append(Cell(offset, offset + len(part)))
            offset += len(part) + 1
        return cells
    return None


def blocks_from_text(text: str) -> list[Block]:
    blocks: list[Block] = []
    table: Block | None = None
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if table is not None and "--" in line and _PIPE_SEPARATOR.match(line):
            continue
        cells = _row_cells(text, start, line)
        if cells is not None:
            if table is None:
                table = Block("table", start, end, rows=[])
                blocks.append(table)
            table.rows.append(cells)
            table.end = end
            continue
        if line.strip() == "" and table is not None:
            # blank lines inside a table do not end it (PDF page breaks, seed 003)
            blocks.append(Block("paragraph", start, end))
            continue
        table = None
        blocks.append(Block("paragraph", start, end))
    return blocks
