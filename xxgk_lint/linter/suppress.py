"""Suppression comments in text formats (.txt, .md, .html).

    <!-- xxgk-lint: disable=A101 -->        from here ...
    <!-- xxgk-lint: enable=A101 -->         ... to here (or to the end of the file)
    <!-- xxgk-lint: disable-next-line=A101 -->   the next line only
    text <!-- xxgk-lint: noqa=A101 -->      this line only

Codes, prefixes and rule names are comma-separated; ``all`` (or nothing)
means every rule.  ``disable A101`` (a space instead of ``=``) and ruff's
``noqa: A101, A102`` (a colon) are accepted too.

A comment may name at most MAX_SELECTORS rules in at most MAX_COMMENT_CHARS
characters: a longer one suppresses nothing and is one U101 finding, so a
file full of huge comments stays fast and its output small.
Directives are read from ``Document.text`` -- the source text -- by position,
and a finding is suppressed when the start of its span falls in a suppressed
range or line.  Directives that suppressed nothing are reported as U100,
directives naming no known rule as U101.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .diagnostics import Diagnostic, Span

TEXT_FORMATS = ("txt", "md", "markdown", "html", "text")
DIRECTIVE_RE = re.compile(
    r"<!--\s*xxgk-lint\s*:\s*(disable-next-line|disable|enable|noqa)\b\s*(?:[=:：]\s*)?([^>]*?)\s*-->",
    re.IGNORECASE)
MAX_SELECTORS = 32
MAX_COMMENT_CHARS = 1000
SELECTOR_RE = re.compile(r"^(?:ALL|[A-Za-z]{1,3}\d{0,3}|[a-z][a-z0-9]*(?:-[a-z0-9]+)*)$", re.IGNORECASE)


@dataclass
class Directive:
    kind: str  # disable | enable | disable-next-line | noqa
    selectors: list[str]  # ["ALL"] for every rule
    span: Span  # the comment itself
    start: int  # suppressed offsets: [start, end)
    end: int
    used: set[str] = field(default_factory=set)  # selectors that suppressed something
    too_long: bool = False  # over the limits: suppresses nothing, reported once


def parse_directives(text: str) -> list[Directive]:
    """All directives of ``text`` with the offset range each one covers."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_range(offset: int, delta: int = 0) -> tuple[int, int]:
        import bisect

        index = bisect.bisect_right(line_starts, offset) - 1 + delta
        if index >= len(line_starts):
            return len(text), len(text)
        end = line_starts[index + 1] - 1 if index + 1 < len(line_starts) else len(text)
        return line_starts[index], end

    found: list[Directive] = []
    open_ranges: list[Directive] = []
    for m in DIRECTIVE_RE.finditer(text):
        kind = m.group(1).lower()
        span = Span(m.start(), m.end())
        raw = [] if span.end - span.start > MAX_COMMENT_CHARS else [
            s.strip() for s in re.split(r"[,，、\s]+", m.group(2)) if s.strip()]
        if span.end - span.start > MAX_COMMENT_CHARS or len(raw) > MAX_SELECTORS:
            found.append(Directive(kind, [], span, 0, 0, too_long=True))
            continue
        selectors = ["ALL" if s.upper() == "ALL" else s for s in raw] or ["ALL"]
        if kind == "enable":
            closing = {s.upper() for s in selectors}
            for d in list(open_ranges):
                if "ALL" in closing or {s.upper() for s in d.selectors} <= closing:
                    d.end = m.start()
                    open_ranges.remove(d)
                elif closing & {s.upper() for s in d.selectors}:
                    # close only the named selectors: split the range
                    keep = [s for s in d.selectors if s.upper() not in closing]
                    closed = [s for s in d.selectors if s.upper() in closing]
                    d.selectors = closed
                    d.end = m.start()
                    open_ranges.remove(d)
                    rest = Directive("disable", keep, d.span, d.start, len(text))
                    found.append(rest)
                    open_ranges.append(rest)
            continue
        if kind == "disable":
            d = Directive(kind, selectors, span, m.end(), len(text))
            open_ranges.append(d)
        elif kind == "noqa":
            start, end = line_range(m.start())
            d = Directive(kind, selectors, span, start, end + 1)
        else:  # disable-next-line
            start, end = line_range(m.start(), 1)
            d = Directive(kind, selectors, span, start, end + 1)
        found.append(d)
    return found


_PREFIX_RE = re.compile(r"^[A-Za-z]{1,3}\d{0,3}$")


def selector_matches(selector: str, code: str, name: str) -> bool:
    s = selector.strip()
    if s.upper() == "ALL":
        return True
    if s == name:
        return True
    return bool(_PREFIX_RE.match(s)) and code.startswith(s.upper())


def apply(diagnostics: list[Diagnostic], directives: list[Directive]) -> list[Diagnostic]:
    """The diagnostics no directive suppresses; marks the directives used."""
    kept = []
    for diag in diagnostics:
        if diag.span is None:
            kept.append(diag)
            continue
        suppressed = False
        for d in directives:
            if d.start <= diag.span.start < d.end:
                for s in d.selectors:
                    if selector_matches(s, diag.code, diag.rule):
                        d.used.add(s)
                        suppressed = True
        if not suppressed:
            kept.append(diag)
    return kept


def unused(directives: list[Directive], registry, run_codes: set[str]) -> list[Diagnostic]:
    """U100 for selectors that suppressed nothing although every rule they name
    was run; U101 for selectors that name no known rule."""
    out = []
    rules_named: dict[str, list] = {}  # the same selector in many comments is matched once
    for d in directives:
        if d.too_long:
            out.append(Diagnostic.of("U101", "too_long", d.span, max_selectors=MAX_SELECTORS,
                                     max_chars=MAX_COMMENT_CHARS,
                                     data={"directive": d.kind, "max_selectors": MAX_SELECTORS,
                                           "max_chars": MAX_COMMENT_CHARS, "chars": d.span.end - d.span.start}))
            continue
        for s in d.selectors:
            if s in d.used:
                continue
            if s not in rules_named:
                rules_named[s] = [r for r in registry.rules.values() if selector_matches(s, r.code, r.name)]
            named = rules_named[s]
            comment = f"<!-- xxgk-lint: {d.kind}={s} -->" if s != "ALL" else f"<!-- xxgk-lint: {d.kind} -->"
            if not SELECTOR_RE.match(s) or not named:
                out.append(Diagnostic.of("U101", "unknown", d.span, selector=s,
                                         data={"directive": d.kind, "selector": s}))
                continue
            if s == "ALL":
                # "all" is unused only when the whole built-in rule set ran
                if not all(r.code in run_codes for r in named if r.origin == "builtin"):
                    continue
            elif not all(r.code in run_codes for r in named):
                continue
            out.append(Diagnostic.of("U100", "unused", d.span, comment=comment,
                                     data={"directive": d.kind, "selector": s,
                                           "rules": sorted(r.code for r in named)}))
    return out
