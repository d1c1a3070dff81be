"""Cross-source relations between what the documents of one story report.

One module per concern; `align_story` (story.py) runs them all on one story:

- quotes.py: quotes of one utterance in several outlets, cut into clauses and embedded; the
  same speaker in other words is a `quote_variant` (with a word diff), in the same words a
  `corroboration`; the same words from different speakers an `attribution_divergence`; the
  same utterance through different media a `medium_divergence`;
- index.py: every claim and its clauses embedded once, each clause with its nearest clauses of
  the other documents (`ClaimIndex`), and the rarity of stems within the story;
- agreement.py: whether two clauses state the same proposition (embedding cosine, rare shared
  stems, polarity, numbers and dates);
- corroboration.py: the same proposition in several documents, one `corroboration` per group;
- contradictions.py: conflicting numbers or dates, opposed predicates, and negations of
  another speaker's clause (`contradiction`);
- denials.py: a denial linked to the statement it is about (`denial`);
- sources.py: how many independent sources stand behind a statement (syndicated copies,
  documents reusing one wire text and outlets crediting the same agency count once);
- reuse.py: which documents of a story reuse one wire story's text;
- common.py: relation ids, speaker keys, content words and single-word echoes.

Work is blocked by story, so the cost grows with story size, never with the whole corpus; within
a large story the clause index is bucketed (random hyperplanes) rather than scanned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rashomon.lazy import lazy_exports

if TYPE_CHECKING:
    from rashomon.align.contradictions import claim_contradictions, contradiction_relations
    from rashomon.align.corroboration import claim_corroborations
    from rashomon.align.denials import denial_links, denial_relations
    from rashomon.align.index import ClaimIndex
    from rashomon.align.quotes import Segment, quote_segments, word_diff
    from rashomon.align.story import align_story, texts_to_embed, texts_to_embed_after

__all__ = [
    "ClaimIndex", "Segment", "align_story", "claim_contradictions", "claim_corroborations",
    "contradiction_relations", "denial_links", "denial_relations", "quote_segments", "texts_to_embed",
    "texts_to_embed_after", "word_diff",
]

# Each name above, by the module that defines it, imported when first asked for (PEP 562): the
# reports read one light module of this package (sources.py, through `rashomon.story_view`),
# and loading the rest with it cost a report process over half a second.
_HOMES = {
    "ClaimIndex": "index", "Segment": "quotes", "align_story": "story",
    "claim_contradictions": "contradictions", "claim_corroborations": "corroboration",
    "contradiction_relations": "contradictions", "denial_links": "denials",
    "denial_relations": "denials", "quote_segments": "quotes", "texts_to_embed": "story",
    "texts_to_embed_after": "story", "word_diff": "quotes",
}


__getattr__ = lazy_exports(__name__, _HOMES)
