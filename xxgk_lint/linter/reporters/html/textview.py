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
    doc = result.document
    text = doc.text
    n = len(text)
    spans = {}
    for d in diags:
        start = max(0, min(d.span.start, n))
        spans[ids[id(d)]] = (start, max(start, min(d.span.end, n)))
    by_line: dict[int, list[Diagnostic]] = {}
    for d in diags:
        by_line.setdefault(doc.line_col(spans[ids[id(d)]][0])[0], []).append(d)
    points = sorted({0, n, *(s for s, _ in spans.values()), *(e for _, e in spans.values())})
    starts: dict[int, list[str]] = {}
    ends: dict[int, list[str]] = {}
    carets: dict[int, list[str]] = {}
    for did, (s, e) in spans.items():
        if s == e:
            carets.setdefault(s, []).append(did)
        else:
            starts.setdefault(s, []).append(did)
            ends.setdefault(e, []).append(did)
    first_mark: set[str] = set()
    sev_of = severities(diags, ids)

    def mark(piece: str, active: list[str]) -> str:
        if not active:
            return esc(piece)
        anchor = ""
        new = [a for a in active if a not in first_mark]
        if new:  # the first piece of a finding's span carries the id the annotation links to
            first_mark.update(new)
            anchor = f" id=\"{new[0]}-m\""
        worst = worst_class(active, sev_of)
        return (f"<mark class=\"xr-hl {worst}\"{anchor} data-f=\"{' '.join(active)}\" tabindex=\"0\">"
                f"{esc(piece)}</mark>")

    labels, headings, joins, note = _text_layout(doc)
    out = [f"<div class=\"xr-block\"><h3>{esc(ui('html.text'))}</h3>",
           f"<p class=\"xr-note\">{esc(note)}</p><div class=\"xr-text\">"]
    line_no = 1
    line_parts: list[str] = []
    active: list[str] = []
    row_cells: list[str] = []  # the cells of a table row read so far (one text line each)
    row_first = 1

    def close_line() -> None:
        nonlocal line_no, line_parts, row_first
        if line_no in joins:  # this newline only separates two cells of one table row
            if not row_cells:
                row_first = line_no
            row_cells.append("".join(line_parts))
            line_no += 1
            line_parts = []
            return
        first = row_first if row_cells else line_no
        if first in headings:
            out.append(f"<div class=\"xr-sep\">{esc(headings[first])}</div>")
        label, where = labels.get(first, (str(first), ""))
        tip = f" title=\"{esc(where)}\"" if where else ""
        if row_cells:
            cells = row_cells + ["".join(line_parts)]
            source = "".join(f"<span class=\"xr-tc\">{c}</span>" for c in cells)
            out.append(f"<div class=\"xr-line xr-trow\" id=\"{key}-L{first}\"><span class=\"xr-ln\"{tip}>{esc(label)}"
                       f"</span><span class=\"xr-src\">{source}</span></div>")
        else:
            out.append(f"<div class=\"xr-line\" id=\"{key}-L{first}\"><span class=\"xr-ln\"{tip}>{esc(label)}</span>"
                       f"<span class=\"xr-src\">{''.join(line_parts)}</span></div>")
        for n_line in range(first, line_no + 1):
            for d in by_line.get(n_line, []):
                out.append(annotation(result, d, ids[id(d)], registry))
        row_cells.clear()
        line_no += 1
        line_parts = []

    for a, b in zip(points, points[1:] + [None]):
        for did in ends.get(a, []):
            active.remove(did)
        for did in carets.get(a, []):
            first_mark.add(did)
            line_parts.append(f"<mark class=\"xr-hl xr-caret {worst_class([did], sev_of)}\" id=\"{did}-m\" "
                              f"data-f=\"{did}\" tabindex=\"0\" title=\"{esc(ui('html.here'))}\"></mark>")
        active.extend(starts.get(a, []))
        if b is None:
            break
        segment = text[a:b]
        pieces = segment.split("\n")
        for i, piece in enumerate(pieces):
            if piece:
                line_parts.append(mark(piece, active))
            if i < len(pieces) - 1:
                close_line()
    close_line()
    out.append("</div></div>")
    return "\n".join(out)


def _text_layout(doc) -> tuple[dict[int, tuple[str, str]], dict[int, str], set[int], str]:
    """How the text view shows each line of ``doc.text``: the number in the gutter (the line,
    paragraph or table row a finding's location names, so the user can match them) with the
    location in words; a heading before the line where a page or a table begins; the lines whose
    newline merely separates two cells of one table row (a row is shown on one line); and a note
    saying what the numbers are."""
    joins: set[int] = set()
    for block in doc.blocks:
        if block.kind != "table" or not block.rows:
            continue
        for row in block.rows:
            if row:
                first = doc.line_col(min(c.start for c in row))[0]
                last = doc.line_col(max(c.end for c in row))[0]
                joins.update(range(first, last))
    labels: dict[int, tuple[str, str]] = {}
    headings: dict[int, str] = {}
    kinds: set[str] = set()
    group = previous = None
    if not doc.line_info:  # a text file: the line is what the findings name
        return labels, headings, joins, ui("html.note_lines")
    for n, start in enumerate(doc.line_starts, start=1):
        if n - 1 in joins:  # a later cell of the row shown on the previous line
            continue
        loc = doc.location(start)
        where = location_words(doc, start)
        if "page" in loc:
            kinds.add("page")
            here, label = ("page", loc["page"]), str(loc.get("line", n))
            heading = ui("location.page", n=loc["page"])
        elif "table" in loc:
            kinds.add("table")
            here, label = ("table", loc["table"]), ui("location.table_row", n=loc.get("row", ""))
            heading = ui("location.table", n=loc["table"])
        elif "paragraph" in loc:
            kinds.add("paragraph")
            here, label, heading = None, str(loc["paragraph"]), ""
        else:
            kinds.add("line")
            here, label, heading = None, str(loc.get("line", n)), ""
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
