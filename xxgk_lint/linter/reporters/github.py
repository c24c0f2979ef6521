"""``--format github``: GitHub Actions workflow commands (annotations).

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step
(and 50 per job); the rest are dropped silently.  So errors come first, then
warnings, then notices, and a notice at the top (itself one of the step's
notices) says how many will not be shown.  Every finding is still printed, so
the full list is in the log.

Paths are made relative to the workspace (``$GITHUB_WORKSPACE``, else the
current directory) with ``/``, as GitHub matches them against the
repository's files.  Findings in Word, PDF and OFD files end with their
location in the document's own terms (page, paragraph), since GitHub shows
only a line number of the extracted text.
"""

from __future__ import annotations

import os
from typing import TextIO

from ..i18n import text as tr
from . import file_position, located_text

PER_STEP = 10
LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
ORDER = {"error": 0, "warning": 1, "info": 2}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def workspace_path(path: str) -> str:
    """``path`` relative to the workspace when it lies inside it, with ``/``."""
    root = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    try:
        rel = os.path.relpath(os.path.abspath(path), root)
    except ValueError:  # another drive (Windows)
        rel = os.pardir
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        rel = path if os.path.isabs(path) else os.path.normpath(path)
    return rel.replace(os.sep, "/")


def command(result, diag) -> str:
    pos = file_position(result, diag)
    props = [f"file={escape_property(workspace_path(result.path))}", f"line={pos['line']}"]
    if pos["end_line"] == pos["line"]:
        props.append(f"col={pos['column']}")
        props.append(f"endColumn={max(pos['end_column'], pos['column'])}")
    props.insert(2, f"endLine={pos['end_line']}")
    props.append(f"title={escape_property(f'{diag.code} {diag.rule}')}")
    return f"::{LEVELS[diag.severity.value]} {','.join(props)}::{escape_data(located_text(diag, pos['location']))}"


def render(results, registry, out: TextIO) -> None:
    pairs = [(r, d) for r in results for d in r.diagnostics]
    pairs.sort(key=lambda p: ORDER[p[1].severity.value])  # stable: file order kept within a level
    counts = {level: sum(1 for _, d in pairs if d.severity.value == level) for level in LEVELS}
    cut = any(n > PER_STEP for n in counts.values())
    # the notice about the cut is itself one of the step's notice annotations
    shown = {level: PER_STEP - (1 if cut and level == "info" else 0) for level in LEVELS}
    hidden = {level: max(0, n - shown[level]) for level, n in counts.items()}
    if cut:
        from .text import severity_counts

        parts, parts_en = (severity_counts(hidden, lang, "severity_hidden") for lang in ("zh", "en"))
        notice = tr(f"共 {len(pairs)} 个问题；GitHub 每个步骤最多显示 10 个错误、10 个警告和 10 个提示注释，"
                    f"另有 {parts}不会显示为注释。完整结果见本步骤日志或 SARIF/JSON 输出。",
                    f"{len(pairs)} findings; GitHub shows at most 10 error, 10 warning and 10 notice annotations "
                    f"per step, so {parts_en} will not be shown as annotations. All findings are in this step's "
                    f"log and in the SARIF/JSON output.")
        out.write(f"::notice title=xxgk-lint::{escape_data(notice)}\n")
    for result, diag in pairs:
        out.write(command(result, diag) + "\n")
