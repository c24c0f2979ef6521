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
    """An invalid configuration: which file, which key, why."""

    def __init__(self, path: str, key: str | None, reason: str):
        self.path, self.key, self.reason = path, key, reason
        where = f"{path}: 键“{key}”" if key else path
        super().__init__(f"配置文件无效：{where}：{reason}")


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
        raise ConfigError(path, None, f"无法读取：{exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, None, f"不是合法的 TOML：{exc}") from exc
    prefix = ""
    if os.path.basename(path) == "pyproject.toml":
        data = data.get("tool", {}).get("xxgk-lint")
        prefix = "tool.xxgk-lint."
        if not isinstance(data, dict):
            raise ConfigError(path, "tool.xxgk-lint", "应为一个表（[tool.xxgk-lint]）")
    values = validate(data, registry, path, prefix)
    return FileConfig(path, values)


def _str_list(value, path, key) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(path, key, f"应为字符串列表，实际是 {_tname(value)}")
    return [v.strip() for v in value]


def _tname(value) -> str:
    return {str: "字符串", int: "整数", bool: "布尔值", list: "列表", dict: "表", float: "小数"}.get(
        type(value), type(value).__name__)


def _check_selectors(selectors: list[str], registry, path, key) -> None:
    unknown = registry.unknown_selectors(selectors) if registry is not None else []
    if unknown:
        raise ConfigError(path, key, f"未知的规则代码或名称：{'、'.join(unknown)}（用 xxgk-lint rules 查看全部规则）")


def validate(data: dict, registry, path: str, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        full = prefix + key
        if key not in KEYS:
            raise ConfigError(path, full, f"未知的配置项；可用的配置项：{'、'.join(KEYS)}")
        if key in ("select", "ignore", "extend-select"):
            out[key] = _str_list(value, path, full)
            _check_selectors(out[key], registry, path, full)
        elif key == "exclude":
            out[key] = _str_list(value, path, full)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(path, full, f"应为表（glob = [规则代码…]），实际是 {_tname(value)}")
            table = {}
            for glob, codes in value.items():
                table[glob] = _str_list(codes, path, f"{full}.\"{glob}\"")
                _check_selectors(table[glob], registry, path, f"{full}.\"{glob}\"")
            out[key] = table
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(path, full, f"应为表（规则代码 = 级别），实际是 {_tname(value)}")
            table = {}
            for selector, level in value.items():
                sub = f"{full}.{selector}"
                if not isinstance(level, str) or level not in SEVERITY_VALUES:
                    raise ConfigError(path, sub, f"级别应为 {'、'.join(SEVERITY_VALUES)} 之一，实际是 {level!r}")
                _check_selectors([selector], registry, path, sub)
                table[selector] = level
            out[key] = table
        elif key == "fail-on":
            if value not in LEVELS:
                raise ConfigError(path, full, f"应为 {'、'.join(LEVELS)} 之一，实际是 {value!r}")
            out[key] = value
        elif key == "template":
            if value not in TEMPLATES:
                raise ConfigError(path, full, f"应为 {'、'.join(TEMPLATES)} 之一，实际是 {value!r}")
            out[key] = value
        elif key == "year":
            if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
                raise ConfigError(path, full, f"应为 2000 到 2100 之间的整数，实际是 {value!r}")
            out[key] = value
        elif key == "body-kind":
            if value not in BODY_KINDS:
                raise ConfigError(path, full, f"应为 {'、'.join(BODY_KINDS)} 之一，实际是 {value!r}")
            out[key] = value
    return out


# ---------------------------------------------------------------- globs

def glob_to_regex(pattern: str) -> re.Pattern:
    """``**`` spans directories, ``*`` and ``?`` stay within one path part."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                out.append(pattern[i:end + 1].replace("[!", "[^"))
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out) + r"\Z")


def glob_matches(pattern: str, file_path: str, base: str) -> bool:
    """Does ``pattern`` (relative to ``base``) match ``file_path``?  A pattern
    without ``/`` also matches the file name alone, and a pattern naming a
    directory matches everything under it."""
    rel = os.path.relpath(os.path.abspath(file_path), base).replace(os.sep, "/")
    if rel == ".." or rel.startswith("../"):
        return False  # outside the directory the patterns are relative to
    regex = glob_to_regex(pattern.rstrip("/"))
    if regex.match(rel) or ("/" not in pattern and regex.match(rel.rsplit("/", 1)[-1])):
        return True
    parts = rel.split("/")
    return any(regex.match("/".join(parts[:n])) for n in range(1, len(parts)))


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
    from .runner import Settings

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
