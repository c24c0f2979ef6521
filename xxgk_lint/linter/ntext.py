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
_WS_RUN = re.compile("[" + re.escape(SPACES) + "\n]+")


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
        offsets = self.offsets
        n = len(offsets)
        if j is None:
            j = len(self.text)
        if not n:
            return Span(self.end, self.end)
        if i > n - 1:
            i = n - 1
        if i < 0:
            i = 0
        if j <= i:
            return Span(offsets[i], offsets[i])
        return Span(offsets[i], offsets[(j if j < n else n) - 1] + 1)

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
        text, offs = self.text, self.offsets
        if not _WS_RUN.search(text):  # nothing to collapse (most table cells)
            return self
        chars: list[str] = []
        offsets: list[int] = []
        pos = 0
        # a break in leading space counts for the first gap (as it always has)
        wrapped = False
        for m in _WS_RUN.finditer(text):
            s, e = m.span()
            if s == 0:  # leading space goes
                wrapped = "\n" in m.group()
                pos = e
                continue
            chars.append(text[pos:s])
            offsets.extend(offs[pos:s])
            pos = e
            if e == len(text):  # trailing space goes
                break
            if not ((wrapped or "\n" in m.group()) and _is_cjk(text[s - 1]) and _is_cjk(text[e])):
                chars.append(" ")
                offsets.append(offs[s])
            wrapped = False
        chars.append(text[pos:])
        offsets.extend(offs[pos:])
        return NText("".join(chars), offsets, self.end)

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


# fold_key's character map in one pass: only the few characters that change are
# visited (str.translate with a dict looks up every character)
_KEY_MAP = {chr(k): "" if v is None else chr(v) for k, v in FOLD_TABLE.items()}
_KEY_MAP.update({"、": ",", "，": ",", "：": ":"})
_KEY_CHARS = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_KEY_MAP)) + "]")


def _key_char(m: re.Match) -> str:
    return _KEY_MAP[m.group()]


def fold_key(text: str) -> str:
    """The comparison key of a label: widths folded, no whitespace, 、 as ,."""
    return _SPACE_RUN.sub("", _KEY_CHARS.sub(_key_char, text))
