"""Reporters render check results.  Machine formats are a versioned contract
(docs/output-formats.md); human formats may change."""

from __future__ import annotations

import importlib
from typing import TextIO

from ..diagnostics import Diagnostic, FileResult

# format name -> module in this package exposing render(results, registry, out)
FORMATS: dict[str, str] = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
    "json-lines": "json_lines",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "csv": "csv_format",
    "html": "html",
}

def render(fmt: str, results: list[FileResult], registry, out: TextIO,
           fail_levels: dict[str, str] | None = None) -> None:
    """``fail_levels``: each path's --fail-on level; JUnit, the one format that
    says pass or fail per finding, fails only the findings at or above it."""
    module = importlib.import_module(f".{FORMATS[fmt]}", __name__)
    if fmt == "junit":
        module.render(results, registry, out, fail_levels or {})
    else:
        module.render(results, registry, out)


def position(result: FileResult, diag: Diagnostic) -> dict:
    """line/column/end_line/end_column (1-based, characters) and a location."""
    doc = result.document
    if doc is None or diag.span is None:
        return {"line": 1, "column": 1, "end_line": 1, "end_column": 1, "location": {"kind": "file"}}
    line, column = doc.line_col(diag.span.start)
    end_line, end_column = doc.line_col(diag.span.end)
    return {
        "line": line, "column": column, "end_line": end_line, "end_column": end_column,
        "location": doc.location(diag.span.start),
    }


def file_position(result: FileResult, diag: Diagnostic) -> dict:
    """:func:`position` with line/column/end_line/end_column in the lines of
    the file itself, for the formats where a line number is all the user sees
    (concise, text, github, sarif, junit).  They differ for a web page only:
    its source text is the text extracted from the HTML, and its ``location``
    is the line and column in the HTML source.  The end is the location of
    the finding's end, or its start where that is not known to be after it."""
    pos = position(result, diag)
    loc = pos["location"]
    if loc.get("kind") != "html" or "line" not in loc:
        return pos
    start = (loc["line"], loc.get("column", 1))
    end_loc = result.document.location(diag.span.end)
    end = (end_loc["line"], end_loc.get("column", 1)) if end_loc.get("kind") == "html" else start
    end = max(end, start)
    return {**pos, "line": start[0], "column": start[1], "end_line": end[0], "end_column": end[1]}


# location keys that say where a finding is in a format's own terms (page,
# paragraph, table cell): line numbers of the extracted text mean nothing in
# Word or PDF, so formats read where lines are not shown add these words
STRUCTURAL_LOCATION_KEYS = ("page", "paragraph", "table", "row")


def located_text(diag: Diagnostic, location: dict) -> str:
    """The message, followed by ``（位置：第 3 页，第 12 行）`` when the file is
    a Word/PDF/OFD document (for GitHub, where only a line number shows)."""
    from ..i18n import text as tr

    message = diag.text()
    if not any(key in location for key in STRUCTURAL_LOCATION_KEYS):
        return message
    return message + tr(f"（位置：{describe(location)}）", f" (location: {describe(location)})")


def describe(loc: dict) -> str:
    """'第 3 页，第 12 行' (or 'page 3, line 12' in English)."""
    from ..i18n import current_language

    english = current_language() == "en"
    parts = []
    for key, word, word_en in (("page", "第 {} 页", "page {}"), ("paragraph", "第 {} 段", "paragraph {}"),
                               ("table", "第 {} 个表格", "table {}"), ("row", "第 {} 行", "row {}"),
                               ("col", "第 {} 列", "column {}"), ("line", "第 {} 行", "line {}")):
        if key in loc and not (key == "line" and "row" in loc):
            parts.append((word_en if english else word).format(loc[key]))
    return (", " if english else "，").join(parts) or str(loc)
