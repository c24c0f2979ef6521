"""What ``xxgk-lint check`` does once its options are read (``cli.py``): the checked
paths, standard input, the run (a progress bar on a terminal), the summary, the
statistics, the settings shown, and the exit code.
"""

from __future__ import annotations

import os
import sys

import click

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _exit_code(results, fail_levels, exit_zero: bool) -> int:
    """2 when a file could not be read (its E finding neither ignored nor in
    the baseline), 1 when a finding is at or above --fail-on; --exit-zero: 0."""
    from .diagnostics import severity_rank
    from .runner import READ_CODES

    if exit_zero:
        return EXIT_OK
    if any(d.code in READ_CODES for _, diags in _findings(results) for d in diags):
        return EXIT_USAGE
    failing = any(d.severity.rank >= severity_rank(fail_levels.get(path, "error"))
                  for path, diags in _findings(results) for d in diags)
    return EXIT_FINDINGS if failing else EXIT_OK


def _stderr_is_terminal() -> bool:
    """Whether stderr is a terminal: progress and a summary are shown there."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _check_paths_exist(paths) -> None:
    """A path that does not exist is a usage error naming it (a typo must not
    look like a file of an unsupported type, nor a folder with no report)."""
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        from .i18n import text as tr

        raise click.UsageError(tr("路径不存在：" + "、".join(f"“{p}”" for p in missing),
                                  "no such file or folder: " + ", ".join(f"“{p}”" for p in missing)))
    if list(paths).count("-") > 1:
        raise click.UsageError("标准输入（-）只能给出一次")


def _nothing_to_check(paths, excluded: int, quiet: bool) -> None:
    """No file is left to check: exit 2 (a run that checked nothing must not
    pass) -- except when every file named was excluded by the configuration
    on purpose (--force-exclude, as pre-commit passes them): then the run goes
    on with no file (an empty report in the chosen format) and exits 0."""
    from .i18n import text as tr
    from .readers import supported_extensions

    if excluded and excluded == len(paths):
        if not quiet:
            click.echo("xxgk-lint: " + tr("给出的文件都被配置的 exclude 排除，没有检查任何文件",
                                          "every file given is excluded by the configuration; nothing was checked"),
                       err=True)
        return
    click.echo("xxgk-lint: " + tr(f"没有找到要检查的报告文件（在 {'、'.join(paths)} 中；支持的扩展名："
                                  f"{'、'.join(supported_extensions())}）",
                                  f"no report to check was found (in {', '.join(paths)}; supported extensions: "
                                  f"{', '.join(supported_extensions())})"), err=True)
    sys.exit(EXIT_USAGE)


def _read_stdin(stdin_filename: str | None) -> str:
    """Standard input saved to a temporary file named like ``--stdin-filename``
    (the extension picks the reader); removed when the command ends."""
    import shutil
    import tempfile

    name = os.path.basename(stdin_filename or "") or "stdin.txt"
    folder = tempfile.mkdtemp(prefix="xxgk-lint-stdin-")
    click.get_current_context().call_on_close(lambda: shutil.rmtree(folder, ignore_errors=True))
    path = os.path.join(folder, name)
    with open(path, "wb") as fh:
        shutil.copyfileobj(click.get_binary_stream("stdin"), fh)
    return path


def _renamed(results, shown: dict):
    """Results with the temporary file of standard input shown under its name."""
    if hasattr(results, "rename"):
        results.rename(shown)
        return results
    for result in results:
        result.path = shown.get(result.path, result.path)
    return results


# formats for people: a progress bar on a terminal and a summary at the end
HUMAN_FORMATS = ("text", "concise")
# formats that never show a source line (the others get the lines of findings)
NO_EXCERPT_FORMATS = ("concise", "json", "json-lines", "sarif", "github", "junit", "csv")


def _default_cache_dir(config_file, isolated) -> str:
    import os

    from .cache import default_dir
    from .config import find_config

    return default_dir(config_file or (None if isolated else find_config(os.getcwd())))


def _run(files, registry, *, fmt, jobs, previous, statistics, cache_dir, timeout, progress):
    """Check ``files`` (with a progress bar on stderr when ``progress``)."""
    from . import batch
    from .cache import Cache

    options = dict(jobs=jobs, previous=previous, cache=Cache(cache_dir) if cache_dir else None,
                   need_lines=fmt not in NO_EXCERPT_FORMATS and not statistics, timeout=timeout)
    if not progress:
        return batch.run(files, registry, **options)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("检查"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("check", total=len(files))
        return batch.run(files, registry, progress=lambda done, total: bar.update(task, completed=done, total=total),
                         **options)


def _full_results(files, registry, previous, timeout):
    """Whole documents and models, for the HTML report (text, tables, cells)."""
    from .batch import previous_for
    from .runner import check_file, parse_file

    results = []
    for path, settings in files:
        before = previous_for(path, previous, timeout)
        results.append(check_file(path, registry, settings.rules_for(path, registry), settings,
                                  previous=parse_file(before, timeout) if before else None, timeout=timeout or None))
    return results


def _findings(results):
    """(path, findings) per file; findings have code, rule and severity.
    Batch results answer without decoding every file again."""
    if hasattr(results, "findings"):
        return results.findings()
    return ((r.path, r.diagnostics) for r in results)


def _summary(results, out, top: int = 10) -> None:
    """Files checked, files with errors, findings per rule, files with most errors."""
    from collections import Counter

    per_rule: Counter = Counter()
    per_level: Counter = Counter()
    meta, errors = {}, Counter()
    for path, diags in _findings(results):
        for d in diags:
            per_rule[d.code] += 1
            per_level[d.severity.value] += 1
            meta[d.code] = (d.rule, d.severity.value)
            if d.severity.value == "error":
                errors[path] += 1
    from .i18n import text as tr

    total = sum(per_rule.values())
    from .reporters.text import severity_counts

    split = f"（{severity_counts(per_level, 'zh')}）" if total else ""
    split_en = f" ({severity_counts(per_level, 'en')})" if total else ""
    out.write("\n" + tr(f"汇总：检查了 {len(results)} 个文件，{len(errors)} 个文件有错误，共 {total} 个问题{split}。",
                        f"Summary: {len(results)} files checked, {len(errors)} with errors, {total} findings"
                        f"{split_en}.") + "\n")
    if per_rule:
        out.write(tr("各规则的问题数：", "Findings per rule:") + "\n")
        for code, n in sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            out.write(f"{n:>7}  {code:<6} {meta[code][0]:<30} {meta[code][1]}\n")
    if errors:
        out.write(tr(f"错误最多的文件（前 {min(top, len(errors))} 个）：",
                     f"Files with the most errors (top {min(top, len(errors))}):") + "\n")
        for path, n in sorted(errors.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
            out.write(f"{n:>7}  {path}\n")


def _show_settings(files, registry, describe) -> None:
    import json

    from .i18n import text as tr

    shown: dict[str | None, list[str]] = {}
    settings_of = {}
    for path, settings in files:
        shown.setdefault(settings.config_path, []).append(path)
        settings_of[settings.config_path] = settings
    for config_path, paths in shown.items():
        settings = settings_of[config_path]
        click.echo(tr(f"配置文件：{config_path or '（未找到配置文件，使用默认设置）'}",
                      f"Configuration: {config_path or '(none found: the defaults)'}"))
        click.echo(tr(f"适用于：{'、'.join(paths[:5])}{' 等 %d 个文件' % len(paths) if len(paths) > 5 else ''}",
                      f"For: {', '.join(paths[:5])}{' and others, %d files' % len(paths) if len(paths) > 5 else ''}"))
        data = describe(settings, registry)
        data["rules"] = [r.code for r in settings.rules_for(paths[0], registry)]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _statistics(results, fmt: str, out) -> None:
    from collections import Counter

    counts: Counter = Counter()
    meta = {}
    for _, diags in _findings(results):
        for d in diags:
            counts[d.code] += 1
            meta[d.code] = (d.rule, d.severity.value)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if fmt in ("json", "json-lines"):
        import json

        items = [{"code": c, "rule": meta[c][0], "severity": meta[c][1], "count": n} for c, n in rows]
        out.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
        return
    for code, n in rows:
        out.write(f"{n:>5}  {code:<6} {meta[code][0]:<30} {meta[code][1]}\n")
    from .i18n import text as tr

    out.write(f"{sum(counts.values()):>5}  " + tr(f"合计（{len(results)} 个文件）", f"total ({len(results)} files)")
              + "\n")
