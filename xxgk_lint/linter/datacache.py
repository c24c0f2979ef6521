"""A per-user directory for data the tool derives from its own package at
start-up (Lark's parse tables, the template data as JSON), so that a run does
not rebuild them.  Not the result cache (``cache.py``), which lives next to
the reports.

The files are trusted when read (Lark's cache is a pickle, which can run
code), so they are never kept where another user could write: not loose in
the shared temporary directory (under a predictable name anyone can create
first), only in ``$XDG_CACHE_HOME/xxgk-lint`` (default
``~/.cache/xxgk-lint``; ``%LOCALAPPDATA%\\xxgk-lint`` on Windows) or, when
that cannot be created (no home directory, a read-only one), in
``xxgk-lint-<uid>`` inside the temporary directory -- and only when the
directory is owned by the current user and writable by nobody else.
Otherwise nothing is cached and the data is rebuilt at every start.  Names
carry a hash of what the data is derived from, so a changed grammar or
template file never meets a stale entry.
"""

from __future__ import annotations

import functools
import os


@functools.lru_cache(maxsize=1)
def directory() -> str | None:
    """The private cache directory (created when missing), or None."""
    import tempfile

    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA", "")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    candidates = [os.path.join(base, "xxgk-lint")] if base and os.path.isabs(base) else []
    if hasattr(os, "getuid"):
        candidates.append(os.path.join(tempfile.gettempdir(), f"xxgk-lint-{os.getuid()}"))
    for path in candidates:
        if _private(path):
            return path
    return None


def _private(path: str) -> bool:
    """``path`` is (now) a directory of the current user that nobody else can write."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.stat(path)
    except OSError:
        return False
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
        return False  # someone else's (made before us), or open to others
    return True


def path(name: str) -> str | None:
    """Where to keep the file ``name``, or None when nothing may be cached."""
    found = directory()
    return os.path.join(found, name) if found else None


def json_memo(prefix: str, source: str, build):
    """The JSON value ``build()`` derives from ``source``, kept as
    ``<prefix>-<hash of source>.json`` here: read when present and readable,
    else built and written atomically (a cache that cannot be written, or a
    value JSON cannot hold, is simply not kept).  A damaged file counts as a miss."""
    import hashlib
    import json
    import tempfile

    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    cached = path(f"{prefix}-{digest}.json")
    if cached is not None:
        try:
            with open(cached, encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError):
            pass
    value = build()
    if cached is None:
        return value
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(cached), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle, ensure_ascii=False)
        os.replace(tmp, cached)
    except (OSError, TypeError, ValueError):
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return value
