"""Readers: one per file format, each turning a file into a Document.

Binary-format readers are imported lazily so that checking a .txt report does
not pay for the Word, PDF or HTML stacks.
"""

from __future__ import annotations

import errno
import importlib
import os
import re
import traceback

from ..model.document import Document
from ..i18n import bilingual

# extension -> module (relative to this package) exposing read(path) -> Document
READERS: dict[str, str] = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".docx": "docx",
    ".docm": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".ofd": "ofd",
    ".doc": "office",
    ".wps": "office",
    ".odt": "odt",
    ".rtf": "office",
}

MAX_FILE_BYTES = 50 * 1024 * 1024
# Checking costs about 2-4 s and 200-450 MB per million characters of text (more
# for text cut into many table cells); a real report has 20,000-100,000.  One
# million keeps any file under a minute and 1 GiB (issue 13), whatever a file unpacks to.
MAX_TEXT_CHARS = 1_000_000


class ReadError(Exception):
    """A file that cannot be read.  ``code`` is an E-family rule code;
    ``message_en`` is the message in English (``--lang en``).  ``message``
    carries the English along (``i18n.Bilingual``), so code that only passes
    ``message`` on into a Diagnostic keeps both languages."""

    def __init__(self, code: str, message: str, data: dict | None = None, message_en: str = ""):
        super().__init__(message)
        self.code = code
        self.message = bilingual(message, message_en)
        self.message_en = message_en
        self.data = data or {}


def supported_extensions() -> list[str]:
    return sorted(READERS)


def read(path: str) -> Document:
    ext = os.path.splitext(path)[1].lower()
    module_name = READERS.get(ext)
    if module_name is None:
        raise ReadError(
            "E003",
            f"不支持的文件类型“{ext or '（无扩展名）'}”；支持：{'、'.join(supported_extensions())}",
            {"extension": ext},
            f"Unsupported file type “{ext or '(no extension)'}”; supported: {', '.join(supported_extensions())}",
        )
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ReadError("E001", f"无法读取文件：{exc.strerror or exc}",
                        message_en=f"Cannot read the file: {exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise ReadError(
            "E005",
            f"文件过大（{size // (1024 * 1024)} MB），超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 的上限",
            {"bytes": size, "limit": MAX_FILE_BYTES},
            f"The file is too large ({size // (1024 * 1024)} MB); the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB",
        )
    module = importlib.import_module(f".{module_name}", __name__)
    try:
        document = module.read(path)
    except ReadError:
        raise
    except OSError as exc:
        if exc.errno in _ACCESS_ERRORS and not raised_in_library(exc):  # e.g. no read permission (mode 000)
            raise ReadError("E001", f"无法读取文件：{exc.strerror or exc}", {"reason": "os-error"},
                            f"Cannot read the file: {exc.strerror or exc}") from exc
        raise damaged(ext, exc) from exc  # a seek to an offset the file's own tables give, and the like
    except MemoryError as exc:
        raise ReadError("E005", "文件内容展开后超过了可用内存，疑似恶意构造或严重损坏的文件，已停止读取",
                        {"reason": "memory"},
                        "The file's content grows beyond the available memory when unpacked; it may be "
                        "maliciously crafted or badly damaged, and reading was stopped") from exc
    except RecursionError as exc:
        raise ReadError("E007", "文件结构嵌套过深，已损坏或是恶意构造的文件", {"reason": "nesting"},
                        "The file's structure is nested too deeply; it is damaged or maliciously crafted") from exc
    except Exception as exc:
        if raised_in_library(exc):
            raise damaged(ext, exc) from exc
        # a bug of ours: an internal error (E009), reported like any unreadable
        # file -- `xxgk-lint parse` prints it too instead of a traceback
        raise ReadError("E009", f"读取文件时发生内部错误：{type(exc).__name__}: {exc}", {"reason": "internal"},
                        f"Internal error while reading the file: {type(exc).__name__}: {exc}") from exc
    check_text_size(len(document.text))
    return document


def check_text_size(characters: int) -> None:
    """E005 for a text beyond MAX_TEXT_CHARS (readers of plain text call it
    before cutting the text into blocks)."""
    if characters > MAX_TEXT_CHARS:
        raise ReadError(
            "E005", f"文件中的文字过多（{characters} 个字符），超过 {MAX_TEXT_CHARS} 个字符的上限"
            "（年度报告通常不到 10 万字），不是正常的年度报告或是恶意构造的文件",
            {"characters": characters, "limit": MAX_TEXT_CHARS},
            f"The file holds too much text ({characters} characters), more than the limit of "
            f"{MAX_TEXT_CHARS} (an annual report usually has fewer than 100,000); it is no ordinary report or it "
            f"was maliciously crafted")


# Libraries that parse the file's bytes: an exception that escapes from inside
# them (a TypeError for a relationship without a target, NotImplementedError for
# an odd zip) means the file is not what the format says, not that we have a bug.
_LIBRARIES = re.compile(r"[/\\](?:docx|lxml|pdfminer|pdfplumber|pypdfium2|PIL|zipfile)(?:[/\\.])")


def raised_in_library(exc: BaseException) -> bool:
    """Whether ``exc`` was raised inside a document library called by a reader
    (some frame after the reader's last own frame is a library's)."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = max((i for i, f in enumerate(frames) if f"{os.sep}xxgk_lint{os.sep}" in f.filename), default=-1)
    return any(_LIBRARIES.search(f.filename) for f in frames[own + 1:])


_ACCESS_ERRORS = {errno.EACCES, errno.EPERM, errno.ENOENT, errno.EIO, errno.EISDIR, errno.ENXIO, errno.EBUSY,
                  errno.ENAMETOOLONG, errno.ELOOP}
_KINDS = {".docx": "Word", ".docm": "Word", ".odt": "OpenDocument", ".ofd": "OFD", ".pdf": "PDF"}


def damaged(ext: str, exc: BaseException) -> ReadError:
    kind = _KINDS.get(ext, ext.lstrip(".").upper() or "该")
    detail = f"{type(exc).__name__}: {exc}"[:200]
    return ReadError("E007", f"{kind} 文件已损坏或结构不合规范，无法读取（{detail}）；请用原软件打开后重新另存，再检查",
                     {"reason": "damaged", "detail": detail},
                     f"The {kind} file is damaged or does not follow its format, so it cannot be read ({detail}); "
                     f"open it in the original program, save it again and check it again")
