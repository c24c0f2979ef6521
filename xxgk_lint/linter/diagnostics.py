"""Findings: what a rule reports, anchored to offsets in the source text."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .i18n import english_of
from .i18n import message as i18n_message


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


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
