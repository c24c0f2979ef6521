"""Reporters render check results.  Machine formats are a versioned contract
(docs/output-formats.md); human formats may change."""

from __future__ import annotations

import importlib
from typing import TextIO

from ..diagnostics import Diagnostic, FileResult

# format name -> module in this package exposing render(results, registry, out)
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_format",
}

JSON_SCHEMA_VERSION = 1


def render(fmt: str, results: list[FileResult], registry, out: TextIO) -> None:
    module = importlib.import_module(f".{FORMATS[fmt]}", __name__)
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
