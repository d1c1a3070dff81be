"""The SQLite backend: one file beside the user's inputs, WAL mode, foreign keys on.

The connection runs in autocommit mode and this module opens every transaction itself:
`BEGIN IMMEDIATE` at the outermost level (take the write lock up front, so that two processes
writing one file wait for each other instead of failing half-way through a document) and a
SAVEPOINT for each nested level. Every write method is a transaction of its own, so a caller
that groups several of them gets all-or-nothing for free.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from rashomon.errors import StoreError
from rashomon.model import (
    Analysis,
    Attribution,
    Claim,
    Document,
    Entity,
    Mention,
    Relation,
    TimelineEntry,
    source_key_id,
)
from rashomon.store import codec, schema, values
from rashomon.store.base import (
    Annotations,
    DocumentVersion,
    RunRow,
    Store,
    StoredAnalysis,
    StoryEntityRow,
    StoryEvent,
    StoryRow,
)

__all__ = ["MEMORY", "SQLiteStore"]

MEMORY = ":memory:"

T = TypeVar("T")

# Members of a story in reading order: by publication date, undated ones last, then as added.
_MEMBER_ORDER = "d.published IS NULL, d.published, d.rowid"

_STORY_STATE = """
    SELECT s.id, m.into_story FROM stories s
    LEFT JOIN story_merges m ON m.from_story = s.id
    WHERE s.id = ?
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _text_hash(text: str) -> str:
    # surrogatepass: article text from strangers may carry lone surrogates, and a key must
    # exist for every str
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _now_precise() -> str:
    # Sorts after a seconds-only time of the same second ("...:01+00:00" < "...:01.5+00:00"),
    # as stores written before it recorded merges.
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _check_location(path: Path) -> None:
    """Refuse, with the reason, a path SQLite would fail on with a vaguer message (or not at all:
    a write-protected file opens read-only and fails only at the first write)."""
    directory = path.parent
    if path.is_dir():
        reason = "it is a directory"
    elif not directory.is_dir():
        reason = f"directory {directory} does not exist"
    elif path.exists() and not os.access(path, os.R_OK | os.W_OK):
        reason = "the file is read-only"
    elif not os.access(directory, os.W_OK):
        # even an existing store needs its directory: WAL mode keeps -wal and -shm files beside it
        reason = f"directory {directory} is read-only"
    else:
        return
    raise StoreError(f"cannot open store {path}: {reason}")


def _refuse_foreign(path: Path) -> None:
    """Refuse a file that is not a rashomon store, or one from a newer rashomon, before any write.

    Read through a read-only connection: opening for real switches the file to WAL and may
    create tables, and a refusal must leave someone else's database as it was.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return  # a new store
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open store {path}: {error}") from error
    try:
        names = {row[0] for row in probe.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        found = None
        if "meta" in names:
            row = probe.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            found = int(row[0]) if row is not None and str(row[0]).isdigit() else None
    except sqlite3.Error as error:
        reason = "not a SQLite database" if "not a database" in str(error) else str(error)
        raise StoreError(f"cannot open store {path}: {reason}") from error
    finally:
        probe.close()
    if names and found is None:
        raise StoreError(f"cannot open store {path}: a SQLite database, but not a rashomon store")
    known = len(schema.MIGRATIONS)
    if found is not None and found > known:
        raise StoreError(
            f"cannot open store {path}: its schema version is {found}, but this rashomon knows "
            f"versions up to {known}; use a newer rashomon"
        )


def _connect(location: str) -> sqlite3.Connection:
    if location != MEMORY:
        _check_location(Path(location))
        _refuse_foreign(Path(location))
    try:
        connection = sqlite3.connect(location, isolation_level=None)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open store {location}: {error}") from error
    try:
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        # the first statement to read the file: this is where a file that is not SQLite fails
        connection.execute("PRAGMA journal_mode = WAL")
        # safe with WAL: a power cut can lose the last transactions, never corrupt the file
        connection.execute("PRAGMA synchronous = NORMAL")
        # The default page cache is 2 MB; the band and term indexes of a 100k-document store
        # are hundreds of MB, and every new document inserts into them at random places.
        # Up to 256 MB (pages are only taken as they are read).
        connection.execute("PRAGMA cache_size = -262144")
    except sqlite3.Error as error:
        connection.close()
        reason = "not a SQLite database" if "not a database" in str(error) else str(error)
        raise StoreError(f"cannot open store {location}: {reason}") from error
    return connection


class SQLiteStore(Store):
    """A store in one SQLite file (or in memory, for ``":memory:"``)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.location = os.fspath(path)
        self._depth = 0
        self._closed = False
        self._conn = _connect(self.location)
        self._data_version: int | None = None  # of the file, when the caches were checked
        self._caches_checked = False  # in the current transaction
        self._reset_caches()
        try:
            self._migrate()
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"SQLiteStore({self.location!r})"

    # -- statements --------------------------------------------------------------------------

    @contextmanager
    def _sqlite_errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise StoreError(f"store {self.location}: {error}") from error

    def _run(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Cursor:
        with self._sqlite_errors():
            return self._conn.execute(sql, params)

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._sqlite_errors():
            return self._conn.execute(sql, params).fetchall()

    def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        with self._sqlite_errors():
            row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
            return row

    def _insert(self, table: str, rows: Iterable[codec.Params], *, replace: bool = False) -> None:
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        for params in rows:
            columns = ", ".join(params)
            values = ", ".join(f":{name}" for name in params)
            self._run(f"{verb} INTO {table} ({columns}) VALUES ({values})", params)

    def _fail(self, reason: str) -> StoreError:
        return StoreError(f"store {self.location}: {reason}")

    def _by_ids(
        self, table: str, ids: Iterable[str], decode: Callable[[sqlite3.Row], T], what: str
    ) -> list[T]:
        """Rows of `table` by id, decoded, in the order asked for; a missing id is an error."""
        wanted = list(ids)
        # one parameter whatever the number of ids: SQLite caps the parameters of a statement
        rows = self._all(
            f"SELECT * FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
            (codec.to_json(wanted),),
        )
        found = {row["id"]: decode(row) for row in rows}
        missing = [item for item in wanted if item not in found]
        if missing:
            raise self._fail(f"no {what} {', '.join(missing)}")
        return [found[item] for item in wanted]

    # -- caches of the grouping features ------------------------------------------------------
    #
    # Story grouping asks, for every new document, the document frequency of its terms, the
    # stories holding its rarest terms and the size of its candidate stories. Answered by SQL,
    # each is a scan of a posting list or of a story, which grows with the store: the cost per
    # document would grow with the store too. These caches answer them from memory; they are
    # filled lazily, kept up to date by this handle's own writes, dropped whole on any rollback
    # and whenever another connection has written to the file (`PRAGMA data_version`).

    def _reset_caches(self) -> None:
        self._df: dict[str, int] = {}  # term -> number of documents holding it
        self._term_stories: dict[str, set[str]] = {}  # term -> live stories holding it
        self._sizes: dict[str, int] = {}  # story id -> number of documents
        # terms put for documents not yet in a story, until they join one
        self._pending_terms: dict[str, list[str]] = {}

    def _check_caches(self) -> None:
        """Drop the caches if another connection wrote since they were filled.

        Inside a transaction this handle holds the write lock, so the check made when the
        outermost transaction began still holds.
        """
        if self._depth and self._caches_checked:
            return
        row = self._one("PRAGMA data_version")
        assert row is not None
        version = int(row[0])
        if version != self._data_version:
            self._reset_caches()
            self._data_version = version
        self._caches_checked = bool(self._depth)

    # -- lifecycle -----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        savepoint = f"rashomon_{self._depth}" if self._depth else None
        self._run(f"SAVEPOINT {savepoint}" if savepoint else "BEGIN IMMEDIATE")
        if savepoint is None:
            self._caches_checked = False  # look again, now that the write lock is held
        self._depth += 1
        try:
            yield
            self._run(f"RELEASE {savepoint}" if savepoint else "COMMIT")
        except BaseException:
            # the caches may hold what is being undone
            self._reset_caches()
            self._undo(savepoint)
            raise
        finally:
            self._depth -= 1

    def _undo(self, savepoint: str | None) -> None:
        # Some errors (disk full, I/O) make SQLite roll the whole transaction back itself;
        # then there is nothing left to undo, and the enclosing levels fail on their own.
        if not self._conn.in_transaction:
            return
        if savepoint is None:
            self._run("ROLLBACK")
        else:
            self._run(f"ROLLBACK TO {savepoint}")
            self._run(f"RELEASE {savepoint}")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._conn.in_transaction:
            self._conn.rollback()
        self._conn.close()

    @property
    def schema_version(self) -> int:
        return self._stored_version()

    def _stored_version(self) -> int:
        """The store's schema version; 0 for an empty database, which migration 1 fills."""
        tables = {
            row["name"]
            for row in self._all("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row["name"].startswith("sqlite_")
        }
        if not tables:
            return 0
        row = None
        if "meta" in tables:
            row = self._one("SELECT value FROM meta WHERE key = 'schema_version'")
        if row is None:
            raise StoreError(
                f"cannot open store {self.location}: a SQLite database, but not a rashomon store"
            )
        return int(row["value"])

    def _migrate(self) -> None:
        known = len(schema.MIGRATIONS)
        if self._stored_version() == known:
            return  # the usual case: no write lock taken just to open a store
        with self.transaction():
            # read again under the lock: another process may have migrated in the meantime
            found = self._stored_version()
            if found > known:
                raise StoreError(
                    f"cannot open store {self.location}: its schema version is {found}, but this "
                    f"rashomon knows versions up to {known}; use a newer rashomon"
                )
            for number in range(found + 1, known + 1):
                self._apply_migration(number)

    def _apply_migration(self, number: int) -> None:
        migration = schema.MIGRATIONS[number - 1]
        try:
            migration(self._conn)
        except sqlite3.Error as error:
            raise StoreError(
                f"store {self.location}: migration to schema version {number} failed: {error}"
            ) from error
        self._run(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(number),)
        )

    # -- runs ----------------------------------------------------------------------------------

    def start_run(self, versions: Mapping[str, str]) -> int:
        with self.transaction():
            cursor = self._run(
                "INSERT INTO runs (started_at, versions) VALUES (?, ?)",
                (_now(), codec.to_json(dict(versions))),
            )
        assert cursor.lastrowid is not None  # an INSERT into a rowid table always sets it
        return cursor.lastrowid

    def finish_run(self, run_id: int, stats: Mapping[str, Any]) -> None:
        try:
            stats_json = codec.to_json(dict(stats))
        except (TypeError, ValueError) as error:
            raise self._fail(f"run {run_id} stats are not JSON: {error}") from error
        with self.transaction():
            if self.get_run(run_id).finished_at is not None:
                raise self._fail(f"run {run_id} is already finished")
            self._run(
                "UPDATE runs SET finished_at = ?, stats = ? WHERE id = ?",
                (_now(), stats_json, run_id),
            )

    def get_run(self, run_id: int) -> RunRow:
        row = self._one("SELECT * FROM runs WHERE id = ?", (run_id,))
        if row is None:
            raise self._fail(f"no run {run_id}")
        return RunRow(
            id=row["id"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            versions=codec.from_json(row["versions"]),
            stats=None if row["stats"] is None else codec.from_json(row["stats"]),
        )

    # -- documents and annotations -------------------------------------------------------------

    def put_document(self, document: Document, *, run_id: int | None = None) -> bool:
        with self.transaction():
            if self.has_document(document.id):
                return False
            latest = self._one(
                "SELECT COALESCE(MAX(version), 0) AS version FROM documents"
                " WHERE source_key_id = ?",
                (source_key_id(document.source_key),),
            )
            assert latest is not None  # an aggregate always gives a row
            params = codec.document_params(
                document, version=latest["version"] + 1, run_id=run_id, added_at=_now()
            )
            self._insert("documents", [params])
        return True

    def put_analyzed(
        self,
        document: Document,
        mentions: Sequence[Mention],
        attributions: Sequence[Attribution],
        claims: Sequence[Claim],
        timeline: Sequence[TimelineEntry],
        *,
        embedding: tuple[str, np.ndarray] | None = None,
        run_id: int | None = None,
    ) -> bool:
        with self.transaction():
            if not self.put_document(document, run_id=run_id):
                return False
            # rows are built (and checked) one at a time, inside the transaction: a bad one
            # undoes the document and everything written before it
            self._insert("mentions", (
                codec.mention_params(m, document, seq) for seq, m in enumerate(mentions)
            ))
            self._insert("attributions", (
                codec.attribution_params(a, document, seq) for seq, a in enumerate(attributions)
            ))
            self._insert("claims", (
                codec.claim_params(c, document, seq) for seq, c in enumerate(claims)
            ))
            self._insert("timeline", (
                codec.timeline_params(t, document, seq) for seq, t in enumerate(timeline)
            ))
            if embedding is not None:
                self.put_embedding(document.id, *embedding)
        return True

    def has_document(self, doc_id: str) -> bool:
        return self._one("SELECT 1 FROM documents WHERE id = ?", (doc_id,)) is not None

    def _require_document(self, doc_id: str) -> None:
        if not self.has_document(doc_id):
            raise self._fail(f"no document {doc_id}")

    def get_document(self, doc_id: str) -> Document:
        row = self._one("SELECT * FROM documents WHERE id = ?", (doc_id,))
        if row is None:
            raise self._fail(f"no document {doc_id}")
        return codec.document_from_row(row)

    def get_documents(self, doc_ids: Iterable[str]) -> list[Document]:
        return self._by_ids("documents", doc_ids, codec.document_from_row, "document")

    def documents_by_source_key(self, source_key: str) -> list[DocumentVersion]:
        rows = self._all(
            "SELECT * FROM documents WHERE source_key_id = ? ORDER BY version",
            (source_key_id(source_key),),
        )
        return [
            DocumentVersion(row["version"], codec.document_from_row(row), row["run_id"],
                            row["added_at"])
            for row in rows
        ]

    def load_annotations(self, doc_id: str) -> Annotations:
        self._require_document(doc_id)

        def rows(table: str) -> list[sqlite3.Row]:
            return self._all(f"SELECT * FROM {table} WHERE doc_id = ? ORDER BY seq", (doc_id,))

        return Annotations(
            mentions=tuple(codec.mention_from_row(row) for row in rows("mentions")),
            attributions=tuple(codec.attribution_from_row(row) for row in rows("attributions")),
            claims=tuple(codec.claim_from_row(row) for row in rows("claims")),
            timeline=tuple(codec.timeline_from_row(row) for row in rows("timeline")),
        )

    def load_annotations_of(self, doc_ids: Iterable[str]) -> dict[str, Annotations]:
        wanted = list(dict.fromkeys(doc_ids))
        self._by_ids("documents", wanted, lambda row: row["id"], "document")  # all stored
        found: dict[str, dict[str, list[Any]]] = {d: {} for d in wanted}
        decoders: dict[str, Callable[[sqlite3.Row], Any]] = {
            "mentions": codec.mention_from_row, "attributions": codec.attribution_from_row,
            "claims": codec.claim_from_row, "timeline": codec.timeline_from_row,
        }
        for table, decode in decoders.items():
            # one query a table whatever the number of documents
            rows = self._all(
                f"SELECT * FROM {table} WHERE doc_id IN (SELECT value FROM json_each(?))"
                " ORDER BY doc_id, seq",
                (codec.to_json(wanted),),
            )
            for row in rows:
                found[row["doc_id"]].setdefault(table, []).append(decode(row))
        return {
            doc_id: Annotations(
                mentions=tuple(found[doc_id].get("mentions", ())),
                attributions=tuple(found[doc_id].get("attributions", ())),
                claims=tuple(found[doc_id].get("claims", ())),
                timeline=tuple(found[doc_id].get("timeline", ())),
            )
            for doc_id in wanted
        }

    # -- embeddings ----------------------------------------------------------------------------

    def put_embedding(self, doc_id: str, model: str, vector: np.ndarray) -> None:
        dim, blob = codec.vector_blob(vector, f"embedding of document {doc_id}")
        with self.transaction():
            self._require_document(doc_id)
            known = self._one("SELECT dim FROM embeddings WHERE model = ? LIMIT 1", (model,))
            if known is not None and known["dim"] != dim:
                raise self._fail(
                    f"embedding of document {doc_id} has {dim} dimensions, but {model} "
                    f"vectors in this store have {known['dim']}"
                )
            self._run(
                "INSERT OR REPLACE INTO embeddings (doc_id, model, dim, vector)"
                " VALUES (?, ?, ?, ?)",
                (doc_id, model, dim, blob),
            )

    def get_embeddings(
        self, doc_ids: Iterable[str], *, model: str | None = None
    ) -> dict[str, np.ndarray]:
        wanted = list(doc_ids)
        sql = (
            "SELECT doc_id, model, vector FROM embeddings"
            " WHERE doc_id IN (SELECT value FROM json_each(?))"
        )
        params: list[Any] = [codec.to_json(wanted)]
        if model is not None:
            sql += " AND model = ?"
            params.append(model)
        by_doc: dict[str, list[sqlite3.Row]] = {}
        for row in self._all(sql, params):
            by_doc.setdefault(row["doc_id"], []).append(row)
        vectors: dict[str, np.ndarray] = {}
        for doc_id in wanted:
            rows = by_doc.get(doc_id, [])
            if len(rows) > 1:
                models = ", ".join(sorted(row["model"] for row in rows))
                raise self._fail(f"document {doc_id} has embeddings of several models ({models}); "
                                 "say which one")
            if rows:
                vectors[doc_id] = codec.vector_from_blob(rows[0]["vector"])
        return vectors

    def get_text_embeddings(self, model: str, texts: Iterable[str]) -> dict[str, np.ndarray]:
        by_hash = {_text_hash(text): text for text in texts}
        # one parameter whatever the number of texts: SQLite caps the parameters of a statement
        rows = self._all(
            "SELECT text_hash, vector FROM text_embeddings"
            " WHERE model = ? AND text_hash IN (SELECT value FROM json_each(?))",
            (model, codec.to_json(list(by_hash))),
        )
        return {by_hash[row["text_hash"]]: codec.vector_from_blob(row["vector"]) for row in rows}

    def put_text_embeddings(self, model: str, vectors: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = []
        dims = set()
        for text, vector in vectors:
            dim, blob = codec.vector_blob(vector, f"{model} embedding of a text")
            dims.add(dim)
            rows.append((model, _text_hash(text), blob))
        if not rows:
            return
        with self.transaction():
            known = self._one(
                "SELECT length(vector) / 4 AS dim FROM text_embeddings WHERE model = ? LIMIT 1",
                (model,),
            )
            if known is not None:
                dims.add(known["dim"])
            if len(dims) > 1:
                raise self._fail(f"{model} text embeddings of several dimensions: "
                                 f"{', '.join(map(str, sorted(dims)))}")
            with self._sqlite_errors():
                self._conn.executemany(
                    "INSERT OR IGNORE INTO text_embeddings (model, text_hash, vector)"
                    " VALUES (?, ?, ?)",
                    rows,
                )

    # -- stories -------------------------------------------------------------------------------

    def create_story(self, title: str | None, doc_ids: Sequence[str]) -> str:
        if not doc_ids:
            raise self._fail("a story needs at least one document")
        with self.transaction():
            story_id = self._new_story(title)
            self._attach(story_id, doc_ids)
        return story_id

    def _new_story(self, title: str | None) -> str:
        # Story rows are never deleted (a merged or emptied story keeps its row), so the row
        # count only grows and an id is never handed out twice.
        row = self._one("SELECT COALESCE(MAX(rowid), 0) + 1 AS number FROM stories")
        assert row is not None
        story_id = f"s{row['number']:04d}"
        self._run(
            "INSERT INTO stories (id, title, created_at) VALUES (?, ?, ?)",
            (story_id, title, _now()),
        )
        self._sizes[story_id] = 0
        return story_id

    def add_to_story(self, story_id: str, doc_ids: Sequence[str]) -> None:
        with self.transaction():
            self._require_live_story(story_id)
            self._attach(story_id, doc_ids)

    def _attach(self, story_id: str, doc_ids: Sequence[str]) -> None:
        for doc_id in doc_ids:
            self._require_document(doc_id)
            current = self.story_of(doc_id)
            if current == story_id:
                continue
            if current is not None:
                raise self._fail(f"document {doc_id} is already in story {current}; "
                                 "merge the stories instead")
            self._run(
                "INSERT INTO story_documents (doc_id, story_id) VALUES (?, ?)", (doc_id, story_id)
            )
            self._cache_attached(story_id, doc_id)

    def _cache_attached(self, story_id: str, doc_id: str) -> None:
        if story_id in self._sizes:
            self._sizes[story_id] += 1
        terms = self._pending_terms.pop(doc_id, None)
        if not self._term_stories:
            return
        if terms is None:
            terms = list(self.get_terms([doc_id]).get(doc_id, {}))
        for term in terms:
            stories = self._term_stories.get(term)
            if stories is not None:
                stories.add(story_id)
    def _merged_into(self, story_id: str) -> str | None:
        """The story `story_id` was merged into, or None while it is live."""
        row = self._one(_STORY_STATE, (story_id,))
        if row is None:
            raise self._fail(f"no story {story_id}")
        into: str | None = row["into_story"]
        return into

    def _require_live_story(self, story_id: str) -> None:
        if self._merged_into(story_id) is not None:
            raise self._fail(
                f"story {story_id} was merged into {self.resolve_story(story_id)}"
            )

    def merge_stories(self, keep: str, absorbed: str, *, run_id: int | None = None) -> None:
        if keep == absorbed:
            raise self._fail(f"cannot merge story {keep} into itself")
        with self.transaction():
            self._require_live_story(keep)
            self._require_live_story(absorbed)
            self._run(
                "UPDATE story_documents SET story_id = ? WHERE story_id = ?", (keep, absorbed)
            )
            if keep in self._sizes and absorbed in self._sizes:
                self._sizes[keep] += self._sizes[absorbed]
            else:
                self._sizes.pop(keep, None)
            self._sizes[absorbed] = 0
            for stories in self._term_stories.values():
                if absorbed in stories:
                    stories.discard(absorbed)
                    stories.add(keep)
            # Relations are computed over one story's documents; the absorbed story's would
            # describe a story that no longer exists.
            self._run("DELETE FROM relations WHERE story_id = ?", (absorbed,))
            self._run(
                "INSERT INTO story_merges (from_story, into_story, run_id, merged_at)"
                " VALUES (?, ?, ?, ?)",
                (absorbed, keep, run_id, _now_precise()),
            )

    def move_document(
        self, doc_id: str, into: str | None, *, title: str | None = None,
        run_id: int | None = None,
    ) -> str:
        with self.transaction():
            self._require_document(doc_id)
            source = self.story_of(doc_id)
            if source is None:
                raise self._fail(f"document {doc_id} is in no story; add it to one instead")
            if into == source:
                raise self._fail(f"document {doc_id} is already in story {source}")
            left = self.story_size(source) - 1
            if into is None:
                if not left:
                    raise self._fail(f"document {doc_id} is the only one of story {source}; "
                                     "it is a story of its own already")
                into = self._new_story(title)
            else:
                self._require_live_story(into)
            self._run("UPDATE story_documents SET story_id = ? WHERE doc_id = ?", (into, doc_id))
            self._cache_moved(doc_id, source, into)
            self._run("DELETE FROM relations WHERE story_id IN (?, ?)", (source, into))
            # to the microsecond: moves come in quick succession, and the history is in order
            now = _now_precise()
            self._run(
                "INSERT INTO story_moves (doc_id, from_story, into_story, run_id, moved_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (doc_id, source, into, run_id, now),
            )
            if left:
                self._retitle_after_move(source, doc_id)
            else:
                # emptied: it lives on only as a pointer to where its last document went
                self._run(
                    "INSERT INTO story_merges (from_story, into_story, run_id, merged_at)"
                    " VALUES (?, ?, ?, ?)",
                    (source, into, run_id, now),
                )
        return into

    def _cache_moved(self, doc_id: str, source: str, into: str) -> None:
        """Keep the size and blocking caches true after `doc_id` went from `source` to `into`."""
        for story_id, change in ((source, -1), (into, 1)):
            if story_id in self._sizes:
                self._sizes[story_id] += change
        if not self._term_stories:
            return
        terms = [t for t in self.get_terms([doc_id]).get(doc_id, {}) if t in self._term_stories]
        if not terms:
            return
        # the story left still holds a term when another of its documents has it
        rows = self._all(
            "SELECT DISTINCT t.term FROM document_terms t"
            " JOIN story_documents sd ON sd.doc_id = t.doc_id"
            " WHERE sd.story_id = ? AND t.term IN (SELECT value FROM json_each(?))",
            (source, codec.to_json(terms)),
        )
        still = {row["term"] for row in rows}
        for term in terms:
            stories = self._term_stories[term]
            stories.add(into)
            if term not in still:
                stories.discard(source)

    def _retitle_after_move(self, story_id: str, doc_id: str) -> None:
        """A story named after the document that left is renamed after its earliest member."""
        row = self._one(
            "SELECT s.title = d.title AS same FROM stories s, documents d"
            " WHERE s.id = ? AND d.id = ?",
            (story_id, doc_id),
        )
        if row is None or not row["same"]:
            return
        first = self._one(
            "SELECT d.title FROM story_documents sd JOIN documents d ON d.id = sd.doc_id"
            " WHERE sd.story_id = ? AND d.title IS NOT NULL ORDER BY d.rowid LIMIT 1",
            (story_id,),
        )
        self._run("UPDATE stories SET title = ? WHERE id = ?",
                  (first["title"] if first else None, story_id))

    def story_history(self, story_ids: Iterable[str] | None = None) -> list[StoryEvent]:
        sql = (
            "SELECT 'merge' AS kind, merged_at AS at, from_story, into_story, NULL AS doc_id,"
            " run_id, 0 AS seq FROM story_merges"
            " UNION ALL SELECT 'move', moved_at, from_story, into_story, doc_id, run_id, id"
            " FROM story_moves"
        )
        params: list[Any] = []
        if story_ids is not None:
            sql = (f"SELECT * FROM ({sql}) WHERE from_story IN (SELECT value FROM json_each(?))"
                   " OR into_story IN (SELECT value FROM json_each(?))")
            wanted = codec.to_json(list(story_ids))
            params = [wanted, wanted]
        # a move that empties a story is recorded at the same second as the merge it implies:
        # the move first
        rows = self._all(f"{sql} ORDER BY at, kind DESC, seq", params)
        return [
            StoryEvent(kind=row["kind"], at=row["at"], from_story=row["from_story"],
                       into_story=row["into_story"], doc_id=row["doc_id"], run_id=row["run_id"])
            for row in rows
        ]

    def resolve_story(self, story_id: str) -> str:
        # no cycles: only live stories merge, and an absorbed story never becomes live again
        current = story_id
        while (into := self._merged_into(current)) is not None:
            current = into
        return current

    def story_size(self, story_id: str) -> int:
        self._check_caches()
        size = self._sizes.get(story_id)
        if size is None:
            row = self._one("SELECT COUNT(*) AS n FROM story_documents WHERE story_id = ?",
                            (story_id,))
            assert row is not None
            size = self._sizes[story_id] = int(row["n"])
        return size

    def story_of(self, doc_id: str) -> str | None:
        row = self._one("SELECT story_id FROM story_documents WHERE doc_id = ?", (doc_id,))
        return None if row is None else str(row["story_id"])

    def unplaced_documents(self) -> list[str]:
        rows = self._all(
            "SELECT d.id FROM documents d LEFT JOIN story_documents sd ON sd.doc_id = d.id"
            " WHERE sd.doc_id IS NULL ORDER BY d.rowid"
        )
        return [row["id"] for row in rows]

    def story_documents(self, story_id: str) -> list[str]:
        self._require_live_story(story_id)
        rows = self._all(
            "SELECT sd.doc_id FROM story_documents sd JOIN documents d ON d.id = sd.doc_id"
            f" WHERE sd.story_id = ? ORDER BY {_MEMBER_ORDER}",
            (story_id,),
        )
        return [row["doc_id"] for row in rows]

    def story_members(self) -> dict[str, list[str]]:
        # absorbed stories have no rows in story_documents: their documents moved on merge
        rows = self._all(
            "SELECT sd.story_id, sd.doc_id FROM story_documents sd"
            " JOIN documents d ON d.id = sd.doc_id JOIN stories s ON s.id = sd.story_id"
            f" ORDER BY s.rowid, {_MEMBER_ORDER}"
        )
        members: dict[str, list[str]] = {}
        for row in rows:
            members.setdefault(row["story_id"], []).append(row["doc_id"])
        return members

    def list_stories(self) -> list[StoryRow]:
        rows = self._all(
            """SELECT s.id, s.title, s.created_at, COUNT(d.id) AS size,
                      MIN(d.published) AS first_published, MAX(d.published) AS last_published
               FROM stories s
               LEFT JOIN story_documents sd ON sd.story_id = s.id
               LEFT JOIN documents d ON d.id = sd.doc_id
               WHERE s.id NOT IN (SELECT from_story FROM story_merges)
               GROUP BY s.id
               ORDER BY MIN(s.rowid)"""
        )
        outlets = self._story_outlets()
        return [
            StoryRow(
                id=row["id"],
                title=row["title"] if row["title"] is not None else self._member_title(row["id"]),
                size=row["size"],
                first_published=row["first_published"],
                last_published=row["last_published"],
                outlets=tuple(outlets.get(row["id"], ())),
                created_at=row["created_at"],
            )
            for row in rows
        ]

    def story_title(self, story_id: str) -> str | None:
        self._require_live_story(story_id)
        row = self._one("SELECT title FROM stories WHERE id = ?", (story_id,))
        assert row is not None  # a live story has its row
        title: str | None = row["title"]
        return title if title is not None else self._member_title(story_id)

    def _member_title(self, story_id: str) -> str | None:
        row = self._one(
            "SELECT d.title FROM story_documents sd JOIN documents d ON d.id = sd.doc_id"
            f" WHERE sd.story_id = ? AND d.title IS NOT NULL ORDER BY {_MEMBER_ORDER} LIMIT 1",
            (story_id,),
        )
        return None if row is None else str(row["title"])

    def _story_outlets(self) -> dict[str, list[str]]:
        rows = self._all(
            "SELECT DISTINCT sd.story_id, d.outlet FROM story_documents sd"
            " JOIN documents d ON d.id = sd.doc_id WHERE d.outlet IS NOT NULL ORDER BY d.outlet"
        )
        outlets: dict[str, list[str]] = {}
        for row in rows:
            outlets.setdefault(row["story_id"], []).append(row["outlet"])
        return outlets

    # -- grouping features ---------------------------------------------------------------------

    def put_terms(self, doc_id: str, terms: Mapping[str, float]) -> None:
        with self.transaction():
            row = self._one(
                "SELECT d.id, sd.story_id FROM documents d"
                " LEFT JOIN story_documents sd ON sd.doc_id = d.id WHERE d.id = ?",
                (doc_id,),
            )
            if row is None:
                raise self._fail(f"no document {doc_id}")
            if self._run("DELETE FROM document_terms WHERE doc_id = ?", (doc_id,)).rowcount:
                self._reset_caches()  # terms replaced: rare, and the counts would need undoing
            with self._sqlite_errors():
                self._conn.executemany(
                    "INSERT INTO document_terms (doc_id, term, weight) VALUES (?, ?, ?)",
                    [(doc_id, term, float(weight)) for term, weight in terms.items()],
                )
            story_id = row["story_id"]
            for term in terms:
                if term in self._df:
                    self._df[term] += 1
                if story_id is not None and term in self._term_stories:
                    self._term_stories[term].add(story_id)
            if story_id is None:
                self._pending_terms[doc_id] = list(terms)

    def get_terms(self, doc_ids: Iterable[str]) -> dict[str, dict[str, float]]:
        rows = self._all(
            "SELECT doc_id, term, weight FROM document_terms"
            " WHERE doc_id IN (SELECT value FROM json_each(?))",
            (codec.to_json(list(doc_ids)),),
        )
        terms: dict[str, dict[str, float]] = {}
        for row in rows:
            terms.setdefault(row["doc_id"], {})[row["term"]] = row["weight"]
        return terms

    def term_document_count(self) -> int:
        # documents are stored before their terms: counting them is a quick b-tree count
        row = self._one("SELECT COUNT(*) AS n FROM documents")
        assert row is not None
        return int(row["n"])

    def term_counts(self, terms: Iterable[str]) -> dict[str, int]:
        self._check_caches()
        wanted = list(dict.fromkeys(terms))
        missing = [term for term in wanted if term not in self._df]
        if missing:
            rows = self._all(
                "SELECT term, COUNT(*) AS df FROM document_terms"
                " WHERE term IN (SELECT value FROM json_each(?)) GROUP BY term",
                (codec.to_json(missing),),
            )
            self._df.update(dict.fromkeys(missing, 0))
            self._df.update((row["term"], int(row["df"])) for row in rows)
        return {term: self._df[term] for term in wanted if self._df[term]}

    def stories_with_terms(self, terms: Iterable[str]) -> dict[str, int]:
        self._check_caches()
        wanted = list(dict.fromkeys(terms))
        missing = [term for term in wanted if term not in self._term_stories]
        if missing:
            rows = self._all(
                "SELECT DISTINCT t.term, sd.story_id FROM document_terms t"
                " JOIN story_documents sd ON sd.doc_id = t.doc_id"
                " WHERE t.term IN (SELECT value FROM json_each(?))",
                (codec.to_json(missing),),
            )
            for term in missing:
                self._term_stories[term] = set()
            for row in rows:
                self._term_stories[row["term"]].add(row["story_id"])
        shared: dict[str, int] = {}
        for term in wanted:
            for story_id in self._term_stories[term]:
                shared[story_id] = shared.get(story_id, 0) + 1
        # by story id, as the SQL grouping gave them: callers break ties on this order
        return dict(sorted(shared.items()))

    def published_dates(self, doc_ids: Iterable[str]) -> dict[str, str | None]:
        rows = self._all(
            "SELECT id, published FROM documents WHERE id IN (SELECT value FROM json_each(?))",
            (codec.to_json(list(doc_ids)),),
        )
        return {row["id"]: row["published"] for row in rows}

    def put_minhash_bands(self, doc_id: str, bands: Sequence[int]) -> None:
        with self.transaction():
            self._require_document(doc_id)
            self._run("DELETE FROM minhash_bands WHERE doc_id = ?", (doc_id,))
            with self._sqlite_errors():
                self._conn.executemany(
                    "INSERT OR IGNORE INTO minhash_bands (band, hash, doc_id) VALUES (?, ?, ?)",
                    [(band, int(value), doc_id) for band, value in enumerate(bands)],
                )

    def band_matches(self, bands: Sequence[int]) -> list[str]:
        pairs = [[band, int(value)] for band, value in enumerate(bands)]
        rows = self._all(
            "SELECT b.doc_id, COUNT(*) AS bands FROM json_each(?) j"
            " JOIN minhash_bands b ON b.band = json_extract(j.value, '$[0]')"
            " AND b.hash = json_extract(j.value, '$[1]')"
            " JOIN documents d ON d.id = b.doc_id"
            " GROUP BY b.doc_id ORDER BY COUNT(*) DESC, MIN(d.rowid)",
            (codec.to_json(pairs),),
        )
        return [row["doc_id"] for row in rows]

    def mark_near_duplicate(self, doc_id: str, duplicate_of: str, similarity: float) -> None:
        if doc_id == duplicate_of:
            raise self._fail(f"document {doc_id} cannot duplicate itself")
        with self.transaction():
            self._require_document(doc_id)
            self._require_document(duplicate_of)
            self._run(
                "INSERT OR REPLACE INTO near_duplicates (doc_id, duplicate_of, similarity)"
                " VALUES (?, ?, ?)",
                (doc_id, duplicate_of, float(similarity)),
            )

    def near_duplicates(self, doc_ids: Iterable[str] | None = None) -> dict[str, tuple[str, float]]:
        if doc_ids is None:
            rows = self._all("SELECT * FROM near_duplicates")
        else:
            rows = self._all(
                "SELECT * FROM near_duplicates WHERE doc_id IN (SELECT value FROM json_each(?))",
                (codec.to_json(list(doc_ids)),),
            )
        return {row["doc_id"]: (row["duplicate_of"], row["similarity"]) for row in rows}

    # -- story-level analysis ------------------------------------------------------------------

    def put_story_analysis(
        self, story_id: str, analysis: Analysis, *, key: str, run_id: int | None = None
    ) -> None:
        outlet = {d.id: d.outlet_label for d in analysis.documents}
        # documents are stored already: kept once, read back with their inferred dates
        blob = zlib.compress(values.dumps(
            dataclasses.replace(analysis, documents=())).encode("utf-8", "surrogatepass"), 3)
        with self.transaction():
            self._require_live_story(story_id)
            self._run(
                "INSERT OR REPLACE INTO story_analyses"
                " (story_id, key, format, run_id, made_at, analysis) VALUES (?, ?, ?, ?, ?, ?)",
                (story_id, key, values.format_of(Analysis), run_id, _now(), blob),
            )
            self._run("DELETE FROM story_entities WHERE story_id = ?", (story_id,))
            with self._sqlite_errors():
                self._conn.executemany(
                    "INSERT INTO story_entities (story_id, seq, id, name, type, aliases,"
                    " mentions, documents, outlets) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(story_id, seq, e.id, e.name, e.type, codec.to_json(list(e.aliases)),
                      sum(n for _, n in e.mentions), len(e.mentions),
                      codec.to_json(list(dict.fromkeys(
                          outlet[doc] for doc, _ in e.mentions if doc in outlet))))
                     for seq, e in enumerate(analysis.entities)],
                )

    def load_story_analysis(self, story_id: str) -> StoredAnalysis | None:
        row = self._one("SELECT * FROM story_analyses WHERE story_id = ? AND format = ?",
                        (story_id, values.format_of(Analysis)))
        if row is None:
            return None
        analysis = values.loads(
            Analysis, zlib.decompress(row["analysis"]).decode("utf-8", "surrogatepass"))
        doc_ids = [d for story in analysis.stories for d in story.documents]
        dates = self.document_dates(doc_ids)
        documents = tuple(
            dataclasses.replace(d, published=dates[d.id][0], published_inferred=dates[d.id][1])
            if d.id in dates else d
            for d in self.get_documents(doc_ids)
        )
        return StoredAnalysis(story_id, row["key"], row["run_id"], row["made_at"],
                              dataclasses.replace(analysis, documents=documents))

    def story_analysis_keys(self) -> dict[str, str]:
        rows = self._all(
            "SELECT story_id, key FROM story_analyses WHERE format = ?"
            " AND story_id NOT IN (SELECT from_story FROM story_merges)",
            (values.format_of(Analysis),),
        )
        return {row["story_id"]: row["key"] for row in rows}

    def story_entities(self) -> list[StoryEntityRow]:
        rows = self._all(
            "SELECT e.* FROM story_entities e JOIN story_analyses a ON a.story_id = e.story_id"
            " WHERE a.format = ? AND e.story_id NOT IN (SELECT from_story FROM story_merges)"
            " ORDER BY e.story_id, e.seq",
            (values.format_of(Analysis),),
        )
        return [
            StoryEntityRow(
                row["story_id"], row["id"], row["name"], row["type"],
                tuple(codec.from_json(row["aliases"])), row["mentions"], row["documents"],
                tuple(codec.from_json(row["outlets"])),
            )
            for row in rows
        ]

    def put_document_date(
        self, doc_id: str, published: str, inferred: bool,
        timeline: Sequence[TimelineEntry], *, run_id: int | None = None,
    ) -> None:
        with self.transaction():
            document = self.get_document(doc_id)
            self._run(
                "INSERT OR REPLACE INTO document_dates (doc_id, published, inferred, run_id)"
                " VALUES (?, ?, ?, ?)",
                (doc_id, published, int(inferred), run_id),
            )
            self._run("DELETE FROM timeline WHERE doc_id = ?", (doc_id,))
            self._insert("timeline", (
                codec.timeline_params(t, document, seq) for seq, t in enumerate(timeline)
            ))

    def document_dates(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, bool]]:
        rows = self._all(
            "SELECT doc_id, published, inferred FROM document_dates"
            " WHERE doc_id IN (SELECT value FROM json_each(?))",
            (codec.to_json(list(doc_ids)),),
        )
        return {row["doc_id"]: (row["published"], bool(row["inferred"])) for row in rows}

    # -- entities and relations ----------------------------------------------------------------

    def put_entities(self, entities: Iterable[Entity]) -> None:
        with self.transaction():
            self._insert("entities", (codec.entity_params(e) for e in entities), replace=True)

    def load_entities(self, ids: Iterable[str] | None = None) -> list[Entity]:
        if ids is None:
            return [codec.entity_from_row(row)
                    for row in self._all("SELECT * FROM entities ORDER BY id")]
        return self._by_ids("entities", ids, codec.entity_from_row, "entity")

    def replace_relations(self, story_id: str, relations: Sequence[Relation]) -> None:
        with self.transaction():
            self._require_live_story(story_id)
            self._run("DELETE FROM relations WHERE story_id = ?", (story_id,))
            self._insert("relations", (
                codec.relation_params(r, story_id, seq) for seq, r in enumerate(relations)
            ))

    def load_relations(self, story_id: str) -> list[Relation]:
        self._require_live_story(story_id)
        rows = self._all("SELECT * FROM relations WHERE story_id = ? ORDER BY seq", (story_id,))
        return [codec.relation_from_row(row) for row in rows]
