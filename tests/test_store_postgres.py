"""The PostgreSQL backend on a real server (`pytest --postgres`; skipped without it): opening
mistakes, what it refuses, caches that see another writer, every command, and three
`rashomon ingest` processes writing one store at once.

The store's own behaviour runs on PostgreSQL through the parametrised tests of test_store.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from conftest import PostgresServer, free_port
from test_store_kill import write_articles

from rashomon.cli import cli
from rashomon.errors import StoreError
from rashomon.model import Document, OffsetMap, document_id
from rashomon.settings import load_settings
from rashomon.store import open_store
from rashomon.story_stage import stale_stories

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _doc(text: str, key: str = "https://example.org/a") -> Document:
    return Document(id=document_id(key, text), source=key, source_key=key, text=text,
                    raw_text=text, title=None, offsets=OffsetMap(((0, 0, len(text)),)))


def _tables(url: str) -> list[str]:
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() ORDER BY table_name").fetchall()
    return [row[0] for row in rows]


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# -- opening -------------------------------------------------------------------------------------


def test_store_postgres_url_nobody_answers_is_one_line_and_exit_3() -> None:
    url = f"postgresql://rashomon:s3cret@127.0.0.1:{free_port()}/news"
    result = CliRunner().invoke(cli, ["stories", "--db", url])
    assert result.exit_code == 3
    line = _one_line(result.stderr)
    assert "no PostgreSQL server answers there" in line and "s3cret" not in line


def test_store_postgres_wrong_password_is_one_line_exit_3_and_writes_nothing(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    good = postgres_server.new_database()
    wrong = good.replace(f":{postgres_server.password}@", ":not-the-password@")
    article = tmp_path / "a.txt"
    article.write_text("The minister said on Thursday that the ferry would run again.")
    result = CliRunner().invoke(cli, ["ingest", str(article), "--db", wrong])
    assert result.exit_code == 3
    line = _one_line(result.stderr)
    assert "refused the user name or password" in line
    assert "not-the-password" not in line
    assert _tables(good) == []  # not even the schema


def test_store_postgres_refuses_a_foreign_database_without_writing(postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(StoreError, match="not a rashomon store"):
        open_store(postgres_url)
    assert _tables(postgres_url) == ["notes"]


def test_store_postgres_opens_again_at_the_same_schema_version(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        version = store.schema_version
        assert store.put_document(_doc("First text."))
    with open_store(postgres_url) as store:
        assert store.schema_version == version
        assert store.has_document(_doc("First text.").id)


def test_store_postgres_refuses_nul_in_text_and_keeps_nothing(postgres_url: str) -> None:
    document = _doc("A text with a \x00 inside.")
    with open_store(postgres_url) as store:
        with pytest.raises(StoreError, match="NUL"):
            store.put_document(document)
        assert not store.has_document(document.id)
        assert store.put_document(_doc("A clean text."))  # and the store goes on


# -- several writers -----------------------------------------------------------------------------


def test_store_postgres_caches_see_what_another_connection_wrote(postgres_url: str) -> None:
    with open_store(postgres_url) as reader, open_store(postgres_url) as writer:
        first = _doc("The bridge reopened.")
        writer.put_document(first)
        writer.put_terms(first.id, {"bridge": 1.0})
        story = writer.create_story(None, [first.id])
        assert reader.term_counts(["bridge"]) == {"bridge": 1}
        assert reader.story_size(story) == 1
        assert reader.stories_with_terms(["bridge"]) == {story: 1}
        second = _doc("The bridge closed again.", key="https://example.org/b")
        writer.put_document(second)
        writer.put_terms(second.id, {"bridge": 1.0})
        writer.add_to_story(story, [second.id])
        # cached by the reader above, and still right after the other's writes
        assert reader.term_counts(["bridge"]) == {"bridge": 2}
        assert reader.story_size(story) == 2


def _ingest(folder: Path, url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1",
           "TOKENIZERS_PARALLELISM": "false", "RASHOMON_DB": url}
    # one process each (--workers 1): what is tested is three writers on one store; worker
    # processes would load the models twice more per writer (tests/test_runners.py covers them)
    return subprocess.Popen([sys.executable, "-m", "rashomon", "ingest", str(folder),
                             "--workers", "1"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_store_postgres_three_writers_at_once_store_and_place_each_document_once(
    postgres_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    total = write_articles(folder)
    # the three read the same articles: each races the others for every document
    writers = [_ingest(folder, postgres_url) for _ in range(3)]
    for writer in writers:
        _, err = writer.communicate(timeout=900)
        assert writer.returncode == 0, err.decode(errors="replace")[-3000:]
    with psycopg.connect(postgres_url) as connection:
        documents = connection.execute("SELECT id, source FROM documents").fetchall()
        assert len(documents) == total
        assert len({source for _, source in documents}) == total  # nothing stored twice
        placements = connection.execute(
            "SELECT d.id, COUNT(sd.story_id) FROM documents d"
            " LEFT JOIN story_documents sd ON sd.doc_id = d.id GROUP BY d.id").fetchall()
        assert {count for _, count in placements} == {1}  # every one in exactly one story
        dead = connection.execute(
            "SELECT COUNT(*) FROM story_documents"
            " WHERE story_id IN (SELECT from_story FROM story_merges)").fetchone()
        assert dead == (0,)
    with open_store(postgres_url) as store:
        assert store.story_members()
        # every story analysed as it is now, whichever writer changed it last
        assert stale_stories(store, load_settings()) == []


# -- every command -------------------------------------------------------------------------------


@pytest.mark.slow
def test_store_postgres_every_command_gives_what_sqlite_gives(
    postgres_url: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    sqlite = str(tmp_path / "s.db")
    outputs = {}
    for db in (sqlite, postgres_url):
        analyzed = runner.invoke(cli, ["analyze", str(EXAMPLES), "--json", "--db", db])
        assert analyzed.exit_code == 0, analyzed.stderr
        listed = runner.invoke(cli, ["stories", "--json", "--db", db])
        assert listed.exit_code == 0, listed.stderr
        reported = runner.invoke(cli, ["report", "s0001", "--json", "--db", db])
        assert reported.exit_code == 0, reported.stderr
        checked = runner.invoke(cli, ["check", "The ferry terminal will reopen by Friday",
                                      "--json", "--db", db])
        assert checked.exit_code in (0, 1), checked.stderr
        again = runner.invoke(cli, ["ingest", str(EXAMPLES), "--json", "--db", db])
        assert again.exit_code == 0, again.stderr
        stories = json.loads(listed.stdout)["stories"]
        for story in stories:
            story.pop("created_at")  # when it was made: seconds apart in the two runs
        outputs[db] = (analyzed.stdout, stories, reported.stdout, checked.stdout, again.stdout)
    assert outputs[postgres_url] == outputs[sqlite]
    assert outputs[sqlite][1]  # stories were listed

    from fastapi.testclient import TestClient

    from rashomon.serve import create_app

    pages = {}
    for db in (sqlite, postgres_url):
        client = TestClient(create_app(db, load_settings()), base_url="http://127.0.0.1")
        listing = client.get("/api/stories")
        story = client.get("/api/stories/s0001")
        assert listing.status_code == story.status_code == 200
        items = [{k: v for k, v in item.items() if k != "created_at"}
                 for item in listing.json()["items"]]
        pages[db] = (items, story.json())
    assert {s["id"] for s in pages[postgres_url][0]} == {"s0001", "s0002"}
    assert pages[postgres_url] == pages[sqlite]
