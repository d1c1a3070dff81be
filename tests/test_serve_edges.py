"""The server's edges (issue 18): chunked bodies over the cap, Host headers that only look like
a loopback name, tokens no request could send, record URLs and text the API must refuse or mend.

A real uvicorn server on 127.0.0.1 over an empty store; no model is loaded.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from rashomon.serve import BindRefused, check_binding, create_app
from rashomon.serve.server import running
from rashomon.settings import load_settings
from rashomon.store import open_store

CAP = 10_000  # max_document_bytes: the body cap is four times this


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("serve") / "empty.db")
    with open_store(db):
        pass
    app = create_app(db, load_settings(max_document_bytes=CAP))
    with running(app) as url:
        yield url


def _connection(base_url: str) -> http.client.HTTPConnection:
    parts = urlsplit(base_url)
    return http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=20)


def _answer(connection: http.client.HTTPConnection) -> tuple[int, dict[str, Any]]:
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def test_serve_chunked_body_over_the_cap_is_413(base_url: str) -> None:
    connection = _connection(base_url)
    chunk = b'{"records": [' + b" " * 8_000

    def chunks() -> Iterator[bytes]:
        for _ in range(6):  # 48 kB, over the 40 kB cap, and no Content-Length
            yield chunk

    connection.request("POST", "/api/documents", body=chunks(), encode_chunked=True,
                       headers={"Content-Type": "application/json",
                                "Transfer-Encoding": "chunked"})
    status, body = _answer(connection)
    assert status == 413
    assert body["error"] == "too large" and "cap" in body["message"]


def test_serve_chunked_body_under_the_cap_reaches_the_app(base_url: str) -> None:
    connection = _connection(base_url)
    payload = json.dumps({"records": [], "urls": []}).encode()
    connection.request("POST", "/api/documents", body=iter([payload[:5], payload[5:]]),
                       encode_chunked=True, headers={"Content-Type": "application/json",
                                                     "Transfer-Encoding": "chunked"})
    status, body = _answer(connection)
    # read whole and parsed: the app's own answer to an empty request, not a 400 or a 413
    assert status == 422 and "nothing to add" in body["message"]


@pytest.mark.parametrize("host", [
    "localhost:{port}@evil.example", "evil.example#localhost", "localhost:{port}/x",
    "localhost evil.example", "127.0.0.1:{port}:80", "",
])
def test_serve_host_that_only_looks_loopback_is_refused(base_url: str, host: str) -> None:
    port = urlsplit(base_url).port
    connection = _connection(base_url)
    connection.putrequest("GET", "/api/stories", skip_host=True)
    connection.putheader("Host", host.format(port=port))
    connection.endheaders()
    status, body = _answer(connection)
    assert status == 400
    assert "unexpected Host" in body["message"]


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}",
                                  "LOCALHOST", "localhost"])
def test_serve_loopback_host_is_answered(base_url: str, host: str) -> None:
    connection = _connection(base_url)
    connection.putrequest("GET", "/api/stories", skip_host=True)
    connection.putheader("Host", host.format(port=urlsplit(base_url).port))
    connection.endheaders()
    status, _ = _answer(connection)
    assert status == 200


@pytest.mark.parametrize(("token", "reason"), [
    (" " * 16, "besides spaces"),
    (" " * 10 + "abcdefghij", "besides spaces"),
    ("abcdefgh ijklmnop ", "start or end with a space"),
    ("\tabcdefghijklmnopq", "printable ASCII"),
    ("pässwörd-pässwörd-1", "printable ASCII"),
])
def test_serve_token_that_no_request_could_send_is_refused(token: str, reason: str) -> None:
    with pytest.raises(BindRefused, match=reason):
        check_binding("0.0.0.0", token)


def test_serve_token_with_sixteen_visible_characters_is_taken() -> None:
    assert check_binding("127.0.0.1", "correct horse battery") is True


@pytest.mark.parametrize("url", ["javascript:alert(7)", "data:text/html,x", "file:///etc/passwd",
                                 "ftp://example.com/a", "//example.com/a", "example.com"])
def test_serve_record_url_must_be_http(base_url: str, url: str) -> None:
    connection = _connection(base_url)
    record = {"outlet": "Velmora Herald", "title": "A title", "url": url,
              "text": "The minister said on Thursday that the ferry would run again."}
    connection.request("POST", "/api/documents", body=json.dumps({"records": [record]}),
                       headers={"Content-Type": "application/json"})
    status, body = _answer(connection)
    assert status == 422
    assert body["problems"][0]["where"] == "body.records.0.url"
    assert "http(s)" in body["problems"][0]["message"]


def test_serve_record_text_with_lone_surrogates_is_mended_not_refused(base_url: str) -> None:
    connection = _connection(base_url)
    # JSON can spell a lone surrogate; the record's strings are mended as a reader mends them,
    # so the only problem left in this record is its URL
    connection.request("POST", "/api/documents", body=(
        b'{"records": [{"outlet": "Velmora \\udc00Herald", "title": "A \\ud800 title", '
        b'"text": "The minister \\ud800 said so.", "url": "javascript:alert(7)"}]}'),
        headers={"Content-Type": "application/json"})
    status, body = _answer(connection)
    assert status == 422
    assert [p["where"] for p in body["problems"]] == ["body.records.0.url"]


def test_serve_store_open_refusal_leaves_the_file_alone(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "theirs.db"
    with sqlite3.connect(db) as theirs:
        theirs.execute("CREATE TABLE notes (body TEXT)")
    before = db.read_bytes()
    from rashomon.errors import StoreError
    from rashomon.serve import serve

    with pytest.raises(StoreError, match="not a rashomon store"):
        serve(str(db), settings=load_settings())
    assert db.read_bytes() == before
