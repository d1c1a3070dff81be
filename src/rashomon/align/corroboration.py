"""The same proposition stated in several documents of a story: one corroboration per group.

Two clauses state the same proposition when `agreement.proposition_score` reaches
`_CORROBORATION`; clauses join a group only when every pair across the two sides does too
(`_MERGE`), and a group holds one clause per document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from rashomon.align.agreement import proposition_score
from rashomon.align.common import relation_id
from rashomon.align.index import ClaimIndex, ClaimUnit, PairTest, Rarity
from rashomon.align.sources import Sources
from rashomon.model import Analysis, Document, Relation

__all__ = ["claim_corroborations", "could_corroborate"]

_CORROBORATION = 0.55
# Every two clauses of a group must corroborate each other, as strictly as the pair that
# started it: a group is one proposition, and a clause that is only near one member ("the team
# worked to recover the body" beside three "the body was recovered on Sunday") says another
# thing. At 0.45 such clauses joined. On ECB+ odd topics (where this was chosen), with this
# round's figure and counterfactual rules, judged precision went 0.810 -> 0.838 (0.5: 0.833,
# 0.6: 0.835); even topics, checked: 0.842 -> 0.859; no group judged right on the first round
# lost (groups a member left need judging again).
_MERGE = _CORROBORATION
# A group is reported when its pairs score this much on average. Pairs score 0.55-0.62 on the
# same topic as often as on the same proposition: on ECB+ odd topics (where this was chosen)
# the judged groups below it were two thirds wrong or debatable, and no group judged right
# on the first round fell below it (precision 0.66 -> 0.79; even topics, checked: 0.69 ->
# 0.77, no right group lost). Such pairs still bind a clause into a stronger group.
# 0.63 was tried (odd topics 0.802 -> 0.813; even, checked: 0.817 -> 0.823), but on a fresh
# ingest with this round's attribution rules it drops one more group judged right on the first
# round and the recall guard falls to 0.79, under its 0.8: kept at 0.62.
_REPORTED = 0.62
# The highest cosine two unit vectors have, and float32 rounding's worth above it.
_HIGHEST_COSINE = 1.0 + 1e-5


def claim_corroborations(
    analysis: Analysis,
    embed: Callable[[Sequence[str]], np.ndarray],
    *,
    paired: frozenset[frozenset[str]] = frozenset(),
    index: ClaimIndex | None = None,
) -> list[Relation]:
    """The same proposition stated in several documents of a story, one relation per group.

    Members are claim ids, evidence the clause of each claim that states it, and `independent`
    the number of independent outlets: syndicated copies (`Analysis.near_duplicates`) count
    once, and so do outlets that credit the same agency. `paired` holds attribution pairs the
    quote alignment already relates (a quote variant is not reported twice).
    """
    docs = {d.id: d for d in analysis.documents}
    index = index or ClaimIndex.build(analysis, embed)
    units, vectors, rarity = index.units, index.vectors, index.rarity
    scores: dict[tuple[int, int], float] = {}
    for (i, j), cosine in index.neighbours.items():
        a, b = units[i], units[j]
        if a.claim.attribution and b.claim.attribution and frozenset(
                (a.claim.attribution, b.claim.attribution)) in paired:
            continue
        if _fragment(a) or _fragment(b):
            continue
        score = proposition_score(a, b, cosine, rarity)
        if score is not None and score >= _CORROBORATION:
            scores[(i, j)] = score

    def close(i: int, j: int) -> bool:
        if (min(i, j), max(i, j)) in scores:
            return True
        score = proposition_score(units[i], units[j], float(vectors[i] @ vectors[j]), rarity)
        return score is not None and score >= _MERGE

    def free(k: int) -> bool:
        """A clause overlapping one of the same claim already grouped says the same again."""
        return not any(units[m].claim.id == units[k].claim.id
                       and units[m].span.overlaps(units[k].span) for m in group_of)

    groups: list[list[int]] = []
    group_of: dict[int, int] = {}
    for (i, j), _ in sorted(scores.items(), key=lambda item: (-item[1], item[0])):
        gi, gj = group_of.get(i), group_of.get(j)
        if gi is not None and gi == gj:
            continue
        if (gi is None and not free(i)) or (gj is None and not free(j)):
            continue
        left = groups[gi] if gi is not None else [i]
        right = groups[gj] if gj is not None else [j]
        if {units[k].claim.doc for k in left} & {units[k].claim.doc for k in right}:
            continue  # one clause per document in a group
        if not all(close(x, y) for x in left for y in right):
            continue
        merged = left + right
        target = gi if gi is not None else gj
        if target is None:
            groups.append(merged)
            target = len(groups) - 1
        else:
            groups[target] = merged
        other = gj if target == gi else gi
        if other is not None and other != target:
            groups[other] = []
        for k in merged:
            group_of[k] = target
    sources = Sources.of(analysis)
    attributions = {a.id: a for a in analysis.attributions}
    relations = []
    for group in groups:
        if len(group) < 2:
            continue
        members = sorted((units[k] for k in group), key=lambda u: (u.claim.doc, u.span.start))
        pair_scores = [scores.get((min(x, y), max(x, y)), _MERGE) for x in group for y in group
                       if x < y]
        if sum(pair_scores) / len(pair_scores) < _REPORTED:
            continue
        independent = sources.count(
            (u.claim.doc, attributions.get(u.claim.attribution or "")) for u in members)
        ids = tuple(u.claim.id for u in members)
        relations.append(Relation(
            relation_id("corroboration", ids), "corroboration", ids,
            tuple(u.span for u in members), round(min(1.0, sum(pair_scores) / len(pair_scores)), 4),
            _corroboration_text(members, docs, independent),
            independent=independent,
        ))
    return relations


def could_corroborate(units: Sequence[ClaimUnit], rarity: Rarity) -> PairTest:
    """Whether two clauses (rows of `units`) could be found to corroborate each other, whatever
    their vectors: neither is a fragment, and they score enough with the highest cosine there
    is (the score grows with the cosine; structure and shared words decide the rest). A
    `Pairable` for the claim index."""
    fragment = [_fragment(unit) for unit in units]

    def test(i: int, j: int) -> bool:
        if fragment[i] or fragment[j]:
            return False
        score = proposition_score(units[i], units[j], _HIGHEST_COSINE, rarity)
        return score is not None and score >= _CORROBORATION

    return test


# A clause that opens with one of these is a phrase hung on another clause ("including the
# Watergate break-in", "to reopen by Friday"), which states nothing by itself.
_FRAGMENT_OPENERS = frozenset({"including", "with", "without", "among", "like", "to", "of",
                               "such"})


def _fragment(unit: ClaimUnit) -> bool:
    words = unit.text.split(maxsplit=1)
    return bool(words) and words[0] in _FRAGMENT_OPENERS


def _corroboration_text(
    members: Sequence[ClaimUnit], docs: dict[str, Document], independent: int
) -> str:
    outlets = list(dict.fromkeys(docs[u.claim.doc].outlet_label for u in members))
    said = "; ".join(f"{docs[u.claim.doc].outlet_label}: “{u.text}”" for u in members)
    hedged = [docs[u.claim.doc].slice(h) for u in members for h in u.claim.hedges
              if u.span.contains(h)]
    caveat = f" (hedged: {', '.join(dict.fromkeys(hedged))})" if hedged else ""
    return (f"{len(outlets)} outlet{'s' if len(outlets) > 1 else ''} ({independent} independent) "
            f"report the same thing{caveat}: {said}.")
