"""Whether two clauses state the same proposition: their numbers, dates, polarity and words.

Same proposition: 0.5 × embedding cosine + 0.5 × cosine of the clauses' content stems weighted
by their rarity in the story, plus agreement of dates and numbers. Embeddings alone rank every
pair of sentences about the same battle alike; the rare words ("the key city of *Dornava*") and
shared dates say which fact it is.
"""

from __future__ import annotations

import math
import re

from rashomon.align.index import ClaimUnit, Rarity
from rashomon.align.measures import measures
from rashomon.terms import stem
from rashomon.timeline import date_bounds

__all__ = ["dates_agree", "numbers_agree", "proposition_score"]

_DATE_AGREES = 0.1
_NUMBER_AGREES = 0.1
# Two fifths of the shorter clause's content stems must be in the other: embeddings and one
# rare shared name rank two clauses about the same topic alike, whatever each of them states.
# At 0.5 the seeds lost gold corroborations worded apart ("the retaking of X" / "troops
# withdrew from X", with a third clause); ECB+ pairs judged wrong sat at 0.2-0.3.
_SAME_WORDS_SHARE = 0.4
# A total over several events is not comparable with one event's count.
_AGGREGATE = re.compile(r"\b(?:in total|a total|totall?ing|in all|altogether|so far|combined|"
                        r"cumulative)\b", re.IGNORECASE)


def _interval(comparator: str, value: float) -> tuple[float, float]:
    low, high = {"<": (-math.inf, value * 0.999), "<=": (-math.inf, value),
                 ">": (value * 1.001, math.inf), ">=": (value, math.inf),
                 "~": (value * 0.8, value * 1.2)}.get(comparator, (value, value))
    return low, high


def _same_unit(a: str, b: str) -> bool:
    """Two numbers count the same thing: their units end in the same noun ("clashes") and one
    unit's words are all in the other's ("boats" / "speed boats", not "automatic rifles" /
    "assault rifles"); "three *other* rifles" counts a part, never the whole."""
    wa, wb = [stem(w) for w in a.lower().split()], [stem(w) for w in b.lower().split()]
    if not wa or not wb or wa[-1] != wb[-1] or "other" in wa or "other" in wb:
        return False
    return set(wa) <= set(wb) or set(wb) <= set(wa)


def numbers_agree(a: ClaimUnit, b: ClaimUnit) -> bool | None:
    """True when a quantity of the same unit matches, False when one conflicts, else None.

    Only a unit counted once in each clause can conflict: "seven rifles ... three other
    rifles" lists parts, and "13 miles away" is not the "150 miles" of the other clause.
    """
    verdict = None
    if bool(_AGGREGATE.search(a.text)) != bool(_AGGREGATE.search(b.text)):
        return None
    for ca, va, ua, _ in a.numbers:
        for cb, vb, ub, _ in b.numbers:
            if not _same_unit(ua, ub):
                continue
            if (sum(_same_unit(ua, u) for _, _, u, _ in a.numbers) > 1
                    or sum(_same_unit(ub, u) for _, _, u, _ in b.numbers) > 1):
                continue
            (la, ha), (lb, hb) = _interval(ca, va), _interval(cb, vb)
            if la <= hb and lb <= ha:
                verdict = True if verdict is None else verdict
            else:
                return False
    return verdict


def dates_agree(a: ClaimUnit, b: ClaimUnit) -> bool | None:
    """True when the clauses share a date, False when both are dated and never overlap."""
    if not a.dates or not b.dates:
        return None
    bounds_a = [date_bounds(d) for d, _ in a.dates]
    bounds_b = [date_bounds(d) for d, _ in b.dates]
    return any(x0 <= y1 and y0 <= x1 for x0, x1 in bounds_a for y0, y1 in bounds_b)


def _coverage(a: ClaimUnit, b: ClaimUnit) -> float:
    """The share of the shorter clause's content stems the other clause has too: a clause
    stating the same proposition says most of what the other does ("hackers planted the
    exploit with *SQL injections*" is not "attack strings in *SQL injections* include ...")."""
    return len(a.stems & b.stems) / min(len(a.stems), len(b.stems))


def _figures_differ(a: ClaimUnit, b: ClaimUnit) -> bool:
    """A thing both clauses count, with values that never meet ("two dozen schools" / "11
    schools"), or a count one clause gives where the other says there were none."""
    return any(x.counted == y.counted and (x.high < y.low or y.high < x.low)
               for x in measures(a) for y in measures(b))


def proposition_score(a: ClaimUnit, b: ClaimUnit, cosine: float, rarity: Rarity) -> float | None:
    """How surely two clauses state the same proposition; None when they disagree on it."""
    if a.negated != b.negated:
        return None
    numbers, dates = numbers_agree(a, b), dates_agree(a, b)
    if numbers is False or dates is False or _figures_differ(a, b):
        return None
    lexical = rarity.overlap(a.stems, b.stems)
    # a shared date anchors two renderings of one event ("arrived in Moscow on Thursday" /
    # "met Putin on Thursday night") that share few words
    if not lexical or (_coverage(a, b) < _SAME_WORDS_SHARE and not dates):
        return None
    return (0.5 * cosine + 0.5 * lexical + (_DATE_AGREES if dates else 0.0)
            + (_NUMBER_AGREES if numbers else 0.0))
