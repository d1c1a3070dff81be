"""How many independent outlets the brief names behind a statement, each by an outlet that
carries it.

The project's rule (`rashomon.align.sources.Sources`, behind `StoryView.independent_sources`)
counts near-duplicate copies, one outlet's articles, one credited source and documents that
reuse one wire text (`rashomon.align.reuse`) once. The brief also names the outlets it counts:
`independent_outlets` names each source by an outlet whose own document carries the words,
not by the original a copy reuses (which may not carry them).
"""

from __future__ import annotations

from collections.abc import Iterable

from rashomon.disjoint import DisjointSets
from rashomon.model import Attribution
from rashomon.story_view import StoryView

__all__ = ["independent_outlets"]



def independent_outlets(piece: StoryView,
                        items: Iterable[tuple[str, Attribution | None]]) -> list[str]:
    """The independent sources behind (document, attribution) items, one outlet label each in
    the order the items come: the project's rule (`StoryView.independent_sources`), each
    source named by an outlet whose own document carries the item."""
    items = list(items)
    sets = DisjointSets(len(items))
    # the project's rule joins items that share a key (a copy's original, an outlet, a
    # reused text, a credited source); two items are one source by it exactly when it counts
    # them as one. It is asked only of pairs that could share one: the same original, outlet
    # or reused text, or a credited source on either side
    hints = [_hints(piece, doc_id) for doc_id, _ in items]
    for a in range(len(items)):
        for b in range(a + 1, len(items)):
            if sets.find(a) == sets.find(b):
                continue
            if ((hints[a] & hints[b] or _credits(items[a]) or _credits(items[b]))
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
    the original document, its outlet or the document's own, or the text it reuses."""
    original = piece.original(doc_id)
    found = {f"document:{original}", f"outlet:{piece.outlet(doc_id)}",
             f"reused:{piece.sources.reused_group(doc_id)}"}
    if original in piece.by_id:
        found.add(f"outlet:{piece.outlet(original)}")
    return found


def _credits(item: tuple[str, Attribution | None]) -> bool:
    return item[1] is not None and bool(item[1].relay)
