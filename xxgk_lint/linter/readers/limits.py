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

MAX_MEMBERS = 5000
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members larger than 1 MB
_RATIO_FLOOR = 1024 * 1024


def _error(code: str, message: str, data: dict | None = None, message_en: str = ""):
    from . import ReadError

    return ReadError(code, message, data, message_en)


def open_zip(path: str, kind: str) -> zipfile.ZipFile:
    """Open a zip container after checking its directory against the limits."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, struct.error) as exc:
        raise _error("E007", f"{kind} 文件已损坏或不完整（不是有效的压缩包：{exc}），请用原软件重新另存后再检查",
                     {"reason": "bad-zip"},
                     f"The {kind} file is damaged or incomplete (not a valid zip container: {exc}); save it again "
                     f"from the original program and check it again") from exc
    except OSError as exc:
        raise _error("E001", f"无法读取文件：{exc.strerror or exc}",
                     message_en=f"Cannot read the file: {exc.strerror or exc}") from exc
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
        raise _error("E005", f"{kind} 文件包含 {len(infos)} 个部件，超过 {MAX_MEMBERS} 个的上限，疑似恶意构造的文件",
                     {"members": len(infos), "limit": MAX_MEMBERS},
                     f"The {kind} file has {len(infos)} parts, more than the limit of {MAX_MEMBERS}; it may be "
                     f"maliciously crafted")
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or \
                info.extract_version > zipfile.MAX_EXTRACT_VERSION:
            # Word, WPS, LibreOffice and OFD writers only store or deflate; other
            # methods (and "needs zip version 9.9") come from damaged or crafted files
            raise _error("E007", f"{kind} 文件已损坏：部件“{info.filename}”使用了无法识别的压缩方式"
                         f"（方法 {info.compress_type}，版本 {info.extract_version / 10:.1f}），"
                         "请用原软件重新另存后再检查",
                         {"part": info.filename, "reason": "zip-method", "method": info.compress_type,
                          "version": info.extract_version},
                         f"The {kind} file is damaged: part “{info.filename}” uses an unknown compression method "
                         f"(method {info.compress_type}, version {info.extract_version / 10:.1f}); save it again from "
                         f"the original program and check it again")
        if info.flag_bits & 0x1:
            raise _error("E006", f"{kind} 文件已加密，请去除密码后再检查", {"part": info.filename},
                         f"The {kind} file is encrypted; remove the password and check it again")
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            raise _error("E005", f"{kind} 文件的部件“{info.filename}”解压后 {info.file_size // 1048576} MB，"
                         f"超过 {MAX_PART_BYTES // 1048576} MB 的上限，疑似压缩炸弹",
                         {"part": info.filename, "bytes": info.file_size, "limit": MAX_PART_BYTES},
                         f"Part “{info.filename}” of the {kind} file is {info.file_size // 1048576} MB uncompressed, "
                         f"more than the limit of {MAX_PART_BYTES // 1048576} MB; it may be a zip bomb")
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _error("E005", f"{kind} 文件的部件“{info.filename}”压缩比异常（{info.file_size}/{info.compress_size}），"
                         "疑似压缩炸弹", {"part": info.filename, "bytes": info.file_size,
                                         "compressed": info.compress_size, "ratio_limit": MAX_RATIO},
                         f"Part “{info.filename}” of the {kind} file has an abnormal compression ratio "
                         f"({info.file_size}/{info.compress_size}); it may be a zip bomb")
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise _error("E005", f"{kind} 文件解压后共 {total // 1048576} MB，超过 {MAX_TOTAL_UNCOMPRESSED // 1048576} MB "
                     "的上限，疑似压缩炸弹", {"bytes": total, "limit": MAX_TOTAL_UNCOMPRESSED},
                     f"The {kind} file is {total // 1048576} MB uncompressed, more than the limit of "
                     f"{MAX_TOTAL_UNCOMPRESSED // 1048576} MB; it may be a zip bomb")


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
                            raise _error("E007", f"{kind} 文件已损坏：部件“{info.filename}”解压后超过压缩包目录中记录的"
                                         f"大小（{info.file_size} 字节），疑似恶意构造的文件，已拒绝读取",
                                         {"part": info.filename, "reason": "size-mismatch",
                                          "declared": info.file_size},
                                         f"The {kind} file is damaged: part “{info.filename}” inflates to more than "
                                         f"the size its zip header records ({info.file_size} bytes); the file may "
                                         f"be maliciously crafted and was refused")
                        chunk = inflater.unconsumed_tail
                        if inflater.eof:
                            break
            except zlib.error as exc:
                raise _damaged_member(kind, info.filename, str(exc)) from exc


def _damaged_member(kind: str, name: str, reason: str):
    return _error("E007", f"{kind} 文件的部件“{name}”已损坏（{reason}），请用原软件重新另存后再检查", {"part": name},
                  f"Part “{name}” of the {kind} file is damaged ({reason}); save it again from the original program "
                  f"and check it again")


def read_member(zf: zipfile.ZipFile, name: str, kind: str, limit: int = MAX_PART_BYTES) -> bytes:
    """Read one member, never more than ``limit`` bytes, whatever its header says."""
    try:
        with zf.open(name) as handle:
            data = handle.read(limit + 1)
    except KeyError as exc:
        raise _error("E007", f"{kind} 文件缺少必需的部件“{name}”，文件已损坏或不是 {kind} 格式",
                     {"part": name},
                     f"The {kind} file lacks the required part “{name}”; it is damaged or not a {kind} file") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise _error("E007", f"{kind} 文件的部件“{name}”已损坏：{exc}", {"part": name},
                     f"Part “{name}” of the {kind} file is damaged: {exc}") from exc
    if len(data) > limit:
        raise _error("E005", f"{kind} 文件的部件“{name}”超过 {limit // 1048576} MB 的上限", {"part": name, "limit": limit},
                     f"Part “{name}” of the {kind} file is larger than the limit of {limit // 1048576} MB")
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
        raise _error("E007", f"{kind} 文件的部件“{part}”含有 DTD/实体声明，已拒绝读取（可能是恶意构造的文件）",
                     {"part": part, "reason": "dtd"},
                     f"Part “{part}” of the {kind} file contains a DTD or entity declaration and was refused "
                     f"(the file may be maliciously crafted)")
    try:
        return etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        raise _error("E007", f"{kind} 文件的部件“{part}”不是有效的 XML（{exc}），文件已损坏",
                     {"part": part}, f"Part “{part}” of the {kind} file is not valid XML ({exc}); the file is damaged"
                     ) from exc
