"""What several documents of a story carry: claims grouped into facts, by the relations that
say two outlets carry one utterance and by sentences sharing their content words."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rashomon import terms
from rashomon.brief.words import ordered_stems, sentence_ends, stem_set, trimmed
from rashomon.disjoint import DisjointSets
from rashomon.model import Claim, Span
from rashomon.story_view import StoryView, attribution_of, claim_of, evidence_for

__all__ = ["Fact", "carried_facts"]

# Relations that say two outlets carry the same utterance (in the same or other words).
_CARRYING_KINDS = frozenset({
    "corroboration", "quote_variant", "medium_divergence", "attribution_divergence",
})
# Two sentences of claims of different documents carry the same fact when they share at least
# this many content-word stems (all of them, for a sentence of two or three) and these make up
# at least this part of the shorter one's. Lexical and strict on purpose: a false "carried by two
# outlets" overstates support, a missed one only leaves a fact in the single-outlet section.
_MIN_SHARED_STEMS = 4
_MIN_SHARED_PART = 0.6
_MAX_POSTINGS = 200  # sentences a word may be in and still propose pairs to compare
_NEGATION = re.compile(
    r"\b(?:no|not|never|none|nobody|nothing|neither|nor|cannot)\b|n[’']t\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Fact:
    """What several documents carry: the claims, the words of each that match (`spans`, one
    per claim, in the same order), and the independent sources carrying it."""

    claims: tuple[Claim, ...]
    spans: tuple[Span, ...]
    sources: tuple[str, ...]  # independent source labels, in story order
    relations: tuple[str, ...]  # ids of the relations that tied claims together

    @property
    def independent(self) -> int:
        """How many independent outlets carry it. Counted over the whole group, which may join
        several relations and sentence matches, so a single relation's `independent` (which
        covers its own members only) is not used."""
        return len(self.sources)


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence of a claim (or a relation's evidence inside it), the unit facts match on."""

    claim: Claim
    span: Span



def _units(piece: StoryView, claim: Claim) -> list[_Unit]:
    """A claim cut into its sentences: a quote of three sentences may share only one."""
    document = piece.by_id[claim.doc]
    text = document.slice(claim.span)
    units, start = [], 0
    for end in [*sentence_ends(text), len(text)]:
        piece_span = trimmed(document, Span(claim.doc, claim.span.start + start,
                                             claim.span.start + end))
        if piece_span.end > piece_span.start and terms.words(document.slice(piece_span)):
            units.append(_Unit(claim, piece_span))
        start = end
    return units


def _negated_stems(text: str) -> set[str]:
    """The stems a negation cue bears on: the next two content words after each cue."""
    found: set[str] = set()
    for match in _NEGATION.finditer(text):
        found |= set(list(ordered_stems(text[match.end():]))[:2])
    return found


def _same_fact(a: set[str], b: set[str]) -> bool:
    """Enough shared content words: all of a short sentence's (two or three), else at least
    `_MIN_SHARED_STEMS` making up `_MIN_SHARED_PART` of the shorter sentence's."""
    shortest = min(len(a), len(b))
    if shortest < 2:
        return False
    shared = len(a & b)
    return shared >= min(_MIN_SHARED_STEMS, shortest) and shared >= _MIN_SHARED_PART * shortest


def carried_facts(piece: StoryView) -> list[Fact]:
    """Groups of claims from different documents that carry the same thing.

    Tied by relations that say two outlets carry one utterance, and by sentences that share
    their content words with the same polarity. Candidate pairs come from an index of stems,
    so the work grows with the pairs that share words, not with the square of the claims.
    """
    if len({c.doc for c in piece.claims}) < 2:
        # every unit is a claim's, and a fact is carried by two documents at least: a story
        # of one document (most stories of a small ingest) carries none
        return []
    units = [u for c in piece.claims for u in _units(piece, c)]
    relation_of: dict[int, str] = {}
    tied: list[tuple[int, int]] = []
    for relation in piece.relations:
        if relation.kind not in _CARRYING_KINDS:
            continue
        found = []
        for position, member in enumerate(relation.members):
            claim = claim_of(piece, member)
            if claim is None:
                continue
            evidence = evidence_for(relation, position, claim.span)
            units.append(_Unit(claim, claim.span if evidence is None else evidence))
            found.append(len(units) - 1)
            relation_of[len(units) - 1] = relation.id
        tied += [(found[0], other) for other in found[1:]]
    sets = DisjointSets(len(units))
    for a, b in tied:
        sets.union(a, b)
    texts = [piece.by_id[u.claim.doc].slice(u.span) for u in units]
    stems = [stem_set(t) for t in texts]
    negated = [_negated_stems(t) for t in texts]
    index: dict[str, list[int]] = defaultdict(list)
    for n, unit_stems in enumerate(stems):
        for stem in unit_stems:
            index[stem].append(n)
    # a word in very many sentences ("ferry" in a ferry story) says nothing about which fact a
    # sentence states: it does not propose pairs (it still counts once a pair is compared),
    # which keeps the work near-linear in a large story
    rare = {stem: postings for stem, postings in index.items()
            if len(postings) <= _MAX_POSTINGS}
    for n, unit in enumerate(units):
        candidates = {o for s in stems[n] for o in rare.get(s, ())
                      if o > n and units[o].claim.doc != unit.claim.doc}
        for other in candidates:
            if sets.find(n) == sets.find(other):
                continue  # already one fact (copies of one text meet many times)
            shared = stems[n] & stems[other]
            # opposite polarity on what they share: "will not sail" does not oppose "until
            # her hull has been certified", "no passengers were injured" opposes "passengers
            # were injured"
            if bool(negated[n] & shared) != bool(negated[other] & shared):
                continue
            if _same_fact(stems[n], stems[other]):
                sets.union(n, other)
    order = {doc: n for n, doc in enumerate(piece.by_id)}  # story order
    facts = []
    for members in sets.groups().values():
        if len({units[n].claim.doc for n in members}) < 2:
            continue
        chosen: dict[str, int] = {}  # one unit per claim: the longest match
        for n in members:
            claim_id = units[n].claim.id
            if claim_id not in chosen or len(units[n].span) > len(units[chosen[claim_id]].span):
                chosen[claim_id] = n
        picked = sorted(chosen.values(),
                        key=lambda n: (order[units[n].claim.doc], units[n].span.start))
        sources = piece.independent_sources(
            (units[n].claim.doc, attribution_of(piece, units[n].claim)) for n in picked)
        facts.append(Fact(
            claims=tuple(units[n].claim for n in picked),
            spans=tuple(units[n].span for n in picked),
            sources=tuple(sources),
            relations=tuple(dict.fromkeys(relation_of[n] for n in members if n in relation_of)),
        ))
    return facts
