"""PDF: the text layer in reading order, ruled tables as grids.

Body text comes one source line per paragraph (printed lines that continue
each other are joined), positioned at the page and printed line where the
paragraph starts; ruled tables are found with pdfplumber and their merged cells rebuilt
from the cell boxes; a table that runs over a page break is joined with its
continuation (and a row split by the break is joined back); running headers,
footers and page numbers are dropped.  A PDF without a text layer, with a text
layer that decodes to garbage, encrypted or damaged gets an E finding.
"""

from __future__ import annotations

import bisect
import contextvars
import logging
import math
import traceback
import re
import unicodedata

from ..model.document import Block, Cell, Document
from . import ReadError

MAX_PAGES = 500
_MARGIN_TOP = 0.08
_MARGIN_BOTTOM = 0.90
_PAGE_NUMBER = re.compile(r"^[-—–－~\s]*\d{1,3}[-—–－~\s]*$|^第\s*\d{1,3}\s*页(?:\s*[/,，]?\s*共\s*\d{1,3}\s*页)?$|"
                          r"^\d{1,3}\s*/\s*\d{1,3}$|^[-—–－]?\s*[IVXivx]{1,5}\s*[-—–－]?$")
_CID = re.compile(r"\(cid:\d+\)")
_DIGIT = re.compile(r"\d")


def _check_file(path: str) -> None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 4096))
            tail = handle.read()
    except OSError as exc:
        raise ReadError.of("E001", "cannot_read", reason=exc.strerror or exc) from exc
    if size == 0:
        raise ReadError.of("E004", "pdf_empty")
    if b"%PDF-" not in head:
        raise ReadError.of("E007", "pdf_no_header", {"reason": "no-header"})
    if b"%%EOF" not in tail:
        raise ReadError.of("E007", "pdf_truncated", {"reason": "truncated"})


MAX_INFLATED = 300 * 1024 * 1024
_STREAM = re.compile(rb"stream\r?\n")


def _check_streams(path: str) -> None:
    """Refuse a decompression bomb before the PDF library inflates it: every
    zlib stream is inflated here in bounded pieces and the output counted."""
    import zlib

    with open(path, "rb") as handle:
        data = handle.read()
    total = 0
    for m in _STREAM.finditer(data):
        start = m.end()
        if data[start:start + 1] not in (b"x", b"h", b"X", b"H"):  # not a zlib header
            continue
        inflater = zlib.decompressobj()
        pending = data[start:start + 65536]
        offset = start + len(pending)
        try:
            while pending:
                out = inflater.decompress(pending, 1 << 20)
                total += len(out)
                if total > MAX_INFLATED:
                    raise ReadError.of("E005", "pdf_inflate", {"limit": MAX_INFLATED, "reason": "inflate-limit"},
                                       limit_mb=MAX_INFLATED // 1048576)
                if inflater.eof:
                    break
                pending = inflater.unconsumed_tail
                if not pending:
                    pending = data[offset:offset + 65536]
                    offset += len(pending)
        except zlib.error:
            continue


def _open(path: str):
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
        pages = pdf.pages
    except Exception as exc:
        raise _classify_error(exc) from exc
    return pdf, pages


def _classify_error(exc: Exception):
    chain, e = [], exc
    while e is not None and len(chain) < 5:
        chain.append(f"{type(e).__name__} {e}")
        e = e.__cause__ or e.__context__
    text = " ".join(chain)
    if "Password" in text or "password" in text or "Encrypt" in text:
        return ReadError.of("E006", "pdf_encrypted", {"reason": "encrypted"})
    return ReadError.of("E007", "pdf_damaged", {"reason": "damaged"}, detail=chain[0][:200])


def read(path: str) -> Document:
    _check_file(path)
    _check_streams(path)
    # pdfminer logs every font quirk of a damaged file; the finding says it once
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return _read(path)
    finally:
        logger.setLevel(level)


# Glyphs and drawn paths the layout analysis may create for one file: each costs
# pdfplumber about 2 KB, so a 20 KB PDF whose page shows a million characters
# would need gigabytes (issue 13).  A 100-page report has about 100,000.
MAX_LAYOUT_OBJECTS = 300_000
_objects_left: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("xxgk_pdf_objects", default=None)


class _TooManyObjects(Exception):
    pass


def _count_layout_objects() -> None:
    """Make pdfminer's layout device count the glyphs and paths it creates
    while a reader is counting (a context variable), and stop past the limit.
    pdfplumber builds its own device, so the count is put on pdfminer's class."""
    from pdfminer.converter import PDFLayoutAnalyzer

    for name in ("render_char", "paint_path"):
        original = getattr(PDFLayoutAnalyzer, name)
        if getattr(original, "_xxgk_counted", False):
            continue

        def counted(self, *args, __original=original, **kwargs):
            left = _objects_left.get()
            if left is not None:
                left[0] -= 1
                if left[0] < 0:
                    raise _TooManyObjects()
            return __original(self, *args, **kwargs)

        counted._xxgk_counted = True
        setattr(PDFLayoutAnalyzer, name, counted)


def _too_many(exc: BaseException) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, _TooManyObjects):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _read(path: str) -> Document:
    pdf, pages = _open(path)
    _count_layout_objects()
    token = _objects_left.set([MAX_LAYOUT_OBJECTS])
    try:
        if len(pages) > MAX_PAGES:
            raise ReadError.of("E005", "pdf_pages", {"pages": len(pages), "limit": MAX_PAGES}, pages=len(pages),
                               limit=MAX_PAGES)
        if not pages:
            raise ReadError.of("E004", "no_pages", kind="PDF")
        try:
            extracted = []
            for page in pages:
                extracted.append(_page_items(page))
                page.close()  # its parsed objects are no longer needed: memory stays one page's
        except Exception as exc:
            if _too_many(exc):
                raise ReadError.of("E005", "pdf_objects", {"limit": MAX_LAYOUT_OBJECTS, "reason": "layout-objects"},
                                   limit=MAX_LAYOUT_OBJECTS) from exc
            # raised inside the PDF libraries: the file is broken; anything
            # else is our bug and is reported as such by the runner (E009)
            frames = traceback.extract_tb(exc.__traceback__)
            if frames and re.search(r"[/\\](pdfminer|pdfplumber|pypdfium2)[/\\]", frames[-1].filename):
                raise _classify_error(exc) from exc
            raise
        _check_text_layer(extracted, pages)
        return _compose(path, extracted, len(pages))
    finally:
        _objects_left.reset(token)
        pdf.close()


class _Table:
    def __init__(self, page: int, bbox, rows, tops):
        # rows: [[(column, rowspan, colspan, text, top, bbox)]]
        self.page, self.bbox, self.rows, self.tops = page, bbox, rows, tops

    @property
    def ncols(self) -> int:
        return max((c[0] + c[2] for row in self.rows for c in row), default=0)


def _join_lines(text: str | None) -> str:
    """Cell text wrapped over several lines: CJK joins directly, other text with a space."""
    if not text:
        return ""
    return _join_parts([p.strip() for p in text.split("\n")])[0]


def _join_parts(parts: list[str]) -> tuple[str, list[int | None]]:
    """``_join_lines`` of the printed lines ``parts``, with where each part
    starts in the joined text (None for an empty part)."""
    out = ""
    starts: list[int | None] = []
    for part in parts:
        if not part:
            starts.append(None)
            continue
        if out and not (_is_cjk(out[-1]) or _is_cjk(part[0])) and out[-1] not in "(（“" and part[0] not in ".)）”":
            out += " "
        starts.append(len(out))
        out += part
    return out, starts


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\uf900" <= ch <= "\ufaff"


def _finite(obj) -> bool:
    """An object whose position is a number: a damaged content stream can place
    text at NaN or infinity, which no line can be sorted or measured by."""
    return all(math.isfinite(obj.get(k, 0) or 0) for k in ("x0", "x1", "top", "bottom"))


def _page_items(page) -> dict:
    height = page.height
    page = page.filter(_finite)
    tables = []
    for found in page.find_tables():
        grid = _grid(found)
        if grid is None:
            continue
        rows, tops = grid
        ncols = max((c[0] + c[2] for row in rows for c in row), default=0)

        def single(row, ncols=ncols) -> bool:
            return len(row) == 1 and row[0][2] >= ncols

        # full-width single-cell rows at the top or bottom are a frame drawn
        # around prose, not table rows: their text is read as body text
        while rows and single(rows[0]):
            rows.pop(0)
        while rows and single(rows[-1]):
            rows.pop()
        if sum(1 for row in rows if len(row) >= 2) < 2:
            continue
        boxes = [c[5] for row in rows for c in row]
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        tables.append(_Table(page.page_number, bbox, rows, tops))
    body = page
    if tables:
        boxes = [t.bbox for t in tables]

        def outside(obj) -> bool:  # a char belongs to a table when its centre is inside it
            if obj.get("object_type") != "char":
                return True
            x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
            return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

        body = page.filter(outside)
    lines = [ln for ln in body.extract_text_lines(strip=True, return_chars=False) if ln["text"].strip()]
    lines.sort(key=lambda ln: (round(ln["top"]), ln["x0"]))
    # printed lines are numbered as the page shows them: the text lines of the
    # whole page, table cells included (on a page without tables, the body lines)
    shown = lines if not tables else [ln for ln in page.extract_text_lines(strip=True, return_chars=False)
                                      if ln["text"].strip()]
    return {"height": height, "lines": lines, "tables": tables, "tops": sorted(ln["top"] for ln in shown),
            "chars": len(page.chars), "images": len(page.images)}


def _cluster(tops: list[int]) -> list[int]:
    out: list[int] = []
    for t in tops:
        if not out or t - out[-1] > 3:
            out.append(t)
    return out


def _grid(table):
    """Rebuild (column, rowspan, colspan) for each cell from the cell boxes."""
    cells = [c for row in table.rows for c in row.cells if c is not None]
    xs = _cluster(sorted({round(c[0]) for c in cells}))
    ys = _cluster(sorted({round(c[1]) for c in cells}))
    if len(xs) < 2 or len(ys) < 2:
        return None
    texts = table.extract()
    first_top = _first_text_tops(table.page.chars)
    rows = []
    for r, row in enumerate(table.rows):
        out = []
        for j, bbox in enumerate(row.cells):
            if bbox is None:
                continue
            x0, top, x1, bottom = bbox
            col = bisect.bisect_right(xs, round(x0) + 3) - 1
            colspan = max(1, sum(1 for x in xs if x0 - 3 <= x < x1 - 3))
            rowspan = max(1, sum(1 for y in ys if top - 3 <= y < bottom - 3))
            text = texts[r][j] if r < len(texts) and j < len(texts[r]) else ""
            # the position of a cell is the line of its text, not of its top border
            # (text centred in a tall merged cell is lines below it)
            out.append((col, rowspan, colspan, _join_lines(text), first_top(bbox), bbox))
        rows.append(out)
    return rows, ys


def _first_text_tops(chars: list[dict]):
    """A function giving the top of the first text inside a box (the box's own
    top when it holds no text); characters are sorted once per page."""
    ordered = sorted((c["top"], (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in chars
                     if c.get("text", "").strip())
    tops = [c[0] for c in ordered]

    def first_top(bbox) -> float:
        x0, top, x1, bottom = bbox
        for i in range(bisect.bisect_left(tops, top - 50), len(ordered)):
            char_top, cx, cy = ordered[i]
            if char_top > bottom:
                break
            if x0 <= cx <= x1 and top <= cy <= bottom:
                return char_top
        return top

    return first_top


def _bad_char(ch: str) -> bool:
    cp = ord(ch)
    return (ch == "\ufffd" or 0xE000 <= cp <= 0xF8FF or 0x80 <= cp <= 0x24F or 0x2F00 <= cp <= 0x2FDF
            or unicodedata.category(ch) in ("Cc", "Co", "Cn"))


def _check_text_layer(extracted: list[dict], pages) -> None:
    total_chars = sum(p["chars"] for p in extracted)
    if total_chars < 20:
        if sum(p["images"] for p in extracted):
            raise ReadError.of("E008", "pdf_no_text_layer", {"reason": "no-text-layer", "pages": len(pages)},
                               pages=len(pages))
        raise ReadError.of("E004", "pdf_no_text", {"pages": len(pages)})
    sample = "".join(ln["text"] for p in extracted for ln in p["lines"])
    sample += "".join(c[3] for p in extracted for t in p["tables"] for row in t.rows for c in row)
    cids = len(_CID.findall(sample))
    sample = _CID.sub("", sample)
    chars = [ch for ch in sample if not ch.isspace()]
    cjk = sum(1 for ch in chars if "\u4e00" <= ch <= "\u9fff")
    bad = sum(1 for ch in chars if _bad_char(ch)) + cids
    considered = len(chars) + cids
    if considered and bad / considered > 0.2 and cjk / considered < 0.3:
        example = sample.strip()[:20]
        raise ReadError.of("E008", "pdf_garbled",
                           {"reason": "garbled", "bad_ratio": round(bad / considered, 2), "example": example},
                           example=example)


def _furniture(pages: list[dict]) -> set[tuple[int, int]]:
    """(page index, line index) of running headers/footers and page numbers."""
    drop: set[tuple[int, int]] = set()
    seen: dict[str, set[int]] = {}
    for n, page in enumerate(pages):
        for i, ln in enumerate(page["lines"]):
            if ln["top"] < page["height"] * _MARGIN_TOP or ln["bottom"] > page["height"] * _MARGIN_BOTTOM:
                text = ln["text"].strip()
                if _PAGE_NUMBER.match(text):
                    drop.add((n, i))
                else:
                    seen.setdefault(_DIGIT.sub("#", text), set()).add(n)
    repeated = {key for key, where in seen.items() if len(where) >= max(2, len(pages) // 2)}
    for n, page in enumerate(pages):
        for i, ln in enumerate(page["lines"]):
            if (ln["top"] < page["height"] * _MARGIN_TOP or ln["bottom"] > page["height"] * _MARGIN_BOTTOM) \
                    and _DIGIT.sub("#", ln["text"].strip()) in repeated:
                drop.add((n, i))
    return drop


def _compose(path: str, pages: list[dict], npages: int, kind: str = "pdf") -> Document:
    drop = _furniture(pages)
    # items in page order: ("line", page, top, line) / ("table", page, top, table)
    items = []
    for n, page in enumerate(pages):
        entries = [(ln["top"], "line", ln) for i, ln in enumerate(page["lines"]) if (n, i) not in drop]
        entries += [(t.bbox[1], "table", t) for t in page["tables"]]
        entries.sort(key=lambda e: e[0])
        items.extend((kind, n, top, obj) for top, kind, obj in entries)
    items = _join_continued_tables(items, pages)
    lines, info, blocks = [], [], []
    pos = 0

    def line_of(page_no: int, top: float) -> int:
        # the shown line whose top is the last at or above the text's top
        return max(1, bisect.bisect_right(pages[page_no]["tops"], top + 0.01))

    def add(text: str, page_no: int, top: float, breaks: list | None = None) -> tuple[int, int]:
        nonlocal pos
        start = pos
        lines.append(text)
        entry = {"kind": kind, "page": page_no + 1, "line": line_of(page_no, top)}
        if breaks and len(breaks) > 1:
            # [offset in this source line, page, printed line] of each printed line of
            # the paragraph: Document.location names the line that holds the text
            entry["breaks"] = breaks
        info.append(entry)
        pos += len(text) + 1
        return start, start + len(text)

    left, right = _text_column(pages)
    paragraph: list[tuple] = []  # (line dict, page) of the paragraph being built

    def flush() -> None:
        if not paragraph:
            return
        # One source line per paragraph, positioned at its first printed line:
        # a paragraph's printed lines are joined the way the text reads (no
        # space inside Chinese text), so a phrase broken over two lines is
        # still one phrase for the rules.
        text, starts = _join_parts([ln["text"].strip() for ln, _ in paragraph])
        breaks = [[at, n + 1, line_of(n, ln["top"])] for at, (ln, n) in zip(starts, paragraph) if at is not None]
        start, end = add(text, paragraph[0][1], paragraph[0][0]["top"], breaks)
        blocks.append(Block("paragraph", start, end))
        paragraph.clear()

    for item_kind, n, _top, obj in items:
        if item_kind == "line":
            if paragraph and not _continues(paragraph[-1], (obj, n), left, right):
                flush()
            paragraph.append((obj, n))
            continue
        flush()
        first, rows = pos, []
        for page_no, row in obj:
            cells = []
            for _col, rowspan, colspan, text, cell_top, _ in row:
                start, end = add(text, page_no, cell_top)
                cells.append(Cell(start, end, rowspan, colspan))
            rows.append(cells)
        blocks.append(Block("table", first, max(first, pos - 1), rows=rows))
    flush()
    doc = Document(path=path, format=kind, text="\n".join(lines), blocks=blocks, line_info=info)
    doc.metadata["pages"] = npages
    return doc


_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d))")
_TABULAR = re.compile(r"\d[\d.,]*\s+[-+]?[\d.,]*\d")


def _text_column(pages: list[dict]) -> tuple[float, float]:
    x0s = sorted(ln["x0"] for p in pages for ln in p["lines"])
    x1s = sorted(ln["x1"] for p in pages for ln in p["lines"])
    if not x0s:
        return 0.0, 0.0
    return x0s[len(x0s) // 20], x1s[len(x1s) * 19 // 20]


def _continues(prev: tuple, cur: tuple, left: float, right: float) -> bool:
    """Whether a printed line continues the paragraph of the line before it:
    the line before runs to the right edge of the text column, this one is
    not indented (or both are centred, as a wrapped title is), and neither is
    a heading or a row of figures."""
    (a, page_a), (b, page_b) = prev, cur
    size = max(a["bottom"] - a["top"], 1.0)
    if a["x1"] < right - 1.5 * size:
        return False
    if page_b == page_a:
        if b["top"] - a["bottom"] > 1.2 * size or b["top"] < a["top"]:
            return False
    elif page_b != page_a + 1:
        return False
    if _MARKER.match(b["text"]) or _TABULAR.search(a["text"]) or _TABULAR.search(b["text"]):
        return False
    if abs(b.get("bottom", 0) - b.get("top", 0) - size) > 0.3 * size:
        return False  # a change of font size starts a new paragraph
    if b["x0"] <= a["x0"] + 0.8 * size:
        return True
    centred = lambda ln: abs((ln["x0"] - left) - (right - ln["x1"])) <= 2 * size  # noqa: E731
    return centred(a) and centred(b)


def _has_number(row) -> bool:
    return any(re.fullmatch(r"[-+]?\d[\d,.]*%?", c[3].strip()) for c in row)


def _join_continued_tables(items: list, pages: list[dict]) -> list:
    """Join a table that ends a page with the table that starts the next page
    when they have the same columns; the first row of the continuation is
    merged into the last row when it only carries the rest of a split label."""
    out: list = []
    for kind, n, top, obj in items:
        if kind != "table":
            out.append((kind, n, top, obj))
            continue
        rows = [(obj.page - 1, row) for row in obj.rows]
        prev = out[-1] if out else None
        if prev is not None and prev[0] == "table" and prev[1] == n - 1 and prev[4] == obj.ncols:
            prev_rows = prev[3]
            last_page, last = prev_rows[-1]
            head_page, head = rows[0]
            if head and not _has_number(head) and _has_number(last) and \
                    {c[0] for c in head if c[3]} <= {c[0] for c in last}:
                merged = []
                for cell in last:
                    extra = "".join(c[3] for c in head if c[0] == cell[0])
                    merged.append((cell[0], cell[1], cell[2], cell[3] + extra, *cell[4:]))
                prev_rows[-1] = (last_page, merged)
                rows = rows[1:]
            prev_rows.extend(rows)
            out[-1] = ("table", n, prev[2], prev_rows, obj.ncols)
            continue
        out.append(("table", n, top, rows, obj.ncols))
    return [(e[0], e[1], e[2], e[3]) for e in out]
