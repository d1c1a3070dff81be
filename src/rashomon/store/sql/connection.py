"""What the SQL of every backend is written against: statements, rows, and the dialect's words.

Statements are written once, with ``?`` placeholders, in the SQL that SQLite and PostgreSQL
share; where they differ, a statement uses one of the few words a backend defines here
(`IN_LIST`, `_insert_sql`, `_list_param`). Rows are read by column name (`codec.Row`).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, Literal, Protocol, TypeVar

from rashomon.store import codec
from rashomon.store.base import Store

__all__ = ["Conflict", "Cursor", "SQLBase"]

T = TypeVar("T")

Conflict = Literal["fail", "replace", "ignore"]


class Cursor(Protocol):
    """What is read from an executed statement (a DB-API cursor)."""

    @property
    def rowcount(self) -> int: ...

    def fetchall(self) -> Sequence[Any]: ...

    def fetchone(self) -> Any: ...


class SQLBase(Store):
    """Statements and rows for the SQL backends; the dialect is the subclass's."""

    # `x IN {IN_LIST}` tests x against a list of strings passed as one parameter, made by
    # `_list_param`: one parameter whatever the number of values (SQLite caps the parameters
    # of a statement; PostgreSQL plans one statement for every length).
    IN_LIST: ClassVar[str]

    # Members of a story in reading order: by publication date, undated ones last, then as
    # stored (every backend's documents and stories tables have a `rowid` in insertion order).
    MEMBER_ORDER: ClassVar[str] = "d.published IS NULL, d.published, d.rowid"

    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement; a database error is a `StoreError` naming the store."""

    @abstractmethod
    def _execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each parameter row."""

    @abstractmethod
    def _list_param(self, values: Sequence[str]) -> Any:
        """The parameter `IN_LIST` reads `values` from."""

    @abstractmethod
    def _insert_sql(
        self, table: str, columns: Sequence[str], conflict: Conflict, key: Sequence[str]
    ) -> str:
        """An INSERT of one row; on a row with the same `key`, fail, replace it or keep it."""

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[codec.Row]:
        return list(self._execute(sql, params).fetchall())

    def _one(self, sql: str, params: Sequence[Any] = ()) -> codec.Row | None:
        row: codec.Row | None = self._execute(sql, params).fetchone()
        return row

    def _put_rows(
        self, table: str, rows: Iterable[codec.Params], *, conflict: Conflict = "fail",
        key: Sequence[str] = (),
    ) -> None:
        """Insert rows (dicts of column -> value, all with the same columns) in one batch."""
        built = list(rows)  # built and checked before any is written
        if not built:
            return
        columns = list(built[0])
        self._execute_many(self._insert_sql(table, columns, conflict, key),
                           [tuple(params[c] for c in columns) for params in built])

    def _by_ids(
        self, table: str, ids: Iterable[str], decode: Callable[[codec.Row], T], what: str
    ) -> list[T]:
        """Rows of `table` by id, decoded, in the order asked for; a missing id is an error."""
        wanted = list(ids)
        rows = self._all(f"SELECT * FROM {table} WHERE id IN {self.IN_LIST}",
                         (self._list_param(wanted),))
        found = {row["id"]: decode(row) for row in rows}
        missing = [item for item in wanted if item not in found]
        if missing:
            raise self._fail(f"no {what} {', '.join(missing)}")
        return [found[item] for item in wanted]
