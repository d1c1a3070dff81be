"""What the API and the pages ask of the store: stories, one story's analysis, documents, ingest.

Each call opens its own store handle (SQLite handles belong to one thread, and requests are
served from a pool of threads). A story's analysis is read from the store, where ingest put it
when the story last changed (`rashomon.story_stage`); nothing is cached here, so every process
serving one store answers alike. A story whose stored analysis is missing or stale (a run was
stopped before analysing it, or the settings that shape it changed) is analysed once, on the
first request, and stored. The models are used by one request at a time, as are writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import orjson

from rashomon import pipeline, render
from rashomon.errors import InputError, StoreError
from rashomon.ingest import iter_raw
from rashomon.ingest.fetch import public_addresses_only
from rashomon.ingest.records import record_document
from rashomon.model import Analysis, Document, RawDocument
from rashomon.render import stored
from rashomon.serve.catalog import EntityCatalog, EntityGroup
from rashomon.serve.errors import NotFound, Unprocessable
from rashomon.store import Store, StoryRow, open_store
from rashomon.story_stage import stale_among

if TYPE_CHECKING:
    from rashomon.settings import Settings

__all__ = ["DocumentReport", "IngestOutcome", "Page", "SORTS", "Service", "StoryJson",
           "StoryReport"]

T = TypeVar("T")
Sort = Literal["date", "size"]
SORTS: tuple[str, ...] = ("date", "size")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: its items, how many there are in all, and where it starts."""

    items: tuple[T, ...]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        following = self.offset + self.limit
        return following if following < self.total else None


@dataclass(frozen=True, slots=True)
class StoryReport:
    """One story analysed, for the pages (the API serves its JSON report: `StoryJson`)."""

    story_id: str
    documents: tuple[str, ...]
    analysis: Analysis


@dataclass(frozen=True)
class StoryJson:
    """One story's JSON report as text: what `rashomon report ID --json` prints of it."""

    story_id: str
    text: str

    @cached_property
    def report(self) -> Mapping[str, Any]:
        """The report parsed, for the routes that serve a part of it: parsing the text takes
        less than reading the analysis back into objects and rendering it (0.06-0.09 s of CPU
        against 0.15 on the largest story of `bench/serve_speed.py`)."""
        parsed: Mapping[str, Any] = orjson.loads(self.text)
        return parsed


@dataclass(frozen=True, slots=True)
class DocumentReport:
    """One stored document with what was found in it, as JSON, and the story it belongs to."""

    document: Document
    story: str | None
    report: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What posting documents did: ids added or already stored, failures, stories touched."""

    added: tuple[str, ...]
    unchanged: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]  # (input, reason)
    stories: tuple[StoryRow, ...]


def _page(items: Sequence[T], limit: int, offset: int) -> Page[T]:
    return Page(tuple(items[offset : offset + limit]), len(items), limit, offset)


def _matches(row: StoryRow, words: Sequence[str]) -> bool:
    title = (row.title or "").casefold()
    return all(word in title for word in words)


def _sorted_rows(rows: list[StoryRow], sort: str) -> list[StoryRow]:
    """Newest first by last publication date (undated last), or largest first."""
    if sort == "size":
        return sorted(rows, key=lambda r: (-r.size, r.created_at))
    dated = sorted((r for r in rows if r.last_published), key=lambda r: r.created_at)
    dated.sort(key=lambda r: r.last_published or "", reverse=True)
    return dated + [r for r in rows if not r.last_published]


def _posted_record(record: Mapping[str, Any], number: int, settings: Settings) -> RawDocument | InputError:
    """One posted record as a raw document, or the reason it is none."""
    source = f"records[{number}]"
    body = record.get("text") or record.get("html") or ""
    digest = hashlib.sha256(str(body).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    try:
        return record_document(dict(record), source, f"posted:{digest}", settings.max_document_bytes)
    except InputError as error:
        return error


class Service:
    """The store at `db`, read and written on behalf of HTTP requests."""

    def __init__(self, db: str, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        # report() and ingest() run the models and write: one at a time, whatever the threads
        self._work_lock = threading.Lock()
        self.catalog = EntityCatalog(settings)

    def warm_up(self) -> None:
        """Load the models `/check` needs (the embedding and stance models, and the stance
        model's word lists), so that the first check after the server starts does not wait for
        them; run once, off the request path."""
        from rashomon import embed, stance

        embed.load_embedder()
        stance.load_model()
        stance.lexicons()

    @contextmanager
    def store(self) -> Iterator[Store]:
        with open_store(self.db) as store:
            yield store

    # -- stories ---------------------------------------------------------------------------

    def stories(self, *, query: str = "", sort: str = "date", limit: int = 50,
                offset: int = 0) -> Page[StoryRow]:
        """Stories whose title holds every word of `query`, sorted, one page of them."""
        if sort not in SORTS:
            raise Unprocessable(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        with self.store() as store:
            rows = store.list_stories()
        words = query.casefold().split()
        rows = _sorted_rows([r for r in rows if _matches(r, words)], sort)
        return _page(rows, limit, offset)

    @staticmethod
    def _live_story(store: Store, story_id: str) -> str | None:
        """The live story `story_id` stands for (following merges), None when unknown."""
        try:
            return store.resolve_story(story_id)
        except StoreError:
            store.story_size(story_id)  # a store that cannot answer at all fails here too
            return None

    @classmethod
    def _story_of(cls, store: Store, story_id: str) -> tuple[str, tuple[str, ...]]:
        """The live story `story_id` stands for and its documents; NotFound when none."""
        live = cls._live_story(store, story_id)
        doc_ids = tuple(store.story_documents(live)) if live else ()
        if live is None or not doc_ids:
            raise NotFound(f"no story {story_id!r}; the stories are listed at /api/stories")
        return live, doc_ids

    def story_json(self, story_id: str) -> StoryJson:
        """A story's JSON report: the text kept with its stored analysis when that text is
        current (`rashomon.render.stored`, as `rashomon report ID --json` reads it), without
        building an object of the analysis; else rendered from the analysis (`story`) and
        kept, so that the next request reads it."""
        with self.store() as store:
            live, _ = self._story_of(store, story_id)
            # the key asked for before anything is read: what is kept below is kept only with it
            key = stored.current_key(store, live, self.settings)
            text = stored.read(store, live, key)
        if text is not None:
            return StoryJson(live, text)
        report = self.story(live)
        text = render.dumps(report.analysis)
        with self._work_lock, self.store() as store, contextlib.suppress(StoreError):
            stored.keep(store, live, key, text)  # a store it may not write: no matter
        return StoryJson(report.story_id, text)

    def story(self, story_id: str) -> StoryReport:
        """A story's stored analysis (analysed now, once, when missing or stale)."""
        with self.store() as store:
            live, _ = self._story_of(store, story_id)
            # the models and the write lock are taken only when there is work to do
            work = self._work_lock if stale_among(store, [live], self.settings) else nullcontext()
            with work:
                analysis = pipeline.report(store, [live], self.settings)
        story = analysis.stories[0]
        return StoryReport(live, story.documents, analysis)

    # -- documents -------------------------------------------------------------------------

    def documents(self, *, limit: int = 50, offset: int = 0) -> Page[tuple[Document, str]]:
        """Stored documents with their story, story by story, one page of them."""
        with self.store() as store:
            members = [(doc_id, story_id) for story_id, doc_ids in store.story_members().items()
                       for doc_id in doc_ids]
            window = members[offset : offset + limit]
            found = store.get_documents([doc_id for doc_id, _ in window])
        items = tuple(zip(found, (story for _, story in window), strict=True))
        return Page(items, len(members), limit, offset)

    def document(self, doc_id: str) -> DocumentReport:
        """One document with its mentions, attributions, claims and dated expressions."""
        with self.store() as store:
            if not store.has_document(doc_id):
                raise NotFound(f"no document {doc_id!r}; documents are listed at /api/documents")
            document = store.get_document(doc_id)
            annotations = store.load_annotations(doc_id)
            story = store.story_of(doc_id)
        found = render.to_json(Analysis(
            documents=(document,), mentions=annotations.mentions,
            attributions=annotations.attributions, claims=annotations.claims,
            timeline=annotations.timeline,
        ))
        report = {"document": found["documents"][0], "story": story,
                  **{key: found[key] for key in ("mentions", "attributions", "claims", "timeline")}}
        return DocumentReport(document, story, report)

    # -- entities across stories -----------------------------------------------------------

    def entities(self, *, query: str = "", limit: int = 50,
                 offset: int = 0) -> tuple[Page[EntityGroup], int]:
        """Entities grouped across stories whose names hold every word of `query`, one page,
        and how many stories are still to be analysed (see `rashomon.serve.catalog`)."""
        with self.store() as store:
            view = self.catalog.view(store)
        words = query.casefold().split()
        groups = [g for g in view.groups if g.matches(words)] if words else view.groups
        return _page(groups, limit, offset), view.pending

    def entity_group(self, entity_id: str) -> EntityGroup:
        """One entity group by its id; NotFound when no story has an entity of that id."""
        with self.store() as store:
            view = self.catalog.view(store)
        found = next((g for g in view.groups if g.id == entity_id), None)
        if found is None:
            later = (f" ({view.pending} new or changed stories are not analysed yet: the "
                     "next ingest analyses them)") if view.pending else ""
            raise NotFound(f"no entity {entity_id!r} in any story{later}; entities are listed "
                           "at /api/entities")
        return found

    # -- check -----------------------------------------------------------------------------

    def check(self, claim: str, *, limit: int = 20) -> list[Any]:
        """Stored documents that support, refute or report `claim` (`rashomon.check`)."""
        from rashomon.check import check_claim

        with self._work_lock, self.store() as store:
            try:
                return check_claim(store, claim, self.settings, limit=limit)
            except ValueError as error:
                raise Unprocessable(str(error)) from None

    # -- ingest ----------------------------------------------------------------------------

    def ingest(self, records: Sequence[Mapping[str, Any]], urls: Sequence[str]) -> IngestOutcome:
        """Store and group posted records and URLs through the same pipeline as `ingest`.

        Records are read as `rashomon ingest` reads a JSON record, named ``records[N]``; one
        with neither URL nor outlet and title is keyed on its text, so posting it again is a
        no-op. URLs are fetched from public addresses only unless `allow_private_urls` is set.
        """
        guard = nullcontext() if self.settings.allow_private_urls else public_addresses_only()
        with self._work_lock, self.store() as store, guard:
            items = itertools.chain(
                (_posted_record(record, n, self.settings) for n, record in enumerate(records)),
                iter_raw(urls, self.settings),
            )
            result = pipeline.ingest_raw(items, store=store, settings=self.settings)
            touched = {store.story_of(d) for d in result.input_documents}
            rows = tuple(r for r in store.list_stories() if r.id in touched)
        failed = tuple((f.source, f.reason) for f in result.failures)
        return IngestOutcome(tuple(result.added), tuple(result.unchanged), failed, rows)
