"""Finding a template table's row labels in a stream of text, and the tokens
(numbers, placeholders, blanks, units, text) between them.

``tables.py`` reads a table with these: a label is found however the layout
broke or padded it (line breaks, spaces and page-number debris inside it), and
a row's values are the value tokens that follow it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .templates import RowDef

_SEP = "[ \t\n]"
# Numbers may sit inside a label that a line break split (PDF extraction).
# a comma the template does not print (2.其他法律、行政法规禁止公开) may stand between two characters too
_GAP = rf"[、,;；]?({_SEP}+(?:[-+]?\d[\d.]*{_SEP}+)*)?"
# "1,200" is one number: thousands separated by commas (never cells run together)
_THOUSANDS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_NUMBER = re.compile(rf"^[-+]?(?:{_THOUSANDS}|\d+(?:\.\d+)?|\.\d+)%?$")
_PLACEHOLDERS = {"/", "-", "—", "——", "－", "―", "\\", "无", "*", "×"}
_UNITS = {"条", "件", "个", "次", "篇", "人", "人次", "万元", "元", "项", "家", "期"}


# -- label matching --------------------------------------------------------------------

def _char_pattern(ch: str) -> str:
    if ch == '"':
        return '"?'
    if ch in ",.:":
        return "[,.:、，;]?"
    if ch == "(":
        return r"[(\[]"
    if ch == ")":
        return r"[)\]]"
    return re.escape(ch)


def label_pattern(key: str) -> str:
    """Regex for a folded label key, tolerant of breaks and numeric debris inside."""
    marker = _LABEL_NUMBER.match(key)
    if marker and marker.end() < len(key):
        # only spaces stand between a label's list number and its words (2. 其他法律…):
        # numbers there would let the label start at a value before it ("…52\t56\n2. 其他"
        # or "人\t1\n1. 专职…" read as 2/1 followed by the values).  A value glued
        # before the number ("00000002.申请人…", flattened pages) stays allowed.
        rest = [_char_pattern(ch) for ch in key[marker.end():]]
        return rf"{marker.group(1)}[ \t]*[,.:、，;]?{_SEP}*" + _GAP.join(rest)
    return _GAP.join(_char_pattern(ch) for ch in key)


_LABEL_NUMBER = re.compile(r"^(\d{1,2})[,.:]?")


_PATTERN_CACHE: dict[str, re.Pattern] = {}


def _compiled(key: str) -> re.Pattern:
    pattern = _PATTERN_CACHE.get(key)
    if pattern is None:
        pattern = _PATTERN_CACHE[key] = re.compile(label_pattern(key))
    return pattern


_CORE = re.compile(r"^(.+?)\((?!一|二|三|四|五|六|七|八|九|十)[^()]*\)$")


def _core(key: str) -> str:
    """A label without its trailing explanation in brackets."""
    m = _CORE.match(key)
    return m.group(1) if m and len(m.group(1)) >= 3 else key


# keyed by the texts a row's keys come from (RowDef is mutable, so not by the row)
_ROW_KEYS: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}


def _row_keys(row: RowDef) -> tuple[str, ...]:
    cache_key = (row.label, tuple(row.variants))
    found = _ROW_KEYS.get(cache_key)
    if found is None:
        keys: list[str] = []
        for key in row.keys:
            for k in (key, _core(key)):
                if k and k not in keys:
                    keys.append(k)
        found = _ROW_KEYS[cache_key] = tuple(keys)
    return found


# What a label pattern may skip or find in two forms: the gaps' characters
# (whitespace, digits, signs, points), the optional marks, and [ ] for ( ).
_SQUEEZE = re.compile(r'[ \t\n\d.+\-",:、，;]')
_BRACKETS = str.maketrans("[]", "()")


def _squeeze(text: str) -> str:
    """``text`` without what ``label_pattern`` lets pass between or for a key's
    characters: whatever a key's pattern matches is the squeezed key in there."""
    return _SQUEEZE.sub("", text).translate(_BRACKETS)


_squeezed_stream = functools.lru_cache(maxsize=8)(_squeeze)  # the streams of the tables being read
_squeezed_key = functools.lru_cache(maxsize=1024)(_squeeze)  # the template's keys


def find_label(stream: str, row: RowDef, pos: int, end: int) -> re.Match | None:
    best: re.Match | None = None
    squeezed = _squeezed_stream(stream)
    for key in _row_keys(row):
        # a key absent from the squeezed stream cannot match: skip it without
        # compiling its pattern (≈ 1 ms each, at every start)
        if _squeezed_key(key) not in squeezed:
            continue
        m = _compiled(key).search(stream, pos, end)
        if m and (best is None or m.start() < best.start() or
                  (m.start() == best.start() and m.end() > best.end())):
            best = m
    return best


# -- tokens ---------------------------------------------------------------------------

@dataclass
class Token:
    kind: str  # num | placeholder | blank | unit | text
    text: str
    start: int
    end: int


def _classify(text: str) -> str:
    if _NUMBER.match(text):
        return "num"
    if text in _PLACEHOLDERS:
        return "placeholder"
    if text in _UNITS:
        return "unit"
    return "text"


_LIST_MARKER = re.compile(r"^\d{1,2}[.、](?![\d.])")  # "2.其他" or "1." alone (1. 属于…): no value ends in a point
_GLUED_PIECE = re.compile(rf"[-+]?(?:{_THOUSANDS}|\d+(?:\.\d+)?)%?|[^\d+-]+|[+-]")
_NON_SPACE = re.compile(r"\S+")
_DIGIT = re.compile(r"\d")
NON_DIGIT = re.compile(r"\D")


def _split_glued(text: str, start: int) -> list[Token]:
    """'12条' or '行政许可2629' -> pieces of digits and non-digits.  A list
    marker such as '2.' before a label ('2.其他法律…') is text, not a value."""
    if _LIST_MARKER.match(text):
        return [Token("text", text, start, start + len(text))]
    out: list[Token] = []
    for m in _GLUED_PIECE.finditer(text):
        piece = m.group()
        out.append(Token(_classify(piece), piece, start + m.start(), start + m.end()))
    return out


def tokenize(stream: str, start: int, end: int) -> list[Token]:
    """Tokens of ``stream[start:end]``.  When ``start`` is inside a line (just
    after a row label), that line is the row itself: all its cells count, blank
    ones included, except the rest of the label's own cell."""
    tokens: list[Token] = []
    pos = start
    on_label_line = start > 0 and stream[start - 1] != "\n"
    lines = stream[start:end].split("\n")
    if on_label_line and lines[0].strip() == "|" and len(lines) > 1:
        return _one_cell_per_line(lines, start)
    if on_label_line and not lines[0].strip() and next((ln.strip() for ln in lines[1:] if ln.strip()), "") == "|":
        return _bar_per_line(lines, start)
    for line_no, line in enumerate(lines):
        line_start = pos
        pos += len(line) + 1
        # a bar left from a pipe table is a cell boundary like a tab
        cells = line.replace("|", "\t").split("\t")
        cell_pos = line_start
        line_tokens: list[Token] = []
        for cell in cells:
            here = cell_pos
            cell_pos += len(cell) + 1
            if not cell.strip():
                if len(cells) > 1:
                    line_tokens.append(Token("blank", "", here, here))
                continue
            line_tokens.extend(tokenize_cell(cell, here))
        # empty cells count only on a line that has something in it (the next
        # row's empty label cells are not this row's blank values), and not
        # after the line's last value (the table's width, a trailing bar)
        if line_no == 0 and on_label_line and len(cells) > 1:
            if line_tokens and line_tokens[0].kind == "blank" and line_tokens[0].start == start:
                line_tokens = line_tokens[1:]
            tokens.extend(line_tokens)
            continue
        filled = [i for i, t in enumerate(line_tokens) if t.kind != "blank"]
        if filled:
            # a grid or tab row keeps its empty cells; bars in running text
            # ("0 |" one cell per line) leave a trailing empty piece that is none
            tokens.extend(line_tokens if "\t" in line else line_tokens[:filled[-1] + 1])
    return tokens


def _one_cell_per_line(lines: list[str], start: int) -> list[Token]:
    """A pipe table printed one cell per line (web pages: ``规章 |`` ``0 |``
    ``|`` ...): every line after the label's is one cell, a bare bar an empty
    cell -- except a bare bar that ends the stream, which opens the next row."""
    tokens: list[Token] = []
    pos = start + len(lines[0]) + 1
    bare_at_end = False
    for line in lines[1:]:
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        bare_at_end = line.strip() == "|"
        if bare_at_end:
            at = line_start + line.index("|")
            tokens.append(Token("blank", "", at, at))
            continue
        tokens.extend(tokenize_cell(line.replace("|", " "), line_start))
    if bare_at_end:
        tokens.pop()
    return tokens


def _bar_per_line(lines: list[str], start: int) -> list[Token]:
    """A pipe table printed with each bar on a line of its own (``规章`` ``|``
    ``0`` ``|`` ... ``||``): a bar ends a cell, two bars in a row leave an empty
    cell between them, ``||`` ends the row.  The first bar closes the label's cell."""
    tokens: list[Token] = []
    pending: list[Token] = []
    label_open = True
    pos = start
    for line in lines:
        line_start = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        if stripped == "|":
            if not label_open:
                at = line_start + line.index("|")
                tokens.extend(pending or [Token("blank", "", at, at)])
            label_open, pending = False, []
        elif set(stripped) == {"|"}:
            break  # the row's end
        elif not label_open:
            pending.extend(tokenize_cell(line, line_start))
    return tokens + pending


def tokenize_cell(text: str, start: int) -> list[Token]:
    """Tokens of one cell's text starting at ``start`` in the stream."""
    out: list[Token] = []
    for m in _NON_SPACE.finditer(text):
        piece = m.group()
        kind = _classify(piece)
        if kind == "text" and _DIGIT.search(piece):
            out.extend(_split_glued(piece, start + m.start()))
        else:
            out.append(Token(kind, piece, start + m.start(), start + m.end()))
    return out


def value_run(tokens: list[Token]) -> list[Token]:
    run: list[Token] = []
    for tok in tokens:
        if tok.kind == "unit":
            continue
        if tok.kind == "text":
            if run and any(t.kind != "blank" for t in run):
                break
            if run:
                run = []
            continue
        run.append(tok)
    return run

