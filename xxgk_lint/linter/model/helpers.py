"""Small helpers the rule modules share.  Rules import them through
:mod:`xxgk_lint.linter.model`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..diagnostics import Span

if TYPE_CHECKING:
    from .report import Report


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
