"""Word 97-2003 (.doc), WPS (.wps) and RTF: converted to .docx with LibreOffice when ``soffice`` is installed, then read as .docx.

The conversion runs in a private temporary directory (its own LibreOffice
profile too, so a running LibreOffice is not disturbed), with a time limit;
the directory is always removed.  Without LibreOffice the user is told how to
convert the file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from ..document import Document

TIMEOUT_SECONDS = 120
_NAMES = {".doc": "Word 97-2003", ".wps": "WPS", ".rtf": "RTF"}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: Word 97-2003, WPS
_ZIP = b"PK\x03\x04"  # a .docx saved under the old extension


def _looks_like_text(head: bytes) -> bool:
    """RTF, HTML and plain text saved as .doc open in LibreOffice as documents."""
    from . import ReadError
    from .text import decode

    if b"\x00" in head:
        return False
    try:
        decode(head[:-4] if len(head) > 4 else head)  # a cut through the last character is no error
    except ReadError:
        return False
    return True


def read(path: str) -> Document:
    from . import ReadError
    from . import docx as docx_reader

    ext = os.path.splitext(path)[1].lower()
    kind = _NAMES.get(ext, ext)
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise ReadError("E001", f"无法读取文件：{exc.strerror or exc}",
                        message_en=f"Cannot read the file: {exc.strerror or exc}") from exc
    if head.startswith(_ZIP):
        document = docx_reader.read(path)
        document.metadata["saved_as"] = ext
        return document
    if not head.startswith(_OLE) and not _looks_like_text(head):
        # LibreOffice would import any bytes as text: a damaged file must not be checked as a report
        raise ReadError("E007", f"文件不是有效的 {kind} 文档（文件已损坏，或扩展名与内容不符），请用 Word 或 WPS "
                        "打开确认后“另存为” .docx 再检查", {"extension": ext},
                        f"The file is not a valid {kind} document (it is damaged, or its extension does not match "
                        f"its content); open it in Word or WPS, save it as .docx and check it again")
    program = soffice()
    if program is None:
        raise ReadError("E012", f"{kind} 格式（{ext}）需要先转换：请在 Word 或 WPS 中打开该文件，"
                        "“另存为” .docx 格式后再检查（或安装 LibreOffice，本工具会自动转换）",
                        {"extension": ext, "converter": None},
                        f"The {kind} format ({ext}) must be converted first: open the file in Word or WPS and use "
                        f"“Save As” .docx, then check it again (or install LibreOffice, and the tool converts it "
                        f"itself)")
    with tempfile.TemporaryDirectory(prefix="xxgk-lint-") as tmp:
        source = os.path.join(tmp, "input" + ext)
        shutil.copyfile(path, source)
        outdir = os.path.join(tmp, "out")
        profile = "file://" + os.path.join(tmp, "profile").replace(os.sep, "/")
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
                   "--convert-to", "docx", "--outdir", outdir, source]
        try:
            subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=TIMEOUT_SECONDS, check=False, cwd=tmp)
        except subprocess.TimeoutExpired as exc:
            raise ReadError("E012", f"{kind} 文件转换超时（超过 {TIMEOUT_SECONDS} 秒），请在 Word 或 WPS 中"
                            "“另存为” .docx 后再检查", {"extension": ext, "converter": program},
                            f"Converting the {kind} file timed out (more than {TIMEOUT_SECONDS} seconds); use "
                            f"“Save As” .docx in Word or WPS and check it again") from exc
        except OSError as exc:
            raise ReadError("E012", f"无法运行 LibreOffice 转换 {kind} 文件（{exc}），请“另存为” .docx 后再检查",
                            {"extension": ext, "converter": program},
                            f"Cannot run LibreOffice to convert the {kind} file ({exc}); use “Save As” .docx and "
                            f"check it again") from exc
        converted = os.path.join(outdir, "input.docx")
        if not os.path.isfile(converted):
            raise ReadError("E012", f"LibreOffice 无法转换该 {kind} 文件（文件可能已损坏、加密，或是过旧的格式），"
                            "请在 Word 或 WPS 中“另存为” .docx 后再检查", {"extension": ext, "converter": program},
                            f"LibreOffice cannot convert this {kind} file (it may be damaged, encrypted or in a very "
                            f"old format); use “Save As” .docx in Word or WPS and check it again")
        document = docx_reader.read(converted)
    document.path = path
    document.metadata["converted_from"] = ext
    return document
