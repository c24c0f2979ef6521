"""PDF reader: text lines with page/line positions, ruled tables with spans,
tables joined over page breaks, page furniture dropped; scanned, garbled,
encrypted, truncated and damaged files give E findings."""

from __future__ import annotations

import pytest

import pdfgen
from readers_util import DOCUMENTS, report_of
from xxgk_lint.linter.readers import ReadError, read


def texts(doc, kind="paragraph"):
    return [doc.text[b.start:b.end] for b in doc.blocks if b.kind == kind]


def test_generated_report_tables_and_positions():
    doc = read(str(DOCUMENTS / "report.pdf"))
    assert doc.format == "pdf" and doc.metadata["pages"] == 5
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 3  # table 3 ran over pages 3-4 and is one table again
    t3 = tables[1]
    cells = [doc.text[c.start:c.end] for row in t3.rows for c in row]
    # the row split by the page break is whole again, its values in the same row
    row = next(r for r in t3.rows if doc.text[r[0].start:r[0].end].startswith("2.其他"))
    assert [doc.text[c.start:c.end] for c in row] == ["2.其他法律行政法规禁止公开", "60", "61", "62", "63", "64", "65", "66"]
    assert "三、本年度办理结果" in cells
    header = [(doc.text[c.start:c.end][:5], c.rowspan, c.colspan) for c in t3.rows[0]]
    assert header == [("（本列数据", 3, 3), ("申请人情况", 1, 7)]
    loc = doc.location(doc.text.index("四、政府信息公开行政复议"))
    assert (loc["kind"], loc["page"], loc["line"]) == ("pdf", 5, 1)
    # a wrapped title or sentence is one paragraph; a phrase in it is placed at its own
    # printed line ("予" ends line 24, issue 15 point 3), not at the paragraph's first
    title = doc.blocks[0]
    assert doc.text[title.start:title.end] == "某某市某某区 2020 年政府信息公开工作年度报告"
    loc = doc.location(doc.text.index("予以公开3件"))
    assert (loc["page"], loc["line"]) == (1, 24)


def test_real_pdf_tables_and_page_numbers():
    doc = read(str(DOCUMENTS / "hzq2023_working.pdf"))
    lines = doc.text.split("\n")
    assert not any(line.strip() in {f"- {n} -" for n in range(1, 6)} for line in lines)
    report = report_of(DOCUMENTS / "hzq2023_working.pdf")
    assert report.version == "gb2021" and report.year.value == 2023
    assert [s.heading.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert {"t2", "t3", "t4"} <= set(report.tables)
    t3 = report.tables["t3"]
    assert len(t3.rows) >= 20
    # 本年新收 21 from natural persons, and the total 21 (page 3 of the real report)
    first = next(iter(t3.rows.values()))
    assert [str(c.value) for c in first.values.values()] == ["21", "0", "0", "0", "0", "0", "21"]


def _code(tmp_path, data: bytes, name="x.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError) as info:
        read(str(path))
    return info.value


def test_plain_text_pdf(tmp_path):
    path = tmp_path / "plain.pdf"
    path.write_bytes(pdfgen.text_pdf(["Hello report", "a longer second line", "ends here"]))
    doc = read(str(path))
    # the second line runs to the right edge: the third continues its paragraph
    assert doc.text == "Hello report\na longer second line ends here"
    # ... and a word on the third printed line is placed there (issue 15 point 3)
    assert doc.location(doc.text.index("longer"))["line"] == 2
    assert doc.location(doc.text.index("ends"))["line"] == 3


def test_encrypted(tmp_path):
    assert _code(tmp_path, pdfgen.text_pdf(encrypt=True)).code == "E006"


def test_scanned_without_text_layer(tmp_path):
    err = _code(tmp_path, pdfgen.image_pdf())
    assert err.code == "E008" and err.data["reason"] == "no-text-layer"


def test_garbled_text_layer():
    with pytest.raises(ReadError) as info:
        read(str(DOCUMENTS / "garbled-font-sample.pdf"))
    assert info.value.code == "E008" and info.value.data["reason"] == "garbled"


def test_truncated(tmp_path):
    data = (DOCUMENTS / "report.pdf").read_bytes()
    err = _code(tmp_path, data[: len(data) // 2])
    assert err.code == "E007" and err.data["reason"] == "truncated"


@pytest.mark.parametrize("data", [
    b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",
    b"not a pdf at all" * 10,
])
def test_damaged(tmp_path, data):
    assert _code(tmp_path, data).code == "E007"


def test_empty_file(tmp_path):
    assert _code(tmp_path, b"").code == "E004"


def test_decompression_bomb(tmp_path, monkeypatch):
    from xxgk_lint.linter.readers import pdf

    monkeypatch.setattr(pdf, "MAX_INFLATED", 4 * 1024 * 1024)
    err = _code(tmp_path, pdfgen.bomb_pdf(8 * 1024 * 1024))
    assert err.code == "E005" and err.data["reason"] == "inflate-limit"
    # below the limit the same kind of file is read (and has no text)
    assert _code(tmp_path, pdfgen.bomb_pdf(2 * 1024 * 1024)).code == "E004"
