"""OFD reader: text objects in page order with positions, ruled tables from
the path objects, and refusal of broken or hostile packages."""

from __future__ import annotations

import zipfile

import pytest

from readers_util import DOCUMENTS
from xxgk_lint.linter.readers import ReadError, limits, read

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def make_ofd(path, pages: list[str], extra: dict[str, bytes] | None = None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", f'<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
                               "</ofd:DocBody></ofd:OFD>")
        refs = "".join(f'<ofd:Page ID="{n}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages)))
        zf.writestr("Doc_0/Document.xml", f"<ofd:Document {NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>"
                                          f"0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
                                          f"<ofd:Pages>{refs}</ofd:Pages></ofd:Document>")
        for n, body in enumerate(pages):  # bytes: the whole part as given
            zf.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", body if isinstance(body, bytes) else
                        f"<ofd:Page {NS}><ofd:Content><ofd:Layer>{body}</ofd:Layer></ofd:Content></ofd:Page>")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)


def text_object(x, y, text, size=4.0):
    return (f'<ofd:TextObject Boundary="{x} {y} 150 {size}" Size="{size}"><ofd:TextCode X="0" Y="{size * 0.9}" '
            f'DeltaX="g {len(text) - 1} {size}">{text}</ofd:TextCode></ofd:TextObject>')


def test_text_in_page_order_with_positions(tmp_path):
    path = tmp_path / "a.ofd"
    make_ofd(path, [text_object(30, 40, "第二行") + text_object(30, 30, "某区2023年政府信息公开工作年度报告"),
                    text_object(30, 30, "一、总体情况")])
    doc = read(str(path))
    assert doc.text.split("\n") == ["某区2023年政府信息公开工作年度报告", "第二行", "一、总体情况"]
    assert doc.location(doc.text.index("一、总体"))["page"] == 2
    assert doc.location(doc.text.index("第二行")) == {"kind": "ofd", "page": 1, "line": 2, "column": 1}


def test_generated_report_table3():
    doc = read(str(DOCUMENTS / "report.ofd"))
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 3
    rows = [[doc.text[c.start:c.end] for c in row] for row in tables[1].rows]
    assert ["二、上年结转政府信息公开申请数量", "20", "21", "22", "23", "24", "25", "26"] in rows


def _code(path):
    with pytest.raises(ReadError) as info:
        read(str(path))
    return info.value


def test_missing_parts_and_damage(tmp_path):
    path = tmp_path / "empty.ofd"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "x")
    assert _code(path).code == "E007"
    path = tmp_path / "missing-page.ofd"
    make_ofd(path, [text_object(30, 30, "正文")])
    data = path.read_bytes()
    (tmp_path / "cut.ofd").write_bytes(data[:-40])
    assert _code(tmp_path / "cut.ofd").code == "E007"


def test_entity_bomb(tmp_path):
    path = tmp_path / "bomb.ofd"
    bomb = (f'<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><ofd:Page {NS}>'
            "<ofd:Content/></ofd:Page>")
    make_ofd(path, [bomb.encode()])
    err = _code(path)
    assert err.code == "E007" and err.data["reason"] == "dtd"


def test_zip_limits(tmp_path, monkeypatch):
    many = tmp_path / "many.ofd"
    with zipfile.ZipFile(many, "w") as zf:
        for n in range(limits.MAX_MEMBERS + 1):
            zf.writestr(f"f{n}", b"")
    err = _code(many)
    assert err.code == "E005" and err.data["members"] == limits.MAX_MEMBERS + 1
    path = tmp_path / "big.ofd"
    make_ofd(path, [text_object(30, 30, "正文" * 200)])
    monkeypatch.setattr(limits, "MAX_PART_BYTES", 1000)
    err = _code(path)
    assert err.code == "E005" and "part" in err.data
    monkeypatch.setattr(limits, "MAX_PART_BYTES", 64 * 1024 * 1024)
    monkeypatch.setattr(limits, "MAX_TOTAL_UNCOMPRESSED", 1000)
    assert _code(path).code == "E005"


def test_encrypted_zip_member(tmp_path):
    path = tmp_path / "enc.ofd"
    make_ofd(path, [text_object(30, 30, "正文")])
    data = bytearray(path.read_bytes())
    # set the "encrypted" flag bit in every central-directory entry
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        data[pos + 8] |= 1
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))
    assert _code(path).code == "E006"
