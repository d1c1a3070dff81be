"""The per-document stage elsewhere: worker processes (`--workers`) and Dask workers (`--dask`)
store the same documents and annotations and form the same stories as the serial path; a Dask
worker killed mid-run loses nothing and stores nothing twice; a scheduler that does not answer
is one line and exit 3, with nothing written.

The articles are invented here: three made-up events, each told by three made-up outlets, one
of them undated. Batches of two documents, so that every runner has several batches to share.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import socket
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rashomon import pipeline, runners
from rashomon.cli import EXIT_NOTHING_DONE, cli
from rashomon.model import Document
from rashomon.runners import InProcess, LocalProcesses, Runner
from rashomon.settings import Settings, load_settings
from rashomon.store import SQLiteStore

EVENTS = (
    ("Bridge cables snap at Orlenbrook", "engineer Katrin Vosselaar",
     "Two steel cables of the Orlenbrook suspension bridge snapped overnight and the span was "
     "closed to traffic. Inspectors from the regional roads agency climbed the north tower.",
     "The cables were due to be replaced in 2027"),
    ("Bakery strike spreads in Tamsworth", "guild secretary Amos Pelling",
     "Bakers in every Tamsworth district stopped work over flour prices, and queues formed "
     "outside the few shops still selling bread. The guild voted 212 to 40 for the strike.",
     "We cannot bake at a loss for another month"),
    ("Whale stranded on Corrow beach", "biologist Nnamdi Harlowe",
     "A young fin whale, about eleven metres long, was stranded on Corrow beach at low tide. "
     "Marine rescue volunteers kept its skin wet with buckets until the evening high water.",
     "The animal is weak but it is breathing steadily"),
)
OUTLETS = ("Eastfield Courier", "Ridge Gazette", "Harbour Signal")


def _write_articles(folder: Path) -> list[str]:
    folder.mkdir()
    paths = []
    for event, (title, speaker, body, quote) in enumerate(EVENTS):
        for outlet, name in enumerate(OUTLETS):
            path = folder / f"e{event}-o{outlet}.txt"
            path.write_text(
                f"{title}\n\n{body}\n"
                f'"{quote}," {speaker} told the {name}.\n',
                encoding="utf-8")
            meta = {"outlet": name}
            if (event, outlet) != (1, 2):  # one undated: its date comes from its story
                meta["published"] = f"2026-05-{11 + event:02d}"
            (folder / f"e{event}-o{outlet}.meta.json").write_text(json.dumps(meta))
            paths.append(str(path))
    return paths


def _settings() -> Settings:
    return dataclasses.replace(load_settings(), nlp_batch_size=2)


def _ingest(paths: Sequence[str], db: Path, runner: Runner) -> pipeline.AnalyzeResult:
    with SQLiteStore(db) as store:
        return pipeline.ingest(paths, store=store, settings=_settings(), runner=runner)


def _what_is_stored(db: Path) -> dict[str, Any]:
    """Documents, their annotations, the stories (as sets of documents) and each story's
    relations and brief, in a form two stores can be compared by."""
    with SQLiteStore(db) as store:
        members = store.story_members()
        doc_ids = sorted(d for ids in members.values() for d in ids)
        documents = store.get_documents(doc_ids)
        annotations = store.load_annotations_of(doc_ids)
        stories = {}
        for story_id, ids in members.items():
            stored = store.load_story_analysis(story_id)
            assert stored is not None
            analysis = stored.analysis
            stories[frozenset(ids)] = (
                sorted((r.kind, r.members) for r in analysis.relations),
                [[s.text for s in b.sentences] for b in analysis.briefs])
        return {"documents": documents, "annotations": annotations, "stories": stories,
                "placed": sorted(doc_ids)}


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _write_articles(tmp_path_factory.mktemp("runners") / "articles")


@pytest.fixture(scope="module")
def serial(articles: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("serial") / "serial.db"
    result = _ingest(articles, db, InProcess())
    assert not result.failures
    return _what_is_stored(db)


@pytest.mark.slow
def test_worker_processes_store_what_the_serial_path_stores(
    articles: list[str], serial: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the story-level texts in several chunks too, embedded by the workers
    monkeypatch.setattr(runners, "EMBED_CHUNK_MIN", 4)
    db = tmp_path / "workers.db"
    with LocalProcesses(2) as runner:
        result = _ingest(articles, db, runner)
    assert not result.failures
    assert len(result.added) == len(articles)
    stored = _what_is_stored(db)
    assert stored == serial
    assert len(stored["stories"]) == len(EVENTS)


@pytest.mark.slow
def test_a_dask_cluster_stores_what_the_serial_path_stores_though_a_worker_dies(
    articles: list[str], serial: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rashomon.runners.cluster import DaskRunner

    monkeypatch.setattr(runners, "EMBED_CHUNK_MIN", 4)

    db = tmp_path / "dask.db"
    with DaskRunner("local:2") as runner:
        killed: list[int] = []
        result = _ingest(articles, db, _KillAWorkerAfterTheFirstBatch(runner, killed))
    assert killed, "no worker was busy to be killed"
    assert not result.failures
    assert sorted(result.added) == sorted(serial["placed"])  # each stored once
    assert _what_is_stored(db) == serial


class _KillAWorkerAfterTheFirstBatch:
    """A Dask runner whose busy worker process is SIGKILLed once the first result is in."""

    def __init__(self, runner: Any, killed: list[int]) -> None:
        self.runner, self.killed = runner, killed

    def run(self, batches: Sequence[Sequence[Document]],
            settings: Settings) -> Iterator[pipeline.BatchResult]:
        for number, result in enumerate(self.runner.run(batches, settings)):
            if number == 0:
                client = self.runner.client
                busy = [address for address, keys in client.processing().items() if keys]
                if busy:
                    pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                    os.kill(pid, signal.SIGKILL)
                    self.killed.append(pid)
            yield result

    def embed(self, texts: Sequence[str], settings: Settings) -> Any:
        return self.runner.embed(texts, settings)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_scheduler_that_does_not_answer_is_one_line_and_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rashomon.runners import cluster

    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 2)
    article = tmp_path / "a.txt"
    article.write_text("Nothing happened in Orlenbrook today, officials said.\n")
    db = tmp_path / "never.db"
    address = f"tcp://127.0.0.1:{_free_port()}"
    done = CliRunner().invoke(cli, ["ingest", str(article), "--db", str(db),
                                    "--dask", address])
    assert done.exit_code == EXIT_NOTHING_DONE
    lines = done.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: no Dask scheduler answers at {address}")
    assert not db.exists()


def test_a_bad_dask_value_is_a_usage_error(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Nothing happened in Orlenbrook today, officials said.\n")
    done = CliRunner().invoke(cli, ["ingest", str(article), "--db", str(tmp_path / "x.db"),
                                    "--dask", "local:many"])
    assert done.exit_code == 2
    assert "--dask" in done.output
    assert not (tmp_path / "x.db").exists()


def _descendants(root: int) -> set[int]:
    """The ids of `root`'s child processes, theirs, and so on (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while read
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    waiting = [root]
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in found:
                found.add(child)
                waiting.append(child)
    return found


def _running(pid: int) -> bool:
    """Whether the process runs (a zombie, ended and not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _stored_documents(db: Path) -> int:
    import sqlite3

    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as connection:
            [(count,)] = connection.execute("SELECT COUNT(*) FROM documents").fetchall()
    except sqlite3.Error:  # not created yet
        return 0
    return int(count)


@pytest.mark.slow
def test_an_ingest_killed_with_sigkill_leaves_no_dask_worker_running(
    articles: list[str], tmp_path: Path
) -> None:
    import subprocess
    import sys
    import time

    config = tmp_path / "settings.toml"
    config.write_text("nlp_batch_size = 2\n")  # several batches: the kill comes mid-run
    db = tmp_path / "killed.db"
    src = Path(__file__).resolve().parents[1] / "src"
    process = subprocess.Popen(
        [sys.executable, "-m", "rashomon", "ingest", *articles, "--config", str(config),
         "--db", str(db), "--dask", "local:2"],
        env={**os.environ, "PYTHONPATH": str(src), "OMP_NUM_THREADS": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 600
    # the first batch stored: the workers are up and have run the stage
    while _stored_documents(db) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    cluster = _descendants(process.pid)
    if process.poll() is not None:
        pytest.fail(f"ingest ended (exit {process.returncode}) before it could be killed: "
                    f"{process.communicate()[1].decode(errors='replace')[-2000:]}")
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert len(cluster) >= 2, "no worker processes to watch"
    gone_by = time.monotonic() + 30
    while any(_running(pid) for pid in cluster) and time.monotonic() < gone_by:
        time.sleep(0.2)
    left = sorted(pid for pid in cluster if _running(pid))
    for pid in left:  # not to leave them on the machine when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes of the killed ingest still running: {left}"
