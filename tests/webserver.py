"""A real uvicorn server for the web page on 127.0.0.1 (a free port), run in a thread."""

from __future__ import annotations

import contextlib
import threading
import time

import uvicorn


@contextlib.contextmanager
def running(app):
    """Yield the base URL of ``app`` served on loopback; stop the server afterwards."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def job_for_tests(path: str, filename: str, registry) -> dict:
    """A worker job (module level, so a new process can name it): uploads named "slow…" hang
    after writing a scratch file the way a converter would, "crash…" ends the worker process
    abruptly, "greedy…" asks for 3 GiB of memory; anything else is checked as usual."""
    import os
    import tempfile

    from xxgk_lint.linter.webapp import check_path

    if filename.startswith("slow"):
        with tempfile.NamedTemporaryFile(prefix="scratch-", delete=False) as scratch:
            scratch.write(b"half-converted")
        time.sleep(120)
    if filename.startswith("crash"):
        os._exit(3)
    if filename.startswith("greedy"):  # far beyond the worker's memory limit (never touched without one)
        hoard = bytearray(3 * 1024 * 1024 * 1024)
        time.sleep(0.1)
        del hoard
    return check_path(path, filename, registry)
