"""``--format concise``: one line per finding, ``path:line:col: CODE [级别] message (rule)``
(message and level in the language chosen with ``--lang``).  In Word, PDF and
OFD files the message ends with the finding's page or paragraph."""

from __future__ import annotations

from typing import TextIO

from . import file_position, located_text
from .text import label


def render(results, registry, out: TextIO) -> None:
    for result in results:
        for diag in result.diagnostics:
            pos = file_position(result, diag)
            message = " ".join(located_text(diag, pos["location"]).split())
            out.write(f"{result.path}:{pos['line']}:{pos['column']}: {diag.code} [{label(diag.severity.value)}] "
                      f"{message} ({diag.rule})\n")
