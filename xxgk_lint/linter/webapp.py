"""``xxgk-lint serve``: a local web page where a drafter drops a report and sees its findings.

The page posts the file (or pasted text) to ``/api/check``; the server writes it
into a private temporary directory, runs the same check as the command line in
a worker *process* with a time limit, removes the directory, and answers with the
HTML fragment of :mod:`reporters.html` -- or, asked with ``Accept: application/json``,
the findings in the JSON contract of ``--format json`` (docs/json.md).
``/api/annotate`` answers a .docx upload with the annotated copy (annotate.py).
Nothing is kept or sent anywhere.

Untrusted uploads and busy pages: each worker runs under an address-space limit
(``RLIMIT_AS`` where the system has it) and a check that needs more is answered
with a clear message; one client (one address) may have only a few checks in
progress at a time; a POST from another web site (``Origin`` or
``Sec-Fetch-Site`` says so) is refused, so a page the drafter visits cannot use
this one; a client that goes away mid-upload is simply forgotten.

Checks run in a small pool of worker processes (each loads the rules once), so
several people can use one server at the same time on all cores, and a check
that runs past its time limit is stopped by ending its process: it cannot keep
a core or the interpreter busy for the others, and its files are removed at once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import errno
import json
import multiprocessing
import os
import re
import shutil
import signal
import tempfile
import threading

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .catalogue import ui
from .diagnostics import SEVERITIES
from .reporters import html as html_report

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 60.0
WORKERS = max(1, min(4, os.cpu_count() or 1))
STARTUP_SECONDS = 60.0  # a worker process loading the rules (normally well under a second)
TASKS_PER_WORKER = 200  # then the process is replaced, so memory a reader keeps is given back
MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024  # address space of one worker process (a check needs well under 200 MB)
CHECKS_PER_CLIENT = 4  # checks one address may have in progress (running or waiting) at a time
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]
_EXTENSION = re.compile(r"^\.[a-z0-9]{1,10}$")
_PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
             "img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


class _TooLarge(Exception):
    pass


class _Timeout(Exception):
    pass


class _Busy(Exception):
    pass


class _Crashed(Exception):
    pass


class _ClientGone(Exception):
    pass


class ServeError(Exception):
    """The page cannot be started; the message (Chinese) says why and what to do."""


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


async def _read_body(request: Request, limit: int) -> bytes:
    from starlette.requests import ClientDisconnect

    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            chunks.append(chunk)
    except ClientDisconnect as exc:  # the user closed the page or lost the connection mid-upload
        raise _ClientGone from exc
    return b"".join(chunks)


def cross_site(request: Request) -> bool:
    """True when a browser says the request comes from another site: ``Sec-Fetch-Site`` other
    than same-origin/none, or an ``Origin`` that is not this page's own (``null`` included).
    Clients that send neither (curl, scripts, the command line) are no web page and pass."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site and fetch_site.lower() not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    if origin is None:
        return False
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(origin.strip())
        host = (request.headers.get("host") or "").lower()
        default = {"http": 80, "https": 443}.get(parts.scheme)
        netloc = parts.netloc.lower()
        if parts.port is None and default is not None and host.endswith(f":{default}"):
            host = host[: -len(f":{default}")]
        return parts.scheme != request.url.scheme or netloc != host
    except ValueError:
        return True


def _wants_json(request: Request) -> bool:
    """``Accept: application/json`` (and not the page's own fetch, which accepts anything)."""
    accept = request.headers.get("accept", "").lower()
    return "application/json" in accept and "text/html" not in accept


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message}, status_code=status, headers=_HEADERS)


# C901: the route handlers are closures over one app's worker pool, limits and per-client
# counts, and mccabe counts their branches into create_app
def create_app(max_upload_bytes: int = MAX_UPLOAD_BYTES, timeout: float = TIMEOUT_SECONDS,  # noqa: C901
               workers: int = WORKERS, allowed_hosts: list[str] | None = None, job=check_path,
               memory_limit: int | None = MEMORY_LIMIT_BYTES, checks_per_client: int = CHECKS_PER_CLIENT) -> Starlette:
    """The web application.  ``allowed_hosts`` (e.g. the loopback names) rejects
    requests for other host names, so a web site cannot reach the page by DNS rebinding.
    ``job(path, filename, registry) -> answer`` is what a worker process runs for each upload
    (a module-level function, so that it can be named to a new process).  ``memory_limit``: the
    address space of each worker (None: unlimited); ``checks_per_client``: checks one client
    address may have in progress at once."""
    from .readers import supported_extensions

    pool = WorkerPool(workers, job, memory_limit)
    in_progress: dict[str, int] = {}  # client address -> checks running or waiting (event loop only)
    # threads only wait for the workers; requests beyond them queue here
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=max(8, 4 * workers), thread_name_prefix="xxgk-wait")
    # the form's multipart framing needs a little room beyond the file itself
    body_limit = max_upload_bytes + 64 * 1024

    async def page(request: Request) -> Response:
        exts = supported_extensions()
        return HTMLResponse(_page(exts, max_upload_bytes), headers={**_HEADERS, "Content-Security-Policy": _PAGE_CSP})

    async def receive_upload(request: Request):
        """(filename, bytes) of the upload, or the error Response."""
        try:
            body = await _read_body(request, body_limit)
        except _TooLarge:
            size = request.headers.get("content-length", "")
            found = ui("web_error.memory_size", size=_mb(int(size))) if size.isdigit() else ""
            return _error(ui("web_error.too_big", size=found, limit=_mb(max_upload_bytes)), 413)
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            return _error(ui("web_error.bad_request"), 400)

        async def replay():
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            form = await Request(request.scope, replay).form(max_files=1, max_fields=4, max_part_size=body_limit)
        except Exception:
            return _error(ui("web_error.bad_upload"), 400)
        upload, text = form.get("file"), form.get("text")
        if upload is not None and not isinstance(upload, str):
            filename = os.path.basename((upload.filename or "").replace("\\", "/")) or ui("web.unnamed")
            data = await upload.read()
            await upload.close()
        elif isinstance(text, str) and text.strip():
            filename, data = ui("web.pasted") + ".txt", text.encode("utf-8")
        else:
            return _error(ui("web_error.no_file"), 400)
        if len(data) > max_upload_bytes:
            return _error(ui("web_error.too_big", size=ui("web_error.memory_size", size=_mb(len(data))),
                             limit=_mb(max_upload_bytes)), 413)
        if not data:
            return _error(ui("web_error.empty", name=filename), 400)
        return filename, data

    async def run_check(request: Request, action: str):
        """Guard, receive and check one upload in a worker: the worker's answer or a Response."""
        if cross_site(request):
            return _error(ui("web_error.cross_site"), 403)
        client = request.client.host if request.client else "?"
        if in_progress.get(client, 0) >= checks_per_client:
            return _error(ui("web_error.too_many_mine", n=checks_per_client), 429)
        in_progress[client] = in_progress.get(client, 0) + 1
        try:
            try:
                received = await receive_upload(request)
            except _ClientGone:  # nobody is listening any more; nothing to log
                return Response(status_code=400)
            if isinstance(received, Response):
                return received
            filename, data = received
            loop = asyncio.get_running_loop()
            try:
                answer = await loop.run_in_executor(executor, _check_saved, pool, data, filename, timeout, action)
            except _Timeout:
                return _error(ui("web_error.timeout", seconds=f"{timeout:g}"), 504)
            except _Busy:
                return _error(ui("web_error.busy"), 503)
            except _Crashed:
                return _error(ui("web_error.crashed"), 500)
            except Exception as exc:  # a bug must show as a message, not as a traceback
                return _error(ui("web_error.internal", error=type(exc).__name__), 500)
            if not answer.get("ok"):
                return _error(answer.get("error") or ui("web_error.failed"), int(answer.get("status") or 500))
            return answer
        finally:
            in_progress[client] -= 1
            if not in_progress[client]:
                del in_progress[client]

    async def check(request: Request) -> Response:
        wants_json = _wants_json(request)
        answer = await run_check(request, "json" if wants_json else "check")
        if isinstance(answer, Response):
            return answer
        if wants_json:
            return Response(answer["json"], media_type="application/json", headers=_HEADERS)
        return JSONResponse(answer, headers=_HEADERS)

    async def annotate(request: Request) -> Response:
        answer = await run_check(request, "annotate")
        if isinstance(answer, Response):
            return answer
        from urllib.parse import quote

        name = answer["filename"]
        ext = answer.get("ext", ".docx")
        disposition = f"attachment; filename=\"annotated{ext}\"; filename*=UTF-8''{quote(name)}"
        media = ("application/vnd.oasis.opendocument.text" if ext == ".odt" else
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        return Response(answer["docx"], media_type=media,
                        headers={**_HEADERS, "Content-Disposition": disposition, "X-Comments": str(answer["comments"])})

    async def formats(request: Request) -> Response:
        return JSONResponse({"extensions": supported_extensions(), "max_bytes": max_upload_bytes}, headers=_HEADERS)

    routes = [Route("/", page), Route("/api/check", check, methods=["POST"]),
              Route("/api/annotate", annotate, methods=["POST"]), Route("/api/formats", formats)]
    middleware = []
    if allowed_hosts:
        from starlette.middleware import Middleware
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    @contextlib.asynccontextmanager
    async def lifespan(app):
        pool.warm()
        yield
        pool.close()
        executor.shutdown(wait=False, cancel_futures=True)

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.pool = pool
    return app


def _listen(host: str, port: int):
    """A listening socket on host:port (port 0: any free port), or ServeError saying why not."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except OSError as exc:
        raise ServeError(f"无法识别监听地址“{host}”：{exc.strerror or exc}") from exc
    sock = socket.socket(family, kind, proto)
    try:
        if os.name != "nt":  # on Windows this option would let two servers share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, 10048):  # 10048: WSAEADDRINUSE
            raise ServeError(f"端口 {port} 已被占用：可能已经有一个检查页面在运行（在浏览器中打开 "
                             f"http://{_url_host(host)}:{port}/ 试试），也可以换一个端口，例如 "
                             f"xxgk-lint serve --port {port + 1 if port < 65535 else 8766}") from exc
        raise ServeError(f"无法在 {host} 的端口 {port} 上启动检查页面：{exc.strerror or exc}") from exc
    return sock


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False) -> None:
    """Run the page with uvicorn until Ctrl+C.  The address is printed once the port is open
    (port 0: a free port is chosen); ServeError when it cannot be opened."""
    import uvicorn

    loopback = host in ("127.0.0.1", "localhost", "::1")
    sock = _listen(host, port)
    port = sock.getsockname()[1]
    app = create_app(allowed_hosts=LOOPBACK_HOSTS if loopback else None)
    url = f"http://{_url_host(host)}:{port}/"
    print(f"xxgk-lint 检查页面已启动：{url}", flush=True)
    print("在浏览器中打开这个地址，拖入或选择报告文件即可检查；按 Ctrl+C 停止。", flush=True)
    if not loopback:
        print(f"注意：页面监听在 {host}，同一网络中的其他电脑也能访问。", flush=True)
    if open_browser:
        import webbrowser

        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    # no proxy headers: the client's own address counts for the per-client limit
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", proxy_headers=False))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn stops on Ctrl+C, then passes the signal on
        pass
    finally:
        sock.close()
    print("检查页面已停止。", flush=True)


# (catalogue word in group web, extensions)
_FORMAT_GROUPS = (("word", (".docx", ".docm")), ("pdf", (".pdf",)), ("web_page", (".html", ".htm", ".shtml")),
                  ("plain_text", (".txt", ".md", ".markdown")), ("ofd", (".ofd",)), ("odt", (".odt",)))
# the words the page's script shows, filled in there ({name} fields)
_SCRIPT_WORDS = ("checking", "bad_answer", "failed", "done", "no_service", "too_big", "annotating",
                 "annotate_failed_status", "annotate_failed", "downloaded", "one_file",
                 "paste_first", "pasted", "annotate_docx", "annotate_odt")


def _formats_words(extensions: list[str]) -> str:
    """The supported formats as a drafter reads them; the formats that need LibreOffice are
    said to need it when it is not installed (they are still accepted: the page then explains)."""
    from .readers import READERS
    from .readers.office import soffice

    from .catalogue import msg

    groups, listed = [], set()
    for name, exts in _FORMAT_GROUPS:
        found = [e for e in exts if e in extensions and READERS.get(e) != "office"]
        if found:
            groups.append(msg("web", "group", name=msg("web", name), exts=found))
            listed.update(found)
    converted = [e for e in extensions if READERS.get(e) == "office"]
    groups.extend(e for e in extensions if e not in listed and e not in converted)
    words = ui("web.formats", groups=groups)
    if converted and soffice():
        words += ui("web.converted", exts=converted)
    elif converted:
        words += ui("web.needs_conversion", exts=converted)
    return words


def _page(extensions: list[str], max_bytes: int) -> str:
    """The page in the chosen language (``XXGK_LINT_LANG``): its words, the results' and the script's."""
    from .catalogue import template
    from .diagnostics import SEVERITIES, severity_word
    from .i18n import current_language

    lang = current_language()
    esc = html_report.esc
    accept = ",".join(extensions)
    shown = _formats_words(extensions)
    words = {key: template("web", key, lang) for key in _SCRIPT_WORDS}
    words.update({s: severity_word(s) for s in SEVERITIES})
    # "</" never appears inside the script element (a word cannot close it)
    config = json.dumps({"maxBytes": max_bytes, "extensions": extensions, "words": words}).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="{'en' if lang == 'en' else 'zh-CN'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(ui("web.title"))}</title>
<style>{html_report.css()}{_PAGE_CSS}</style>
</head>
<body>
<header class="xr-top"><h1>{esc(ui("web.title"))}</h1>
<p class="xr-note">{esc(ui("web.privacy"))}</p></header>
<div class="xw-main">
<div id="drop" class="xw-drop" tabindex="0" role="button" aria-label="{esc(ui("web.drop_label"))}">
  <p class="xw-big">{esc(ui("web.drop"))}<label class="xw-pick">{esc(ui("web.choose"))}<input id="file" type="file" accept="{esc(accept)}"></label></p>
  <p class="xw-small">{esc(ui("web.limit", formats=shown, size=_mb(max_bytes)))}</p>
</div>
<details class="xw-paste"><summary>{esc(ui("web.paste"))}</summary>
  <textarea id="text" rows="10" placeholder="{esc(ui("web.paste_placeholder"))}"></textarea>
  <button id="check-text" type="button">{esc(ui("web.check_text"))}</button>
</details>
<div id="status" class="xw-status" role="status" aria-live="polite"></div>
<p id="annotate-box" class="xw-annotate" hidden><button id="annotate" type="button">{esc(ui("web.annotate_docx"))}</button>
  <span class="xw-small">{esc(ui("web.annotate_note"))}</span></p>
<div id="error" class="xw-error" role="alert" hidden></div>
<div id="results"></div>
</div>
<script>
var XXGK={config};
{html_report.js()}
{_PAGE_JS}
</script>
</body>
</html>
"""


_PAGE_CSS = """
.xw-drop{border:2px dashed #9aa4b2;border-radius:10px;background:#fff;padding:24px;text-align:center;margin:8px 0}
.xw-drop.xw-over{border-color:#1565c0;background:#eef5ff}
.xw-big{font-size:18px;margin:0 0 6px}
.xw-small{font-size:13px;color:#666;margin:0}
.xw-pick{color:#1565c0;text-decoration:underline;cursor:pointer}
.xw-pick input{display:none}
.xw-paste{margin:8px 0}
.xw-paste summary{cursor:pointer;color:#1565c0}
.xw-paste textarea{width:100%;font-size:14px;margin-top:6px}
.xw-paste button{margin-top:4px;font-size:14px;padding:4px 14px}
.xw-status{color:#555;min-height:1.5em;font-size:14px}
.xw-annotate{margin:4px 0 8px}
.xw-annotate button{font-size:14px;padding:4px 14px}
.xw-error{background:#ffe1e1;color:#8e0000;border:1px solid #e57373;border-radius:6px;padding:10px 14px;font-size:15px;margin:8px 0}
"""

_PAGE_JS = r"""
(function(){
  var drop=document.getElementById('drop'), input=document.getElementById('file');
  var status=document.getElementById('status'), error=document.getElementById('error');
  var results=document.getElementById('results');
  var annotateBox=document.getElementById('annotate-box'), annotateButton=document.getElementById('annotate');
  var lastDocx=null;
  // the page's words in its language: XXGK.words, {name} fields filled in here
  function t(key, vars){ return XXGK.words[key].replace(/\{(\w+)\}/g,function(m,k){ return vars&&k in vars?vars[k]:m; }); }
  function showError(msg){ error.textContent=msg; error.hidden=false; status.textContent=''; }
  function send(form, name, file){
    error.hidden=true; results.innerHTML=''; annotateBox.hidden=true; lastDocx=null;
    status.textContent=t('checking',{name:name});
    var started=Date.now();
    fetch('api/check',{method:'POST',body:form}).then(function(r){
      return r.json().catch(function(){ return {ok:false,error:t('bad_answer',{status:r.status})}; });
    }).then(function(data){
      if(!data.ok){ showError(data.error||t('failed')); return; }
      results.innerHTML=data.html;
      xxgkInit(results);
      if(file&&/\.(docx|odt)$/i.test(file.name)){
        lastDocx=file; annotateButton.textContent=t(/\.odt$/i.test(file.name)?'annotate_odt':'annotate_docx');
        annotateBox.hidden=false;
      }
      var c=data.counts;
      status.textContent=t('done',{file:data.file,seconds:((Date.now()-started)/1000).toFixed(1),
        error:t('error'),errors:c.error,warning:t('warning'),warnings:c.warning,info:t('info'),infos:c.info});
    }).catch(function(){ showError(t('no_service')); });
  }
  function sendFile(file){
    if(!file){ return; }
    if(file.size>XXGK.maxBytes){
      showError(t('too_big',{size:(file.size/1048576).toFixed(1),limit:XXGK.maxBytes/1048576})); return;
    }
    var form=new FormData(); form.append('file',file,file.name); send(form,file.name,file);
  }
  annotateButton.addEventListener('click',function(){
    var file=lastDocx; if(!file){ return; }
    var form=new FormData(); form.append('file',file,file.name);
    annotateButton.disabled=true; status.textContent=t('annotating',{name:file.name});
    fetch('api/annotate',{method:'POST',body:form}).then(function(r){
      if(!r.ok){ return r.json().catch(function(){ return {error:t('annotate_failed_status',{status:r.status})}; }).then(function(d){ throw new Error(d.error||t('annotate_failed')); }); }
      return r.blob().then(function(blob){
        var link=document.createElement('a');
        link.href=URL.createObjectURL(blob);
        var ext=/\.odt$/i.test(file.name)?'.odt':'.docx';
        // the server's name: the comments in the file are Chinese
        link.download=file.name.replace(/\.(docx|odt)$/i,'')+'-检查意见'+ext;
        document.body.appendChild(link); link.click(); link.remove();
        setTimeout(function(){ URL.revokeObjectURL(link.href); },60000);
        status.textContent=t('downloaded',{name:link.download});
      });
    }).catch(function(e){ showError(e&&e.message?e.message:t('no_service')); })
      .then(function(){ annotateButton.disabled=false; });
  });
  input.addEventListener('change',function(){ sendFile(input.files[0]); input.value=''; });
  drop.addEventListener('keydown',function(ev){ if(ev.key==='Enter'||ev.key===' '){ input.click(); ev.preventDefault(); } });
  ['dragenter','dragover'].forEach(function(t){ drop.addEventListener(t,function(ev){ ev.preventDefault(); drop.classList.add('xw-over'); }); });
  ['dragleave','drop'].forEach(function(t){ drop.addEventListener(t,function(ev){ ev.preventDefault(); drop.classList.remove('xw-over'); }); });
  drop.addEventListener('drop',function(ev){
    var files=ev.dataTransfer&&ev.dataTransfer.files;
    if(files&&files.length>1){ showError(t('one_file')); return; }
    if(files&&files.length){ sendFile(files[0]); }
  });
  // a file dropped outside the box must not make the browser leave the page
  window.addEventListener('dragover',function(ev){ ev.preventDefault(); });
  window.addEventListener('drop',function(ev){ ev.preventDefault(); });
  document.getElementById('check-text').addEventListener('click',function(){
    var text=document.getElementById('text').value;
    if(!text.trim()){ showError(t('paste_first')); return; }
    var form=new FormData(); form.append('text',text); send(form,t('pasted'));
  });
})();
"""
