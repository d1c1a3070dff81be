"""All cross-source relations of one story: quotes first, then claims, denials, negations."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from rashomon.align.contradictions import (
    claim_contradictions,
    contradiction_relations,
    could_contradict,
    negation_texts,
    negation_words,
)
from rashomon.align.corroboration import claim_corroborations, could_corroborate
from rashomon.align.denials import denial_relations
from rashomon.align.index import ClaimIndex, ClaimUnit, PairTest, Rarity, indexed_units
from rashomon.align.quotes import compared_segments, quote_relations
from rashomon.align.sources import Sources
from rashomon.model import Analysis, Relation

__all__ = ["align_story", "could_pair", "texts_to_embed", "words_to_embed"]


def align_story(
    analysis: Analysis,
    embed: Callable[[Sequence[str]], np.ndarray],
    *,
    threshold: float,
) -> list[Relation]:
    """Every cross-source relation between the documents of one story (`analysis`)."""
    quoted, paired = quote_relations(analysis, embed, threshold=threshold,
                                     sources=Sources.of(analysis))
    index = ClaimIndex.build(analysis, embed, could_pair=could_pair)
    relations: dict[str, Relation] = {}
    # the first relation found under an id stands: a quote pair's before a claim group's
    for relation in [*quoted,
                     *claim_corroborations(analysis, embed, paired=paired, index=index),
                     *denial_relations(analysis, embed), *contradiction_relations(analysis, embed),
                     *claim_contradictions(analysis, embed, index=index)]:
        relations.setdefault(relation.id, relation)
    return sorted(relations.values(), key=lambda r: (r.kind, r.id))


def could_pair(units: Sequence[ClaimUnit], rarity: Rarity) -> PairTest:
    """Whether one of the two relations read off the claim index, corroboration and
    claim-level contradiction, could find two clauses together: the index embeds only clauses
    that could (`ClaimIndex.build`)."""
    corroborate, contradict = could_corroborate(units, rarity), could_contradict(units, rarity)
    return lambda i, j: corroborate(i, j) or contradict(i, j)


def texts_to_embed(analysis: Analysis) -> list[str]:
    """What `align_story` embeds whatever the vectors say, found without running it: the
    quote segments, the index's clauses and the negated clauses' pairs, each text once. The
    single words it compares depend on which clauses the vectors bring close; they are
    embedded when asked."""
    return list(dict.fromkeys([
        *(s.text for s in compared_segments(analysis)),
        *(u.text for u in indexed_units(analysis, could_pair)),
        *negation_texts(analysis),
    ]))


def words_to_embed(analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray]) -> list[str]:
    """The single words `align_story` compares, found once the clauses' vectors are known
    (`embed` gives them; best from a store that has them): those of the negated clauses' pairs
    that their vectors bring close. A word compared only on a further condition ("when he
    *slipped*") is embedded when asked."""
    return negation_words(analysis, embed)
