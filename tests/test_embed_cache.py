"""The text-embedding cache: `embed.cached` over the store's `text_embeddings` table.

Real model, real SQLite files. The inner callable is always the real `embed.embed`, wrapped
only to record the texts it is given.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from rashomon import embed as embed_module
from rashomon import pipeline, render, story_stage
from rashomon.embed import EMBEDDING_DIM, MODEL_NAME, cached, embed
from rashomon.errors import StoreError
from rashomon.model import Document, OffsetMap, document_id
from rashomon.settings import load_settings
from rashomon.store import SQLiteStore, schema

TEXTS = [
    "Teodor Brannik said the terminal at Port Veyra would reopen on Friday.",
    "No passengers were injured.",
    "Ana Silva denied that the barge had been moored without a permit for several weeks.",
    "Velmora",
]
from conftest import schema_before


class Recording:
    """The real embedding function, with a record of every call's texts."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return embed(texts)

    @property
    def texts(self) -> list[str]:
        return [text for call in self.calls for text in call]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "rashomon.db"


@pytest.mark.slow
def test_embed_cache_second_call_embeds_nothing(db_path: Path) -> None:
    inner = Recording()
    with SQLiteStore(db_path) as store:
        first = cached(inner, store, MODEL_NAME)(TEXTS)
        assert inner.texts == TEXTS
        again = cached(inner, store, MODEL_NAME)(list(reversed(TEXTS)))
        assert inner.texts == TEXTS  # nothing more was embedded
    with SQLiteStore(db_path) as store:  # kept in the file, not in memory
        later = cached(inner, store, MODEL_NAME)(TEXTS[1:3])
    assert inner.texts == TEXTS
    assert np.array_equal(again, first[::-1])
    assert np.array_equal(later, first[1:3])


@pytest.mark.slow
def test_embed_cache_embeds_only_new_texts_once_and_keeps_order(db_path: Path) -> None:
    inner = Recording()
    with SQLiteStore(db_path) as store:
        embed_texts = cached(inner, store, MODEL_NAME)
        embed_texts(TEXTS[:2])
        asked = [TEXTS[2], TEXTS[0], TEXTS[2], TEXTS[3], TEXTS[0]]
        vectors = embed_texts(asked)
    # one batch, each new text once, in the order first seen
    assert inner.calls == [TEXTS[:2], [TEXTS[2], TEXTS[3]]]
    assert vectors.shape == (5, EMBEDDING_DIM) and vectors.dtype == np.float32
    assert np.array_equal(vectors, embed(asked))
    assert np.array_equal(vectors[0], vectors[2]) and np.array_equal(vectors[1], vectors[4])


@pytest.mark.slow
def test_embed_cache_vectors_equal_uncached_ones_exactly(db_path: Path) -> None:
    # The cached vectors were computed in one batch; each must be, to the last bit, what the
    # text gives embedded alone or among other neighbours (float32 both ways, no rounding).
    with SQLiteStore(db_path) as store:
        cached(Recording(), store, MODEL_NAME)(TEXTS)
    with SQLiteStore(db_path) as store:
        kept = store.get_text_embeddings(MODEL_NAME, TEXTS)
    # a longer neighbour: in one padded batch it would have moved the others' last bits
    longer = ("A much longer sentence about the ferry company of Velmora, its harbour master "
              "and the barge that nobody had moved for weeks.")
    neighbours = embed([TEXTS[2], longer, TEXTS[0]])
    for text in TEXTS:
        assert kept[text].dtype == np.float32
        assert np.array_equal(kept[text], embed([text])[0])
    assert np.array_equal(kept[TEXTS[2]], neighbours[0])
    assert np.array_equal(kept[TEXTS[0]], neighbours[2])


@pytest.mark.slow
def test_embed_cache_keeps_models_apart_and_texts_exact(db_path: Path) -> None:
    inner = Recording()
    with SQLiteStore(db_path) as store:
        cached(inner, store, MODEL_NAME)(["Velmora"])
        cached(inner, store, "another-model")(["Velmora"])
        cached(inner, store, MODEL_NAME)(["velmora", "Velmora "])  # other texts: other keys
        assert store.get_text_embeddings("unknown", ["Velmora"]) == {}
    assert inner.calls == [["Velmora"], ["Velmora"], ["velmora", "Velmora "]]


def test_embed_cache_empty_input_and_odd_text(db_path: Path) -> None:
    inner = Recording()
    odd = "Port Veyra \ud800 harbour"  # a lone surrogate: still a key
    with SQLiteStore(db_path) as store:
        embed_texts = cached(inner, store, MODEL_NAME)
        assert embed_texts([]).shape == (0, EMBEDDING_DIM)
        store.put_text_embeddings(MODEL_NAME, [(odd, np.ones(EMBEDDING_DIM, np.float32))])
        assert np.array_equal(embed_texts([odd])[0], np.ones(EMBEDDING_DIM, np.float32))
    assert inner.texts == []


def test_embed_cache_refuses_vectors_of_another_dimension(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        store.put_text_embeddings(MODEL_NAME, [("Velmora", np.ones(EMBEDDING_DIM))])
        with pytest.raises(StoreError, match="several dimensions"):
            store.put_text_embeddings(MODEL_NAME, [("Ana Silva", np.ones(3))])
        with pytest.raises(StoreError, match="1-D"):
            store.put_text_embeddings(MODEL_NAME, [("Ana Silva", np.ones((2, 2)))])
        assert set(store.get_text_embeddings(MODEL_NAME, ["Velmora", "Ana Silva"])) == {"Velmora"}


def test_embed_cache_upgrades_a_version_5_store(db_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    text = "Ana Silva said the festival in Velmora would go ahead."
    document = Document(id=document_id("a.txt", text), source="a.txt", source_key="a.txt",
                        text=text, raw_text=text, offsets=OffsetMap(((0, 0, len(text)),)))
    schema_before(monkeypatch, 5)
    with SQLiteStore(db_path) as store:
        store.put_document(document)
        assert store.schema_version == 5
    connection = sqlite3.connect(db_path)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert "text_embeddings" not in tables
    monkeypatch.undo()
    inner = Recording()
    with SQLiteStore(db_path) as store:
        assert store.schema_version == len(schema.MIGRATIONS) >= 6
        assert store.get_document(document.id) == document  # what was there stays
        cached(inner, store, MODEL_NAME)([text])
    with SQLiteStore(db_path) as store:
        cached(inner, store, MODEL_NAME)([text])
    assert inner.calls == [[text]]


ARTICLES = {
    "courier.txt": (
        "Port Veyra, June 3, 2026 - The ferry Selka Dawn struck a fuel barge at Kestrel Point on "
        "Tuesday night. \"We expect the terminal to reopen by Friday morning,\" harbour master "
        "Teodor Brannik said. Union leader Mara Quillan said four crew members were hurt. "
        "The company denied that the crossing had been overloaded."
    ),
    "daily.txt": (
        "Port Veyra, June 3, 2026 - A ferry hit a fuel barge at Kestrel Point late on Tuesday. "
        "\"We hope to have the terminal open again by Friday morning,\" Teodor Brannik said. "
        "Mara Quillan, who leads the crew union, said four people were injured, and added that "
        "the ferry had been overloaded."
    ),
}


@pytest.mark.slow
def test_embed_cache_report_and_a_recomputed_story_embed_nothing_and_say_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = []
    for name, text in ARTICLES.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    settings = load_settings()
    inner = Recording()
    with SQLiteStore(tmp_path / "report.db") as store:
        result = pipeline.ingest(paths, store=store, settings=settings)
        story_ids = sorted({store.story_of(d) for d in result.added} - {None})
        assert story_ids
        # from here on, every embedding goes through the real function, recorded
        monkeypatch.setattr(embed_module, "embed", lambda texts, **_: inner(texts))
        first = render.to_json(pipeline.report(store, story_ids, settings))
        # the story-level stage run again (as for a stale story) finds every text embedded
        again = story_stage.refresh_stories(store, story_ids, settings)
    assert inner.texts == []  # the report read what ingest stored; the stage re-embedded nothing
    assert render.to_json(story_stage.combine(again)) == first
