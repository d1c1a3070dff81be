"""Ingest from http(s) URLs and RSS/Atom feeds, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from rashomon.errors import FetchError, InputError
from rashomon.ingest import iter_raw
from rashomon.model import RawDocument
from rashomon.settings import load_settings

SLOW_SECONDS = 1.5
SMALL_TIMEOUT = 0.3

LIBRARY = (
    "The public library in Brenmoor reopened on Saturday after a two-year rebuild, with a "
    "children's wing and a roof garden, the town council said."
)
LIBRARY_QUOTE = (
    '"People queued from seven in the morning," head librarian Ada Quist said. '
    "The council said the rebuild came in under budget."
)
REGATTA = (
    "Strong winds forced organisers to cancel the Brenmoor regatta on Sunday for the first "
    "time in thirty years. Race officer Piet Lund said the crews were disappointed but safe."
)
FULL_STORY = (
    "The Brenmoor water board said on Thursday that the old reservoir dam would be drained "
    "for repairs over the summer, after inspectors found seepage along its eastern wall. "
    "Board chair Oskar Vinter said the work would take about eleven weeks and that households "
    "would not notice any change in supply, because the new reservoir north of the town could "
    "carry the whole load on its own. Anglers' clubs complained that the draining would kill "
    "the fish stock, and the board said it would move as many fish as it could to the river. "
    "A public meeting about the plan is due to be held in the town hall next Tuesday evening."
)


def page(title: str, *paragraphs: str, head: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:site_name' content='Brenmoor Post'>{head}</head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>Brenmoor Post, all rights reserved</footer></body></html>"
    ).encode()


RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Brenmoor Post</title><link>http://brenmoor-post.example/</link>
<description>Local news</description>
<item><title>Dam to be drained</title><link>{{base}}/dam.html</link>
<pubDate>Thu, 05 Jun 2025 09:00:00 +0200</pubDate>
<content:encoded><![CDATA[<p>{FULL_STORY}</p>]]></content:encoded></item>
<item><title>Library reopens after rebuild</title><link>{{base}}/library.html</link>
<pubDate>Sat, 07 Jun 2025 10:00:00 +0200</pubDate>
<description>The library is open again.</description></item>
<item><title>Gone story</title><link>{{base}}/gone.html</link></item>
<item><title>Regatta cancelled</title><link>{{base}}/regatta.txt</link>
<pubDate>Sun, 08 Jun 2025 18:00:00 +0200</pubDate></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Brenmoor Atom</title><id>urn:x</id>
<updated>2025-06-07T10:00:00Z</updated>
<entry><title>Library reopens</title><link href="../library.html"/><id>urn:1</id>
<updated>2025-06-07T10:00:00+02:00</updated></entry>
</feed>
"""


@dataclass
class Route:
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    body: bytes = b""
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    send_length: bool = True


class Server:
    """A real HTTP server in a thread, serving fixed routes and recording what it was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("User-Agent", "")))
                route = server.routes.get(self.path, Route(404, "text/plain", b"not found"))
                time.sleep(route.delay)
                try:
                    self.send_response(route.status)
                    if route.content_type:
                        self.send_header("Content-Type", route.content_type)
                    if route.send_length:
                        self.send_header("Content-Length", str(len(route.body)))
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test): nothing to answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy from the environment would be asked for 127.0.0.1 instead of the test server.
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server()
    base = srv.base
    srv.routes.update({
        "/library.html": Route(body=page("Library reopens after rebuild", LIBRARY, LIBRARY_QUOTE,
                                         head="<meta http-equiv='refresh' content='0; url=/secret'>"
                                              "<script>fetch('/secret-script')</script>")),
        "/dam.html": Route(body=page("Dam to be drained", FULL_STORY)),
        "/regatta.txt": Route(content_type="text/plain; charset=utf-8", body=REGATTA.encode()),
        "/latin1.txt": Route(content_type="text/plain; charset=iso-8859-1",
                             body="The café in Brenmoor reopened, Señora Núñez said.".encode(
                                 "iso-8859-1")),
        "/untyped": Route(content_type=None, body=page("Library reopens after rebuild", LIBRARY)),
        "/feed.xml": Route(content_type="application/rss+xml",
                           body=RSS.replace("{base}", base).encode()),
        "/generic-feed": Route(content_type="application/xml",
                               body=RSS.replace("{base}", base).encode()),
        "/feeds/atom.xml": Route(content_type="application/atom+xml", body=ATOM.encode()),
        "/slow": Route(delay=SLOW_SECONDS, body=page("Slow", LIBRARY)),
        "/big": Route(body=b"<p>" + b"x" * 20_000 + b"</p>"),
        "/big-unsized": Route(body=b"<p>" + b"x" * 20_000 + b"</p>", send_length=False),
        "/over-doc-cap": Route(content_type="text/plain", body=b"word " * 400),
        "/moved": Route(302, headers={"Location": "/library.html"}),
        "/to-file": Route(302, headers={"Location": "file:///etc/passwd"}),
        "/image.png": Route(content_type="image/png", body=b"\x89PNG\r\n\x1a\n\x00"),
        "/server-error": Route(500, body=b"oops"),
        "/binary": Route(content_type="text/plain", body=b"\x00\x01\x02\x03" * 50),
    })
    thread = threading.Thread(target=srv.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


@pytest.fixture
def settings() -> Any:
    return load_settings(user_agent="rashomon-test/1.0")


def closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def read_all(inputs: list[str], settings: Any) -> list[RawDocument | InputError]:
    return list(iter_raw(inputs, settings))


def test_ingest_url_html_page(server: Server, settings: Any) -> None:
    url = f"{server.base}/library.html"
    (doc,) = read_all([url], settings)
    assert isinstance(doc, RawDocument)
    assert (doc.source, doc.source_key, doc.url) == (url, url, url)
    assert doc.html is None and doc.text is not None
    assert doc.text.startswith("Library reopens after rebuild\n\nThe public library in Brenmoor")
    assert "Ada Quist" in doc.text and "Home" not in doc.text and "rights" not in doc.text
    assert (doc.title, doc.outlet) == ("Library reopens after rebuild", "Brenmoor Post")


def test_ingest_url_sends_user_agent_and_follows_nothing_in_the_page(
    server: Server, settings: Any
) -> None:
    server.requests.clear()
    read_all([f"{server.base}/library.html"], settings)
    assert server.requests == [("/library.html", "rashomon-test/1.0")]


def test_ingest_url_source_key_is_normalised(server: Server, settings: Any) -> None:
    port = server.base.rsplit(":", 1)[1]
    url = f"HTTP://127.0.0.1:{port}/library.html#comments"
    (doc,) = read_all([url], settings)
    assert isinstance(doc, RawDocument)
    assert doc.source == url
    assert doc.source_key == f"http://127.0.0.1:{port}/library.html"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/regatta.txt", REGATTA),
        ("/latin1.txt", "The café in Brenmoor reopened, Señora Núñez said."),
    ],
)
def test_ingest_url_plain_text(server: Server, settings: Any, path: str, expected: str) -> None:
    (doc,) = read_all([server.base + path], settings)
    assert isinstance(doc, RawDocument)
    assert doc.text == expected


def test_ingest_url_without_content_type_is_sniffed(server: Server, settings: Any) -> None:
    (doc,) = read_all([f"{server.base}/untyped"], settings)
    assert isinstance(doc, RawDocument) and doc.text is not None and LIBRARY in doc.text


def test_ingest_url_redirect_is_followed_and_keyed_by_the_typed_url(
    server: Server, settings: Any
) -> None:
    url = f"{server.base}/moved"
    (doc,) = read_all([url], settings)
    assert isinstance(doc, RawDocument)
    assert doc.source_key == url
    assert doc.url == f"{server.base}/library.html"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/nowhere", "HTTP 404 Not Found"),
        ("/server-error", "HTTP 500 Internal Server Error"),
        ("/big", "response is over the 10.0 kB fetch size cap (fetch_max_bytes)"),
        ("/big-unsized", "response is over the 10.0 kB fetch size cap (fetch_max_bytes)"),
        ("/to-file", "redirected to file:///etc/passwd, which is not an http(s) URL"),
        ("/image.png",
         "unsupported content type image/png (expected HTML, plain text or an RSS/Atom feed)"),
    ],
)
def test_ingest_url_fetch_errors(server: Server, path: str, reason: str) -> None:
    settings = load_settings(fetch_max_bytes=10_000)
    url = server.base + path
    (error,) = read_all([url], settings)
    assert isinstance(error, FetchError)
    assert str(error) == f"{url}: {reason}"


def test_ingest_url_connection_refused(settings: Any) -> None:
    url = f"http://127.0.0.1:{closed_port()}/x"
    (error,) = read_all([url], settings)
    assert isinstance(error, FetchError)
    assert str(error) == f"{url}: connection refused"


def test_ingest_url_timeout(server: Server) -> None:
    settings = load_settings(fetch_timeout=SMALL_TIMEOUT)
    url = f"{server.base}/slow"
    started = time.monotonic()
    (error,) = read_all([url], settings)
    assert time.monotonic() - started < SLOW_SECONDS
    assert isinstance(error, FetchError)
    assert str(error) == f"{url}: timed out after {SMALL_TIMEOUT:g} s (fetch_timeout)"


def test_ingest_url_body_over_document_cap(server: Server) -> None:
    url = f"{server.base}/over-doc-cap"
    (error,) = read_all([url], load_settings(max_document_bytes=1000))
    assert str(error) == (
        f"{url}: 2.0 kB is over the 1.0 kB document size cap (max_document_bytes)")


def test_ingest_url_binary_body_is_refused(server: Server, settings: Any) -> None:
    url = f"{server.base}/binary"
    (error,) = read_all([url], settings)
    assert str(error) == f"{url}: binary response, not text"


def test_ingest_url_failure_does_not_stop_the_next_url(server: Server, settings: Any) -> None:
    items = read_all([f"{server.base}/nowhere", f"{server.base}/regatta.txt"], settings)
    assert [type(item) for item in items] == [FetchError, RawDocument]


# --- feeds ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/feed.xml", "/generic-feed"])
def test_ingest_feed_url_full_text_and_linked_entries(
    server: Server, settings: Any, path: str
) -> None:
    feed_url = server.base + path
    server.requests.clear()
    items = read_all([feed_url], settings)
    assert [type(item) for item in items] == [RawDocument, RawDocument, FetchError, RawDocument]
    full, linked, gone, text = items
    assert isinstance(full, RawDocument) and isinstance(linked, RawDocument)
    assert isinstance(text, RawDocument)

    # The full-text entry is taken from the feed: its page is never fetched.
    assert (full.source, full.text) == (f"{feed_url}#1", FULL_STORY)
    assert (full.title, full.outlet, full.published) == (
        "Dam to be drained", "Brenmoor Post", "2025-06-05")
    assert full.url == full.source_key == f"{server.base}/dam.html"
    assert "/dam.html" not in server.paths()

    # A link-only entry is fetched and extracted; the entry's metadata wins.
    assert linked.source == linked.source_key == f"{server.base}/library.html"
    assert linked.text is not None and "Ada Quist" in linked.text
    assert (linked.title, linked.outlet, linked.published) == (
        "Library reopens after rebuild", "Brenmoor Post", "2025-06-07")

    assert str(gone) == f"{server.base}/gone.html: HTTP 404 Not Found"
    assert (text.text, text.title, text.published) == (REGATTA, "Regatta cancelled", "2025-06-08")
    assert "/secret" not in server.paths() and "/secret-script" not in server.paths()


def test_ingest_feed_entries_capped_by_setting(server: Server) -> None:
    settings = load_settings(max_feed_entries=2)
    items = read_all([f"{server.base}/feed.xml"], settings)
    assert [item.source for item in items] == [
        f"{server.base}/feed.xml#1", f"{server.base}/library.html"]


def test_ingest_atom_relative_links_resolve_against_the_feed_url(
    server: Server, settings: Any
) -> None:
    (doc,) = read_all([f"{server.base}/feeds/atom.xml"], settings)
    assert isinstance(doc, RawDocument)
    assert doc.source == f"{server.base}/library.html"
    assert (doc.title, doc.outlet, doc.published) == (
        "Library reopens", "Brenmoor Atom", "2025-06-07")


def test_ingest_feed_file_links_are_fetched(server: Server, settings: Any, tmp_path: Any) -> None:
    path = tmp_path / "brenmoor.rss"
    path.write_text(RSS.replace("{base}", server.base), encoding="utf-8")
    items = read_all([str(path)], settings)
    assert [item.source for item in items] == [
        f"{path}#1", f"{server.base}/library.html", f"{server.base}/gone.html",
        f"{server.base}/regatta.txt"]


def test_ingest_feed_entry_linking_to_a_feed_is_refused(server: Server, settings: Any,
                                                        tmp_path: Any) -> None:
    path = tmp_path / "loop.rss"
    path.write_text(
        "<rss version='2.0'><channel><title>Loop</title><item><title>Feed</title>"
        f"<link>{server.base}/feed.xml</link></item></channel></rss>", encoding="utf-8")
    (error,) = read_all([str(path)], settings)
    assert isinstance(error, FetchError)
    assert str(error) == f"{server.base}/feed.xml: the entry links to a feed, not an article"
