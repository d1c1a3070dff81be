"""`rashomon check "CLAIM"`: which stored articles support a claim, refute it, or only report it.

The claim is never compared with the whole store:
1. blocking: the claim's key terms (as `stories.key_terms` weighs them, rarest in the store
   first) are looked up in the store's term index (`Store.stories_with_terms`); the stories that
   share the most of them are the candidates (`MAX_STORIES`);
2. the same event only: a story is kept when it holds the claim's names (the words it
   capitalises where no sentence starts: people, places, organisations) and years, and covers
   the claim's terms (idf-weighted) nearly as well as the best story does
   (`SAME_EVENT_SHARE`). A story of another event that shares the claim's generic words ("rehab",
   "earthquake", "killed") is not a candidate, however close its wording;
3. within those stories, documents are ranked by the cosine of the claim's embedding with their
   stored lede embedding plus the claim terms they hold, and the best `MAX_DOCUMENTS` are kept;
4. only those are read, split into sentences, embedded, and scored by the stance model
   (`rashomon.stance`), with idf over the candidates: whole documents in rank order while
   their sentences fit in `SENTENCE_BUDGET`, which bounds a check's time.

A document the model calls ``unrelated`` is left out. ``refutes`` is said only when one of the
document's sentences cannot be true together with the claim (`rashomon.opposition`: the claim
negated, called false or denied, or "none" against its count); a document the model reads as
disagreeing without such a sentence is said to report the claim. Results come best story first,
then by the model's confidence. Each result carries the document's best spans (the refuting
sentence when there is one, else the sentences closest to the claim), read back through
`Document.slice`, and the id of the stored claim those words belong to when there is one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from rashomon import embed, opposition, stance, stories
from rashomon.ingest.text import valid_text
from rashomon.model import Claim, Document, Span
from rashomon.terms import TERM_TOKEN

if TYPE_CHECKING:
    from rashomon.settings import Settings
    from rashomon.store.base import Store

__all__ = ["CHECK_STANCES", "CheckResult", "SENTENCE_BUDGET", "check_claim", "within_budget"]

# What `check` reports, in the order a reader weighs them; FNC-1's ``agree`` / ``disagree`` are
# read as supports / refutes.
CHECK_STANCES: dict[str, str] = {"agree": "supports", "disagree": "refutes", "discuss": "reports"}

BLOCK_TERMS = 12
MAX_STORIES = 20
# A story is of the claim's event when its idf-weighted cover of the claim's terms is at least
# this share of the best story's (and it holds the claim's names and years). Set once, not
# tuned; `bench/check.py` measures it on ECB+ (odd topics 0.779 of top-five answers from the
# claim's story, even topics 0.917).
SAME_EVENT_SHARE = 0.8
MAX_DOCUMENTS = 40
# The sentences a check reads at most: candidates are taken whole, in rank order, while their
# sentences fit (the first always). Embedding them is most of a first check's time (~7.5 ms of
# CPU a sentence on one core; later checks find them stored), so this bounds the wait whatever
# the articles' length: forty long articles would be over a thousand sentences.
SENTENCE_BUDGET = 160
SPANS_PER_RESULT = 2
# Words (`terms.TERM_TOKEN`) and sentence ends read as `stories.key_terms` reads them, so that
# a claim's names are the terms the store indexes.
_SENTENCE_END = re.compile(r"[.!?\"”]\s*$|\n\s*$")
_YEAR = re.compile(r"(?:19|20)\d\d")
# A claim longer than this is not a claim but an article; the rest is ignored.
MAX_CLAIM_CHARS = stance.MAX_CLAIM_CHARS


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One stored document's stance on a claim, with the words it rests on.

    `stance` is ``supports``, ``refutes`` or ``reports``; ``refutes`` only when a sentence of the
    document cannot be true together with the claim (`rashomon.opposition`). `score` is the
    stance model's probability of its own most likely label. `spans` are the refuting sentence
    when there is one, then the document's sentences closest to the claim, and `words` their
    text (read with `Document.slice`). `claim` is the id of the stored claim holding the best span.
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


def _name_terms(claim: str, *, trust_title_case: bool = False) -> set[str]:
    """The claim's names and years as the store indexes them: words capitalised where no
    sentence starts, and four-digit years. A claim written in title case (a headline) has no
    telling capitals: only its years count then, unless `trust_title_case` (a looser reading,
    for a test that only asks whether an article shares any of them)."""
    words = list(TERM_TOKEN.finditer(claim))
    long_words = [m.group() for m in words if len(m.group()) > 3]
    title_case = not trust_title_case and bool(long_words) and sum(
        w[0].isupper() for w in long_words) > 0.6 * len(long_words)
    found = set()
    for match in words:
        word = match.group().replace("’", "'")
        lower = word.lower().removesuffix("'s")
        if _YEAR.fullmatch(lower):
            found.add(lower)
            continue
        if title_case or len(lower) < 3 or not word[0].isupper():
            continue
        before = claim[max(0, match.start() - 3) : match.start()]
        if match.start() > 0 and not _SENTENCE_END.search(before):
            found.add(lower)
    return found


def _same_event_stories(store: Store, terms: dict[str, float], idf: dict[str, float],
                        names: set[str], story_ids: list[str]) -> list[str]:
    """The candidate stories of the claim's event, best first (see the module docstring)."""
    members = {story_id: store.story_documents(story_id) for story_id in story_ids}
    # the claim's terms only, of every candidate story at once: a story's articles hold
    # thousands of terms, of which only these are asked about
    found = store.get_terms([d for doc_ids in members.values() for d in doc_ids], among=terms)
    covers: dict[str, float] = {}
    for story_id in story_ids:
        held: set[str] = set()
        for doc_id in members[story_id]:
            held.update(found.get(doc_id, {}))
        if names and not names <= held:
            continue  # a story without the claim's names or years is another event
        # summed in the claim's order, so that two stories holding the same terms tie exactly
        # (a set's order depends on how it was filled)
        covers[story_id] = sum(idf[t] for t in terms if t in held)
    if not covers:
        return []
    best = max(covers.values())
    kept = [s for s in story_ids if s in covers and covers[s] >= SAME_EVENT_SHARE * best]
    return sorted(kept, key=lambda s: (-covers[s], story_ids.index(s)))


def _candidate_documents(store: Store, claim: str, vector: np.ndarray) -> list[tuple[str, int]]:
    """The documents worth scoring, each with its story's rank: from the stories of the
    claim's event, found through the claim's rarest terms."""
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
    idf = {t: math.log((1 + total) / (1 + df.get(t, 0))) + 1.0 for t in terms if df.get(t)}
    names = {t for t in _name_terms(claim) if t in terms}
    if names - set(idf):
        return []  # a name or a year no stored article holds: nothing is of this event
    story_ids = _same_event_stories(store, terms, idf, names, story_ids)
    story_rank = {s: n for n, s in enumerate(story_ids)}
    doc_story = {d: s for s in story_ids for d in store.story_documents(s)}
    if not doc_story:
        return []
    doc_terms = store.get_terms(list(doc_story), among=terms)  # only the claim's are read
    # A story can still mix two look-alike events (two towns' mayors resigning); an article that
    # names none of the claim's names or years is of the other one, whatever its story.
    named = {t for t in _name_terms(claim, trust_title_case=True) if t in terms}
    doc_ids = [d for d in doc_story if not named or named & set(doc_terms.get(d, {}))]
    if not doc_ids:
        return []
    lede_vectors = store.get_embeddings(doc_ids, model=embed.MODEL_NAME)
    idf_sum = sum(idf.values()) or 1.0

    def rank(doc_id: str) -> float:
        held_terms = doc_terms.get(doc_id, {})
        overlap = sum(idf[t] for t in idf if t in held_terms) / idf_sum
        lede = lede_vectors.get(doc_id)
        similarity = float(lede @ vector) if lede is not None else 0.0
        return overlap + similarity

    ranked = sorted(doc_ids, key=lambda d: (-rank(d), d))[:MAX_DOCUMENTS]
    return [(d, story_rank[doc_story[d]]) for d in ranked]


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
    candidates = _candidate_documents(store, claim, claim_vector[0])
    if not candidates:
        return []
    story_rank = dict(candidates)
    documents = store.get_documents([d for d, _ in candidates])
    bodies = within_budget((stance.prepare_text(d.text) for d in documents), SENTENCE_BUDGET)
    documents = documents[: len(bodies)]
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
        refuting = _refuting_sentence(claim, body)
        best = _best_sentences(prepared_claim, body)
        if refuting is not None:
            stance_name = "refutes"
            best = [refuting, *(i for i in best if i != refuting)][:SPANS_PER_RESULT]
        elif label in CHECK_STANCES:
            # the model's "disagree" without a sentence that excludes the claim: it argues
            # with the claim's subject, which is reporting it, not refuting it
            stance_name = "reports" if label == "disagree" else CHECK_STANCES[label]
        else:
            continue
        spans = tuple(document.span(*body.sentences[i]) for i in best)
        annotations = store.load_annotations(document.id)
        results.append(CheckResult(
            document=document.id,
            story=store.story_of(document.id),
            outlet=document.outlet_label,
            title=document.title,
            stance=stance_name,
            score=round(float(np.max(p)), 4),
            spans=spans,
            words=tuple(document.slice(s) for s in spans),
            claim=_stored_claim(annotations.claims, spans[0]),
            probabilities=tuple(
                (CHECK_STANCES.get(name, name), round(float(value), 4))
                for name, value in zip(model.labels, p, strict=True)
            ),
        ))
    # the claim's event first (its best-covering story), then the model's confidence
    results.sort(key=lambda r: (story_rank[r.document], -r.score, r.document))
    return results[: max(limit, 0)]


def within_budget(bodies: Iterable[stance.PreparedText], budget: int) -> list[stance.PreparedText]:
    """The first bodies while their sentences fit in `budget` (the first always), each
    prepared only when the one before it fitted."""
    kept: list[stance.PreparedText] = []
    total = 0
    for body in bodies:
        total += len(body.sentences)
        if kept and total > budget:
            break
        kept.append(body)
    return kept


def _refuting_sentence(claim: str, body: stance.PreparedText) -> int | None:
    """The first of the body's sentences that cannot be true together with the claim."""
    return next((i for i in range(len(body.sentences))
                 if opposition.refutes(claim, body.sentence(i))), None)
