"""What a batch worker returns for one file, and what the result cache stores: a plain,
JSON-ready *entry* -- the serialised findings, a small :class:`DocumentView` with only what
reporters need, and the report's (agency, year) -- and :class:`Results`, which keeps the
entries zlib-compressed and decodes one file at a time for the reporter (see ``batch.py``).
"""

from __future__ import annotations

import json
import unicodedata
import zlib
from dataclasses import fields
from typing import Any, Iterator, NamedTuple, Sequence

from .diagnostics import Diagnostic, FileResult, Severity, Span


# ---------------------------------------------------------------- documents

class _Fragments:
    """Stands in for ``Document.text`` where only finding spans are sliced
    (baseline fingerprints): ``text[start:end]`` of a stored span."""

    __slots__ = ("_parts", "_len")

    def __init__(self, parts: dict[tuple[int, int], str], length: int):
        self._parts, self._len = parts, length

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self._parts.get((key.start, key.stop), "")
        raise TypeError("only the slices of finding spans are kept")

    def __len__(self) -> int:
        return self._len

    def __contains__(self, item) -> bool:
        return any(item in part for part in self._parts.values())


class DocumentView:
    """What reporters use of a Document, for one file's findings only:
    ``line_col``/``location`` of span ends, ``line_text`` of their lines,
    ``text[start:end]`` of the spans."""

    __slots__ = ("path", "format", "_pos", "_loc", "_lines", "text")

    def __init__(self, path: str, fmt: str, pos, loc, lines, frags, length: int):
        self.path, self.format = path, fmt
        self._pos, self._loc, self._lines = pos, loc, lines
        self.text = _Fragments(frags, length)

    def line_col(self, offset: int) -> tuple[int, int]:
        return self._pos.get(offset, (1, 1))

    def location(self, offset: int) -> dict[str, Any]:
        found = self._loc.get(offset)
        if found is None:
            line, column = self.line_col(offset)
            return {"kind": "text", "line": line, "column": column}
        return dict(found)

    def line_text(self, line: int) -> str:
        return self._lines.get(line, "")

    @classmethod
    def from_json(cls, path: str, data: dict, need_lines: bool) -> "DocumentView":
        return cls(path, data["format"],
                   {p[0]: (p[1], p[2]) for p in data["pos"]},
                   {p[0]: p[1] for p in data["loc"]},
                   {p[0]: p[1] for p in data["lines"]} if need_lines else {},
                   {(p[0], p[1]): p[2] for p in data["frags"]},
                   data["len"])


def view_json(document, diagnostics: list[Diagnostic]) -> dict:
    """The view of ``document`` for these findings, as plain data."""
    pos, loc, lines, frags = {}, {}, {}, {}
    for diag in diagnostics:
        if diag.span is None:
            continue
        s, e = diag.span.start, diag.span.end
        for off in (s, e):
            pos[off] = document.line_col(off)
        loc[s] = document.location(s)
        if document.format == "html":  # reporters place a web page's findings by their ends' locations
            loc[e] = document.location(e)
        lines[pos[s][0]] = document.line_text(pos[s][0])
        frags[(s, e)] = document.text[s:e]
    return {"format": document.format, "len": len(document.text),
            "pos": [[o, lc[0], lc[1]] for o, lc in sorted(pos.items())],
            "loc": [[o, v] for o, v in sorted(loc.items())],
            "lines": [[n, t] for n, t in sorted(lines.items())],
            "frags": [[s, e, t] for (s, e), t in sorted(frags.items())]}


# ---------------------------------------------------------------- entries

def _plain(value):
    """JSON-ready data, the same whether it comes from a rule or from the cache."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def agency_key(report) -> tuple[str, int] | None:
    """(normalised agency name, report year), or None when either is unknown."""
    if report is None or report.agency is None or not report.report_year:
        return None
    name = "".join(unicodedata.normalize("NFKC", report.agency.value).split())
    return (name, report.report_year) if name else None


def _diag_json(d: Diagnostic) -> dict:
    """Every field of a Diagnostic as plain data (new fields are carried too)."""
    out = {}
    for f in fields(Diagnostic):
        value = getattr(d, f.name)
        if f.name == "span":
            value = [value.start, value.end] if value is not None else None
        elif f.name == "related":
            value = [[p, s.start, s.end] for p, s in value]
        elif f.name == "severity":
            value = value.value if value is not None else None
        elif f.name == "message" or isinstance(value, str):
            value = str(value)
        else:
            value = _plain(value)
        out[f.name] = value
    return out


def _diag_from_json(item: dict) -> Diagnostic:
    known = {f.name for f in fields(Diagnostic)}
    values = {k: v for k, v in item.items() if k in known}
    span = values.get("span")
    values["span"] = Span(*span) if span else None
    values["related"] = [(p, Span(s, e)) for p, s, e in values.get("related") or []]
    values["severity"] = Severity(values["severity"]) if values.get("severity") else None
    return Diagnostic(**values)


def to_entry(result: FileResult) -> dict:
    from .runner import READ_CODES

    key = agency_key(result.report)
    return {
        "diagnostics": [_diag_json(d) for d in result.diagnostics],
        "view": view_json(result.document, result.diagnostics) if result.document is not None else None,
        "pair": list(key) if key else None,
        "cacheable": not any(d.code in READ_CODES for d in result.diagnostics),
    }


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _rows(value, *types) -> bool:
    """A list of lists whose items have these types (int: a non-negative int)."""
    return isinstance(value, list) and all(
        isinstance(row, list) and len(row) == len(types)
        and all((_is_int(v) and v >= 0) if t is int else isinstance(v, t) for v, t in zip(row, types))
        for row in value)


def _valid_diag(item) -> bool:
    if not isinstance(item, dict):
        return False
    span, related = item.get("span"), item.get("related")
    return (isinstance(item.get("code"), str) and bool(item["code"]) and isinstance(item.get("rule"), str)
            and isinstance(item.get("message"), str) and isinstance(item.get("message_en", ""), str)
            and item.get("severity") in ("error", "warning", "info")
            and isinstance(item.get("data"), dict)
            and (span is None or (_rows([span], int, int) and span[0] <= span[1]))
            and _rows(related if related is not None else [], str, int, int))


def _valid_view(view) -> bool:
    if view is None:
        return True
    return (isinstance(view, dict) and isinstance(view.get("format"), str) and _is_int(view.get("len"))
            and _rows(view.get("pos"), int, int, int) and _rows(view.get("loc"), int, dict)
            and _rows(view.get("lines"), int, str) and _rows(view.get("frags"), int, int, str))


def valid_entry(entry) -> bool:
    """Whether ``entry`` has the shape :func:`to_entry` writes (for entries
    read back from the cache: anything else is a miss, never a traceback)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("diagnostics"), list):
        return False
    pair = entry.get("pair")
    return (all(_valid_diag(d) for d in entry["diagnostics"]) and _valid_view(entry.get("view"))
            and (pair is None or (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
                                  and _is_int(pair[1])))
            and isinstance(entry.get("cacheable"), bool))


def from_entry(path: str, entry: dict, need_lines: bool) -> FileResult:
    diagnostics = [_diag_from_json(item) for item in entry["diagnostics"]]
    view = DocumentView.from_json(path, entry["view"], need_lines) if entry.get("view") else None
    return FileResult(path, diagnostics, view)


# ---------------------------------------------------------------- results

class Finding(NamedTuple):
    """The little of a finding the summary and the exit code need."""

    code: str
    rule: str
    severity: Severity


def _pack(entry: dict) -> bytes:
    return zlib.compress(json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


class Results(Sequence):
    """The results of a run in input order, kept compressed: a FileResult is
    decoded when a reporter reaches it and dropped after, so the memory of a
    run grows by a few KB per file, not by its findings' evidence.
    :meth:`findings` serves the summary and the exit code without decoding."""

    def __init__(self, paths: list[str], packed: list[bytes], light: list[list[Finding]], need_lines: bool):
        self._paths, self._packed, self._light, self._need_lines = paths, packed, light, need_lines

    def __len__(self) -> int:
        return len(self._paths)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        entry = json.loads(zlib.decompress(self._packed[index]).decode("utf-8"))
        return from_entry(self._paths[index], entry, self._need_lines)

    def __iter__(self) -> Iterator[FileResult]:
        for i in range(len(self)):
            yield self[i]

    def findings(self) -> Iterator[tuple[str, list[Finding]]]:
        return iter(zip(self._paths, self._light))

    def rename(self, names: dict[str, str]) -> None:
        """Show some paths under other names (standard input's temporary file)."""
        self._paths = [names.get(p, p) for p in self._paths]


def light(entry: dict) -> list[Finding]:
    return [Finding(d["code"], d["rule"], Severity(d["severity"] or "error")) for d in entry["diagnostics"]]
