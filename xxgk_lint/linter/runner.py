"""Runs the pipeline on each path: read -> parse -> rules -> sorted findings.

A file that cannot be read or understood yields an E finding; it never stops
the other files, and no exception reaches the user as a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .diagnostics import Diagnostic, FileResult, Severity, Span
from .registry import Registry, Rule


@dataclass
class Settings:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    template: str = "auto"
    year: int | None = None


def iter_files(paths: Iterable[str]) -> Iterator[str]:
    """Files as given, and supported files found under directories (sorted)."""
    from .readers import supported_extensions

    exts = tuple(supported_extensions())
    for path in paths:
        if os.path.isdir(path):
            found = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(os.path.join(root, f) for f in files if f.lower().endswith(exts))
            yield from sorted(found)
        else:
            yield path


def _error(path: str, code: str, message: str, data: dict | None = None) -> FileResult:
    return FileResult(path, [Diagnostic(message, None, code, "", None, data or {})])


def check_file(path: str, registry: Registry, rules: list[Rule], settings: Settings) -> FileResult:
    from .parse import build_report
    from .readers import ReadError, read

    try:
        document = read(path)
    except ReadError as exc:
        return _finish(_error(path, exc.code, exc.message, exc.data), registry)
    except Exception as exc:  # a reader bug must not hide the other files
        return _finish(_error(path, "E009", f"读取文件时发生内部错误：{type(exc).__name__}: {exc}"), registry)
    try:
        report = build_report(document, template=settings.template, year=settings.year)
    except Exception as exc:
        result = _error(path, "E009", f"解析报告时发生内部错误：{type(exc).__name__}: {exc}")
        result.document = document
        return _finish(result, registry)
    diagnostics: list[Diagnostic] = []
    for rule_ in rules:
        try:
            found = list(rule_.check(report))
        except Exception as exc:
            found = [Diagnostic(f"规则 {rule_.code}（{rule_.name}）执行出错：{type(exc).__name__}: {exc}",
                                None, "E009", "", Severity.ERROR)]
        for diag in found:
            diag.code = diag.code or rule_.code
            diag.rule = diag.rule or rule_.name
            diag.severity = diag.severity or rule_.severity
        diagnostics.extend(found)
    return _finish(FileResult(path, diagnostics, document, report), registry)


def _finish(result: FileResult, registry: Registry) -> FileResult:
    for diag in result.diagnostics:
        known = registry.rules.get(diag.code)
        if known is not None:
            diag.rule = diag.rule or known.name
            diag.severity = diag.severity or known.severity
        diag.rule = diag.rule or "internal-error"
        diag.severity = diag.severity or Severity.ERROR
    result.diagnostics.sort(key=lambda d: ((d.span or Span(0, 0)).start, d.code))
    return result


def check_paths(paths: Iterable[str], registry: Registry, settings: Settings) -> list[FileResult]:
    rules = registry.select(settings.select, settings.ignore)
    results = []
    for path in iter_files(paths):
        results.append(check_file(path, registry, rules, settings))
    return results
