"""Readers: one per file format, each turning a file into a Document.

Binary-format readers are imported lazily so that checking a .txt report does
not pay for the Word, PDF or HTML stacks.
"""

from __future__ import annotations

import importlib
import os

from ..document import Document
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
    return module.read(path)
