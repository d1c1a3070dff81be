"""The store's interface: what every backend (SQLite now, PostgreSQL later) must offer.

The pipeline, the grouping stage and the CLI talk to a `Store`, never to a database module, so
that a second backend slots in without touching them. Methods that write are atomic on their own
and can be grouped with `transaction()`; reads return the frozen values of `rashomon.model`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import numpy as np

from rashomon.model import (
    Analysis,
    Attribution,
    Claim,
    Document,
    Entity,
    Mention,
    Relation,
    TimelineEntry,
)

__all__ = [
    "Annotations",
    "DocumentVersion",
    "RunRow",
    "Store",
    "StoredAnalysis",
    "StoryEntityRow",
    "StoryEvent",
    "StoryRow",
]


@dataclass(frozen=True, slots=True)
class Annotations:
    """Everything the per-document stages found in one document, in the order they found it."""

    mentions: tuple[Mention, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    claims: tuple[Claim, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentVersion:
    """One version of the article behind a source key; `version` counts from 1."""

    version: int
    document: Document
    run_id: int | None
    added_at: str  # ISO 8601, UTC


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story as listed: its members summarised, not loaded."""

    id: str
    title: str | None
    size: int
    first_published: str | None
    last_published: str | None
    outlets: tuple[str, ...]
    created_at: str


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """A recorded change of story membership other than a document joining.

    ``kind`` is ``"merge"`` (every document of `from_story` went into `into_story`; `doc_id` is
    None) or ``"move"`` (the one document `doc_id` went from `from_story` to `into_story`).
    """

    kind: str
    at: str  # ISO 8601, UTC
    from_story: str
    into_story: str
    doc_id: str | None
    run_id: int | None


@dataclass(frozen=True, slots=True)
class RunRow:
    """One analysis run: what produced it and what it did."""

    id: int
    started_at: str
    finished_at: str | None
    versions: Mapping[str, str]
    stats: Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class StoredAnalysis:
    """A story's analysis as stored: what it was computed over (`key`), by which run, when."""

    story_id: str
    key: str
    run_id: int | None
    made_at: str  # ISO 8601, UTC
    analysis: Analysis


@dataclass(frozen=True, slots=True)
class StoryEntityRow:
    """One entity of one story's stored analysis, with the outlets that mention it."""

    story_id: str
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: int  # in all the story's documents
    documents: int  # how many of them mention it
    outlets: tuple[str, ...]


class Store(ABC):
    """Documents, their annotations and embeddings, stories, entities and relations.

    Errors are `rashomon.errors.StoreError`, whose message names the store. A store is a context
    manager that closes itself.
    """

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    @abstractmethod
    def schema_version(self) -> int:
        """The schema version the open store is at (always the newest this code knows)."""

    @abstractmethod
    def close(self) -> None:
        """Close the store; an open transaction is rolled back. Closing twice is harmless."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """Group writes: all of them happen or none does. Nesting is allowed.

        A nested block that fails is undone on its own; the enclosing block carries on if it
        catches the error, and is undone with it otherwise.
        """

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- runs ------------------------------------------------------------------------------------

    @abstractmethod
    def start_run(self, versions: Mapping[str, str]) -> int:
        """Record the start of an analysis run and the versions that shape it; return its id."""

    @abstractmethod
    def finish_run(self, run_id: int, stats: Mapping[str, Any]) -> None:
        """Record that a run ended, with JSON-serialisable counts of what it did."""

    @abstractmethod
    def get_run(self, run_id: int) -> RunRow:
        """A recorded run."""

    # -- documents and annotations ---------------------------------------------------------------

    @abstractmethod
    def put_document(self, document: Document, *, run_id: int | None = None) -> bool:
        """Store a document; False (and no change) when its id is already stored.

        A document with a new id under a stored source key becomes that key's next version;
        the earlier versions stay.
        """

    @abstractmethod
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
        """Store a document with everything found in it, in one transaction.

        `embedding` is ``(model name, vector)``. Every span must point into `document`.
        False (and no change at all) when the document is already stored.
        """

    @abstractmethod
    def has_document(self, doc_id: str) -> bool:
        """Whether a document with this id is stored."""

    @abstractmethod
    def get_document(self, doc_id: str) -> Document:
        """A stored document."""

    @abstractmethod
    def get_documents(self, doc_ids: Iterable[str]) -> list[Document]:
        """Stored documents, in the order asked for."""

    @abstractmethod
    def documents_by_source_key(self, source_key: str) -> list[DocumentVersion]:
        """Every stored version of the article behind `source_key`, oldest first."""

    @abstractmethod
    def load_annotations(self, doc_id: str) -> Annotations:
        """What was stored with a document by `put_analyzed`, equal to what went in."""

    @abstractmethod
    def load_annotations_of(self, doc_ids: Iterable[str]) -> dict[str, Annotations]:
        """`load_annotations` of several documents at once (a story's), by doc id."""

    # -- embeddings ------------------------------------------------------------------------------

    @abstractmethod
    def put_embedding(self, doc_id: str, model: str, vector: np.ndarray) -> None:
        """Store (or replace) a document's vector from `model`, as float32."""

    @abstractmethod
    def get_embeddings(
        self, doc_ids: Iterable[str], *, model: str | None = None
    ) -> dict[str, np.ndarray]:
        """Doc id -> float32 vector for the documents that have one.

        Without `model`, a document with vectors from several models is an error.
        """

    @abstractmethod
    def get_text_embeddings(self, model: str, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """Text -> its float32 vector from `model`, for the texts whose vector is kept.

        Keyed by the exact text (its hash), not by a document: see `put_text_embeddings`.
        """

    @abstractmethod
    def put_text_embeddings(self, model: str, vectors: Iterable[tuple[str, np.ndarray]]) -> None:
        """Keep (text, vector) pairs from `model`, as float32; a text already kept is left as
        it is (the same model on the same text gives the same vector)."""

    # -- stories ---------------------------------------------------------------------------------

    @abstractmethod
    def create_story(self, title: str | None, doc_ids: Sequence[str]) -> str:
        """Start a story with these (at least one) documents; return its id."""

    @abstractmethod
    def add_to_story(self, story_id: str, doc_ids: Sequence[str]) -> None:
        """Add documents to a story. A document belongs to one story at most."""

    @abstractmethod
    def merge_stories(self, keep: str, absorbed: str, *, run_id: int | None = None) -> None:
        """Move `absorbed`'s documents into `keep` and record the merge.

        The absorbed id is never reused; `resolve_story` leads from it to the story it joined.
        """

    @abstractmethod
    def move_document(
        self, doc_id: str, into: str | None, *, title: str | None = None,
        run_id: int | None = None,
    ) -> str:
        """Move a document out of its story into the live story `into`, or, when `into` is
        None, into a new story titled `title`; record the move and return the story it is in.

        Ids stay stable: the story left keeps its id, and a story the move empties is recorded
        as merged into `into` (never reused, `resolve_story` leads on). A story whose title was
        the moved document's takes the title of its earliest remaining titled member. Both
        stories' relations are dropped: they were computed over other documents. Moving a
        document to the story it is in, or the only document of a story to a new one, is an
        error.
        """

    @abstractmethod
    def story_history(self, story_ids: Iterable[str] | None = None) -> list[StoryEvent]:
        """Recorded merges and moves, oldest first; with `story_ids`, those that one of them
        was the source or target of."""

    @abstractmethod
    def resolve_story(self, story_id: str) -> str:
        """The live story an id stands for now, following recorded merges."""

    @abstractmethod
    def story_of(self, doc_id: str) -> str | None:
        """The story a document belongs to, if any."""

    @abstractmethod
    def unplaced_documents(self) -> list[str]:
        """Stored documents in no story, oldest first: what a run stopped between storing a
        document and placing it left behind, for the next ingest to place."""

    @abstractmethod
    def story_documents(self, story_id: str) -> list[str]:
        """A live story's document ids, by publication date (undated last), then as added."""

    @abstractmethod
    def list_stories(self) -> list[StoryRow]:
        """Every live (not merged away) story, oldest first, titled as `story_title` says."""

    @abstractmethod
    def story_title(self, story_id: str) -> str | None:
        """A live story's title, the one every listing and page shows: the title it was given
        (its first document's, renamed when that document moves away), else the title of its
        first titled member in reading order; None when no member has one."""

    @abstractmethod
    def story_members(self) -> dict[str, list[str]]:
        """Every live story id with its document ids (ordered as `story_documents`)."""

    # -- grouping features (key terms, MinHash bands, near-duplicates) ---------------------------

    @abstractmethod
    def put_terms(self, doc_id: str, terms: Mapping[str, float]) -> None:
        """Store (or replace) a document's key terms and their weights."""

    @abstractmethod
    def get_terms(self, doc_ids: Iterable[str]) -> dict[str, dict[str, float]]:
        """Doc id -> its key terms, for the documents that have some."""

    @abstractmethod
    def term_document_count(self) -> int:
        """The number of documents idf is computed over (every stored document)."""

    @abstractmethod
    def term_counts(self, terms: Iterable[str]) -> dict[str, int]:
        """Each term's document frequency (terms no document has are left out)."""

    @abstractmethod
    def stories_with_terms(self, terms: Iterable[str]) -> dict[str, int]:
        """Live story id -> how many of `terms` its documents hold (the blocking index)."""

    @abstractmethod
    def published_dates(self, doc_ids: Iterable[str]) -> dict[str, str | None]:
        """Doc id -> its publication date (YYYY-MM-DD) or None."""

    @abstractmethod
    def put_minhash_bands(self, doc_id: str, bands: Sequence[int]) -> None:
        """Store a document's LSH band hashes (band number = position)."""

    @abstractmethod
    def band_matches(self, bands: Sequence[int]) -> list[str]:
        """Documents sharing at least one (band, hash) with `bands`: most bands shared first,
        then oldest first."""

    @abstractmethod
    def story_size(self, story_id: str) -> int:
        """How many documents a story holds (0 for a story merged away)."""

    @abstractmethod
    def mark_near_duplicate(self, doc_id: str, duplicate_of: str, similarity: float) -> None:
        """Record that `doc_id` is a near-duplicate of the stored document `duplicate_of`."""

    @abstractmethod
    def near_duplicates(self, doc_ids: Iterable[str] | None = None) -> dict[str, tuple[str, float]]:
        """Doc id -> (the document it duplicates, similarity), for marked documents."""

    # -- story-level analysis ----------------------------------------------------------------

    @abstractmethod
    def put_story_analysis(
        self, story_id: str, analysis: Analysis, *, key: str, run_id: int | None = None
    ) -> None:
        """Keep a live story's analysis (one story's), replacing the one before.

        `key` says what it was computed over; `analysis.documents` are not stored again (they
        are read back from the documents, with their inferred dates).
        """

    @abstractmethod
    def load_story_analysis(self, story_id: str) -> StoredAnalysis | None:
        """A story's stored analysis, equal to what was put; None when none is stored, or when
        it was written in another layout than this code's (`rashomon.store.values`)."""

    @abstractmethod
    def story_analysis_keys(self) -> dict[str, str]:
        """Live story id -> the key of its stored analysis, for analyses in this code's layout."""

    @abstractmethod
    def story_entities(self) -> list[StoryEntityRow]:
        """Every live story's entities, from the stored analyses, story by story."""

    @abstractmethod
    def put_document_date(
        self, doc_id: str, published: str, inferred: bool,
        timeline: Sequence[TimelineEntry], *, run_id: int | None = None,
    ) -> None:
        """Keep the date found for an undated document once its story was known, and its
        timeline resolved against that date (replacing the one stored with it), together."""

    @abstractmethod
    def document_dates(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, bool]]:
        """Doc id -> (date, inferred) for the undated documents given a date."""

    # -- entities and relations ------------------------------------------------------------------

    @abstractmethod
    def put_entities(self, entities: Iterable[Entity]) -> None:
        """Store cross-document entities; an entity whose id is stored is replaced."""

    @abstractmethod
    def load_entities(self, ids: Iterable[str] | None = None) -> list[Entity]:
        """The entities with these ids, in that order; all of them (by id) without ids."""

    @abstractmethod
    def replace_relations(self, story_id: str, relations: Sequence[Relation]) -> None:
        """Make `relations` the story's cross-source relations, dropping the earlier ones."""

    @abstractmethod
    def load_relations(self, story_id: str) -> list[Relation]:
        """A story's relations, in the order they were stored."""
