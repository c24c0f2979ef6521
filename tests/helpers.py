"""Shared helpers for tests: build a report from text, run rules on it."""

from __future__ import annotations

import pathlib

from xxgk_lint.linter.parse import build_report
from xxgk_lint.linter.readers import read
from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.runner import Settings, check_file


def report_from_text(tmp_path: pathlib.Path, text: str, name: str = "report.txt", **kwargs):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_report(read(str(path)), **kwargs)


def findings(path, select=("ALL",), **settings):
    registry = load_registry(include_plugins=False)
    rules = registry.select(list(select))
    result = check_file(str(path), registry, rules, Settings(list(select), [], **settings))
    return result


def findings_for_text(tmp_path, text, select=("ALL",), name="report.txt", **settings):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return findings(path, select, **settings)


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics]


def line_of(result, diag) -> int:
    return result.document.line_col(diag.span.start)[0]
