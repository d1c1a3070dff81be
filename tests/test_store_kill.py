"""A real `rashomon ingest` killed with SIGKILL at several moments, then run again to the end:
every stored document is stored once and placed in exactly one story, and the store is sound.
On a SQLite file, and on a PostgreSQL database with `pytest --postgres`.

The articles are invented here: six made-up events, each told by five made-up outlets, a few of
them undated.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rashomon.settings import load_settings
from rashomon.store import open_store
from rashomon.story_stage import stale_stories

pytestmark = pytest.mark.slow

SRC = Path(__file__).resolve().parents[1] / "src"

EVENTS = (
    ("Dam gates opened at Kesselmoor", "the Kesselmoor reservoir authority",
     "water engineer Ilsa Varnhagen", "the gates at the Kesselmoor dam were opened",
     "downstream farms along the Ruhlbeck valley"),
    ("Tram strike halts Oxbury lines", "the Oxbury transit union",
     "union steward Marten Colwell", "every tram in Oxbury stopped at dawn",
     "commuters walking across the Tallis bridge"),
    ("Comet fragment lands near Pellow", "the Pellow observatory",
     "astronomer Rhoda Quennell", "a fragment of the comet fell in a field near Pellow",
     "villagers who heard a loud bang before sunrise"),
    ("Library fire damages Drask archive", "the Drask city council",
     "archivist Tobiah Menck", "a fire broke out in the basement of the Drask archive",
     "historians worried about the medieval charters"),
    ("Ferry grounded off Wexholm island", "the Wexholm coast guard",
     "harbour master Signe Falkvard", "the ferry Aurel Star ran aground off Wexholm",
     "ninety passengers taken ashore by lifeboat"),
    ("Vaccine trial paused in Brennick", "the Brennick health board",
     "physician Adaeze Morrow", "the trial of the new vaccine was paused in Brennick",
     "volunteers told to wait for further notice"),
)
OUTLETS = ("Northgate Herald", "Valley Bugle", "Morning Lantern", "Coastline Post",
           "Civic Ledger")
CUES = ("said", "told reporters", "said in a statement", "wrote on social media", "added")


def _article(event: int, outlet: int) -> str:
    title, body, speaker, what, who = EVENTS[event]
    cue = CUES[outlet]
    return (
        f"{title}\n\n"
        f"Officials confirmed on Tuesday that {what}, according to {body}.\n"
        f'"We acted as soon as we knew the facts," {speaker} {cue}.\n'
        f"Reporters from the {OUTLETS[outlet]} spoke to {who}.\n"
        f"{speaker.split()[-1]} said that a full account would follow within a week, "
        f"and that no one had been hurt.\n"
    )


def write_articles(folder: Path) -> int:
    folder.mkdir()
    count = 0
    for event in range(len(EVENTS)):
        for outlet in range(len(OUTLETS)):
            path = folder / f"e{event}-o{outlet}.txt"
            path.write_text(_article(event, outlet), encoding="utf-8")
            meta: dict[str, str] = {"outlet": OUTLETS[outlet]}
            if (event + outlet) % 7:  # a few undated ones: their dates come from their story
                meta["published"] = f"2026-03-{10 + event:02d}"
            (folder / f"e{event}-o{outlet}.meta.json").write_text(json.dumps(meta))
            count += 1
    return count


def _ingest(folder: Path, db: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(
        # --workers 1: the kill moments are the store's (storing, placing, story-level work);
        # worker processes would only load the models again at every one of the four runs
        [sys.executable, "-m", "rashomon", "ingest", str(folder), "--db", db, "--workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _query(db: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows read around the store, as another process would, without writing."""
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db, connect_timeout=2) as connection:
            return connection.execute(sql).fetchall()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as connection:
        return connection.execute(sql).fetchall()


def _counts(db: str) -> tuple[int, int]:
    """(documents stored, documents placed)."""
    if not db.startswith("postgresql://") and not Path(db).exists():
        return 0, 0
    try:
        [(stored,)] = _query(db, "SELECT COUNT(*) FROM documents")
        [(placed,)] = _query(db, "SELECT COUNT(*) FROM story_documents")
    except Exception:  # not created yet, or between migrations (sqlite3 or psycopg errors)
        return 0, 0
    return int(stored), int(placed)


def _kill_when(process: subprocess.Popen[bytes], db: str,
               moment: Callable[[int, int], bool], *, timeout: float = 600) -> tuple[int, int]:
    """SIGKILL the process as soon as the store's counts satisfy `moment`; the counts seen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = _counts(db)
        if moment(*counts):
            process.send_signal(signal.SIGKILL)
            process.wait()
            return counts
        if process.poll() is not None:
            _, err = process.communicate()
            pytest.fail(f"ingest ended (exit {process.returncode}) before the moment to kill it:"
                        f" {err.decode(errors='replace')[-2000:]}")
        time.sleep(0.002)
    process.kill()
    pytest.fail("the moment to kill ingest never came")


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return str(tmp_path / "kill.db")


def test_store_kill_at_any_moment_leaves_every_document_placed_once(
    tmp_path: Path, db: str
) -> None:
    folder = tmp_path / "articles"
    total = write_articles(folder)

    # killed while documents are being stored, none placed yet
    stored, placed = _kill_when(_ingest(folder, db), db, lambda s, p: s >= 5)
    assert placed == 0
    # run again: the stored ones are skipped as stored, the rest stored; killed while placing
    seen = _kill_when(_ingest(folder, db), db, lambda s, p: 0 < p < s)
    assert 0 < seen[1] < seen[0]
    # killed again, after every document was placed (during the story-level work, if any)
    _kill_when(_ingest(folder, db), db, lambda s, p: s == total and p == s)
    finished = _ingest(folder, db)
    _, err = finished.communicate(timeout=600)
    assert finished.returncode == 0, err.decode(errors="replace")

    if not db.startswith("postgresql://"):
        assert _query(db, "PRAGMA integrity_check") == [("ok",)]
    documents = _query(db, "SELECT id, source FROM documents")
    assert len(documents) == total
    assert len({source for _, source in documents}) == total  # nothing stored twice
    placements = _query(db, "SELECT d.id, COUNT(sd.story_id) FROM documents d"
                            " LEFT JOIN story_documents sd ON sd.doc_id = d.id GROUP BY d.id")
    assert {count for _, count in placements} == {1}
    # and every story they are in is a live one
    dead = _query(db, "SELECT COUNT(*) FROM story_documents"
                      " WHERE story_id IN (SELECT from_story FROM story_merges)")
    assert dead == [(0,)]
    # and every story has its story-level analysis, of its documents as they are now
    with open_store(db) as store:
        assert store.story_members()
        assert stale_stories(store, load_settings()) == []
