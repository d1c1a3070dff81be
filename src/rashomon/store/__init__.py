"""Where documents, annotations, embeddings and stories are kept between runs.

Everything goes through the `Store` interface (`store/base.py`); `open_store` picks the backend
from what the user typed: a SQLite file (the default) or a PostgreSQL database named by a
``postgresql://`` URL.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from rashomon.errors import StoreError
from rashomon.store.base import (
    Annotations,
    DocumentVersion,
    RunRow,
    Store,
    StoredAnalysis,
    StoredReport,
    StoryEntityRow,
    StoryEvent,
    StoryRow,
)
from rashomon.store.sqlite import MEMORY, SQLiteStore

__all__ = [
    "Annotations",
    "DEFAULT_DB",
    "DocumentVersion",
    "RunRow",
    "SQLiteStore",
    "Store",
    "StoredAnalysis",
    "StoredReport",
    "StoryEntityRow",
    "StoryEvent",
    "StoryRow",
    "open_store",
]

# The store is a file in the current directory, not in an XDG data directory: like a git
# repository, a project's analysis lives beside the articles it was made from, two projects never
# share one store by accident, and the user can see, copy or delete it.
DEFAULT_DB = Path("rashomon.db")

_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<rest>.*)", re.DOTALL)
_POSTGRES_SCHEMES = ("postgresql", "postgres")


def open_store(url_or_path: str | os.PathLike[str]) -> Store:
    """Open (creating or upgrading it if need be) the store at a path or URL.

    A plain path or ``sqlite:///PATH`` (``sqlite:////ABSOLUTE/PATH``; ``sqlite://`` alone is an
    in-memory store) opens SQLite. ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE`` (or
    ``postgres://``) opens PostgreSQL; the database must exist, its tables are made here.
    """
    target = os.fspath(url_or_path)
    match = _URL.fullmatch(target)
    if match is None:
        return SQLiteStore(target)
    scheme = match["scheme"].lower()
    if scheme == "sqlite":
        return SQLiteStore(_sqlite_url_path(match["rest"]))
    if scheme in _POSTGRES_SCHEMES:
        # imported here: psycopg loads only for a store that needs it
        from rashomon.store.postgres import PostgresStore

        return PostgresStore(target)
    # The URL itself is left out of this message: a database URL may carry a password.
    raise StoreError(
        f"unknown kind of store {scheme!r}; give a SQLite file path, sqlite:///PATH or "
        "postgresql://USER@HOST:PORT/DATABASE"
    )


def _sqlite_url_path(rest: str) -> str:
    """The path in ``sqlite://`` + `rest`, read as SQLAlchemy does.

    ``sqlite:///rel.db`` is relative, ``sqlite:////abs.db`` absolute, ``sqlite://`` in memory.
    """
    if rest in ("", "/", f"/{MEMORY}"):
        return MEMORY
    if not rest.startswith("/"):
        raise StoreError(f"sqlite://{rest}: a SQLite URL has no host; write sqlite:///PATH")
    return rest[1:]
