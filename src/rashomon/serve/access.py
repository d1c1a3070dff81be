"""Who may talk to the server, and the headers every answer carries.

- Bound to a loopback address, the server answers only requests whose ``Host`` is a loopback
  name: a web page the user visits cannot reach it by pointing a name of its own at 127.0.0.1
  (DNS rebinding).
- Bound anywhere else it needs a token: the API wants ``Authorization: Bearer TOKEN``, the pages
  a session cookie that the login form sets. Both are compared in constant time.
- Every answer carries a strict Content-Security-Policy (scripts and styles from this server's
  ``/static/`` only; nothing framed, nothing fetched elsewhere), ``nosniff``, no referrer.
- Request bodies are capped; a larger one is refused with 413 before it is read whole, whether
  it declares its length or comes chunked (the body is read here, up to the cap, before the app
  sees it: an error raised while the app parses would come out as a 400).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import quote


__all__ = [
    "CONTENT_SECURITY_POLICY",
    "Guard",
    "LOOPBACK_NAMES",
    "SESSION_COOKIE",
    "is_loopback",
    "safe_next",
    "session_value",
    "token_matches",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'none'; "
    "connect-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SESSION_COOKIE = "rashomon_session"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
_OPEN_PATHS = ("/login", "/static/")
# RFC 9110 Host: a bracketed IPv6 address or a name (an IPv4 address is one), then a port.
_HOST = re.compile(
    r"(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})?))"
    r"(?::[0-9]{1,5})?")


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) is this machine only: every address it has."""
    name = host.strip("[]")
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(name, None)
    except (socket.gaierror, UnicodeError):
        return False
    return bool(found) and all(
        ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]).is_loopback for info in found)


def session_value(token: str) -> str:
    """The session cookie's value for `token`: a MAC of it, so the cookie is not the token."""
    return hmac.new(token.encode(), b"rashomon-session-v1", hashlib.sha256).hexdigest()


def token_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison, whatever `given` is."""
    return hmac.compare_digest((given or "").encode(), expected.encode())


def safe_next(path: str | None) -> str:
    """Where to go after signing in: a path on this server only (no ``//host``, no scheme)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _host_name(host: str) -> str | None:
    """``[::1]:8000`` -> ``::1``, ``localhost:8000`` -> ``localhost``; None when `host` is not
    a host and an optional port and nothing else (``localhost:8000@evil.example``)."""
    match = _HOST.fullmatch(host)
    if match is None:
        return None
    return (match.group("ipv6") or match.group("name")).lower()


async def _send_json(send: Send, status: int, message: str, extra: tuple[Any, ...] = ()) -> None:
    label = {400: "bad request", 401: "unauthorized", 413: "too large"}.get(status, "error")
    body = json.dumps({"status": status, "error": label, "message": message,
                       "problems": []}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        *extra]})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode()), (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})


class Guard:
    """ASGI middleware: security headers, the Host check, the token, the body cap."""

    def __init__(self, app: ASGIApp, *, token: str | None, loopback_only: bool,
                 max_body: int) -> None:
        self.app = app
        self.token = token
        self.loopback_only = loopback_only
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *_HEADERS]
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(send_with_headers)
            return
        body = await self._read_body(receive)
        if body is None:
            await _send_json(send_with_headers, 413, f"request body is over the {self.max_body} "
                             "byte cap (4 × max_document_bytes)")
            return
        await self.app(scope, _replay(body, receive), send_with_headers)

    def _refusal(self, scope: Scope) -> Callable[[Send], Awaitable[None]] | None:
        """What to answer instead of the app, or None to let the request through."""
        given = _header(scope, b"host") or ""
        host = _host_name(given)
        if self.loopback_only and host not in LOOPBACK_NAMES:
            return lambda send: _send_json(
                send, 400, f"unexpected Host {given[:100]!r}: this server answers only "
                "localhost, 127.0.0.1 and [::1] (it is bound to a loopback address)")
        declared = _header(scope, b"content-length")
        if declared and declared.isdigit() and int(declared) > self.max_body:
            return lambda send: _send_json(
                send, 413, f"request body of {declared} bytes is over the {self.max_body} byte "
                "cap (4 × max_document_bytes)")
        if self.token is None or scope["path"].startswith(_OPEN_PATHS):
            return None
        if scope["path"].startswith("/api/"):
            auth = _header(scope, b"authorization") or ""
            scheme, _, given = auth.partition(" ")
            if scheme.lower() == "bearer" and token_matches(given.strip(), self.token):
                return None
            return lambda send: _send_json(
                send, 401, "this server requires its token: send Authorization: Bearer TOKEN",
                ((b"www-authenticate", b'Bearer realm="rashomon"'),))
        cookie = SimpleCookie()
        try:
            cookie.load(_header(scope, b"cookie") or "")
        except CookieError:  # a malformed Cookie header is no session
            cookie = SimpleCookie()
        morsel = cookie.get(SESSION_COOKIE)
        if token_matches(morsel.value if morsel else None, session_value(self.token)):
            return None
        query = scope.get("query_string", b"").decode("latin-1")
        here = scope["path"] + (f"?{query}" if query else "")
        return lambda send: _redirect(send, "/login?next=" + quote(here, safe=""))

    async def _read_body(self, receive: Receive) -> Message | None:
        """The request's whole body as one message, or None once it passes the cap.

        A client that disconnects midway gives its disconnect message, which the app handles.
        """
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return message
            chunk = bytes(message.get("body", b""))
            seen += len(chunk)
            if seen > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}


def _replay(first: Message, receive: Receive) -> Receive:
    """`receive` that gives `first` once, then whatever the connection sends next."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if not given:
            given = True
            return first
        return await receive()

    return replayed
