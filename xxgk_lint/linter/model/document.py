"""The block model every reader fills.

A reader turns a file into a :class:`Document`: a *source text* (the file's own
text for .txt/.md, a text the reader composes for binary formats) plus blocks
that point into it by character offsets.  Everything downstream -- normalising,
parsing, rules, reporters -- works from offsets into ``Document.text`` and never
searches the text to find a position again.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Cell:
    """One table cell: its text is ``document.text[start:end]``."""

    start: int
    end: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Block:
    """A paragraph (one line of the source text) or a table grid.

    ``rows`` holds a table's grid; merged cells appear once, at their origin,
    with ``rowspan``/``colspan`` set (positions they cover are simply absent).
    ``style`` carries a reader's hint such as a Word heading style.
    """

    kind: str  # "paragraph" | "table"
    start: int
    end: int
    style: str | None = None
    rows: list[list[Cell]] | None = None


@dataclass
class Document:
    """What a reader produced from one file."""

    path: str
    format: str
    text: str
    blocks: list[Block]
    # Optional, per source line (0-based index): where that line is in the
    # original file for formats whose "lines" are not the user's lines, e.g.
    # {"kind": "pdf", "page": 3, "line": 12} or {"kind": "docx", "paragraph": 40}.
    line_info: list[dict[str, Any]] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    _line_starts: list[int] | None = field(default=None, repr=False)

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in characters of the source text."""
        offset = max(0, min(offset, len(self.text)))
        starts = self.line_starts
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def line_text(self, line: int) -> str:
        starts = self.line_starts
        if not 1 <= line <= len(starts):
            return ""
        begin = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[begin:end]

    def location(self, offset: int) -> dict[str, Any]:
        """Where ``offset`` is, in terms the user of this format can find."""
        line, column = self.line_col(offset)
        if self.line_info and line - 1 < len(self.line_info):
            info = dict(self.line_info[line - 1])
            # a PDF/OFD paragraph joined from several printed lines: the printed
            # line (and the column in it) that holds the offset
            for at, page, printed in info.pop("breaks", None) or ():
                if at > column - 1:
                    break
                info["page"], info["line"], info["column"] = page, printed, column - at
            info.setdefault("column", column)
            return info
        return {"kind": "text", "line": line, "column": column}
