"""``--format github``: GitHub Actions workflow commands (annotations).

GitHub shows at most 10 error and 10 warning annotations per step (and 50 per
job); the rest are dropped silently.  So errors come first, then warnings,
then notices, and a notice at the top says how many will not be shown.  Every
finding is still printed, so the full list is in the log.
"""

from __future__ import annotations

from typing import TextIO

from ..i18n import text as tr
from . import position

PER_STEP = 10
LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
ORDER = {"error": 0, "warning": 1, "info": 2}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(result, diag) -> str:
    pos = position(result, diag)
    props = [f"file={escape_property(result.path)}", f"line={pos['line']}"]
    if pos["end_line"] == pos["line"]:
        props.append(f"col={pos['column']}")
        props.append(f"endColumn={max(pos['end_column'], pos['column'])}")
    props.insert(2, f"endLine={pos['end_line']}")
    props.append(f"title={escape_property(f'{diag.code} {diag.rule}')}")
    return f"::{LEVELS[diag.severity.value]} {','.join(props)}::{escape_data(diag.text())}"


def render(results, registry, out: TextIO) -> None:
    pairs = [(r, d) for r in results for d in r.diagnostics]
    pairs.sort(key=lambda p: ORDER[p[1].severity.value])  # stable: file order kept within a level
    counts = {level: sum(1 for _, d in pairs if d.severity.value == level) for level in LEVELS}
    hidden = {level: max(0, n - PER_STEP) for level, n in counts.items()}
    if any(hidden.values()):
        parts = "，".join(f"{n} 个{label}" for level, label in (("error", "错误"), ("warning", "警告"), ("info", "提示"))
                         if (n := hidden[level]))
        parts_en = ", ".join(f"{n} {label}{'s' if n > 1 else ''}"
                             for level, label in (("error", "error"), ("warning", "warning"), ("info", "notice"))
                             if (n := hidden[level]))
        notice = tr(f"共 {len(pairs)} 个问题；GitHub 每个步骤最多显示 10 个错误和 10 个警告注释，"
                    f"另有 {parts}不会显示为注释。完整结果见本步骤日志或 SARIF/JSON 输出。",
                    f"{len(pairs)} findings; GitHub shows at most 10 error and 10 warning annotations per step, "
                    f"so {parts_en} will not be shown as annotations. All findings are in this step's log "
                    f"and in the SARIF/JSON output.")
        out.write(f"::notice title=xxgk-lint::{escape_data(notice)}\n")
    for result, diag in pairs:
        out.write(command(result, diag) + "\n")
