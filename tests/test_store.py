"""The store: idempotent documents, versions, round trips, transactions, migrations, stories.

Most tests run against every backend through the `store` fixture (a SQLite file, an in-memory
SQLite database, and a database on a real PostgreSQL server with `pytest --postgres`; skipped
without it). Tests that look at the file itself (migrations, bad paths, raw rows) use a SQLite
file in tmp_path.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rashomon.store as store_package
from rashomon.errors import StoreError
from rashomon.model import (
    ATTRIBUTION_KINDS,
    STANCES,
    Analysis,
    Attribution,
    Brief,
    BriefSentence,
    Claim,
    Document,
    Entity,
    Framing,
    Mention,
    OffsetMap,
    Relation,
    Span,
    Speaker,
    Story,
    TimelineEntry,
    Voice,
    document_id,
    source_key_id,
)
from rashomon.store import (
    DEFAULT_DB,
    Annotations,
    SQLiteStore,
    Store,
    StoredReport,
    StoryRow,
    open_store,
)
from rashomon.store import schema
from rashomon.store.postgres import PostgresStore
from rashomon.store.sqlite import MEMORY
from conftest import free_port, schema_before

MODEL = "test-model"
TEXT = (
    "Transport Minister Ana Kovalenko said on Monday that the bridge could reopen by May. "
    "Union leader Piet Maas disputed that."
)


# -- helpers -------------------------------------------------------------------------------------


def make_doc(
    text: str = TEXT,
    *,
    key: str = "https://example.org/bridge",
    outlet: str | None = "Example Post",
    published: str | None = "2026-05-04",
    title: str | None = "Bridge to reopen",
) -> Document:
    return Document(
        id=document_id(key, text), source=key, source_key=key, text=text, raw_text=f"<p>{text}</p>",
        title=title, outlet=outlet, published=published, url=key,
        offsets=OffsetMap(((0, 3, len(text)),)), removed=((0, 3),),
    )


def annotate(document: Document) -> tuple[list[Mention], list[Attribution], list[Claim],
                                           list[TimelineEntry]]:
    """Annotations of TEXT as the stages would produce them."""
    def span(words: str) -> Span:
        start = document.text.index(words)
        return document.span(start, start + len(words))

    speaker = span("Ana Kovalenko")
    mentions = [
        Mention(speaker, "Ana Kovalenko", "PERSON", role="Transport Minister", entity="e1"),
        Mention(span("Piet Maas"), "Piet Maas", "PERSON", role="Union leader"),
    ]
    attribution = Attribution(
        id=f"{document.id}:a1", doc=document.id,
        speaker=Speaker(speaker, "Ana Kovalenko", name="Ana Kovalenko", entity="e1"),
        cue=span("said"), content=span("the bridge could reopen by May"),
        kind="indirect", stance="assertion", medium="statement", relay=("Reuters",),
    )
    claims = [
        Claim(f"{document.id}:c1", document.id, attribution.content, attribution.id),
        Claim(f"{document.id}:c2", document.id, span("Union leader Piet Maas disputed that.")),
    ]
    timeline = [TimelineEntry("2026-05-04", span("on Monday"), "statement", inferred=True,
                              uncertain=True)]
    return mentions, [attribution], claims, timeline


def unit(values: list[float]) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def raw_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows read around the store, straight from the file."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _location(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return tmp_path / "rashomon.db" if request.param == "sqlite-file" else MEMORY


@pytest.fixture(params=["sqlite-file", "sqlite-memory", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with open_store(_location(request, tmp_path)) as opened:
        yield opened


@pytest.fixture(params=["sqlite-memory", "postgres"])
def example_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store for Hypothesis: one per test, each example undone (`undone`)."""
    with open_store(_location(request, tmp_path)) as opened:
        yield opened


class _Undo(Exception):
    pass


@contextmanager
def undone(store: Store) -> Iterator[None]:
    """Run a block in a transaction that is then rolled back, so that every Hypothesis example
    starts from the same (empty) store."""
    try:
        with store.transaction():
            yield
            raise _Undo
    except _Undo:
        pass


def storable(store: Store, value: Any) -> Any:
    """`value` as the store can keep it: PostgreSQL text cannot hold NUL, which a store there
    refuses (test_store_postgres_refuses_nul_in_text); a NUL becomes U+0001, keeping offsets."""
    if not isinstance(store, PostgresStore):
        return value
    if isinstance(value, str):
        return value.replace("\x00", "\x01")
    if isinstance(value, tuple):
        return tuple(storable(store, item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{
            f.name: storable(store, getattr(value, f.name))
            for f in dataclasses.fields(value) if f.init
        })
    return value


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "rashomon.db"


# -- package -------------------------------------------------------------------------------------


def test_store_exports_are_sorted_and_defined() -> None:
    names = store_package.__all__
    assert names == sorted(names)
    assert all(hasattr(store_package, name) for name in names)
    assert issubclass(SQLiteStore, Store)


def test_store_default_db_is_in_the_current_directory() -> None:
    assert DEFAULT_DB == Path("rashomon.db")
    assert not DEFAULT_DB.is_absolute()


# -- documents -----------------------------------------------------------------------------------


def test_store_put_document_is_idempotent(store: Store) -> None:
    document = make_doc()
    assert store.put_document(document) is True
    # same id, other metadata: still a no-op, the first document stays as it was
    assert store.put_document(dataclasses.replace(document, title="Changed")) is False
    assert store.get_document(document.id) == document
    assert len(store.documents_by_source_key(document.source_key)) == 1


def test_store_new_text_under_a_source_key_is_the_next_version(store: Store) -> None:
    first = make_doc("The bridge is closed.")
    second = make_doc("The bridge is closed until May.")
    other = make_doc("Unrelated.", key="https://example.org/other")
    assert first.id != second.id
    assert first.id.split("-")[0] == second.id.split("-")[0] == source_key_id(first.source_key)
    for document in (first, other, second):
        assert store.put_document(document)
    assert store.put_document(first) is False

    versions = store.documents_by_source_key(first.source_key)
    assert [(v.version, v.document) for v in versions] == [(1, first), (2, second)]
    assert store.get_document(first.id) == first  # the old version stays
    assert [v.version for v in store.documents_by_source_key(other.source_key)] == [1]
    assert store.documents_by_source_key("https://example.org/never") == []


def test_store_get_documents_keeps_the_order_asked_for(store: Store) -> None:
    a, b = make_doc("Text A."), make_doc("Text B.", key="https://example.org/b")
    store.put_document(a)
    store.put_document(b)
    assert store.get_documents([b.id, a.id]) == [b, a]
    assert store.get_documents([]) == []
    assert store.has_document(a.id)
    assert not store.has_document("nope-00000000")


def test_store_missing_documents_are_errors(store: Store) -> None:
    with pytest.raises(StoreError, match="no document nope-1"):
        store.get_document("nope-1")
    store.put_document(make_doc())
    with pytest.raises(StoreError, match="no document nope-2"):
        store.get_documents([make_doc().id, "nope-2"])
    with pytest.raises(StoreError, match="no document nope-3"):
        store.load_annotations("nope-3")


# -- runs ----------------------------------------------------------------------------------------


def test_store_runs_record_versions_and_documents_record_their_run(store: Store) -> None:
    versions = {"rashomon": "0.1.0", "spacy_model": "en_core_web_sm 3.8.0"}
    run_id = store.start_run(versions)
    document = make_doc()
    store.put_analyzed(document, *annotate(document), run_id=run_id)
    store.finish_run(run_id, {"added": 1, "failed": 0})

    run = store.get_run(run_id)
    assert run.versions == versions
    assert run.stats == {"added": 1, "failed": 0}
    assert run.finished_at is not None and run.started_at <= run.finished_at
    assert store.documents_by_source_key(document.source_key)[0].run_id == run_id
    assert store.start_run(versions) == run_id + 1
    with pytest.raises(StoreError, match="already finished"):
        store.finish_run(run_id, {})


def test_store_refuses_a_document_of_an_unknown_run(store: Store) -> None:
    # foreign keys are on: a run id that was never started is refused
    with pytest.raises(StoreError, match="(?i)foreign key"):
        store.put_document(make_doc(), run_id=999)
    assert not store.has_document(make_doc().id)


# -- annotations ---------------------------------------------------------------------------------


def test_store_put_analyzed_round_trips_annotations_and_embedding(store: Store) -> None:
    document = make_doc()
    mentions, attributions, claims, timeline = annotate(document)
    vector = unit([1.0, 2.0, 3.0])
    assert store.put_analyzed(document, mentions, attributions, claims, timeline,
                              embedding=(MODEL, vector))
    assert store.load_annotations(document.id) == Annotations(
        tuple(mentions), tuple(attributions), tuple(claims), tuple(timeline)
    )
    assert np.array_equal(store.get_embeddings([document.id], model=MODEL)[document.id], vector)
    # again: nothing changes, not even the annotations
    assert store.put_analyzed(document, mentions[:1], [], [], []) is False
    assert len(store.load_annotations(document.id).mentions) == 2


def test_store_document_without_annotations_has_empty_annotations(store: Store) -> None:
    document = make_doc()
    store.put_document(document)
    assert store.load_annotations(document.id) == Annotations()


def _break(kind: str, document: Document) -> tuple[list[Mention], list[Attribution],
                                                      list[Claim], list[TimelineEntry]]:
    mentions, attributions, claims, timeline = annotate(document)
    if kind == "claim cites a missing attribution":  # fails in the database (foreign key)
        claims[0] = dataclasses.replace(claims[0], attribution="no-such-attribution")
    elif kind == "attribution id twice":  # fails in the database (unique)
        attributions.append(dataclasses.replace(attributions[0]))
    elif kind == "unknown stance":  # fails in the store's checks
        attributions[0] = dataclasses.replace(
            attributions[0], stance="sarcasm"  # type: ignore[arg-type]
        )
    elif kind == "span of another document":
        entry = timeline[0]
        timeline[0] = dataclasses.replace(entry, span=Span("other-doc", 0, 3))
    elif kind == "span past the end":
        mentions[1] = dataclasses.replace(mentions[1], span=Span(document.id, 5, 10_000))
    return mentions, attributions, claims, timeline


BREAKAGES = [
    "claim cites a missing attribution",
    "attribution id twice",
    "unknown stance",
    "span of another document",
    "span past the end",
]


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_store_failed_put_analyzed_leaves_nothing(store: Store, breakage: str) -> None:
    document = make_doc()
    run_id = store.start_run({"rashomon": "test"})
    with pytest.raises(StoreError):
        store.put_analyzed(document, *_break(breakage, document),
                           embedding=(MODEL, unit([1.0, 0.0])), run_id=run_id)
    assert not store.has_document(document.id)
    assert store.documents_by_source_key(document.source_key) == []
    assert store.get_embeddings([document.id]) == {}
    # nothing of it lingers to collide with: the good version goes in whole
    mentions, attributions, claims, timeline = annotate(document)
    assert store.put_analyzed(document, mentions, attributions, claims, timeline, run_id=run_id)
    assert store.load_annotations(document.id).claims == tuple(claims)


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_store_failed_put_analyzed_leaves_no_row_in_the_file(db_path: Path, breakage: str) -> None:
    document = make_doc()
    with open_store(db_path) as store:
        with pytest.raises(StoreError):
            store.put_analyzed(document, *_break(breakage, document),
                               embedding=(MODEL, unit([1.0, 0.0])))
    for table in ("documents", "mentions", "attributions", "claims", "timeline", "embeddings"):
        assert raw_rows(db_path, f"SELECT COUNT(*) FROM {table}") == [(0,)], table


def test_store_bad_embedding_in_put_analyzed_undoes_the_document(store: Store) -> None:
    document = make_doc()
    with pytest.raises(StoreError, match="1-D"):
        store.put_analyzed(document, *annotate(document), embedding=(MODEL, np.zeros((2, 2))))
    assert not store.has_document(document.id)


# -- round trips (Hypothesis) --------------------------------------------------------------------

_text = st.text(max_size=30)
_optional_text = st.none() | _text
_offset = st.integers(min_value=0, max_value=2**31)
_examples = settings(deadline=None, max_examples=60,
                     suppress_health_check=[HealthCheck.too_slow,
                                            HealthCheck.function_scoped_fixture])


@st.composite
def documents(draw: st.DrawFn) -> Document:
    key = draw(_text)
    text = draw(st.text(max_size=60))
    return Document(
        # an id is the project's digest, or any text without NUL (refused: see test below) and
        # without a lone surrogate (no decoded input holds one; SQLite cannot encode it)
        id=draw(st.just(document_id(key, text))
                | st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
                          min_size=1, max_size=20)),
        source=draw(_text), source_key=key, text=text, raw_text=draw(_text),
        title=draw(_optional_text), outlet=draw(_optional_text),
        published=draw(_optional_text), published_inferred=draw(st.booleans()),
        dateline_place=draw(_optional_text), author=draw(_optional_text),
        url=draw(_optional_text), language=draw(_text),
        offsets=OffsetMap(tuple(draw(st.lists(st.tuples(_offset, _offset, _offset), max_size=4)))),
        removed=tuple(draw(st.lists(st.tuples(_offset, _offset), max_size=4))),
        encoding=draw(_optional_text),
    )


def spans(document: Document) -> st.SearchStrategy[Span]:
    bound = st.integers(min_value=0, max_value=len(document.text))
    return st.tuples(bound, bound).map(lambda p: Span(document.id, min(p), max(p)))


def attributions(document: Document) -> st.SearchStrategy[Attribution]:
    speakers = st.builds(
        Speaker, span=st.none() | spans(document), text=_text, name=_optional_text,
        entity=_optional_text, uncertain=st.booleans(), anonymous=st.booleans(),
        reason=_optional_text,
    )
    return st.builds(
        Attribution, id=st.text(min_size=1, max_size=20), doc=st.just(document.id),
        speaker=speakers, cue=st.none() | spans(document), content=spans(document),
        kind=st.sampled_from(ATTRIBUTION_KINDS), stance=st.sampled_from(STANCES),
        medium=_optional_text, relay=st.lists(_text, max_size=3).map(tuple),
    )


@st.composite
def analyzed(draw: st.DrawFn) -> tuple[Document, Annotations]:
    document = draw(documents())
    found = draw(st.lists(attributions(document), max_size=4, unique_by=lambda a: a.id))
    cited = st.none() | st.sampled_from([a.id for a in found]) if found else st.none()
    claims = draw(st.lists(
        st.builds(Claim, id=st.text(min_size=1, max_size=20), doc=st.just(document.id),
                  span=spans(document), attribution=cited),
        max_size=4, unique_by=lambda c: c.id,
    ))
    mentions = draw(st.lists(st.builds(
        Mention, span=spans(document), text=_text, label=_text, role=_optional_text,
        entity=_optional_text,
    ), max_size=4))
    timeline = draw(st.lists(st.builds(
        TimelineEntry, date=_text, span=spans(document), event=_text, event_id=_optional_text,
        inferred=st.booleans(),
    ), max_size=4))
    return document, Annotations(tuple(mentions), tuple(found), tuple(claims), tuple(timeline))


@_examples
@given(documents())
def test_store_document_round_trip(example_store: Store, document: Document) -> None:
    store = example_store
    document = storable(store, document)
    with undone(store):
        assert store.put_document(document)
        assert store.get_document(document.id) == document
        [version] = store.documents_by_source_key(document.source_key)
        assert version.document == document


@_examples
@given(analyzed())
def test_store_attribution_round_trip(
    example_store: Store, case: tuple[Document, Annotations]
) -> None:
    store = example_store
    document, annotations = storable(store, case)
    with undone(store):
        assert store.put_analyzed(document, annotations.mentions, annotations.attributions,
                                  annotations.claims, annotations.timeline)
        loaded = store.load_annotations(document.id)
        assert loaded == annotations
        # a speaker's reason takes no part in equality: compared on its own
        assert ([a.speaker.reason for a in loaded.attributions]
                == [a.speaker.reason for a in annotations.attributions])


@_examples
@given(st.builds(
    Relation, id=_text, kind=st.sampled_from(["corroboration", "quote_variant", "denial"]),
    members=st.lists(_text, max_size=3).map(tuple),
    evidence=st.lists(st.builds(Span, _text, _offset, _offset), max_size=3).map(tuple),
    score=st.floats(allow_nan=False, allow_infinity=False), explanation=_text,
    diff=st.lists(st.tuples(st.sampled_from(["equal", "insert", "delete"]), _text),
                  max_size=3).map(tuple),
))
def test_store_relation_round_trip(example_store: Store, relation: Relation) -> None:
    store = example_store
    relation = storable(store, relation)
    with undone(store):
        document = make_doc()
        store.put_document(document)
        story_id = store.create_story(None, [document.id])
        store.replace_relations(story_id, [relation])
        assert store.load_relations(story_id) == [relation]


# -- transactions --------------------------------------------------------------------------------


def test_store_transaction_rolls_back_everything_on_error(store: Store) -> None:
    a, b = make_doc("Text A."), make_doc("Text B.", key="https://example.org/b")
    with pytest.raises(RuntimeError, match="boom"):
        with store.transaction():
            store.put_document(a)
            store.put_document(b)
            raise RuntimeError("boom")
    assert not store.has_document(a.id) and not store.has_document(b.id)
    # and the store is usable afterwards
    assert store.put_document(a)


def test_store_nested_transaction_failure_undoes_only_itself(store: Store) -> None:
    a, b, c = (make_doc(f"Text {n}.", key=f"https://example.org/{n}") for n in "abc")
    with store.transaction():
        store.put_document(a)
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.put_document(b)
                raise RuntimeError("inner")
        store.put_document(c)
    assert [store.has_document(d.id) for d in (a, b, c)] == [True, False, True]


def test_store_failed_put_analyzed_inside_a_transaction_keeps_the_rest(store: Store) -> None:
    good = make_doc()
    bad = make_doc("Another text, badly annotated.", key="https://example.org/bad")
    with store.transaction():
        store.put_analyzed(good, *annotate(good))
        with pytest.raises(StoreError):
            store.put_analyzed(bad, [Mention(Span("elsewhere", 0, 1), "x", "ORG")], [], [], [])
    assert store.has_document(good.id) and not store.has_document(bad.id)


def test_store_commits_are_visible_to_another_connection(db_path: Path) -> None:
    document = make_doc()
    with open_store(db_path) as store:
        with store.transaction():
            store.put_document(document)
            assert raw_rows(db_path, "SELECT COUNT(*) FROM documents") == [(0,)]
        assert raw_rows(db_path, "SELECT COUNT(*) FROM documents") == [(1,)]


# -- schema and migrations -----------------------------------------------------------------------


def test_store_records_its_schema_version(db_path: Path) -> None:
    with open_store(db_path) as store:
        assert store.schema_version == len(schema.MIGRATIONS)
    assert raw_rows(db_path, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(len(schema.MIGRATIONS)),)
    ]
    assert raw_rows(db_path, "PRAGMA journal_mode") == [("wal",)]


def test_store_migrates_an_empty_database_from_version_0(db_path: Path) -> None:
    connection = sqlite3.connect(db_path)
    connection.execute("VACUUM")  # a real, empty SQLite file
    connection.close()
    with open_store(db_path) as store:
        assert store.schema_version == len(schema.MIGRATIONS)
        assert store.put_document(make_doc())


def _add_note_column(connection: sqlite3.Connection) -> None:
    connection.execute("ALTER TABLE documents ADD COLUMN note TEXT")
    connection.execute("UPDATE documents SET note = 'migrated'")


def test_store_applies_new_migrations_to_an_older_store(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = make_doc()
    with open_store(db_path) as store:
        store.put_document(document)
    calls: list[int] = []

    def migration(connection: sqlite3.Connection) -> None:
        calls.append(1)
        _add_note_column(connection)

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, migration))
    newest = len(schema.MIGRATIONS)
    with open_store(db_path) as store:
        assert store.schema_version == newest
        assert store.get_document(document.id) == document
    assert raw_rows(db_path, "SELECT note FROM documents") == [("migrated",)]
    with open_store(db_path) as store:  # already up to date: not applied twice
        assert store.schema_version == newest
    assert calls == [1]


def test_store_failed_migration_leaves_the_store_as_it_was(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db_path) as store:
        store.put_document(make_doc())
    old = len(schema.MIGRATIONS)

    def broken(connection: sqlite3.Connection) -> None:
        _add_note_column(connection)
        connection.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))
    with pytest.raises(StoreError, match=f"migration to schema version {old + 1} failed"):
        open_store(db_path)
    columns = [row[1] for row in raw_rows(db_path, "PRAGMA table_info(documents)")]
    assert "note" not in columns
    assert raw_rows(db_path, "SELECT value FROM meta") == [(str(old),)]


def test_store_refuses_a_newer_schema(db_path: Path) -> None:
    open_store(db_path).close()
    connection = sqlite3.connect(db_path)
    with connection:
        connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    connection.close()
    with pytest.raises(StoreError) as caught:
        open_store(db_path)
    message = str(caught.value)
    assert str(db_path) in message
    assert "99" in message and f"up to {len(schema.MIGRATIONS)}" in message


def test_store_refuses_a_sqlite_database_that_is_not_a_store(db_path: Path) -> None:
    connection = sqlite3.connect(db_path)
    with connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    connection.close()
    with pytest.raises(StoreError, match="not a rashomon store"):
        open_store(db_path)
    assert [row[0] for row in raw_rows(db_path, "SELECT name FROM sqlite_master")] == ["notes"]


def test_store_keeps_everything_across_reopening(db_path: Path) -> None:
    document = make_doc()
    mentions, attributions, claims, timeline = annotate(document)
    with open_store(db_path) as store:
        store.put_analyzed(document, mentions, attributions, claims, timeline,
                           embedding=(MODEL, unit([3.0, 4.0])))
        story_id = store.create_story("Bridge", [document.id])
    with open_store(f"sqlite:///{db_path}") as store:
        assert store.get_document(document.id) == document
        assert store.load_annotations(document.id).attributions == tuple(attributions)
        assert store.story_documents(story_id) == [document.id]
        assert store.get_embeddings([document.id])[document.id].tolist() == pytest.approx(
            [0.6, 0.8]
        )


# -- opening: paths and URLs ---------------------------------------------------------------------


def _open_error(location: str | Path) -> str:
    with pytest.raises(StoreError) as caught:
        open_store(location)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_store_missing_directory_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "rashomon.db"
    message = _open_error(path)
    assert str(path) in message and "does not exist" in message
    assert not path.parent.exists()


def test_store_file_that_is_not_sqlite_is_an_error_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 20, encoding="utf-8")
    message = _open_error(path)
    assert str(path) in message and "not a SQLite database" in message
    assert path.read_text(encoding="utf-8").startswith("these are my notes")


def test_store_directory_is_not_a_store(tmp_path: Path) -> None:
    message = _open_error(tmp_path)
    assert str(tmp_path) in message and "directory" in message


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_store_unwritable_location_is_an_error() -> None:
    # /proc refuses new files even to root, unlike a chmod-ed directory
    assert "/proc/rashomon.db" in _open_error("/proc/rashomon.db")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root writes through file permissions")
def test_store_read_only_directory_is_an_error(tmp_path: Path) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    directory.chmod(0o500)
    try:
        message = _open_error(directory / "rashomon.db")
    finally:
        directory.chmod(0o700)
    assert "read-only" in message


def test_store_sqlite_urls_open_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///relative.db"):
        pass
    assert (tmp_path / "relative.db").is_file()
    absolute = tmp_path / "absolute.db"
    with open_store(f"sqlite:///{absolute}"):
        pass
    assert absolute.is_file()
    with open_store("sqlite://") as store:
        assert store.put_document(make_doc())
    assert sorted(p.name for p in tmp_path.glob("*.db")) == ["absolute.db", "relative.db"]


def test_store_postgresql_url_that_does_not_answer_is_one_line_without_password() -> None:
    message = _open_error(f"postgresql://rashomon:s3cret@127.0.0.1:{free_port()}/news")
    assert "no PostgreSQL server answers there" in message
    assert "rashomon@127.0.0.1" in message and "s3cret" not in message


@pytest.mark.parametrize("url", ["mysql://u:p@host/db", "sqlite://host/file.db"])
def test_store_unknown_urls_are_errors(url: str) -> None:
    _open_error(url)


def test_store_closing_twice_is_harmless_and_closed_store_refuses_work(tmp_path: Path) -> None:
    store = open_store(tmp_path / "r.db")
    with store:
        pass
    store.close()
    with pytest.raises(StoreError):
        store.has_document("x")


# -- embeddings ----------------------------------------------------------------------------------


def test_store_embeddings_round_trip_as_float32(store: Store) -> None:
    a, b, c = (make_doc(f"Text {n}.", key=f"https://example.org/{n}") for n in "abc")
    for document in (a, b, c):
        store.put_document(document)
    va = np.array([0.1, -2.5, 3e-8, 1e30], dtype=np.float32)
    vb = np.array([1 / 3, 2 / 3, 0.0, -1.0])  # float64 in, float32 out
    store.put_embedding(a.id, MODEL, va)
    store.put_embedding(b.id, MODEL, vb)
    found = store.get_embeddings([b.id, c.id, a.id, "unknown"])
    assert list(found) == [b.id, a.id]  # in the order asked for; no vector, no entry
    assert found[a.id].dtype == np.float32 and np.array_equal(found[a.id], va)
    assert np.array_equal(found[b.id], vb.astype(np.float32))
    found[a.id][0] = 9.0  # a copy the caller may change
    assert store.get_embeddings([a.id])[a.id][0] == np.float32(0.1)


def test_store_embeddings_of_several_models(store: Store) -> None:
    document = make_doc()
    store.put_document(document)
    store.put_embedding(document.id, "model-a", unit([1.0, 0.0]))
    store.put_embedding(document.id, "model-b", unit([0.0, 1.0, 0.0]))
    assert store.get_embeddings([document.id], model="model-b")[document.id].shape == (3,)
    assert store.get_embeddings([document.id], model="model-c") == {}
    with pytest.raises(StoreError, match="several models"):
        store.get_embeddings([document.id])
    store.put_embedding(document.id, "model-a", unit([0.0, 1.0]))  # replaced, not added
    assert store.get_embeddings([document.id], model="model-a")[document.id].tolist() == [0, 1]


def test_store_refuses_bad_embeddings(store: Store) -> None:
    a, b = make_doc("Text A."), make_doc("Text B.", key="https://example.org/b")
    store.put_document(a)
    store.put_document(b)
    store.put_embedding(a.id, MODEL, unit([1.0, 0.0, 0.0]))
    with pytest.raises(StoreError, match="2 dimensions.*have 3"):
        store.put_embedding(b.id, MODEL, unit([1.0, 0.0]))
    with pytest.raises(StoreError, match="1-D"):
        store.put_embedding(b.id, MODEL, np.zeros((1, 3), dtype=np.float32))
    with pytest.raises(StoreError, match="no document"):
        store.put_embedding("unknown", MODEL, unit([1.0, 0.0, 0.0]))
    assert store.get_embeddings([b.id]) == {}


# -- stories -------------------------------------------------------------------------------------


@pytest.fixture
def three(store: Store) -> list[Document]:
    """Three stored documents: two dated (out of order), one undated."""
    later = make_doc("Later.", key="https://b.example/1", outlet="B Daily", published="2026-05-06")
    undated = make_doc("Undated.", key="https://c.example/1", outlet=None, published=None)
    earlier = make_doc("Earlier.", key="https://a.example/1", outlet="A Post",
                       published="2026-05-04")
    for document in (later, undated, earlier):
        store.put_document(document)
    return [later, undated, earlier]


def test_store_stories_create_add_and_list(store: Store, three: list[Document]) -> None:
    later, undated, earlier = three
    story_id = store.create_story("Bridge", [later.id])
    assert story_id == "s0001"
    store.add_to_story(story_id, [undated.id, earlier.id, later.id])  # later again: no-op
    assert store.story_documents(story_id) == [earlier.id, later.id, undated.id]
    assert store.story_of(undated.id) == story_id
    assert store.list_stories() == [StoryRow(
        id="s0001", title="Bridge", size=3, first_published="2026-05-04",
        last_published="2026-05-06", outlets=("A Post", "B Daily"),
        created_at=store.list_stories()[0].created_at,
    )]
    assert store.story_members() == {story_id: [earlier.id, later.id, undated.id]}


def test_store_story_ids_are_stable_and_never_reused(store: Store, three: list[Document]) -> None:
    later, undated, earlier = three
    first = store.create_story("One", [later.id])
    second = store.create_story(None, [undated.id])
    store.merge_stories(first, second)
    third = store.create_story("Three", [earlier.id])
    assert (first, second, third) == ("s0001", "s0002", "s0003")
    assert [row.id for row in store.list_stories()] == ["s0001", "s0003"]


def test_store_merge_moves_documents_and_is_recorded(store: Store, three: list[Document]) -> None:
    later, undated, earlier = three
    keep = store.create_story("Bridge", [later.id])
    absorbed = store.create_story("Bridge closure", [earlier.id, undated.id])
    other = store.create_story("Other", [make_and_put(store, "Elsewhere.").id])
    store.replace_relations(absorbed, [Relation("r1", "corroboration", ("a", "b"), (), 0.9, "x")])
    store.merge_stories(keep, absorbed)

    assert store.story_documents(keep) == [earlier.id, later.id, undated.id]
    assert store.story_of(earlier.id) == keep
    assert [row.id for row in store.list_stories()] == [keep, other]
    assert store.list_stories()[0].size == 3
    assert store.resolve_story(absorbed) == keep
    with pytest.raises(StoreError, match=f"{absorbed} was merged into {keep}"):
        store.story_documents(absorbed)
    store.merge_stories(other, keep)  # a chain of merges still resolves
    assert store.resolve_story(absorbed) == other
    assert store.story_members() == {other: store.story_documents(other)}


def make_and_put(store: Store, text: str) -> Document:
    document = make_doc(text, key=f"https://example.org/{text}")
    store.put_document(document)
    return document


def test_store_merge_is_recorded_with_its_run(db_path: Path) -> None:
    with open_store(db_path) as store:
        a, b = make_and_put(store, "A."), make_and_put(store, "B.")
        run_id = store.start_run({"rashomon": "test"})
        keep, absorbed = store.create_story("A", [a.id]), store.create_story("B", [b.id])
        store.replace_relations(absorbed, [Relation("r1", "denial", (), (), 0.5, "x")])
        store.merge_stories(keep, absorbed, run_id=run_id)
    assert raw_rows(db_path, "SELECT from_story, into_story, run_id FROM story_merges") == [
        (absorbed, keep, run_id)
    ]
    # the absorbed story's relations described a story that is gone
    assert raw_rows(db_path, "SELECT COUNT(*) FROM relations") == [(0,)]


def test_store_story_mistakes_are_errors(store: Store, three: list[Document]) -> None:
    later, undated, earlier = three
    first = store.create_story("One", [later.id])
    second = store.create_story("Two", [undated.id])
    with pytest.raises(StoreError, match=f"already in story {first}"):
        store.add_to_story(second, [later.id])
    with pytest.raises(StoreError, match="into itself"):
        store.merge_stories(first, first)
    with pytest.raises(StoreError, match="no story s0404"):
        store.add_to_story("s0404", [earlier.id])
    with pytest.raises(StoreError, match="no document"):
        store.add_to_story(first, ["unknown"])
    with pytest.raises(StoreError, match="at least one document"):
        store.create_story("Empty", [])
    store.merge_stories(first, second)
    with pytest.raises(StoreError, match="merged into"):
        store.merge_stories(first, second)
    with pytest.raises(StoreError, match="merged into"):
        store.add_to_story(second, [earlier.id])
    assert store.story_of(earlier.id) is None


def test_store_failed_story_change_changes_nothing(store: Store, three: list[Document]) -> None:
    later, undated, earlier = three
    first = store.create_story("One", [later.id])
    with pytest.raises(StoreError):
        store.create_story("Two", [undated.id, later.id])  # later is taken: all of it undone
    assert store.story_of(undated.id) is None
    assert [row.id for row in store.list_stories()] == [first]


# -- entities and relations ----------------------------------------------------------------------


def test_store_entities_round_trip_and_replace(store: Store) -> None:
    kovalenko = Entity("e1", "Ana Kovalenko", "PERSON", ("Kovalenko", "the minister"),
                       (("doc-1", 3), ("doc-2", 1)))
    union = Entity("e0", "Velmora Transport Union", "ORG")
    store.put_entities([kovalenko, union])
    assert store.load_entities() == [union, kovalenko]
    assert store.load_entities(["e1", "e0"]) == [kovalenko, union]
    renamed = dataclasses.replace(kovalenko, aliases=("Minister Kovalenko",))
    store.put_entities([renamed])
    assert store.load_entities(["e1"]) == [renamed]
    with pytest.raises(StoreError, match="no entity e9"):
        store.load_entities(["e9"])


def test_store_relations_are_replaced_per_story(store: Store, three: list[Document]) -> None:
    later, undated, earlier = three
    one = store.create_story("One", [later.id])
    two = store.create_story("Two", [earlier.id])
    variant = Relation(
        "r1", "quote_variant", ("a1", "a2"), (Span(later.id, 0, 5), Span(earlier.id, 0, 7)),
        0.87, "same speaker, different words", (("equal", "the bridge"), ("insert", "finally")),
    )
    store.replace_relations(one, [variant])
    store.replace_relations(two, [dataclasses.replace(variant, id="r2")])
    assert store.load_relations(one) == [variant]
    store.replace_relations(one, [])
    assert store.load_relations(one) == []
    assert [r.id for r in store.load_relations(two)] == ["r2"]


@pytest.mark.parametrize("bad", [
    {"kind": "rumour"},
    {"score": math.nan},
])
def test_store_refuses_bad_relations(
    store: Store, three: list[Document], bad: dict[str, object]
) -> None:
    story = store.create_story("One", [three[0].id])
    good = Relation("r1", "corroboration", ("a1", "a2"), (), 0.5, "ok")
    store.replace_relations(story, [good])
    with pytest.raises(StoreError):
        broken = dataclasses.replace(good, id="r2", **bad)  # type: ignore[arg-type]
        store.replace_relations(story, [broken])
    assert store.load_relations(story) == [good]


# -- issue 6: key terms, MinHash bands, near-duplicates (migration 2) ---------------------------


def test_store_migration_2_upgrades_a_version_1_store(db_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    schema_before(monkeypatch, 1)
    with SQLiteStore(db_path) as store:
        assert store.schema_version == 1
    monkeypatch.undo()
    with SQLiteStore(db_path) as store:
        assert store.schema_version == len(schema.MIGRATIONS) >= 2
        assert store.near_duplicates() == {}


def test_store_migration_3_keeps_old_timeline_entries_as_certain(
    db_path: Path, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    document = make_doc()
    schema_before(monkeypatch, 2)
    with SQLiteStore(db_path) as store:
        store.put_document(document)
        connection = sqlite3.connect(db_path)  # a version-2 row: no uncertain column yet
        connection.execute(
            "INSERT INTO timeline (doc_id, seq, date, span_start, span_end, event, inferred)"
            " VALUES (?, 0, '2026-05-04', 0, 3, 'statement', 0)", (document.id,))
        connection.commit()
        connection.close()
    monkeypatch.undo()
    with SQLiteStore(db_path) as store:
        assert store.schema_version == len(schema.MIGRATIONS) >= 3
        (entry,) = store.load_annotations(document.id).timeline
        assert (entry.date, entry.uncertain) == ("2026-05-04", False)


def test_store_get_terms_among_reads_only_those_terms(store: Store) -> None:
    first, second = make_doc(key="first.txt"), make_doc(TEXT + " Again.", key="second.txt")
    for doc in (first, second):
        store.put_document(doc)
    store.put_terms(first.id, {"bridge": 1.5, "maas": 2.0, "cable": 1.0})
    store.put_terms(second.id, {"bridge": 1.0})
    both = [first.id, second.id]
    assert store.get_terms(both, among=["maas", "bridge", "none"]) == {
        first.id: {"bridge": 1.5, "maas": 2.0}, second.id: {"bridge": 1.0}}
    assert store.get_terms(both, among=["maas"]) == {first.id: {"maas": 2.0}}
    assert store.get_terms(both, among=[]) == {}
    assert store.get_terms(both)[first.id] == {"bridge": 1.5, "maas": 2.0, "cable": 1.0}


def test_store_band_matches_rank_by_bands_shared_then_age(store: Store) -> None:
    old, mid, new = (make_doc(TEXT + extra, key=f"{n}.txt")
                     for n, extra in (("old", ""), ("mid", " Again."), ("new", " Later.")))
    for doc in (old, mid, new):
        store.put_document(doc)
    store.put_minhash_bands(new.id, [1, 2, 3, 4])
    store.put_minhash_bands(old.id, [1, 9, 9, 9])
    store.put_minhash_bands(mid.id, [1, 2, 9, 9])
    query = [1, 2, 3, 0]
    assert store.band_matches(query) == [new.id, mid.id, old.id]
    assert store.band_matches(query, limit=2) == [new.id, mid.id]
    # a tie on bands shared goes to the document stored first, whenever its bands were put
    assert store.band_matches([1, 0, 0, 0]) == [old.id, mid.id, new.id]
    assert store.band_matches([1, 0, 0, 0], limit=1) == [old.id]
    assert store.shares_bands(old.id, query) and not store.shares_bands(old.id, [0, 2, 3, 4])
    assert not store.shares_bands(new.id, [4, 3, 2, 1])  # same values, other bands


def test_store_terms_bands_and_duplicates_round_trip(tmp_path: Path) -> None:
    first, second = make_doc(key="first.txt"), make_doc(TEXT + " Again.", key="second.txt")
    with SQLiteStore(tmp_path / "s.db") as store:
        for doc in (first, second):
            store.put_document(doc)
        store.put_terms(first.id, {"bridge": 1.5, "maas": 2.0})
        store.put_terms(second.id, {"bridge": 1.0})
        assert store.get_terms([first.id]) == {first.id: {"bridge": 1.5, "maas": 2.0}}
        assert store.term_counts(["bridge", "maas", "none"]) == {"bridge": 2, "maas": 1}
        assert store.term_document_count() == 2
        story = store.create_story("t", [first.id])
        assert store.stories_with_terms(["maas", "bridge"]) == {story: 2}
        store.put_minhash_bands(first.id, [5, 6, 7])
        assert store.band_matches([0, 6, 0]) == [first.id]
        assert store.band_matches([6, 0, 0]) == []  # same value, other band
        store.mark_near_duplicate(second.id, first.id, 0.9)
        assert store.near_duplicates([second.id]) == {second.id: (first.id, 0.9)}
        with pytest.raises(StoreError, match="itself"):
            store.mark_near_duplicate(first.id, first.id, 1.0)
        with pytest.raises(StoreError, match="no document"):
            store.put_terms("nope", {"x": 1.0})



def test_store_idf_counts_the_documents_with_terms_not_every_stored_one(tmp_path: Path) -> None:
    # an ingest stores a whole run's documents before it places (and puts the terms of) each:
    # were they counted, a document's idf would depend on how the stream was cut into runs
    first, second, third = (make_doc(TEXT + f" Part {n}.", key=f"{n}.txt") for n in range(3))
    with SQLiteStore(tmp_path / "s.db") as store:
        for doc in (first, second, third):
            store.put_document(doc)
        store.put_terms(first.id, {"bridge": 1.0})
        assert store.term_document_count() == 1
        store.put_terms(second.id, {"ferry": 1.0})
        assert store.term_document_count() == 2  # kept up to date by the handle's own write
        store.put_terms(second.id, {"ferry": 2.0})  # replaced: still one document
        assert store.term_document_count() == 2
    with SQLiteStore(tmp_path / "s.db") as store:
        assert store.term_document_count() == 2  # counted by the database


# -- issue 6: moving a document between stories (migration 5) -----------------------------------


def test_store_move_document_keeps_ids_and_records_the_move(
    store: Store, three: list[Document]
) -> None:
    later, undated, earlier = three
    first = store.create_story("Later", [later.id, undated.id])
    second = store.create_story("Earlier", [earlier.id])
    store.replace_relations(first, [Relation("r1", "corroboration", ("a", "b"), (), 0.9, "x")])
    store.put_terms(later.id, {"bridge": 1.0, "maas": 1.0})
    store.put_terms(undated.id, {"bridge": 1.0})
    assert store.stories_with_terms(["maas", "bridge"]) == {first: 2}  # fills the caches

    assert store.move_document(later.id, second) == second
    assert store.story_of(later.id) == second
    assert store.story_documents(second) == [earlier.id, later.id]
    assert store.story_documents(first) == [undated.id]
    assert (store.story_size(first), store.story_size(second)) == (1, 2)
    # the blocking index follows the document: "maas" left the first story with it
    assert store.stories_with_terms(["maas", "bridge"]) == {first: 1, second: 2}
    # relations were computed over documents that have moved
    assert store.load_relations(first) == []
    assert {row.id: row.title for row in store.list_stories()} == {first: "Later",
                                                                   second: "Earlier"}
    [event] = store.story_history()
    assert (event.kind, event.doc_id, event.from_story, event.into_story) == (
        "move", later.id, first, second)
    assert event.at


def test_store_story_named_after_a_document_that_left_is_renamed(store: Store) -> None:
    quay, ferry, other = (make_doc(f"{title}.", key=f"https://example.org/{n}", title=title)
                          for n, title in enumerate(("Quay reopens", "Ferries resume", "Other")))
    for document in (quay, ferry, other):
        store.put_document(document)
    story = store.create_story(quay.title, [quay.id, ferry.id])
    elsewhere = store.create_story(other.title, [other.id])
    store.move_document(quay.id, elsewhere)
    assert {row.id: row.title for row in store.list_stories()} == {story: "Ferries resume",
                                                                   elsewhere: "Other"}


def test_store_move_that_empties_a_story_marks_it_gone_for_good(
    store: Store, three: list[Document]
) -> None:
    later, undated, earlier = three
    lone = store.create_story("Lone", [later.id])
    grown = store.create_story("Grown", [undated.id, earlier.id])
    store.move_document(later.id, grown)
    assert [row.id for row in store.list_stories()] == [grown]
    assert store.resolve_story(lone) == grown
    assert store.story_size(lone) == 0
    with pytest.raises(StoreError, match="merged into"):
        store.add_to_story(lone, [later.id])
    assert [(e.kind, e.from_story, e.into_story) for e in store.story_history()] == [
        ("move", lone, grown), ("merge", lone, grown)]
    # the emptied story's id is never handed out again
    assert store.move_document(later.id, None, title="Split off") == "s0003"
    assert store.story_history([lone])[0].doc_id == later.id
    assert len(store.story_history(["s0003"])) == 1


def test_store_move_mistakes_are_errors_and_change_nothing(
    store: Store, three: list[Document]
) -> None:
    later, undated, earlier = three
    first = store.create_story("One", [later.id])
    second = store.create_story("Two", [undated.id])
    with pytest.raises(StoreError, match="already in story"):
        store.move_document(later.id, first)
    with pytest.raises(StoreError, match="only one of story"):
        store.move_document(later.id, None)
    with pytest.raises(StoreError, match="in no story"):
        store.move_document(earlier.id, first)
    with pytest.raises(StoreError, match="no document"):
        store.move_document("unknown", first)
    with pytest.raises(StoreError, match="no story s0404"):
        store.move_document(later.id, "s0404")
    store.merge_stories(first, second)
    with pytest.raises(StoreError, match="merged into"):
        store.move_document(later.id, second)
    assert store.story_documents(first) == [later.id, undated.id]
    assert [e.kind for e in store.story_history()] == ["merge"]


def test_store_migration_5_upgrades_a_version_4_store(db_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    schema_before(monkeypatch, 4)
    with SQLiteStore(db_path) as store:
        a, b = make_and_put(store, "A."), make_and_put(store, "B.")
        keep = store.create_story("A", [a.id])
        absorbed = store.create_story("B", [b.id])
        store.merge_stories(keep, absorbed)
        assert store.schema_version == 4
    monkeypatch.undo()
    with SQLiteStore(db_path) as store:
        assert store.schema_version == len(schema.MIGRATIONS) >= 5
        assert store.story_documents(keep) == [a.id, b.id]  # the stories are as they were
        assert [e.kind for e in store.story_history()] == ["merge"]
        store.move_document(b.id, None, title="B")
        assert [e.kind for e in store.story_history()] == ["merge", "move"]


# -- story-level analysis -----------------------------------------------------------------------


def _story_analysis(document: Document) -> Analysis:
    mentions, attributions, claims, timeline = annotate(document)
    entity = Entity("person:ana-kovalenko", "Ana Kovalenko", "PERSON", ("Kovalenko",),
                    ((document.id, 2),))
    span = document.span(0, 20)
    return Analysis(
        documents=(document,), stories=(Story("s0001", (document.id,), document.title),),
        entities=(entity,), mentions=tuple(mentions), attributions=tuple(attributions),
        claims=tuple(claims), timeline=tuple(timeline),
        relations=(Relation("r1", "corroboration", ("c1", "c2"), (span,), float("nan"), "why"),),
        briefs=(Brief("s0001", (BriefSentence("happened", "It happened.", (span,)),)),),
        framings=(Framing("s0001", "Example Post", (document.id,), (
            Voice("Ana Kovalenko", entity.id, (("said", 1),), (("assertion", 1),), 9, 1.0),),
            (("self-styled", span),)),),
    )


def test_store_story_analysis_round_trips_with_its_key(store: Store) -> None:
    document = make_and_put(store, TEXT)
    story_id = store.create_story(document.title, [document.id])
    assert store.load_story_analysis(story_id) is None
    analysis = _story_analysis(document)
    run_id = store.start_run({})
    store.put_story_analysis(story_id, analysis, key="k1", run_id=run_id)
    stored = store.load_story_analysis(story_id)
    assert stored is not None and (stored.key, stored.run_id) == ("k1", run_id)
    # equal field by field (a NaN score is kept, and NaN != NaN)
    assert math.isnan(stored.analysis.relations[0].score)
    assert dataclasses.replace(stored.analysis, relations=()) == dataclasses.replace(
        analysis, relations=())
    assert store.story_analysis_keys() == {story_id: "k1"}
    (row,) = store.story_entities()
    assert (row.story_id, row.id, row.mentions, row.documents, row.outlets) == (
        story_id, "person:ana-kovalenko", 2, 1, ("Example Post",))


def test_store_story_report_is_kept_with_the_analysis_of_its_key(store: Store) -> None:
    document = make_and_put(store, TEXT)
    story_id = store.create_story(document.title, [document.id])
    analysis = _story_analysis(document)
    # text as a report holds it: any character, a lone surrogate too (written by `json`)
    report = StoredReport("f1", '{\n  "text": "Kovalenko \u2013 \ud800 ok"\n}')
    store.put_story_analysis(story_id, analysis, key="k1", report=report)
    assert store.load_story_report(story_id, "k1") == report
    assert store.load_story_report(story_id, "k0") is None  # the analysis of another key
    store.put_story_analysis(story_id, analysis, key="k2")  # replaced, with no report
    assert store.load_story_report(story_id, "k2") is None
    store.put_story_report(story_id, "k1", report)  # kept for an analysis no longer there
    assert store.load_story_report(story_id, "k2") is None
    later = StoredReport("f2", "{}")
    store.put_story_report(story_id, "k2", later)
    assert store.load_story_report(story_id, "k2") == later
    assert store.load_story_analysis(story_id) is not None  # the analysis is left as it was


def test_store_story_analysis_of_another_layout_reads_as_missing(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        document = make_and_put(store, TEXT)
        story_id = store.create_story(document.title, [document.id])
        store.put_story_analysis(story_id, _story_analysis(document), key="k1",
                                 report=StoredReport("f1", "{}"))
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE story_analyses SET format = '0:older'")
    with SQLiteStore(db_path) as store:
        assert store.load_story_analysis(story_id) is None
        assert store.load_story_report(story_id, "k1") is None
        assert store.story_analysis_keys() == {}
        assert store.story_entities() == []


def test_store_merged_story_analysis_is_not_live(store: Store, three: list[Document]) -> None:
    one = store.create_story("a", [three[0].id])
    two = store.create_story("b", [three[1].id])
    store.put_story_analysis(two, Analysis(stories=(Story(two, (three[1].id,)),)), key="k2")
    store.merge_stories(one, two)
    assert two not in store.story_analysis_keys()


def test_store_document_date_replaces_its_timeline_and_dates_it_on_read(store: Store) -> None:
    document = make_doc(published=None)
    mentions, attributions, claims, timeline = annotate(document)
    store.put_analyzed(document, mentions, attributions, claims, timeline)
    story_id = store.create_story(document.title, [document.id])
    entry = TimelineEntry("2026-05-04", document.span(0, 9), "said on Monday", inferred=True)
    store.put_document_date(document.id, "2026-05-05", True, [entry])
    assert store.document_dates([document.id]) == {document.id: ("2026-05-05", True)}
    assert store.load_annotations(document.id).timeline == (entry,)
    assert store.get_document(document.id).published is None  # grouping reads its own date
    store.put_story_analysis(story_id, Analysis(stories=(Story(story_id, (document.id,)),)),
                             key="k")
    stored = store.load_story_analysis(story_id)
    assert stored is not None
    (read,) = stored.analysis.documents
    assert (read.published, read.published_inferred) == ("2026-05-05", True)


def test_store_unplaced_documents_are_those_in_no_story(store: Store, three: list[Document]) -> None:
    assert store.unplaced_documents() == [d.id for d in three]
    store.create_story("a", [three[1].id])
    assert store.unplaced_documents() == [three[0].id, three[2].id]


def test_store_load_annotations_of_several_documents_equals_one_by_one(store: Store) -> None:
    first = make_doc()
    second = make_doc(key="https://example.org/b")
    for document in (first, second):
        store.put_analyzed(document, *annotate(document))
    bare = make_and_put(store, "Nothing found here.")
    wanted = [second.id, bare.id, first.id]
    assert store.load_annotations_of(wanted) == {d: store.load_annotations(d) for d in wanted}
    with pytest.raises(StoreError, match="no document"):
        store.load_annotations_of([first.id, "missing"])


def test_store_refuses_a_document_id_holding_nul(example_store: Store) -> None:
    document = Document(id="a\x00b", source="s", source_key="s", text="t", raw_text="t")
    with pytest.raises(StoreError, match="NUL"):
        example_store.put_document(document)
    assert example_store.unplaced_documents() == []  # nothing stored
