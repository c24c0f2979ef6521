"""``--format concise``: one line per finding, ``path:line:col: CODE [级别] message (rule)``
(message and level in the language chosen with ``--lang``)."""

from __future__ import annotations

from typing import TextIO

from . import position
from .text import label


def render(results, registry, out: TextIO) -> None:
    for result in results:
        for diag in result.diagnostics:
            pos = position(result, diag)
            message = " ".join(diag.text().split())
            out.write(f"{result.path}:{pos['line']}:{pos['column']}: {diag.code} [{label(diag.severity.value)}] "
                      f"{message} ({diag.rule})\n")
