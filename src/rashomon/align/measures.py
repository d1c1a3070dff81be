"""What a clause's figures measure: how many of what, undergoing what, over which interval.

Two figures can conflict only when they measure the same thing. A `Measure` is one figure of a
claim clause with what it counts (the stem of its noun: "passengers", "homes"), what happens to
what is counted (a class of predicates for the figures news reports most, "killed" / "dead" /
"died" alike, else the stems around the figure) and the interval its comparator allows ("at
least 5" is [5, ∞), "about 50" is [40, 60], "up to 12" is (−∞, 12]). A negated count ("no
passengers were injured", "nobody was hurt", "there were no deaths") is a measure of zero.

Figures that differ can still both be true: at another time (a toll that rises) or of another
scope (a town, a region; "four *of the* passengers", "three *other* rifles"). `conflicting`
says whether two measures are of the same thing with intervals that never meet; whether that
is a contradiction or only a difference to show is decided by the caller from dates and scopes.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rashomon.align.common import content_words
from rashomon.align.index import ClaimUnit
from rashomon.claims import parse_number
from rashomon.model import Span
from rashomon.terms import WORD, normal, stem

__all__ = ["Measure", "conflicting", "conflicts", "interval", "measures"]

# Predicates that say what happened to what is counted, by class; a word belongs to a class
# when it starts with one of the class's prefixes. "treated" is an injury only near a hospital.
_PREDICATES: dict[str, tuple[str, ...]] = {
    "death": ("kill", "dead", "die", "died", "death", "fatal", "perish", "slain", "lives",
              "drown", "bodies", "toll"),
    "injury": ("injur", "hurt", "wound", "hospitali", "casualt"),
    "arrest": ("arrest", "detain", "detention", "custody"),
    "evacuation": ("evacuat",),
    "missing": ("missing",),
}
_TREATED = re.compile(r"\btreat(?:ed|ment)\b", re.IGNORECASE)
_HOSPITAL = re.compile(r"\bhospital", re.IGNORECASE)
# Words that name people in general: "nobody was hurt" counts them all, "two passengers" some.
_PEOPLE = frozenset({"people", "persons", "person", "individuals", "residents", "civilians"})
# A predicate counts for a figure only this many words away from it.
_PREDICATE_WINDOW = 6
_CONTEXT_WINDOW = 4
# "four *of the* five", "three *other* rifles", "*including* two children": a part, not the whole.
_PART = re.compile(r"\b(?:of (?:the|them|those|whom)|other|including|among|another)\b",
                   re.IGNORECASE)
# "a launcher *with* two rockets": what comes with one thing counts its parts, not the whole
# ("the crash, with 40 injured" has a comma: that is the whole count).
_ATTACHED = re.compile(r"[a-z]\s+with\s+$")
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_BROKEN_THOUSANDS = re.compile(r"(?<![\d,])(\d{1,3}),\s+$")
_RANGE = re.compile(r"\s*(?:to|-|–|and)\s+(\d[\d,]*(?:\.\d+)?)\b")
_AS_MANY_AS = re.compile(r"\bas many as\s*$", re.IGNORECASE)
# A figure summed over several events is not comparable with one event's.
_TOTAL = re.compile(r"\b(?:in total|a total|totall?ing|in all|altogether|so far|combined|"
                    r"cumulative|overall|career|this season|to date)\b", re.IGNORECASE)
# Outside the predicate classes, two words around both figures must be shared.
_SHARED_CONTEXT = 2
_AGE = re.compile(r"\s*-?\s*old\b,?\s+(?:[A-Z]\w*\.?\s+)*?([A-Z][\w'’-]+)")
_DISTANCES = frozenset({"kilom", "miles", "mile", "meter", "metre"})
# A negated count: "no passengers were injured", "nobody was hurt", "there were no deaths",
# "no one had been killed", "none of the crew was hurt".
_ZERO_SUBJECT = re.compile(
    r"\b(?:(?P<pron>nobody|no one|no-one|none)|no (?:other )?(?P<noun>[a-z]+))"
    r"(?: (?:of the|on board|aboard))?(?: [a-z]+)?? (?:was|were|has been|have been|had been|is|are)"
    r" (?:(?:seriously|badly|critically|reportedly) )?(?P<pred>[a-z]+)", re.IGNORECASE)
_ZERO_NOUN = re.compile(
    r"\b(?:there (?:were|was|have been|had been) no|no|zero)"
    r" (?P<pred>deaths|fatalities|injuries|casualties|arrests)\b", re.IGNORECASE)

# A clause within the clause ("... said *that* ...", "asked *whether* ..."), after some words:
# the content of an attribution starts with its own "that", which is no embedding.
_EMBEDDING = re.compile(r"\w.*\b(?:that|whether|if)\b", re.IGNORECASE)
# "lies" as falsity only as a noun after what calls something lies ("these are lies", "told
# lies"): "the island lies 1,500 km south" is a place, and its figure is stated.
_FALSITY = re.compile(r"\b(?:not true|untrue|false|a lie|baseless|fabricated|(?:are|were|is|was|"
                      r"all|just|more|of|told|tell|telling|spread\w*|these|those|such|outright|"
                      r"blatant|pure|total)\s+lies)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Measure:
    """One figure of a clause: what it counts, the predicate class, its interval, its words."""

    counted: str
    predicate: str
    context: frozenset[str]
    low: float
    high: float
    span: Span
    text: str
    part: bool = False
    static: bool = False  # an age or a distance: no update between two reports of a week
    total: bool = False  # "a total of", "so far", "in five operations": a sum over events


def interval(comparator: str, value: float) -> tuple[float, float]:
    """The values a figure allows: "at least 5" -> [5, inf), "about 50" -> [40, 60]."""
    low, high = {"<": (-math.inf, value * 0.999), "<=": (-math.inf, value),
                 ">": (value * 1.001, math.inf), ">=": (value, math.inf),
                 "~": (value * 0.8, value * 1.2)}.get(comparator, (value, value))
    return low, high


def _predicate(word: str, clause: str) -> str:
    lower = word.lower()
    for name, prefixes in _PREDICATES.items():
        if lower.startswith(prefixes):
            return name
    if _TREATED.fullmatch(lower) and _HOSPITAL.search(clause):
        return "injury"
    return ""


def _counted(noun: str) -> str:
    noun = normal(noun)
    return "people" if noun in _PEOPLE else stem(noun)


def _embedded(text: str, start: int) -> bool:
    """The figure lies in a clause the statement reports or calls false rather than states:
    "telling the public *that* nobody was hurt is not true", "asked *whether* ten died"."""
    return bool(_EMBEDDING.search(text[:start]) or _FALSITY.search(text))


@functools.lru_cache(maxsize=16384)
def measures(unit: ClaimUnit) -> tuple[Measure, ...]:
    """The figures of a claim clause, each with what it counts and what happens to it (kept
    per clause: corroboration and contradiction both ask for every pair of neighbours)."""
    text, base = unit.text, unit.span.start
    words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    found = []
    counted_words = {normal(w) for _, _, u, _ in unit.numbers for w in u.split()}
    for comparator, value, unit_words, span in unit.numbers:
        nouns = [w for w in unit_words.split() if w.isalpha()]
        if not nouns:
            continue  # "€110 billion", "4-3": no noun says what is counted
        start, end = span.start - base, span.end - base
        if _embedded(text, start):
            continue
        thousands = _BROKEN_THOUSANDS.search(text[max(0, start - 5) : start])
        if thousands is not None:  # "2, 129" as some wires space it out is 2,129
            value += 1000 * float(thousands.group(1))
            shown = max(0, start - 5) + thousands.start()  # and is shown whole
        else:
            shown = start
        at = [n for n, (s, e, _) in enumerate(words) if s < end and start < e]
        if not at:
            continue
        first, last = at[0], at[-1]
        predicate = next((p for w in _nearest(words, first, last) if (p := _predicate(w, text))),
                         "")
        # the words around the figure that say what happens to it: common words only (a name
        # says who, not what), and none that another figure of the clause counts
        context = frozenset(stem(w) for w in content_words(" ".join(
            w for n, (_, _, w) in enumerate(words)
            if first - _CONTEXT_WINDOW <= n <= last + _CONTEXT_WINDOW and not first <= n <= last
            and w[:1].islower() and normal(w) not in counted_words)))
        low, high = interval(comparator, value)
        digits = _DIGITS.search(text, start, end)
        upper = _RANGE.match(text, digits.end()) if digits else None
        if upper is not None and (top := parse_number(upper.group(1))) is not None:
            low, high = min(value, top), max(value, top)  # "35 to 40", "between 50 and 70"
        if _AS_MANY_AS.search(text[max(0, start - 14) : start]):
            low = -math.inf
        verb = _verb_before(words, first)
        if verb:  # "shooting three", "killing two": the verb right before says what is counted
            predicate = _predicate(verb, text) or f"verb {stem(normal(verb))}"
        counted, static = _counted(nouns[-1]), stem(normal(nouns[-1])) in _DISTANCES
        # "61-year-old Ana Silva": her age, a figure of that person alone
        age = _AGE.match(text, end)
        if age and stem(normal(nouns[-1])) == "year":
            counted, predicate, static = f"age of {stem(normal(age.group(1)))}", "age", True
        part = bool(_PART.search(text[max(0, start - 12) : start])
                    or _ATTACHED.search(text[max(0, start - 24) : start])
                    or _PART.match(text[end : end + 12].lstrip())
                    or "other" in unit_words.lower().split())
        found.append(Measure(counted, predicate, context, low, high,
                             Span(span.doc, base + shown, span.end), text[shown:end], part,
                             static, bool(_TOTAL.search(text))))
    found.extend(_zero_measures(unit))
    return tuple(found)


def _verb_before(words: Sequence[tuple[int, int, str]], first: int) -> str | None:
    """The verb form right before a figure ("*shooting* three co-workers"), past a comparator."""
    n = first - 1
    while n >= 0 and words[n][2].lower() in _COMPARATOR_WORDS:
        n -= 1
    if n < 0:
        return None
    word = words[n][2]
    return word if word[:1].islower() and (word.lower().endswith(("ing", "ed"))
                                           or word.lower() in _IRREGULAR_PAST) else None


# Past forms without "-ed" that count what they act on: "*shot* three people, killing one"
# counts the shot, not the dead.
_IRREGULAR_PAST = frozenset({
    "shot", "hit", "struck", "stabbed", "beat", "caught", "found", "fought", "held", "hurt",
    "led", "left", "lost", "sent", "stole", "took", "threw", "won", "bit", "cut", "sank",
})


_COMPARATOR_WORDS = frozenset({
    "at", "least", "most", "about", "around", "nearly", "almost", "some", "more", "than",
    "over", "under", "up", "to", "approximately", "roughly", "an", "estimated", "as", "many",
    "a", "the", "all", "another",
})


def _nearest(words: Sequence[tuple[int, int, str]], first: int, last: int) -> list[str]:
    """Words around a figure, nearest first, within `_PREDICATE_WINDOW` words."""
    order = []
    for distance in range(1, _PREDICATE_WINDOW + 1):
        for n in (last + distance, first - distance):
            if 0 <= n < len(words):
                order.append(words[n][2])
    return order


def _zero_measures(unit: ClaimUnit) -> list[Measure]:
    """Negated counts: "no passengers were injured" is zero injured passengers."""
    found = []
    for match in _ZERO_SUBJECT.finditer(unit.text):
        predicate = _predicate(match.group("pred"), unit.text)
        if not predicate or _embedded(unit.text, match.start()):
            continue
        counted = "people" if match.group("pron") else _counted(match.group("noun"))
        found.append(_zero(unit, match, counted, predicate))
    for match in _ZERO_NOUN.finditer(unit.text):
        if _embedded(unit.text, match.start()):
            continue
        found.append(_zero(unit, match, "people", _predicate(match.group("pred"), unit.text)))
    return found


def _zero(unit: ClaimUnit, match: re.Match[str], counted: str, predicate: str) -> Measure:
    span = Span(unit.span.doc, unit.span.start + match.start(), unit.span.start + match.end())
    return Measure(counted, predicate, frozenset(), 0.0, 0.0, span, match.group())


def _same_counted(a: Measure, b: Measure) -> bool:
    """The same thing counted; none of all people contradicts some of any kind of person."""
    if a.counted == b.counted:
        return True
    zero, other = (a, b) if a.high == 0 else (b, a)
    return (zero.high == 0 and zero.counted == "people" and other.low > 0
            and _person(other.counted) and bool(other.predicate)
            and other.predicate == zero.predicate)


def _person(counted: str) -> bool:
    """A counted noun that names people ("passe" for passengers, "worke", "child")."""
    return counted in _PERSON_STEMS or counted.endswith(("er", "ers", "ist"))


_PERSON_STEMS = frozenset({
    "people", "passe", "crew", "child", "civil", "soldi", "offic", "resid", "victi", "deckh",
    "membe", "emplo", "co-wo", "firef", "polic", "stude", "pupil", "touri", "women", "men",
    "adult", "perso", "patie", "guard", "pilgr", "minor", "famil",
})


def conflicting(a: Measure, b: Measure) -> bool:
    """Two figures of the same thing whose intervals never meet: the same counted noun, the
    same predicate class (or, outside the classes, a shared word around both figures), both
    of the whole rather than a part, and no value both allow."""
    if a.part or b.part or a.total != b.total or not _same_counted(a, b):
        return False
    if a.predicate or b.predicate:
        if a.predicate != b.predicate:
            return False
    elif len(a.context & b.context) < (1 if a.static and b.static else _SHARED_CONTEXT):
        return False  # a distance needs less: "1,150 km *south*east" / "1,500 km *south*"
    return a.high < b.low or b.high < a.low


def conflicts(
    a: Sequence[Measure], b: Sequence[Measure]
) -> list[tuple[Measure, Measure]]:
    """Every pair of conflicting figures of two clauses, provided each thing is counted once
    in each clause: "seven rifles ... three other rifles" lists parts, not rival totals."""
    pairs = []
    for x in a:
        for y in b:
            if not conflicting(x, y):
                continue
            if sum(m.counted == x.counted for m in a) > 1 or sum(
                    m.counted == y.counted for m in b) > 1:
                continue
            pairs.append((x, y))
    return pairs
