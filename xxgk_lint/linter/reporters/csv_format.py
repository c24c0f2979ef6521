"""``--format csv``: one row per finding, for spreadsheets.

Columns: path, line, column, end_line, end_column, code, rule, severity,
message (in the language chosen with ``--lang``), location (JSON), data
(JSON evidence).  The output starts with a
UTF-8 byte order mark so that Excel, which otherwise assumes the system code
page (GBK on Chinese Windows), shows the Chinese text correctly; Python's
``csv`` module reads it with ``encoding="utf-8-sig"``.  Rows end with CRLF
(RFC 4180); a file without findings has the header row only.
"""

from __future__ import annotations

import csv
import json
from typing import TextIO

from . import position

COLUMNS = ("path", "line", "column", "end_line", "end_column", "code", "rule", "severity", "message", "location",
           "data")


def render(results, registry, out: TextIO) -> None:
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for result in results:
        for diag in result.diagnostics:
            pos = position(result, diag)
            writer.writerow([result.path, pos["line"], pos["column"], pos["end_line"], pos["end_column"], diag.code,
                             diag.rule, diag.severity.value, diag.text(),
                             json.dumps(pos["location"], ensure_ascii=False, default=str),
                             json.dumps(diag.data or {}, ensure_ascii=False, default=str)])
