"""What the web page's server does with an upload, away from the event loop: a small pool
of worker processes (each loads the rules once) checks, or annotates, a saved upload under
a time and a memory limit.  A check that runs past its limit is stopped by ending its
process, so it cannot keep a core or the interpreter busy for the others (``webapp.py``
serves the page and hands uploads to the pool).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import shutil
import signal
import tempfile
import threading

from .catalogue import ui
from .diagnostics import SEVERITIES
from .reporters import html as html_report

STARTUP_SECONDS = 60.0  # a worker process loading the rules (normally well under a second)
TASKS_PER_WORKER = 200  # then the process is replaced, so memory a reader keeps is given back
_EXTENSION = re.compile(r"^\.[a-z0-9]{1,10}$")


class _Timeout(Exception):
    pass


class _Busy(Exception):
    pass


class _Crashed(Exception):
    pass


def _mb(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.3g} MB"


def _saved_name(filename: str) -> str:
    """The name the upload is saved under: "report" and the file's own extension."""
    ext = os.path.splitext(filename)[1].lower()
    if ext and not _EXTENSION.match(ext):  # keep odd names out of the file system; E003 explains
        ext = ".unsupported"
    return "report" + ext


def _checked(path: str, filename: str, registry):
    """Check the upload saved at ``path`` (the user calls it ``filename``) as the command line
    does; the result speaks of ``filename``, never of the temporary path."""
    from .runner import Settings, check_file

    tmp = os.path.dirname(path)
    settings = Settings()
    result = check_file(path, registry, settings.rules_for(path, registry), settings)
    if any((d.data or {}).get("reason") == "memory" for d in result.diagnostics):
        # the reader (E005) or the runner (E009) turned the worker's memory limit into a
        # finding: say it plainly, and the worker is replaced
        raise MemoryError
    # the user knows the file by its own name, not by our temporary path
    result.path = filename
    for diag in result.diagnostics:
        diag.message = diag.message.replace(path, filename).replace(tmp, "")
        if diag.message_en:
            diag.message_en = diag.message_en.replace(path, filename).replace(tmp, "")
    return result


def check_path(path: str, filename: str, registry) -> dict:
    """Check the upload saved at ``path``; runs in a worker process.  Returns the JSON answer
    of the page (counts and the HTML fragment)."""
    result = _checked(path, filename, registry)
    counts = {s: sum(1 for d in result.diagnostics if d.severity and d.severity.value == s)
              for s in SEVERITIES}
    fragment = html_report.render_results([result], registry)
    return {"ok": True, "file": filename, "counts": counts, "html": fragment}


def check_json(path: str, filename: str, registry) -> dict:
    """The findings in the JSON contract of ``--format json`` (docs/json.md), as text."""
    import io

    from .reporters import render

    out = io.StringIO()
    render("json", [_checked(path, filename, registry)], registry, out)
    return {"ok": True, "json": out.getvalue()}


def annotate_path(path: str, filename: str, registry) -> dict:
    """The annotated copy of a .docx or .odt upload (bytes), or an error answer."""
    from . import annotate
    from .runner import READ_CODES, Settings, check_file

    ext = os.path.splitext(filename)[1].lower()
    if ext not in annotate.WRITERS:
        return {"ok": False, "status": 400,
                "error": ui("web_error.annotate_format")}
    settings = Settings()
    result = check_file(path, registry, settings.rules_for(path, registry), settings)
    unreadable = [d for d in result.diagnostics if d.code in READ_CODES or d.code == "E009"]
    if unreadable or result.document is None:
        reason = unreadable[0].text() if unreadable else ui("web_error.unreadable")
        return {"ok": False, "status": 422,
                "error": ui("web_error.annotate_failed", name=filename, reason=reason.replace(path, filename))}
    output = os.path.join(os.path.dirname(path), "annotated" + ext)
    placed = annotate.WRITERS[ext](path, result, output, registry)
    with open(output, "rb") as handle:
        data = handle.read()
    return {"ok": True, "docx": data, "comments": len(placed), "ext": ext,
            "filename": os.path.splitext(filename)[0] + "-检查意见" + ext}


_ACTIONS = {"json": check_json, "annotate": annotate_path}


def _limit_memory(limit: int | None) -> None:
    """Cap this process's address space (the soft limit: a converter it starts may lift it)."""
    if not limit:
        return
    try:
        import resource
    except ImportError:  # Windows: no RLIMIT_AS; the time limit still ends a runaway check
        return
    with contextlib.suppress(ValueError, OSError, AttributeError):
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker_main(conn, job, memory_limit=None) -> None:
    """A worker process: load the rules once, then check one saved upload per message."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server, which ends the workers
    if hasattr(os, "setpgrp"):
        os.setpgrp()  # its own process group: ending the worker also ends a converter it started
    _limit_memory(memory_limit)
    from .registry import load_registry

    registry = load_registry()
    conn.send("ready")
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the server has gone
            return
        if message is None:
            return
        path, filename, action = message
        tempfile.tempdir = os.path.dirname(path)  # whatever a reader writes goes where the upload is
        try:
            answer = _ACTIONS.get(action, job)(path, filename, registry)
        except MemoryError:
            answer = {"ok": False, "status": 413, "restart": True, "error": _memory_message(memory_limit)}
        except Exception as exc:  # a bug must show as a message, not as a traceback
            answer = {"ok": False, "error": ui("web_error.internal", error=type(exc).__name__), "status": 500}
        finally:
            tempfile.tempdir = None
        conn.send(answer)


def _memory_message(limit: int | None) -> str:
    size = ui("web_error.memory_size", size=_mb(limit)) if limit else ""
    return ui("web_error.memory", size=size)


class _Worker:
    def __init__(self, context, job, memory_limit=None):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, job, memory_limit), daemon=True,
                                       name="xxgk-lint-check")
        self.process.start()
        child.close()
        self.ready = False
        self.tasks = 0

    def check(self, path: str, filename: str, timeout: float, action: str = "check") -> dict:
        try:
            if not self.ready:
                if not self.conn.poll(STARTUP_SECONDS) or self.conn.recv() != "ready":
                    raise _Crashed
                self.ready = True
            self.conn.send((path, filename, action))
            if not self.conn.poll(timeout):
                raise _Timeout
            return self.conn.recv()
        except (EOFError, OSError) as exc:
            raise _Crashed from exc

    def stop(self) -> None:
        if self.process.is_alive() and hasattr(os, "killpg"):
            with contextlib.suppress(OSError):  # not yet in its own group: ESRCH
                os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """At most ``size`` worker processes; a worker that times out or fails is ended and a
    new one takes its place when needed."""

    def __init__(self, size: int, job=check_path, memory_limit: int | None = None):
        self.context = multiprocessing.get_context("spawn")  # the same on every system; no fork of a threaded server
        self.job = job
        self.memory_limit = memory_limit
        self.slots = threading.BoundedSemaphore(size)
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []
        self.busy: set[_Worker] = set()
        self.closed = False

    def warm(self) -> None:
        """Start one worker now, so that the first check does not wait for it."""
        with self.lock:
            if not self.idle and not self.busy and not self.closed:
                self.idle.append(_Worker(self.context, self.job, self.memory_limit))

    def run(self, path: str, filename: str, timeout: float, wait: float, action: str = "check") -> dict:
        """Check in a worker (blocking).  Raises _Busy, _Timeout or _Crashed."""
        if not self.slots.acquire(timeout=wait):
            raise _Busy
        try:
            with self.lock:
                if self.closed:
                    raise _Crashed
                worker = self.idle.pop() if self.idle else None
                if worker is not None and not worker.process.is_alive():
                    worker.stop()
                    worker = None
                if worker is None:
                    worker = _Worker(self.context, self.job, self.memory_limit)
                self.busy.add(worker)
            keep = False
            try:
                answer = worker.check(path, filename, timeout, action)
                worker.tasks += 1
                # after running out of memory a process is replaced: its heap may be left fragmented
                keep = worker.tasks < TASKS_PER_WORKER and not answer.get("restart")
                return answer
            finally:
                with self.lock:
                    self.busy.discard(worker)
                    keep = keep and not self.closed
                    if keep:
                        self.idle.append(worker)
                if not keep:
                    worker.stop()
        finally:
            self.slots.release()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers = self.idle + list(self.busy)
            self.idle = []
        for worker in workers:
            worker.stop()


def _check_saved(pool: WorkerPool, data: bytes, filename: str, timeout: float, action: str = "check") -> dict:
    """Save the upload in a private temporary directory, check it in a worker, remove the
    directory whatever happens (blocking; runs in a thread)."""
    tmp = tempfile.mkdtemp(prefix="xxgk-lint-web-")  # readable by this user only
    try:
        path = os.path.join(tmp, _saved_name(filename))
        with open(path, "wb") as handle:
            handle.write(data)
        return pool.run(path, filename, timeout, wait=timeout, action=action)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
