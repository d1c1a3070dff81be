"""The orchestrator: inputs -> documents -> annotations -> store -> stories -> report.

Each stage lives in its own module; this one only decides the order, batches the work, keeps one
bad input from sinking the others, and writes each document with all its annotations in one
transaction, so that a failure never leaves a half-analysed document in the store.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import numpy as np

import rashomon
from rashomon import (
    attribution, claims, clean, dedup, embed, entities, nlp, stories, story_stage, timeline,
)
from rashomon.errors import InputError, RashomonError
from rashomon.ingest import iter_raw
from rashomon.runners import InProcess, Runner
from rashomon.model import (
    Analysis, Document, RawDocument, TimelineEntry,
)
from rashomon.store import Annotations, Store

if TYPE_CHECKING:
    from rashomon.settings import Settings
    from spacy.tokens import Doc

__all__ = [
    "Analysed", "AnalyzeResult", "BatchResult", "Progress", "analyze", "annotate",
    "annotate_stream", "document_stage", "ingest", "ingest_raw", "pipeline_versions", "report",
]


# The parses of undated documents are kept until the end of the ingest, to date them once their
# story is known, up to this many tokens (a few hundred MB at most); beyond it they are parsed
# again then.
KEPT_PARSE_TOKENS = 1_000_000


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
    from importlib import metadata

    import spacy

    return {
        "rashomon": rashomon.__version__,
        "python": platform.python_version(),
        "spacy": spacy.about.__version__,
        "spacy_model": nlp.model_version(),
        "embedding_model": embed.MODEL_NAME,
        # the installed package's version (what its `__version__` says) read without
        # importing it: the import pulls in torch and transformers, some 3 s of every ingest,
        # which the default embedding runtime (ONNX) never uses
        "sentence_transformers": metadata.version("sentence-transformers"),
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


@dataclass(frozen=True, slots=True)
class Analysed:
    """One document through the per-document stage: what it says, and its lede vector.

    `parse` is kept for an undated document only, to date it once its story is known without
    parsing it again: as `Doc.to_bytes` without the tok2vec tensor (the dating reads words,
    entities and dependencies, not the tensor, the bulk of a parse), about 50 KB for a long
    article, where a pickled `Doc` would carry the whole vocabulary (2 MB, and seconds to load).
    """

    document: Document
    annotations: Annotations
    vector: np.ndarray
    parse: bytes | None = None


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What the per-document stage made of one batch: the documents analysed, in the batch's
    order, and one `InputError` per document that failed."""

    analysed: tuple[Analysed, ...]
    failures: tuple[InputError, ...]


def document_stage(documents: Sequence[Document], settings: Settings) -> BatchResult:
    """The per-document stage of an ingest for one batch: each document's lede embedded, then
    parsed and annotated (`annotate_stream`).

    A pure function of its arguments, which pickle: it runs in this process, in a worker
    process (`--workers`) or on a Dask worker (`--dask`) alike, and gives the same result
    anywhere; the models are loaded once per process. A document that fails is that document's
    failure.
    """
    failures: list[InputError] = []

    def fail(document: Document, error: Exception) -> None:
        assert isinstance(error, InputError)
        failures.append(error)

    vector_of = {d.id: v for d, v in _embed_ledes(
        documents, batch_size=settings.embed_batch_size, on_error=fail)}
    analysed = []
    for document, parsed, found in annotate_stream(
        [d for d in documents if d.id in vector_of], batch_size=settings.nlp_batch_size,
        piece_chars=settings.nlp_piece_chars, on_error=fail,
    ):
        kept = None
        if timeline.parse_anchor(document.published) is None:
            kept = parsed.to_bytes(exclude=["tensor"])  # dated once its story is known
        analysed.append(Analysed(document, found, vector_of[document.id], kept))
    return BatchResult(tuple(analysed), tuple(failures))


def ingest(
    inputs: Sequence[str],
    *,
    store: Store,
    settings: Settings,
    outlet: str | None = None,
    published: str | None = None,
    stdin: IO[Any] | None = None,
    progress: Progress | None = None,
    runner: Runner | None = None,
) -> AnalyzeResult:
    """Read, clean, annotate and store new documents, and attach them to stories (`runner`:
    where the per-document stage runs, see `ingest_raw`)."""
    items = iter_raw(inputs, settings, outlet=outlet, published=published, stdin=stdin)
    return ingest_raw(items, store=store, settings=settings, progress=progress, runner=runner)


def ingest_raw(
    items: Iterable[RawDocument | InputError],
    *,
    store: Store,
    settings: Settings,
    progress: Progress | None = None,
    runner: Runner | None = None,
) -> AnalyzeResult:
    """`ingest` for documents already read (by the HTTP API, or a caller's own reader).

    An `InputError` among the items is reported as a failure, as a bad input is by `ingest`.
    `runner` runs the per-document stage (`document_stage`): in this process by default, or in
    worker processes or on Dask workers (`rashomon.runners`); the store writes, the story
    placement and the story-level stage stay in this process.
    """
    progress = progress or Progress()
    documents, failures = _clean_all(items)
    result = AnalyzeResult(Analysis(), failures, input_documents=[d.id for d in documents])
    stored_before = store.stored_documents(d.id for d in documents)  # one query for all
    new = [d for d in documents if d.id not in stored_before]
    result.unchanged = [d.id for d in documents if d not in new]
    # A run stopped between storing documents and placing them (killed, power cut) left
    # them in no story; they are placed now, before anything new.
    unplaced = store.get_documents(store.unplaced_documents())
    progress.total(len(new))
    if not new and not unplaced and not story_stage.stale_stories(store, settings):
        return result
    run_id = store.start_run(pipeline_versions())
    stored: list[Document] = []
    vectors: list[np.ndarray] = []
    undated_parses: dict[str, Doc] = {}
    kept_tokens = 0
    runner = runner or InProcess()
    # the batches' results come back in input order, wherever they ran (`rashomon.runners`)
    for batch in runner.run(list(_batched(new, settings.nlp_batch_size)), settings):
        for failure in batch.failures:
            failures.append(failure)
            progress.advance()
        for item in batch.analysed:
            document = item.document
            found = item.annotations
            try:
                store.put_analyzed(
                    document, found.mentions, found.attributions, found.claims, found.timeline,
                    embedding=(embed.MODEL_NAME, item.vector), run_id=run_id,
                )
            except RashomonError as error:
                failures.append(_failure(document, "analysis", error))
            else:
                stored.append(document)
                vectors.append(item.vector)
                parsed = None if item.parse is None else _doc_from_bytes(item.parse)
                if parsed is not None and kept_tokens + len(parsed) <= KEPT_PARSE_TOKENS:
                    undated_parses[document.id] = parsed
                    kept_tokens += len(parsed)
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
    # The story-level stage, for every story this run changed, and any a stopped run left
    # stale; the parses of undated documents are used once more, to date them.
    stale = story_stage.stale_stories(store, settings)
    story_stage.refresh_stories(store, stale, settings, parses=undated_parses, run_id=run_id,
                                embed_many=lambda texts: runner.embed(texts, settings))
    store.finish_run(run_id, {"added": len(stored), "failed": len(failures),
                              "near_duplicates": len(duplicates), "recovered": len(unplaced),
                              "stories_analysed": len(stale)})
    result.recovered = [d.id for d in unplaced]
    result.added = [d.id for d in stored]
    return result


def _doc_from_bytes(data: bytes) -> Doc:
    """A parse kept by the per-document stage (`Analysed.parse`), on this process's vocabulary."""
    from spacy.tokens import Doc

    return Doc(nlp.load_nlp().vocab).from_bytes(data)


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


def _ingest_timeline(document: Document, parsed: Any) -> list[TimelineEntry]:
    """The timeline stored with a document at ingest: resolved against its own date.

    An undated document gets only the dates that carry their year here; its relative dates
    need an anchor inferred from its story, known only once stories are assigned, and are
    resolved at report time (`_story_timeline`).
    """
    anchor = timeline.parse_anchor(document.published)
    return timeline.extract_timeline(document, parsed, anchor, document.published_inferred)


def report(
    store: Store, story_ids: Sequence[str], settings: Settings, *,
    on_stale: Callable[[str], None] | None = None,
) -> Analysis:
    """These stories' stored analyses as one report (`story_stage.read_stories`)."""
    return story_stage.read_stories(store, story_ids, settings, on_stale=on_stale)


def analyze(
    inputs: Sequence[str],
    *,
    store: Store,
    settings: Settings,
    outlet: str | None = None,
    published: str | None = None,
    stdin: IO[Any] | None = None,
    progress: Progress | None = None,
    runner: Runner | None = None,
) -> AnalyzeResult:
    """Ingest the inputs, then report on every story that holds one of them."""
    result = ingest(
        inputs, store=store, settings=settings, outlet=outlet, published=published,
        stdin=stdin, progress=progress, runner=runner,
    )
    story_of = store.stories_of(result.input_documents)
    story_ids = list(dict.fromkeys(
        story_of[doc_id] for doc_id in result.input_documents if doc_id in story_of))
    result.analysis = report(store, story_ids, settings)
    return result


ProgressFactory = Callable[[], Progress]
