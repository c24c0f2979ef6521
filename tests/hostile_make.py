"""Builds the hostile fixtures in tests/fixtures/hostile/ from the clean
documents in tests/fixtures/documents/ (issue 13): damaged files that once made
the readers fail with an internal error, and tiny files that once expanded to
gigabytes.  Deterministic; run ``python tests/hostile_make.py`` to rebuild.
Files too large to keep (a member that inflates to 100 MB) are made on the
fly by the tests with the functions below."""

from __future__ import annotations

import io
import pathlib
import struct
import sys
import zipfile

HERE = pathlib.Path(__file__).parent
DOCUMENTS = HERE / "fixtures" / "documents"
HOSTILE = HERE / "fixtures" / "hostile"


def members(path: pathlib.Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def rezip(items, replace: dict[str, bytes] | None = None) -> bytes:
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info, data in items:
            new = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            new.compress_type = zipfile.ZIP_DEFLATED if info.filename in replace else info.compress_type
            zf.writestr(new, replace.get(info.filename, data))
    return out.getvalue()


def edit(name: str, part: str, old: bytes, new: bytes, count: int = 1) -> bytes:
    items = members(DOCUMENTS / name)
    data = dict((i.filename, d) for i, d in items)[part]
    assert old in data, (name, part, old)
    return rezip(items, {part: data.replace(old, new, count)})


def patch_central(data: bytes, field: str, value: int, member: str | None = None) -> bytes:
    """Set one field of the central directory entries (and of the local
    headers) of ``member`` (all members when None) to ``value``: what a zip
    writer that lies would have written."""
    buf = bytearray(data)
    pos = 0
    while True:
        pos = buf.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len, = struct.unpack_from("<H", buf, pos + 28)
        name = bytes(buf[pos + 46:pos + 46 + name_len]).decode("utf-8", "replace")
        if member is None or name == member:
            local, = struct.unpack_from("<I", buf, pos + 42)
            if field == "version":
                struct.pack_into("<H", buf, pos + 6, value)
                struct.pack_into("<H", buf, local + 4, value)
            elif field == "method":
                struct.pack_into("<H", buf, pos + 10, value)
                struct.pack_into("<H", buf, local + 8, value)
            elif field == "size":
                struct.pack_into("<I", buf, pos + 24, value)
                struct.pack_into("<I", buf, local + 22, value)
        pos += 46
    return bytes(buf)


def lying_docx(real_bytes: int = 100 * 1024 * 1024, part: str = "docProps/thumbnail.jpeg") -> bytes:
    """A .docx whose ``part`` says a few KB in the zip headers but inflates to
    ``real_bytes`` (the CRC only fails at the very end).  python-docx reads every
    part, so before issue 13 the whole member was inflated in memory."""
    items = members(DOCUMENTS / "report.docx")
    small = dict((i.filename, d) for i, d in items)[part]
    big = small + b"\0" * (real_bytes - len(small))
    data = rezip([(i, d) for i, d in items], {part: big})
    # deflate the big member even if the original part was stored
    return patch_central(data, "size", len(small), part)


def fixtures() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    docx = DOCUMENTS / "report.docx"
    raw = docx.read_bytes()
    out["docx-version-99.docx"] = patch_central(raw, "version", 99)
    out["docx-method-lzma-bogus.docx"] = patch_central(raw, "method", 14, "word/document.xml")
    out["docx-method-unknown.docx"] = patch_central(raw, "method", 77, "word/styles.xml")
    out["docx-content-types-empty.docx"] = rezip(members(docx), {"[Content_Types].xml":
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'})
    out["docx-rels-no-target.docx"] = edit("report.docx", "_rels/.rels", b'Target="word/document.xml"', b"")
    out["docx-doc-rels-no-target.docx"] = edit("report.docx", "word/_rels/document.xml.rels",
                                               b'Target="styles.xml"', b"")
    out["docx-body-not-word.docx"] = rezip(members(docx), {"word/document.xml": b'<?xml version="1.0"?><a/>'})
    out["docx-content-types-other-root.docx"] = rezip(members(docx), {"[Content_Types].xml": b"<x/>"})
    out["docx-rels-external-body.docx"] = edit("report.docx", "_rels/.rels", b'Target="word/document.xml"',
                                               b'Target="word/document.xml" TargetMode="External"')
    out["docx-rels-not-rels.docx"] = edit("report.docx", "_rels/.rels", b"<Relationships", b"<Other", 1)
    # negative list start in a Chinese-counting list: 一、 with start -15
    numbering = _negative_numbering()
    if numbering is not None:
        out["docx-numbering-negative-start.docx"] = numbering
    for label, value in (("abc", "abc"), ("1.5", "1.5"), ("nan", "NaN"), ("inf", "inf"), ("1e400", "1e400")):
        out[f"odt-space-count-{label}.odt"] = edit("report.odt", "content.xml", b"<text:p ",
                                                  f'<text:p ><text:s text:c="{value}"/></text:p><text:p '.encode())
        out[f"odt-span-{label}.odt"] = edit("report.odt", "content.xml", b'table:number-columns-spanned="4"',
                                           f'table:number-columns-spanned="{value}"'.encode())
        out[f"odt-outline-{label}.odt"] = edit("report.odt", "content.xml", b'<text:h ',
                                              f'<text:h text:outline-level="{value}" '.encode()) \
            if b"<text:h " in _part("report.odt", "content.xml") else None
        out[f"ofd-x-{label}.ofd"] = edit("report.ofd", "Doc_0/Pages/Page_0/Content.xml", b'X="',
                                         f'X="{value}" Xold="'.encode())
        out[f"ofd-size-{label}.ofd"] = edit("report.ofd", "Doc_0/Pages/Page_0/Content.xml", b'Size="',
                                            f'Size="{value}" Sizeold="'.encode())
        out[f"ofd-boundary-{label}.ofd"] = edit("report.ofd", "Doc_0/Pages/Page_0/Content.xml", b'Boundary="',
                                                f'Boundary="{value} {value} 10 10" Bold="'.encode())
    out["odt-space-count-1e9.odt"] = edit("report.odt", "content.xml", b"<text:p ",
                                          b'<text:p ><text:s text:c="1000000000"/></text:p><text:p ')
    out["ofd-deltax-g-repeats.ofd"] = edit("report.ofd", "Doc_0/Pages/Page_0/Content.xml", b'DeltaX="',
                                           b'DeltaX="' + b"g 10000 1 " * 12000 + b'" DeltaOld="')
    return {k: v for k, v in out.items() if v is not None}


def _part(name: str, part: str) -> bytes:
    return dict((i.filename, d) for i, d in members(DOCUMENTS / name))[part]


def _negative_numbering() -> bytes | None:
    items = members(DOCUMENTS / "report.docx")
    parts = dict((i.filename, d) for i, d in items)
    if "word/numbering.xml" not in parts:
        return None
    data = parts["word/numbering.xml"]
    import re

    data = re.sub(rb'<w:start w:val="\d+"/>', b'<w:start w:val="-15"/>', data)
    data = re.sub(rb'<w:numFmt w:val="[A-Za-z]+"/>', b'<w:numFmt w:val="chineseCounting"/>', data)
    data = re.sub(rb'<w:lvlText w:val="[^"]*"/>', '<w:lvlText w:val="%1、"/>'.encode(), data)
    doc = parts["word/document.xml"].replace(
        b"<w:p><w:pPr>", b'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>', 3)
    return rezip(items, {"word/numbering.xml": data, "word/document.xml": doc})


if __name__ == "__main__":
    HOSTILE.mkdir(exist_ok=True)
    for name, data in fixtures().items():
        (HOSTILE / name).write_bytes(data)
        print(f"{len(data):>8}  {name}", file=sys.stderr)
