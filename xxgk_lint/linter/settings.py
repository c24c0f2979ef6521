"""The effective settings for one file, and the path patterns they apply.

``config.py`` makes them from the configuration files and the command line;
the runner applies them and puts them on the report (``report.settings``).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

from .registry import Registry, Rule, matches


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
        extra = [c for base, glob, codes in self.per_file_ignores if glob_matches(glob, path, base) for c in codes]
        return list(self.ignore) + extra

    def excluded(self, path: str) -> bool:
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


# ---------------------------------------------------------------- globs

@functools.lru_cache(maxsize=256)
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
    """Does ``pattern`` (relative to ``base``) match ``file_path``?

    A pattern without ``/`` (other than a trailing one) matches the name of
    the file or of any directory on its way (``*.md``, ``archive``); one
    ending in ``/`` matches directories only.  A pattern with ``/`` is
    matched from ``base`` (a leading ``./`` is dropped), and a pattern naming
    a directory matches everything under it."""
    rel = os.path.relpath(os.path.abspath(file_path), base).replace(os.sep, "/")
    if rel == ".." or rel.startswith("../"):
        return False  # outside the directory the patterns are relative to
    pattern = pattern.strip().replace("\\", "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    body = pattern.rstrip("/")
    if not body:
        return False
    regex = glob_to_regex(body)
    parts = rel.split("/")
    if "/" not in body:
        names = parts[:-1] if pattern.endswith("/") else parts
        return any(regex.match(name) for name in names)
    if regex.match(rel) and not pattern.endswith("/"):
        return True
    return any(regex.match("/".join(parts[:n])) for n in range(1, len(parts)))
