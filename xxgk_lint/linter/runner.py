"""Runs the pipeline on each path: read -> parse -> rules -> sorted findings.

A file that cannot be read or understood yields an E finding; it never stops
the other files, and no exception reaches the user as a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .diagnostics import Diagnostic, FileResult, Severity, Span
from .i18n import bilingual
from .registry import Registry, Rule, matches


# findings the runner itself reports when a file cannot be read (readers'
# ReadError codes and internal errors): exit code 2, and no comment or
# configuration hides them
READ_CODES = frozenset({"E001", "E002", "E003", "E004", "E005", "E006", "E007", "E008", "E009", "E012"})


@dataclass
class Settings:
    """Effective settings for one file (see config.py for where they come from).

    The runner puts them on the report as ``report.settings`` so rules can read
    e.g. ``body_kind`` (department | government | township, or None).
    """

    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    template: str = "auto"
    year: int | None = None
    # (base directory, glob, selectors): extra ignores for matching files
    per_file_ignores: list[tuple[str, str, list[str]]] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # selector -> error|warning|info|off
    fail_on: str = "error"
    body_kind: str | None = None
    exclude: list[tuple[str, str]] = field(default_factory=list)  # (base directory, glob)
    config_path: str | None = None

    def ignores_for(self, path: str) -> list[str]:
        from .config import glob_matches

        extra = [c for base, glob, codes in self.per_file_ignores if glob_matches(glob, path, base) for c in codes]
        return list(self.ignore) + extra

    def excluded(self, path: str) -> bool:
        from .config import glob_matches

        return any(glob_matches(glob, path, base) for base, glob in self.exclude)

    def severity_for(self, rule_: Rule) -> str | None:
        """The configured level of a rule: the most specific selector wins
        (code or name, then the longest prefix, then ALL)."""
        best, best_rank = None, -1
        for selector, level in self.severity.items():
            if not matches(rule_, selector):
                continue
            s = selector.strip()
            rank = 100 if s.upper() == rule_.code or s == rule_.name else (0 if s.upper() == "ALL" else len(s))
            if rank > best_rank:
                best, best_rank = level, rank
        return best

    def rules_for(self, path: str, registry: Registry) -> list[Rule]:
        """Selected rules for ``path``.  Rules from plugins run only when a
        selector other than ALL names them (installing a pack is not enough)."""
        chosen = registry.select(self.select, self.ignores_for(path))
        explicit = [s for s in self.select if s.strip().upper() != "ALL"]
        return [r for r in chosen
                if (r.origin == "builtin" or any(matches(r, s) for s in explicit))
                and self.severity_for(r) != "off"]


# a repository's own documents, never a report: skipped when a folder is walked
# (named on the command line, they are checked like any file)
REPOSITORY_DOCUMENTS = frozenset({"readme", "changelog", "changes", "history", "news", "license", "licence",
                                  "copying", "notice", "authors", "contributing", "code_of_conduct", "security"})


def iter_files(paths: Iterable[str]) -> Iterator[str]:
    """Files as given, and supported files found under directories (sorted)."""
    from .readers import supported_extensions

    exts = tuple(supported_extensions())
    for path in paths:
        if os.path.isdir(path):
            found = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(os.path.join(root, f) for f in files if f.lower().endswith(exts)
                             and f.split(".", 1)[0].lower() not in REPOSITORY_DOCUMENTS)
            yield from sorted(found)
        else:
            yield path


def discover(paths: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """(file, given explicitly) for each path; directories are walked."""
    for path in paths:
        if os.path.isdir(path):
            for found in iter_files([path]):
                yield found, False
        else:
            yield path, True


def _error(path: str, code: str, message: str, data: dict | None = None) -> FileResult:
    return FileResult(path, [Diagnostic(message, None, code, "", None, data or {})])


def parse_file(path: str):
    """The report model of ``path`` as a previous report (template and year
    detected from it, not from the checked file's settings), or None when it
    cannot be read or parsed -- the file's own check reports why."""
    from .parse import build_report
    from .readers import read

    try:
        return build_report(read(path))
    except Exception:
        return None


def check_file(path: str, registry: Registry, rules: list[Rule], settings: Settings,
               previous=None) -> FileResult:
    """Check one file.  ``previous`` is last year's report model of the same
    agency (X rules compare against it), or None."""
    from .parse import build_report
    from .readers import ReadError, read

    try:
        document = read(path)
    except ReadError as exc:
        return _finish(_error(path, exc.code, exc.message, exc.data), registry)
    except Exception as exc:  # a reader bug must not hide the other files
        return _finish(_error(path, "E009", bilingual(f"读取文件时发生内部错误：{type(exc).__name__}: {exc}",
                                                      f"Internal error while reading the file: {type(exc).__name__}: {exc}")),
                       registry)
    try:
        report = build_report(document, template=settings.template, year=settings.year)
    except Exception as exc:
        result = _error(path, "E009", bilingual(f"解析报告时发生内部错误：{type(exc).__name__}: {exc}",
                                                f"Internal error while parsing the report: {type(exc).__name__}: {exc}"))
        result.document = document
        return _finish(result, registry)
    report.settings = settings  # rules read e.g. settings.body_kind
    report.previous = previous
    if previous is not None:  # digit runs with several readings, by last year's report
        from .digitruns import settle_with_previous
        settle_with_previous(report)
    diagnostics: list[Diagnostic] = []
    for rule_ in rules:
        try:
            found = list(rule_.check(report))
        except Exception as exc:
            found = [Diagnostic(f"规则 {rule_.code}（{rule_.name}）执行出错：{type(exc).__name__}: {exc}",
                                None, "E009", "", Severity.ERROR,
                                message_en=f"Rule {rule_.code} ({rule_.name}) failed: {type(exc).__name__}: {exc}")]
        for diag in found:
            diag.code = diag.code or rule_.code
            diag.rule = diag.rule or rule_.name
            diag.severity = diag.severity or rule_.severity
        diagnostics.extend(found)
    diagnostics = _suppress(document, diagnostics, registry, {r.code for r in rules})
    result = _finish(FileResult(path, diagnostics, document, report), registry)
    _override_severity(result, registry, settings)
    return result


def _suppress(document, diagnostics: list[Diagnostic], registry: Registry, run_codes: set[str]) -> list[Diagnostic]:
    """Apply comment directives of text formats; add U100/U101 when selected."""
    from . import suppress

    if document.format not in suppress.TEXT_FORMATS or "xxgk-lint" not in document.text:
        return diagnostics
    directives = suppress.parse_directives(document.text)
    if not directives:
        return diagnostics
    kept = suppress.apply(diagnostics, directives)
    for diag in suppress.unused(directives, registry, run_codes):
        if diag.code in run_codes:
            kept.append(diag)
    return kept


def _override_severity(result: FileResult, registry: Registry, settings: Settings) -> None:
    if not settings.severity:
        return
    for diag in result.diagnostics:
        known = registry.rules.get(diag.code)
        level = settings.severity_for(known) if known is not None else None
        if level and level != "off":
            diag.severity = Severity(level)


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


def check_paths(paths: Iterable[str], registry: Registry, settings) -> list[FileResult]:
    """Check every file.  ``settings`` is one Settings for all files, or a
    callable giving each file's Settings (its nearest configuration)."""
    results = []
    for path in iter_files(paths):
        file_settings = settings(path) if callable(settings) else settings
        results.append(check_file(path, registry, file_settings.rules_for(path, registry), file_settings))
    return results
