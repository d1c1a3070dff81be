"""`rashomon serve`'s check page, corpus-wide entity list and marked story page, through the
real app (TestClient) over a store filled by the real pipeline (tests/serve_corpus.py).

Hostile text (script tags, on* attributes, javascript: links) comes both from a request (the
claim) and from an article (the choir story's text and outlet); it must reach the page as text.
"""

from __future__ import annotations

import html
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import serve_corpus as corpus
from fastapi.testclient import TestClient

from rashomon.serve import create_app
from rashomon.serve.catalog import EntityCatalog, group_entities, story_entities
from rashomon.settings import load_settings
from rashomon.store import open_store

pytestmark = pytest.mark.slow

HOSTILE_CLAIM = ("The Port Veyra harbour choir won the regional singing prize "
                 "<script>window.__pwned='claim'</script><img src=x onerror=\"alert(1)\">")


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def _assert_inert(page: str) -> None:
    """No markup of a stranger's became an element: one script (ours), no handler attribute,
    no image or frame, no javascript: link."""
    tags = _tags(page)
    assert [a.get("src") for t, a in tags if t == "script"] == ["/static/rashomon.js"]
    assert not [(t, a) for t, a in tags if any(k.startswith("on") for k in a)]
    assert not [t for t, _ in tags if t in ("img", "svg", "iframe", "object", "embed", "b")]
    assert not [a for t, a in tags
                if t == "a" and (a.get("href") or "").strip().lower().startswith("javascript:")]


@pytest.fixture(scope="module")
def db() -> str:
    return corpus.corpus_store()


@pytest.fixture(scope="module")
def client(db: str) -> TestClient:
    return TestClient(create_app(db, load_settings()), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def ids(db: str) -> dict[str, str]:
    return {"tunnel": corpus.story_id_with(db, "Tunnel Flooded"),
            "hostile": corpus.story_id_with(db, "Choir")}


def _result_links(page: str) -> list[str]:
    return [html.unescape(a["href"] or "") for t, a in _tags(page)
            if t == "a" and "#cited-span" in (a.get("href") or "")]


def test_serve_pages_check_lists_documents_with_verdicts_and_links_to_their_spans(
    client: TestClient, ids: dict[str, str]
) -> None:
    claim = "The Velmora rail tunnel is flooded"
    page = client.get("/check", params={"claim": claim})
    assert page.status_code == 200
    api = client.get("/api/check", params={"claim": claim}).json()["results"]
    assert len(api) >= 2
    text = page.text
    # the page lists what the API finds, in its order (best first), with verdicts and scores
    positions = [text.index(html.escape(r["spans"][0]["text"], quote=True)) for r in api]
    assert positions == sorted(positions)
    for result in api:
        verdict = {"reports": "only reports"}.get(result["stance"], result["stance"])
        assert f'<span class="verdict {result["stance"]}">{verdict}</span>' in text
        assert f"(score {result['score']:.2f})" in text
    links = _result_links(text)
    first = api[0]["spans"][0]
    assert links[0] == (f"/stories/{ids['tunnel']}?doc={api[0]['document']}"
                        f"&start={first['start']}&end={first['end']}#cited-span")
    assert page.headers["content-security-policy"].startswith("default-src 'none'")


def test_serve_pages_story_marks_exactly_the_cited_span(client: TestClient, ids: dict[str, str]) -> None:
    report = client.get(f"/api/stories/{ids['tunnel']}").json()
    document = report["documents"][1]
    sentence = "Brannik said engineers had inspected the tunnel on Sunday night."
    start = document["text"].index(sentence)
    page = client.get(f"/stories/{ids['tunnel']}",
                      params={"doc": document["id"], "start": start,
                              "end": start + len(sentence)}).text
    marks = re.findall(r'<mark id="cited-span" tabindex="-1">(.*?)</mark>', page, re.DOTALL)
    assert marks == [html.escape(sentence, quote=True)]
    # the article around the mark is the text, character for character
    article = page.split(f'id="doc-{document["id"]}"', 1)[1].split("</section>", 1)[0]
    body = re.sub(r"<[^>]+>", "", article.split('class="article-text" dir="auto">', 1)[1])
    assert html.unescape(body) == document["text"]


def test_serve_pages_omissions_page_lists_all_one_outlet_leaves_out(
        client: TestClient, ids: dict[str, str]) -> None:
    story = ids["tunnel"]  # three outlets, each quoting someone the others do not
    framings = client.get(f"/api/stories/{story}").json()["framings"]
    framing = next(f for f in framings if f["omissions"])
    answer = client.get(f"/stories/{story}/omissions", params={"outlet": framing["outlet"]})
    assert answer.status_code == 200
    assert answer.text.count('class="cite') == len(framing["omissions"])  # each cites its words
    _assert_inert(answer.text)
    missing = client.get(f"/stories/{story}/omissions", params={"outlet": "Nowhere Times"})
    assert missing.status_code == 404


@pytest.mark.parametrize(("params", "notice"), [
    ({"doc": "0000-ffff", "start": 0, "end": 4}, "not in this story"),
    ({"start": 5, "end": 10**6}, "are not in that document"),
    ({"start": 9, "end": 3}, "are not in that document"),
])
def test_serve_pages_story_says_why_a_span_cannot_be_marked(
    client: TestClient, ids: dict[str, str], params: dict[str, Any], notice: str
) -> None:
    doc = client.get(f"/api/stories/{ids['tunnel']}/documents").json()["items"][0]["id"]
    page = client.get(f"/stories/{ids['tunnel']}", params={"doc": doc, **params})
    assert page.status_code == 200
    assert notice in page.text and "<mark" not in page.text
    assert client.get(f"/stories/{ids['tunnel']}",
                      params={"doc": doc, "start": -1}).status_code == 422


def test_serve_pages_check_keeps_a_hostile_claim_and_hostile_articles_inert(
    client: TestClient, ids: dict[str, str]
) -> None:
    page = client.get("/check", params={"claim": HOSTILE_CLAIM})
    assert page.status_code == 200
    _assert_inert(page.text)
    assert html.escape(HOSTILE_CLAIM, quote=True) in page.text  # shown back, as text
    # the choir's article carries markup: its quoted sentences, and its story page with a
    # span marked, are escaped too
    hostile = [link for link in _result_links(page.text)
               if link.startswith(f"/stories/{ids['hostile']}?")]
    assert hostile
    marked = client.get(hostile[0].split("#", 1)[0])
    assert '<mark id="cited-span"' in marked.text
    _assert_inert(marked.text)


def test_serve_pages_check_says_plainly_when_nothing_bears_on_the_claim(client: TestClient) -> None:
    page = client.get("/check", params={"claim": "Zorblatt quintessence marmalade"}).text
    assert "No stored article supports, refutes or reports" in page
    assert '<ol class="results">' not in page
    form = client.get("/check").text
    assert '<textarea name="claim" maxlength="2000"' in form and "No stored article" not in form
    assert client.get("/check", params={"claim": "x" * 2001}).status_code == 422


def test_serve_pages_entities_lists_groups_across_stories_with_links(
    client: TestClient, ids: dict[str, str]
) -> None:
    page = client.get("/entities").text
    _assert_inert(page)  # the hostile outlet's name is on it
    assert "Gull Street Gazette &lt;b onmouseover=" in page
    links = {html.unescape(a["href"] or "") for t, a in _tags(page) if t == "a"}
    assert f"/stories/{ids['tunnel']}/entities/person%3Aana-silva" in links
    # Port Veyra is named in the tunnel story and the choir story: one group, two stories
    group = page.split("<strong class=\"u\">Port Veyra</strong>", 1)[1].split("</ul>", 1)[0]
    assert "2 stories" in group
    assert {f"/stories/{ids['tunnel']}/entities/gpe%3Aport-veyra",
            f"/stories/{ids['hostile']}/entities/gpe%3Aport-veyra"} <= links
    found = client.get("/entities", params={"q": "brannik"}).text
    assert "Teodor Brannik" in found and "Ana Silva" not in found
    for link in (f"/stories/{ids['tunnel']}/entities/person%3Ateodor-brannik",):
        assert client.get(link).status_code == 200


def test_serve_pages_entity_groups_use_the_ids_of_the_story_pages(
    client: TestClient, db: str
) -> None:
    """The list links to the per-story entity page, so its ids must be the report's."""
    with open_store(db) as store:
        members = store.story_members()
        found = story_entities(store)
    for story in members:
        report_ids = {e["id"] for e in client.get(f"/api/stories/{story}").json()["entities"]}
        assert {e.entity for e in found if e.story == story} == report_ids
    groups = group_entities(found)
    assert sum(len(g.stories) for g in groups) == len(found)
    assert [len(g.stories) for g in groups] == sorted((len(g.stories) for g in groups),
                                                      reverse=True)


def test_serve_pages_entity_catalog_counts_stories_not_analysed_as_pending(
    tmp_path: Path, db: str
) -> None:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as connection:
        analysed = connection.execute("SELECT COUNT(*) FROM story_analyses").fetchone()[0]
        connection.execute("DELETE FROM story_analyses WHERE rowid = (SELECT MIN(rowid)"
                           " FROM story_analyses)")
    with open_store(copy) as store:
        view = EntityCatalog(load_settings()).view(store)
    with open_store(db) as store:
        complete = EntityCatalog(load_settings()).view(store)
    assert analysed >= 2
    assert (view.pending, complete.pending) == (1, 0)
    assert sum(len(g.stories) for g in view.groups) < sum(len(g.stories) for g in complete.groups)
