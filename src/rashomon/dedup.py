"""Near-duplicate documents: syndicated copies and light rewrites, found with MinHash and LSH.

A document's text becomes a set of word shingles (``SHINGLE_WORDS`` consecutive lower-cased
words, hashed with CRC-32 so they are stable across processes); its MinHash signature is the
minimum of ``NUM_PERM`` universal hashes over that set (numpy, no extra dependency). The
signature is cut into ``BANDS`` bands of ``ROWS`` rows: two documents that agree on a whole band
are candidates (the store keeps the band hashes, so a later run finds copies of earlier
documents). A candidate is confirmed on the exact shingle sets: Jaccard at least
``JACCARD_THRESHOLD``, or one text at least ``CONTAINMENT_THRESHOLD`` contained in the other (a
wire story cut short or with a paragraph added).

With 64 bands of 2 rows, a pair of Jaccard 0.3 becomes a candidate with probability 0.997 and
one of Jaccard 0.05 (two articles on the same event) with 0.15, so the exact check, not the
banding, decides, and unrelated articles (Jaccard near 0) almost never meet. The thresholds are
set on principle, not fitted to the benchmark: a light rewrite of a short wire story (new
headline, a sentence dropped or added, sentences reordered) keeps 40% or more of its
3-shingles, while two outlets' own articles on one event share well under 20%.

A near-duplicate is marked as a copy of the group's original (the document its likeliest stored
match copies, or that match itself), so that corroboration counts one outlet per group.
"""

from __future__ import annotations

import weakref
import zlib
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from rashomon.model import Document
from rashomon.terms import WORD_CHARS

if TYPE_CHECKING:
    from rashomon.store import Store

__all__ = [
    "BANDS",
    "CONTAINMENT_THRESHOLD",
    "JACCARD_THRESHOLD",
    "NUM_PERM",
    "ROWS",
    "band_hashes",
    "find_near_duplicates",
    "mark_near_duplicates",
    "minhash",
    "original_of",
    "shingles",
    "similarity",
]

SHINGLE_WORDS = 3
NUM_PERM = 128
BANDS = 64
ROWS = NUM_PERM // BANDS
JACCARD_THRESHOLD = 0.4
CONTAINMENT_THRESHOLD = 0.7
# containment alone would take a short brief for a copy of any long text that quotes it
CONTAINMENT_MIN_JACCARD = 0.25
# Documents marked in one transaction: a commit per document made the commits (the write-ahead
# log rewriting the same index pages again and again) cost more than the marking itself. A run
# stopped mid-way loses at most these marks, which the next run makes again (a document whose
# bands are not stored is looked at anew).
DOCUMENTS_PER_COMMIT = 100
# Candidates checked exactly, those sharing the most bands first (the likeliest copies): bounds
# the work for an article whose sentences many others reuse.
MAX_VERIFIED = 8

_MASK = np.uint64(0xFFFFFFFF)
# Fixed seed: signatures stored by one run must compare with those of the next.
_RNG = np.random.default_rng(20240606)
_A = _RNG.integers(1, 2**32, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**32, size=NUM_PERM, dtype=np.uint64)


def _text(document: Document | str) -> str:
    if isinstance(document, str):
        return document
    return f"{document.title}\n{document.text}" if document.title else document.text


def shingles(document: Document | str) -> np.ndarray:
    """The sorted, unique CRC-32 hashes of a text's word shingles (uint64)."""
    words = [w.lower() for w in WORD_CHARS.findall(_text(document))]
    if len(words) < SHINGLE_WORDS:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + SHINGLE_WORDS])
                 for i in range(len(words) - SHINGLE_WORDS + 1)]
    return np.unique(np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64,
                                 count=len(grams)))


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature (NUM_PERM uint32 values) of a set of shingle hashes."""
    if len(hashes) == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    # (a*x + b) mod 2^32: a and x below 2^32, so the product fits in uint64 before masking
    values: np.ndarray = (_A[:, None] * hashes[None, :] + _B[:, None]) & _MASK
    return np.asarray(values.min(axis=1), dtype=np.uint32)


def band_hashes(signature: np.ndarray) -> list[int]:
    """One CRC-32 per band of ROWS signature values."""
    rows = signature.reshape(BANDS, ROWS)
    return [zlib.crc32(row.tobytes()) for row in rows]


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger) of two shingle-hash sets."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared), shared / min(len(a), len(b))


def _is_duplicate(a: np.ndarray, b: np.ndarray) -> float | None:
    jaccard, containment = similarity(a, b)
    if jaccard >= JACCARD_THRESHOLD or (
        containment >= CONTAINMENT_THRESHOLD and jaccard >= CONTAINMENT_MIN_JACCARD
    ):
        return max(jaccard, containment)
    return None


def original_of(copies: Mapping[str, str], doc_id: str) -> str:
    """The document a near-duplicate copies (`copies`: copy -> what it copies), following a
    copy of a copy to the original; a document that copies nothing is its own original."""
    seen = {doc_id}
    while doc_id in copies and copies[doc_id] not in seen:
        doc_id = copies[doc_id]
        seen.add(doc_id)
    return doc_id


def find_near_duplicates(texts: Sequence[str]) -> dict[int, tuple[int, float]]:
    """In-memory: index -> (index of the earliest text it copies, similarity).

    For benchmarks and batch use without a store; same banding and checks as the stored path.
    """
    sets = [shingles(t) for t in texts]
    buckets: dict[tuple[int, int], list[int]] = {}
    found: dict[int, tuple[int, float]] = {}
    for index, hashes in enumerate(sets):
        keys = [(band, value) for band, value in enumerate(band_hashes(minhash(hashes)))]
        candidates = sorted({other for key in keys for other in buckets.get(key, [])})
        for other in candidates:
            score = _is_duplicate(hashes, sets[other])
            if score is not None:
                found[index] = (found.get(other, (other, 0.0))[0], score)
                break
        for key in keys:
            buckets.setdefault(key, []).append(index)
    return found


# Shingle sets of recently seen documents, per open store: a candidate is most often a
# document of the same or a recent batch, and re-reading and re-shingling it would cost more
# than the check itself. A document's id names its text, so a cached set never goes stale. Kept
# as uint32 (CRC-32 values: the same set in half the memory, 4 bytes a shingle: 2.4 KB for a
# 600-word article, 0.7 KB for `bench/scale.py`'s). The cap bounds the memory: 70-240 MB at
# those sizes (the former 20,000 uint64 sets of 600-word articles: 96 MB). With 20,000, a
# 100,000-document store re-read and re-shingled most of the candidates older than the last
# 20,000 documents: a cost per document that grew with the store.
SHINGLE_CACHE = 100_000
_SHINGLES: weakref.WeakKeyDictionary[Any, OrderedDict[str, np.ndarray]] = (
    weakref.WeakKeyDictionary()
)


def _cached(cache: OrderedDict[str, np.ndarray], doc_id: str, hashes: np.ndarray) -> None:
    cache[doc_id] = hashes.astype(np.uint32, copy=False)
    cache.move_to_end(doc_id)
    if len(cache) > SHINGLE_CACHE:
        cache.popitem(last=False)


def _stored_shingles(store: Store, cache: OrderedDict[str, np.ndarray], doc_id: str) -> np.ndarray:
    hashes = cache.get(doc_id)
    if hashes is None:
        hashes = shingles(store.get_document(doc_id))
    _cached(cache, doc_id, hashes)
    return hashes


def mark_near_duplicates(store: Store, documents: Sequence[Document]) -> dict[str, tuple[str, float]]:
    """Find each new document's stored near-duplicate, mark it, index the document.

    Returns doc id -> (the document it copies, similarity) for the documents marked now. A copy
    of a copy points at the original. Running it twice on a document changes nothing.
    """
    marked: dict[str, tuple[str, float]] = {}
    cache = _SHINGLES.setdefault(store, OrderedDict())
    for start in range(0, len(documents), DOCUMENTS_PER_COMMIT):
        with store.transaction():
            for document in documents[start : start + DOCUMENTS_PER_COMMIT]:
                _mark_one(store, cache, document, marked)
    return marked


def _mark_one(store: Store, cache: OrderedDict[str, np.ndarray], document: Document,
              marked: dict[str, tuple[str, float]]) -> None:
    """Look up, check and mark one document's near-duplicate; store its bands (inside the
    caller's transaction)."""
    hashes = shingles(document)
    bands = band_hashes(minhash(hashes))
    # a document whose bands are stored was looked at before: its answer stands
    if store.shares_bands(document.id, bands):
        store.put_minhash_bands(document.id, bands)
        return
    for other in store.band_matches(bands, limit=MAX_VERIFIED):
        score = _is_duplicate(hashes, _stored_shingles(store, cache, other))
        if score is None:
            continue
        original = store.near_duplicates([other]).get(other, (other, 0.0))[0]
        store.mark_near_duplicate(document.id, original, score)
        marked[document.id] = (original, score)
        break
    store.put_minhash_bands(document.id, bands)
    _cached(cache, document.id, hashes)  # as just stored
