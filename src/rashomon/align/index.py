"""A story's claims cut into clauses, embedded once, with each clause's nearest clauses.

Every claim (attributed content or the outlet's own assertion) and its clauses are embedded
once and indexed; each clause meets only its nearest clauses of the other documents, which is
what corroboration and claim-level contradiction both look through. Within a large story the
index is bucketed (random hyperplanes) rather than scanned, so the cost grows with the story's
size, not with its square.

Embedding is most of the story-level stage's cost, and most clauses can never become a finding
whatever their vectors: a finding needs shared content words, and more (see `pairable`). The
index embeds only the clauses that could be found with a clause of another document, told from
their words alone (`Pairable`, given by the relations that read the index).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rashomon.align.common import LastStories, content_words, negation_cue
from rashomon.model import Analysis, Claim, Document, Span
from rashomon.terms import WORD, stem

__all__ = ["ClaimIndex", "ClaimUnit", "PairTest", "Pairable", "Rarity", "indexed_units", "neighbour_pairs",
           "pairable"]

# Where a claim holds several propositions: sentence ends, semicolons, dashes, a comma before a
# conjunction or a relative adverb, and a comma before a participle clause ("..., having been").
# A full stop after a title or an initial ("Mr. LaRue", "W. Mark Felt", "St. Aldric") or
# before a figure (". 357 caliber") ends no sentence.
_CLAUSE_BREAK = re.compile(
    r"(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bSgt\.)(?<!\bGov\.)"
    r"(?<!\bGen\.)(?<!\bLt\.)(?<!\bJr\.)(?<!\bNo\.)(?<!\b[A-Z]\.)(?<=[.!?])\s+(?!\d)|;\s+|"
    r"\s*[—–]\s*|,\s+(?=(?:and|but|while|whereas|where|which|though|although|after|as|"
    r"before)\b)|,\s+(?=[a-z]+ing\b)"
)
_MIN_CLAUSE_WORDS = 5
_MIN_COUNTING_CLAIM_WORDS = 4
# Stances whose content is not a proposition that another outlet could confirm.
_NOT_CORROBORABLE = frozenset({"denial"})
# A unit's nearest neighbours below this cosine are not looked at: a third of MiniLM's range
# where same-story sentences about different facts still sit (0.45-0.75 on the seeds).
_NEIGHBOUR_FLOOR = 0.45
_NEIGHBOURS = 12  # nearest units kept per unit
# Above this many units a story's index is bucketed by random hyperplanes (LSH) instead of
# scanned: the cost then grows with the story's size, not with its square.
_EXACT_INDEX_LIMIT = 4000
# Statements that hold none of a story's stems, added to every count: in a story of two
# articles every shared word would otherwise look as common as "the".
_PRIOR = 10


PairTest = Callable[[int, int], bool]
Pairable = Callable[[Sequence["ClaimUnit"], "Rarity"], PairTest]
"""Given a story's units and their rarity, a test of two rows (the first the lower, units of
different documents sharing a content stem): whether they could become a finding, from their
words alone; false only when no vectors could make them one. A factory, so that what a test
reads of each unit is found once per unit, not once per pair."""


@dataclass(frozen=True, slots=True)
class ClaimUnit:
    """One clause of a claim (or the whole claim), the thing compared across documents."""

    claim: Claim
    span: Span
    text: str
    stems: frozenset[str]
    negated: bool
    dates: tuple[tuple[str, Span], ...]
    numbers: tuple[tuple[str, float, str, Span], ...]
    places: frozenset[str]


def _clause_spans(claim: Claim, document: Document) -> list[tuple[Span, str]]:
    """The whole claim and its clauses, each a span of the document, stripped of quote marks."""
    text = document.slice(claim.span)
    pieces: list[tuple[int, str]] = [(0, text)]
    start = 0
    for match in [*_CLAUSE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        pieces.append((start, text[start:end]))
        if match:
            start = match.end()
    found: dict[Span, str] = {}
    # a short claim that counts or negates ("No passengers were injured") is a whole statement
    least = {0: _MIN_COUNTING_CLAIM_WORDS if claim.numbers or claim.polarity == "negated"
             else _MIN_CLAUSE_WORDS}
    for n, (offset, piece) in enumerate(pieces):
        stripped = piece.strip(" \"“”‘’,.;:!?()")
        if len(WORD.findall(stripped)) < least.get(n, _MIN_CLAUSE_WORDS):
            continue
        begin = claim.span.start + offset + piece.index(stripped[0])
        found.setdefault(Span(claim.doc, begin, begin + len(stripped)), stripped)
    return list(found.items())


def _units(analysis: Analysis, docs: dict[str, Document]) -> list[ClaimUnit]:
    attributions = {a.id: a for a in analysis.attributions}
    units = []
    for claim in analysis.claims:
        if claim.doc not in docs:
            continue
        attribution = attributions.get(claim.attribution or "")
        if attribution is not None and attribution.stance in _NOT_CORROBORABLE:
            continue
        for span, text in _clause_spans(claim, docs[claim.doc]):
            stems = frozenset(stem(w) for w in content_words(text))
            if len(stems) < 2:
                continue
            units.append(ClaimUnit(
                claim, span, text, stems, negation_cue(text) is not None,
                tuple(d for d in claim.dates if span.contains(d[1])),
                tuple(_whole_figure(n, docs[claim.doc]) for n in claim.numbers
                      if span.contains(n[3])),
                frozenset(w.lower() for p in claim.places if span.contains(p)
                          for w in WORD.findall(docs[p.doc].slice(p))),
            ))
    return units


# "20, 000 people": thousands spaced out as some wires print them, which the claim parser reads
# as 20 (its span holds all of it). Read whole, "as many as 20, 000" never equals "around 20".
_SPACED_THOUSANDS = re.compile(r"(?<![\d,])(\d{1,3}),\s(\d{3})(?![\d,])")


def _whole_figure(number: tuple[str, float, str, Span],
                  document: Document) -> tuple[str, float, str, Span]:
    comparator, value, unit, span = number
    for spaced in _SPACED_THOUSANDS.finditer(document.slice(span)):
        if float(spaced.group(1)) == value:
            return comparator, value * 1000 + float(spaced.group(2)), unit, span
    return number


def _story_units(analysis: Analysis) -> list[ClaimUnit]:
    """Every clause of the story's claims: none when they are all of one document. Found once
    for the same documents, claims and stances (what `_units` reads)."""
    def find() -> list[ClaimUnit]:
        units = _units(analysis, {d.id: d for d in analysis.documents})
        return units if len({u.claim.doc for u in units}) >= 2 else []

    return list(_units_found.get(
        (tuple((d.id, d.text) for d in analysis.documents), analysis.claims,
         tuple((a.id, a.stance) for a in analysis.attributions)), find))


# A story's clauses and `pairable`'s rows of them, kept for the last stories: an ingest asks
# for a story's twice (`indexed_units` ahead of the embedding, then `ClaimIndex.build`), and
# testing its pairs is most of the index's cost outside the model.
_units_found: LastStories[list[ClaimUnit]] = LastStories()
_rows_found: LastStories[list[int]] = LastStories()


def indexed_units(analysis: Analysis, could_pair: Pairable | None = None) -> list[ClaimUnit]:
    """The clauses a story's index holds (and embeds): with `could_pair`, only those that could
    be found with a clause of another document (`pairable`), else all of them."""
    units = _story_units(analysis)
    if could_pair is None:
        return units
    return [units[row] for row in _pairable_rows(units, could_pair)]


def _pairable_rows(units: Sequence[ClaimUnit], could_pair: Pairable) -> list[int]:
    """`pairable` with the rarity of these units, found once for the same units and test (a
    `Pairable` reads the units and their rarity only)."""
    return list(_rows_found.get(
        (tuple(units), could_pair),
        lambda: pairable(units, Rarity.of_units(units), could_pair)))


def pairable(units: Sequence[ClaimUnit], rarity: Rarity, could_pair: Pairable) -> list[int]:
    """Rows of the units that could pair (`could_pair`) with a unit of another document.

    Every relation read off the index needs a content stem shared by the two clauses, so only
    units sharing one are tested, each pair with its lower row first, as the index's pairs are.
    A lower row left unkept was tested with every row it shares a stem with, the higher ones
    included, and paired with none: those pairs are not tested again from the higher row.
    """
    test = could_pair(units, rarity)
    by_stem: dict[str, list[int]] = {}
    for row, unit in enumerate(units):
        for term in unit.stems:
            by_stem.setdefault(term, []).append(row)
    docs = [unit.claim.doc for unit in units]
    kept = [False] * len(units)
    for row, unit in enumerate(units):
        if kept[row]:
            continue
        others = sorted({other for term in unit.stems for other in by_stem[term]
                         if docs[other] != docs[row] and (other > row or kept[other])})
        for other in others:
            if test(min(row, other), max(row, other)):
                kept[row] = kept[other] = True
                break
    return [row for row, found in enumerate(kept) if found]


def neighbour_pairs(vectors: np.ndarray, groups: Sequence[str]) -> dict[tuple[int, int], float]:
    """(i, j) -> cosine for each row's nearest rows of other groups (i < j)."""
    n = len(groups)
    group = np.unique(np.array(groups), return_inverse=True)[1]
    pairs: dict[tuple[int, int], float] = {}
    for rows, candidates in _candidate_blocks(vectors):
        scores = vectors[rows] @ vectors[candidates].T
        scores[group[rows][:, None] == group[candidates][None, :]] = -1.0
        keep = min(_NEIGHBOURS, len(candidates))
        if not keep:
            continue
        top = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
        for r, row in enumerate(rows):
            for c in top[r]:
                score = float(scores[r, c])
                column = int(candidates[c])
                if score >= _NEIGHBOUR_FLOOR and column != row:
                    pairs[(min(row, column), max(row, column))] = score
    assert all(i < n and j < n for i, j in pairs)
    return pairs


def _candidate_blocks(vectors: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Rows and the rows they are compared with: all of them for a small story, else the rows
    sharing a random-hyperplane bucket in one of a few tables (an approximate index)."""
    n = len(vectors)
    everything = np.arange(n)
    if n <= _EXACT_INDEX_LIMIT:
        return [(everything[i : i + 512], everything) for i in range(0, n, 512)]
    rng = np.random.default_rng(0)  # the same index for the same story, run after run
    blocks = []
    for _ in range(4):
        planes = rng.standard_normal((vectors.shape[1], 10)).astype(vectors.dtype)
        codes = (vectors @ planes > 0) @ (1 << np.arange(10))
        for code in np.unique(codes):
            members = np.flatnonzero(codes == code)
            if len(members) > 1:
                blocks.append((members, members))
    return blocks


class Rarity:
    """How telling a stem is within a story: rare stems ("Dornava") name the fact."""

    def __init__(self, statements: Sequence[set[str] | frozenset[str]]) -> None:
        """`statements`: the stems of each claim (or quote) of the story."""
        self._count = len(statements)
        self._df: dict[str, int] = {}
        self._weights: dict[str, float] = {}
        for stems in statements:
            for term in stems:
                self._df[term] = self._df.get(term, 0) + 1

    @classmethod
    def of_units(cls, units: Sequence[ClaimUnit]) -> Rarity:
        claims: dict[str, set[str]] = {}
        for unit in units:
            claims.setdefault(unit.claim.id, set()).update(unit.stems)
        return cls(list(claims.values()))

    def weight(self, term: str) -> float:
        # memoised: pairing clauses asks for the same few hundred stems' weights hundreds of
        # thousands of times, and the counts do not change once the story's are taken
        known = self._weights.get(term)
        if known is None:
            known = math.log((self._count + _PRIOR) / (self._df.get(term, 0) + 0.5))
            self._weights[term] = known
        return known

    def overlap(self, a: frozenset[str], b: frozenset[str]) -> float:
        """Half the weighted cosine of the stems, half the rarity of the rarest shared stem
        (one rare name in common says more than the cosine of two long clauses shows)."""
        shared = a & b
        if not shared:
            return 0.0
        rarest = max(self.weight(s) for s in shared) / math.log((self._count + _PRIOR) / 1.5)
        return 0.5 * self.cosine(a, b) + 0.5 * min(rarest, 1.0)

    def cosine(self, a: frozenset[str], b: frozenset[str]) -> float:
        # fsum: a set's order follows the process's string hashing, and a plain sum rounds
        # differently in each order, so two runs of one story could break a tie apart
        shared = math.fsum(self.weight(s) ** 2 for s in a & b)
        if not shared:
            return 0.0
        norm_a = math.sqrt(math.fsum(self.weight(s) ** 2 for s in a))
        norm_b = math.sqrt(math.fsum(self.weight(s) ** 2 for s in b))
        return shared / (norm_a * norm_b)


@dataclass(frozen=True, slots=True)
class ClaimIndex:
    """A story's claim clauses, embedded once, with each clause's nearest clauses of the other
    documents: what corroboration and claim-level contradiction both look through.

    `units` and `vectors` hold the clauses kept (with `could_pair`, those that could pair);
    `rarity` counts the stems of every clause of the story, kept or not."""

    units: tuple[ClaimUnit, ...]
    vectors: np.ndarray
    rarity: Rarity
    neighbours: dict[tuple[int, int], float]

    @classmethod
    def build(cls, analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray],
              could_pair: Pairable | None = None) -> ClaimIndex:
        """The index of a story; with `could_pair`, of the clauses that could pair only (see
        the module docstring), else of every clause."""
        units = _story_units(analysis)
        rarity = Rarity.of_units(units)
        if could_pair is not None:
            units = [units[row] for row in _pairable_rows(units, could_pair)]
        vectors = embed([u.text for u in units])
        neighbours = neighbour_pairs(vectors, [u.claim.doc for u in units]) if units else {}
        return cls(tuple(units), vectors, rarity, neighbours)
