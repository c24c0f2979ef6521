"""``xxgk-lint serve``: a local web page where a drafter drops a report and sees its findings.

The page posts the file (or pasted text) to ``/api/check``; the server writes it
into a private temporary directory, runs the same check as the command line in
a worker *process* with a time limit (the pool: ``webcheck.py``), removes the directory,
and answers with the HTML fragment of :mod:`reporters.html` -- or, asked with
``Accept: application/json``, the findings in the JSON contract of ``--format json`` (docs/json.md).
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
import os
import threading

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .catalogue import ui
from .webcheck import WorkerPool, _Busy, _check_saved, _Crashed, _mb, _Timeout, check_path
from .webpage import _page

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 60.0
WORKERS = max(1, min(4, os.cpu_count() or 1))
MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024  # address space of one worker process (a check needs well under 200 MB)
CHECKS_PER_CLIENT = 4  # checks one address may have in progress (running or waiting) at a time
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]
_PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
             "img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


class _TooLarge(Exception):
    pass


class _ClientGone(Exception):
    pass


class ServeError(Exception):
    """The page cannot be started; the message (Chinese) says why and what to do."""


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
