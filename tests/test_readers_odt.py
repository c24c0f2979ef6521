"""OpenDocument text read directly from content.xml (no LibreOffice needed)."""

from __future__ import annotations

import zipfile

import pytest

from readers_util import DOCUMENTS
from xxgk_lint.linter.readers import ReadError, read

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')


def make_odt(path, body: str):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", f"<office:document-content {NS}><office:body><office:text>{body}"
                                   "</office:text></office:body></office:document-content>")


def test_headings_paragraphs_and_merged_cells(tmp_path):
    path = tmp_path / "a.odt"
    make_odt(path, '<text:h text:outline-level="1">一、总体情况</text:h><text:p>正文<text:s text:c="2"/>一段'
                   "<office:annotation><text:p>批注</text:p></office:annotation></text:p>"
                   "<table:table><table:table-row>"
                   '<table:table-cell table:number-columns-spanned="2"><text:p>数量</text:p></table:table-cell>'
                   "<table:covered-table-cell/></table:table-row><table:table-row>"
                   '<table:table-cell table:number-rows-spanned="2"><text:p>甲</text:p></table:table-cell>'
                   "<table:table-cell><text:p>1</text:p></table:table-cell></table:table-row><table:table-row>"
                   "<table:covered-table-cell/><table:table-cell><text:p>2</text:p></table:table-cell>"
                   "</table:table-row></table:table>")
    doc = read(str(path))
    assert [doc.text[b.start:b.end] for b in doc.blocks[:2]] == ["一、总体情况", "正文  一段"]
    assert doc.blocks[0].style == "h1"
    rows = [[(doc.text[c.start:c.end], c.rowspan, c.colspan) for c in row] for row in doc.blocks[2].rows]
    assert rows == [[("数量", 1, 2)], [("甲", 2, 1), ("1", 1, 1)], [("2", 1, 1)]]
    loc = doc.location(doc.blocks[2].rows[2][0].start)
    assert (loc["kind"], loc["table"], loc["row"], loc["col"]) == ("odt", 1, 3, 2)
    assert doc.location(doc.text.index("正文"))["paragraph"] == 2


def test_broken_odt(tmp_path):
    path = tmp_path / "b.odt"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "x")
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E007"
    data = (DOCUMENTS / "report.odt").read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E007"
