"""`rashomon serve`'s API against its own OpenAPI schema, its errors, its access rules.

The store is filled through the real pipeline (real spaCy and embedding models, real SQLite)
with invented articles (tests/serve_corpus.py). Hypothesis drives every GET endpoint with
valid and invalid parameters; each answer must have a status the schema declares for that
operation and a body valid against the schema it gives for that status.
"""

from __future__ import annotations

import http.server
import importlib
import threading
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote

import pytest
import serve_corpus as corpus
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from rashomon.errors import FetchError
from rashomon.ingest.fetch import fetch, public_addresses_only
from rashomon.store import open_store
from rashomon.serve import BindRefused, check_binding, create_app
from rashomon.serve.access import session_value
from rashomon.settings import load_settings

pytestmark = pytest.mark.slow

CAP = 20_000  # max_document_bytes in these tests, so that "too large" costs little
TOKEN = "correct-horse-battery-staple"


def _settings(**overrides: Any) -> Any:
    return load_settings(max_document_bytes=CAP, **overrides)


@pytest.fixture(scope="module")
def db() -> str:
    return corpus.corpus_store()


@pytest.fixture(scope="module")
def client(db: str) -> TestClient:
    return TestClient(create_app(db, _settings()), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def openapi(client: TestClient) -> dict[str, Any]:
    answer = client.get("/api/openapi.json")
    assert answer.status_code == 200
    return answer.json()


@pytest.fixture(scope="module")
def tunnel(db: str) -> str:
    return corpus.story_id_with(db, "Tunnel Flooded")


def _check_against_schema(openapi: dict[str, Any], path: str, method: str, answer: Any) -> None:
    """The status is one the operation declares, and the body is valid for that status."""
    operation = openapi["paths"][path][method]
    declared = operation["responses"]
    status = str(answer.status_code)
    assert status in declared, f"{method.upper()} {path}: undeclared status {status}: {answer.text[:300]}"
    schema = declared[status]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": openapi["components"]})
    errors = sorted(validator.iter_errors(answer.json()), key=lambda e: list(e.path))
    assert not errors, f"{method.upper()} {path} {status}: {errors[0].message} at {list(errors[0].path)}"


def _parameter_values(parameter: dict[str, Any], known: dict[str, list[str]]) -> st.SearchStrategy[Any]:
    """Values for one parameter: mostly what the schema allows, some of what it does not."""
    schema = parameter["schema"]
    name = parameter["name"]
    noise = st.text(min_size=0, max_size=30)
    if parameter["in"] == "path":
        return st.one_of(st.sampled_from(known.get(name, ["x"])), noise.filter(bool))
    if "enum" in schema:
        return st.one_of(st.sampled_from(schema["enum"]), noise)
    if schema.get("type") == "integer":
        low, high = schema.get("minimum", -5), schema.get("maximum", 10**6)
        return st.one_of(st.integers(low, min(high, low + 300)), st.integers(-10, 10**10),
                         st.sampled_from(["", "ten", "1.5"]))
    return noise


GET_PATHS = [
    "/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/documents",
    "/api/stories/{story_id}/attributions", "/api/stories/{story_id}/claims",
    "/api/stories/{story_id}/relations", "/api/stories/{story_id}/entities",
    "/api/stories/{story_id}/mentions", "/api/stories/{story_id}/timeline",
    "/api/stories/{story_id}/entities/{entity_id}", "/api/documents",
    "/api/documents/{doc_id}", "/api/check", "/api/entities", "/api/entities/{entity_id}",
]


def test_serve_api_schema_lists_every_endpoint_and_the_report(openapi: dict[str, Any]) -> None:
    assert set(GET_PATHS) <= set(openapi["paths"])
    assert "post" in openapi["paths"]["/api/documents"]
    components = openapi["components"]["schemas"]
    assert {"Report", "Report_attribution", "Report_relation", "ErrorOut"} <= set(components)
    Draft202012Validator.check_schema({**components["Report"], "components": {}})


@pytest.mark.parametrize("path", GET_PATHS)
def test_serve_api_get_endpoints_answer_as_their_schema_says(
    path: str, client: TestClient, openapi: dict[str, Any], db: str, tunnel: str
) -> None:
    report = client.get(f"/api/stories/{tunnel}").json()
    known = {
        "story_id": [tunnel, corpus.story_id_with(db, "Bakery"), "s9999"],
        "entity_id": [e["id"] for e in report["entities"]][:5] + ["person:nobody"],
        "doc_id": [d["id"] for d in report["documents"]] + ["0000-ffff"],
    }
    parameters = openapi["paths"][path]["get"].get("parameters", [])

    @settings(max_examples=12, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(values=st.fixed_dictionaries(
        {p["name"]: _parameter_values(p, known) for p in parameters}))
    def run(values: dict[str, Any]) -> None:
        url = path
        query = {}
        for parameter in parameters:
            value = values[parameter["name"]]
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", quote(str(value), safe=""))
            else:
                query[parameter["name"]] = str(value)
        answer = client.get(url, params=query)
        assert answer.status_code < 500, answer.text
        _check_against_schema(openapi, path, "get", answer)

    run()


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(
    st.dictionaries(st.sampled_from(["record", "url", "text", "documents"]),
                    st.integers() | st.text(max_size=10), min_size=1),
    st.fixed_dictionaries({"records": st.lists(st.fixed_dictionaries(
        {"outlet": st.text(max_size=5)}, optional={"published": st.text(max_size=12)}),
        min_size=1, max_size=3)}),
    st.just({}), st.just({"records": [], "urls": []}),
))
def test_serve_api_post_refuses_bad_bodies_as_the_schema_says(
    body: dict[str, Any], client: TestClient, openapi: dict[str, Any]
) -> None:
    answer = client.post("/api/documents", json=body)
    assert answer.status_code == 422
    _check_against_schema(openapi, "/api/documents", "post", answer)
    assert answer.json()["message"]


def test_serve_api_story_holds_the_contradiction_of_two_outlets_and_the_denial(
    client: TestClient, tunnel: str
) -> None:
    report = client.get(f"/api/stories/{tunnel}").json()
    outlets = {d["id"]: d["outlet"] for d in report["documents"]}
    kinds = {}
    for relation in report["relations"]:
        kinds.setdefault(relation["kind"], []).append(
            {outlets[e["document"]] for e in relation["evidence"]})
    assert {"Velmora Herald", "Kestrel Times"} in kinds["contradiction"]
    assert any("Port Veyra Ledger" in sides for sides in kinds["denial"])
    assert report["briefs"] and report["briefs"][0]["sentences"]


def test_serve_api_lists_paginate_and_search(client: TestClient) -> None:
    first = client.get("/api/stories", params={"limit": 2, "sort": "size"}).json()
    assert first["total"] == 3 and len(first["items"]) == 2
    assert first["items"][0]["size"] == 3  # largest first
    rest = client.get(first["next"]).json()
    assert [s["id"] for s in rest["items"]] not in ([s["id"] for s in first["items"]],)
    assert len(rest["items"]) == 1 and rest["next"] is None
    found = client.get("/api/stories", params={"q": "bakery FAIR"}).json()
    assert [s["title"] for s in found["items"]] == ["Hollin Bakery Fair Draws Record Crowd"]
    by_date = client.get("/api/stories").json()["items"]
    assert [s["last_published"] for s in by_date] == sorted(
        (s["last_published"] for s in by_date), reverse=True)


def test_serve_api_errors_are_json_that_name_the_problem(client: TestClient) -> None:
    missing = client.get("/api/stories/s4242")
    assert missing.status_code == 404 and "s4242" in missing.json()["message"]
    bad = client.get("/api/stories", params={"limit": 0})
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["where"] == "query.limit"
    assert client.get("/api/documents/nope").status_code == 404
    assert client.get("/api/no-such-thing").json()["status"] == 404


def test_serve_api_refuses_a_document_over_the_size_cap(client: TestClient) -> None:
    huge = {"records": [{"outlet": "Velmora Herald", "title": "Long",
                         "text": "The tunnel flooded again. " * (CAP // 20)}]}
    answer = client.post("/api/documents", json=huge)
    assert answer.status_code == 413
    assert "records[0]" in answer.json()["message"]
    assert "max_document_bytes" in answer.json()["message"]
    body = b'{"records": [' + b" " * (4 * CAP + 10) + b"]}"
    answer = client.post("/api/documents", content=body,
                         headers={"content-type": "application/json"})
    assert answer.status_code == 413 and answer.json()["error"] == "too large"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/x", "http://localhost/", "http://[::1]/", "http://10.2.3.4/",
    "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://224.0.0.1/",
    "http://240.0.0.1/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/",
    "file:///etc/passwd", "ftp://example.org/", "http:///nohost",
])
def test_serve_api_refuses_urls_to_private_addresses(client: TestClient, url: str) -> None:
    answer = client.post("/api/documents", json={"urls": [url]})
    assert answer.status_code == 422, answer.text
    assert answer.json()["message"].startswith("urls[0]: ")


class _Counting(http.server.BaseHTTPRequestHandler):
    hits = 0
    pages: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        type(self).hits += 1
        page = self.pages.get(self.path, b"<html><body><p>nothing here</p></body></html>")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def local_site() -> Iterator[tuple[str, type[_Counting]]]:
    """An HTTP server on 127.0.0.1 (the outside world's stand-in), counting its requests."""
    handler = type("Handler", (_Counting,), {"hits": 0, "pages": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def test_serve_fetch_guard_checks_the_address_it_connects_to(local_site) -> None:
    # The name passes no check of its own here: the guard sits on the connection, so a name
    # that resolves to a public address first and to 127.0.0.1 later is refused all the same.
    url, handler = local_site
    with public_addresses_only(), pytest.raises(FetchError, match="loopback address"):
        fetch(url + "/article", _settings())
    assert handler.hits == 0
    fetch(url + "/article", _settings())  # outside the guard, the CLI's fetches are unchanged
    assert handler.hits == 1


NESTED = "<div>" * 1500 + "deep" + "</div>" * 1500


def test_serve_api_ingests_posted_records_and_urls_when_allowed(tmp_path, local_site) -> None:
    url, handler = local_site
    handler.pages = {
        "/lib": (b"<html><head><title>Velmora Library Reopens</title></head><body><article>"
                 b"<h1>Velmora Library Reopens</h1><p>The Velmora library reopened on Wednesday "
                 b"after the storm, librarian Oskar Vell said. \"Every book stayed dry,\" Vell "
                 b"said on Wednesday, adding that the reading room would stay open late all "
                 b"week.</p><script>window.__pwned = 1</script><p><a href=\"javascript:alert(1)\">"
                 b"Opening hours</a></p></article></body></html>"),
        # deeper than any parser follows: refused, with its reason, and the rest goes on
        "/nested": f"<html><body>{NESTED}</body></html>".encode(),
    }
    app = create_app(str(tmp_path / "posted.db"), _settings(allow_private_urls=True))
    client = TestClient(app, base_url="http://127.0.0.1")
    record = {**corpus.TUNNEL[0]}
    answer = client.post("/api/documents", json={
        "records": [record], "urls": [url + "/lib", url + "/nested"]})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert len(body["added"]) == 2
    assert body["failed"] == [{"input": url + "/nested",
                               "reason": "no article text found in HTML"}]
    assert handler.hits == 2
    again = client.post("/api/documents", json={"records": [record]}).json()
    assert again["added"] == [] and again["unchanged"] == [body["added"][0]]
    # the story's analysis was made by the ingest that grouped it, and is read back as stored
    story = next(s["id"] for s in body["stories"] if s["title"] == record["title"])
    with open_store(str(tmp_path / "posted.db")) as store:
        stored = store.load_story_analysis(story)
    assert stored is not None and stored.run_id is not None
    assert app.state.service.story(story).analysis == stored.analysis
    assert len(client.get(f"/api/stories/{story}").json()["documents"]) == 1
    before = {g["id"] for g in client.get("/api/entities").json()["items"]}
    assert "person:ana-silva" in before and "person:teodor-brannik" not in before
    grown = client.post("/api/documents", json={"records": [corpus.TUNNEL[1]]}).json()
    assert [s["id"] for s in grown["stories"]] == [story]
    # the entity list follows the grown story: its new speaker, its counts
    after = client.get("/api/entities/person:teodor-brannik").json()
    assert [(s["story"], s["outlets"]) for s in after["stories"]] == [(story, ["Kestrel Times"])]
    report = client.get(f"/api/stories/{story}").json()
    assert len(report["documents"]) == 2
    assert "contradiction" in {r["kind"] for r in report["relations"]}
    texts = [client.get(f"/api/documents/{d}").json()["document"]["text"] for d in body["added"]]
    assert any("Every book stayed dry" in t for t in texts)
    assert not any("__pwned" in t for t in texts)  # the page's script is not article text


def test_serve_api_record_without_title_or_url_is_keyed_on_its_text(tmp_path) -> None:
    client = TestClient(create_app(str(tmp_path / "keyed.db"), _settings()),
                        base_url="http://127.0.0.1")
    record = {"outlet": "Velmora Herald", "text": "The Velmora ferry resumed its crossings on "
              "Monday after a week of repairs, the harbour office said in a statement."}
    first = client.post("/api/documents", json={"records": [record]}).json()
    again = client.post("/api/documents", json={"records": [record]}).json()
    assert len(first["added"]) == 1
    assert again["added"] == [] and again["unchanged"] == first["added"]
    document = client.get(f"/api/documents/{first['added'][0]}").json()["document"]
    assert document["source"] == "records[0]"  # as the request named it, not a temporary file


def test_serve_api_refuses_input_no_document_comes_from(client: TestClient) -> None:
    answer = client.post("/api/documents", json={"records": [
        {"outlet": "Velmora Herald", "title": "Leer", "text": "   \n  "}]})
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["where"] == "records[0]"


def test_serve_access_needs_a_token_off_loopback() -> None:
    assert check_binding("127.0.0.1", None) is True
    assert check_binding("localhost", None) is True
    with pytest.raises(BindRefused, match="needs a token"):
        check_binding("0.0.0.0", None)
    with pytest.raises(BindRefused, match="16 characters"):
        check_binding("0.0.0.0", "short")
    assert check_binding("0.0.0.0", TOKEN) is False


def test_serve_access_token_guards_the_api_and_the_pages(db: str) -> None:
    client = TestClient(create_app(db, _settings(), token=TOKEN, loopback_only=False),
                        base_url="http://news.example")
    assert client.get("/api/stories").status_code == 401
    assert client.get("/api/stories", headers={"Authorization": "Bearer nope"}).status_code == 401
    ok = client.get("/api/stories", headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    page = client.get("/?q=tunnel", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    wrong = client.post("/login", content="token=guess&next=/", follow_redirects=False)
    assert wrong.status_code == 401
    right = client.post("/login", content=f"token={TOKEN}&next=//evil.example/",
                        follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == "/"
    assert client.cookies.get("rashomon_session") == session_value(TOKEN)
    assert TOKEN not in right.headers["set-cookie"]
    assert client.get("/").status_code == 200


def test_serve_loopback_server_answers_only_loopback_host_names(db: str) -> None:
    client = TestClient(create_app(db, _settings()), base_url="http://rebound.example")
    answer = client.get("/api/stories")
    assert answer.status_code == 400 and "rebound.example" in answer.json()["message"]
    for host in ("localhost:8000", "127.0.0.1", "[::1]:8000"):
        assert client.get("/api/stories", headers={"host": host}).status_code == 200


def test_serve_pages_escape_hostile_text_and_set_strict_headers(client: TestClient, db: str) -> None:
    hostile = corpus.story_id_with(db, "Choir")
    page = client.get(f"/stories/{hostile}")
    assert page.status_code == 200
    assert page.headers["x-content-type-options"] == "nosniff"
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = page.text
    assert "<script>window" not in html and "&lt;script&gt;window.__pwned" in html
    assert "onerror=" not in html.replace("onerror=&quot;", "")
    assert 'href="javascript:' not in html
    assert html.count("<script") == 1  # the app's own script, from /static/
    listing = client.get("/").text
    assert "<script>window" not in listing and "<b onmouseover" not in listing


@pytest.mark.parametrize("name", [
    "rashomon.serve", "rashomon.serve.access", "rashomon.serve.api", "rashomon.serve.app",
    "rashomon.serve.catalog", "rashomon.serve.errors", "rashomon.serve.markup", "rashomon.serve.pages",
    "rashomon.serve.schemas", "rashomon.serve.server", "rashomon.serve.service",
])
def test_serve_modules_export_a_sorted_all_of_existing_names(name: str) -> None:
    module = importlib.import_module(name)
    assert list(module.__all__) == sorted(module.__all__)
    assert all(hasattr(module, member) for member in module.__all__)


def test_serve_api_check_answers_with_the_documents_and_their_words(
    client: TestClient, openapi: dict[str, Any], tunnel: str
) -> None:
    answer = client.get("/api/check", params={"claim": "The Velmora rail tunnel is flooded"})
    _check_against_schema(openapi, "/api/check", "get", answer)
    results = answer.json()["results"]
    assert {r["outlet"] for r in results} >= {"Velmora Herald", "Kestrel Times"}
    for result in results:
        assert result["story"] == tunnel
        text = client.get(f"/api/documents/{result['document']}").json()["document"]["text"]
        assert all(text[s["start"]:s["end"]] == s["text"] for s in result["spans"])
    assert client.get("/api/check", params={"claim": ""}).status_code == 422


def test_serve_api_entities_group_stories_paginate_and_search(
    client: TestClient, openapi: dict[str, Any], db: str, tunnel: str
) -> None:
    everything = client.get("/api/entities", params={"limit": 200})
    _check_against_schema(openapi, "/api/entities", "get", everything)
    groups = everything.json()["items"]
    assert everything.json()["total"] == len(groups) > 3
    # every story's entities are there, each under its own id, linked to its story page
    per_story = {(s["story"], s["entity"]) for g in groups for s in g["stories"]}
    for story in (tunnel, corpus.story_id_with(db, "Bakery")):
        for entity in client.get(f"/api/stories/{story}/entities",
                                 params={"limit": 200}).json()["items"]:
            assert (story, entity["id"]) in per_story
    # one name in two stories is one group of two (Port Veyra: the tunnel and the choir)
    port = next(g for g in groups if g["id"] == "gpe:port-veyra")
    assert len(port["stories"]) == 2 and groups.index(port) == 0
    assert client.get(port["stories"][0]["api"]).status_code == 200
    silva = next(g for g in groups if g["id"] == "person:ana-silva")
    assert silva["mentions"] == sum(s["mentions"] for s in silva["stories"]) >= 3
    assert set(silva["outlets"]) == {"Velmora Herald", "Kestrel Times", "Port Veyra Ledger"}
    # pages: two at a time walk the same list, in the same order
    walked, path = [], "/api/entities?limit=2"
    while path:
        page = client.get(path).json()
        assert len(page["items"]) <= 2
        walked += [g["id"] for g in page["items"]]
        path = page["next"]
    assert walked == [g["id"] for g in groups]
    found = client.get("/api/entities", params={"q": "SILVA ana"}).json()
    assert [g["id"] for g in found["items"]] == ["person:ana-silva"] and found["total"] == 1
    assert client.get("/api/entities", params={"q": "Zorblatt"}).json()["total"] == 0
    one = client.get("/api/entities/person:ana-silva")
    _check_against_schema(openapi, "/api/entities/{entity_id}", "get", one)
    assert one.json() == silva
    missing = client.get("/api/entities/person:nobody-at-all")
    assert missing.status_code == 404 and "person:nobody-at-all" in missing.json()["message"]
    bad = client.get("/api/entities", params={"limit": 201, "q": "x" * 201})
    assert bad.status_code == 422
    assert {p["where"] for p in bad.json()["problems"]} == {"query.limit", "query.q"}


def test_serve_cli_refuses_an_open_host_without_a_token(db: str) -> None:
    from click.testing import CliRunner

    from rashomon.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--db", db, "--host", "0.0.0.0"],
                                env={"RASHOMON_TOKEN": ""})
    assert result.exit_code == 2
    assert "needs a token" in result.output


def test_serve_cli_serves_the_store_on_loopback(db: str) -> None:
    import json
    import subprocess
    import sys
    import time
    import urllib.request

    port = corpus.free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "rashomon", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories",
                                            timeout=5) as answer:
                    stories = json.load(answer)
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "rashomon serve did not answer in 30 s"
                time.sleep(0.1)
        assert stories["total"] == 3
    finally:
        server.terminate()
        server.wait(timeout=10)
