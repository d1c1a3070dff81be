"""Running the app: the binding rule, then uvicorn.

Bound to a loopback address (127.0.0.1 by default) the server is for the people of this
machine. Bound to any other address it is reachable by others, so it refuses to start without
a token (at least 16 characters besides spaces, printable ASCII, no space at either end: what
an ``Authorization`` header can carry), which every request must then carry.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rashomon.errors import RashomonError
from rashomon.serve.access import is_loopback
from rashomon.serve.app import create_app
from rashomon.store import open_store

if TYPE_CHECKING:
    from rashomon.settings import Settings

__all__ = [
    "BindRefused", "MIN_TOKEN_CHARS", "check_binding", "free_port", "running", "serve",
]

MIN_TOKEN_CHARS = 16


class BindRefused(RashomonError):
    """The server would be reachable from other machines without a token, or with a weak one."""


def _check_token(token: str) -> None:
    """Refuse a token that is weak or that no request could ever send back."""
    if len("".join(token.split())) < MIN_TOKEN_CHARS:
        raise BindRefused(
            f"the token must have at least {MIN_TOKEN_CHARS} characters besides spaces")
    if not all(" " <= char <= "~" for char in token):
        raise BindRefused("the token must be printable ASCII (letters, digits, punctuation)")
    if token != token.strip():
        raise BindRefused("the token must not start or end with a space: a header cannot "
                          "carry it")


def check_binding(host: str, token: str | None) -> bool:
    """Whether `host` is a loopback address; refuses a non-loopback one without a token."""
    if token is not None:
        _check_token(token)
    loopback = is_loopback(host)
    if not loopback and not token:
        raise BindRefused(
            f"{host} is not a loopback address: other machines could reach the server, so it "
            "needs a token (--token TOKEN or $RASHOMON_TOKEN)")
    return loopback


def serve(db: str, *, settings: Settings, host: str = "127.0.0.1", port: int = 8000,
          token: str | None = None) -> None:
    """Serve the store at `db` until interrupted (raises BindRefused or StoreError first)."""
    import uvicorn

    loopback = check_binding(host, token)
    with open_store(db):  # an unusable store fails here, before the server says it is up
        pass
    app = create_app(db, settings, token=token, loopback_only=loopback)
    # pages read stored analyses and need no model; /check does: load it while the server starts
    threading.Thread(target=app.state.service.warm_up, name="warm-up", daemon=True).start()
    shown = f"[{host}]" if ":" in host else host
    print(f"Rashomon: stories at http://{shown}:{port}/ , API at /api "
          f"(schema /api/openapi.json){'; token required' if token else ''}", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False,
                proxy_headers=False)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn on 127.0.0.1 in a background thread; yields its base URL.

    For tests and harnesses that drive the app in a browser within one process.
    """
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start within 10 s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
