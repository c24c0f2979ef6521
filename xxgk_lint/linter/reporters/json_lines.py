"""``--format json-lines``: one JSON object per line, the fields of ``--format json``."""

from __future__ import annotations

import json
from typing import TextIO

from .json_format import finding


def render(results, registry, out: TextIO) -> None:
    for result in results:
        for diag in result.diagnostics:
            out.write(json.dumps(finding(result, diag), ensure_ascii=False, default=str) + "\n")
