"""Command line: ``xxgk-lint check | parse | rules | rule``.

Exit codes: 0 no error-level finding; 1 at least one; 2 usage error, bad
option, or a file that could not be read (the other files are still checked).
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from .reporters import FORMATS
from .templates import VERSION_IDS

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xxgk-lint")
def main() -> None:
    """政府信息公开工作年度报告合规检查工具。"""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="输出格式")
@click.option("--select", multiple=True, help="只运行这些规则（代码、前缀或规则名，逗号分隔）")
@click.option("--ignore", multiple=True, help="不运行这些规则（代码、前缀或规则名，逗号分隔）")
@click.option("--template", type=click.Choice(["auto", *VERSION_IDS]), default="auto", show_default=True,
              help="按哪一版格式检查；auto 按报告年度判断")
@click.option("--year", type=click.IntRange(2000, 2100), default=None, help="报告年度（覆盖自动识别）")
def check(paths, fmt, select, ignore, template, year) -> None:
    """检查报告文件或目录。"""
    from .registry import load_registry
    from .reporters import render
    from .runner import Settings, check_paths

    registry = load_registry()
    for problem in registry.load_errors:
        click.echo(f"xxgk-lint: {problem}", err=True)
    selected, ignored = _split(select) or ["ALL"], _split(ignore)
    unknown = registry.unknown_selectors(selected + ignored)
    if unknown:
        raise click.UsageError(f"未知的规则代码或名称：{'、'.join(unknown)}（用 xxgk-lint rules 查看全部规则）")
    missing = [p for p in paths if not _exists(p)]
    settings = Settings(selected, ignored, template, year)
    results = check_paths(paths, registry, settings)
    render(fmt, results, registry, sys.stdout)
    unreadable = any(d.code.startswith("E") and d.code in _READ_CODES for r in results for d in r.diagnostics)
    if unreadable or missing:
        sys.exit(EXIT_USAGE)
    if any(d.severity.value == "error" for r in results for d in r.diagnostics):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


# findings that mean "this file could not be read" (exit 2, like a usage error)
_READ_CODES = {"E001", "E002", "E003", "E004", "E005", "E009"}


def _exists(path: str) -> bool:
    import os

    return os.path.exists(path)


@main.command()
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--template", type=click.Choice(["auto", *VERSION_IDS]), default="auto", show_default=True)
@click.option("--year", type=click.IntRange(2000, 2100), default=None)
def parse(path, fmt, template, year) -> None:
    """显示工具对一份报告的理解：格式版本、年度、统计期限、章节和表格。"""
    from .explain import explain_json, explain_text
    from .parse import build_report
    from .readers import ReadError, read

    try:
        document = read(path)
    except ReadError as exc:
        click.echo(f"{path}: {exc.code} {exc.message}", err=True)
        sys.exit(EXIT_USAGE)
    report = build_report(document, template=template, year=year)
    if fmt == "json":
        import json

        click.echo(json.dumps(explain_json(report), ensure_ascii=False, indent=2, default=str))
    else:
        explain_text(report, sys.stdout)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(fmt) -> None:
    """列出全部规则。"""
    from .registry import load_registry

    registry = load_registry()
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

    found = load_registry().get(code)
    if found is None:
        raise click.UsageError(f"没有规则“{code}”（用 xxgk-lint rules 查看全部规则）")
    click.echo(f"# {found.code} {found.name}（默认级别：{found.severity.value}）\n")
    click.echo(found.doc)


if __name__ == "__main__":  # pragma: no cover
    main()
