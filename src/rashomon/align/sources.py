"""How many independent sources stand behind a statement that several documents carry.

One rule for the whole project (align's corroborations, the brief's "carried by N independent
outlets", its timeline and single-outlet sections, the framing's omissions):

- a near-duplicate copy is its original (`Analysis.near_duplicates`, copies of copies
  followed), so syndicated wire text counts once;
- documents that reuse one wire story's text (`rashomon.align.reuse`: long runs of the same
  words outside quotes) count once, though neither copies the other whole;
- one outlet counts once, however many of its articles carry the statement;
- statements relayed from one credited source ("a source cited by AFP", "told the Courier")
  count once, and a credited name that names an outlet of the story ("the Courier": "Veyra
  Courier") is that outlet: what another outlet relays from the Courier is the Courier's.

Statements are one source when they share any of these keys, directly or through others
(union-find): a copy that credits the outlet it copies is still one source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property

from rashomon.align.reuse import reused_text_groups
from rashomon.disjoint import DisjointSets
from rashomon.model import Analysis, Attribution, Document
from rashomon.terms import WORD, one_line

__all__ = ["SourceItem", "Sources"]

# (document id, the attribution the statement is reported under, if any)
SourceItem = tuple[str, Attribution | None]


def _fold(text: str) -> str:
    return one_line(text).lower()


class Sources:
    """The independent sources of one story's documents."""

    def __init__(self, documents: Mapping[str, Document], copies: Mapping[str, str]) -> None:
        """`documents`: the story's, in story order; `copies`: copy -> the document it copies."""
        self._documents = documents
        self._copies = copies
        self._outlets = {
            outlet: set(WORD.findall(outlet.lower()))
            for outlet in sorted({d.outlet_label for d in documents.values()})
        }

    @classmethod
    def of(cls, analysis: Analysis) -> Sources:
        """The sources of one story's `Analysis` (as align is handed it)."""
        return cls({d.id: d for d in analysis.documents}, dict(analysis.near_duplicates))

    def original(self, doc_id: str) -> str:
        """The document a near-duplicate copies (following chains), else itself. The original
        may lie outside the story (an earlier article of the store)."""
        # imported here: `dedup` loads numpy, which a process that only renders stored stories
        # (the pages, `rashomon report`, through `story_view`) has no other use for
        from rashomon.dedup import original_of

        return original_of(self._copies, doc_id)

    @cached_property
    def _reused(self) -> dict[str, int]:
        # on first use: reports that show no count never read the documents' words
        return reused_text_groups(self._documents)

    def reused_group(self, doc_id: str) -> str:
        """A name shared by the story's documents that reuse one text (a document of no group,
        or outside the story, has a name of its own)."""
        group = self._reused.get(doc_id)
        return f"group:{group}" if group is not None else f"document:{doc_id}"

    def _credited(self, name: str) -> str:
        """The key of a credited source: the story's outlet it names, else the name."""
        words = set(WORD.findall(name.lower()))
        for outlet, outlet_words in self._outlets.items():
            if words and words <= outlet_words:
                return "outlet:" + _fold(outlet)
        return "credited:" + _fold(name)

    def _keys(self, doc_id: str, attribution: Attribution | None) -> list[str]:
        original = self.original(doc_id)
        # a copy is its original; documents that reuse one text are one source
        keys = [f"document:{original}", "reused:" + self.reused_group(doc_id)]
        if original in self._documents:
            keys.append("outlet:" + _fold(self._documents[original].outlet_label))
        if attribution is not None and attribution.relay:
            keys.append(self._credited(attribution.relay[0]))
        return keys

    def independent(self, items: Iterable[SourceItem]) -> list[str]:
        """The independent sources behind (document, attribution) items, one label each (the
        outlet of the first item of each source), in the order the items come."""
        items = list(items)
        sets = DisjointSets(len(items))
        owner: dict[str, int] = {}
        for n, (doc_id, attribution) in enumerate(items):
            for key in self._keys(doc_id, attribution):
                if key in owner:
                    sets.union(n, owner[key])
                else:
                    owner[key] = n
        labels: dict[int, str] = {}
        for n, (doc_id, _) in enumerate(items):
            original = self.original(doc_id)
            shown = original if original in self._documents else doc_id
            labels.setdefault(sets.find(n), self._documents[shown].outlet_label)
        return list(labels.values())

    def count(self, items: Iterable[SourceItem]) -> int:
        """How many independent sources stand behind (document, attribution) items."""
        return len(self.independent(items))
