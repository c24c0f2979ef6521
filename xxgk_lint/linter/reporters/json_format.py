"""``--format json``: one JSON array of findings (contract version 1).

Each element: path, line, column, end_line, end_column (1-based, characters of
the source text), code, rule, severity, message (in the language chosen with
``--lang``: Chinese by default), location, and data (evidence).
"""

from __future__ import annotations

import json
from typing import TextIO

from . import position


def finding(result, diag) -> dict:
    item = {"path": result.path}
    item.update(position(result, diag))
    item.update({
        "code": diag.code, "rule": diag.rule, "severity": diag.severity.value, "message": diag.text(),
    })
    if diag.data:
        item["data"] = diag.data
    return item


def render(results, registry, out: TextIO) -> None:
    items = [finding(r, d) for r in results for d in r.diagnostics]
    json.dump(items, out, ensure_ascii=False, indent=2, default=str)
    out.write("\n")
