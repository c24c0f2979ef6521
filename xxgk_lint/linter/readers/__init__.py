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

    # set by :meth:`of`: the catalogue entry the messages were rendered from
    msg_id = ""
    fields: dict = {}

    @classmethod
    def of(cls, code: str, msg_id: str, data: dict | None = None, **fields) -> "ReadError":
        """The error whose message is the catalogue entry ``code``.``msg_id``
        (``xxgk_lint/messages/readers.yaml``) filled with ``fields``, in both
        languages.  ``data`` is the finding's own, never a message field."""
        from ..catalogue import render

        error = cls(code, render(code, msg_id, fields, "zh"), data, render(code, msg_id, fields, "en"))
        error.msg_id = msg_id
        error.fields = fields
        return error


def supported_extensions() -> list[str]:
    return sorted(READERS)


def read(path: str) -> Document:
    ext = os.path.splitext(path)[1].lower()
    module_name = READERS.get(ext)
    if module_name is None:
        raise ReadError.of("E003", "unsupported" if ext else "no_extension", {"extension": ext}, ext=ext,
                           supported=supported_extensions())
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ReadError.of("E001", "cannot_read", reason=exc.strerror or exc) from exc
    if size > MAX_FILE_BYTES:
        raise ReadError.of("E005", "file_too_large", {"bytes": size, "limit": MAX_FILE_BYTES},
                           mb=size // (1024 * 1024), limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    module = importlib.import_module(f".{module_name}", __name__)
    try:
        document = module.read(path)
    except ReadError:
        raise
    except OSError as exc:
        if exc.errno in _ACCESS_ERRORS and not raised_in_library(exc):  # e.g. no read permission (mode 000)
            raise ReadError.of("E001", "cannot_read", {"reason": "os-error"}, reason=exc.strerror or exc) from exc
        raise damaged(ext, exc) from exc  # a seek to an offset the file's own tables give, and the like
    except MemoryError as exc:
        raise ReadError.of("E005", "memory", {"reason": "memory"}) from exc
    except RecursionError as exc:
        raise ReadError.of("E007", "nesting", {"reason": "nesting"}) from exc
    except Exception as exc:
        if raised_in_library(exc):
            raise damaged(ext, exc) from exc
        # a bug of ours: an internal error (E009), reported like any unreadable
        # file -- `xxgk-lint parse` prints it too instead of a traceback
        raise ReadError.of("E009", "reading", {"reason": "internal"}, name=type(exc).__name__, exc=exc) from exc
    check_text_size(len(document.text))
    return document


def check_text_size(characters: int) -> None:
    """E005 for a text beyond MAX_TEXT_CHARS (readers of plain text call it
    before cutting the text into blocks)."""
    if characters > MAX_TEXT_CHARS:
        raise ReadError.of("E005", "text_too_long", {"characters": characters, "limit": MAX_TEXT_CHARS},
                           characters=characters, limit=MAX_TEXT_CHARS)


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
    kind = _KINDS.get(ext, ext.lstrip(".").upper())
    detail = f"{type(exc).__name__}: {exc}"[:200]
    if not kind:
        return ReadError.of("E007", "damaged_no_extension", {"reason": "damaged", "detail": detail}, detail=detail)
    return ReadError.of("E007", "damaged", {"reason": "damaged", "detail": detail}, kind=kind, detail=detail)
