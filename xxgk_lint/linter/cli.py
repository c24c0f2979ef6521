"""Command line: ``xxgk-lint check | parse | rules | rule``.

Exit codes: 0 no finding at or above --fail-on (default error); 1 at least
one; 2 usage error, bad option, invalid configuration, a path that does not
exist, nothing to check, or a file that could not be read (the other files
are still checked; an E finding that is ignored or in the baseline does not
count).  --exit-zero turns 1 and unreadable files into 0, never a usage error.
"""

from __future__ import annotations

import os
import sys

import click

from .. import __version__
from .cli_i18n import classes as _chinese_classes
from .cli_i18n import install as _chinese_click
from .cli_run import EXIT_OK, EXIT_USAGE, HUMAN_FORMATS, _check_paths_exist, _default_cache_dir, _exit_code, \
    _full_results, _nothing_to_check, _read_stdin, _renamed, _run, _show_settings, _statistics, _stderr_is_terminal, \
    _summary
from .reporters import FORMATS
from .runner import DEFAULT_TIMEOUT
from .templates import VERSION_IDS

_chinese_click()  # click's own words (Usage, Options, errors) in Chinese, like our help texts


def _early_language(ctx, param, value):
    """--lang is eager: ``--lang en --help`` shows the help in English."""
    from .i18n import language

    if value:
        ctx.with_resource(language(value))
    return value


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@click.group(cls=_chinese_classes()[0], context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xxgk-lint")
def main() -> None:
    """政府信息公开工作年度报告合规检查工具。"""


def _pairs(values: tuple[str, ...], option: str, sep: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for value in values:
        key, found, rest = value.rpartition(sep) if sep == ":" else value.partition(sep)
        if not found or not key.strip() or not rest.strip():
            raise click.BadParameter(f"应写成“{'glob:代码,代码' if sep == ':' else '代码=级别'}”，实际是“{value}”",
                                     param_hint=option)
        out.setdefault(key.strip(), []).extend(v.strip() for v in rest.split(",") if v.strip())
    return out


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "--output-format", "fmt", type=click.Choice(list(FORMATS)), default="text",
              show_default=True, help="输出格式")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="把结果写入文件而不是标准输出")
@click.option("--select", multiple=True, help="只运行这些规则（代码、前缀或规则名，逗号分隔）；替换配置文件的选择")
@click.option("--extend-select", multiple=True, help="在配置的选择之外再运行这些规则")
@click.option("--ignore", multiple=True, help="不运行这些规则（代码、前缀或规则名，逗号分隔）")
@click.option("--per-file-ignores", multiple=True, metavar="GLOB:CODES", help="对匹配的文件不运行这些规则")
@click.option("--severity", "severity", multiple=True, metavar="CODE=LEVEL",
              help="调整规则级别：error、warning、info 或 off")
@click.option("--template", type=click.Choice(["auto", *VERSION_IDS]), default=None,
              help="按哪一版格式检查；默认 auto，按报告年度判断")
@click.option("--year", type=click.IntRange(2000, 2100), default=None, help="报告年度（覆盖自动识别）")
@click.option("--body-kind", type=click.Choice(["department", "government", "township"]), default=None,
              help="报告机关的类型（用于答复期限等规则）")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="有这一级别及以上的问题时退出码为 1（默认 error）")
@click.option("--exit-zero", is_flag=True, help="有问题（包括读不了的文件）时退出码也为 0（用法或配置错误仍为 2）")
@click.option("--statistics", is_flag=True, help="只输出每条规则的问题数")
@click.option("--show-settings", is_flag=True, help="显示使用的配置文件和生效的设置，不做检查")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="使用这个配置文件（不再逐级向上查找）")
@click.option("--isolated", is_flag=True, help="忽略所有配置文件")
@click.option("--exclude", multiple=True, metavar="GLOB", help="跳过匹配的文件（在配置的 exclude 之外）")
@click.option("--force-exclude", is_flag=True, help="命令行直接给出的文件也按 exclude 跳过（pre-commit 用）")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None,
              help="不报告基线文件中已接受的问题")
@click.option("--write-baseline", "write_baseline_file", type=click.Path(dir_okay=False), default=None,
              help="把当前全部问题写入基线文件")
@click.option("--previous", "previous", type=click.Path(exists=True), default=None,
              help="上一年度的报告，用于跨年度衔接检查（X 规则）：一个文件（只检查一个文件时），"
                   "或一个文件夹（为每份报告找出其中同一机关上一年度的报告）")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
              help="并行检查的进程数（默认 CPU 核数；1 表示不开子进程）")
@click.option("--no-cache", is_flag=True, help="不读也不写结果缓存")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None, envvar="XXGK_LINT_CACHE_DIR",
              help="结果缓存目录（默认为配置文件所在目录或当前目录下的 .xxgk-lint_cache；"
                   "也可用环境变量 XXGK_LINT_CACHE_DIR）")
@click.option("--timeout", type=click.FloatRange(0, None), default=DEFAULT_TIMEOUT, show_default=True,
              help="每个文件最多检查多少秒，超时的文件报告 E013 并停止检查它，其余文件照常检查；0 表示不限")
@click.option("--stdin-filename", default=None, metavar="文件名",
              help="从标准输入读取报告时（路径写作 -）使用的文件名：决定读取格式、适用的配置，并显示在结果中")
@click.option("-q", "--quiet", is_flag=True, help="只输出问题：不显示进度条、汇总和提示")
@click.option("--lang", type=click.Choice(["zh", "en"]), envvar="XXGK_LINT_LANG", default="zh", show_default=True,
              show_envvar=True, is_eager=True, callback=_early_language, help="问题说明的语言：zh 简体中文，en 英文")
# C901: the body is the plumbing of the command's 28 options, read top to bottom
def check(paths, fmt, output, select, extend_select, ignore, per_file_ignores, severity, template, year, body_kind,  # noqa: C901
          fail_on, exit_zero, statistics, show_settings, config_file, isolated, exclude, force_exclude,
          baseline_file, write_baseline_file, previous, jobs, no_cache, cache_dir, timeout, stdin_filename, quiet,
          lang) -> None:
    """检查报告文件或目录（默认当前目录；- 表示从标准输入读取）。"""
    from . import baseline as baseline_mod
    from .i18n import language
    from .i18n import text as tr
    from .config import ConfigError, Overrides, Resolver, describe
    from .registry import load_registry
    from .reporters import render
    from .runner import discover

    click.get_current_context().with_resource(language(lang))  # --lang / XXGK_LINT_LANG, until the command ends
    paths = paths or (("-",) if stdin_filename else (".",))
    registry = load_registry()
    for problem in registry.load_errors:
        click.echo(f"xxgk-lint: {problem}", err=True)
    severities = {k: v[-1] for k, v in _pairs(severity, "--severity", "=").items()}
    for key, level in severities.items():
        if level not in ("error", "warning", "info", "off"):
            raise click.BadParameter(f"“{key}”的级别应为 error、warning、info 或 off，实际是“{level}”",
                                     param_hint="--severity")
    cli = Overrides(select=_split(select) or None, extend_select=_split(extend_select), ignore=_split(ignore),
                    per_file_ignores=_pairs(per_file_ignores, "--per-file-ignores", ":"), severity=severities,
                    fail_on=fail_on, template=template, year=year, body_kind=body_kind, exclude=list(exclude))
    mentioned = (cli.select or []) + cli.extend_select + cli.ignore + list(severities) + [
        c for codes in cli.per_file_ignores.values() for c in codes]
    unknown = registry.unknown_selectors(mentioned)
    if unknown:
        raise click.UsageError(f"未知的规则代码或名称：{'、'.join(unknown)}（用 xxgk-lint rules 查看全部规则）")
    resolver = Resolver(registry, cli, config_file=config_file, isolated=isolated)
    _check_paths_exist(paths)
    stdin_file = _read_stdin(stdin_filename) if "-" in paths else None
    shown = {stdin_file: stdin_filename or "-"} if stdin_file else {}
    try:
        files, seen, excluded = [], set(), 0
        for path, explicit in discover([stdin_file if p == "-" else p for p in paths]):
            key = os.path.normcase(os.path.abspath(path))
            if key in seen:  # a file named and also found in a named folder is checked once
                continue
            seen.add(key)
            settings = resolver.settings_for(shown.get(path, path))
            if (force_exclude or not explicit) and settings.excluded(shown.get(path, path)):
                excluded += explicit
                continue
            files.append((path, settings))
        if show_settings:
            _show_settings(files or [(p, resolver.settings_for(p)) for p in paths], registry, describe)
            sys.exit(EXIT_OK)
    except ConfigError as exc:
        click.echo(f"xxgk-lint: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if not files:
        _nothing_to_check(paths, excluded, quiet)  # exits, unless every named file was excluded on purpose
    if previous and not os.path.isdir(previous) and len(files) > 1:
        raise click.UsageError("--previous 给出一个文件时只能检查一个文件；检查多个文件时，同一机关相邻年度的报告"
                               "会自动配对，也可以用 --previous 给出存放上年报告的文件夹")
    progress = not quiet and _stderr_is_terminal() and len(files) > 1
    if fmt == "html" and not statistics:
        results = _full_results(files, registry, previous, timeout)
    else:
        results = _run(files, registry, fmt=fmt, jobs=jobs, previous=previous, statistics=statistics,
                       cache_dir=None if no_cache else (cache_dir or _default_cache_dir(config_file, isolated)),
                       timeout=timeout or None, progress=progress)
    if shown:
        results = _renamed(results, shown)
    fail_levels = {shown.get(path, path): settings.fail_on for path, settings in files}

    if write_baseline_file:
        count = baseline_mod.write(write_baseline_file, results)
        click.echo("xxgk-lint: " + tr(f"已把 {count} 个问题写入基线文件 {write_baseline_file}",
                                      f"wrote {count} findings to the baseline file {write_baseline_file}"), err=True)
        sys.exit(EXIT_OK)  # every finding is accepted now, E findings of unreadable files too
    if baseline_file:
        results = list(results)  # the baseline drops findings from the results themselves
        try:
            table = baseline_mod.load(baseline_file)
        except baseline_mod.BaselineError as exc:
            click.echo(f"xxgk-lint: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        dropped = baseline_mod.apply(results, table, baseline_file)
        if dropped and not quiet:
            click.echo("xxgk-lint: " + tr(f"基线中已接受的 {dropped} 个问题未列出",
                                          f"{dropped} findings accepted in the baseline are not listed"), err=True)

    if output and os.path.dirname(output):
        os.makedirs(os.path.dirname(output), exist_ok=True)
    out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    summary_shown = False
    try:
        if statistics:
            _statistics(results, fmt, out)
        else:
            render(fmt, results, registry, out, fail_levels)
            if fmt in HUMAN_FORMATS and len(results) > 1 and not quiet:
                _summary(results, out if fmt == "text" else sys.stderr)
                summary_shown = not output or fmt != "text"
    finally:
        if output:
            out.close()
    if not quiet and not summary_shown and _stderr_is_terminal() and (output or fmt not in HUMAN_FORMATS):
        # whatever the format, the terminal gets a summary (text and concise on
        # the terminal already end with their own count)
        _summary(results, sys.stderr)
    sys.exit(_exit_code(results, fail_levels, exit_zero))


@main.command()
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--template", type=click.Choice(["auto", *VERSION_IDS]), default="auto", show_default=True)
@click.option("--year", type=click.IntRange(2000, 2100), default=None)
@click.option("--timeout", type=click.FloatRange(0, None), default=DEFAULT_TIMEOUT, show_default=True,
              help="最多读取和分析多少秒，超时报告 E013；0 表示不限")
@click.option("--lang", type=click.Choice(["zh", "en"]), envvar="XXGK_LINT_LANG", default="zh", show_default=True,
              show_envvar=True, is_eager=True, callback=_early_language, help="输出的语言：zh 简体中文，en 英文")
def parse(path, fmt, template, year, timeout, lang) -> None:
    """显示工具对一份报告的理解：格式版本、年度、统计期限、章节和表格。"""
    from .explain import explain_json, explain_text
    from .parse import build_report
    from .readers import ReadError, read
    from .runner import FileTimeout, not_readable, time_limit

    try:
        # a FIFO or a link to /dev/zero would hang the read: refused first, like check does
        error = not_readable(path)
        if error is not None:
            raise error
        with time_limit(timeout or None):
            report = build_report(read(path), template=template, year=year)
    except ReadError as exc:
        click.echo(f"{path}: {exc.code} {exc.message}", err=True)
        sys.exit(EXIT_USAGE)
    except FileTimeout:
        click.echo(f"{path}: E013 读取和分析这个文件超过了 {timeout:g} 秒的时间限制，已停止（可用 --timeout 调整）",
                   err=True)
        sys.exit(EXIT_USAGE)
    if fmt == "json":
        import json

        click.echo(json.dumps(explain_json(report), ensure_ascii=False, indent=2, default=str))
    else:
        explain_text(report, sys.stdout)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（默认只允许本机访问）")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="端口（0 表示自动选一个空闲端口）")
@click.option("--open", "open_browser", is_flag=True, help="启动后自动打开浏览器")
def serve(host, port, open_browser) -> None:
    """启动本机检查网页：在浏览器中拖入报告即可检查。"""
    try:
        from .webapp import ServeError
        from .webapp import serve as run
    except ImportError as exc:
        raise click.ClickException(f"网页功能需要 starlette、uvicorn 和 python-multipart：{exc}") from exc
    try:
        run(host=host, port=port, open_browser=open_browser)
    except ServeError as exc:
        click.echo(f"xxgk-lint: {exc}", err=True)
        sys.exit(EXIT_USAGE)


@main.command()
@click.argument("path")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="带批注的副本写到哪里（默认：原文件名-检查意见.docx）")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="使用这个配置文件")
@click.option("--isolated", is_flag=True, help="忽略所有配置文件")
def annotate(path, output, config_file, isolated) -> None:
    """把检查结果写成 Word 批注：生成原 .docx 的副本，每个问题一条批注（原文件不改动）。"""
    from .annotate import run as run_annotate

    sys.exit(run_annotate(path, output, config_file, isolated))


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(fmt) -> None:
    """列出全部规则。"""
    from .registry import load_registry

    registry = load_registry()
    for problem in registry.load_errors:
        click.echo(f"xxgk-lint: {problem}", err=True)
    items = sorted(registry.rules.values(), key=lambda r: r.code)
    if fmt == "json":
        import json

        click.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.value,
                                "summary": r.summary, "origin": r.origin} for r in items],
                              ensure_ascii=False, indent=2))
        return
    for r in items:
        click.echo(f"{r.code}  {r.name:<28} {r.severity.value:<8} {r.summary}")


@main.command("rule")
@click.argument("code")
def rule_command(code) -> None:
    """显示一条规则的说明（代码或规则名）。"""
    from .registry import load_registry

    from .ruledocs import render_page

    registry = load_registry()
    for problem in registry.load_errors:
        click.echo(f"xxgk-lint: {problem}", err=True)
    found = registry.get(code)
    if found is None:
        raise click.UsageError(f"没有规则“{code}”（用 xxgk-lint rules 查看全部规则）")
    click.echo(render_page(found), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
