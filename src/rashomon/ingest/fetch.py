"""HTTP(S) fetching with urllib: a timeout, a size cap, and redirects only to http(s).

Only what the user or a feed named is fetched. Redirects are followed (to http and https URLs
only: a redirect to ``file:`` or ``ftp:`` is refused), and nothing else a response says is
followed: no meta refresh, no scripts, no links. Every failure is a `FetchError` naming the URL.

Inside `public_addresses_only()` (the HTTP API fetches what strangers name), every connection,
redirects and a feed's entry links included, goes only to public addresses: the host is resolved
once, every address it resolves to is checked, and the socket connects to a checked address, so a
name that answers differently the second time (DNS rebinding) cannot reach the machine's own
services or its network.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urljoin

from rashomon.errors import FetchError
from rashomon.ingest.content import format_size
from rashomon.ingest.metadata import is_http_url

if TYPE_CHECKING:
    from rashomon.settings import Settings

__all__ = ["RefusedAddress", "Response", "fetch", "non_public_kind", "public_addresses_only"]

_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"
)


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched body and what the server said about it."""

    url: str  # where the body came from, after redirects
    content_type: str  # media type in lower case without parameters; "" when not sent
    charset: str | None
    body: bytes


class _RefusedRedirect(Exception):
    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirect handling, refusing targets that are not http(s) URLs."""

    def http_error_302(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
        headers: http.client.HTTPMessage,
    ) -> Any:
        location = headers.get("location") or headers.get("uri")
        if location:
            target = urljoin(req.full_url, location)
            if not is_http_url(target):
                fp.close()
                raise _RefusedRedirect(target)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


# Address kinds refused inside `public_addresses_only`, in the order they are named.
_NON_PUBLIC = ("loopback", "link_local", "multicast", "unspecified", "reserved", "private")
_public_only: ContextVar[bool] = ContextVar("rashomon_public_addresses_only", default=False)


class RefusedAddress(OSError):
    """A connection to a non-public address, refused inside `public_addresses_only`."""


def non_public_kind(address: str) -> str | None:
    """What kind of non-public address an IP address is ("loopback", "private", ...), or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for kind in _NON_PUBLIC:
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "non-public"


@contextmanager
def public_addresses_only() -> Iterator[None]:
    """Within this block (in this thread or task), `fetch` connects to public addresses only."""
    token = _public_only.set(True)
    try:
        yield
    finally:
        _public_only.reset(token)


def _public_connection(
    address: tuple[str, int], timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]
    source_address: Any = None,
) -> socket.socket:
    """`socket.create_connection`, refusing a host any of whose addresses is not public."""
    host, port = address
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for *_, sockaddr in found:
        kind = non_public_kind(str(sockaddr[0]))
        if kind is not None:
            named = host if host == sockaddr[0] else f"{host} resolves to {sockaddr[0]}, which"
            raise RefusedAddress(f"{named} is a {kind} address")
    error: OSError = OSError(f"{host} has no address")
    for family, kind_of_socket, proto, _, sockaddr in found:
        sock = socket.socket(family, kind_of_socket, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)  # the checked address itself: no second lookup
            return sock
        except OSError as failure:
            sock.close()
            error = failure
    raise error


class _PublicHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_PublicHTTPSConnection, req)


def _reason(error: object, timeout: float) -> str:
    """One line saying why a connection failed."""
    if isinstance(error, RefusedAddress):
        return f"refused: {error} (allow_private_urls)"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, TimeoutError):
        return f"timed out after {timeout:g} s (fetch_timeout)"
    if isinstance(error, socket.gaierror):
        return "host not found"
    if isinstance(error, ssl.SSLError):
        return f"TLS error ({error.reason or error})"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    return str(error) or type(error).__name__


def _too_large(source: str, limit: int) -> FetchError:
    return FetchError(
        source, f"response is over the {format_size(limit)} fetch size cap (fetch_max_bytes)"
    )


def _read_body(response: Any, source: str, limit: int) -> bytes:
    """The response body; refuses one over `limit` bytes without reading more than that."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(source, limit)
    body: bytes = response.read(limit + 1)
    if len(body) > limit:
        raise _too_large(source, limit)
    return body


def _open(url: str, settings: Settings) -> Response:
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": settings.user_agent,
            "Accept": _ACCEPT,
            # urllib does not decompress; asking for no compression keeps the size cap honest.
            "Accept-Encoding": "identity",
        },
    )
    guards = (_PublicHTTPHandler, _PublicHTTPSHandler) if _public_only.get() else ()
    opener = urllib.request.build_opener(_HttpOnlyRedirects, *guards)
    with opener.open(request, timeout=settings.fetch_timeout) as response:
        body = _read_body(response, url, settings.fetch_max_bytes)
        headers = response.headers
        content_type = headers.get_content_type() if headers.get("Content-Type") else ""
        return Response(response.geturl(), content_type, headers.get_content_charset(), body)


def fetch(url: str, settings: Settings) -> Response:
    """GET `url`; raises `FetchError` naming `url` when that fails.

    Uses `settings.fetch_timeout` (connect and each read), `settings.fetch_max_bytes` and
    `settings.user_agent`. An HTTP status of 400 or more is a failure.
    """
    if not is_http_url(url):
        raise FetchError(url, "not an http(s) URL")
    try:
        return _open(url, settings)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise FetchError(url, f"HTTP {exc.code} {exc.reason}".rstrip()) from None
    except _RefusedRedirect as exc:
        reason = f"redirected to {exc.target}, which is not an http(s) URL"
        raise FetchError(url, reason) from None
    except urllib.error.URLError as exc:
        raise FetchError(url, _reason(exc.reason, settings.fetch_timeout)) from None
    except http.client.InvalidURL:
        raise FetchError(url, "not a valid URL") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchError(url, _reason(exc, settings.fetch_timeout)) from None
