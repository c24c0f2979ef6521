"""Safety limits shared by the readers of container formats (docx, ofd, pdf).

A .docx or .ofd is a zip of XML parts.  Before anything is extracted the zip
directory is checked, so a zip bomb is refused without inflating it, and every
XML part is parsed with a parser that never loads DTDs, never resolves
entities and never touches the network.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

from . import ReadError

MAX_MEMBERS = 5000
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members larger than 1 MB
_RATIO_FLOOR = 1024 * 1024


def open_zip(path: str, kind: str) -> zipfile.ZipFile:
    """Open a zip container after checking its directory against the limits."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, struct.error) as exc:
        raise ReadError.of("E007", "bad_zip", {"reason": "bad-zip"}, kind=kind, exc=exc) from exc
    except OSError as exc:
        raise ReadError.of("E001", "cannot_read", reason=exc.strerror or exc) from exc
    try:
        check_zip(zf, kind)
        check_members(path, zf, kind)
    except Exception:
        zf.close()
        raise
    return zf


def check_zip(zf: zipfile.ZipFile, kind: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ReadError.of("E005", "zip_members", {"members": len(infos), "limit": MAX_MEMBERS}, kind=kind,
                           members=len(infos), limit=MAX_MEMBERS)
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or \
                info.extract_version > zipfile.MAX_EXTRACT_VERSION:
            # Word, WPS, LibreOffice and OFD writers only store or deflate; other
            # methods (and "needs zip version 9.9") come from damaged or crafted files
            raise ReadError.of("E007", "zip_method", {"part": info.filename, "reason": "zip-method",
                                                      "method": info.compress_type, "version": info.extract_version},
                               kind=kind, part=info.filename, method=info.compress_type,
                               version=info.extract_version / 10)
        if info.flag_bits & 0x1:
            raise ReadError.of("E006", "zip_encrypted", {"part": info.filename}, kind=kind)
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            raise ReadError.of("E005", "zip_part_size", {"part": info.filename, "bytes": info.file_size,
                                                         "limit": MAX_PART_BYTES},
                               kind=kind, part=info.filename, mb=info.file_size // 1048576,
                               limit_mb=MAX_PART_BYTES // 1048576)
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReadError.of("E005", "zip_ratio", {"part": info.filename, "bytes": info.file_size,
                                                     "compressed": info.compress_size, "ratio_limit": MAX_RATIO},
                               kind=kind, part=info.filename, size=info.file_size, compressed=info.compress_size)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise ReadError.of("E005", "zip_total", {"bytes": total, "limit": MAX_TOTAL_UNCOMPRESSED}, kind=kind,
                           mb=total // 1048576, limit_mb=MAX_TOTAL_UNCOMPRESSED // 1048576)


_CHUNK = 64 * 1024


def check_members(path: str, zf: zipfile.ZipFile, kind: str) -> None:
    """Inflate every deflated member once, in bounded pieces, counting the bytes
    that really come out: a member whose zip header claims fewer bytes than it
    holds (so that the size checks above see a small file) is refused as soon
    as it passes its claimed size, before anything else reads it."""
    with open(path, "rb") as handle:
        for info in zf.infolist():
            if info.compress_type != zipfile.ZIP_DEFLATED or info.is_dir():
                continue
            if info.header_offset < 0:
                raise _damaged_member(kind, info.filename, "bad local header offset")
            handle.seek(info.header_offset)
            header = handle.read(30)
            if len(header) < 30 or header[:4] != b"PK\x03\x04":
                raise _damaged_member(kind, info.filename, "bad local header")
            name_len, extra_len = struct.unpack("<HH", header[26:30])
            handle.seek(info.header_offset + 30 + name_len + extra_len)
            inflater = zlib.decompressobj(-15)
            left, out = info.compress_size, 0
            try:
                while left > 0 and not inflater.eof:
                    chunk = handle.read(min(_CHUNK, left))
                    if not chunk:
                        break
                    left -= len(chunk)
                    while chunk:
                        piece = inflater.decompress(chunk, _CHUNK)
                        out += len(piece)
                        if out > info.file_size:
                            raise ReadError.of("E007", "zip_size_mismatch",
                                               {"part": info.filename, "reason": "size-mismatch",
                                                "declared": info.file_size},
                                               kind=kind, part=info.filename, size=info.file_size)
                        chunk = inflater.unconsumed_tail
                        if inflater.eof:
                            break
            except zlib.error as exc:
                raise _damaged_member(kind, info.filename, str(exc)) from exc


def _damaged_member(kind: str, name: str, reason: str):
    return ReadError.of("E007", "zip_member_damaged", {"part": name}, kind=kind, part=name, reason=reason)


def read_member(zf: zipfile.ZipFile, name: str, kind: str, limit: int = MAX_PART_BYTES) -> bytes:
    """Read one member, never more than ``limit`` bytes, whatever its header says."""
    try:
        with zf.open(name) as handle:
            data = handle.read(limit + 1)
    except KeyError as exc:
        raise ReadError.of("E007", "part_missing", {"part": name}, kind=kind, part=name) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise ReadError.of("E007", "part_damaged", {"part": name}, kind=kind, part=name, exc=exc) from exc
    if len(data) > limit:
        raise ReadError.of("E005", "part_too_large", {"part": name, "limit": limit}, kind=kind, part=name,
                           limit_mb=limit // 1048576)
    return data


def xml_parser():
    """An lxml parser that is safe for untrusted input."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, part: str, kind: str):
    """Parse one XML part; DTDs (entity declarations) are refused outright:
    no genuine docx/ofd part has one, and they are how entity bombs start."""
    from lxml import etree

    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data:
        raise ReadError.of("E007", "dtd", {"part": part, "reason": "dtd"}, kind=kind, part=part)
    try:
        return etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        raise ReadError.of("E007", "bad_xml", {"part": part}, kind=kind, part=part, exc=exc) from exc
