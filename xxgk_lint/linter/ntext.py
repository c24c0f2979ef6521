"""Normalised text that remembers, character by character, where it came from.

Every normalisation step (folding full-width forms, dropping Markdown marks,
collapsing spaces) keeps a 1:1 map from each kept character to its offset in
the source text, so a finding on normalised text points at the user's file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .diagnostics import Span

# Full-width ASCII forms (！ to ～) fold to ASCII; the ideographic space to a space.
_WIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x200B: None})
# Quotes compared as one character; the dot-like list marker as a full stop.
_WIDTH_FOLD.update({ord("“"): ord('"'), ord("”"): ord('"'), ord("＂"): ord('"')})
_WIDTH_FOLD.update({ord("‘"): ord("'"), ord("’"): ord("'")})
_WIDTH_FOLD.update({ord("﹙"): ord("("), ord("﹚"): ord(")")})
FOLD_TABLE = _WIDTH_FOLD

_SPACE_RUN = re.compile(r"\s+")
SPACES = " \t\u3000\u00a0\u2002\u2003\r\f\v"


@dataclass
class NText:
    """``text`` with ``offsets[i]`` = source offset of ``text[i]``.

    ``end`` is the source offset just past the last source character covered.
    """

    text: str
    offsets: list[int]
    end: int

    @classmethod
    def from_source(cls, source: str, start: int, end: int) -> "NText":
        return cls(source[start:end], list(range(start, end)), end)

    def __len__(self) -> int:
        return len(self.text)

    def span(self, i: int = 0, j: int | None = None) -> Span:
        """Source span of ``text[i:j]``."""
        j = len(self.text) if j is None else j
        if not self.offsets:
            return Span(self.end, self.end)
        i = max(0, min(i, len(self.offsets) - 1))
        if j <= i:
            return Span(self.offsets[i], self.offsets[i])
        return Span(self.offsets[i], self.offsets[min(j, len(self.offsets)) - 1] + 1)

    def source_offset(self, i: int) -> int:
        if i < len(self.offsets):
            return self.offsets[i]
        return self.end

    def slice(self, i: int, j: int | None = None) -> "NText":
        j = len(self.text) if j is None else j
        end = self.offsets[j - 1] + 1 if j > i and j - 1 < len(self.offsets) else self.source_offset(i)
        return NText(self.text[i:j], self.offsets[i:j], end)

    def map_chars(self, table: dict[int, int | None]) -> "NText":
        """Translate characters 1:1 (``None`` drops the character)."""
        translated = self.text.translate(table)
        if len(translated) == len(self.text):  # nothing dropped: offsets unchanged
            return NText(translated, self.offsets, self.end)
        chars: list[str] = []
        offsets: list[int] = []
        for ch, off in zip(self.text, self.offsets):
            code = table.get(ord(ch), ord(ch))
            if code is None:
                continue
            chars.append(chr(code))
            offsets.append(off)
        return NText("".join(chars), offsets, self.end)

    def remove(self, ranges: list[tuple[int, int]]) -> "NText":
        """Drop the given [i, j) ranges (sorted, non-overlapping)."""
        if not ranges:
            return self
        keep_text: list[str] = []
        keep_off: list[int] = []
        pos = 0
        for i, j in ranges:
            keep_text.append(self.text[pos:i])
            keep_off.extend(self.offsets[pos:i])
            pos = j
        keep_text.append(self.text[pos:])
        keep_off.extend(self.offsets[pos:])
        return NText("".join(keep_text), keep_off, self.end)

    def collapse_spaces(self) -> "NText":
        """Runs of whitespace become one space; leading/trailing space goes.
        A line break between two Chinese characters (a paragraph wrapped by
        PDF extraction) disappears instead: 予\n以公开 is 予以公开."""
        chars: list[str] = []
        offsets: list[int] = []
        pending: int | None = None
        wrapped = False
        for ch, off in zip(self.text, self.offsets):
            if ch in SPACES or ch == "\n":
                if chars and pending is None:
                    pending = off
                wrapped = wrapped or ch == "\n"
                continue
            if pending is not None:
                if not (wrapped and _is_cjk(chars[-1]) and _is_cjk(ch)):
                    chars.append(" ")
                    offsets.append(pending)
                pending = None
                wrapped = False
            chars.append(ch)
            offsets.append(off)
        return NText("".join(chars), offsets, self.end)

    def without_spaces(self) -> "NText":
        return self.map_chars({ord(" "): None, ord("\t"): None})

    def __add__(self, other: "NText") -> "NText":
        return NText(self.text + other.text, self.offsets + other.offsets, other.end)


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def join(parts: list[NText], sep: str = "\t") -> NText:
    """Join parts with a separator that maps to the start of the next part."""
    if not parts:
        return NText("", [], 0)
    text: list[str] = []
    offsets: list[int] = []
    for n, part in enumerate(parts):
        if n:
            # the separator stands where the previous part ended (a tab, a bar,
            # or a line break in the source)
            text.append(sep)
            offsets.append(parts[n - 1].end)
        text.append(part.text)
        offsets.extend(part.offsets)
    return NText("".join(text), offsets, parts[-1].end)


def fold_key(text: str) -> str:
    """The comparison key of a label: widths folded, no whitespace, 、 as ,."""
    folded = text.translate(FOLD_TABLE)
    folded = folded.replace("、", ",").replace("，", ",").replace("：", ":")
    return _SPACE_RUN.sub("", folded)
