"""The rule registry: built-in rule modules plus third-party packs.

A rule is a function over the report model decorated with :func:`rule`; its
docstring is its documentation (检查什么 / 为什么 / 错误示例 / 正确示例 / 依据).
Third-party packs register a module in the entry-point group
``xxgk_lint.rules``; every :class:`Rule` object found in it is loaded.
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from .diagnostics import Diagnostic, Severity

ENTRY_POINT_GROUP = "xxgk_lint.rules"
BUILTIN_MODULES = ("input", "structure", "cross", "arithmetic", "digitrun", "domains", "prose", "suppression", "periods", "leftover", "numbering", "content", "oldcontent")
CODE_RE = re.compile(r"^[A-Z]{1,3}\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: Callable[..., Iterable[Diagnostic]]
    doc: str
    origin: str  # "builtin" or the plugin's distribution/entry-point name

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")  # codes are CODE_RE: letters, then digits

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else ""

    def __call__(self, report) -> Iterable[Diagnostic]:
        return self.check(report)


def rule(code: str, name: str, severity: str = "error") -> Callable[[Callable], Rule]:
    """Declare a rule: ``@rule("S101", "section-missing", "error")``."""
    if not CODE_RE.match(code):
        raise ValueError(f"rule code {code!r} must be 1-3 capital letters and 3 digits")
    if not NAME_RE.match(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")

    def wrap(func: Callable) -> Rule:
        return Rule(code, name, Severity(severity), func, inspect.cleandoc(func.__doc__ or ""), "builtin")

    return wrap


def rules_in_module(module) -> list[Rule]:
    return [value for value in vars(module).values() if isinstance(value, Rule)]


@dataclass
class Registry:
    rules: dict[str, Rule]
    load_errors: list[str]

    def get(self, code_or_name: str) -> Rule | None:
        key = code_or_name.strip()
        if key.upper() in self.rules:
            return self.rules[key.upper()]
        return next((r for r in self.rules.values() if r.name == key), None)

    def select(self, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> list[Rule]:
        """Rules matching any ``select`` entry (default: all) and no ``ignore``
        entry.  Entries are codes, code prefixes (``S``, ``S1``), rule names or ``ALL``."""
        chosen = []
        select = list(select or ["ALL"])
        ignore = list(ignore or [])
        for rule_ in sorted(self.rules.values(), key=lambda r: r.code):
            if any(matches(rule_, s) for s in select) and not any(matches(rule_, i) for i in ignore):
                chosen.append(rule_)
        return chosen

    def unknown_selectors(self, selectors: Iterable[str]) -> list[str]:
        return [s for s in selectors if not any(matches(r, s) for r in self.rules.values())]


def matches(rule_: Rule, selector: str) -> bool:
    selector = selector.strip()
    if not selector:
        return False
    if selector.upper() == "ALL":
        return True
    if selector == rule_.name:
        return True
    return rule_.code.startswith(selector.upper()) and bool(re.match(r"^[A-Za-z]{1,3}\d{0,3}$", selector))


def _entry_points():
    # importlib.metadata parses the entry points of every installed
    # distribution (≈ 40 ms at each start, half of it importing the module);
    # without a plugin installed, that is all waste
    if not _may_declare_plugins():
        return ()
    from importlib.metadata import entry_points

    return entry_points(group=ENTRY_POINT_GROUP)


def _may_declare_plugins() -> bool:
    """False only when no distribution can declare an entry point of the group:
    none of the ``entry_points.txt`` files where importlib.metadata looks for
    them (``*.dist-info``/``*.egg-info`` in the directories on ``sys.path``,
    ``EGG-INFO`` of an ``.egg`` directory) mentions the group.  True when in
    doubt (a zip file on the path, another distribution finder)."""
    import os
    import sys
    from importlib.machinery import PathFinder

    if any(hasattr(finder, "find_distributions") and finder is not PathFinder for finder in sys.meta_path):
        return True
    needle = ENTRY_POINT_GROUP.encode("utf-8")
    for entry in sys.path:
        root = entry or "."
        try:
            names = os.listdir(root)
        except NotADirectoryError:
            return True  # a zip file: importlib.metadata reads its members
        except OSError:
            continue  # missing or unreadable: importlib.metadata skips it too
        is_egg = os.path.basename(root).lower().endswith(".egg")
        for name in names:
            low = name.lower()
            if low.endswith((".dist-info", ".egg-info")) or (is_egg and low == "egg-info"):
                try:
                    with open(os.path.join(root, name, "entry_points.txt"), "rb") as fh:
                        if needle in fh.read():
                            return True
                except OSError:
                    continue
    return False


def load_registry(include_plugins: bool = True) -> Registry:
    rules: dict[str, Rule] = {}
    errors: list[str] = []
    for name in BUILTIN_MODULES:
        module = importlib.import_module(f"xxgk_lint.rules.{name}")
        for r in rules_in_module(module):
            rules[r.code] = r
    if include_plugins:
        for ep in _entry_points():
            try:
                loaded = ep.load()
                found = rules_in_module(loaded) if inspect.ismodule(loaded) else (
                    [loaded] if isinstance(loaded, Rule) else list(loaded))
            except Exception as exc:  # a broken plugin must not break the run
                errors.append(f"规则插件“{ep.name}”（{ep.value}）加载失败：{type(exc).__name__}: {exc}")
                continue
            for r in found:
                if not isinstance(r, Rule):
                    errors.append(f"规则插件“{ep.name}”提供的对象不是规则：{r!r}")
                    continue
                if r.code in rules:
                    errors.append(f"规则插件“{ep.name}”的代码 {r.code} 与已有规则重复，已忽略")
                    continue
                rules[r.code] = Rule(r.code, r.name, r.severity, r.check, r.doc, ep.name)
    return Registry(rules, errors)
