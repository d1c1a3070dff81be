"""What tells one event from a look-alike: the signals a document is weighed by against a story.

Two events of one kind (two earthquakes, two trials of one man, two title fights of one boxer)
share their vocabulary and most of their names; the lede embedding and the TF-IDF cosine of key
terms read them as one. What sets them apart is what one side carries and the other lacks:
- **when**: publication dates (metadata and date lines) far apart, and the years each side's
  text names (a story about a 2008 trial names 2008; its retrial's coverage names 2012);
- **who, where**: the document's own most telling terms (names of victims, defendants,
  opponents, places: heavy in it and rare in the store) that the story has never seen, and the
  story's core terms (held by most of its documents) the document lacks; whether the few names
  each side is most about are all foreign to the other (counted, not weighed by idf, so it holds
  in a store of five documents, where every name is about as rare as "mayor"); and the place of
  the dateline (`place_term`);
- **figures**: numbers (magnitude, toll, score, price) one side gives and the other does not.
Each is a number per document–story pair (`pair_signals`); `StoryModel` weighs them with a
logistic model trained on pairs from ECB+ topics 1–35 (``bench/train_stories.py``, fixed seed),
so the weights are learnt from data, not set by hand. Two rules stand beside the model, for what
the public pairs hold too few examples of to learn: publication dates far apart, and another
dateline place with mostly other names (`places_apart`), never join.

`StoryProfile` is what a story is read as: its summed key terms, how many of its documents hold
each term, its summed lede vectors and its date range, kept up to date as documents join.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "MODEL_PATH",
    "SIGNALS",
    "StoryModel",
    "StoryProfile",
    "days_apart",
    "load_model",
    "pair_signals",
    "place_term",
    "places_apart",
    "term_similarity",
]

MODEL_PATH = Path(__file__).parent / "data" / "story_model.json"

# A document's most telling terms (weight × idf) and a story's core terms looked at: enough
# for the names, places and figures of an article, few enough to stay O(1) per pair.
TOP_TERMS = 15
# Lede vectors a profile keeps for the nearest-member signal: the first members, which set
# what the story is about; bounded so that a story of thousands costs what one of 32 does.
KEPT_VECTORS = 32
# Publication dates further apart than this are two events, whatever else they share (two
# earthquakes of one fault, two trials of one man): a rule, not a learnt weight, because the
# public pairs hold too few dated look-alikes to learn it from (ECB+ dates mostly one side).
# Generous, as coverage of one event runs on for weeks: follow-ups, verdicts, anniversaries
# come in through the later members (the gap is to the story's whole date range).
DATE_APART_DAYS = 90
_YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
# A key term this heavy in a document was written capitalised mid-sentence at least once (a
# name: `stories.key_terms` counts those NAME_BOOST times; 1 + ln 6) or is used very often.
NAME_WEIGHT = 2.79
# The place of a document's dateline ("Ostmark, March 2, 2026 –", read by `rashomon.clean`) is
# kept among its key terms under this prefix, which no word of a text can carry.
PLACE_PREFIX = "@where:"
# ... and another place apart from the story's only counts when most of the document's names
# (idf-weighted) are ones the story never had: one event is datelined from several cities.
PLACE_NAMES_NEW = 0.5
# The names a side is most about: a document's heaviest names, a story's core names.
MAIN_NAMES = 3
# Years further apart than this read as far apart as any (the signal is capped).
YEARS_GAP_CAP = 10
# one-digit numbers (counts of days, people, rounds) are too common to identify an event
_NUMBER = re.compile(r"^\d[\d,.]*\d$")

SIGNALS = (
    "embedding",        # cosine of the lede embedding with the story's centroid
    "terms",            # TF-IDF cosine of key terms with the story's summed terms
    "doc_covered",      # share (idf-weighted) of the document's top terms the story holds
    "story_covered",    # share (idf-weighted) of the story's core terms the document holds
    "years_named",      # 1 when both name years (in text, or the publication year)
    "years_shared",     # share of the document's years the story names too
    "numbers_named",    # 1 when both carry numbers (other than years)
    "numbers_shared",   # share of the document's numbers the story carries too
    "story_size",       # log of the story's size: one document is weaker evidence than ten
    "nearest",          # cosine of the lede embedding with the nearest member's
    "names_new",        # share (idf-weighted) of the document's names the story never had
    "names_missing",    # share (idf-weighted) of the story's core names the document lacks
    "names_disjoint",   # 1 when neither side holds any of the other's main names (counted)
    "years_gap",        # years between the nearest years each names, when they share none
)


class StoryProfile:
    """A story's summed key terms, term counts, summed lede vectors and date range.

    `terms[t]` sums the weights of `t` over the members, `counts[t]` is how many members hold
    it; `square_sum` is the sum of the squared summed weights, kept up to date so that the
    TF-IDF cosine costs O(document terms) whatever the story's size.
    """

    __slots__ = ("_core", "_core_names", "_numbers", "_only_gains", "_years", "counts", "dates",
                 "kept", "members", "places", "square_sum", "terms", "vector")

    def __init__(self) -> None:
        self.members: set[str] = set()
        self.terms: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.square_sum = 0.0
        self.vector: np.ndarray | None = None
        self.kept: np.ndarray | None = None  # the first KEPT_VECTORS members' vectors, rows
        self.dates: list[str] = []
        self.places: set[str] = set()  # its members' dateline places, as `place_term`s
        # limit -> (the core terms when last computed, the terms added to since)
        self._core: dict[int, tuple[list[str], set[str]]] = {}
        # whether every weight taken in was positive: then a term's rank in `core_terms` only
        # ever rises when a document holding it joins (see there)
        self._only_gains = True
        self._core_names: tuple[int, list[str]] | None = None  # (members then, names)
        # the years and numbers among the terms, kept as terms arrive: a story of a thousand
        # terms would otherwise be matched term by term against both patterns at every change
        self._years: set[str] = set()
        self._numbers: set[str] = set()

    def add(self, doc_id: str, terms: Mapping[str, float], vector: np.ndarray | None,
            date: str | None) -> None:
        """Take in one document."""
        self.add_terms(terms)
        if vector is not None:
            self.add_vectors(np.asarray(vector)[None, :])
        if date:
            self.add_dates([date])
        self.members.add(doc_id)

    def add_terms(self, weights: Mapping[str, float]) -> None:
        self._core_names = None
        for term, weight in weights.items():
            if term not in self.terms:
                self._new_term(term)
            old = self.terms.get(term, 0.0)
            self.terms[term] = old + weight
            self.counts[term] = self.counts.get(term, 0) + 1
            self.square_sum += (old + weight) ** 2 - old**2
            if not weight > 0:
                self._only_gains = False
        if not self._only_gains:
            self._core.clear()
        for _, touched in self._core.values():
            touched.update(weights)

    def _new_term(self, term: str) -> None:
        if term.startswith(PLACE_PREFIX):
            self.places.add(term)
        elif _YEAR.match(term):
            self._years.add(term)
        elif _NUMBER.match(term):
            self._numbers.add(term)

    def add_vectors(self, vectors: np.ndarray) -> None:
        total = np.sum(vectors, axis=0)
        self.vector = total if self.vector is None else self.vector + total
        if self.kept is None:
            self.kept = np.array(vectors[:KEPT_VECTORS])
        elif len(self.kept) < KEPT_VECTORS:
            self.kept = np.vstack([self.kept, vectors[: KEPT_VECTORS - len(self.kept)]])

    def nearest(self, vector: np.ndarray) -> float:
        """Cosine of a lede vector with the nearest kept member's (0 when none is kept)."""
        if self.kept is None or not len(self.kept):
            return 0.0
        return float(np.max(self.kept @ vector))

    def add_dates(self, dates: Sequence[str]) -> None:
        self.dates = [min([*self.dates, *dates]), max([*self.dates, *dates])]

    def figures(self) -> tuple[set[str], set[str]]:
        """The years and the numbers among the story's terms."""
        return self._years, self._numbers

    def core_terms(self, limit: int) -> list[str]:
        """The terms most of the story's documents hold, heaviest first (at most `limit`)."""
        # count × summed weight: held by many members, and heavily (the same order as share of
        # members × mean weight, whatever the size); ties by the term, so the order is total
        def rank(term: str) -> tuple[float, str]:
            return -self.counts[term] * self.terms[term], term

        cached = self._core.get(limit)
        if cached is None:
            core = heapq.nsmallest(limit, self.counts, key=rank)
        elif cached[1]:
            # Only the terms of the documents that joined since moved, and (all weights being
            # positive) only up: the new first `limit` are among the old ones and those. A
            # story is scored against many documents between changes, and a change would
            # otherwise rank every term of a story of thousands again.
            core = heapq.nsmallest(limit, cached[1].union(cached[0]), key=rank)
        else:
            return cached[0]
        self._core[limit] = (core, set())
        return core

    def core_names(self) -> list[str]:
        """The story's core names: name-weighted (on average) in at least half its documents,
        heaviest first (cached until the story changes)."""
        size = max(len(self.members), 1)
        if self._core_names is None or self._core_names[0] != size:
            names = [t for t in self.core_terms(2 * TOP_TERMS)
                     if not t[0].isdigit() and self.terms[t] / self.counts[t] >= NAME_WEIGHT
                     and self.counts[t] * 2 >= size]
            self._core_names = (size, names)
        return self._core_names[1]


def term_similarity(terms: Mapping[str, float], idf: Mapping[str, float],
                    profile: StoryProfile) -> float:
    """TF-IDF cosine of a document's terms with a story's summed terms.

    The story's terms the document shares are weighted by their idf; the others only add to
    the story's norm, where the document's mean idf stands in for theirs: exact idf would cost a
    store lookup per story term, and the sum of their squared weights is kept up to date by the
    profile, so this is O(document terms) whatever the story's size.
    """
    if not terms:
        return 0.0
    return _term_similarity(terms, idf, profile, _idf_norm(terms, idf), sum(idf.values()) / len(idf))


def _idf_norm(terms: Mapping[str, float], idf: Mapping[str, float]) -> float:
    return math.sqrt(sum((w * idf[t]) ** 2 for t, w in terms.items()))


def _term_similarity(terms: Mapping[str, float], idf: Mapping[str, float],
                     profile: StoryProfile, na: float, mean_idf: float) -> float:
    """`term_similarity` with the document's own TF-IDF norm and mean idf given (the same
    against every candidate story)."""
    dot = shared_sq = shared_sq_idf = 0.0
    for term, weight in terms.items():
        other = profile.terms.get(term)
        if other is not None:
            dot += weight * other * idf[term] ** 2
            shared_sq += other * other
            shared_sq_idf += (other * idf[term]) ** 2
    if not dot:
        return 0.0
    nb = math.sqrt(shared_sq_idf + mean_idf**2 * max(profile.square_sum - shared_sq, 0.0))
    return dot / (na * nb)


def days_apart(date: str | None, story_dates: Sequence[str]) -> int | None:
    """Days from `date` to the story's date range (0 inside it); None when either is undated."""
    if date is None or not story_dates:
        return None
    try:
        day = dt.date.fromisoformat(date[:10])
        first = dt.date.fromisoformat(min(story_dates)[:10])
        last = dt.date.fromisoformat(max(story_dates)[:10])
    except ValueError:
        return None
    if first <= day <= last:
        return 0
    return min(abs((day - first).days), abs((day - last).days))


def _covered(weights: Mapping[str, float], held: Callable[[str], bool]) -> float:
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if held(t)) / total if total else 0.0


def _shared(mine: set[str], theirs: set[str]) -> tuple[float, float]:
    """(both have some, share of mine they have too)."""
    if not mine or not theirs:
        return 0.0, 0.0
    return 1.0, len(mine & theirs) / len(mine)


def _years(terms: Mapping[str, float]) -> set[str]:
    return {t for t in terms if _YEAR.match(t)}


def _numbers(terms: Mapping[str, float]) -> set[str]:
    return {t for t in terms if _NUMBER.match(t) and not _YEAR.match(t)}


def pair_signals(
    terms: Mapping[str, float], idf: Mapping[str, float], vector: np.ndarray,
    profile: StoryProfile, idf_of: Callable[[Sequence[str]], Mapping[str, float]],
) -> np.ndarray:
    """The signals (`SIGNALS`, in order) of a document against a story.

    `terms` are the document's key terms, `idf` their idf in the store; `idf_of` gives the idf
    of other terms (the story's core terms), looked up only for those.
    """
    embedding = 0.0
    if profile.vector is not None:
        norm = float(np.linalg.norm(profile.vector))
        embedding = float(profile.vector @ vector / norm) if norm else 0.0
    view = _document_view(terms, idf)
    doc_covered = _covered(view.top, profile.terms.__contains__)
    core = profile.core_terms(TOP_TERMS)
    core_idf = idf_of(core)
    size = max(len(profile.members), 1)
    story_covered = _covered(
        {t: profile.counts[t] / size * core_idf.get(t, 1.0) for t in core}, terms.__contains__)
    story_years, story_numbers = profile.figures()
    years_named, years_shared = _shared(view.years, story_years)
    numbers_named, numbers_shared = _shared(view.numbers, story_numbers)
    core_names = profile.core_names()
    similarity = (_term_similarity(terms, idf, profile, view.norm, view.mean_idf)
                  if terms else 0.0)
    return np.array([
        embedding, similarity, doc_covered, story_covered,
        years_named, years_shared, numbers_named, numbers_shared,
        math.log(size) / math.log(100),
        profile.nearest(vector),
        *_name_signals(terms, view.names, profile, core_names, idf_of),
        _names_disjoint(terms, view, profile, core_names),
        _years_gap(view.years, story_years) if not years_shared else 0.0,
    ])


@dataclass(frozen=True)
class _DocumentView:
    """What the signals read of a document, the same against every candidate story."""

    top: dict[str, float]  # its TOP_TERMS most telling terms, weight × idf
    years: set[str]
    numbers: set[str]
    names: dict[str, float]  # name-like terms, by idf
    main_names: tuple[str, ...]  # its MAIN_NAMES heaviest names (not by idf)
    norm: float  # of its TF-IDF vector
    mean_idf: float  # of its terms


# The last document's view: its candidates are scored one after another, so one entry serves
# them all. The key objects are held, so their ids cannot be reused while cached.
_LAST_VIEW: list[tuple[Mapping[str, float], Mapping[str, float], _DocumentView]] = []


def _document_view(terms: Mapping[str, float], idf: Mapping[str, float]) -> _DocumentView:
    if _LAST_VIEW and _LAST_VIEW[0][0] is terms and _LAST_VIEW[0][1] is idf:
        return _LAST_VIEW[0][2]
    top = heapq.nsmallest(TOP_TERMS, terms, key=lambda t: (-terms[t] * idf[t], t))
    names = {t: idf[t] for t, w in terms.items() if w >= NAME_WEIGHT and not t[0].isdigit()}
    view = _DocumentView(
        top={t: terms[t] * idf[t] for t in top}, years=_years(terms), numbers=_numbers(terms),
        names=names,
        main_names=tuple(heapq.nsmallest(MAIN_NAMES, names, key=lambda t: (-terms[t], t))),
        norm=_idf_norm(terms, idf), mean_idf=sum(idf.values()) / len(idf) if idf else 0.0)
    _LAST_VIEW[:] = [(terms, idf, view)]
    return view


def _name_signals(terms: Mapping[str, float], names: Mapping[str, float], profile: StoryProfile,
                  core: Sequence[str], idf_of: Callable[[Sequence[str]], Mapping[str, float]],
                  ) -> tuple[float, float]:
    """Who and where: the document's names the story never had, the story's it lacks."""
    new = 1.0 - _covered(names, profile.terms.__contains__) if names else 0.0
    core_idf = idf_of(core)
    missing = 1.0 - _covered({t: core_idf.get(t, 1.0) for t in core}, terms.__contains__) \
        if core else 0.0
    return new, missing


def _names_disjoint(terms: Mapping[str, float], view: _DocumentView, profile: StoryProfile,
                    core: Sequence[str]) -> float:
    """1 when the story holds none of the document's main names and the document none of the
    story's: who and where are others on both sides.

    Counted, not weighed by idf: in a small store every word is about as rare as every other,
    and two towns' mayors' resignations share "mayor", "council" and "resignation" as heavily
    as their names."""
    if not view.main_names or not core:
        return 0.0
    mine = not any(t in profile.terms for t in view.main_names)
    theirs = not any(t in terms for t in core[:MAIN_NAMES])
    return float(mine and theirs)


def _years_gap(mine: set[str], theirs: set[str]) -> float:
    """When: the years between the nearest of the document's and the story's years, capped
    (two earthquakes of one fault years apart); 0 when either names none."""
    if not mine or not theirs:
        return 0.0
    gap = min(abs(int(a) - int(b)) for a in mine for b in theirs)
    return min(gap, YEARS_GAP_CAP) / YEARS_GAP_CAP


def place_term(place: str) -> str:
    """The key term a dateline's place is kept under ("Port Veyra" -> "@where:port veyra")."""
    return PLACE_PREFIX + " ".join(place.lower().split())


def places_apart(terms: Mapping[str, float], profile: StoryProfile, names_new: float) -> bool:
    """Where and who: the document is datelined from a place none of the story's documents
    is, and most of its names (``PLACE_NAMES_NEW``) are ones the story never had.

    A rule, not a learnt weight: ECB+ articles carry almost no datelines to learn it from.
    """
    if names_new < PLACE_NAMES_NEW:
        return False
    if not profile.places:
        return False
    mine = [t for t in terms if t.startswith(PLACE_PREFIX)]
    return bool(mine) and not profile.places.intersection(mine)


@dataclass(frozen=True)
class StoryModel:
    """A logistic model over `SIGNALS`: the probability that a document reports a story's event.

    Trained by ``bench/train_stories.py``; `threshold` is the probability at or above which a
    document joins a story, chosen on the odd ECB+ topics.
    """

    signals: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    merge_threshold: float

    def probability(self, signals: np.ndarray, days: int | None = None,
                    apart: bool = False) -> float:
        """The probability that a document with these signals reports the story's event;
        0 when its date is `days` > ``DATE_APART_DAYS`` from the story's dates, or when the
        story is `apart` in place and names (`places_apart`)."""
        if apart or (days is not None and days > DATE_APART_DAYS):
            return 0.0
        z = float(np.dot(self.weights, signals)) + self.bias
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def to_json(self) -> dict[str, Any]:
        return {"signals": list(self.signals), "weights": [round(w, 6) for w in self.weights],
                "bias": round(self.bias, 6), "threshold": self.threshold,
                "merge_threshold": self.merge_threshold}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoryModel:
        signals = tuple(str(s) for s in data["signals"])
        if signals != SIGNALS:
            raise ValueError(f"story model signals {signals} differ from this version's {SIGNALS}")
        return cls(signals=signals, weights=tuple(float(w) for w in data["weights"]),
                   bias=float(data["bias"]), threshold=float(data["threshold"]),
                   merge_threshold=float(data["merge_threshold"]))


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> StoryModel:
    """The shipped story model (or the one at `path`), read once."""
    location = Path(path) if path else MODEL_PATH
    return StoryModel.from_json(json.loads(location.read_text(encoding="utf-8")))
