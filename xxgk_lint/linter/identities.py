"""Identities from the template data, parsed into terms over row/column ids.

The data writes them as small expressions: ``r1 + r2 == r3_7 + r4``,
``c_total == c_natural + ...``, ``r3_7 == r3_1 + sum(r3_3_*) + ...``.
Expressions that are prose (``each of ... <= ...``) are not parsed and so are
never evaluated.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

_OPS = ("==", ">=", "<=")
_TERM = re.compile(r"^(?:sum\((?P<glob>[\w.*]+)\)|(?P<name>[\w.]+))$")


@dataclass(frozen=True)
class Term:
    sign: int
    name: str


@dataclass(frozen=True)
class Identity:
    id: str
    kind: str
    op: str
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]
    per: str | None
    text: str | None = None

    @property
    def names(self) -> list[str]:
        return [t.name for t in (*self.lhs, *self.rhs)]


def _side(text: str, known: list[str]) -> tuple[Term, ...] | None:
    text = text.strip()
    if not text:
        return None
    terms: list[Term] = []
    for sign_text, body in re.findall(r"([+-]?)\s*([^+-]+)", text):
        body = body.strip()
        m = _TERM.match(body)
        if not m:
            return None
        sign = -1 if sign_text == "-" else 1
        if m.group("glob"):
            names = [k for k in known if fnmatch.fnmatchcase(k, m.group("glob"))]
            if not names:
                return None
            terms.extend(Term(sign, n) for n in names)
        else:
            if m.group("name") not in known:
                return None
            terms.append(Term(sign, m.group("name")))
    return tuple(terms)


def parse(identity_id: str, kind: str, expr: str, known: list[str], per: str | None = None,
          text: str | None = None) -> Identity | None:
    """Parse ``expr`` over the ids in ``known``; None when it is not an expression."""
    # Remarks after the expression, e.g. "(both rows of ...)", are not part of it.
    expr = re.sub(r"\s*\(.*$", "", expr) if "sum(" not in expr else expr
    for op in _OPS:
        if op in expr:
            left, right = expr.split(op, 1)
            lhs, rhs = _side(left, known), _side(right, known)
            if lhs is None or rhs is None:
                return None
            return Identity(identity_id, kind, op, lhs, rhs, per, text)
    return None


def holds(op: str, left, right, tolerance=0) -> bool:
    diff = left - right
    if op == "==":
        return abs(diff) <= tolerance
    if op == ">=":
        return diff >= -tolerance
    return diff <= tolerance


@dataclass(frozen=True)
class YearTerm:
    sign: int
    name: str
    previous: bool  # True for the (Y-1) report


@dataclass(frozen=True)
class CrossYearIdentity:
    id: str
    kind: str
    lhs: tuple[YearTerm, ...]
    rhs: tuple[YearTerm, ...]
    per: str | None

    @property
    def names(self) -> list[str]:
        return [t.name for t in (*self.lhs, *self.rhs)]


_YEAR_SIDE_TERM = re.compile(r"\s*([+-]?)\s*([\w.]+)\((Y(?:-1)?)\)\s*")


def _year_side(text: str, known: list[str]) -> tuple[YearTerm, ...] | None:
    terms, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _YEAR_SIDE_TERM.match(text, pos)
        if not m or m.group(2) not in known or (terms and not m.group(1)):
            return None
        terms.append(YearTerm(-1 if m.group(1) == "-" else 1, m.group(2), m.group(3) == "Y-1"))
        pos = m.end()
    return tuple(terms) or None


def parse_cross_year(identity_id: str, kind: str, expr: str, known: list[str],
                     per: str | None = None) -> CrossYearIdentity | None:
    """Parse ``r2(Y) == r4(Y-1)`` or ``valid(Y) == valid(Y-1) + made(Y) - repealed(Y) for each row``."""
    expr = re.split(r"\s+for\s+each\b", expr)[0]
    if "==" not in expr:
        return None
    left, right = expr.split("==", 1)
    lhs, rhs = _year_side(left, known), _year_side(right, known)
    if lhs is None or rhs is None:
        return None
    return CrossYearIdentity(identity_id, kind, lhs, rhs, per)
