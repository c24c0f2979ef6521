"""OFD (GB/T 33190): a zip of XML parts -- OFD.xml -> Document.xml -> one
Content.xml per page with TextObjects (positioned text) and PathObjects
(ruling lines).

Text objects are placed character by character (X/Y plus DeltaX), ruled
tables are found from the ruling lines with pdfplumber's cell finder, and the
result is composed exactly like a PDF: one line per printed line, tables as
grids, ``line_info`` = page and line.
"""

from __future__ import annotations

import bisect
import math
import posixpath
import re

from ..model.document import Document
from . import limits
from .pdf import _check_text_layer, _compose, _join_lines, _Table

MAX_PAGES = 500


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# coordinates beyond this (in mm) are no page's: a crafted 1e308 would overflow later sums
_MAX_COORD = 1e6


def _num(value, default: float | None = None) -> float | None:
    """A finite coordinate, clamped to ±1 km; ``default`` when it is no
    number at all ("abc", "NaN", "inf", "1e400")."""
    try:
        n = float(value)
    except (TypeError, ValueError):
        return default
    if not math.isfinite(n):
        return default
    return max(-_MAX_COORD, min(_MAX_COORD, n))


def _floats(text: str | None) -> list[float]:
    """A list of numbers (ST_Box, ST_Array); empty when any is no number."""
    out = []
    for v in (text or "").split():
        n = _num(v)
        if n is None:
            return []
        out.append(n)
    return out


def _deltas(text: str | None, limit: int) -> list[float]:
    """DeltaX/DeltaY, with the "g N value" repeat shorthand expanded; never
    more than ``limit`` values (a text of n characters uses n - 1), however
    many repeats the attribute claims."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens) and len(out) < limit:
        if tokens[i] == "g" and i + 2 < len(tokens):
            count, value = tokens[i + 1], _num(tokens[i + 2])
            if count.isascii() and count.isdigit() and value is not None:
                out.extend([value] * min(int(count[:9]), limit - len(out)))
            i += 3
            continue
        value = _num(tokens[i])
        if value is not None:
            out.append(value)
        i += 1
    return out[:limit]


def read(path: str) -> Document:
    from . import ReadError

    zf = limits.open_zip(path, "OFD")
    with zf:
        names = set(zf.namelist())
        if "OFD.xml" not in names:
            raise ReadError.of("E007", "ofd_no_entry", {"part": "OFD.xml"})
        root = limits.parse_xml(limits.read_member(zf, "OFD.xml", "OFD"), "OFD.xml", "OFD")
        doc_root = next((el.text.strip() for el in root.iter() if _local(el.tag) == "DocRoot" and el.text), None)
        if not doc_root:
            raise ReadError.of("E007", "ofd_no_docroot", {"part": "OFD.xml"})
        doc_root = doc_root.lstrip("/")
        document = limits.parse_xml(limits.read_member(zf, doc_root, "OFD"), doc_root, "OFD")
        base = posixpath.dirname(doc_root)
        height = 297.0
        for el in document.iter():
            if _local(el.tag) == "PhysicalBox":
                box = _floats(el.text)
                if len(box) == 4:
                    height = box[3]
                break
        page_locs = [el.get("BaseLoc") for el in document.iter() if _local(el.tag) == "Page" and el.get("BaseLoc")]
        if not page_locs:
            raise ReadError.of("E004", "no_pages", kind="OFD")
        if len(page_locs) > MAX_PAGES:
            raise ReadError.of("E005", "ofd_pages", {"pages": len(page_locs), "limit": MAX_PAGES},
                               pages=len(page_locs), limit=MAX_PAGES)
        pages = []
        for n, loc in enumerate(page_locs):
            name = loc.lstrip("/") if loc.startswith("/") else posixpath.normpath(posixpath.join(base, loc))
            content = limits.parse_xml(limits.read_member(zf, name, "OFD"), name, "OFD")
            pages.append(_page(content, n + 1, height))
    _check_text_layer(pages, page_locs)
    doc = _compose(path, pages, len(page_locs), kind="ofd")
    return doc


def _page(root, page_no: int, height: float) -> dict:
    chars, edges, images = [], [], 0
    for el in root.iter():
        name = _local(el.tag)
        if name == "TextObject":
            chars.extend(_text_chars(el))
        elif name == "PathObject":
            edges.extend(_path_edges(el))
        elif name == "ImageObject":
            images += 1
    tables, in_tables = _tables(chars, edges, page_no)
    body = [c for i, c in enumerate(chars) if i not in in_tables]
    return {"height": height, "lines": _lines(body), "tables": tables,
            # printed lines numbered as the page shows them, table cells included
            "tops": sorted(ln["top"] for ln in _lines(chars)),
            "chars": len(chars), "images": images}


def _text_chars(obj) -> list[dict]:
    box = _floats(obj.get("Boundary"))
    if len(box) < 2:
        return []
    bx, by = box[0], box[1]
    size = _num(obj.get("Size"), 3.5)
    if not 0.1 <= size <= 1000:  # no printed character is this small or large: a damaged value
        size = 3.5
    out = []
    x = y = 0.0
    for code in obj:
        if _local(code.tag) != "TextCode" or not code.text:
            continue
        x = _num(code.get("X"), x)
        y = _num(code.get("Y"), y)
        text = code.text
        dx, dy = _deltas(code.get("DeltaX"), len(text)), _deltas(code.get("DeltaY"), len(text))
        glyphs = sum(1 for ch in text if not ch.isspace())
        # some producers give no advance for spaces (DeltaX between glyphs only)
        skip_spaces = len(dx) < len(text) - 1 and len(dx) >= glyphs - 1
        k = 0
        for ch in text:
            if ch.isspace() and skip_spaces:
                continue
            width = dx[k] if k < len(dx) else size
            if not ch.isspace():
                out.append({"text": ch, "x0": bx + x, "x1": bx + x + min(width, size),
                            "top": by + y - size * 0.88, "bottom": by + y + size * 0.12, "size": size})
            x += width
            y += dy[k] if k < len(dy) else 0.0
            k += 1
    return out


_PATH_TOKEN = re.compile(r"[MLBQACS]|-?\d+(?:\.\d+)?")


def _path_edges(obj) -> list[dict]:
    box = _floats(obj.get("Boundary"))
    bx, by = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
    data = next((el.text for el in obj if _local(el.tag) == "AbbreviatedData"), "") or ""
    tokens = _PATH_TOKEN.findall(data)
    edges, current, start, i = [], None, None, 0
    while i < len(tokens):
        op = tokens[i]
        if op in ("M", "L") and i + 2 < len(tokens):
            px, py = _num(tokens[i + 1]), _num(tokens[i + 2])
            if px is None or py is None:
                break
            point = (bx + px, by + py)
            if op == "L" and current is not None:
                edges.extend(_edge(current, point))
            if op == "M":
                start = point
            current = point
            i += 3
        elif op == "C" and current is not None and start is not None:
            edges.extend(_edge(current, start))
            current = start
            i += 1
        else:
            i += 1
    return edges


def _edge(a: tuple, b: tuple) -> list[dict]:
    (x0, y0), (x1, y1) = a, b
    if abs(y0 - y1) < 0.2 and abs(x0 - x1) > 1:
        x0, x1 = min(x0, x1), max(x0, x1)
        return [{"x0": x0, "x1": x1, "top": y0, "bottom": y0, "width": x1 - x0, "height": 0, "orientation": "h"}]
    if abs(x0 - x1) < 0.2 and abs(y0 - y1) > 1:
        y0, y1 = min(y0, y1), max(y0, y1)
        return [{"x0": x0, "x1": x0, "top": y0, "bottom": y1, "width": 0, "height": y1 - y0, "orientation": "v"}]
    return []


def _tables(chars: list[dict], edges: list[dict], page_no: int) -> tuple[list, set]:
    if len(edges) < 4:
        return [], set()
    try:
        from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
    except ImportError:  # without pdfplumber, tables are read as text lines
        return [], set()
    edges = merge_edges(edges, 0.5, 0.5, 0.5, 0.5)
    cells = intersections_to_cells(edges_to_intersections(edges, 0.5, 0.5))
    tables, used = [], set()
    for group in cells_to_tables(cells):
        grid = _grid(group, chars, used)
        if grid is not None:
            rows, ys = grid
            xs = [c for row in rows for c in row]
            bbox = (min(c[5][0] for c in xs), min(c[5][1] for c in xs), max(c[5][2] for c in xs), max(c[5][3] for c in xs))
            tables.append(_Table(page_no, bbox, rows, ys))
    return tables, used


def _grid(boxes: list[tuple], chars: list[dict], used: set):
    xs = _cluster_f(sorted(b[0] for b in boxes))
    ys = _cluster_f(sorted(b[1] for b in boxes))
    if len(xs) < 2 or len(ys) < 2:
        return None
    owner: dict[int, list[int]] = {}
    for i, ch in enumerate(chars):
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for n, b in enumerate(boxes):
            if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]:
                owner.setdefault(n, []).append(i)
                used.add(i)
                break
    by_row: dict[int, list] = {}
    for n, (x0, top, x1, bottom) in enumerate(boxes):
        row = bisect.bisect_right(ys, top + 0.5) - 1
        col = bisect.bisect_right(xs, x0 + 0.5) - 1
        colspan = max(1, sum(1 for x in xs if x0 - 0.5 <= x < x1 - 0.5))
        rowspan = max(1, sum(1 for y in ys if top - 0.5 <= y < bottom - 0.5))
        lines = _lines([chars[i] for i in owner.get(n, [])])
        text = _join_lines("\n".join(ln["text"] for ln in lines))
        text_top = lines[0]["top"] if lines else top  # the line of the cell's text, not of its border
        by_row.setdefault(row, []).append((col, rowspan, colspan, text, text_top, (x0, top, x1, bottom)))
    rows = [sorted(by_row[r]) for r in sorted(by_row)]
    return rows, ys


def _cluster_f(values: list[float], tol: float = 0.5) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _lines(chars: list[dict]) -> list[dict]:
    """Printed lines: characters sharing a baseline, left to right; a gap wider
    than half a character becomes a space."""
    lines: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (c["bottom"], c["x0"])):
        if lines and abs(lines[-1][-1]["bottom"] - ch["bottom"]) <= 0.3 * ch["size"]:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    out = []
    for group in lines:
        group.sort(key=lambda c: c["x0"])
        text = ""
        for prev, ch in zip([None] + group[:-1], group):
            if prev is not None and ch["x0"] - prev["x1"] > 0.5 * ch["size"]:
                text += " "
            text += ch["text"]
        out.append({"text": text, "x0": group[0]["x0"], "x1": group[-1]["x1"],
                    "top": min(c["top"] for c in group), "bottom": max(c["bottom"] for c in group)})
    out.sort(key=lambda ln: (round(ln["top"], 1), ln["x0"]))
    return out
