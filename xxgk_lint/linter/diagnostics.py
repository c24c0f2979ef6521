"""Findings: what a rule reports, anchored to offsets in the source text."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar

from .i18n import english_of
from .i18n import message as i18n_message


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """0 info, 1 warning, 2 error: the one ordering of severities."""
        return _RANKS[self.value]

    def word(self, lang: str | None = None) -> str:
        """错误/警告/提示 or error/warning/note, from the message catalogue."""
        from .catalogue import ui

        return ui(f"severity.{self.value}", lang)


_RANKS = {"info": 0, "warning": 1, "error": 2}
# worst first: the order reports list and count severities in
SEVERITIES = ("error", "warning", "info")


def severity_rank(value: str) -> int:
    """The rank of a severity given as its value ('error', ...)."""
    return _RANKS[value]


def severity_word(value: str, lang: str | None = None) -> str:
    """The word for a severity given as its value; an unknown value as it is."""
    return Severity(value).word(lang) if value in _RANKS else value


@dataclass(frozen=True)
class Span:
    """Half-open range of character offsets into ``Document.text``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            object.__setattr__(self, "end", self.start)

    @staticmethod
    def cover(spans: "list[Span]") -> "Span":
        return Span(min(s.start for s in spans), max(s.end for s in spans))


@dataclass
class Diagnostic:
    """One finding.  ``code``/``rule``/``severity`` are filled by the runner
    from the rule's metadata when the rule leaves them empty.

    ``message`` is Simplified Chinese; ``message_en`` the same finding in
    English, built from the same values (a message given as
    ``i18n.Bilingual`` brings its English along).  Reporters pick one with
    :meth:`text` (see ``linter/i18n.py``)."""

    message: str
    span: Span | None = None
    code: str = ""
    rule: str = ""
    severity: Severity | None = None
    data: dict[str, Any] = field(default_factory=dict)
    related: list[tuple[str, Span]] = field(default_factory=list)
    message_en: str = ""

    def __post_init__(self) -> None:
        if not self.message_en:
            self.message_en = english_of(self.message)
        if type(self.message) is not str and isinstance(self.message, str):
            self.message = str(self.message)  # a plain string in every output

    # set by :meth:`of`: the catalogue entry the messages were rendered from
    # (plain attributes, not dataclass fields: the JSON contract is unchanged)
    msg_id: ClassVar[str] = ""
    fields: ClassVar[dict[str, Any]] = {}  # replaced per instance by of()

    @classmethod
    def of(cls, code: str, msg_id: str, span: Span | None = None, *, severity: Severity | None = None,
           data: dict[str, Any] | None = None, related: list[tuple[str, Span]] | None = None,
           **fields: Any) -> "Diagnostic":
        """A finding whose message is the catalogue entry ``code``.``msg_id``
        (``xxgk_lint/messages/rules/*.yaml``) filled with ``fields``: both
        languages from one source.  ``severity``, ``data`` and ``related`` are
        the finding's own, never message fields."""
        from .catalogue import render

        diag = cls(render(code, msg_id, fields, "zh"), span, code=code, severity=severity, data=data or {},
                   related=related or [], message_en=render(code, msg_id, fields, "en"))
        diag.msg_id = msg_id
        diag.fields = fields
        return diag

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the chosen language)."""
        return i18n_message(self, lang)


@dataclass
class FileResult:
    """Everything the runner learnt about one input path."""

    path: str
    diagnostics: list[Diagnostic]
    document: Any = None  # linter.document.Document when the file could be read
    report: Any = None  # linter.model.Report when it could be parsed

    @property
    def worst(self) -> Severity | None:
        ranks = [d.severity for d in self.diagnostics if d.severity is not None]
        return max(ranks, key=lambda s: s.rank) if ranks else None
