"""Refusals write nothing (issue 18): opening a SQLite file that is not a rashomon store, or is
from a newer rashomon, leaves its bytes, its journal mode and its tables as they were."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rashomon.errors import StoreError
from rashomon.store import open_store
from rashomon.store.schema import MIGRATIONS


def _journal_mode(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA journal_mode").fetchone()[0])


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_store_refuses_a_foreign_database_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "theirs.db"
    with sqlite3.connect(path) as theirs:
        theirs.execute("CREATE TABLE notes (body TEXT)")
        theirs.execute("INSERT INTO notes VALUES ('keep me')")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="a SQLite database, but not a rashomon store"):
        open_store(path)
    assert path.read_bytes() == before
    assert _journal_mode(path) == "delete"
    assert _files(tmp_path) == ["theirs.db"]


def test_store_refuses_a_newer_store_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    with open_store(path):
        pass
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                           (str(len(MIGRATIONS) + 1),))
    before = path.read_bytes()
    with pytest.raises(StoreError, match="use a newer rashomon"):
        open_store(path)
    assert path.read_bytes() == before
    assert _journal_mode(path) == "delete"
    assert _files(tmp_path) == ["newer.db"]


def test_store_refuses_a_file_that_is_not_sqlite_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"These are my notes, not a database.\n" * 200)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_store(path)
    assert path.read_bytes() == before
    assert _files(tmp_path) == ["notes.db"]


def test_store_opens_its_own_file_again_and_an_empty_one(tmp_path: Path) -> None:
    path = tmp_path / "ours.db"
    with open_store(path) as store:
        first = store.schema_version
    with open_store(path) as store:
        assert store.schema_version == first == len(MIGRATIONS)
    empty = tmp_path / "empty.db"
    empty.touch()
    with open_store(empty) as store:
        assert store.schema_version == len(MIGRATIONS)
