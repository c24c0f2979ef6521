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
