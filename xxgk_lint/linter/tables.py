"""Reading a template table out of whatever layout the report uses.

Every layout -- a Word/HTML grid, tab or pipe rows, PDF text with one cell per
line and vertical headers, a web page flattened to one line -- is read the
same way: the table's region becomes one stream of text, the template's row
labels are found in it in template order (tolerating line breaks, spaces and
page-number debris inside a label), and the values of a row are the numeric
tokens between its label and the next one.  Digits of adjacent cells that ran
together are split with the template's row identities; when more than one
split fits, the row is reported as unreadable instead of guessed.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .diagnostics import Span
from .identities import Identity, satisfies_fn
from .model.lines import Line
# the table model: read here, and imported from here by digitruns.py and oldtable.py
from .model.tables import CellValue, ReadProblem, RowData, TableData
from .ntext import NText, fold_key, join
from .templates import ColumnDef, RowDef, TableDef

_SEP = "[ \t\n]"
# Numbers may sit inside a label that a line break split (PDF extraction).
# a comma the template does not print (2.其他法律、行政法规禁止公开) may stand between two characters too
_GAP = rf"[、,;；]?({_SEP}+(?:[-+]?\d[\d.]*{_SEP}+)*)?"
# "1,200" is one number: thousands separated by commas (never cells run together)
_THOUSANDS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_NUMBER = re.compile(rf"^[-+]?(?:{_THOUSANDS}|\d+(?:\.\d+)?|\.\d+)%?$")
_PLACEHOLDERS = {"/", "-", "—", "——", "－", "―", "\\", "无", "*", "×"}
_UNITS = {"条", "件", "个", "次", "篇", "人", "人次", "万元", "元", "项", "家", "期"}
_MAX_SPLITS = 5000


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
class _Token:
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
_NON_DIGIT = re.compile(r"\D")


def _split_glued(text: str, start: int) -> list[_Token]:
    """'12条' or '行政许可2629' -> pieces of digits and non-digits.  A list
    marker such as '2.' before a label ('2.其他法律…') is text, not a value."""
    if _LIST_MARKER.match(text):
        return [_Token("text", text, start, start + len(text))]
    out: list[_Token] = []
    for m in _GLUED_PIECE.finditer(text):
        piece = m.group()
        out.append(_Token(_classify(piece), piece, start + m.start(), start + m.end()))
    return out


def tokenize(stream: str, start: int, end: int) -> list[_Token]:
    """Tokens of ``stream[start:end]``.  When ``start`` is inside a line (just
    after a row label), that line is the row itself: all its cells count, blank
    ones included, except the rest of the label's own cell."""
    tokens: list[_Token] = []
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
        line_tokens: list[_Token] = []
        for n, cell in enumerate(cells):
            here = cell_pos
            cell_pos += len(cell) + 1
            if not cell.strip():
                if len(cells) > 1:
                    line_tokens.append(_Token("blank", "", here, here))
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


def _one_cell_per_line(lines: list[str], start: int) -> list[_Token]:
    """A pipe table printed one cell per line (web pages: ``规章 |`` ``0 |``
    ``|`` ...): every line after the label's is one cell, a bare bar an empty
    cell -- except a bare bar that ends the stream, which opens the next row."""
    tokens: list[_Token] = []
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
            tokens.append(_Token("blank", "", at, at))
            continue
        tokens.extend(tokenize_cell(line.replace("|", " "), line_start))
    if bare_at_end:
        tokens.pop()
    return tokens


def _bar_per_line(lines: list[str], start: int) -> list[_Token]:
    """A pipe table printed with each bar on a line of its own (``规章`` ``|``
    ``0`` ``|`` ... ``||``): a bar ends a cell, two bars in a row leave an empty
    cell between them, ``||`` ends the row.  The first bar closes the label's cell."""
    tokens: list[_Token] = []
    pending: list[_Token] = []
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
                tokens.extend(pending or [_Token("blank", "", at, at)])
            label_open, pending = False, []
        elif set(stripped) == {"|"}:
            break  # the row's end
        elif not label_open:
            pending.extend(tokenize_cell(line, line_start))
    return tokens + pending


def tokenize_cell(text: str, start: int) -> list[_Token]:
    """Tokens of one cell's text starting at ``start`` in the stream."""
    out: list[_Token] = []
    for m in _NON_SPACE.finditer(text):
        piece = m.group()
        kind = _classify(piece)
        if kind == "text" and _DIGIT.search(piece):
            out.extend(_split_glued(piece, start + m.start()))
        else:
            out.append(_Token(kind, piece, start + m.start(), start + m.end()))
    return out


def value_run(tokens: list[_Token]) -> list[_Token]:
    run: list[_Token] = []
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


# -- splitting digit runs ---------------------------------------------------------------

def _valid_piece(piece: str) -> bool:
    if piece.isdigit():  # the common case: no sign, no decimal point
        return len(piece) == 1 or piece[0] != "0"
    body = piece[1:] if piece[:1] in "+-" else piece
    if not body or body[0] == "." or body[-1] == "." or body.count(".") > 1:
        return False
    if "+" in body or "-" in body:
        return False
    intpart = body.split(".")[0]
    return not (len(intpart) > 1 and intpart[0] == "0")


@functools.lru_cache(maxsize=4096)
def _cuts(text: str, parts: int) -> tuple[tuple[str, ...], ...]:
    """Ways to cut ``text`` into exactly ``parts`` well-formed numbers."""
    if parts == 1:
        return ((text,),) if _valid_piece(text) else ()
    out: list[tuple[str, ...]] = []
    for i in range(1, len(text) - parts + 2):
        piece = text[:i]
        if text[i:i + 1] == "." or not _valid_piece(piece):
            continue
        for rest in _cuts(text[i:], parts - 1):
            out.append((piece, *rest))
            if len(out) >= _MAX_SPLITS:
                return tuple(out)
    return tuple(out)


def split_candidates(texts: list[str], count: int) -> list[list[str]]:
    """All ways to cut the tokens into ``count`` numbers in total (each token
    gives at least one number; a cut never falls inside a decimal or a sign)."""
    out: list[list[str]] = []
    n_texts = len(texts)
    # a number with a thousands separator is one number, never a run of cells
    digits = [1 if "," in token else sum(ch.isdigit() for ch in token) for token in texts]
    # at most this many numbers can come out of the tokens after each one
    after = [sum(digits[i + 1:]) for i in range(n_texts)]

    def rec(index: int, left: int, acc: tuple[str, ...]) -> None:
        if len(out) >= _MAX_SPLITS:
            return
        if index == n_texts:
            if left == 0:
                out.append(list(acc))
            return
        tokens_after = n_texts - index - 1
        token = texts[index]
        # fewer parts would leave more numbers than the later tokens can give
        for parts in range(max(1, left - after[index]), min(digits[index], left - tokens_after) + 1):
            for pieces in _cuts(token, parts):
                rec(index + 1, left - parts, acc + pieces)

    rec(0, count, ())
    return out


@functools.lru_cache(maxsize=4096)  # digit-run splits ask for the same pieces again and again
def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.rstrip("%").replace(",", ""))
    except InvalidOperation:
        return None


def _row_identities(table: TableDef, columns: list[ColumnDef]) -> tuple[Identity, ...]:
    """The identities a reading of one row must satisfy (over its columns; parsed at template load)."""
    return table.identity_set.facts_over([c.id for c in columns])


def _satisfies_fn(columns: list[ColumnDef], identities: Sequence[Identity]):
    """``_satisfies`` for many value lists over the same columns (the engine resolves terms once)."""
    position: dict[str, int] = {}
    for n, c in enumerate(columns):
        position[c.id] = n  # as zip() into a dict: the last duplicate wins
    return satisfies_fn(identities, position)


def _satisfies(values: list[Decimal | None], columns: list[ColumnDef], identities: Sequence[Identity]) -> bool:
    return _satisfies_fn(columns, identities)(values)


# -- reading one table ------------------------------------------------------------------

def _stream(lines: list[Line]) -> NText:
    return join([ln.text for ln in lines], "\n")


def read_table(table: TableDef, version: str, lines: list[Line]) -> TableData | None:
    """Read ``table`` from ``lines``; None when none of its labels is there."""
    if not lines:
        return None
    nt = _stream(lines)
    stream = nt.text
    end = len(stream)
    matches: list[tuple[RowDef, re.Match | None]] = []
    pos = 0
    rows = table.rows
    for n, row in enumerate(rows):
        if not row.label:
            matches.append((row, None))
            continue
        m = find_label(stream, row, pos, end)
        if m is not None:
            # A label found only after the next row's label is not this row's.
            for nxt in rows[n + 1:n + 3]:
                if nxt.label:
                    m2 = find_label(stream, nxt, pos, end)
                    if m2 is not None and m2.start() < m.start():
                        m = None
                    break
        matches.append((row, m))
        if m is not None:
            pos = m.end()
    found = [(r, m) for r, m in matches if m is not None]
    unlabeled = [r for r, m in matches if m is None and not r.label]
    if not found:
        return None
    result = TableData(table, version, Span(0, 0), {}, [], [], len(found))
    result.stream = nt
    stream_key = fold_key(stream)
    result.matched_columns = sum(1 for b in table.blocks for c in b.columns
                                 if len(c.label) >= 4 and fold_key(c.label) in stream_key)
    starts = [m.start() for _, m in found]
    for idx, (row, m) in enumerate(found):
        if row.kind != "data":
            if _subtotal_capable(table, row):
                _read_subtotal(result, table, row, nt, m, found, idx, end)
            continue
        next_start = starts[idx + 1] if idx + 1 < len(found) else end
        # values printed inside a label that a line break split (seed 002)
        gap_tokens = [t for g in range(1, (m.re.groups or 0) + 1) if m.group(g) and any(c.isdigit() for c in m.group(g))
                      for t in tokenize(stream, m.start(g), m.end(g)) if t.kind == "num"]
        tokens = gap_tokens + tokenize(stream, m.end(), next_start)
        _assign(result, table, row, nt, m.start(), m.end(), value_run(tokens))
    for row in unlabeled:
        # an unlabeled data row (table 4): the first values after the headers
        tokens = tokenize(stream, found[0][1].end(), end)
        run = value_run([t for t in tokens if t.start >= found[0][1].end()])
        if not run:  # a grid row left empty (a blank template) is the row, all blank
            run = _empty_grid_row(stream, found[0][1].end(), end, len(table.columns_for(row)))
        if run:
            _assign(result, table, row, nt, run[0].start, run[0].start, run)
        else:
            result.missing_rows.append(row.id)
    for row, m in matches:
        if m is None and row.kind == "data" and row.label:
            result.missing_rows.append(row.id)
    _resolve_pending(result, table, nt)
    spans = [r.span for r in result.rows.values()] + [nt.span(m.start(), m.end()) for _, m in found]
    result.span = Span.cover(spans)
    return result


def _empty_grid_row(stream: str, start: int, end: int, need: int) -> list[_Token]:
    """Blank tokens for the first grid line in ``stream[start:end]`` whose
    cells are all empty and at least ``need`` in number."""
    pos = start
    for line in stream[start:end].split("\n"):
        if "\t" in line and not line.strip() and line.count("\t") + 1 >= need:
            cells = [pos] + [pos + i + 1 for i, ch in enumerate(line) if ch == "\t"]
            return [_Token("blank", "", at, at) for at in cells[:need]]
        pos += len(line) + 1
    return []


def _subtotal_capable(table: TableDef, row: RowDef) -> bool:
    """A header whose children are all data rows (（三）…（六） of table 3)."""
    children = [r for r in table.rows if r.parent == row.id]
    return bool(children) and all(r.kind == "data" for r in children)


_SUBTOTAL = re.compile(label_pattern("小计"))


def _read_subtotal(result: TableData, table: TableDef, row: RowDef, nt: NText, m: re.Match,
                   found: list, idx: int, end: int) -> None:
    """Values printed on a header row itself, or on a 小计 row inside its block.
    Accepted only when they fill the row exactly with numbers; never required."""
    stream = nt.text
    need = len(table.columns_for(row))
    # the block ends at the first found label that is not one of the header's children
    block_end = next((mm.start() for r, mm in found[idx + 1:] if r.parent != row.id), end)
    next_start = found[idx + 1][1].start() if idx + 1 < len(found) else end
    regions = [(m.start(), m.end(), next_start)]
    sub = _SUBTOTAL.search(stream, m.end(), block_end)
    if sub is not None:
        after = next((mm.start() for _, mm in found[idx + 1:] if mm.start() >= sub.end()), end)
        regions.append((sub.start(), sub.end(), min(after, block_end)))
    for lstart, lend, rend in regions:
        run = value_run(tokenize(stream, lend, rend))
        lo, hi = 0, len(run)  # blanks trimmed by index, not by slicing once per cell
        while lo < hi and run[lo].kind == "blank":
            lo += 1
        while hi > lo and run[hi - 1].kind == "blank":
            hi -= 1
        run = run[lo:hi]
        if len(run) == need and all(t.kind == "num" for t in run):
            columns = table.columns_for(row)
            result.rows[row.id] = RowData(row, nt.span(lstart, lend), dict(zip((c.id for c in columns),
                                          (_cell(nt, t) for t in run))), columns, subtotal=True)
            return


def _resolve_pending(result: TableData, table: TableDef, nt: NText, final: bool = True) -> None:
    """Rows that split several ways are settled, when they can be, by the
    table's column identities (一+二 = （七）+四, （七） = the result rows):
    accepted only if exactly one combination of readings satisfies them."""
    pending = {rid: p for rid, p in result.pending.items() if p[1]}
    if not pending or len(pending) > 6:
        return
    # only the identities a pending row takes part in can tell its readings apart
    identities = [i for i in table.identity_set.row_facts if set(i.names) & set(pending)]
    if not identities:
        return
    combos = list(itertools.islice(itertools.product(*(c for _, c in pending.values())), 5000))
    columns = {rid: table.columns_for(table.row(rid)) for rid in pending}
    position = {rid: {c.id: n for n, c in enumerate(columns[rid])} for rid in pending}
    instances = [inst for ident in identities for inst in ident.instances()]
    good = []
    for combo in combos:
        values = {rid: [_decimal(p) for p in pieces] for rid, pieces in zip(pending, combo)}

        def get(cell: tuple[str, str]):
            rid, cid = cell
            if rid in values:
                n = position[rid].get(cid)
                return values[rid][n] if n is not None and n < len(values[rid]) else None
            row = result.rows.get(rid)
            return row.values[cid].value if row and cid in row.values else None

        if all(inst.holds(get) for inst in instances):
            good.append(combo)
    if final and not good and len(pending) == 1 and len(combos) < 5000:
        # every reading of the one run breaks a column identity: an arithmetic defect (A108)
        from .digitruns import inconsistent_columns
        rid = next(iter(pending))
        inconsistent_columns(result, table, rid, identities, columns[rid])
        return
    if len(good) != 1:
        return
    for (rid, (run, _)), pieces in zip(pending.items(), good[0]):
        row = table.row(rid)
        cells = _split_cells(nt, run, pieces)
        label_span = next(p.span for p in result.problems if p.row_id == rid)
        result.rows[rid] = RowData(row, label_span, dict(zip((c.id for c in columns[rid]), cells)), columns[rid])
        result.problems = [p for p in result.problems if p.row_id != rid]
        del result.pending[rid]


def _cell(nt: NText, tok: _Token, inferred: bool = False, text: str | None = None,
          start: int | None = None, end: int | None = None) -> CellValue:
    raw = tok.text if text is None else text
    s = tok.start if start is None else start
    e = tok.end if end is None else end
    if tok.kind == "blank":
        return CellValue("", "blank", None, nt.span(s, s))
    if tok.kind == "placeholder":
        return CellValue(raw, "placeholder", None, nt.span(s, e))
    return CellValue(raw, "number", _decimal(raw), nt.span(s, e), inferred)


def _assign(result: TableData, table: TableDef, row: RowDef, nt: NText, lstart: int, lend: int,
            run: list[_Token]) -> None:
    columns = table.columns_for(row)
    need = len(columns)
    label_span = nt.span(lstart, lend)
    # empty cells around the values belong to the label area or the table's width
    # (trimmed by index: slicing once per cell was quadratic in a row of 30,000 empty cells)
    lo, hi = 0, len(run)
    while hi > lo and run[hi - 1].kind == "blank" and hi - lo > need:
        hi -= 1
    while hi > lo and run[lo].kind == "blank" and hi - lo > need:
        lo += 1
    run = run[lo:hi]
    while run and run[-1].kind == "blank" and all(t.kind == "blank" for t in run[need:]) and len(run) > need:
        run = run[:-1]
    identities = _row_identities(table, columns)
    values: list[CellValue]
    if len(run) == need:
        values = [_cell(nt, t) for t in run]
    elif len(run) > need:
        values = _resolve_extra(result, table, row, nt, run, columns, identities, label_span)
        if not values:
            return
    else:
        values = _resolve_short(result, row, nt, run, columns, identities, label_span)
        if not values:
            return
    result.rows[row.id] = RowData(row, label_span, dict(zip((c.id for c in columns), values)), columns)


def _resolve_extra(result, table, row, nt, run, columns, identities, label_span) -> list[CellValue]:
    """More cells than columns: accept only if every reading consistent with the
    row's identities gives the same values (seed 003's （七）总计 row)."""
    need = len(columns)
    extra = len(run) - need
    readings: dict[tuple, list[_Token]] = {}
    if extra <= 3 and identities:
        for drop in itertools.combinations(range(len(run)), extra):
            kept = [t for i, t in enumerate(run) if i not in drop]
            vals = [_decimal(t.text) if t.kind == "num" else None for t in kept]
            if _satisfies(vals, columns, identities):
                readings.setdefault(tuple(vals), kept)
    span = Span.cover([label_span] + [nt.span(t.start, t.end) for t in run])
    found = [t.text or "（空）" for t in run]
    if len(readings) == 1:
        kept = next(iter(readings.values()))
        result.problems.append(ReadProblem("extra-cells-resolved", span, row.id, {"found": found, "expected_cells": need},
                                           label=row.label))
        return [_cell(nt, t) for t in kept]
    result.problems.append(ReadProblem("extra-cells", span, row.id,
                                       {"found": found, "expected_cells": need, "readings": len(readings)},
                                       label=row.label))
    return []


def _resolve_short(result, row, nt, run, columns, identities, label_span) -> list[CellValue]:
    need = len(columns)
    # a digit run followed by the empty cells of the next grid line: those cells are not this row's
    nums = run
    while nums and nums[-1].kind == "blank":
        nums = nums[:-1]
    if nums is not run and nums and all(t.kind == "num" for t in nums) and any(len(t.text) > 1 for t in nums):
        run = nums
    if run and all(t.kind == "num" for t in run) and any(len(_NON_DIGIT.sub("", t.text)) > 1 for t in run):
        candidates = split_candidates([t.text for t in run], need)
        readings = {}
        satisfies = _satisfies_fn(columns, identities)
        for cand in candidates:
            vals = [_decimal(p) for p in cand]
            if satisfies(vals):
                readings.setdefault(tuple(vals), cand)
        span = Span.cover([label_span] + [nt.span(t.start, t.end) for t in run])
        digits = " ".join(t.text for t in run)
        # too many ways to cut (the enumeration stopped): a reading found is not the only one
        complete = len(candidates) < _MAX_SPLITS
        if len(readings) == 1 and complete:
            cand = next(iter(readings.values()))
            return _split_cells(nt, run, cand)
        if len(candidates) == 1:
            # one digit a cell: the only reading there is; the A rules check it
            return _split_cells(nt, run, candidates[0])
        if candidates and not readings and complete:
            # every reading (all of them were tried) breaks the row's identities: an arithmetic defect (A108)
            from .digitruns import inconsistent_run
            result.problems.append(inconsistent_run(row, run, candidates, columns, identities, span, need))
            return []
        kind = "ambiguous-split" if readings or not complete else "no-split"
        result.pending[row.id] = (run, [list(v) for v in readings.values()] if complete else [])
        result.problems.append(ReadProblem(kind, span, row.id,
                                           {"digits": digits, "expected_cells": need, "readings": len(readings)},
                                           label=row.label, split_limit=0 if complete else _MAX_SPLITS))
        return []
    while run and run[0].kind == "blank":  # empty label-area cells, not values
        run = run[1:]
    values = [_cell(nt, t) for t in run]
    anchor = run[-1].end if run else None
    for _ in range(need - len(run)):
        span = nt.span(anchor, anchor) if anchor is not None else label_span
        values.append(CellValue("", "missing", None, span))
    if len(run) < need:
        result.problems.append(ReadProblem(
            "short-row", Span.cover([label_span] + [nt.span(t.start, t.end) for t in run]), row.id,
            {"found": [t.text or "（空）" for t in run], "expected_cells": need}, label=row.label))
    return values


def _split_cells(nt: NText, run: list[_Token], pieces: list[str]) -> list[CellValue]:
    cells: list[CellValue] = []
    queue = list(pieces)
    for tok in run:
        pos = tok.start
        consumed = ""
        while queue and len(consumed) < len(tok.text):
            piece = queue.pop(0)
            cells.append(_cell(nt, tok, inferred=len(piece) != len(tok.text), text=piece,
                               start=pos, end=pos + len(piece)))
            pos += len(piece)
            consumed += piece
    return cells
