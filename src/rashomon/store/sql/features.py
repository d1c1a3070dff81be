"""The grouping features as SQL rows: key terms, MinHash bands, near-duplicate marks."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

from rashomon.store.sql.connection import SQLBase

__all__ = ["FeaturesSQL"]


class FeaturesSQL(SQLBase):
    """Terms, bands and near-duplicates; the caches over them are `Store`'s."""

    # A table of (band, hash) rows from the one parameter `band_matches` passes: the
    # dialect's way to unpack a list of integers with their positions.
    BANDS_TABLE: ClassVar[str]

    def get_terms(self, doc_ids: Iterable[str],
                  among: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        if among is not None:
            return self._read_terms(doc_ids, among)
        self._check_caches()
        return self._caches.document_terms(doc_ids, self._read_terms)

    def _read_terms(self, doc_ids: Iterable[str],
                    among: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        # by doc id, then term, as SQLite reads them (its key's order); `document_terms`
        # gives them in the same order from its cache
        query = f"SELECT doc_id, term, weight FROM document_terms WHERE doc_id IN {self.IN_LIST}"
        params: list[object] = [self._list_param(list(doc_ids))]
        if among is not None:
            query += f" AND term IN {self.IN_LIST}"
            params.append(self._list_param(list(among)))
        query += " ORDER BY doc_id, term"
        rows = self._all(query, tuple(params))
        terms: dict[str, dict[str, float]] = {}
        for row in rows:
            terms.setdefault(row["doc_id"], {})[row["term"]] = row["weight"]
        return terms

    def published_dates(self, doc_ids: Iterable[str]) -> dict[str, str | None]:
        rows = self._all(
            f"SELECT id, published FROM documents WHERE id IN {self.IN_LIST}",
            (self._list_param(list(doc_ids)),),
        )
        return {row["id"]: row["published"] for row in rows}

    def put_minhash_bands(self, doc_id: str, bands: Sequence[int]) -> None:
        with self.transaction():
            self._require_documents([doc_id])
            self._execute("DELETE FROM minhash_bands WHERE doc_id = ?", (doc_id,))
            self._put_rows("minhash_bands", (
                {"band": band, "hash": int(value), "doc_id": doc_id}
                for band, value in enumerate(bands)
            ), conflict="ignore")

    def band_matches(self, bands: Sequence[int], limit: int | None = None) -> list[str]:
        # counted per document first, then each document's age looked up once: joined before
        # the count, the age was looked up for every shared band, hundreds of rows a document
        # in a large store (a boilerplate line puts the same bands in thousands of documents)
        query = (
            "SELECT c.doc_id FROM (SELECT b.doc_id, COUNT(*) AS shared"
            f" FROM {self.BANDS_TABLE} j"
            " JOIN minhash_bands b ON b.band = j.band AND b.hash = j.hash"
            " GROUP BY b.doc_id) c"
            " JOIN documents d ON d.id = c.doc_id ORDER BY c.shared DESC, d.rowid"
        )
        params: list[object] = [self._bands_param([int(value) for value in bands])]
        if limit is not None:
            query += " LIMIT ?"
            params.append(int(limit))
        return [row["doc_id"] for row in self._all(query, tuple(params))]

    def shares_bands(self, doc_id: str, bands: Sequence[int]) -> bool:
        row = self._one(
            f"SELECT 1 AS found FROM {self.BANDS_TABLE} j"
            " JOIN minhash_bands b ON b.band = j.band AND b.hash = j.hash AND b.doc_id = ?"
            " LIMIT 1",
            (self._bands_param([int(value) for value in bands]), doc_id),
        )
        return row is not None

    @abstractmethod
    def _bands_param(self, hashes: list[int]) -> object:
        """The parameter `BANDS_TABLE` reads (band = position, hash) from."""

    def mark_near_duplicate(self, doc_id: str, duplicate_of: str, similarity: float) -> None:
        if doc_id == duplicate_of:
            raise self._fail(f"document {doc_id} cannot duplicate itself")
        with self.transaction():
            self._require_documents([doc_id])
            self._require_documents([duplicate_of])
            self._put_rows("near_duplicates", [{
                "doc_id": doc_id, "duplicate_of": duplicate_of, "similarity": float(similarity),
            }], conflict="replace", key=("doc_id",))

    def near_duplicates(self, doc_ids: Iterable[str] | None = None) -> dict[str, tuple[str, float]]:
        if doc_ids is None:
            rows = self._all("SELECT * FROM near_duplicates")
        else:
            rows = self._all(
                f"SELECT * FROM near_duplicates WHERE doc_id IN {self.IN_LIST}",
                (self._list_param(list(doc_ids)),),
            )
        return {row["doc_id"]: (row["duplicate_of"], row["similarity"]) for row in rows}

    # -- primitives of the grouping caches -----------------------------------------------------

    def _replace_terms(self, doc_id: str, terms: Mapping[str, float]) -> bool:
        replaced = self._execute("DELETE FROM document_terms WHERE doc_id = ?", (doc_id,)).rowcount
        self._put_rows("document_terms", (
            {"doc_id": doc_id, "term": term, "weight": float(weight)}
            for term, weight in terms.items()
        ))
        return bool(replaced)

    def _count_term_documents(self) -> int:
        # one pass over the (doc_id, term) key, once per handle and after another's writes
        row = self._one("SELECT COUNT(DISTINCT doc_id) AS n FROM document_terms")
        assert row is not None
        return int(row["n"])

    def _document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        rows = self._all(
            "SELECT term, COUNT(*) AS df FROM document_terms"
            f" WHERE term IN {self.IN_LIST} GROUP BY term",
            (self._list_param(list(terms)),),
        )
        return {row["term"]: int(row["df"]) for row in rows}

    def _term_story_pairs(self, terms: Sequence[str]) -> list[tuple[str, str]]:
        rows = self._all(
            "SELECT DISTINCT t.term, sd.story_id FROM document_terms t"
            " JOIN story_documents sd ON sd.doc_id = t.doc_id"
            f" WHERE t.term IN {self.IN_LIST}",
            (self._list_param(list(terms)),),
        )
        return [(row["term"], row["story_id"]) for row in rows]

    def _story_terms_among(self, story_id: str, terms: Sequence[str]) -> set[str]:
        rows = self._all(
            "SELECT DISTINCT t.term FROM document_terms t"
            " JOIN story_documents sd ON sd.doc_id = t.doc_id"
            f" WHERE sd.story_id = ? AND t.term IN {self.IN_LIST}",
            (story_id, self._list_param(list(terms))),
        )
        return {row["term"] for row in rows}
