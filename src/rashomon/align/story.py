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
from rashomon.align.quotes import PairMatters, quote_relations, quote_texts
from rashomon.align.sources import Sources
from rashomon.model import Analysis, Relation

__all__ = ["align_story", "could_pair", "pairing_matters", "texts_to_embed", "texts_to_embed_after"]


def align_story(
    analysis: Analysis,
    embed: Callable[[Sequence[str]], np.ndarray],
    *,
    threshold: float,
) -> list[Relation]:
    """Every cross-source relation between the documents of one story (`analysis`)."""
    quoted, paired = quote_relations(analysis, embed, threshold=threshold,
                                     sources=Sources.of(analysis),
                                     pair_matters=pairing_matters(analysis))
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


def pairing_matters(analysis: Analysis) -> PairMatters:
    """Whether it matters to the claim matching that two attributions quote one utterance:
    `claim_corroborations` passes over the clause pairs of two such attributions' claims, so
    it matters only when two of their clauses could corroborate each other
    (`could_corroborate`, with the story's rarity as the index has it)."""
    units = indexed_units(analysis)
    test = could_corroborate(units, Rarity.of_units(units))
    rows: dict[str, list[int]] = {}
    stems: dict[str, set[str]] = {}
    for row, unit in enumerate(units):
        if unit.claim.attribution:
            rows.setdefault(unit.claim.attribution, []).append(row)
            stems.setdefault(unit.claim.attribution, set()).update(unit.stems)

    def matters(a: str, b: str) -> bool:
        # clauses that share no stem never corroborate: most pairs are told so at once
        if a not in stems or b not in stems or stems[a].isdisjoint(stems[b]):
            return False
        return any(test(min(i, j), max(i, j)) for i in rows[a] for j in rows[b])

    return matters


def texts_to_embed(analysis: Analysis) -> list[str]:
    """What `align_story` embeds whatever the vectors say, found without running it: the
    quote segments it compares, the index's clauses and the single words the negations are
    compared by first, each text once. What those words' vectors decide is found next
    (`texts_to_embed_after`); the words compared only on a further condition are embedded
    when asked."""
    return list(dict.fromkeys([
        *quote_texts(analysis, pairing_matters(analysis)),
        *(u.text for u in indexed_units(analysis, could_pair)),
        *negation_words(analysis),
    ]))


def texts_to_embed_after(
    analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray]
) -> list[str]:
    """What `align_story` embeds that the vectors of `texts_to_embed` decide (`embed` gives
    them; best from a store that has them): the clauses of the negation pairs whose words
    echo."""
    return negation_texts(analysis, embed)
