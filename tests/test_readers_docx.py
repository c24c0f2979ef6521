"""Word .docx reader: document order, heading styles, merged cells, automatic
numbering, positions, and refusal of damaged, encrypted and hostile files."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readers_util import DOCUMENTS, docx_from_text
from xxgk_lint.linter.readers import ReadError, read


def cell_text(doc, cell):
    return doc.text[cell.start:cell.end]


def test_body_order_styles_and_positions(tmp_path):
    word = docx.Document()
    word.add_paragraph("某区2023年政府信息公开工作年度报告", style="Title")
    word.add_paragraph("一、总体情况", style="Heading 1")
    word.add_paragraph("正文第一段。")
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "信息内容", "本年制发件数"
    table.cell(1, 0).text, table.cell(1, 1).text = "规章", "3"
    word.add_paragraph("（一）主动公开", style="Heading 2")
    path = tmp_path / "a.docx"
    word.save(path)
    doc = read(str(path))
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph", "paragraph", "table", "paragraph"]
    assert [b.style for b in doc.blocks if b.kind == "paragraph"] == [None, "h1", None, "h2"]
    table_block = doc.blocks[3]
    assert [[cell_text(doc, c) for c in row] for row in table_block.rows] == [["信息内容", "本年制发件数"], ["规章", "3"]]
    # positions: paragraph number with its first words, or table/row/column
    offset = doc.text.index("正文第一段")
    assert doc.location(offset) == {"kind": "docx", "paragraph": 3, "excerpt": "正文第一段。", "column": 1}
    loc = doc.location(table_block.rows[1][1].start)
    assert (loc["kind"], loc["table"], loc["row"], loc["col"]) == ("docx", 1, 2, 2)
    assert doc.location(doc.text.index("（一）主动公开"))["paragraph"] == 4


def test_merged_cells_appear_once_with_spans(tmp_path):
    word = docx.Document()
    table = word.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "横向合并"
    table.cell(0, 2).text = "c"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "纵向合并"
    for r in (1, 2):
        for c in (1, 2):
            table.cell(r, c).text = f"{r}{c}"
    path = tmp_path / "merged.docx"
    word.save(path)
    doc = read(str(path))
    rows = doc.blocks[-1].rows
    shape = [[(cell_text(doc, c), c.rowspan, c.colspan) for c in row] for row in rows]
    assert shape == [
        [("横向合并", 1, 2), ("c", 1, 1)],
        [("纵向合并", 2, 1), ("11", 1, 1), ("12", 1, 1)],
        [("21", 1, 1), ("22", 1, 1)],
    ]


def test_generated_table3_header_spans():
    doc = read(str(DOCUMENTS / "report.docx"))
    table3 = [b for b in doc.blocks if b.kind == "table"][1]
    first = [(cell_text(doc, c)[:6], c.rowspan, c.colspan) for c in table3.rows[0]]
    assert first == [("（本列数据的", 3, 3), ("申请人情况", 1, 7)]
    label = next(c for row in table3.rows for c in row if cell_text(doc, c) == "三、本年度办理结果")
    assert label.rowspan == 20


def _add_numbering(word, fmt: str, text: str) -> str:
    numbering = word.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
        el = OxmlElement(tag)
        el.set(qn("w:val"), value)
        lvl.append(el)
    abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)
    return "90"


def test_automatic_numbering_is_rendered(tmp_path):
    word = docx.Document()
    num_id = _add_numbering(word, "chineseCounting", "%1、")
    for title in ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况"):
        p = word.add_paragraph(title)
        p_pr = p._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", "0"), ("w:numId", num_id)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), value)
            num_pr.append(el)
        p_pr.append(num_pr)
    path = tmp_path / "numbered.docx"
    word.save(path)
    # Word puts a tab between the number and the text unless the level says otherwise (w:suff)
    assert read(str(path)).text.split("\n") == ["一、 总体情况", "二、 主动公开政府信息情况", "三、 收到和处理政府信息公开申请情况"]


def _rewrite(src, dst, replace: dict[str, bytes] | None = None, drop: set[str] = frozenset()):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename in drop:
                continue
            data = (replace or {}).get(item.filename, zin.read(item.filename))
            zout.writestr(item.filename, data)
        for name, data in (replace or {}).items():  # parts that were not there
            if name not in zin.namelist():
                zout.writestr(name, data)


def _code(path) -> str:
    with pytest.raises(ReadError) as info:
        read(str(path))
    return info.value.code


def test_entity_bomb_is_refused(tmp_path):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>")
    path = tmp_path / "bomb.docx"
    _rewrite(DOCUMENTS / "report.docx", path, {"word/document.xml": bomb})
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E007" and info.value.data["reason"] == "dtd"


def test_external_entity_is_refused(tmp_path):
    xxe = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>")
    path = tmp_path / "xxe.docx"
    _rewrite(DOCUMENTS / "report.docx", path, {"word/document.xml": xxe})
    assert _code(path) == "E007"


def test_damaged_and_truncated(tmp_path):
    data = (DOCUMENTS / "report.docx").read_bytes()
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(data[: len(data) // 2])
    assert _code(truncated) == "E007"
    not_zip = tmp_path / "text.docx"
    not_zip.write_text("这不是 Word 文件", encoding="utf-8")
    assert _code(not_zip) == "E007"
    no_body = tmp_path / "nobody.docx"
    _rewrite(DOCUMENTS / "report.docx", no_body, drop={"word/document.xml"})
    assert _code(no_body) == "E007"
    bad_xml = tmp_path / "badxml.docx"
    _rewrite(DOCUMENTS / "report.docx", bad_xml, {"word/document.xml": b"<w:document><w:body>"})
    assert _code(bad_xml) == "E007"


def test_encrypted_and_old_binary_docx(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    encrypted = tmp_path / "secret.docx"
    encrypted.write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100)
    assert _code(encrypted) == "E006"
    renamed = tmp_path / "old.docx"
    renamed.write_bytes(ole + b"\x00" * 100)
    assert _code(renamed) == "E012"


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    path = tmp_path / "ratio.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<a/>")
        zf.writestr("word/media/zeros.bin", b"\x00" * (4 * 1024 * 1024))
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E005" and info.value.data["part"] == "word/media/zeros.bin"


def test_importing_readers_does_not_import_heavy_libraries():
    code = ("import sys, xxgk_lint.linter.readers as r; "
            "print(any(m in sys.modules for m in ('docx', 'pdfplumber', 'lxml', 'pypdfium2')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@st.composite
def partitions(draw):
    """A grid cut into rectangles: [(row, col, rowspan, colspan)] in reading order."""
    rows, cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    covered: set[tuple[int, int]] = set()
    rects = []
    for r in range(rows):
        for c in range(cols):
            if (r, c) in covered:
                continue
            width = 1
            while c + width < cols and (r, c + width) not in covered:
                width += 1
            w = draw(st.integers(1, width))
            h = draw(st.integers(1, rows - r))
            rects.append((r, c, h, w))
            covered.update((r + i, c + j) for i in range(h) for j in range(w))
    return rows, cols, rects


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(partitions())
def test_any_merge_pattern_is_resolved(tmp_path, shape):
    rows, cols, rects = shape
    word = docx.Document()
    table = word.add_table(rows=rows, cols=cols)
    for n, (r, c, h, w) in enumerate(rects):
        cell = table.cell(r, c)
        if h > 1 or w > 1:
            cell = cell.merge(table.cell(r + h - 1, c + w - 1))
        cell.text = f"v{n}"
    path = tmp_path / "p.docx"
    word.save(path)
    doc = read(str(path))
    got = [(doc.text[c.start:c.end], c.rowspan, c.colspan) for row in doc.blocks[-1].rows for c in row]
    assert got == [(f"v{n}", h, w) for n, (_, _, h, w) in enumerate(rects)]


def test_document_without_text(tmp_path):
    word = docx.Document()
    word.add_paragraph("")
    path = tmp_path / "blank.docx"
    word.save(path)
    assert _code(path) == "E004"
    with_image = tmp_path / "scan.docx"
    _rewrite(path, with_image, {"word/media/image1.png": b"\x89PNG fake"})
    assert _code(with_image) == "E008"


def test_blank_table_row_is_read_as_blank_cells_not_a_missing_table(tmp_path):
    """A template left blank (no cases, nothing entered): table 4 is there with
    every cell empty -- a blank-cell warning, not "table missing"."""
    from clihelp import SCAFFOLD
    from helpers import findings

    text = SCAFFOLD.replace("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "\t" * 14, 1)
    source = tmp_path / "blank.txt"
    source.write_text(text, encoding="utf-8")
    word = tmp_path / "blank.docx"
    docx_from_text(source, word)
    for path in (source, word):
        result = findings(path, select=["S201", "A202"])
        assert [d.code for d in result.diagnostics] == ["A202"], path.suffix
        (d,) = result.diagnostics
        assert d.data["table"] == "t4" and d.data["count"] == 15 and "全部单元格（空白）" in d.message


def test_a_corrupt_compressed_part_is_a_damaged_file(tmp_path):
    """A flipped byte inside a deflated member: zlib fails while reading it."""
    source = (DOCUMENTS / "report.docx").read_bytes()
    with zipfile.ZipFile(DOCUMENTS / "report.docx") as zf:
        info = zf.getinfo("word/document.xml")
    # the member's data starts after its local header (30 bytes + name + extra)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 16
    broken = bytearray(source)
    for i in range(start, start + 64):
        broken[i] ^= 0x5A
    path = tmp_path / "broken.docx"
    path.write_bytes(bytes(broken))
    with pytest.raises(ReadError) as info_:
        read(str(path))
    assert info_.value.code == "E007"


def _table_with(tmp_path, name: str, cell_props: str = "", row_props: str = "") -> pathlib.Path:
    """A 2×3 table whose first cell has ``cell_props`` and first row ``row_props`` (raw XML)."""
    word = docx.Document()
    word.add_paragraph("某区2023年政府信息公开工作年度报告")
    table = word.add_table(rows=2, cols=3)
    for r in range(2):
        for c in range(3):
            table.cell(r, c).text = f"{r}{c}"
    first = tmp_path / "plain.docx"
    word.save(first)
    with zipfile.ZipFile(first) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    xml = xml.replace("<w:tc><w:tcPr>", f"<w:tc><w:tcPr>{cell_props}", 1)
    xml = xml.replace("<w:tr>", f"<w:tr><w:trPr>{row_props}</w:trPr>", 1) if row_props else xml
    path = tmp_path / name
    _rewrite(first, path, {"word/document.xml": xml.encode("utf-8")})
    return path


def test_an_absurd_grid_span_is_clamped_to_the_table_grid(tmp_path):
    import time

    for value in ("300000000", "9" * 60):
        path = _table_with(tmp_path, "span.docx", f'<w:gridSpan w:val="{value}"/>')
        began = time.monotonic()
        doc = read(str(path))
        assert time.monotonic() - began < 5
        first = doc.blocks[-1].rows[0]
        assert [(cell_text(doc, c), c.colspan) for c in first] == [("00", 3), ("01", 1), ("02", 1)]


@pytest.mark.parametrize("cell_props,row_props", [('<w:gridSpan w:val="abc"/>', ""),
                                                  ("", '<w:gridBefore w:val="x"/>')])
def test_a_grid_property_that_is_no_number_is_a_damaged_file(tmp_path, cell_props, row_props):
    path = _table_with(tmp_path, "bad.docx", cell_props, row_props)
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E007" and "w:grid" in info.value.message


def test_bad_numbering_numbers_do_not_break_the_reader(tmp_path):
    import time

    for fmt, start in (("decimal", "abc"), ("upperRoman", "999999999")):
        word = docx.Document()
        num_id = _add_numbering(word, fmt, "%1.")
        word.part.numbering_part.element.find(qn("w:abstractNum")).find(qn("w:lvl")).find(qn("w:start")).set(
            qn("w:val"), start)
        p = word.add_paragraph("总体情况")
        num_pr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", "0"), ("w:numId", num_id)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), value)
            num_pr.append(el)
        p._p.get_or_add_pPr().append(num_pr)
        path = tmp_path / "numbered.docx"
        word.save(path)
        began = time.monotonic()
        assert read(str(path)).text == ("1. 总体情况" if start == "abc" else "999999999. 总体情况")
        assert time.monotonic() - began < 5



def test_numbering_followed_by_nothing_and_a_year(tmp_path):
    """w:suff="nothing" joins number and text; the default tab keeps "1." apart from "2023年"."""
    for suffix, expected in ((None, "1. 2023年工作要点"), ("nothing", "1.2023年工作要点")):
        word = docx.Document()
        num_id = _add_numbering(word, "decimal", "%1.")
        if suffix:
            lvl = word.part.numbering_part.element.find(qn("w:abstractNum")).find(qn("w:lvl"))
            suff = OxmlElement("w:suff")
            suff.set(qn("w:val"), suffix)
            lvl.append(suff)
        p = word.add_paragraph("2023年工作要点")
        num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = int(num_id)
        path = tmp_path / f"n{suffix}.docx"
        word.save(str(path))
        assert read(str(path)).text == expected
