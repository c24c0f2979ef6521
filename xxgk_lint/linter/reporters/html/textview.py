"""The report text with every finding highlighted at its span and its message
beside the line; line numbers in the terms of the file's format (page and
line, paragraph, table row)."""

from __future__ import annotations

from ...catalogue import ui
from ...diagnostics import Diagnostic, FileResult, severity_rank
from .findings import annotation, esc, location_words


def severities(diags: list[Diagnostic], ids: dict) -> dict[str, str]:
    return {ids[id(d)]: (d.severity.value if d.severity else "error") for d in diags}


def worst_class(found: list[str], sev_of: dict) -> str:
    return "sev-" + max((sev_of.get(f, "error") for f in found), key=severity_rank)


def text_view(result: FileResult, diags: list[Diagnostic], ids: dict, registry, key: str) -> str:
    return _TextView(result, diags, ids, registry, key).render()


class _TextView:
    """The text view, built in one pass over the text cut at every finding's start and end:
    the findings active over a piece are marked on it; a line (or a table row's cells, shown
    on one line) is closed with the annotations of the findings that start on it."""

    def __init__(self, result: FileResult, diags: list[Diagnostic], ids: dict, registry, key: str) -> None:
        self.result, self.ids, self.registry, self.key = result, ids, registry, key
        doc = self.doc = result.document
        n = len(doc.text)
        self.spans: dict[str, tuple[int, int]] = {}
        for d in diags:
            start = max(0, min(d.span.start, n))
            self.spans[ids[id(d)]] = (start, max(start, min(d.span.end, n)))
        self.by_line: dict[int, list[Diagnostic]] = {}
        for d in diags:
            self.by_line.setdefault(doc.line_col(self.spans[ids[id(d)]][0])[0], []).append(d)
        self.starts: dict[int, list[str]] = {}
        self.ends: dict[int, list[str]] = {}
        self.carets: dict[int, list[str]] = {}
        for did, (s, e) in self.spans.items():
            if s == e:
                self.carets.setdefault(s, []).append(did)
            else:
                self.starts.setdefault(s, []).append(did)
                self.ends.setdefault(e, []).append(did)
        self.first_mark: set[str] = set()
        self.sev_of = severities(diags, ids)
        self.labels, self.headings, self.joins, self.note = _text_layout(doc)
        self.out: list[str] = []
        self.line_no = 1
        self.line_parts: list[str] = []
        self.row_cells: list[str] = []  # the cells of a table row read so far (one text line each)
        self.row_first = 1

    def render(self) -> str:
        text = self.doc.text
        points = sorted({0, len(text), *(s for s, _ in self.spans.values()), *(e for _, e in self.spans.values())})
        self.out = [f"<div class=\"xr-block\"><h3>{esc(ui('html.text'))}</h3>",
                    f"<p class=\"xr-note\">{esc(self.note)}</p><div class=\"xr-text\">"]
        active: list[str] = []
        for a, b in zip(points, points[1:] + [None]):
            for did in self.ends.get(a, []):
                active.remove(did)
            for did in self.carets.get(a, []):
                self.first_mark.add(did)
                self.line_parts.append(
                    f"<mark class=\"xr-hl xr-caret {worst_class([did], self.sev_of)}\" id=\"{did}-m\" "
                    f"data-f=\"{did}\" tabindex=\"0\" title=\"{esc(ui('html.here'))}\"></mark>")
            active.extend(self.starts.get(a, []))
            if b is None:
                break
            pieces = text[a:b].split("\n")
            for i, piece in enumerate(pieces):
                if piece:
                    self.line_parts.append(self._mark(piece, active))
                if i < len(pieces) - 1:
                    self._close_line()
        self._close_line()
        self.out.append("</div></div>")
        return "\n".join(self.out)

    def _mark(self, piece: str, active: list[str]) -> str:
        if not active:
            return esc(piece)
        anchor = ""
        new = [a for a in active if a not in self.first_mark]
        if new:  # the first piece of a finding's span carries the id the annotation links to
            self.first_mark.update(new)
            anchor = f" id=\"{new[0]}-m\""
        worst = worst_class(active, self.sev_of)
        return (f"<mark class=\"xr-hl {worst}\"{anchor} data-f=\"{' '.join(active)}\" tabindex=\"0\">"
                f"{esc(piece)}</mark>")

    def _close_line(self) -> None:
        if self.line_no in self.joins:  # this newline only separates two cells of one table row
            if not self.row_cells:
                self.row_first = self.line_no
            self.row_cells.append("".join(self.line_parts))
            self.line_no += 1
            self.line_parts = []
            return
        first = self.row_first if self.row_cells else self.line_no
        self._emit_line(first)
        for n_line in range(first, self.line_no + 1):
            for d in self.by_line.get(n_line, []):
                self.out.append(annotation(self.result, d, self.ids[id(d)], self.registry))
        self.row_cells.clear()
        self.line_no += 1
        self.line_parts = []

    def _emit_line(self, first: int) -> None:
        """The line (or the table row) that starts at line ``first``, with its number in the gutter."""
        out, key = self.out, self.key
        if first in self.headings:
            out.append(f"<div class=\"xr-sep\">{esc(self.headings[first])}</div>")
        label, where = self.labels.get(first, (str(first), ""))
        tip = f" title=\"{esc(where)}\"" if where else ""
        if self.row_cells:
            cells = self.row_cells + ["".join(self.line_parts)]
            source = "".join(f"<span class=\"xr-tc\">{c}</span>" for c in cells)
            out.append(f"<div class=\"xr-line xr-trow\" id=\"{key}-L{first}\"><span class=\"xr-ln\"{tip}>{esc(label)}"
                       f"</span><span class=\"xr-src\">{source}</span></div>")
        else:
            out.append(f"<div class=\"xr-line\" id=\"{key}-L{first}\"><span class=\"xr-ln\"{tip}>{esc(label)}</span>"
                       f"<span class=\"xr-src\">{''.join(self.line_parts)}</span></div>")


def _text_layout(doc) -> tuple[dict[int, tuple[str, str]], dict[int, str], set[int], str]:
    """How the text view shows each line of ``doc.text``: the number in the gutter (the line,
    paragraph or table row a finding's location names, so the user can match them) with the
    location in words; a heading before the line where a page or a table begins; the lines whose
    newline merely separates two cells of one table row (a row is shown on one line); and a note
    saying what the numbers are."""
    joins = _row_joins(doc)
    labels: dict[int, tuple[str, str]] = {}
    headings: dict[int, str] = {}
    kinds: set[str] = set()
    group = previous = None
    if not doc.line_info:  # a text file: the line is what the findings name
        return labels, headings, joins, ui("html.note_lines")
    for n, start in enumerate(doc.line_starts, start=1):
        if n - 1 in joins:  # a later cell of the row shown on the previous line
            continue
        where = location_words(doc, start)
        kind, here, label, heading = _gutter(doc.location(start), n)
        kinds.add(kind)
        if here is not None and here != group:
            headings[n] = heading
            group = here
        elif label == previous:  # more lines from the same line of the file (a web page written
            label = ""           # on one line): the number is shown once, at its first line
        previous = label or previous
        labels[n] = (label, where)
    if "page" in kinds:
        note = ui("html.note_pages")
    elif "paragraph" in kinds or "table" in kinds:
        note = ui("html.note_paragraphs")
    else:
        note = ui("html.note_source_lines")
    return labels, headings, joins, note


def _row_joins(doc) -> set[int]:
    """The lines whose newline only separates two cells of one table row."""
    joins: set[int] = set()
    for block in doc.blocks:
        if block.kind != "table" or not block.rows:
            continue
        for row in block.rows:
            if row:
                first = doc.line_col(min(c.start for c in row))[0]
                last = doc.line_col(max(c.end for c in row))[0]
                joins.update(range(first, last))
    return joins


def _gutter(loc: dict, n: int) -> tuple[str, tuple | None, str, str]:
    """(kind of location, the page or table the line is in, its number in the gutter, the
    heading before the page or table) of line ``n`` at location ``loc``."""
    if "page" in loc:
        return "page", ("page", loc["page"]), str(loc.get("line", n)), ui("location.page", n=loc["page"])
    if "table" in loc:
        return ("table", ("table", loc["table"]), ui("location.table_row", n=loc.get("row", "")),
                ui("location.table", n=loc["table"]))
    if "paragraph" in loc:
        return "paragraph", None, str(loc["paragraph"]), ""
    return "line", None, str(loc.get("line", n)), ""
