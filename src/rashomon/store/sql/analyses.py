"""What the story-level stage keeps, as SQL rows: analyses, inferred dates, entities, relations."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from rashomon.model import Analysis, Entity, Relation, TimelineEntry
from rashomon.store import codec, values
from rashomon.store.base import StoredAnalysis, StoredReport, StoryEntityRow
from rashomon.store.sql.connection import SQLBase

__all__ = ["AnalysesSQL"]


class AnalysesSQL(SQLBase):
    """Story analyses and the entity rows made from them, document dates, entities, relations."""

    def put_story_analysis(
        self, story_id: str, analysis: Analysis, *, key: str, run_id: int | None = None,
        report: StoredReport | None = None,
    ) -> None:
        outlet = {d.id: d.outlet_label for d in analysis.documents}
        # documents are stored already: kept once, read back with their inferred dates
        blob = _compressed(values.dumps(dataclasses.replace(analysis, documents=())))
        with self.transaction():
            self._require_live_story(story_id)
            self._put_rows("story_analyses", [{
                "story_id": story_id, "key": key, "format": values.format_of(Analysis),
                "run_id": run_id, "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "analysis": blob,
                "report": _compressed(report.text) if report is not None else None,
                "report_format": report.format if report is not None else None,
            }], conflict="replace", key=("story_id",))
            self._execute("DELETE FROM story_entities WHERE story_id = ?", (story_id,))
            self._put_rows("story_entities", (
                {"story_id": story_id, "seq": seq, "id": e.id, "name": e.name, "type": e.type,
                 "aliases": codec.to_json(list(e.aliases)),
                 "mentions": sum(n for _, n in e.mentions), "documents": len(e.mentions),
                 "outlets": codec.to_json(list(dict.fromkeys(
                     outlet[doc] for doc, _ in e.mentions if doc in outlet)))}
                for seq, e in enumerate(analysis.entities)
            ))

    def put_story_report(self, story_id: str, key: str, report: StoredReport) -> None:
        blob = _compressed(report.text)
        with self.transaction():
            self._execute(
                "UPDATE story_analyses SET report = ?, report_format = ?"
                " WHERE story_id = ? AND key = ? AND format = ?",
                (blob, report.format, story_id, key, values.format_of(Analysis)))

    def load_story_report(self, story_id: str, key: str) -> StoredReport | None:
        row = self._one(
            "SELECT report, report_format FROM story_analyses"
            " WHERE story_id = ? AND key = ? AND format = ? AND report IS NOT NULL",
            (story_id, key, values.format_of(Analysis)))
        if row is None:
            return None
        return StoredReport(row["report_format"], _decompressed(row["report"]))

    def load_story_analysis(self, story_id: str) -> StoredAnalysis | None:
        row = self._one(
            "SELECT key, run_id, made_at, analysis FROM story_analyses"
            " WHERE story_id = ? AND format = ?", (story_id, values.format_of(Analysis)))
        if row is None:
            return None
        analysis = values.loads(Analysis, _decompressed(row["analysis"]))
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
            self._put_rows("document_dates", [{
                "doc_id": doc_id, "published": published, "inferred": int(inferred),
                "run_id": run_id,
            }], conflict="replace", key=("doc_id",))
            self._execute("DELETE FROM timeline WHERE doc_id = ?", (doc_id,))
            self._put_rows("timeline", (
                codec.timeline_params(t, document, seq) for seq, t in enumerate(timeline)
            ))

    def document_dates(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, bool]]:
        rows = self._all(
            f"SELECT doc_id, published, inferred FROM document_dates WHERE doc_id IN {self.IN_LIST}",
            (self._list_param(list(doc_ids)),),
        )
        return {row["doc_id"]: (row["published"], bool(row["inferred"])) for row in rows}

    # -- entities and relations ----------------------------------------------------------------

    def put_entities(self, entities: Iterable[Entity]) -> None:
        with self.transaction():
            self._put_rows("entities", (codec.entity_params(e) for e in entities),
                           conflict="replace", key=("id",))

    def load_entities(self, ids: Iterable[str] | None = None) -> list[Entity]:
        if ids is None:
            return [codec.entity_from_row(row)
                    for row in self._all("SELECT * FROM entities ORDER BY id")]
        return self._by_ids("entities", ids, codec.entity_from_row, "entity")

    def replace_relations(self, story_id: str, relations: Sequence[Relation]) -> None:
        with self.transaction():
            self._require_live_story(story_id)
            self._drop_relations([story_id])
            self._put_rows("relations", (
                codec.relation_params(r, story_id, seq) for seq, r in enumerate(relations)
            ))

    def load_relations(self, story_id: str) -> list[Relation]:
        self._require_live_story(story_id)
        rows = self._all("SELECT * FROM relations WHERE story_id = ? ORDER BY seq", (story_id,))
        return [codec.relation_from_row(row) for row in rows]


def _compressed(text: str) -> bytes:
    """Text as stored in a BLOB: zlib-compressed UTF-8 (a lone surrogate kept as it is)."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 3)


def _decompressed(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8", "surrogatepass")
