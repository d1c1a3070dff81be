"""The SQLite backend: one file beside the user's inputs, WAL mode, foreign keys on.

The connection runs in autocommit mode and this module opens every transaction itself:
`BEGIN IMMEDIATE` at the outermost level (take the write lock up front, so that two processes
writing one file wait for each other instead of failing half-way through a document) and a
SAVEPOINT for each nested level. Every write method is a transaction of its own, so a caller
that groups several of them gets all-or-nothing for free.

This module holds the connection, the file checks and migrations and SQLite's words for the
shared SQL (`rashomon.store.sql`); story rules and caches are `Store`'s.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rashomon.errors import StoreError
from rashomon.store import codec, schema
from rashomon.store.sql import Conflict, Cursor, SQLStore

__all__ = ["MEMORY", "SQLiteStore"]

MEMORY = ":memory:"


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


class SQLiteStore(SQLStore):
    """A store in one SQLite file (or in memory, for ``":memory:"``)."""

    IN_LIST = "(SELECT value FROM json_each(?))"
    BANDS_TABLE = "(SELECT key AS band, value AS hash FROM json_each(?))"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.location = os.fspath(path)
        self._closed = False
        self._conn = _connect(self.location)
        self._data_version: int | None = None  # of the file, when last asked
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

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        with self._sqlite_errors():
            return self._conn.execute(sql, params)

    def _execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._sqlite_errors():
            self._conn.executemany(sql, rows)

    def _list_param(self, values: Sequence[str]) -> Any:
        return codec.to_json(list(values))

    def _bands_param(self, hashes: list[int]) -> object:
        return codec.to_json(hashes)

    def _insert_sql(
        self, table: str, columns: Sequence[str], conflict: Conflict, key: Sequence[str]
    ) -> str:
        verb = {"fail": "INSERT", "replace": "INSERT OR REPLACE", "ignore": "INSERT OR IGNORE"}
        marks = ", ".join("?" for _ in columns)
        return f"{verb[conflict]} INTO {table} ({', '.join(columns)}) VALUES ({marks})"

    # -- lifecycle -----------------------------------------------------------------------------

    def _others_wrote(self) -> bool:
        row = self._one("PRAGMA data_version")
        assert row is not None
        version = int(row["data_version"])
        changed = version != self._data_version
        self._data_version = version
        return changed

    def _begin(self, level: int) -> None:
        self._execute(f"SAVEPOINT rashomon_{level}" if level else "BEGIN IMMEDIATE")

    def _commit(self, level: int) -> None:
        self._execute(f"RELEASE rashomon_{level}" if level else "COMMIT")

    def _rollback(self, level: int) -> None:
        # Some errors (disk full, I/O) make SQLite roll the whole transaction back itself;
        # then there is nothing left to undo, and the enclosing levels fail on their own.
        if not self._conn.in_transaction:
            return
        if not level:
            self._execute("ROLLBACK")
        else:
            self._execute(f"ROLLBACK TO rashomon_{level}")
            self._execute(f"RELEASE rashomon_{level}")

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
        self._execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(number),)
        )
