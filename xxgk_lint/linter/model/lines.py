"""Logical lines: what the normaliser makes of a document's blocks and the
classifier labels (``normalize.py``, ``classify.py`` build them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ntext import NText


@dataclass
class Line:
    """One logical line.  Table rows hold their cells joined by ``\\t``."""

    text: NText
    is_row: bool = False
    style: str | None = None  # "h1".."h6" from Markdown or a Word heading style
    kind: str = ""  # set by the classifier
    virtual: bool = False  # cut out of a longer source line
    notes: dict = field(default_factory=dict)

    @property
    def plain(self) -> str:
        return self.text.text

    @property
    def cells(self) -> list[str]:
        return self.text.text.split("\t")
