"""`rashomon check "CLAIM"`: which stored articles support a claim, refute it, or only report it.

The claim is never compared with the whole store:
1. blocking: the claim's key terms (as `stories.key_terms` weighs them, rarest in the store
   first) are looked up in the store's term index (`Store.stories_with_terms`); the stories that
   share the most of them are the candidates (`MAX_STORIES`);
2. within those stories, documents are ranked by the cosine of the claim's embedding with their
   stored lede embedding plus the claim terms they hold, and the best `MAX_DOCUMENTS` are kept;
3. only those are read, split into sentences, embedded, and scored by the stance model
   (`rashomon.stance`), with idf over the candidates.

A document the model calls ``unrelated`` is left out. Each result carries the document's best
spans (the sentences closest to the claim), read back through `Document.slice`, and the id of
the stored claim those words belong to when there is one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from rashomon import embed, stance, stories
from rashomon.ingest.text import valid_text
from rashomon.model import Claim, Document, Span

if TYPE_CHECKING:
    from rashomon.settings import Settings
    from rashomon.store.base import Store

__all__ = ["CHECK_STANCES", "CheckResult", "check_claim"]

# What `check` reports, in the order a reader weighs them; FNC-1's ``agree`` / ``disagree`` are
# read as supports / refutes.
CHECK_STANCES: dict[str, str] = {"agree": "supports", "disagree": "refutes", "discuss": "reports"}

BLOCK_TERMS = 12
MAX_STORIES = 20
MAX_DOCUMENTS = 40
SPANS_PER_RESULT = 2
# A claim longer than this is not a claim but an article; the rest is ignored.
MAX_CLAIM_CHARS = stance.MAX_CLAIM_CHARS


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One stored document's stance on a claim, with the words it rests on.

    `stance` is ``supports``, ``refutes`` or ``reports``; `score` the model's probability of it.
    `spans` are the document's sentences closest to the claim, best first, and `words` their text
    (read with `Document.slice`). `claim` is the id of the stored claim holding the best span.
    `probabilities` are the model's for each of supports, refutes, reports and unrelated, so a
    reader can see how close a call was.
    """

    document: str
    story: str | None
    outlet: str
    title: str | None
    stance: str
    score: float
    spans: tuple[Span, ...]
    words: tuple[str, ...]
    claim: str | None = None
    probabilities: tuple[tuple[str, float], ...] = ()


def _claim_document(claim: str) -> Document:
    """The claim as a throwaway document, so that `stories.key_terms` weighs it like the store."""
    return Document(id="claim", source="claim", source_key="claim", text=claim, raw_text=claim)


def _candidate_documents(store: Store, claim: str, vector: np.ndarray) -> list[str]:
    """The documents worth scoring: from the stories that share the claim's rarest terms."""
    terms = stories.key_terms(_claim_document(claim))
    if not terms:
        return []
    total = max(store.term_document_count(), 1)
    df = store.term_counts(terms)
    # a term no stored document holds cannot find a candidate; of the rest, the rarest first
    held = [t for t in terms if df.get(t)]
    block = sorted(held, key=lambda t: (df[t], t))[:BLOCK_TERMS]
    shared = store.stories_with_terms(block)
    story_ids = sorted(shared, key=lambda s: (-shared[s], s))[:MAX_STORIES]
    doc_ids = [d for s in story_ids for d in store.story_documents(s)]
    if not doc_ids:
        return []
    lede_vectors = store.get_embeddings(doc_ids, model=embed.MODEL_NAME)
    doc_terms = store.get_terms(doc_ids)
    idf = {t: math.log((1 + total) / (1 + df.get(t, 0))) + 1.0 for t in terms}
    idf_sum = sum(idf.values()) or 1.0

    def rank(doc_id: str) -> float:
        held_terms = doc_terms.get(doc_id, {})
        overlap = sum(idf[t] for t in terms if t in held_terms) / idf_sum
        lede = lede_vectors.get(doc_id)
        similarity = float(lede @ vector) if lede is not None else 0.0
        return overlap + similarity

    ranked = sorted(dict.fromkeys(doc_ids), key=lambda d: (-rank(d), d))
    return ranked[:MAX_DOCUMENTS]


def _store_idf(store: Store, texts: Sequence[stance.PreparedText]) -> stance.Idf:
    """idf from the whole store's document frequencies, as the model saw idf over many bodies.

    The store indexes surface words (`stories.key_terms`); the stance features use lightly
    stemmed ones, so a stem takes the largest frequency of the surface words it comes from.
    """
    surface: dict[str, str] = {}
    for text in texts:
        for word in stance.surface_words(text.text):
            surface.setdefault(word, stance.stem(word))
    counts = store.term_counts(surface)
    df: dict[str, int] = {}
    for word, stem in surface.items():
        df[stem] = max(df.get(stem, 0), counts.get(word, 0))
    return stance.idf_from(df, max(store.term_document_count(), 1))


def _stored_claim(claims: Sequence[Claim], span: Span) -> str | None:
    """The stored claim that shares the most characters with a span."""
    best, best_overlap = None, 0
    for item in claims:
        overlap = min(item.span.end, span.end) - max(item.span.start, span.start)
        if item.span.doc == span.doc and overlap > best_overlap:
            best, best_overlap = item.id, overlap
    return best


def _best_sentences(claim: stance.PreparedText, body: stance.PreparedText) -> list[int]:
    """The body's sentences closest to the claim, best first (embedding cosine)."""
    sims = body.vectors @ claim.vectors[0]
    return [int(i) for i in np.argsort(-sims, kind="stable")[:SPANS_PER_RESULT]]


def check_claim(store: Store, claim: str, settings: Settings, *, limit: int = 20) -> list[CheckResult]:
    """Stored documents that support, refute or report `claim`, best first (at most `limit`).

    Raises ValueError on an empty claim. An empty store, or one with nothing on the claim's
    subject, gives an empty list.
    """
    # the claim comes from outside (a command line, a request): valid Unicode like any input
    claim = valid_text(" ".join(claim.split())[:MAX_CLAIM_CHARS])
    if not claim:
        raise ValueError("the claim is empty: give the words to check")
    # the candidates' sentences come back check after check: each is embedded once per store
    embed_texts = embed.stored(store, batch_size=settings.embed_batch_size)
    claim_vector = embed_texts([claim])
    doc_ids = _candidate_documents(store, claim, claim_vector[0])
    if not doc_ids:
        return []
    documents = store.get_documents(doc_ids)
    bodies = [stance.prepare_text(d.text) for d in documents]
    texts = [b.sentence(i) for b in bodies for i in range(len(b.sentences))]
    vectors = embed_texts(texts)
    prepared_claim = stance.with_vectors(stance.prepare_text(claim, claim=True), claim_vector)
    at = 0
    for n, body in enumerate(bodies):
        bodies[n] = stance.with_vectors(body, vectors[at : at + len(body.sentences)])
        at += len(body.sentences)
    idf = _store_idf(store, [prepared_claim, *bodies])
    rows = np.vstack([stance.pair_features(prepared_claim, b, idf) for b in bodies])
    model = stance.load_model()
    probabilities = model.predict_proba(rows)
    results = []
    for document, body, p in zip(documents, bodies, probabilities, strict=True):
        label = model.labels[int(np.argmax(p))]
        if label not in CHECK_STANCES:
            continue
        spans = tuple(document.span(*body.sentences[i]) for i in _best_sentences(prepared_claim, body))
        annotations = store.load_annotations(document.id)
        results.append(CheckResult(
            document=document.id,
            story=store.story_of(document.id),
            outlet=document.outlet_label,
            title=document.title,
            stance=CHECK_STANCES[label],
            score=round(float(np.max(p)), 4),
            spans=spans,
            words=tuple(document.slice(s) for s in spans),
            claim=_stored_claim(annotations.claims, spans[0]),
            probabilities=tuple(
                (CHECK_STANCES.get(name, name), round(float(value), 4))
                for name, value in zip(model.labels, p, strict=True)
            ),
        ))
    results.sort(key=lambda r: (-r.score, r.document))
    return results[: max(limit, 0)]
