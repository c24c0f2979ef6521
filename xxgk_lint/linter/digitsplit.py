"""Splitting a run of digits (cells that ran together, "1000102") into cell
values, and checking a reading against the row's identities.

``tables.py`` cuts a run every way it can be cut and keeps the readings that
satisfy the template's identities; ``digitruns.py`` settles the rows that keep
several.  Both build the cells of a reading with ``split_cells``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from .identities import Identity, satisfies_fn
from .model.tables import CellValue
from .ntext import NText
from .tabletokens import Token
from .templates import ColumnDef, TableDef

MAX_SPLITS = 5000


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
            if len(out) >= MAX_SPLITS:
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
        if len(out) >= MAX_SPLITS:
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
def to_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.rstrip("%").replace(",", ""))
    except InvalidOperation:
        return None


def row_identities(table: TableDef, columns: list[ColumnDef]) -> tuple[Identity, ...]:
    """The identities a reading of one row must satisfy (over its columns; parsed at template load)."""
    return table.identity_set.facts_over([c.id for c in columns])


def satisfies_for(columns: list[ColumnDef], identities: Sequence[Identity]):
    """``reading_satisfies`` for many value lists over the same columns (the engine resolves terms once)."""
    position: dict[str, int] = {}
    for n, c in enumerate(columns):
        position[c.id] = n  # as zip() into a dict: the last duplicate wins
    return satisfies_fn(identities, position)


def reading_satisfies(values: list[Decimal | None], columns: list[ColumnDef], identities: Sequence[Identity]) -> bool:
    return satisfies_for(columns, identities)(values)



# -- cells --------------------------------------------------------------------------------

def cell_value(nt: NText, tok: Token, inferred: bool = False, text: str | None = None,
          start: int | None = None, end: int | None = None) -> CellValue:
    raw = tok.text if text is None else text
    s = tok.start if start is None else start
    e = tok.end if end is None else end
    if tok.kind == "blank":
        return CellValue("", "blank", None, nt.span(s, s))
    if tok.kind == "placeholder":
        return CellValue(raw, "placeholder", None, nt.span(s, e))
    return CellValue(raw, "number", to_decimal(raw), nt.span(s, e), inferred)


def split_cells(nt: NText, run: list[Token], pieces: list[str]) -> list[CellValue]:
    cells: list[CellValue] = []
    queue = list(pieces)
    for tok in run:
        pos = tok.start
        consumed = ""
        while queue and len(consumed) < len(tok.text):
            piece = queue.pop(0)
            cells.append(cell_value(nt, tok, inferred=len(piece) != len(tok.text), text=piece,
                               start=pos, end=pos + len(piece)))
            pos += len(piece)
            consumed += piece
    return cells
