"""Runs, documents with their annotations, and embeddings, as SQL rows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rashomon.model import (
    Attribution,
    Claim,
    Document,
    Mention,
    TimelineEntry,
    source_key_id,
)
from rashomon.store import codec
from rashomon.store.base import Annotations, DocumentVersion, RunRow
from rashomon.store.sql.connection import SQLBase

if TYPE_CHECKING:
    import numpy as np  # annotations only: vectors are made in `codec`

__all__ = ["DocumentsSQL"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _text_hash(text: str) -> str:
    # surrogatepass: article text from strangers may carry lone surrogates, and a key must
    # exist for every str
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_ANNOTATION_TABLES: dict[str, Callable[[codec.Row], Any]] = {
    "mentions": codec.mention_from_row, "attributions": codec.attribution_from_row,
    "claims": codec.claim_from_row, "timeline": codec.timeline_from_row,
}


class DocumentsSQL(SQLBase):
    """Runs, documents, annotations and embeddings."""

    # -- runs ----------------------------------------------------------------------------------

    def start_run(self, versions: Mapping[str, str]) -> int:
        with self.transaction():
            row = self._one(
                "INSERT INTO runs (started_at, versions) VALUES (?, ?) RETURNING id",
                (_now(), codec.to_json(dict(versions))),
            )
        assert row is not None  # RETURNING gives the row inserted
        return int(row["id"])

    def finish_run(self, run_id: int, stats: Mapping[str, Any]) -> None:
        try:
            stats_json = codec.to_json(dict(stats))
        except (TypeError, ValueError) as error:
            raise self._fail(f"run {run_id} stats are not JSON: {error}") from error
        with self.transaction():
            if self.get_run(run_id).finished_at is not None:
                raise self._fail(f"run {run_id} is already finished")
            self._execute(
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

    def _insert_document(self, document: Document, *, run_id: int | None, added_at: str) -> None:
        latest = self._one(
            "SELECT COALESCE(MAX(version), 0) AS version FROM documents WHERE source_key_id = ?",
            (source_key_id(document.source_key),),
        )
        assert latest is not None  # an aggregate always gives a row
        self._put_rows("documents", [codec.document_params(
            document, version=latest["version"] + 1, run_id=run_id, added_at=added_at)])

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
            # rows are built (and checked) inside the transaction, one batch a table: a bad
            # one undoes the document and everything written before it
            self._put_rows("mentions", (
                codec.mention_params(m, document, seq) for seq, m in enumerate(mentions)
            ))
            self._put_rows("attributions", (
                codec.attribution_params(a, document, seq) for seq, a in enumerate(attributions)
            ))
            self._put_rows("claims", (
                codec.claim_params(c, document, seq) for seq, c in enumerate(claims)
            ))
            self._put_rows("timeline", (
                codec.timeline_params(t, document, seq) for seq, t in enumerate(timeline)
            ))
            if embedding is not None:
                self.put_embedding(document.id, *embedding)
        return True

    def stored_documents(self, doc_ids: Iterable[str]) -> set[str]:
        rows = self._all(f"SELECT id FROM documents WHERE id IN {self.IN_LIST}",
                         (self._list_param(list(doc_ids)),))
        return {row["id"] for row in rows}

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
        return self.load_annotations_of([doc_id])[doc_id]

    def load_annotations_of(self, doc_ids: Iterable[str]) -> dict[str, Annotations]:
        wanted = list(dict.fromkeys(doc_ids))
        self._require_documents(wanted)
        found: dict[str, dict[str, list[Any]]] = {d: {} for d in wanted}
        for table, decode in _ANNOTATION_TABLES.items():
            # one query a table whatever the number of documents
            rows = self._all(
                f"SELECT * FROM {table} WHERE doc_id IN {self.IN_LIST} ORDER BY doc_id, seq",
                (self._list_param(wanted),),
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
            self._require_documents([doc_id])
            known = self._one("SELECT dim FROM embeddings WHERE model = ? LIMIT 1", (model,))
            if known is not None and known["dim"] != dim:
                raise self._fail(
                    f"embedding of document {doc_id} has {dim} dimensions, but {model} "
                    f"vectors in this store have {known['dim']}"
                )
            self._put_rows("embeddings", [{"doc_id": doc_id, "model": model, "dim": dim,
                                           "vector": blob}],
                           conflict="replace", key=("doc_id", "model"))

    def get_embeddings(
        self, doc_ids: Iterable[str], *, model: str | None = None
    ) -> dict[str, np.ndarray]:
        wanted = list(doc_ids)
        sql = f"SELECT doc_id, model, vector FROM embeddings WHERE doc_id IN {self.IN_LIST}"
        params: list[Any] = [self._list_param(wanted)]
        if model is not None:
            sql += " AND model = ?"
            params.append(model)
        by_doc: dict[str, list[codec.Row]] = {}
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
                vectors[doc_id] = codec.vector_from_blob(bytes(rows[0]["vector"]))
        return vectors

    def get_text_embeddings(self, model: str, texts: Iterable[str]) -> dict[str, np.ndarray]:
        by_hash = {_text_hash(text): text for text in texts}
        rows = self._all(
            "SELECT text_hash, vector FROM text_embeddings"
            f" WHERE model = ? AND text_hash IN {self.IN_LIST}",
            (model, self._list_param(list(by_hash))),
        )
        return {by_hash[row["text_hash"]]: codec.vector_from_blob(bytes(row["vector"]))
                for row in rows}

    def put_text_embeddings(self, model: str, vectors: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = []
        dims = set()
        for text, vector in vectors:
            dim, blob = codec.vector_blob(vector, f"{model} embedding of a text")
            dims.add(dim)
            rows.append({"model": model, "text_hash": _text_hash(text), "vector": blob})
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
            self._put_rows("text_embeddings", rows, conflict="ignore")
