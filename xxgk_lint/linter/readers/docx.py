"""Word .docx: the body in document order -- paragraphs and tables interleaved.

The composed source text has one line per body paragraph and one line per
table cell; ``line_info`` says which paragraph (with its first words) or which
table cell each line is.  Merged cells (gridSpan, vMerge) appear once at their
origin with their spans.  Automatic numbering (一、 （一） 1.) is rendered in
front of the paragraph text, because Word shows it and headings often rely on it.
"""

from __future__ import annotations

import re
import zlib

from ..model.document import Block, Cell, Document
from . import limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# text under these is not what Word shows: the fallback copy of a text box,
# and the old place of moved text (its new place is read)
_HIDDEN_COPIES = {"{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback", W + "moveFrom"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)
_EXCERPT = 16


def read(path: str) -> Document:
    from . import ReadError

    _refuse_non_zip(path)
    zf = limits.open_zip(path, "Word")
    with zf:
        names = set(zf.namelist())
        if "word/document.xml" not in names:
            raise ReadError.of("E007", "docx_no_document", {"part": "word/document.xml"})
        for name in names:  # refuse DTDs / entity declarations in any XML part
            if name.endswith((".xml", ".rels")):
                data = limits.read_member(zf, name, "Word")
                if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
                    raise ReadError.of("E007", "dtd", {"part": name, "reason": "dtd"}, kind="Word", part=name)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(path)
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise ReadError.of("E007", "docx_unopenable", name=type(exc).__name__, exc=exc) from exc
    except Exception as exc:  # lxml syntax errors, broken zip members, relationships without a target ...
        from . import raised_in_library

        if type(exc).__name__ in ("XMLSyntaxError", "BadZipFile") or isinstance(exc, (zlib.error, EOFError)) \
                or raised_in_library(exc):
            raise ReadError.of("E007", "docx_unopenable", {"reason": "damaged"}, name=type(exc).__name__,
                               exc=exc) from exc
        raise
    root = document.element
    if getattr(root, "tag", None) != W + "document" or root.find(W + "body") is None:
        raise ReadError.of("E007", "docx_no_body", {"part": "word/document.xml", "reason": "no-body"})
    doc = _Builder(path, document).build()
    if not doc.text.strip():
        if any(name.startswith("word/media/") for name in names):
            raise ReadError.of("E008", "docx_images_only", {"reason": "images-only"})
        raise ReadError.of("E004", "no_text", kind="Word")
    return doc


def _refuse_non_zip(path: str) -> None:
    from . import ReadError

    with open(path, "rb") as handle:
        head = handle.read(8)
        if head != _OLE_MAGIC:
            return
        data = handle.read(limits.MAX_PART_BYTES)
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise ReadError.of("E006", "docx_encrypted")
    raise ReadError.of("E012", "docx_is_doc")


class _Builder:
    def __init__(self, path: str, document):
        self.path = path
        self.document = document
        self.parts: list[str] = []  # lines of the composed text
        self.pos = 0
        self.blocks: list[Block] = []
        self.info: list[dict] = []
        self.paragraph_no = 0
        self.table_no = 0
        self.styles = _StyleInfo(document)
        self.numbering = _Numbering(document, self.styles)

    def add_line(self, text: str, info: dict) -> tuple[int, int]:
        text = text.replace("\r", " ").replace("\n", " ")
        start = self.pos
        self.parts.append(text)
        self.info.append(info)
        self.pos += len(text) + 1
        return start, start + len(text)

    def build(self) -> Document:
        body = self.document.element.body
        for child in body.iterchildren():
            if child.tag == W + "p":
                self.paragraph(child)
            elif child.tag == W + "tbl":
                self.table(child)
            elif child.tag == W + "sdt":  # content controls wrap body paragraphs/tables
                for inner in child.iter(W + "p", W + "tbl"):
                    if inner.getparent().tag == W + "sdtContent" and inner.getparent().getparent() is child:
                        (self.paragraph if inner.tag == W + "p" else self.table)(inner)
        text = "\n".join(self.parts)
        return Document(path=self.path, format="docx", text=text, blocks=self.blocks, line_info=self.info,
                        metadata={"paragraphs": self.paragraph_no, "tables": self.table_no})

    def paragraph(self, p) -> None:
        self.paragraph_no += 1
        style_id = _style_id(p)
        text = self.numbering.label(p, style_id) + paragraph_text(p)
        info = {"kind": "docx", "paragraph": self.paragraph_no, "excerpt": text.strip()[:_EXCERPT]}
        start, end = self.add_line(text, info)
        self.blocks.append(Block("paragraph", start, end, style=self.styles.heading(style_id)))

    def table(self, tbl) -> None:
        self.table_no += 1
        grid = table_grid(tbl)
        rows: list[list[Cell]] = []
        first = self.pos
        for r, row in enumerate(grid):
            cells = []
            for c, rowspan, colspan, text in row:
                info = {"kind": "docx", "table": self.table_no, "row": r + 1, "col": c + 1}
                start, end = self.add_line(text, info)
                cells.append(Cell(start, end, rowspan, colspan))
            rows.append(cells)
        if any(rows):
            self.blocks.append(Block("table", first, max(self.pos - 1, first), rows=rows))


def paragraph_text(p) -> str:
    """Visible text of a paragraph (inserted revisions kept; deletions, field
    codes and hidden copies left out)."""
    out = []
    for node in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen"):
        if node.tag == W + "t":
            if _in_hidden_copy(node, p):
                continue
            out.append(node.text or "")
        elif node.tag == W + "tab":
            if node.getparent().tag == W + "r":
                out.append("\t")
        elif node.tag == W + "noBreakHyphen":
            out.append("-")
        else:
            out.append(" ")
    return "".join(out)


def _in_hidden_copy(node, stop) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _HIDDEN_COPIES:
            return True
        parent = parent.getparent()
    return False


def _style_id(p) -> str | None:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return None
    ps = ppr.find(W + "pStyle")
    return ps.get(W + "val") if ps is not None else None


def _val(el, path: str, default=None):
    found = el.find(path) if el is not None else None
    return found.get(W + "val", default) if found is not None else default


_DECIMAL = re.compile(r"\s*([+-]?)0*(\d+)\s*")
# a table of more grid positions than this is refused (Word's tables have at most 63 columns)
MAX_GRID_CELLS = 1_000_000


def _int(value: str | int | None) -> int | None:
    """An XML integer (w:ST_DecimalNumber), None if it is none; a value too
    large for any grid or list is 10⁹."""
    if isinstance(value, int):
        return value
    m = _DECIMAL.fullmatch(value) if value is not None else None
    if m is None:
        return None
    n = int(m.group(2)) if len(m.group(2)) <= 9 else 10 ** 9
    return -n if m.group(1) == "-" else n


def _int_or(value: str | int | None, default: int) -> int:
    """A numbering integer (level, start): one that is no integer counts as
    the default -- it changes a list number at most."""
    n = _int(value)
    return default if n is None else n


def _number(el, path: str, default: int) -> int:
    """An integer property (w:gridSpan, w:gridBefore); a value that is no
    integer is a damaged file, as in Word."""
    from . import ReadError

    value = _val(el, path)
    if value is None or value == "":
        return default
    n = _int(value)
    if n is None:
        name = path.rsplit("}", 1)[-1]
        raise ReadError.of("E007", "docx_property",
                           {"part": "word/document.xml", "property": f"w:{name}", "value": value[:20]},
                           name=name, value=value[:20])
    return n


def table_grid(tbl) -> list[list[tuple[int, int, int, str]]]:
    """Rows of (column, rowspan, colspan, text) with merged cells resolved.
    Spans are kept inside the table's grid (w:tblGrid, or the widest row
    where a row has more cells than the grid)."""
    from . import ReadError

    trs = list(tbl.iterchildren(W + "tr"))
    grid = tbl.find(W + "tblGrid")
    width = max(len(grid.findall(W + "gridCol")) if grid is not None else 0,
                max((sum(1 for _ in _row_cells(tr)) for tr in trs), default=0), 1)
    if width * len(trs) > MAX_GRID_CELLS:
        raise ReadError.of("E005", "docx_table_too_large",
                           {"rows": len(trs), "columns": width, "limit": MAX_GRID_CELLS},
                           rows=len(trs), columns=width, limit=MAX_GRID_CELLS)
    rows: list[list[list]] = []
    origin_at: dict[int, list] = {}  # grid column -> the cell that covers it from above
    for tr in trs:
        col = min(max(0, _number(tr, f"{W}trPr/{W}gridBefore", 0)), width - 1)
        row: list[list] = []
        for tc in _row_cells(tr):
            tcpr = tc.find(W + "tcPr")
            span = min(max(1, _number(tcpr, f"{W}gridSpan", 1)), max(1, width - col))
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            if vmerge is not None and vmerge.get(W + "val", "continue") == "continue" and col in origin_at:
                origin_at[col][1] += 1
            else:
                cell = [col, 1, span, " ".join(paragraph_text(p) for p in tc.iter(W + "p")).strip()]
                row.append(cell)
                for c in [c for c in origin_at if col <= c < col + span]:
                    del origin_at[c]
                if vmerge is not None:  # restart
                    origin_at[col] = cell
            col += span
        rows.append(row)
    return [[tuple(c) for c in row] for row in rows]


def _row_cells(tr):
    for child in tr.iterchildren():
        if child.tag == W + "tc":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            yield from child.iter(W + "tc")


class _StyleInfo:
    def __init__(self, document):
        self.names: dict[str, str] = {}
        self.based_on: dict[str, str] = {}
        self.num: dict[str, tuple[str | None, int]] = {}
        self.outline: dict[str, int] = {}
        try:
            root = document.styles.element
        except Exception:
            return
        for st in root.iterchildren(W + "style"):
            sid = st.get(W + "styleId")
            if not sid:
                continue
            self.names[sid] = _val(st, W + "name", sid) or sid
            base = _val(st, W + "basedOn")
            if base:
                self.based_on[sid] = base
            ppr = st.find(W + "pPr")
            num_id = _val(ppr, f"{W}numPr/{W}numId")
            if num_id is not None:
                self.num[sid] = (num_id, _int_or(_val(ppr, f"{W}numPr/{W}ilvl"), 0))
            lvl = _val(ppr, W + "outlineLvl")
            if lvl is not None and lvl.isdigit():
                self.outline[sid] = int(lvl)

    def chain(self, sid: str | None):
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            yield sid
            sid = self.based_on.get(sid)

    def heading(self, sid: str | None) -> str | None:
        for s in self.chain(sid):
            m = _HEADING_STYLE.match(self.names.get(s, "").strip()) or _HEADING_STYLE.match(s)
            if m:
                level = int(m.group(1))
                return f"h{level}" if level <= 4 else None
            if s in self.outline and self.outline[s] < 4:
                return f"h{self.outline[s] + 1}"
        return None

    def numbering(self, sid: str | None):
        for s in self.chain(sid):
            if s in self.num:
                return self.num[s]
        return None


_CN = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 0:  # a negative list start (no Chinese numeral): shown as digits
        return str(n)
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    if n > 3999:  # no Roman numeral
        return str(n)
    out = ""
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                       (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
               "ideographDigital", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Numbering:
    """Renders Word's automatic list numbers the way Word displays them."""

    def __init__(self, document, styles: _StyleInfo):
        self.styles = styles
        # numId -> ilvl -> (fmt, text, start, what follows the number: Word's w:suff, a tab by default)
        self.levels: dict[str, dict[int, tuple[str, str, int, str]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {}
        for an in root.iterchildren(W + "abstractNum"):
            abstract[an.get(W + "abstractNumId")] = self._levels(an)
        for num in root.iterchildren(W + "num"):
            levels = dict(abstract.get(_val(num, W + "abstractNumId"), {}))
            for override in num.iterchildren(W + "lvlOverride"):
                ilvl = _int_or(override.get(W + "ilvl"), 0)
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    levels.update(self._levels(override))
                start = _val(override, W + "startOverride")
                if start is not None and ilvl in levels:
                    fmt, text, _, suffix = levels[ilvl]
                    levels[ilvl] = (fmt, text, _int_or(start, 1), suffix)
            self.levels[num.get(W + "numId")] = levels

    @staticmethod
    def _levels(parent) -> dict[int, tuple[str, str, int, str]]:
        out = {}
        for lvl in parent.iterchildren(W + "lvl"):
            ilvl = _int_or(lvl.get(W + "ilvl"), 0)
            suffix = "" if _val(lvl, W + "suff", "tab") == "nothing" else " "  # a tab or a space
            out[ilvl] = (_val(lvl, W + "numFmt", "decimal"), _val(lvl, W + "lvlText", ""),
                         _int_or(_val(lvl, W + "start"), 1), suffix)
        return out

    def label(self, p, style_id: str | None) -> str:
        if not self.levels:
            return ""
        ppr = p.find(W + "pPr")
        num_id = _val(ppr, f"{W}numPr/{W}numId")
        ilvl = _val(ppr, f"{W}numPr/{W}ilvl")
        if num_id is None:
            styled = self.styles.numbering(style_id)
            if styled is None:
                return ""
            num_id, ilvl = styled[0], ilvl if ilvl is not None else styled[1]
        ilvl = _int_or(ilvl, 0)
        levels = self.levels.get(num_id)
        if not levels or num_id == "0" or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt, text, _, suffix = levels[ilvl]
        if fmt == "bullet":
            return ""

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            return _format(counters.get(k, levels[k][2]), levels[k][0])

        return re.sub(r"%([1-9])", sub, text) + suffix
