"""``--format text``: each finding with its source line and a caret (rich)."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from . import position

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def _excerpt(doc, line: int, column: int, end_line: int, end_column: int) -> Text | None:
    source = doc.line_text(line)
    if not source.strip():
        return None
    # long lines (a flattened web page) are shown around the finding
    start = 0
    if len(source) > 100:
        start = max(0, column - 40)
        source = source[start:start + 100]
    width = (end_column - column) if end_line == line and end_column > column else 1
    width = max(1, min(width, len(source) - (column - 1 - start)))
    gutter = f"{line:>5} | "
    caret_pad = sum(2 if ord(ch) > 0x2E80 else 1 for ch in source[: column - 1 - start])
    caret_len = sum(2 if ord(ch) > 0x2E80 else 1 for ch in source[column - 1 - start: column - 1 - start + width])
    text = Text(gutter, style="dim")
    text.append(source.replace("\t", " "))
    text.append("\n" + " " * len(gutter) + " " * caret_pad + "^" * max(1, caret_len), style="bold magenta")
    return text


def render(results, registry, out: TextIO) -> None:
    console = Console(file=out, highlight=False, soft_wrap=True)
    counts: Counter[str] = Counter()
    for result in results:
        for diag in result.diagnostics:
            pos = position(result, diag)
            sev = diag.severity.value
            counts[sev] += 1
            head = Text()
            head.append(f"{result.path}:{pos['line']}:{pos['column']}: ", style="bold")
            head.append(f"{diag.code} ", style=STYLES[sev])
            head.append(f"[{LABELS[sev]}] ", style=STYLES[sev])
            head.append(diag.message)
            head.append(f"  ({diag.rule})", style="dim")
            console.print(head)
            loc = pos["location"]
            if loc.get("kind") not in ("text", "file"):
                console.print(Text("      位置：" + _describe(loc), style="dim"))
            if result.document is not None and diag.span is not None:
                excerpt = _excerpt(result.document, pos["line"], pos["column"], pos["end_line"], pos["end_column"])
                if excerpt is not None:
                    console.print(excerpt)
            console.print()
    files = len(results)
    if counts:
        summary = "，".join(f"{LABELS[s]} {counts[s]} 个" for s in ("error", "warning", "info") if counts[s])
        console.print(f"检查了 {files} 个文件：{escape(summary)}。")
    else:
        console.print(f"检查了 {files} 个文件，未发现问题。", style="green")


def _describe(loc: dict) -> str:
    parts = []
    for key, label in (("page", "第 {} 页"), ("paragraph", "第 {} 段"), ("table", "第 {} 个表格"),
                       ("row", "第 {} 行"), ("col", "第 {} 列"), ("line", "第 {} 行")):
        if key in loc and not (key == "line" and "row" in loc):
            parts.append(label.format(loc[key]))
    return "，".join(parts) or str(loc)
