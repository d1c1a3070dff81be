"""Which documents of a story reuse one wire story's text, so that the brief counts them once.

Dedup marks a document that copies another whole (`Analysis.near_duplicates`); an outlet that
runs a wire story under its own headline, with its own first paragraph and a few sentences
added, is not a near-duplicate, yet what it shares with the wire copy is not independent
confirmation. Two documents are taken to reuse one text when they share runs of the outlets'
own words (outside quote marks) long enough that two reporters would not write them apart: a
speaker's quote is the same in every outlet that heard it, so quoted words prove nothing, but
"the tremor struck an area around the town on the island, at the entrance to the gulf" in two
articles was written once.

`independent_outlets` counts the sources behind statements as the project's rule does
(`StoryView.independent_sources`: copies, one outlet, one credited source) and then joins the
documents that reuse one text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from rashomon import terms
from rashomon.disjoint import DisjointSets
from rashomon.model import Attribution
from rashomon.story_view import StoryView

__all__ = ["independent_outlets", "reused_text_groups"]

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


def reused_text_groups(piece: StoryView) -> dict[str, int]:
    """Each document of the story -> a group number; documents that reuse one text (directly
    or through others) share a number."""
    doc_ids = list(piece.by_id)
    holders: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for n, doc_id in enumerate(doc_ids):
        for shingle in _shingles(piece.by_id[doc_id].text):
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


def independent_outlets(piece: StoryView, groups: dict[str, int],
                        items: Iterable[tuple[str, Attribution | None]]) -> list[str]:
    """The independent sources behind (document, attribution) items, one outlet label each in
    the order the items come: the project's rule (`StoryView.independent_sources`), with the
    documents that reuse one text (`groups`) counted once, each named by an outlet whose own
    document carries the item."""
    items = list(items)
    sets = DisjointSets(len(items))
    # the project's rule joins items that share a key (a copy's original, an outlet, a
    # credited source); two items are one source by it exactly when it counts them as one.
    # It is asked only of pairs that could share one: the same original or outlet, or a
    # credited source on either side
    hints = [_hints(piece, doc_id) for doc_id, _ in items]
    for a in range(len(items)):
        for b in range(a + 1, len(items)):
            if sets.find(a) == sets.find(b):
                continue
            if groups.get(items[a][0], -1 - a) == groups.get(items[b][0], -2 - b) or (
                    (hints[a] & hints[b] or _credits(items[a]) or _credits(items[b]))
                    and len(piece.independent_sources((items[a], items[b]))) == 1):
                sets.union(a, b)
    # each source named by an outlet that carries the words: the first item's own outlet,
    # not the original its document copies (which may not carry them)
    labels: dict[int, str] = {}
    for n, (doc_id, _) in enumerate(items):
        labels.setdefault(sets.find(n), piece.outlet(doc_id))
    return list(labels.values())


def _hints(piece: StoryView, doc_id: str) -> set[str]:
    """What two items of one source by the project's rule (without a credited source) share:
    the original document, or its outlet or the document's own."""
    original = piece.original(doc_id)
    found = {f"document:{original}", f"outlet:{piece.outlet(doc_id)}"}
    if original in piece.by_id:
        found.add(f"outlet:{piece.outlet(original)}")
    return found


def _credits(item: tuple[str, Attribution | None]) -> bool:
    return item[1] is not None and bool(item[1].relay)
