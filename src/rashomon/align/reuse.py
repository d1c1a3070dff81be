"""Which documents of a story reuse one wire story's text: one source, whatever their outlets.

Dedup marks a document that copies another whole (`Analysis.near_duplicates`); an outlet that
runs a wire story under its own headline, with its own first paragraph and a few sentences
added, is not a near-duplicate, yet what it shares with the wire copy is not independent
confirmation. Two documents are taken to reuse one text when they share runs of the outlets'
own words (outside quote marks) long enough that two reporters would not write them apart: a
speaker's quote is the same in every outlet that heard it, so quoted words prove nothing, but
"the tremor struck an area around the town on the island, at the entrance to the gulf" in two
articles was written once. `Sources` counts such documents once (align's corroborations and
quote variants, the brief and the framing alike).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

from rashomon import terms
from rashomon.disjoint import DisjointSets
from rashomon.model import Document

__all__ = ["reused_text_groups"]

# A run of this many words, the same in two documents, is a shingle. Two documents reuse one
# text when they share at least `_MIN_SHARED_SHINGLES` shingles: one run of 17 identical words
# or two of 12. Chosen on odd topics of ECB+ (bench/relations.py): a shared stock phrase ("the
# world's fourth-largest oil producer") makes a few shingles, a reused sentence a dozen.
_SHINGLE_WORDS = 8
_MIN_SHARED_SHINGLES = 10
# A shingle in more documents than this is boilerplate of the story's coverage, not a copy.
_MAX_SHINGLE_DOCS = 50
# Quoted words: what a speaker said is the same in every outlet that heard it.
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^“”]*”")


def _shingles(text: str) -> set[tuple[str, ...]]:
    """The runs of `_SHINGLE_WORDS` words of a text's own words (quotes blanked out); a run
    never crosses a quote, since a blank breaks it into two texts."""
    found: set[tuple[str, ...]] = set()
    for part in _QUOTED.split(text):
        words = [terms.normal(w) for w in terms.words(part)]
        found.update(tuple(words[n : n + _SHINGLE_WORDS])
                     for n in range(len(words) - _SHINGLE_WORDS + 1))
    return found


def reused_text_groups(documents: Mapping[str, Document]) -> dict[str, int]:
    """Each document of a story (id -> document, in story order) -> a group number; documents
    that reuse one text (directly or through others) share a number."""
    doc_ids = list(documents)
    holders: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for n, doc_id in enumerate(doc_ids):
        for shingle in _shingles(documents[doc_id].text):
            holders[shingle].append(n)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for docs in holders.values():
        if 1 < len(docs) <= _MAX_SHINGLE_DOCS:
            for at, a in enumerate(docs):
                for b in docs[at + 1 :]:
                    shared[a, b] += 1
    sets = DisjointSets(len(doc_ids))
    for (a, b), k in shared.items():
        if k >= _MIN_SHARED_SHINGLES:
            sets.union(a, b)
    return {doc_id: sets.find(n) for n, doc_id in enumerate(doc_ids)}
