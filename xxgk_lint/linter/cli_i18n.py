"""Click's own words (``Usage:``, ``Options``, ``Show this message and
exit.``, error messages) in Chinese, so that ``--help`` and usage errors do
not mix English into the Chinese help texts.  English stays available: with
``--lang en`` on the command line or ``XXGK_LINT_LANG=en``.

Click looks these strings up through :func:`gettext.gettext` (bound as
``_`` in each of its modules); :func:`install` rebinds that name in those
modules to a lookup in the table below.  Strings not in the table pass
through unchanged, so a newer click only shows some English, never breaks.
"""

from __future__ import annotations

import sys

ZH = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "Aborted!": "已中止。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用“{command} {option}”查看帮助。",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "是不是 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是其中之一：{possibilities}？）",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受取值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个取值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个取值。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值 {choices} 之一。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的布尔值；可用：{states}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
}

MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types")

# placeholders click writes in upper-case English (usage line, option values)
METAVARS = {
    "[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]...", "[PATHS]...": "[路径]...", "PATH": "路径",
    "CODE": "代码", "GLOB:CODES": "GLOB:代码", "CODE=LEVEL": "代码=级别", "GLOB": "GLOB",
    "INTEGER RANGE": "整数", "FLOAT RANGE": "秒数", "INTEGER": "整数", "FLOAT": "数字", "TEXT": "文字",
    "DIRECTORY": "文件夹", "FILE": "文件",
    # click's own words from the table above, upper-cased: only their column is corrected
    "文件夹": "文件夹", "文件名": "文件名", "文件": "文件", "路径": "路径",
}
_METAVAR_RE = None


def help_words(text: str) -> str:
    """``text`` with click's English placeholders in Chinese (unless English is asked for)."""
    import re

    global _METAVAR_RE
    if english_requested():
        return text
    if _METAVAR_RE is None:
        words = sorted(METAVARS, key=len, reverse=True)
        _METAVAR_RE = re.compile(r"(?<![A-Za-z_-])(" + "|".join(re.escape(w) for w in words) + r")(?![A-Za-z_])( *)")

    def replace(m) -> str:
        new, gap = METAVARS[m.group(1)], m.group(2)
        if len(gap) >= 2:  # the gap before the help column: keep the column where it was
            gap = " " * max(2, len(gap) + len(m.group(1)) - _width(new))  # click counted characters
        return new + gap

    return "\n".join(_METAVAR_RE.sub(replace, line) for line in text.split("\n"))


def _width(text: str) -> int:
    """Columns on a terminal: wide (CJK) characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def classes():
    """(Group, Command) classes whose help and usage lines use :func:`help_words`."""
    import click

    def _relabel_help_option(command, ctx) -> None:
        # the -h option is made while parsing, before an eager --lang en ran
        option = command.get_help_option(ctx)
        if option is not None:
            option.help = gettext("Show this message and exit.")

    class Command(click.Command):
        def get_help(self, ctx):
            _relabel_help_option(self, ctx)
            return help_words(super().get_help(ctx))

        def get_usage(self, ctx):
            return help_words(super().get_usage(ctx))

    class Group(click.Group):
        command_class = Command

        def get_help(self, ctx):
            _relabel_help_option(self, ctx)
            return help_words(super().get_help(ctx))

        def get_usage(self, ctx):
            return help_words(super().get_usage(ctx))

    return Group, Command


def english_requested(argv: list[str] | None = None) -> bool:
    """``--lang en`` on the command line (help is shown before options are
    processed), else the run's language (``XXGK_LINT_LANG``)."""
    from .i18n import current_language

    args = sys.argv[1:] if argv is None else argv
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1] == "en"
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1] == "en"
    return current_language() == "en"


def gettext(message: str) -> str:
    return message if english_requested() else ZH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Rebind click's ``_``/``ngettext`` to the table (once per process)."""
    import importlib

    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
