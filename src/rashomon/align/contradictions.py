"""Clauses of different documents that cannot both hold.

- Claims (`claim_contradictions`): clauses of the claim index about the same thing whose
  numbers for the same unit conflict ("40 injured" / "more than 100 injured"), whose dates never
  overlap, or whose predicates are opposed ("accepted" / "rejected").
- Negations (`contradiction_relations`): clauses of different speakers with opposite polarity,
  where a word under the negation ("no threat of *flooding*") is echoed by the other clause
  ("flooded").

Conservative on purpose: a wrong contradiction accuses someone; a missed one only leaves a gap.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Sequence

import numpy as np

from rashomon.align.common import (
    STOP,
    LastStories,
    WordEcho,
    content_words,
    cosines_of,
    lowercase_words,
    negation_cue,
    propositions,
    relation_id,
    same_speaker,
    same_word,
    speaker_name,
    surname_key,
)
from rashomon.align.index import ClaimIndex, ClaimUnit, PairTest, Rarity
from rashomon.align.measures import conflicts, measures
from rashomon.align.quotes import Segment, quote_segments
from rashomon.dates import MONTH_NAMES, MONTH_WORDS, WEEKDAY_NAMES, alternatives
from rashomon.model import Analysis, Attribution, Document, Relation, RelationKind, Span
from rashomon.terms import WORD, normal, stem

__all__ = [
    "claim_contradictions", "contradiction_relations", "negation_texts", "negation_words",
]

# --- contradictions between claims -------------------------------------------------------------

# Two clauses are about the same thing when they would corroborate each other but for the
# detail that differs: 0.5 × cosine + 0.5 × rare-stem overlap at least this.
_SAME_THING = 0.6
# Opposed predicates ("accepted" / "rejected", "rose" / "fell"): everything else shared, one or
# two words differ on each side, and the differing words are antonyms of the list below. An
# embedding test (negating one side moves it towards the other) let "control" / "contrary"
# and "move" / "arm" through on news: a word list says less and is right.
_OPPOSITION_SIMILARITY = 0.7
_MAX_DIFFERING = 2
_ANTONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("accept", "approv", "passed"), ("reject", "block", "vetoed")),
    (("rise", "rose", "risen", "increas", "grew", "grow"), ("fell", "fall", "decreas", "declin",
                                                             "drop", "shrank")),
    (("won", "win"), ("lost", "lose")),
    (("open",), ("closed", "closing", "shut")),
    (("guilty", "convict"), ("innocent", "acquit", "not guilty")),
    (("alive", "surviv"), ("dead", "died", "killed")),
    (("succeed", "success"), ("fail",)),
    (("legal",), ("illegal",)),
    (("true",), ("false", "untrue")),
    (("confirm", "admit"), ("denied", "denies", "deny")),
    (("support",), ("oppos",)),
    (("resign",), ("stay", "remain")),
)
# Words that name a scope: "in the province", "across the region".
_SCOPE_NOUNS = frozenset({
    "province", "region", "country", "state", "district", "county", "city", "town", "village",
    "area", "capital", "nation", "world", "island", "valley", "municipality", "zone",
})
_SCOPE = re.compile(r"\b(?i:in|across|throughout|within)\s+(?i:the\s+)?(?i:whole\s+|entire\s+)?"
                    r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*|[a-z]+)")
_MONTHS_AND_DAYS = frozenset(name.lower() for name in MONTH_NAMES + WEEKDAY_NAMES)
# A month or a year named; "may" only before a day ("May 3"), as it is a verb otherwise.
_MONTH_OR_YEAR = re.compile(
    rf"\b(?:{alternatives([m for m in MONTH_WORDS if m != 'May'])}|may(?= \d)|(?:19|20)\d\d)\b",
    re.IGNORECASE)
# Counts that grow as a day's reports come in: two of them differ as an update would.
_TOLLS = frozenset({"death", "injury", "arrest", "evacuation", "missing"})
# Two clauses this alike, figures and dates aside, are one sentence copied.
_COPY = 0.9


def _differing_word(unit: ClaimUnit, stems: frozenset[str]) -> re.Match[str] | None:
    """The first word of a clause whose stem is among `stems`."""
    for match in WORD.finditer(unit.text):
        word = normal(match.group())
        if stem(word) in stems and word not in STOP:
            return match
    return None


def _antonyms(word: str, other: str) -> bool:
    word, other = word.lower(), other.lower()
    return any((word.startswith(x) and other.startswith(y))
               or (word.startswith(y) and other.startswith(x)) for x, y in _ANTONYMS)


def _opposed(a: ClaimUnit, b: ClaimUnit, cosine: float) -> tuple[str, str] | None:
    """The antonyms that oppose two clauses saying the rest alike ("the council *accepted*
    the plan" / "the council *rejected* the plan"), or None."""
    only_a, only_b = a.stems - b.stems, b.stems - a.stems
    if (a.negated or b.negated or cosine < _OPPOSITION_SIMILARITY or len(a.stems & b.stems) < 2
            or not 0 < len(only_a) <= _MAX_DIFFERING or not 0 < len(only_b) <= _MAX_DIFFERING):
        return None
    word_a, word_b = _differing_word(a, only_a), _differing_word(b, only_b)
    if word_a is None or word_b is None or not _antonyms(word_a.group(), word_b.group()):
        return None
    return word_a.group(), word_b.group()


def could_contradict(units: Sequence[ClaimUnit], rarity: Rarity) -> PairTest:
    """Whether `claim_contradictions` could find two clauses (rows of `units`) in conflict,
    whatever their vectors: they share a content stem, and either give figures that conflict
    or differ by an antonym with the highest cosine there is. A `Pairable` for the claim
    index."""
    figures = [measures(unit) for unit in units]

    def test(i: int, j: int) -> bool:
        a, b = units[i], units[j]
        shared = len(a.stems & b.stems)
        if not shared:
            return False
        # `_opposed`'s own first checks, on counts, before it reads the words
        if (not a.negated and not b.negated and shared >= 2
                and 0 < len(a.stems) - shared <= _MAX_DIFFERING
                and 0 < len(b.stems) - shared <= _MAX_DIFFERING
                and _opposed(a, b, 1.0) is not None):
            return True
        return bool(figures[i]) and bool(figures[j]) and bool(conflicts(figures[i], figures[j]))

    return test


def _copies(a: ClaimUnit, b: ClaimUnit) -> bool:
    """One sentence in two outlets, whatever its figures: its words, digits aside, alike."""
    matcher = difflib.SequenceMatcher(a=_copy_words(a.text), b=_copy_words(b.text),
                                      autojunk=False)
    # the quick ratios bound the ratio from above: most pairs are told apart without it
    return (matcher.real_quick_ratio() >= _COPY and matcher.quick_ratio() >= _COPY
            and matcher.ratio() >= _COPY)


# memoised: a clause meets many others of the story, and its words were read again for each
@functools.lru_cache(maxsize=4096)
def _copy_words(text: str) -> tuple[str, ...]:
    return tuple(normal(w) for w in WORD.findall(text) if not w[:1].isdigit())


def _dated_apart(a: str, b: str) -> bool:
    """Neither clause names a month or year the other does not: "in February" or "in 2003"
    in one clause only is another event of the topic, mentioned as background."""
    return _when_named(a) == _when_named(b)


def _when_named(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _MONTH_OR_YEAR.findall(text))


# A sentence that opens with a personal pronoun does not say whose figures it gives.
_PERSON_START = re.compile(r"^\W*(?:he|she|they|his|her|their)\b", re.IGNORECASE)
# A sentence that opens with a pronoun ("*It* killed 612 people") speaks of what the sentence
# before named ("In February, a quake hit Zarand").
_PRONOUN_START = re.compile(r"^\W*(?:it|they|this|that|these|those|he|she)\b", re.IGNORECASE)


def _setting(unit: ClaimUnit, docs: dict[str, Document]) -> Span:
    """The words that say when, where and of whom a clause's figures hold: its whole sentence
    (a clause cut from "In February, a quake hit Zarand, killing 612 people" keeps its date and
    place), and the sentence before when this one opens with a pronoun ("*He* caught eight
    passes")."""
    text = docs[unit.claim.doc].text
    start = _sentence_start(text, unit.span.start)
    end = _SENTENCE_END.search(text, unit.span.end)
    stop = end.start() + 1 if end else len(text)
    if _PRONOUN_START.match(text[start:stop]) and start > 0:
        start = _sentence_start(text, start - 1)
    return Span(unit.span.doc, start, max(stop, unit.span.end))


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding `at` starts (a full stop just before `at` ends no sentence
    when nothing follows it: the search stops at `at`)."""
    return max((m.end() for m in _SENTENCE_END.finditer(text, max(0, at - 1500), at)
                if m.start() < at - 1), default=max(0, at - 1500))


def _of_someone_unnamed(unit: ClaimUnit, docs: dict[str, Document]) -> bool:
    """Whether the clause's sentence opens with a personal pronoun ("*He* has also caught
    eight passes"): whose figures they are, the sentence does not say."""
    text = docs[unit.claim.doc].text
    return bool(_PERSON_START.match(text[_sentence_start(text, unit.span.start) : unit.span.end]))


def _people(setting: Span, analysis: Analysis, speakers: frozenset[Span],
            label: str = "PERSON") -> frozenset[str]:
    """The people (or, with `label`, the organisations) a clause's setting names, by entity
    or last word; not who speaks ("*Ana Silva* said no passengers were hurt" is no figure of
    Ana Silva)."""
    return frozenset(m.entity or m.text.split()[-1].lower() for m in analysis.mentions
                     if m.label == label and m.span.doc == setting.doc
                     and setting.contains(m.span) and m.text.split()
                     and not any(m.span.overlaps(s) for s in speakers))


def _of_others(around_a: Span, around_b: Span, analysis: Analysis,
               speakers: frozenset[Span]) -> bool:
    """Whether two settings name only different people, or only different organisations:
    "Ilse Berg scored 20" / "Tomas Vik scored 23", "the Harbour Board offered eight years" /
    "the Dock Union offered five years" are figures of two subjects, not two accounts of one."""
    for label in ("PERSON", "ORG"):
        found_a = _people(around_a, analysis, speakers, label)
        found_b = _people(around_b, analysis, speakers, label)
        if found_a and found_b and not found_a & found_b:
            return True
    return False


# A part of a game, a fight or a day: "during the deciding 15-2 run", "in the second half",
# "in the third round". Figures of such a stretch are a part of the whole event's.
_PERIOD = re.compile(r"\b(?:during|in|over)\s+(?:the|a|an|that|this|its|his|her|their)?\s*"
                     r"(?:[\w'’-]+\s+){0,8}?(?:half|halves|quarter|round|period|inning|innings|"
                     r"run|stretch|lap|overtime)\b", re.IGNORECASE)


def _scope(text: str) -> frozenset[str]:
    """Where a clause's figures hold: the places and scope nouns after "in", "across", and a
    part of the event it names ("in the second half")."""
    found = {" ".join(m.group().lower().split()) for m in _PERIOD.finditer(text)}
    for match in _SCOPE.finditer(text):
        words = match.group(1)
        if words[:1].isupper() and words.split()[0].lower() not in _MONTHS_AND_DAYS:
            found.add(words.lower())
        elif words in _SCOPE_NOUNS:
            found.add(words)
    return frozenset(found)


def _published(unit: ClaimUnit, docs: dict[str, Document]) -> str | None:
    document = docs[unit.claim.doc]
    return document.published if document.published and not document.published_inferred else None


def _at_same_time(a: ClaimUnit, b: ClaimUnit, docs: dict[str, Document]) -> bool:
    """Both articles give their date and it is the same day: a figure that differs a day
    later is as likely an update as a conflict."""
    day_a, day_b = _published(a, docs), _published(b, docs)
    return day_a is not None and day_a == day_b


def _when_and_where(a: ClaimUnit, b: ClaimUnit, docs: dict[str, Document]) -> str:
    def one(unit: ClaimUnit) -> str:
        scope = ", ".join(sorted(_scope(docs[unit.claim.doc].slice(_setting(unit, docs))))
                          ) or "no place named"
        return (f"{docs[unit.claim.doc].outlet_label} published "
                f"{_published(unit, docs) or 'on a date it does not give'}, {scope}")
    return f"{one(a)}; {one(b)}"


def claim_contradictions(
    analysis: Analysis,
    embed: Callable[[Sequence[str]], np.ndarray],
    *,
    index: ClaimIndex | None = None,
) -> list[Relation]:
    """Clauses of different documents about the same thing that cannot both hold, and
    figures that differ where nothing says they cannot both hold.

    - A `contradiction`: the same measured quantity (what is counted, what happens to it, its
      place) with intervals that never meet, in articles of the same day ("no passengers were
      injured" / "two passengers were treated in hospital"), an age or a distance whatever
      the day; or the same clause but for an antonym ("accepted" / "rejected").
    - A `figure_difference`: the same measured quantity with other figures, but the articles'
      dates differ or are not given, or both are tolls (the dead, the injured: a toll rises
      within a day). It shows both, with their dates and places, and asserts no conflict.

    Figures are compared only when the sentences around them name the same places and the
    same months and years, no two different people, and no unnamed "he" or "she".

    One sentence copied in two outlets is never set against itself.
    """
    docs = {d.id: d for d in analysis.documents}
    index = index or ClaimIndex.build(analysis, embed)
    units, rarity = index.units, index.rarity
    figures = [measures(u) for u in units]
    speakers = frozenset(a.speaker.span for a in analysis.attributions if a.speaker.span)
    best: dict[tuple[str, str],
               tuple[float, ClaimUnit, ClaimUnit, RelationKind, str, Span, Span]] = {}
    for (i, j), cosine in index.neighbours.items():
        a, b = units[i], units[j]
        lexical = rarity.overlap(a.stems, b.stems)
        same = 0.5 * cosine + 0.5 * lexical
        if not lexical or _copies(a, b):
            continue
        kind: RelationKind | None = None
        why, evidence = "", (a.span, b.span)
        # a figure of a known predicate class ("killed", "injured") says what it measures;
        # others need clauses about the same thing around them
        pairs = [(x, y) for x, y in conflicts(figures[i], figures[j])
                 if (x.predicate or same >= _SAME_THING)
                 and (a.negated == b.negated or x.high == 0 or y.high == 0)]
        # "*He* has also caught eight passes": whose figure it is, the sentence does not say
        if pairs and (_of_someone_unnamed(a, docs) or _of_someone_unnamed(b, docs)):
            pairs = []
        if pairs:
            around_a, around_b = _setting(a, docs), _setting(b, docs)
            setting_a, setting_b = docs[a.claim.doc].slice(around_a), docs[b.claim.doc].slice(
                around_b)
        # figures of other places, or of another event the sentence dates ("a quake *in
        # February* killed hundreds"), or of other people ("Hansbrough scored 20 points" /
        # "Ely scored 23 points") are no figures of the same thing: nothing is reported
        if pairs and _scope(setting_a) == _scope(setting_b) and (
                pairs[0][0].static or _dated_apart(setting_a, setting_b)) and not _of_others(
                around_a, around_b, analysis, speakers):
            x, y = pairs[0]
            # an age or a distance does not change between two reports of the same week; a
            # toll (the dead, the injured, the arrested) rises within a day: two tolls are
            # shown as a difference, unless one says there were none
            toll = x.predicate in _TOLLS and x.high > 0 and y.high > 0
            kind = ("contradiction" if x.static or (_at_same_time(a, b, docs) and not toll)
                    else "figure_difference")
            why = f"the figures differ (“{x.text}” / “{y.text}”)"
            if kind == "figure_difference":
                why += (f", reported at other or unknown times, so possibly an update "
                        f"({_when_and_where(a, b, docs)})")
            evidence = (_sentence_of(a, x.span), _sentence_of(b, y.span))
        elif (words := _opposed(a, b, cosine)) is not None:
            kind, same = "contradiction", max(same, cosine)
            why = f"“{words[0]}” is opposed to “{words[1]}”"
        if not kind:
            continue
        pair = (a.claim.id, b.claim.id)
        if pair not in best or (kind == "contradiction", same) > (best[pair][3] == "contradiction",
                                                                   best[pair][0]):
            best[pair] = (same, a, b, kind, why, *evidence)
    relations = []
    for score, a, b, kind, why, span_a, span_b in best.values():
        members = (a.claim.id, b.claim.id)
        text_a, text_b = docs[a.claim.doc].slice(span_a), docs[b.claim.doc].slice(span_b)
        relations.append(Relation(
            relation_id(kind, members), kind, members, (span_a, span_b),
            round(min(score, 1.0), 4),
            f"{_voice(a, analysis, docs)}: “{text_a}”; {_voice(b, analysis, docs)}: “{text_b}”: "
            f"about the same thing, but {why}.",
        ))
    return relations


def _sentence_of(unit: ClaimUnit, span: Span) -> Span:
    """The sentence of a clause that holds a figure: the evidence a reader checks."""
    text, base = unit.text, unit.span.start
    start = max((m.end() for m in _SENTENCE_END.finditer(text[: span.start - base])), default=0)
    ends = _SENTENCE_END.search(text, span.end - base)
    end = ends.start() + 1 if ends else len(text)
    return Span(unit.span.doc, base + start, base + end)


# A sentence end: not the point of "St." or "Dr.", and followed by a capital or nothing.
_SENTENCE_END = re.compile(
    r"(?<!\bSt)(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bNo)(?<!\bMrs)(?<!\bGen)(?<!\bGov)"
    r"[.!?][\"”’]?(?:\s+(?=[A-Z“\"‘])|\s*$)")


def _voice(unit: ClaimUnit, analysis: Analysis, docs: dict[str, Document]) -> str:
    """Who says it, in which outlet: "Mara Quillan (Port Veyra Daily)" or the outlet alone."""
    outlet = docs[unit.claim.doc].outlet_label
    if unit.claim.attribution:
        for attribution in analysis.attributions:
            if attribution.id == unit.claim.attribution:
                return f"{speaker_name(attribution)} ({outlet})"
    return outlet


# --- contradictions by negation -----------------------------------------------------------------

# A word under a negation must be echoed this closely (cosine of single-word embeddings, or the
# same first five letters) for two clauses to be about the same thing. MiniLM puts
# some near-synonym pairs as low as 0.42 and unrelated nouns such as "soldiers"/"officer" at
# 0.49, so words alone are weak:
# the clause pair must also be close as a whole (_CLAUSE_SIMILARITY). At 0.4 the bundled
# examples gave three false contradictions ("passengers" ~ "workers", "sail" ~ "barge's",
# "addressed" ~ "complained", all 0.4-0.5) against one more right pair on the seeds, so only
# near-synonyms and shared stems count until a trained model replaces this rule. On ECB+ news
# 0.6 still let "safety" ~ "dangerous" and "parole" ~ "prison" through: 0.7.
_WORD_ECHO = 0.7
_CLAUSE_SIMILARITY = 0.35
# On ECB+ news (topics 1, 3, 8 and 12: 108 articles) the rules above alone reported 43
# contradictions, nearly all wrong: "didn't *get* a fair trial" against "when they *get* on the
# jury", "no *telling*" against "*told* him", "no chance of *parole*" against "life without
# *parole*". More conditions: the negated word is not a light verb, the echoed word is not
# itself negated ("without parole"), and the clauses are about the same thing by the measure
# corroboration uses (0.5 × cosine + 0.5 × rare-stem overlap).
_SAME_NEGATED_THING = 0.45
_LIGHT_VERBS = frozenset({
    "get", "gets", "got", "getting", "make", "makes", "made", "take", "takes", "took", "do",
    "does", "did", "doing", "done", "go", "goes", "went", "gone", "come", "came", "give",
    "gave", "given", "show", "shown", "showed", "tell", "telling", "told", "know", "knew",
    "known", "see", "saw", "seen", "want", "need", "let", "put", "seem", "seems", "keep",
    "taken", "taking", "place", "giving", "coming",
    "think", "thought", "mean", "means", "meant", "happen", "happened", "way", "thing",
})
# A frame that makes a clause a doubt, a wish or a condition rather than a statement of fact.
_FRAMED = re.compile(r"\b(?:doubts?|doubtful|unlikely|uncertain|unclear|whether|if|may|might|"
                     r"could|would|should|ought|must|hopes?|hoped|wonders?|wondered|regrett?\w*|"
                     r"\?)", re.IGNORECASE)
_IDENTICAL_ECHO_WINDOW = 3
# Words that say when or how much, not what: never the negated thing ("said nothing *after*").
_FUNCTION_WORDS = frozenset({
    "after", "before", "until", "while", "since", "also", "just", "only", "even", "still",
    "yet", "again", "back", "instead", "rather", "already", "ever", "really", "much", "many",
})
_NEGATION_WINDOW = 1  # the negated thing: "not *changed*", "no threat of *flooding*"
# Nouns that say how likely something is, not what: skipped to reach the negated thing.
_HEDGE_NOUNS = frozenset({
    "threat", "threats", "risk", "risks", "danger", "sign", "signs", "chance", "chances",
    "possibility", "evidence", "question", "prospect", "indication", "likelihood", "fear",
    "fears", "need",
})
# ... or under a verb that says it did not happen: "*escaped* prosecution", "*failed to* stop".
_NEGATED_BEFORE = re.compile(r"\b(?:no|not|never|without|nor|neither|n[’']t|escap\w*|avoid\w*|"
                             r"evad\w*|lack\w*|fail\w*(?: to)?|free of|absence of)"
                             r"\W+(?:\w+\W+){0,2}$", re.IGNORECASE)


def _names_before(text: str, word: str) -> set[str]:
    """The capitalised words of a clause before `word` (who it is said of), lower-cased."""
    at = re.search(r"\b" + re.escape(word) + r"\b", text, re.IGNORECASE)
    return {w.lower() for w in WORD.findall(text[: at.start() if at else 0])
            if w[:1].isupper() and w.lower() not in STOP}


def _negated_word(text: str, word: str) -> bool:
    """The word is itself under a negation in this clause: "without *parole*", "no *parole*"."""
    for match in re.finditer(r"\b" + re.escape(word) + r"\b", text.replace("’", "'"),
                             re.IGNORECASE):
        if _NEGATED_BEFORE.search(text[: match.start()]):
            return True
    return False


# "not *on* policy", "not *a* .45": after "and", "but", "or" or a comma, a negated phrase
# rather than a negated clause.
_CONTRAST_BEFORE = re.compile(r"(?:,|\b(?:and|but|or|rather than))\s*$", re.IGNORECASE)
_PHRASE_AFTER = re.compile(r"\s+(?:on|in|at|a|an|the|for|by|with|about|from|to|of)\b",
                           re.IGNORECASE)
# A negation bounded in time: "no shots were fired *when he was taken into custody*".
_MOMENT = re.compile(r"\b(?:when|while|after|before|until|during|as soon as)\b(?P<rest>.*)",
                     re.IGNORECASE)


def _contrast(text: str, cue: re.Match[str]) -> bool:
    """The negation sets a phrase against another ("a .32 revolver, not a .45"; "on health
    and not on policy"): it denies no one's statement."""
    before = text[: cue.start()].rstrip()
    if before.endswith(","):
        return True
    return bool(_CONTRAST_BEFORE.search(before) and _PHRASE_AFTER.match(text[cue.end():]))


def _same_moment(negated: str, cue: re.Match[str] | None, other: Sequence[str],
                 echo: WordEcho) -> bool:
    """A negation said of one moment ("was not wearing crampons when he slipped", "no shots
    were fired when he was arrested") opposes a statement only about that moment: one of the
    moment's words must be echoed by the other clause."""
    moment = _MOMENT.search(negated, cue.end()) if cue is not None else None
    if moment is None:
        return True
    words = [w for w in content_words(lowercase_words(moment.group("rest")))
             if w not in _LIGHT_VERBS]
    if not words:
        return True
    echo.prepare(set(words))
    return echo.best(words, other, strict=True)[0] >= _WORD_ECHO


def _opposed_pairs(
    segments: Sequence[Segment], negated: dict[int, re.Match[str] | None]
) -> list[tuple[int, int]]:
    """(i, j): a negated clause and an affirmative one of another named speaker, neither a
    doubt, a wish or a question: the pairs worth comparing (what needs no vectors to decide)."""
    # "we doubt it will happen" agrees with "it will not happen"
    framed = [_FRAMED.search(s.text) is not None for s in segments]
    keys = [surname_key(s.attribution) for s in segments]
    affirmed = [j for j, b in enumerate(segments)
                if not negated[id(b)] and keys[j] and not framed[j]]
    # asked once per two attributions, not once per two of their clauses
    speakers: dict[tuple[int, int], bool] = {}

    def other_speaker(a: Attribution, b: Attribution) -> bool:
        key = (id(a), id(b))
        if key not in speakers:
            speakers[key] = not same_speaker(a, b)
        return speakers[key]

    return [
        (i, j)
        for i, a in enumerate(segments) if negated[id(a)] and keys[i] and not framed[i]
        for j in affirmed if other_speaker(a.attribution, segments[j].attribution)
    ]


_NegationPairs = tuple[
    list[Segment], dict[int, re.Match[str] | None], dict[int, list[str]], dict[int, list[str]],
    list[tuple[int, int]]]
# `_find_negation_pairs` of the last stories: an ingest asks for a story's three times
# (`negation_words` and `negation_texts` ahead of the embedding, then `contradiction_relations`),
# and the pair list is quadratic in the story's quotes
_pairs_found: LastStories[_NegationPairs] = LastStories()


def _negation_pairs(analysis: Analysis) -> _NegationPairs:
    """`_find_negation_pairs`, found once for the same documents and attributions."""
    return _pairs_found.get(
        (tuple((d.id, d.text) for d in analysis.documents), analysis.attributions),
        lambda: _find_negation_pairs(analysis))


def _find_negation_pairs(analysis: Analysis) -> _NegationPairs:
    """The clauses `contradiction_relations` compares, each one's negation cue (by `id`),
    negated words and content words, and the pairs (i, j) of a negated clause and an
    affirmative one worth comparing: what needs no vectors to decide. Reads the documents'
    ids and texts and the attributions only (the key of `_negation_pairs`)."""
    docs = {d.id: d for d in analysis.documents}
    # "wants *to have a stop sign*": a wish or a plan, not a statement of what is so
    segments = [s for a in propositions(analysis) if a.doc in docs
                and not docs[a.doc].slice(a.content).lstrip(" \"“‘").lower().startswith("to ")
                for s in quote_segments(a, docs[a.doc]) if len(s.words) >= 3]
    # the whole-quote segment repeats its clauses: keep clauses only when there are several
    of_attribution: dict[int, list[Segment]] = {}  # by `id`: the same object, as `is` tells
    for segment in segments:
        of_attribution.setdefault(id(segment.attribution), []).append(segment)
    segments = [s for s in segments if not any(
        o is not s and s.span.contains(o.span) and o.span != s.span
        for o in of_attribution[id(s.attribution)])]
    # "a .32 revolver, *not* a .45", "on health matters *and not* on policy": a contrast, not a
    # negation of anyone's statement
    negated = {id(s): (m if (m := negation_cue(s.text)) is None or not _contrast(s.text, m)
                       else None)
               for s in segments}
    # common words only: a shared place name ("in Dornach") says where, not what is negated
    # the negated thing; a light verb there ("did not *get*", "not *let*") names nothing
    scope = {id(s): [w for w in [w for w in content_words(lowercase_words(s.text[m.end():]))
                                 if w not in _HEDGE_NOUNS and w not in _FUNCTION_WORDS]
                     [:_NEGATION_WINDOW] if w not in _LIGHT_VERBS]
             for s in segments if (m := negated[id(s)])}
    words = {id(s): content_words(s.text) for s in segments}
    # a pair with no negated word, or no word on the other side, has no echo (`WordEcho.best`
    # scores it 0): it is never reported, so its clauses need no vectors
    pairs = [(i, j) for i, j in _opposed_pairs(segments, negated)
             if scope[id(segments[i])] and words[id(segments[j])]]
    return segments, negated, scope, words, pairs


def negation_words(analysis: Analysis) -> list[str]:
    """The single words `contradiction_relations` compares first, found without vectors: the
    negated word of each pair's negated clause and the content words of the other clause."""
    segments, _, scope, words, pairs = _negation_pairs(analysis)
    return sorted({w for i, j in pairs
                   for w in (*scope[id(segments[i])], *words[id(segments[j])])})


def negation_texts(
    analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray]
) -> list[str]:
    """The clauses `contradiction_relations` embeds for this story, found with the single
    words' vectors (`embed`, best with them at hand): those of the pairs whose negated word
    the other clause echoes (`_echoing_pairs`)."""
    segments = _negation_pairs(analysis)[0]
    return [segments[k].text for k in _echoing_rows(_echoing_pairs(analysis, WordEcho(embed)))]


_Echo = tuple[float, str, str]  # `WordEcho.best`: (score, word, other)


def _echoing_pairs(analysis: Analysis, echo: WordEcho) -> list[tuple[int, int, _Echo]]:
    """The negation pairs (`_negation_pairs`, in their order) whose negated word the other
    clause echoes (`_WORD_ECHO`) where that clause does not negate it itself ("life without
    *parole*"), each with its echo: the only pairs whose clauses are worth a vector. Scored
    with single words' vectors alone; a pair is scored exactly (`WordEcho.best`) only when
    some word of its other clause may echo (`WordEcho.echoing`)."""
    segments, _, scope, words, pairs = _negation_pairs(analysis)
    if not pairs:
        return []
    may_echo = echo.echoing({w for i, _ in pairs for w in scope[id(segments[i])]},
                            {w for _, j in pairs for w in words[id(segments[j])]},
                            least=_WORD_ECHO)
    found = []
    for i, j in pairs:
        a, b = segments[i], segments[j]
        if all(may_echo[w].isdisjoint(words[id(b)]) for w in scope[id(a)]):
            continue
        best = echo.best(scope[id(a)], words[id(b)], strict=True)
        if best[0] < _WORD_ECHO or _negated_word(b.text, best[2]):
            continue
        found.append((i, j, best))
    return found


def _echoing_rows(pairs: Sequence[tuple[int, int, _Echo]]) -> list[int]:
    return sorted({k for i, j, _ in pairs for k in (i, j)})


def contradiction_relations(
    analysis: Analysis, embed: Callable[[Sequence[str]], np.ndarray]
) -> list[Relation]:
    """Clauses of different speakers about the same thing with opposite polarity.

    Same thing: a content word just after the negation cue is echoed in the other clause and
    the two clauses are close as a whole. Conservative on purpose: a wrong contradiction
    accuses someone; a missed one only leaves a gap.
    """
    docs = {d.id: d for d in analysis.documents}
    segments, negated, scope, words, _ = _negation_pairs(analysis)
    echo = WordEcho(embed)
    # the words first: a pair whose negated word the other clause does not echo is never
    # reported, and its clauses need no vectors
    echoing = _echoing_pairs(analysis, echo)
    if not echoing:
        return []
    similarity = cosines_of([s.text for s in segments], _echoing_rows(echoing), embed)
    # "no *threat* of encirclement": what is negated is named after a hedge noun, on its own
    hedged = {id(s) for s in segments if (m := negated[id(s)])
              and content_words(lowercase_words(s.text[m.end():]))[:1] in (
                  [w] for w in _HEDGE_NOUNS)}
    # the subject: the last content words before the negation ("the *dam* has not")
    negated_words = {id(s): list(dict.fromkeys(
        w for w in content_words(lowercase_words(s.text[m.end():])) if w not in _FUNCTION_WORDS))
        for s in segments if (m := negated[id(s)])}
    subjects = {id(s): frozenset(stem(w) for w in content_words(s.text[: m.start()])[-3:])
                for s in segments if (m := negated[id(s)])}
    stems = {id(s): frozenset(stem(w) for w in words[id(s)]) for s in segments}
    rarity = Rarity(list({s.attribution.id: stems[id(s)] for s in segments}.values()))
    best: dict[tuple[str, str], tuple[float, Segment, Segment, str, str]] = {}
    for i, j, (word_score, word, other) in echoing:
        a, b = segments[i], segments[j]
        clause = float(similarity[i, j])
        if clause < _CLAUSE_SIMILARITY:
            continue
        if not _same_moment(a.text, negated[id(a)], words[id(b)], echo):
            continue  # "was not wearing crampons *when he slipped*": only then
        # one word echoed as itself ("move" / "move", "regulation" / "regulation") can be
        # another sense of it or a bystander of the negated predicate: the subject before
        # the negation must be shared too ("the *dam* has not collapsed"), or two of the
        # first words under it echoed ("did not *point* the *gun*") while the other clause
        # names no one the negated one does not ("*Buckley* was wearing crampons" / "the
        # man was not wearing crampons": another climber)
        if same_word(word, other) and id(a) not in hedged and not (
                subjects[id(a)] & stems[id(b)]) and (
                _names_before(b.text, other) - {w.lower() for w in WORD.findall(a.text)}
                or sum(echo.best([w], words[id(b)], strict=True)[0] >= _WORD_ECHO
                       for w in negated_words[id(a)][:_IDENTICAL_ECHO_WINDOW]) < 2):
            continue
        # about the same thing: as for corroboration, the rarer shared words count most
        same = 0.5 * clause + 0.5 * rarity.overlap(stems[id(a)], stems[id(b)])
        if same < _SAME_NEGATED_THING:
            continue
        score = round((clause + word_score) / 2, 4)
        pair = (a.attribution.id, b.attribution.id)
        if pair not in best or score > best[pair][0]:
            best[pair] = (score, a, b, word, other)
    relations = []
    for score, a, b, word, other in best.values():
        members = (b.attribution.id, a.attribution.id)
        where_a, where_b = docs[a.attribution.doc].outlet_label, docs[b.attribution.doc].outlet_label
        relations.append(Relation(
            relation_id("contradiction", members), "contradiction", members,
            (b.span, a.span), score,
            f"{speaker_name(b.attribution)} ({where_b}): “{b.text}”; {speaker_name(a.attribution)} "
            f"({where_a}) negates it: “{a.text}” (“{word}” ~ “{other}”).",
        ))
    return relations
