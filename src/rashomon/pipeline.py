"""The orchestrator: inputs -> documents -> annotations -> store -> stories -> report.

Each stage lives in its own module; this one only decides the order, batches the work, keeps one
bad input from sinking the others, and writes each document with all its annotations in one
transaction, so that a failure never leaves a half-analysed document in the store.
"""

from __future__ import annotations

import dataclasses
import platform
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import numpy as np

import rashomon
from rashomon import (
    align, attribution, brief, claims, clean, dedup, embed, entities, framing, nlp, stories,
    timeline,
)
from rashomon.errors import InputError, RashomonError
from rashomon.ingest import iter_raw
from rashomon.model import (
    Analysis, Attribution, Document, RawDocument, Story, TimelineEntry,
)
from rashomon.store import Annotations, Store

if TYPE_CHECKING:
    from rashomon.settings import Settings
    from spacy.tokens import Doc

__all__ = [
    "AnalyzeResult", "Progress", "analyze", "annotate", "annotate_stream", "ingest", "ingest_raw",
    "pipeline_versions", "report",
]


class Progress:
    """What the pipeline tells a progress display; the default tells nobody."""

    def total(self, count: int) -> None:  # noqa: B027 - a hook, empty on purpose
        """The number of documents to analyse is known."""

    def advance(self, count: int = 1) -> None:  # noqa: B027
        """`count` more documents are done."""


@dataclass(slots=True)
class AnalyzeResult:
    """What one run did: the report, the inputs that failed, and counts."""

    analysis: Analysis
    failures: list[InputError] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    input_documents: list[str] = field(default_factory=list)
    # stored by an earlier run that stopped before placing them, placed by this one
    recovered: list[str] = field(default_factory=list)


def pipeline_versions() -> dict[str, str]:
    """The versions of everything that shapes an analysis, recorded with each run."""
    import sentence_transformers
    import spacy

    return {
        "rashomon": rashomon.__version__,
        "python": platform.python_version(),
        "spacy": spacy.about.__version__,
        "spacy_model": nlp.model_version(),
        "embedding_model": embed.MODEL_NAME,
        "sentence_transformers": sentence_transformers.__version__,
    }


def _batched(items: Sequence[Document], size: int) -> Iterator[Sequence[Document]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _clean_all(items: Iterable[RawDocument | InputError]) -> tuple[list[Document], list[InputError]]:
    """Clean every raw document; a failure is recorded and the others go on."""
    documents: list[Document] = []
    failures: list[InputError] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, InputError):
            failures.append(item)
            continue
        try:
            document = clean.clean(item)
        except InputError as error:
            failures.append(error)
            continue
        if document.id not in seen:  # the same file named twice is one document
            seen.add(document.id)
            documents.append(document)
    return documents, failures


def _failure(document: Document, stage: str, error: Exception) -> InputError:
    """One document's failure as one line naming it; an error that is not rashomon's own says
    its type, so that a bug in a rule reads as one."""
    reason = str(error) if isinstance(error, RashomonError) else f"{type(error).__name__}: {error}"
    return InputError(document.source, f"{stage} failed: {reason}")


OnError = Callable[[Document, Exception], None]


def annotate(document: Document, parsed: Doc) -> Annotations:
    """The per-document stage: what one parsed document says, from it alone.

    Mentions, attributions, claims and the dates resolved against the document's own date.
    A pure function of its arguments, so that it can run in another process.
    """
    mentions = entities.extract_mentions(document, parsed)
    found = attribution.extract_attributions(document, parsed, mentions)
    return Annotations(
        mentions=tuple(mentions),
        attributions=tuple(found),
        claims=tuple(claims.extract_claims(document, parsed, found)),
        timeline=tuple(_ingest_timeline(document, parsed)),
    )


def _parse_each(
    documents: Sequence[Document], *, batch_size: int, piece_chars: int, on_error: OnError
) -> Iterator[tuple[Document, Doc]]:
    """Parse a batch; when the batch fails, each document alone, so one bad document fails
    alone."""
    try:
        parsed = list(nlp.parse(documents, batch_size=batch_size, piece_chars=piece_chars))
    except Exception:
        parsed = None
    if parsed is not None:
        yield from parsed
        return
    for document in documents:
        try:
            yield next(nlp.parse([document], batch_size=batch_size, piece_chars=piece_chars))
        except Exception as error:
            on_error(document, _failure(document, "parsing", error))


def annotate_stream(
    documents: Iterable[Document], *, batch_size: int = 16, piece_chars: int = 100_000,
    on_error: OnError,
) -> Iterator[tuple[Document, Doc, Annotations]]:
    """`annotate` over a stream, parsed in batches: each document with its parse and what was
    found in it. A document whose parse or annotation raises is handed to `on_error` (with an
    `InputError` naming it) and left out; the others go on."""
    for batch in _batched(list(documents), batch_size):
        for document, parsed in _parse_each(
            batch, batch_size=batch_size, piece_chars=piece_chars, on_error=on_error
        ):
            try:
                yield document, parsed, annotate(document, parsed)
            except Exception as error:
                on_error(document, _failure(document, "analysis", error))


def _embed_ledes(
    documents: Sequence[Document], *, batch_size: int, on_error: OnError
) -> list[tuple[Document, np.ndarray]]:
    """Each document's lede vector; when the batch fails, each document alone."""
    ledes = [stories.lede_text(d) for d in documents]
    try:
        return list(zip(documents, embed.embed(ledes, batch_size=batch_size), strict=True))
    except Exception:
        pass
    embedded = []
    for document, lede in zip(documents, ledes, strict=True):
        try:
            embedded.append((document, embed.embed([lede], batch_size=batch_size)[0]))
        except Exception as error:
            on_error(document, _failure(document, "embedding", error))
    return embedded


def ingest(
    inputs: Sequence[str],
    *,
    store: Store,
    settings: Settings,
    outlet: str | None = None,
    published: str | None = None,
    stdin: IO[Any] | None = None,
    progress: Progress | None = None,
) -> AnalyzeResult:
    """Read, clean, annotate and store new documents, and attach them to stories."""
    items = iter_raw(inputs, settings, outlet=outlet, published=published, stdin=stdin)
    return ingest_raw(items, store=store, settings=settings, progress=progress)


def ingest_raw(
    items: Iterable[RawDocument | InputError],
    *,
    store: Store,
    settings: Settings,
    progress: Progress | None = None,
) -> AnalyzeResult:
    """`ingest` for documents already read (by the HTTP API, or a caller's own reader).

    An `InputError` among the items is reported as a failure, as a bad input is by `ingest`.
    """
    progress = progress or Progress()
    documents, failures = _clean_all(items)
    result = AnalyzeResult(Analysis(), failures, input_documents=[d.id for d in documents])
    new = [d for d in documents if not store.has_document(d.id)]
    result.unchanged = [d.id for d in documents if d not in new]
    # A run stopped between storing documents and placing them (killed, power cut) left
    # them in no story; they are placed now, before anything new.
    unplaced = store.get_documents(store.unplaced_documents())
    progress.total(len(new))
    if not new and not unplaced:
        return result
    run_id = store.start_run(pipeline_versions())
    stored: list[Document] = []
    vectors: list[np.ndarray] = []

    def fail(document: Document, error: Exception) -> None:
        assert isinstance(error, InputError)
        failures.append(error)
        progress.advance()

    for batch in _batched(new, settings.nlp_batch_size):
        vector_of = {d.id: v for d, v in _embed_ledes(
            batch, batch_size=settings.embed_batch_size, on_error=fail)}
        for document, _, found in annotate_stream(
            [d for d in batch if d.id in vector_of], batch_size=settings.nlp_batch_size,
            piece_chars=settings.nlp_piece_chars, on_error=fail,
        ):
            vector = vector_of[document.id]
            try:
                store.put_analyzed(
                    document, found.mentions, found.attributions, found.claims, found.timeline,
                    embedding=(embed.MODEL_NAME, vector), run_id=run_id,
                )
            except RashomonError as error:
                failures.append(_failure(document, "analysis", error))
            else:
                stored.append(document)
                vectors.append(vector)
            progress.advance()
    # Documents stored by a run that stopped before placing them come first, as they were
    # stored first; placing a document twice is a no-op, and so is marking it twice.
    placing = unplaced + stored
    placing_vectors = _stored_vectors(store, unplaced, settings) + vectors
    duplicates: dict[str, tuple[str, float]] = {}
    if placing:
        # near-duplicates first: a syndicated copy is marked whatever story it lands in
        duplicates = dedup.mark_near_duplicates(store, placing)
        stories.assign_stories(
            store, placing, np.vstack(placing_vectors),
            threshold=settings.story_threshold, model=embed.MODEL_NAME, run_id=run_id,
        )
    store.finish_run(run_id, {"added": len(stored), "failed": len(failures),
                              "near_duplicates": len(duplicates), "recovered": len(unplaced)})
    result.recovered = [d.id for d in unplaced]
    result.added = [d.id for d in stored]
    return result


def _stored_vectors(
    store: Store, documents: Sequence[Document], settings: Settings
) -> list[np.ndarray]:
    """The lede vectors stored with `documents` (computed again for one that has none)."""
    found = store.get_embeddings([d.id for d in documents], model=embed.MODEL_NAME)
    missing = [d for d in documents if d.id not in found]
    if missing:
        fresh = embed.embed([stories.lede_text(d) for d in missing],
                            batch_size=settings.embed_batch_size)
        found.update(zip((d.id for d in missing), fresh, strict=True))
    return [found[d.id] for d in documents]


def _link_speakers(
    attributions: Sequence[Attribution], entity_list: Sequence[Any], span_entity: dict[Any, str]
) -> list[Attribution]:
    """Point each speaker at its entity: by its own span when linked, else by its name."""
    names = entities.NameIndex.of(entity_list)
    linked: list[Attribution] = []
    for item in attributions:
        speaker = item.speaker
        entity_id = span_entity.get(speaker.span) if speaker.span is not None else None
        if entity_id is None and speaker.name and not speaker.anonymous:
            entity_id = names.entity_for(speaker.name)
        if entity_id is not None:
            item = dataclasses.replace(item, speaker=dataclasses.replace(speaker, entity=entity_id))
        linked.append(item)
    return linked


def _ingest_timeline(document: Document, parsed: Any) -> list[TimelineEntry]:
    """The timeline stored with a document at ingest: resolved against its own date.

    An undated document gets only the dates that carry their year here; its relative dates
    need an anchor inferred from its story, known only once stories are assigned, and are
    resolved at report time (`_story_timeline`).
    """
    anchor = timeline.parse_anchor(document.published)
    return timeline.extract_timeline(document, parsed, anchor, document.published_inferred)


def _story_timeline(
    story_list: Sequence[Story], documents: Sequence[Document],
    stored: dict[str, Sequence[TimelineEntry]], settings: Settings, embed_texts: embed.Embedder,
) -> tuple[list[Document], list[TimelineEntry]]:
    """Every document's timeline, undated documents anchored on their story, events linked.

    Undated documents are re-parsed here, with the anchor inferred from the other articles of
    their story (or their own content): the parse is not stored, and such documents are few
    (most articles carry a date), so this costs less than keeping every parse. Their documents
    come back with the inferred date, marked `published_inferred`.
    """
    story_of = {doc_id: story for story in story_list for doc_id in story.documents}
    by_id = {d.id: d for d in documents}
    undated = [d for d in documents if timeline.parse_anchor(d.published) is None]
    entries = {d.id: list(stored.get(d.id, ())) for d in documents}
    dated: dict[str, Document] = {}
    if undated:
        parsed_docs = nlp.parse(
            undated, batch_size=settings.nlp_batch_size, piece_chars=settings.nlp_piece_chars
        )
        for document, parsed in parsed_docs:
            story = story_of.get(document.id)
            others = [by_id[i].published for i in (story.documents if story else ())
                      if i != document.id and i in by_id]
            anchor, inferred = timeline.infer_document_date(document, parsed, others)
            if anchor is None:
                continue  # nothing dates it: keep the dates that carry their own year
            entries[document.id] = timeline.extract_timeline(document, parsed, anchor, inferred)
            dated[document.id] = dataclasses.replace(
                document, published=anchor.isoformat(), published_inferred=inferred
            )
    flat = [e for d in documents for e in entries[d.id]]
    linked: list[TimelineEntry] = []
    for story in story_list:  # events are linked within a story, never across stories
        members = set(story.documents)
        linked.extend(timeline.link_events(
            [e for e in flat if e.span.doc in members],
            embed_texts,
            texts={d.id: d.text for d in documents if d.id in members},
        ))
    return [dated.get(d.id, d) for d in documents], linked


def report(store: Store, story_ids: Sequence[str], settings: Settings) -> Analysis:
    """Everything known about these stories, from the store, with cross-source relations."""
    story_list: list[Story] = []
    documents: list[Document] = []
    for story_id in story_ids:
        doc_ids = store.story_documents(story_id)
        story_docs = store.get_documents(doc_ids)
        documents.extend(story_docs)
        title = next((d.title for d in story_docs if d.title), None)
        story_list.append(Story(story_id, tuple(d.id for d in story_docs), title))
    annotations = {d.id: store.load_annotations(d.id) for d in documents}
    # the user's alias file forces merges and splits
    entity_list, span_entity = entities.link_entities(
        [(d, annotations[d.id].mentions) for d in documents], entities.user_aliases(settings),
    )
    attributions = _link_speakers(
        [a for d in documents for a in annotations[d.id].attributions], entity_list, span_entity
    )
    # Every text is embedded once per store and kept there: a story reported again, or grown
    # by one article, embeds only its new clauses (the vectors are the ones a fresh embedding
    # gives, see rashomon.embed).
    embed_texts = embed.stored(store, batch_size=settings.embed_batch_size)
    documents, timeline_entries = _story_timeline(
        story_list, documents, {d.id: annotations[d.id].timeline for d in documents}, settings,
        embed_texts,
    )
    base = Analysis(
        documents=tuple(documents),
        stories=tuple(story_list),
        entities=tuple(entity_list),
        mentions=tuple(dataclasses.replace(m, entity=span_entity.get(m.span))
                       for d in documents for m in annotations[d.id].mentions),
        attributions=tuple(attributions),
        # a claim's dates are the timeline's, resolved against the (possibly inferred) anchor
        claims=tuple(claims.attach_context(
            [c for d in documents for c in annotations[d.id].claims], timeline_entries,
            [m for d in documents for m in annotations[d.id].mentions])),
        timeline=tuple(timeline_entries),
        # syndicated copies: corroboration counts each group of copies as one outlet
        near_duplicates=tuple(sorted(
            (doc_id, original) for doc_id, (original, _) in
            store.near_duplicates([d.id for d in documents]).items())),
    )
    relations = []
    for story in story_list:
        members = set(story.documents)
        story_view = dataclasses.replace(
            base,
            documents=tuple(d for d in documents if d.id in members),
            attributions=tuple(a for a in attributions if a.doc in members),
            claims=tuple(c for c in base.claims if c.doc in members),
        )
        relations.extend(align.align_story(
            story_view,
            embed_texts,
            threshold=settings.variant_threshold,
        ))
    analysed = dataclasses.replace(base, relations=tuple(relations))
    # what people read first: the sourced brief and each outlet's framing, from all of the
    # above; both rest on what several outlets carry, matched once per story
    briefs, framings = [], []
    for piece in brief.story_slices(analysed):
        facts = brief.carried_facts(piece)
        briefs.append(brief.brief_of(piece, facts))
        framings.extend(framing.framings_of(piece, facts))
    return dataclasses.replace(analysed, briefs=tuple(briefs), framings=tuple(framings))


def analyze(
    inputs: Sequence[str],
    *,
    store: Store,
    settings: Settings,
    outlet: str | None = None,
    published: str | None = None,
    stdin: IO[Any] | None = None,
    progress: Progress | None = None,
) -> AnalyzeResult:
    """Ingest the inputs, then report on every story that holds one of them."""
    result = ingest(
        inputs, store=store, settings=settings, outlet=outlet, published=published,
        stdin=stdin, progress=progress,
    )
    story_ids: list[str] = []
    for doc_id in result.input_documents:
        story_id = store.story_of(doc_id)
        if story_id is not None and story_id not in story_ids:
            story_ids.append(story_id)
    result.analysis = report(store, story_ids, settings)
    return result


ProgressFactory = Callable[[], Progress]
