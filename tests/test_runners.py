"""The per-document stage elsewhere: worker processes (`--workers`) store the same documents
and annotations and form the same stories as the serial path.

The articles are invented here: three made-up events, each told by three made-up outlets, one
of them undated. Batches of two documents, so that every runner has several batches to share.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from collections.abc import Sequence
from typing import Any

import pytest

from rashomon import pipeline
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
    articles: list[str], serial: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "workers.db"
    with LocalProcesses(2) as runner:
        result = _ingest(articles, db, runner)
    assert not result.failures
    assert len(result.added) == len(articles)
    stored = _what_is_stored(db)
    assert stored == serial
    assert len(stored["stories"]) == len(EVENTS)
