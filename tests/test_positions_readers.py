"""Positions point at the text itself (issue 15, point 3): the column of an
.odt cell after merged cells, the printed line of a phrase inside a PDF/OFD
paragraph, and the printed line of a PDF table cell."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from xxgk_lint.linter.readers import read

from readers_util import DOCUMENTS

ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')


def _odt(tmp_path, rows: str):
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS}><office:body>'
               f'<office:text><text:p>表格</text:p><table:table>{rows}</table:table></office:text>'
               f'</office:body></office:document-content>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content)
    path = tmp_path / "t.odt"
    path.write_bytes(buf.getvalue())
    return read(str(path))


def _cell(text: str, span: int = 1, rows: int = 1) -> str:
    attrs = (f' table:number-columns-spanned="{span}"' if span > 1 else "") + \
            (f' table:number-rows-spanned="{rows}"' if rows > 1 else "")
    return f"<table:table-cell{attrs}><text:p>{text}</text:p></table:table-cell>"


COVERED = "<table:covered-table-cell/>"


def _where(doc, text: str) -> dict:
    return doc.location(doc.text.index(text))


def test_odt_column_after_a_merged_cell(tmp_path):
    """LibreOffice writes a cell spanning three columns followed by two covered
    cells; they are part of the span, not columns of their own."""
    doc = _odt(tmp_path,
               "<table:table-row>" + _cell("信息内容", span=3) + COVERED * 2 + _cell("本年制发件数") + _cell("现行有效件数")
               + "</table:table-row><table:table-row>" + _cell("规章") + _cell("甲") + _cell("乙") + _cell("15")
               + _cell("27") + "</table:table-row>")
    assert (_where(doc, "本年制发件数")["col"], _where(doc, "现行有效件数")["col"]) == (4, 5)
    assert (_where(doc, "15")["col"], _where(doc, "27")["col"]) == (4, 5)
    table = next(b for b in doc.blocks if b.kind == "table")
    assert [c.colspan for c in table.rows[0]] == [3, 1, 1]


def test_odt_column_under_a_cell_merged_downwards(tmp_path):
    """A cell spanning two rows and two columns: in the row below, its two
    covered cells are columns of the grid."""
    doc = _odt(tmp_path,
               "<table:table-row>" + _cell("三、办理结果", span=2, rows=2) + COVERED + _cell("7") + _cell("8")
               + "</table:table-row><table:table-row>" + COVERED * 2 + _cell("9") + _cell("10")
               + "</table:table-row>")
    assert [_where(doc, t)["col"] for t in ("7", "8", "9", "10")] == [3, 4, 3, 4]
    assert [_where(doc, t)["row"] for t in ("7", "9")] == [1, 2]


def _shown_lines(path) -> dict[int, list[str]]:
    """Each page's text lines as pdfplumber groups them (what the page shows),
    top to bottom, without spaces."""
    import pdfplumber

    shown = {}
    with pdfplumber.open(str(path)) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            lines = sorted(page.extract_text_lines(strip=True, return_chars=False), key=lambda ln: ln["top"])
            shown[n] = [re.sub(r"\s", "", ln["text"]) for ln in lines]
    return shown


def _check(doc, shown, offsets) -> tuple[int, list]:
    """(positions confirmed, positions on another line) for text at ``offsets``:
    a piece of 4 characters found exactly once on its page must be on the
    line the position names."""
    ok, wrong = 0, []
    for at in offsets:
        piece = re.sub(r"\s", "", doc.text[at:at + 4])
        if len(piece) < 4:
            continue
        loc = doc.location(at)
        lines = shown[loc["page"]]
        if "".join(lines).count(piece) != 1:
            continue
        holding = [n for n, text in enumerate(lines, start=1) if piece in text]
        if len(holding) != 1:
            continue  # the piece runs over a line break
        if holding[0] == loc["line"]:
            ok += 1
        else:
            wrong.append((piece, loc["page"], loc["line"], holding[0]))
    return ok, wrong


@pytest.mark.parametrize("name", ["hzq2023_working.pdf", "report.pdf"])
def test_pdf_phrase_inside_a_paragraph_is_on_its_own_line(name):
    doc = read(str(DOCUMENTS / name))
    offsets = [at for b in doc.blocks if b.kind == "paragraph" and b.end - b.start >= 40
               for at in range(b.start, b.end - 4, 7)]
    ok, wrong = _check(doc, _shown_lines(DOCUMENTS / name), offsets)
    assert not wrong, wrong[:5]
    assert ok >= 30


def test_pdf_table_cells_are_on_the_line_of_their_text():
    """hzq2023: a real table whose rows hold text at several heights (a label
    over two lines, values centred): cells used to be 1-2 lines off."""
    doc = read(str(DOCUMENTS / "hzq2023_working.pdf"))
    offsets = [c.start for b in doc.blocks if b.kind == "table" for row in b.rows for c in row]
    ok, wrong = _check(doc, _shown_lines(DOCUMENTS / "hzq2023_working.pdf"), offsets)
    assert not wrong, wrong[:5]
    assert ok >= 40


def test_ofd_positions_move_down_a_wrapped_paragraph():
    """OFD paragraphs are joined from printed lines like PDF ones: the end of a
    long paragraph is on a later line than its start, and positions never go
    back up inside it."""
    doc = read(str(DOCUMENTS / "report.ofd"))
    wrapped = 0
    for b in doc.blocks:
        if b.kind != "paragraph" or b.end - b.start < 80:
            continue
        places = [(doc.location(at)["page"], doc.location(at)["line"]) for at in range(b.start, b.end)]
        assert places == sorted(places)
        if places[-1] > places[0]:
            wrapped += 1
    assert wrapped >= 5
