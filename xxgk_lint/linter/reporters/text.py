"""``--format text``: each finding with its source line and a caret (rich)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TextIO

from ..i18n import text as tr
from . import describe as _describe  # the name concise, csv and sarif import
from . import file_position, position

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}

if TYPE_CHECKING:
    from rich.text import Text
# rich is imported where text is rendered, not with this module: other
# reporters (concise, sarif) import label() and _describe() from here, and
# importing rich costs ≈ 25 ms at every start


def label(severity: str) -> str:
    """The severity's word in the chosen language."""
    from ..diagnostics import severity_word

    return severity_word(severity)


def _excerpt(doc, line: int, column: int, end_line: int, end_column: int, number: int | None = None) -> Text | None:
    """The source text's line ``line`` with a caret under the finding; the
    gutter shows ``number`` (the line in the file, for a web page) or ``line``."""
    from rich.text import Text

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
    gutter = f"{number or line:>5} | "
    caret_pad = sum(2 if ord(ch) > 0x2E80 else 1 for ch in source[: column - 1 - start])
    caret_len = sum(2 if ord(ch) > 0x2E80 else 1 for ch in source[column - 1 - start: column - 1 - start + width])
    text = Text(gutter, style="dim")
    text.append(source.replace("\t", " "))
    text.append("\n" + " " * len(gutter) + " " * caret_pad + "^" * max(1, caret_len), style="bold magenta")
    return text


def render(results, registry, out: TextIO) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True)
    counts: Counter[str] = Counter()
    for result in results:
        for diag in result.diagnostics:
            pos = position(result, diag)
            at = file_position(result, diag)
            sev = diag.severity.value
            counts[sev] += 1
            head = Text()
            head.append(f"{result.path}:{at['line']}:{at['column']}: ", style="bold")
            head.append(f"{diag.code} ", style=STYLES[sev])
            head.append(f"[{label(sev)}] ", style=STYLES[sev])
            head.append(diag.text())
            head.append(f"  ({diag.rule})", style="dim")
            console.print(head)
            loc = pos["location"]
            if loc.get("kind") not in ("text", "file", "html"):  # a web page's line is the one shown above
                console.print(Text("      " + tr("位置：", "Location: ") + _describe(loc), style="dim"))
            if result.document is not None and diag.span is not None:
                excerpt = _excerpt(result.document, pos["line"], pos["column"], pos["end_line"], pos["end_column"],
                                   at["line"])
                if excerpt is not None:
                    console.print(excerpt)
            console.print()
    files = len(results)
    if files > 1:
        return  # the command line ends a run over several files with its summary
    if counts:
        console.print(tr(f"检查了 {files} 个文件：{escape(severity_counts(counts, 'zh'))}。",
                         f"Checked {_files_en(files)}: {severity_counts(counts, 'en')}."))
    else:
        console.print(tr(f"检查了 {files} 个文件，未发现问题。", f"Checked {_files_en(files)}: no problems found."),
                      style="green")


def severity_counts(counts, lang: str | None = None, group: str = "severity_count") -> str:
    """'错误 2 个，提示 1 个' / '2 errors, 1 note': the non-zero counts, worst first
    (``group``: the catalogue's phrasing, e.g. severity_hidden)."""
    from ..catalogue import ui
    from ..diagnostics import SEVERITIES

    sep = ui("list.sep", lang)
    return sep.join(ui(f"{group}.{s}", lang, n=counts[s]) for s in SEVERITIES if counts.get(s))


def _files_en(n: int) -> str:
    return f"{n} file" + ("" if n == 1 else "s")
