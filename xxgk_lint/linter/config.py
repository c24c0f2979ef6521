"""Configuration files: discovery, validation and the effective settings.

A configuration is ``xxgk-lint.toml`` or ``.xxgk-lint.toml`` (top level keys),
or the ``[tool.xxgk-lint]`` table of a ``pyproject.toml``.  For each checked
file the nearest configuration walking up from its directory wins; files are
never merged (ruff's rule), and a ``pyproject.toml`` without the table is
skipped.  Command-line flags beat the file.  An invalid file is an error
(:class:`ConfigError`, exit 2) -- never a silent fall back to defaults.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from .settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_FILES = ("xxgk-lint.toml", ".xxgk-lint.toml", "pyproject.toml")
LEVELS = ("error", "warning", "info")
SEVERITY_VALUES = (*LEVELS, "off")
BODY_KINDS = ("department", "government", "township")
TEMPLATES = ("auto", "old", "gb2019", "gb2021")

KEYS = ("select", "ignore", "extend-select", "per-file-ignores", "severity", "fail-on", "template", "year",
        "body-kind", "exclude")


class ConfigError(Exception):
    """An invalid configuration: which file, which key, why.  The message is
    in the language of the run (``--lang``), chosen when it is printed."""

    def __init__(self, path: str, key: str | None, reason: str, reason_en: str = ""):
        self.path, self.key, self.reason, self.reason_en = path, key, reason, reason_en
        super().__init__(self.text("zh"))

    def text(self, lang: str | None = None) -> str:
        from .i18n import text as tr

        zh = f"配置文件无效：{self.path}: 键“{self.key}”：{self.reason}" if self.key else \
            f"配置文件无效：{self.path}：{self.reason}"
        en = (f"invalid configuration: {self.path}: key “{self.key}”: {self.reason_en}" if self.key else
              f"invalid configuration: {self.path}: {self.reason_en}") if self.reason_en else ""
        return tr(zh, en, lang)

    def __str__(self) -> str:
        return self.text()


@dataclass
class FileConfig:
    """The validated content of one configuration file."""

    path: str | None = None  # None: no file, defaults
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()


def find_config(file_path: str) -> str | None:
    """The nearest configuration file for ``file_path`` (a file or directory)."""
    start = os.path.abspath(file_path)
    directory = start if os.path.isdir(start) else os.path.dirname(start)
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_table(candidate)):
                return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_table(pyproject: str) -> bool:
    try:
        with open(pyproject, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        # a broken pyproject.toml that mentions us is still "ours": load it to report why
        try:
            with open(pyproject, encoding="utf-8", errors="replace") as fh:
                return "[tool.xxgk-lint" in fh.read()
        except OSError:
            return False
    return isinstance(data.get("tool"), dict) and "xxgk-lint" in data["tool"]


def load_config(path: str, registry) -> FileConfig:
    """Read and validate one configuration file against the registry's rules."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(path, None, f"无法读取：{exc.strerror or exc}",
                          f"cannot be read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, None, f"不是合法的 TOML：{exc}", f"not valid TOML: {exc}") from exc
    prefix = ""
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool")
        data = tool.get("xxgk-lint") if isinstance(tool, dict) else None
        prefix = "tool.xxgk-lint."
        if not isinstance(data, dict):
            raise ConfigError(path, "tool.xxgk-lint", "应为一个表（[tool.xxgk-lint]）",
                              "should be a table ([tool.xxgk-lint])")
    values = validate(data, registry, path, prefix)
    return FileConfig(path, values)


def _str_list(value, path, key, allow_empty: bool = True) -> list[str]:
    if not isinstance(value, list):
        raise ConfigError(path, key, f"应为字符串列表，实际是{_tname(value)} {_show(value)}",
                          f"should be a list of strings, not {_tname(value, 'en')} {_show(value)}")
    for n, item in enumerate(value, 1):
        if not isinstance(item, str):
            raise ConfigError(path, key, f"应为字符串列表，第 {n} 项是{_tname(item)} {_show(item)}",
                              f"should be a list of strings; item {n} is {_tname(item, 'en')} {_show(item)}")
        if not item.strip():
            raise ConfigError(path, key, f"第 {n} 项是空字符串", f"item {n} is an empty string")
    if not value and not allow_empty:
        raise ConfigError(path, key, "不能为空列表（要运行全部内置规则，写 [\"ALL\"]）",
                          "must not be empty (write [\"ALL\"] for every built-in rule)")
    return [v.strip() for v in value]


def _tname(value, lang: str = "zh") -> str:
    names = {str: ("字符串", "a string"), int: ("整数", "an integer"), bool: ("布尔值", "a boolean"),
             list: ("列表", "a list"), dict: ("表", "a table"), float: ("小数", "a float")}
    found = names.get(type(value))
    if found is None:
        return type(value).__name__
    return found[0] if lang == "zh" else found[1]


def _show(value) -> str:
    """A value as TOML would write it (short)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{…}"
    text = repr(value).replace("'", '"')
    return text if len(text) <= 60 else text[:57] + "…"


def _check_selectors(selectors: list[str], registry, path, key) -> None:
    unknown = registry.unknown_selectors(selectors) if registry is not None else []
    if unknown:
        raise ConfigError(path, key, f"未知的规则代码或名称：{'、'.join(unknown)}（用 xxgk-lint rules 查看全部规则）",
                          f"unknown rule code or name: {', '.join(unknown)} (xxgk-lint rules lists every rule; "
                          f"a plugin's rules need the plugin installed)")


def _one_of(value, choices, path, key):
    if isinstance(value, str) and value in choices:
        return value
    raise ConfigError(path, key, f"应为 {'、'.join(choices)} 之一，实际是 {_show(value)}",
                      f"should be one of {', '.join(choices)}, not {_show(value)}")


def _glob(pattern: str, path, key) -> str:
    if os.path.isabs(pattern) or re.match(r"^[A-Za-z]:[\\/]", pattern):
        raise ConfigError(path, key, f"“{pattern}”是绝对路径；glob 应相对于配置文件所在目录",
                          f"“{pattern}” is an absolute path; globs are relative to the configuration's directory")
    return pattern


def validate(data: dict, registry, path: str, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        full = prefix + key
        if key not in KEYS:
            close = [k for k in KEYS if k.replace("-", "") == key.lower().replace("-", "").replace("_", "")]
            hint, hint_en = (f"（是不是“{close[0]}”？）", f" (did you mean “{close[0]}”?)") if close else ("", "")
            raise ConfigError(path, full, f"未知的配置项{hint}；可用的配置项：{'、'.join(KEYS)}",
                              f"unknown key{hint_en}; the keys are {', '.join(KEYS)}")
        if key in ("select", "ignore", "extend-select"):
            out[key] = _str_list(value, path, full, allow_empty=key != "select")
            _check_selectors(out[key], registry, path, full)
        elif key == "exclude":
            out[key] = [_glob(g, path, full) for g in _str_list(value, path, full)]
        elif key == "per-file-ignores":
            out[key] = _per_file_ignores(value, registry, path, full)
        elif key == "severity":
            out[key] = _severities(value, registry, path, full)
        elif key == "fail-on":
            out[key] = _one_of(value, LEVELS, path, full)
        elif key == "template":
            out[key] = _one_of(value, TEMPLATES, path, full)
        elif key == "year":
            if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
                raise ConfigError(path, full, f"应为 2000 到 2100 之间的整数，实际是 {_show(value)}",
                                  f"should be an integer from 2000 to 2100, not {_show(value)}")
            out[key] = value
        elif key == "body-kind":
            out[key] = _one_of(value, BODY_KINDS, path, full)
    return out


def _require_table(value, path: str, full: str, shape: str, shape_en: str) -> None:
    """A key whose value must be a TOML table (``shape`` says what it maps)."""
    if not isinstance(value, dict):
        raise ConfigError(path, full, f"应为表（{shape}），实际是{_tname(value)} {_show(value)}",
                          f"should be a table ({shape_en}), not {_tname(value, 'en')} {_show(value)}")


def _per_file_ignores(value, registry, path: str, full: str) -> dict[str, list[str]]:
    """``per-file-ignores``: glob = [codes…]."""
    _require_table(value, path, full, "glob = [规则代码…]", "glob = [codes…]")
    table = {}
    for glob, codes in value.items():
        sub = f"{full}.\"{glob}\""
        if not glob.strip():
            raise ConfigError(path, sub, "glob 不能为空", "the glob must not be empty")
        table[_glob(glob.strip(), path, sub)] = _str_list(codes, path, sub)
        _check_selectors(table[glob.strip()], registry, path, sub)
    return table


def _severities(value, registry, path: str, full: str) -> dict[str, str]:
    """``severity``: code = level."""
    _require_table(value, path, full, "规则代码 = 级别", "code = level")
    table = {}
    for selector, level in value.items():
        sub = f"{full}.{selector}"
        if not isinstance(level, str) or level not in SEVERITY_VALUES:
            raise ConfigError(path, sub, f"级别应为 {'、'.join(SEVERITY_VALUES)} 之一，实际是 {_show(level)}",
                              f"the level should be one of {', '.join(SEVERITY_VALUES)}, not {_show(level)}")
        _check_selectors([selector], registry, path, sub)
        table[selector] = level
    return table


# ---------------------------------------------------------------- settings

@dataclass
class Overrides:
    """What the command line says; ``None`` means "not given"."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    template: str | None = None
    year: int | None = None
    body_kind: str | None = None
    exclude: list[str] = field(default_factory=list)


def effective(file_config: FileConfig, cli: Overrides):
    """The runner's Settings for files governed by ``file_config``.

    Precedence: ``--select`` replaces the file's select, extend-select and
    ignore; otherwise the file's select (default ALL) plus both
    extend-selects, minus both ignores.  Per-file ignores, severities and
    excludes of the file and the command line add up (the command line wins
    for the same rule); scalars from the command line win.
    """
    v = file_config.values
    if cli.select is not None:
        select = list(cli.select) + list(cli.extend_select)
        ignore = list(cli.ignore)
    else:
        select = list(v.get("select", ["ALL"])) + list(v.get("extend-select", [])) + list(cli.extend_select)
        ignore = list(v.get("ignore", [])) + list(cli.ignore)
    base = file_config.base
    per_file = [(base, glob, codes) for glob, codes in v.get("per-file-ignores", {}).items()]
    per_file += [(os.getcwd(), glob, codes) for glob, codes in cli.per_file_ignores.items()]
    exclude = [(base, g) for g in v.get("exclude", [])] + [(os.getcwd(), g) for g in cli.exclude]
    return Settings(
        select=select, ignore=ignore,
        template=cli.template or v.get("template", "auto"),
        year=cli.year if cli.year is not None else v.get("year"),
        per_file_ignores=per_file,
        severity={**v.get("severity", {}), **cli.severity},
        fail_on=cli.fail_on or v.get("fail-on", "error"),
        body_kind=cli.body_kind or v.get("body-kind"),
        exclude=exclude,
        config_path=file_config.path,
    )


class Resolver:
    """Finds, loads (once) and caches the configuration of each file."""

    def __init__(self, registry, cli: Overrides, config_file: str | None = None, isolated: bool = False):
        self.registry, self.cli = registry, cli
        self.forced = config_file
        self.isolated = isolated
        self._loaded: dict[str | None, FileConfig] = {}

    def config_for(self, path: str) -> FileConfig:
        if self.isolated:
            found = None
        elif self.forced:
            found = self.forced
        else:
            found = find_config(path)
        if found not in self._loaded:
            self._loaded[found] = load_config(found, self.registry) if found else FileConfig()
        return self._loaded[found]

    def settings_for(self, path: str):
        return effective(self.config_for(path), self.cli)


def describe(settings, registry) -> dict[str, Any]:
    """The effective settings as plain data (for ``--show-settings``)."""
    return {
        "config": settings.config_path or "（未找到配置文件，使用默认设置）",
        "select": settings.select,
        "ignore": settings.ignore,
        "per-file-ignores": [{"base": b, "glob": g, "codes": c} for b, g, c in settings.per_file_ignores],
        "severity": settings.severity,
        "fail-on": settings.fail_on,
        "template": settings.template,
        "year": settings.year,
        "body-kind": settings.body_kind,
        "exclude": [{"base": b, "glob": g} for b, g in settings.exclude],
    }
