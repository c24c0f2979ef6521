"""``--format csv``: one row per finding, for spreadsheets.

Columns (headers in the language chosen with ``--lang``; Chinese by default):
文件, 行, 列, 结束行, 结束列, 代码, 规则, 级别, 说明, 位置, 应为, 实际 -- file,
line, column, end line, end column, code, rule, level (错误/警告/提示), message,
location in words (``第 3 页，第 2 个表格，第 5 行``), and the expected and
found values when the finding has them.  One plain value per cell: no JSON
(the full evidence is in ``--format json``).  The output starts with a UTF-8
byte order mark so that Excel, which otherwise assumes the system code page
(GBK on Chinese Windows), shows the Chinese text correctly; Python's ``csv``
module reads it with ``encoding="utf-8-sig"``.  Rows end with CRLF (RFC
4180); a file without findings has the header row only.
"""

from __future__ import annotations

import csv
from typing import TextIO

from ..i18n import text as tr
from . import position

COLUMNS = ("文件", "行", "列", "结束行", "结束列", "代码", "规则", "级别", "说明", "位置", "应为", "实际")
COLUMNS_EN = ("file", "line", "column", "end_line", "end_column", "code", "rule", "level", "message", "location",
              "expected", "found")


def _plain(value) -> str:
    """A value of a finding's data as one plain cell ('' when it is not a scalar)."""
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return ""
    if isinstance(value, bool):
        return tr("是", "yes") if value else tr("否", "no")
    return str(value)


def _where(location: dict) -> str:
    from .text import _describe

    if location.get("kind") == "file":
        return tr("整个文件", "whole file")
    return _describe(location)


def render(results, registry, out: TextIO) -> None:
    from .text import label

    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([tr(zh, en) for zh, en in zip(COLUMNS, COLUMNS_EN)])
    for result in results:
        for diag in result.diagnostics:
            pos = position(result, diag)
            data = diag.data or {}
            expected = data.get("expected", data.get("computed"))
            writer.writerow([result.path, pos["line"], pos["column"], pos["end_line"], pos["end_column"], diag.code,
                             diag.rule, label(diag.severity.value), diag.text(), _where(pos["location"]),
                             _plain(expected), _plain(data.get("found"))])
