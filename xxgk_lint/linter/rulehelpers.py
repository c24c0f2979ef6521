"""Small helpers the rule modules share.  Rules import them through
:mod:`xxgk_lint.linter.model`, never from here directly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .classify import CN_NUM
from .diagnostics import Span

if TYPE_CHECKING:
    from .model import Report

def cn(n: int) -> str:
    """A number written in Chinese numerals: 1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三."""
    if n <= 10:
        return CN_NUM[n - 1] if n > 0 else "〇"
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUM[tens - 1]
    return head + "十" + (CN_NUM[ones - 1] if ones else "")


def section_no_en(no: str) -> str:
    """A section number for English messages: 二 -> 2; anything else quoted."""
    return str(CN_NUM.index(no) + 1) if len(no) == 1 and no in CN_NUM else f"“{no}”"


def rule_data(report: "Report") -> dict:
    """The template data's ``rule_data``: the word lists and facts rules read."""
    return report.templates.raw.get("rule_data", {})


def doc_start(report: "Report") -> Span:
    """Where a finding about the report as a whole points: the title, else
    the first character of the first line of text."""
    if report.title is not None and report.title.span is not None:
        return report.title.span
    for line in report.text_lines():
        return line.text.span(0, min(1, len(line.plain)))
    return Span(0, 0)
