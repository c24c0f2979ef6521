"""Result cache: one JSON file per (file content, settings, tool, rule set).

An entry holds everything the reporters need to print a file's findings again
(see ``batch.py``: serialised diagnostics and a small view of the document --
positions, locations, the source lines of excerpts, the anchored text), plus
the (agency, year) key that pairs reports across years, so a re-run over an
unchanged tree neither reads nor parses a report.

Keys are sha256 over: the tool identity (version, plus size and mtime of every
file of the installed package, so an edited rule or grammar invalidates the
cache during development), the identity of every loaded rule (code, name,
severity, origin; for plugin rules also the distribution version and the
rule module's file stamp), the effective settings that change findings (the
rules run for this file, severity overrides, template, year, body kind), the
file's extension (it picks the reader) and the sha256 of its bytes.  A
cross-year entry also includes the previous report's hash and path (its path
appears in the X messages).

Entries are written atomically (temporary file + rename).  On disk an entry
is wrapped with the engine id it was made by and the sha256 of its own
content; a read entry is used only when it parses, both match and its shape
is what ``batch.valid_entry`` expects.  Anything else -- unreadable,
truncated, edited, written by another version, a planted file -- is a miss,
never an error and never a finding hidden.  Results with read errors (E001...)
are not cached: they are cheap to recompute and often transient (a file being
copied, a missing optional dependency).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from typing import Any

from .. import __version__

CACHE_DIRNAME = ".xxgk-lint_cache"
FORMAT_VERSION = "2"  # 2: entries wrapped with their engine id and checksum


def default_dir(config_path: str | None) -> str:
    """``.xxgk-lint_cache`` next to the configuration file, else in the current directory."""
    base = os.path.dirname(os.path.abspath(config_path)) if config_path else os.getcwd()
    return os.path.join(base, CACHE_DIRNAME)


def file_hash(path: str) -> str | None:
    """sha256 of the file's bytes, or None when it cannot be read or is not
    a regular file (a FIFO or a device would block or never end)."""
    import stat

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
    except OSError:
        return None
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except (OSError, AttributeError):
        try:
            with open(path, "rb") as fh:
                return hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            return None


def _stamp(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return f"{path}:missing"
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def _package_stamp() -> str:
    """Size and mtime of every source/data file of the installed package."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".lark", ".yaml", ".yml", ".json")):
                parts.append(_stamp(os.path.join(directory, name)))
    return "\n".join(parts)


def engine_id(registry) -> str:
    """Identity of the tool and of its rules (built-in and plugins)."""
    import inspect

    parts = [f"xxgk-lint {__version__}", FORMAT_VERSION, _package_stamp()]
    for code in sorted(registry.rules):
        r = registry.rules[code]
        item = f"{r.code}|{r.name}|{r.severity.value}|{r.origin}"
        if r.origin != "builtin":
            try:
                source = inspect.getsourcefile(r.check) or ""
            except TypeError:
                source = ""
            item += f"|{_plugin_version(r.origin)}|{_stamp(source) if source else getattr(r.check, '__module__', '')}"
        parts.append(item)
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _plugin_version(entry_point_name: str) -> str:
    from importlib.metadata import entry_points

    for ep in entry_points(group="xxgk_lint.rules"):
        if ep.name == entry_point_name and ep.dist is not None:
            return f"{ep.dist.name}=={ep.dist.version}"
    return "?"


def settings_id(settings, codes: list[str]) -> str:
    """The part of the effective settings that changes a file's findings."""
    data = {
        "rules": sorted(codes),
        "severity": sorted(settings.severity.items()),
        "template": settings.template,
        "year": settings.year,
        "body_kind": settings.body_kind,
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def checksum(entry: dict) -> str:
    """sha256 of an entry's canonical JSON (sorted keys): what it was when written."""
    text = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_key(*parts: Any) -> str:
    return hashlib.sha256("\x00".join(str(p) for p in parts).encode("utf-8")).hexdigest()


class Cache:
    """A directory of JSON entries; ``get`` never raises, ``put`` never raises."""

    def __init__(self, directory: str):
        self.directory = directory
        self.root = os.path.join(directory, "v" + FORMAT_VERSION)
        self.hits = self.misses = 0
        self._prepared = False

    def _path(self, key: str) -> str:
        return os.path.join(self.root, key[:2], key + ".json")

    def get(self, key: str, engine: str = "", validate=None) -> dict | None:
        """The entry stored under ``key`` by ``engine``, or None (a miss):
        missing, unreadable, not JSON, made by another engine, a checksum
        that does not match its content, or refused by ``validate``."""
        try:
            with open(self._path(key), encoding="utf-8") as fh:
                stored = json.load(fh)
            entry = stored["entry"] if isinstance(stored, dict) else None
            if (not isinstance(entry, dict) or stored.get("engine") != engine
                    or stored.get("sha256") != checksum(entry)
                    or (validate is not None and not validate(entry))):
                raise ValueError("not a cache entry of this engine")
        except Exception:  # missing, unreadable, corrupt or foreign: a miss
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry: dict, engine: str = "") -> None:
        path = self._path(key)
        try:
            self._prepare()
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    # dumps (the C encoder), not dump (Python, chunk by chunk): 10x faster
                    fh.write(json.dumps({"engine": engine, "sha256": checksum(entry), "entry": entry},
                                        ensure_ascii=False, separators=(",", ":")))
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except (OSError, TypeError, ValueError):
            pass  # a read-only or full disk only costs speed

    def _prepare(self) -> None:
        """Mark the directory as a cache for git and backup tools (once)."""
        if self._prepared:
            return
        self._prepared = True
        os.makedirs(self.directory, exist_ok=True)
        for name, content in ((".gitignore", "# created by xxgk-lint\n*\n"),
                              ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                               "# This file is a cache directory tag created by xxgk-lint.\n")):
            target = os.path.join(self.directory, name)
            if not os.path.exists(target):
                with open(target, "w", encoding="utf-8") as fh:
                    fh.write(content)
