"""The store's interface: what every backend (SQLite now, PostgreSQL later) must offer.

The pipeline, the grouping stage and the CLI talk to a `Store`, never to a database module, so
that a second backend slots in without touching them. Methods that write are atomic on their own
and can be grouped with `transaction()`; reads return the frozen values of `rashomon.model`.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

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
)
from rashomon.store import policy
from rashomon.store.caches import GroupingCaches

if TYPE_CHECKING:
    # for the annotations only: a process that reads stories never loads numpy for the store
    import numpy as np

__all__ = [
    "Annotations",
    "DocumentVersion",
    "RunRow",
    "Store",
    "StoredAnalysis",
    "StoredReport",
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
class StoredReport:
    """A story's JSON report as kept with its analysis: its text, and `format`, which names the
    code that wrote it (`rashomon.render.stored`)."""

    format: str
    text: str


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

    This class holds what every backend shares: transactions (`_begin`, `_commit`, `_rollback`
    are the backend's), the story rules of `rashomon.store.policy` and the grouping caches of
    `rashomon.store.caches`. A backend implements the abstract methods, which only store and
    read: the public ones below and the narrow primitives at the end.
    """

    location: str  # what error messages call the store (a path, or a URL without password)

    def __init__(self) -> None:
        self._depth = 0  # of nested transactions
        self._caches = GroupingCaches()
        self._caches_checked = False  # in the current transaction

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    @abstractmethod
    def schema_version(self) -> int:
        """The schema version the open store is at (always the newest this code knows)."""

    @abstractmethod
    def close(self) -> None:
        """Close the store; an open transaction is rolled back. Closing twice is harmless."""

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: all of them happen or none does. Nesting is allowed.

        A nested block that fails is undone on its own; the enclosing block carries on if it
        catches the error, and is undone with it otherwise.
        """
        level = self._depth
        self._begin(level)
        if not level:
            self._caches_checked = False  # look again, now that the write lock is held
        self._depth += 1
        try:
            yield
            self._commit(level)
        except BaseException:
            # the caches may hold what is being undone
            self._caches.reset()
            self._rollback(level)
            raise
        finally:
            self._depth -= 1

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _fail(self, reason: str) -> StoreError:
        return StoreError(f"store {self.location}: {reason}")

    def _check_caches(self) -> None:
        """Drop the caches if another connection wrote since they were filled.

        Inside a transaction this handle holds the write lock, so the check made when the
        outermost transaction began still holds.
        """
        if self._depth and self._caches_checked:
            return
        if self._others_wrote():
            self._caches.reset()
        self._caches_checked = bool(self._depth)

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

    def put_document(self, document: Document, *, run_id: int | None = None) -> bool:
        """Store a document; False (and no change) when its id is already stored.

        A document with a new id under a stored source key becomes that key's next version;
        the earlier versions stay.
        """
        if "\x00" in document.id:
            # ids are the project's own digests; a NUL would not survive the backends' id lists
            raise self._fail(f"document id {document.id!r} holds a NUL character")
        with self.transaction():
            if self.has_document(document.id):
                return False
            self._insert_document(document, run_id=run_id, added_at=_now())
        return True

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

    def has_document(self, doc_id: str) -> bool:
        """Whether a document with this id is stored."""
        return bool(self.stored_documents([doc_id]))

    @abstractmethod
    def stored_documents(self, doc_ids: Iterable[str]) -> set[str]:
        """Those of `doc_ids` that are stored (one query, however many)."""

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

    def _require_documents(self, doc_ids: Sequence[str]) -> None:
        stored = self.stored_documents(doc_ids)
        for doc_id in doc_ids:
            if doc_id not in stored:
                raise self._fail(f"no document {doc_id}")

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

    def create_story(self, title: str | None, doc_ids: Sequence[str]) -> str:
        """Start a story with these (at least one) documents; return its id."""
        if not doc_ids:
            raise self._fail("a story needs at least one document")
        with self.transaction():
            story_id = self._new_story(title)
            self._attach(story_id, doc_ids)
        return story_id

    def add_to_story(self, story_id: str, doc_ids: Sequence[str]) -> None:
        """Add documents to a story. A document belongs to one story at most."""
        with self.transaction():
            self._require_live_story(story_id)
            self._attach(story_id, doc_ids)

    def merge_stories(self, keep: str, absorbed: str, *, run_id: int | None = None) -> None:
        """Move `absorbed`'s documents into `keep` and record the merge.

        The absorbed id is never reused; `resolve_story` leads from it to the story it joined.
        """
        if keep == absorbed:
            raise self._fail(f"cannot merge story {keep} into itself")
        with self.transaction():
            self._require_live_story(keep)
            self._require_live_story(absorbed)
            self._move_all_members(absorbed, keep)
            self._caches.merged(keep, absorbed)
            self._drop_relations(policy.stale_relations_after_merge(keep, absorbed))
            self._record_merge(absorbed, keep, run_id, _now_precise())
            self._caches.merge_recorded(absorbed, keep)

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
        with self.transaction():
            self._require_documents([doc_id])
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
            self._move_member(doc_id, into)
            terms = (list(self.get_terms([doc_id]).get(doc_id, {}))
                     if self._caches.wants_terms() else [])
            self._caches.moved(source, into, terms,
                               lambda cached: self._story_terms_among(source, cached))
            self._drop_relations(policy.stale_relations_after_move(source, into))
            # to the microsecond: moves come in quick succession, and the history is in order
            now = _now_precise()
            self._record_move(doc_id, source, into, run_id, now)
            if left:
                self._retitle_after_move(source, doc_id)
            else:
                # emptied: it lives on only as a pointer to where its last document went
                self._record_merge(source, into, run_id, now)
                self._caches.merge_recorded(source, into)
        return into

    @abstractmethod
    def story_history(self, story_ids: Iterable[str] | None = None) -> list[StoryEvent]:
        """Recorded merges and moves, oldest first; with `story_ids`, those that one of them
        was the source or target of."""

    def resolve_story(self, story_id: str) -> str:
        """The live story an id stands for now, following recorded merges."""
        # no cycles: only live stories merge, and an absorbed story never becomes live again
        current = story_id
        while (into := self._state_of(current)) is not None:
            current = into
        return current

    def _state_of(self, story_id: str) -> str | None:
        """`_merged_into`, kept: asked several times a placement, and a merge is final."""
        self._check_caches()
        return self._caches.merged_into(story_id, self._merged_into)

    def story_of(self, doc_id: str) -> str | None:
        """The story a document belongs to, if any."""
        return self.stories_of([doc_id]).get(doc_id)

    @abstractmethod
    def stories_of(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """Doc id -> its story, for those of `doc_ids` in one."""

    @abstractmethod
    def unplaced_documents(self) -> list[str]:
        """Stored documents in no story, oldest first: what a run stopped between storing a
        document and placing it left behind, for the next ingest to place."""

    @abstractmethod
    def story_documents(self, story_id: str) -> list[str]:
        """A live story's document ids, by publication date (undated last), then as added."""

    def list_stories(self) -> list[StoryRow]:
        """Every live (not merged away) story, oldest first, titled as `story_title` says."""
        rows = self._story_rows()
        untitled = [row.id for row in rows if row.title is None]
        member_titles = self._first_member_titles(untitled, reading_order=True) if untitled else {}
        return [
            dataclasses.replace(
                row, title=policy.shown_title(row.title, lambda: member_titles.get(row.id)))
            for row in rows
        ]

    def story_title(self, story_id: str) -> str | None:
        """A live story's title, the one every listing and page shows: the title it was given
        (its first document's, renamed when that document moves away), else the title of its
        first titled member in reading order; None when no member has one."""
        self._require_live_story(story_id)
        return policy.shown_title(
            self._given_title(story_id),
            lambda: self._first_member_titles([story_id], reading_order=True).get(story_id),
        )

    @abstractmethod
    def story_members(self) -> dict[str, list[str]]:
        """Every live story id with its document ids (ordered as `story_documents`)."""

    def story_size(self, story_id: str) -> int:
        """How many documents a story holds (0 for a story merged away)."""
        self._check_caches()
        return self._caches.story_size(story_id, self._count_members)

    def _new_story(self, title: str | None) -> str:
        story_id = self._insert_story(title, _now())
        self._caches.story_created(story_id)
        return story_id

    def _attach(self, story_id: str, doc_ids: Sequence[str]) -> None:
        wanted = list(dict.fromkeys(doc_ids))
        stored = self.stored_documents(wanted)
        current = self.stories_of(wanted)
        for doc_id in wanted:
            if doc_id not in stored:
                raise self._fail(f"no document {doc_id}")
            if current.get(doc_id, story_id) != story_id:
                raise self._fail(f"document {doc_id} is already in story {current[doc_id]}; "
                                 "merge the stories instead")
        joining = [d for d in wanted if d not in current]
        if not joining:
            return
        self._insert_members(story_id, joining)
        self._caches.attached(
            story_id, joining,
            lambda ids: {d: list(terms) for d, terms in self.get_terms(ids).items()})

    def _require_live_story(self, story_id: str) -> None:
        if self._state_of(story_id) is not None:
            raise self._fail(
                f"story {story_id} was merged into {self.resolve_story(story_id)}"
            )

    def _retitle_after_move(self, story_id: str, doc_id: str) -> None:
        """A story named after the document that left is renamed after its earliest member."""
        if policy.keeps_title(self._given_title(story_id), self.get_document(doc_id).title):
            return
        first = self._first_member_titles([story_id], reading_order=False).get(story_id)
        self._set_title(story_id, first)

    # -- grouping features (key terms, MinHash bands, near-duplicates) ---------------------------

    def put_terms(self, doc_id: str, terms: Mapping[str, float]) -> None:
        """Store (or replace) a document's key terms and their weights."""
        with self.transaction():
            self._require_documents([doc_id])
            story_id = self.story_of(doc_id)
            if self._replace_terms(doc_id, terms):
                self._caches.reset()  # terms replaced: rare, and the counts would need undoing
            self._caches.terms_put(doc_id, story_id, terms)

    @abstractmethod
    def get_terms(self, doc_ids: Iterable[str],
                  among: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        """Doc id -> its key terms, for the documents that have some; with `among`, only
        those terms (a claim's dozen, rather than every term of a story's articles)."""

    def term_document_count(self) -> int:
        """The number of documents idf is computed over: those with key terms, the set the
        document frequencies count.

        Not every stored document: an ingest stores a run's documents before it places them
        (and puts their terms), so counting stored documents would make a document's placement
        depend on how many others happened to arrive in the same run.
        """
        self._check_caches()
        return self._caches.document_count(self._count_term_documents)

    def term_counts(self, terms: Iterable[str]) -> dict[str, int]:
        """Each term's document frequency (terms no document has are left out)."""
        self._check_caches()
        return self._caches.term_counts(terms, self._document_frequencies)

    def stories_with_terms(self, terms: Iterable[str], limit: int | None = None) -> dict[str, int]:
        """Live story id -> how many of `terms` its documents hold (the blocking index), by
        story id; with `limit`, only the `limit` stories holding most, most first (ties by id)."""
        self._check_caches()
        return self._caches.stories_with_terms(terms, self._term_story_pairs, limit)

    @abstractmethod
    def published_dates(self, doc_ids: Iterable[str]) -> dict[str, str | None]:
        """Doc id -> its publication date (YYYY-MM-DD) or None."""

    @abstractmethod
    def put_minhash_bands(self, doc_id: str, bands: Sequence[int]) -> None:
        """Store a document's LSH band hashes (band number = position)."""

    @abstractmethod
    def band_matches(self, bands: Sequence[int], limit: int | None = None) -> list[str]:
        """Documents sharing at least one (band, hash) with `bands`: most bands shared first,
        then oldest first; with `limit`, only the first `limit` of them."""

    @abstractmethod
    def shares_bands(self, doc_id: str, bands: Sequence[int]) -> bool:
        """Whether `doc_id` is among `band_matches(bands)` (its stored bands share one)."""

    @abstractmethod
    def mark_near_duplicate(self, doc_id: str, duplicate_of: str, similarity: float) -> None:
        """Record that `doc_id` is a near-duplicate of the stored document `duplicate_of`."""

    @abstractmethod
    def near_duplicates(self, doc_ids: Iterable[str] | None = None) -> dict[str, tuple[str, float]]:
        """Doc id -> (the document it duplicates, similarity), for marked documents."""

    # -- story-level analysis ----------------------------------------------------------------

    @abstractmethod
    def put_story_analysis(
        self, story_id: str, analysis: Analysis, *, key: str, run_id: int | None = None,
        report: StoredReport | None = None,
    ) -> None:
        """Keep a live story's analysis (one story's), replacing the one before, and with it
        `report`, its JSON report, when given.

        `key` says what it was computed over; `analysis.documents` are not stored again (they
        are read back from the documents, with their inferred dates).
        """

    @abstractmethod
    def put_story_report(self, story_id: str, key: str, report: StoredReport) -> None:
        """Keep `report` with the story's stored analysis, when that analysis is the one of
        `key` (in this code's layout); else nothing."""

    @abstractmethod
    def load_story_report(self, story_id: str, key: str) -> StoredReport | None:
        """The report kept with the story's stored analysis, when that analysis is the one of
        `key` (in this code's layout); else None."""

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

    # -- storage primitives: what the shared logic above asks of a backend ------------------------
    #
    # None of them opens a transaction or checks anything the caller has not asked for: the
    # callers above run them inside `transaction()` and have checked what they rely on.

    @abstractmethod
    def _begin(self, level: int) -> None:
        """Open a transaction (level 0, taking the write lock) or a nested one."""

    @abstractmethod
    def _commit(self, level: int) -> None:
        """Make the writes of the transaction at `level` stick (to the enclosing one, if any)."""

    @abstractmethod
    def _rollback(self, level: int) -> None:
        """Undo the transaction at `level` (nothing, if the database undid it already)."""

    @abstractmethod
    def _others_wrote(self) -> bool:
        """Whether another connection has committed a write since this was last asked."""

    @abstractmethod
    def _insert_document(self, document: Document, *, run_id: int | None, added_at: str) -> None:
        """Add a document whose id is not stored, as the next version of its source key."""

    @abstractmethod
    def _insert_story(self, title: str | None, created_at: str) -> str:
        """Add an empty story under a new id, never handed out before; return the id."""

    @abstractmethod
    def _insert_members(self, story_id: str, doc_ids: Sequence[str]) -> None:
        """Put documents that are in no story into `story_id`."""

    @abstractmethod
    def _move_member(self, doc_id: str, story_id: str) -> None:
        """Put a document that is in a story into `story_id` instead."""

    @abstractmethod
    def _move_all_members(self, source: str, into: str) -> None:
        """Put every document of `source` into `into`."""

    @abstractmethod
    def _record_merge(self, source: str, into: str, run_id: int | None, at: str) -> None:
        """Record that `source` went into `into`: it is no longer live."""

    @abstractmethod
    def _record_move(
        self, doc_id: str, source: str, into: str, run_id: int | None, at: str
    ) -> None:
        """Record that a document went from `source` to `into`."""

    @abstractmethod
    def _merged_into(self, story_id: str) -> str | None:
        """The story `story_id` was merged into, None while it is live; an unknown id is an
        error."""

    @abstractmethod
    def _given_title(self, story_id: str) -> str | None:
        """The title a story was given (its row's), None when it was given none."""

    @abstractmethod
    def _set_title(self, story_id: str, title: str | None) -> None:
        """Give a story a title (None: none)."""

    @abstractmethod
    def _first_member_titles(
        self, story_ids: Sequence[str], *, reading_order: bool
    ) -> dict[str, str]:
        """Story id -> the title of its first titled member, in reading order (`story_documents`)
        or, without `reading_order`, in the order they were stored; stories without a titled
        member are left out."""

    @abstractmethod
    def _story_rows(self) -> list[StoryRow]:
        """Every live story, oldest first, with the title it was given (None when none)."""

    @abstractmethod
    def _count_members(self, story_id: str) -> int:
        """How many documents a story holds."""

    @abstractmethod
    def _drop_relations(self, story_ids: Sequence[str]) -> None:
        """Delete these stories' relations."""

    @abstractmethod
    def _count_term_documents(self) -> int:
        """How many documents have key terms."""

    @abstractmethod
    def _replace_terms(self, doc_id: str, terms: Mapping[str, float]) -> bool:
        """Make `terms` a stored document's terms; whether it had some before."""

    @abstractmethod
    def _document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """Term -> how many documents hold it, for the terms some document holds."""

    @abstractmethod
    def _term_story_pairs(self, terms: Sequence[str]) -> list[tuple[str, str]]:
        """(term, story) for every story one of whose documents holds one of `terms`."""

    @abstractmethod
    def _story_terms_among(self, story_id: str, terms: Sequence[str]) -> set[str]:
        """Those of `terms` some document of `story_id` holds."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _now_precise() -> str:
    # Sorts after a seconds-only time of the same second ("...:01+00:00" < "...:01.5+00:00"),
    # as stores written before it recorded merges.
    return datetime.now(UTC).isoformat(timespec="microseconds")
