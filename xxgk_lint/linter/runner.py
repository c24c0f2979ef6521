"""Runs the pipeline on each path: read -> parse -> rules -> sorted findings.

A file that cannot be read or understood yields an E finding; it never stops
the other files, and no exception reaches the user as a traceback.
"""

from __future__ import annotations

import contextlib
import os
import stat
from typing import Iterable, Iterator

from .diagnostics import Diagnostic, FileResult, Severity, Span
from .catalogue import msg
from .registry import Registry, Rule, matches
from .settings import Settings  # re-exported: callers import Settings from the runner


# findings the runner itself reports when a file cannot be read (readers'
# ReadError codes and internal errors): exit code 2, and no comment or
# configuration hides them
READ_CODES = frozenset({"E001", "E002", "E003", "E004", "E005", "E006", "E007", "E008", "E009", "E012", "E013"})

# the time one file may take by default (CLI and batch): --timeout
DEFAULT_TIMEOUT = 60.0


class FileTimeout(BaseException):
    """Raised in the checking code by the SIGALRM of :func:`time_limit`.  A
    BaseException, so that no reader's ``except Exception`` swallows it."""


# a repository's own documents, never a report: skipped when a folder is walked
# (named on the command line, they are checked like any file)
REPOSITORY_DOCUMENTS = frozenset({"readme", "changelog", "changes", "history", "news", "license", "licence",
                                  "copying", "notice", "authors", "contributing", "code_of_conduct", "security"})


def iter_files(paths: Iterable[str], gitignore: bool = True) -> Iterator[str]:
    """Files as given, and supported files found under directories (sorted).

    Walking a folder yields, besides supported files, every entry that would
    be checked but is not a regular file (a FIFO, a socket, a symlink to a
    device: the check reports it) and every folder that cannot be listed (so
    that a folder whose contents were not seen is never a silent pass).
    Files ignored by git (``.gitignore``, when the folder is in a git work
    tree) are skipped, like ruff does."""
    from .readers import supported_extensions

    exts = tuple(supported_extensions())
    for path in paths:
        if os.path.isdir(path):
            found, problems = [], []

            def unlistable(exc: OSError, problems=problems, path=path) -> None:  # bound: B023
                problems.append(exc.filename or path)

            for root, dirs, files in os.walk(path, onerror=unlistable):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(os.path.join(root, f) for f in files if f.lower().endswith(exts)
                             and f.split(".", 1)[0].lower() not in REPOSITORY_DOCUMENTS)
            if gitignore:
                found = _not_git_ignored(path, found)
            yield from sorted(found + problems)
        else:
            yield path


def _not_git_ignored(folder: str, files: list[str]) -> list[str]:
    """``files`` without those git ignores (one ``git check-ignore`` for all);
    all of them when the folder is not in a git work tree or git is missing."""
    import shutil
    import subprocess

    if not files or shutil.which("git") is None:
        return files
    try:
        run = subprocess.run(["git", "-C", folder, "check-ignore", "--stdin", "-z"],
                             input="\0".join(os.path.relpath(f, folder) for f in files).encode("utf-8"),
                             capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return files
    if run.returncode not in (0, 1):  # 128: not a git work tree
        return files
    ignored = {os.path.normpath(os.path.join(folder, p)) for p in run.stdout.decode("utf-8", "replace").split("\0")
               if p}
    return [f for f in files if os.path.normpath(f) not in ignored]


def discover(paths: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """(file, given explicitly) for each path; directories are walked."""
    for path in paths:
        if os.path.isdir(path):
            for found in iter_files([path]):
                yield found, False
        else:
            yield path, True


_FILE_KINDS = ((stat.S_ISFIFO, msg("E001", "fifo")), (stat.S_ISCHR, msg("E001", "char_device")),
               (stat.S_ISBLK, msg("E001", "block_device")), (stat.S_ISSOCK, msg("E001", "socket")))


def not_readable(path: str):
    """A ReadError (E001) when ``path`` is not a regular file that can be
    opened: a folder (a folder that could not be listed when walking), a
    FIFO or device (reading one hangs or never ends), a file without read
    permission.  None otherwise (a missing file is the reader's E001)."""
    from .readers import ReadError

    try:
        st = os.stat(path)  # follows symlinks: a link to /dev/zero is a device
    except OSError:
        return None
    if stat.S_ISDIR(st.st_mode):
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            return ReadError.of("E001", "folder_unlisted", {"kind": "folder"}, reason=exc.strerror or exc)
        return ReadError.of("E001", "folder", {"kind": "folder"})
    if not stat.S_ISREG(st.st_mode):
        kind = next((kind for test, kind in _FILE_KINDS if test(st.st_mode)), msg("E001", "special_file"))
        return ReadError.of("E001", "not_regular", {"kind": "special"}, kind=kind)
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        return _permission_error(exc)
    return None


def _permission_error(exc: OSError):
    from .readers import ReadError

    return ReadError.of("E001", "permission", {"errno": exc.errno}, reason=exc.strerror or exc)


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`FileTimeout` in this thread after ``seconds``.  A real
    interruption (SIGALRM), not a flag checked later: a loop in Python code,
    a regular expression or a blocking read stops there.  Only in the main
    thread of a process on a system with SIGALRM (a worker process of the
    batch is one); elsewhere no limit."""
    import signal
    import threading

    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise FileTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _worker_died(path: str) -> FileResult:
    return FileResult(path, [Diagnostic.of("E013", "worker_died", data={"limit": "memory"})])


def _timed_out(path: str, seconds: float) -> FileResult:
    return FileResult(path, [Diagnostic.of("E013", "timed_out", data={"limit_seconds": seconds, "limit": "time"},
                                           seconds=seconds)])


def _internal_data(exc: BaseException) -> dict:
    """What an internal error (E009) records: a MemoryError is the memory running out
    (a worker's limit), not a bug; the web page answers it as such."""
    return {"reason": "memory" if isinstance(exc, MemoryError) else "internal", "exception": type(exc).__name__}


def _internal(path: str, when: str, exc: BaseException) -> FileResult:
    """An E009 finding for ``exc`` raised ``when`` (the message E009.reading, E009.parsing)."""
    return FileResult(path, [Diagnostic.of("E009", when, data=_internal_data(exc), name=type(exc).__name__,
                                           exc=str(exc))])


def _error(path: str, code: str, message: str, data: dict | None = None) -> FileResult:
    return FileResult(path, [Diagnostic(message, None, code, "", None, data or {})])


def parse_file(path: str, timeout: float | None = None):
    """The report model of ``path`` as a previous report (template and year
    detected from it, not from the checked file's settings), or None when it
    cannot be read or parsed (in ``timeout`` seconds) -- the file's own check
    reports why."""
    from .parse import build_report
    from .readers import read

    try:
        with time_limit(timeout):
            if not_readable(path) is not None:
                return None
            return build_report(read(path))
    except (Exception, FileTimeout):
        return None


def check_file(path: str, registry: Registry, rules: list[Rule], settings: Settings,
               previous=None, timeout: float | None = None) -> FileResult:
    """Check one file.  ``previous`` is last year's report model of the same
    agency (X rules compare against it), or None.  ``timeout`` (seconds)
    stops a file that takes longer with an E013 finding naming the limit."""
    try:
        with time_limit(timeout):
            result = _check_file(path, registry, rules, settings, previous)
    except FileTimeout:
        result = _finish(_timed_out(path, timeout), registry)
    _drop_ignored_read_errors(result, registry, settings)
    return result


def _drop_ignored_read_errors(result: FileResult, registry: Registry, settings: Settings) -> None:
    """E findings of reading are findings like the others: an ``ignore``
    (configuration, --ignore, per-file-ignores) or ``severity = off`` that
    names one drops it.  Not selecting them is not enough: a ``select`` of
    other rules must not turn an unreadable file into a silent pass."""
    if not any(d.code in READ_CODES for d in result.diagnostics):
        return
    ignores = settings.ignores_for(result.path)
    kept = []
    for diag in result.diagnostics:
        known = registry.rules.get(diag.code)
        if diag.code in READ_CODES and known is not None and (
                any(matches(known, s) for s in ignores) or settings.severity_for(known) == "off"):
            continue
        kept.append(diag)
    result.diagnostics = kept
    _override_severity(result, registry, settings)


def _check_file(path: str, registry: Registry, rules: list[Rule], settings: Settings, previous) -> FileResult:
    from .parse import build_report
    from .readers import ReadError, read

    try:
        problem = not_readable(path)
        if problem is not None:
            raise problem
        document = read(path)
    except ReadError as exc:
        return _finish(_error(path, exc.code, exc.message, exc.data), registry)
    except PermissionError as exc:
        problem = _permission_error(exc)
        return _finish(_error(path, problem.code, problem.message, problem.data), registry)
    except Exception as exc:  # a reader bug must not hide the other files
        return _finish(_internal(path, "reading", exc), registry)
    try:
        report = build_report(document, template=settings.template, year=settings.year)
    except Exception as exc:
        result = _internal(path, "parsing", exc)
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
            found = [Diagnostic.of("E009", "rule_failed", severity=Severity.ERROR, data=_internal_data(exc),
                                   rule_code=rule_.code, rule_name=rule_.name, name=type(exc).__name__, exc=str(exc))]
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
