"""Stories as SQL rows: membership, merges and moves, titles; the rules are `Store`'s."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rashomon.store.base import StoryEvent, StoryRow
from rashomon.store.sql.connection import SQLBase

__all__ = ["StoriesSQL"]

_STORY_STATE = """
    SELECT s.id, m.into_story FROM stories s
    LEFT JOIN story_merges m ON m.from_story = s.id
    WHERE s.id = ?
"""


class StoriesSQL(SQLBase):
    """Story rows and the storage primitives `Store`'s story rules are built on."""

    # -- reads ---------------------------------------------------------------------------------

    def story_history(self, story_ids: Iterable[str] | None = None) -> list[StoryEvent]:
        sql = (
            "SELECT 'merge' AS kind, merged_at AS at, from_story, into_story, NULL AS doc_id,"
            " run_id, 0 AS seq FROM story_merges"
            " UNION ALL SELECT 'move', moved_at, from_story, into_story, doc_id, run_id, id"
            " FROM story_moves"
        )
        params: list[Any] = []
        if story_ids is not None:
            sql = (f"SELECT * FROM ({sql}) AS events WHERE from_story IN {self.IN_LIST}"
                   f" OR into_story IN {self.IN_LIST}")
            wanted = self._list_param(list(story_ids))
            params = [wanted, wanted]
        # a move that empties a story is recorded at the same second as the merge it implies:
        # the move first
        rows = self._all(f"{sql} ORDER BY at, kind DESC, seq", params)
        return [
            StoryEvent(kind=row["kind"], at=row["at"], from_story=row["from_story"],
                       into_story=row["into_story"], doc_id=row["doc_id"], run_id=row["run_id"])
            for row in rows
        ]

    def stories_of(self, doc_ids: Iterable[str]) -> dict[str, str]:
        rows = self._all(
            f"SELECT doc_id, story_id FROM story_documents WHERE doc_id IN {self.IN_LIST}",
            (self._list_param(list(doc_ids)),),
        )
        return {row["doc_id"]: row["story_id"] for row in rows}

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
            f" WHERE sd.story_id = ? ORDER BY {self.MEMBER_ORDER}",
            (story_id,),
        )
        return [row["doc_id"] for row in rows]

    def story_members(self) -> dict[str, list[str]]:
        # absorbed stories have no rows in story_documents: their documents moved on merge
        rows = self._all(
            "SELECT sd.story_id, sd.doc_id FROM story_documents sd"
            " JOIN documents d ON d.id = sd.doc_id JOIN stories s ON s.id = sd.story_id"
            f" ORDER BY s.rowid, {self.MEMBER_ORDER}"
        )
        members: dict[str, list[str]] = {}
        for row in rows:
            members.setdefault(row["story_id"], []).append(row["doc_id"])
        return members

    def _story_rows(self) -> list[StoryRow]:
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
                title=row["title"],
                size=row["size"],
                first_published=row["first_published"],
                last_published=row["last_published"],
                outlets=tuple(outlets.get(row["id"], ())),
                created_at=row["created_at"],
            )
            for row in rows
        ]

    def _story_outlets(self) -> dict[str, list[str]]:
        rows = self._all(
            "SELECT DISTINCT sd.story_id, d.outlet FROM story_documents sd"
            " JOIN documents d ON d.id = sd.doc_id WHERE d.outlet IS NOT NULL ORDER BY d.outlet"
        )
        outlets: dict[str, list[str]] = {}
        for row in rows:
            outlets.setdefault(row["story_id"], []).append(row["outlet"])
        return outlets

    def _merged_into(self, story_id: str) -> str | None:
        row = self._one(_STORY_STATE, (story_id,))
        if row is None:
            raise self._fail(f"no story {story_id}")
        into: str | None = row["into_story"]
        return into

    def _given_title(self, story_id: str) -> str | None:
        row = self._one("SELECT title FROM stories WHERE id = ?", (story_id,))
        return None if row is None else row["title"]

    def _first_member_titles(
        self, story_ids: Sequence[str], *, reading_order: bool
    ) -> dict[str, str]:
        order = self.MEMBER_ORDER if reading_order else "d.rowid"
        rows = self._all(
            "SELECT story_id, title FROM ("
            " SELECT sd.story_id, d.title,"
            f" ROW_NUMBER() OVER (PARTITION BY sd.story_id ORDER BY {order}) AS n"
            " FROM story_documents sd JOIN documents d ON d.id = sd.doc_id"
            f" WHERE sd.story_id IN {self.IN_LIST} AND d.title IS NOT NULL) AS titled"
            " WHERE n = 1",
            (self._list_param(list(story_ids)),),
        )
        return {row["story_id"]: row["title"] for row in rows}

    def _count_members(self, story_id: str) -> int:
        row = self._one("SELECT COUNT(*) AS n FROM story_documents WHERE story_id = ?",
                        (story_id,))
        assert row is not None  # an aggregate always gives a row
        return int(row["n"])

    # -- writes --------------------------------------------------------------------------------

    def _insert_story(self, title: str | None, created_at: str) -> str:
        # Story rows are never deleted (a merged or emptied story keeps its row), so the
        # numbers only grow and an id is never handed out twice.
        row = self._one("SELECT COALESCE(MAX(rowid), 0) + 1 AS number FROM stories")
        assert row is not None
        number = int(row["number"])
        story_id = f"s{number:04d}"
        self._execute(
            "INSERT INTO stories (rowid, id, title, created_at) VALUES (?, ?, ?, ?)",
            (number, story_id, title, created_at),
        )
        return story_id

    def _insert_members(self, story_id: str, doc_ids: Sequence[str]) -> None:
        self._put_rows("story_documents",
                       ({"doc_id": doc_id, "story_id": story_id} for doc_id in doc_ids))

    def _move_member(self, doc_id: str, story_id: str) -> None:
        self._execute("UPDATE story_documents SET story_id = ? WHERE doc_id = ?",
                      (story_id, doc_id))

    def _move_all_members(self, source: str, into: str) -> None:
        self._execute("UPDATE story_documents SET story_id = ? WHERE story_id = ?",
                      (into, source))

    def _record_merge(self, source: str, into: str, run_id: int | None, at: str) -> None:
        self._execute(
            "INSERT INTO story_merges (from_story, into_story, run_id, merged_at)"
            " VALUES (?, ?, ?, ?)",
            (source, into, run_id, at),
        )

    def _record_move(
        self, doc_id: str, source: str, into: str, run_id: int | None, at: str
    ) -> None:
        self._execute(
            "INSERT INTO story_moves (doc_id, from_story, into_story, run_id, moved_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (doc_id, source, into, run_id, at),
        )

    def _set_title(self, story_id: str, title: str | None) -> None:
        self._execute("UPDATE stories SET title = ? WHERE id = ?", (title, story_id))

    def _drop_relations(self, story_ids: Sequence[str]) -> None:
        self._execute(f"DELETE FROM relations WHERE story_id IN {self.IN_LIST}",
                      (self._list_param(list(story_ids)),))
