"""``xxgk-lint annotate``: the drafter's own .docx (or .odt) back, with one comment (批注) per finding.

A human reviewer hands a draft back with comments in the margin; this does the
same.  The report is checked as ``check`` would check it (same readers, rules and
configuration); then a *copy* of the file gets one comment per finding, written
with python-docx's comment support, author "xxgk-lint", anchored where the
finding is:

- a finding in a body paragraph: on the runs holding the finding's text when the
  paragraph's runs spell exactly the text the reader saw, else on the whole
  paragraph;
- a finding in a table cell: on the whole cell (the reader's grid position, merged
  cells resolved the way the reader resolves them);
- a finding without a position (about the whole file): on the first paragraph,
  and the comment says so.

The positions come from the reader's ``line_info`` (``{"kind": "docx",
"paragraph": N}`` or ``{"table": T, "row": R, "col": C}``); this module walks the
body in the reader's order to find the same elements again.  The original file is
only read; the copy is written to a temporary name and renamed into place.
OpenDocument text gets the same with odfdo (office:annotation around the
paragraph's or cell's text; no run-level anchoring).
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from dataclasses import dataclass

from .diagnostics import SEVERITIES, severity_word
from .readers.docx import W, _number, _row_cells, paragraph_text

AUTHOR = "xxgk-lint"
INITIALS = "XL"
NO_POSITION_NOTE = "（这个问题针对整个文件，没有具体位置，批注放在第一段。）"


class AnnotateError(Exception):
    """The copy cannot be made; the message (Chinese) says why and what to do."""


@dataclass
class Placed:
    """Where one finding's comment went (for the summary and the tests)."""

    comment_id: int
    code: str
    where: dict  # the reader's location, or {"kind": "file"}


def default_output(path: str) -> str:
    stem, ext = os.path.splitext(path)
    return stem + "-检查意见" + (".odt" if ext.lower() == ".odt" else ".docx")


def comment_text(diag, registry=None, positioned: bool = True) -> str:
    """The comment: code, level and message, then the expected value (the evidence the HTML
    report shows), then the rule's name."""
    from .reporters.html.findings import evidence as data_evidence

    severity = diag.severity.value if diag.severity else ""
    lines = [f"{diag.code} {severity_word(severity, 'zh')}：{diag.message}".strip()]
    evidence = data_evidence(diag.data or {})
    for part in re.findall(r"<div class=\"xr-evidence\">(.*?)</div>", evidence):
        lines.append(html.unescape(re.sub(r"<[^>]+>", "", part)))
    if not positioned:
        lines.append(NO_POSITION_NOTE)
    lines.append(f"规则 {diag.code} {diag.rule}（xxgk-lint rule {diag.code} 显示说明）" if diag.rule
                 else f"xxgk-lint rule {diag.code} 显示说明")
    return "\n".join(_xml_safe(line) for line in lines)


def _xml_safe(text: str) -> str:
    # a message quoting the document may carry characters XML 1.0 cannot hold
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "\ufffd", text)


class _Body:
    """The body's paragraphs and table cells, numbered the way readers/docx.py numbers them."""

    def __init__(self, body):
        self.paragraphs: list = []
        self.tables: list[dict[tuple[int, int], object]] = []
        for child in body.iterchildren():
            if child.tag == W + "p":
                self.paragraphs.append(child)
            elif child.tag == W + "tbl":
                self.tables.append(_cells(child))
            elif child.tag == W + "sdt":  # content controls wrap body paragraphs/tables
                for inner in child.iter(W + "p", W + "tbl"):
                    if inner.getparent().tag == W + "sdtContent" and inner.getparent().getparent() is child:
                        if inner.tag == W + "p":
                            self.paragraphs.append(inner)
                        else:
                            self.tables.append(_cells(inner))

    def element(self, where: dict):
        """The w:p or w:tc element at a reader location, or None."""
        if "paragraph" in where:
            index = where["paragraph"] - 1
            return self.paragraphs[index] if 0 <= index < len(self.paragraphs) else None
        if "table" in where:
            index = where["table"] - 1
            if 0 <= index < len(self.tables):
                return self.tables[index].get((where.get("row"), where.get("col")))
        return None


def _cells(tbl) -> dict[tuple[int, int], object]:
    """(row, column) -> w:tc, 1-based, as readers.docx.table_grid places each cell's origin."""
    trs = list(tbl.iterchildren(W + "tr"))
    grid = tbl.find(W + "tblGrid")
    width = max(len(grid.findall(W + "gridCol")) if grid is not None else 0,
                max((sum(1 for _ in _row_cells(tr)) for tr in trs), default=0), 1)
    cells: dict[tuple[int, int], object] = {}
    open_columns: set[int] = set()  # grid columns covered from above by a vertically merged cell
    for r, tr in enumerate(trs):
        col = min(max(0, _number(tr, f"{W}trPr/{W}gridBefore", 0)), width - 1)
        for tc in _row_cells(tr):
            tcpr = tc.find(W + "tcPr")
            span = min(max(1, _number(tcpr, f"{W}gridSpan", 1)), max(1, width - col))
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            if vmerge is not None and vmerge.get(W + "val", "continue") == "continue" and col in open_columns:
                pass  # part of the cell above: the reader reports it at the origin
            else:
                cells[(r + 1, col + 1)] = tc
                open_columns.difference_update(range(col, col + span))
                if vmerge is not None:
                    open_columns.add(col)
            col += span
    return cells


def _runs_of(p) -> list:
    """The runs directly in a paragraph that show text (not a comment reference)."""
    return [r for r in p.iterchildren(W + "r") if r.find(W + "commentReference") is None]


def _anchor(element, line: str | None, first_col: int | None, last_col: int | None):
    """(first run, last run) to hang a comment on inside a w:p or w:tc element."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    if element.tag == W + "tc":
        paragraphs = list(element.iterchildren(W + "p")) or list(element.iter(W + "p"))
        with_runs = [p for p in paragraphs if _runs_of(p)]
        if with_runs:
            return _runs_of(with_runs[0])[0], _runs_of(with_runs[-1])[-1]
        target = paragraphs[0] if paragraphs else None
        if target is None:  # a cell without a paragraph is invalid, but give it one
            target = OxmlElement("w:p")
            element.append(target)
    else:
        target = element
        runs = _runs_of(target)
        if runs:
            picked = _runs_covering(target, runs, line, first_col, last_col)
            return (picked[0], picked[-1]) if picked else (runs[0], runs[-1])
    run = OxmlElement("w:r")  # an empty paragraph or cell: the comment marks the place
    run.append(OxmlElement("w:t", attrs={qn("xml:space"): "preserve"}))
    target.append(run)
    return run, run


def _runs_covering(p, runs, line, first_col, last_col) -> list:
    """The runs holding columns first_col..last_col (1-based, of the reader's line), when the
    runs spell exactly the paragraph text the reader saw; [] otherwise."""
    from docx.text.run import Run

    if line is None or first_col is None:
        return []
    texts = [Run(r, None).text for r in runs]
    shown = paragraph_text(p).replace("\r", " ").replace("\n", " ")
    if "".join(texts) != shown or not line.endswith(shown):
        return []
    label = len(line) - len(shown)  # automatic numbering the reader put in front
    start, end = first_col - 1 - label, max(first_col, last_col or first_col) - 1 - label
    picked, offset = [], 0
    for r, text in zip(runs, texts):
        if text and offset <= end and offset + len(text) > max(start, 0):
            picked.append(r)
        offset += len(text)
    return picked


def annotate_document(source: str, result, output: str, registry=None) -> list[Placed]:
    """Write ``output``: a copy of the .docx at ``source`` with one comment per finding in
    ``result`` (the FileResult of checking ``source``).  Returns where each comment went."""
    import docx
    from docx.text.run import Run

    document = docx.Document(source)
    reader_doc = result.document
    body = _Body(document.element.body)
    first = body.paragraphs[0] if body.paragraphs else next(document.element.body.iter(W + "p"), None)
    plans = []
    for diag in result.diagnostics:
        where, element, line, first_col, last_col = {"kind": "file"}, None, None, None, None
        if diag.span is not None and reader_doc is not None and reader_doc.line_info:
            where = reader_doc.location(diag.span.start)
            element = body.element(where)
            number, first_col = reader_doc.line_col(diag.span.start)
            line = reader_doc.line_text(number)
            end_line, end_col = reader_doc.line_col(max(diag.span.start, diag.span.end - 1))
            last_col = end_col if end_line == number else len(line)
        positioned = element is not None
        if element is None:
            element, where = first, {"kind": "file"}
        if element is None:
            raise AnnotateError("Word 文件中没有任何段落，无法加批注")
        # anchors are found before any comment is inserted: a comment adds a reference run
        plans.append((diag, where, positioned, _anchor(element, line, first_col, last_col)))
    placed = []
    for diag, where, positioned, (first_run, last_run) in plans:
        comment = document.add_comment([Run(first_run, None), Run(last_run, None)],
                                       text=comment_text(diag, registry, positioned), author=AUTHOR,
                                       initials=INITIALS)
        placed.append(Placed(comment.comment_id, diag.code, where))
    _save_atomically(document.save, output, ".docx")
    return placed


_ODT_WALK = {"text:list", "text:list-item", "text:list-header", "text:section", "text:index-body",
             "table:table-header-rows", "table:table-rows"}


class _OdtBody:
    """The body's paragraphs and table cells of an .odt (odfdo elements), numbered the way
    readers/odt.py numbers them."""

    def __init__(self, body):
        self.paragraphs: list = []
        self.tables: list[dict[tuple[int, int], object]] = []
        self._walk(body)

    def _walk(self, parent) -> None:
        for el in parent.children:
            if el.tag in ("text:p", "text:h"):
                self.paragraphs.append(el)
            elif el.tag == "table:table":
                self.tables.append(self._cells(el))
            elif el.tag in _ODT_WALK:
                self._walk(el)

    @staticmethod
    def _number(el, name: str) -> int:
        try:
            return int(el.get_attribute(name) or 1)
        except (TypeError, ValueError):
            return 1

    def _cells(self, table) -> dict[tuple[int, int], object]:
        cells: dict[tuple[int, int], object] = {}
        # columns counted as readers/odt.py counts them: a covered cell that a cell to its left
        # spans is in that cell's colspan already; one covered from above is a column of its own
        for r, tr in enumerate(_odt_rows(table)):
            col, spanned = 0, 0
            for tc in tr.children:
                if tc.tag == "table:covered-table-cell":
                    repeat = self._number(tc, "table:number-columns-repeated")
                    consumed = min(repeat, spanned)
                    spanned -= consumed
                    col += repeat - consumed
                    continue
                if tc.tag != "table:table-cell":
                    continue
                span = self._number(tc, "table:number-columns-spanned")
                for _ in range(min(self._number(tc, "table:number-columns-repeated"), 100)):
                    cells[(r + 1, col + 1)] = tc
                    col += span
                    spanned += span - 1
        return cells

    element = _Body.element


def _odt_rows(table):
    for el in table.children:
        if el.tag == "table:table-row":
            yield el
        elif el.tag in ("table:table-header-rows", "table:table-rows", "table:table-row-group"):
            yield from _odt_rows(el)


def annotate_odt_document(source: str, result, output: str, registry=None) -> list[Placed]:
    """As :func:`annotate_document`, for an OpenDocument text (.odt): one office:annotation per
    finding, written with odfdo, spanning the paragraph or the cell's paragraphs."""
    from odfdo import Annotation, Document, Paragraph

    document = Document(source)
    reader_doc = result.document
    body = _OdtBody(document.body)
    first = body.paragraphs[0] if body.paragraphs else None
    placed = []
    for number, diag in enumerate(result.diagnostics):
        where, element = {"kind": "file"}, None
        if diag.span is not None and reader_doc is not None and reader_doc.line_info:
            where = reader_doc.location(diag.span.start)
            element = body.element(where)
        positioned = element is not None
        if element is None:
            element, where = first, {"kind": "file"}
        if element is None:
            raise AnnotateError("OpenDocument 文件中没有任何段落，无法加批注")
        if element.tag == "table:table-cell":
            inside = [p for p in element.children if p.tag in ("text:p", "text:h")]
            if not inside:
                inside = [Paragraph("")]
                element.append(inside[0])
            element = inside[0]
        lines = comment_text(diag, registry, positioned).split("\n")
        note = Annotation(lines[0], creator=AUTHOR, parent=element)
        for line in lines[1:]:
            note.append(Paragraph(line))
        # ODF wants dc:creator and dc:date before the text; odfdo appends them after it
        for meta in reversed([c for c in note.children if c.tag in ("dc:creator", "dc:date")]):
            note.delete(meta)
            note.insert(meta, start=True)
        if element.text_recursive:
            element.insert_annotation(annotation_element=note, content=element)
        else:  # an empty paragraph: the comment marks the place
            element.append(note)
        placed.append(Placed(number, diag.code, where))
    _save_atomically(lambda path: document.save(path), output, ".odt")
    return placed


def _save_atomically(save, output: str, suffix: str) -> None:
    folder = os.path.dirname(os.path.abspath(output))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".xxgk-lint-", suffix=suffix, dir=folder)
    os.close(handle)
    try:
        save(temporary)
        mask = os.umask(0)  # mkstemp made it private; the copy gets the user's usual permissions
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, output)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def check_and_annotate(path: str, output: str, registry, settings) -> tuple[object, list[Placed]]:
    """Check ``path`` and write the annotated copy to ``output``.  AnnotateError when the
    file is no .docx, cannot be read, or output would overwrite it."""
    from .runner import READ_CODES, check_file

    ext = os.path.splitext(path)[1].lower()
    if ext not in WRITERS:
        hint = ("请先在 Word 或 WPS 中“另存为” .docx" if ext in (".doc", ".wps", ".rtf", ".docm") else
                "PDF、网页和文本文件请用 xxgk-lint check --format html 生成检查结果网页")
        raise AnnotateError(f"只能给 Word 文件（.docx）或 OpenDocument 文本（.odt）加批注，"
                            f"“{os.path.basename(path)}”不是：{hint}")
    if os.path.exists(output) and os.path.exists(path) and os.path.samefile(path, output):
        raise AnnotateError(f"输出文件不能是原文件本身（{output}）：原文件不会被修改，请另起一个文件名，"
                            f"例如 {default_output(path)}")
    result = check_file(path, registry, settings.rules_for(path, registry), settings)
    unreadable = [d for d in result.diagnostics if d.code in READ_CODES]
    if unreadable or result.document is None:
        reason = unreadable[0].message if unreadable else "无法读取"
        raise AnnotateError(f"无法给“{path}”加批注：{reason}")
    try:
        placed = WRITERS[ext](path, result, output, registry)
    except AnnotateError:
        raise
    except OSError as exc:
        raise AnnotateError(f"无法写入“{output}”：{exc.strerror or exc}") from exc
    except Exception as exc:  # a bug or a construct the library cannot handle: a message, not a traceback
        raise AnnotateError(f"加批注时发生内部错误（{type(exc).__name__}: {exc}），没有生成副本；"
                            f"可以用 xxgk-lint check --format html 生成检查结果网页") from exc
    return result, placed


def run(path: str, output: str | None, config_file: str | None = None, isolated: bool = False) -> int:
    """The command: check, write the copy, say what was written.  Returns the exit code
    (0 written, 2 not written)."""
    import click

    from .config import ConfigError, Overrides, Resolver
    from .registry import load_registry

    output = output or default_output(path)
    if not os.path.isfile(path):
        raise click.UsageError(f"找不到文件“{path}”")
    registry = load_registry()
    try:
        settings = Resolver(registry, Overrides(), config_file=config_file, isolated=isolated).settings_for(path)
    except ConfigError as exc:
        click.echo(f"xxgk-lint: {exc}", err=True)
        return 2
    try:
        result, placed = check_and_annotate(path, output, registry, settings)
    except AnnotateError as exc:
        click.echo(f"xxgk-lint: {exc}", err=True)
        return 2
    counts = {severity_word(s, "zh"): sum(1 for d in result.diagnostics if d.severity and d.severity.value == s)
              for s in SEVERITIES}
    unplaced = sum(1 for p in placed if p.where.get("kind") == "file")
    summary = "，".join(f"{word} {n} 个" for word, n in counts.items())
    click.echo(f"已写入 {output}：{len(placed)} 条批注（{summary}）" +
               (f"；其中 {unplaced} 条没有具体位置，放在第一段" if unplaced else "") + "。原文件未改动。")
    return 0


# the formats a copy with comments can be written for, and how
WRITERS = {".docx": annotate_document, ".odt": annotate_odt_document}
