"""Quotes of one utterance in several outlets: corroboration, variants and divergences.

Quotes are cut into clauses, every clause is embedded once, and clauses of different documents
are compared. A pair close in meaning is one utterance rendered by two outlets; then the
speakers, words and media are compared:

- same speaker, different words   -> quote_variant (with a word diff); a short fragment whose
                                     every word the other quote echoes stem for stem
                                     ("cautious hope" / "cautiously hopeful") is one too
- same speaker, same words        -> corroboration (quoted identically), also when one outlet's
                                     fragment appears word for word in the other's longer quote
- same words, different speakers  -> attribution_divergence (both may have said it)
- same utterance, different media -> medium_divergence
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from rashomon.align.common import (
    LastStories,
    content_words,
    cosines_of,
    relation_id,
    same_speaker,
    speaker_name,
    surname_key,
)
from rashomon.align.sources import Sources
from rashomon.claims import parse_number
from rashomon.model import Analysis, Attribution, Document, Relation, Span
from rashomon.terms import WORD, normal, same_stem

__all__ = [
    "PairMatters", "QUOTE_KINDS", "Segment", "compared_segments", "quote_relations",
    "quote_segments", "quote_texts", "word_diff",
]

QUOTE_KINDS = frozenset({"direct", "partial"})
# Sentence ends, and the clause joints where one quote often carries two statements
# ("we had good talks, and there is a good chance the war can end").
_SEGMENT_BREAK = re.compile(r"(?<=[.!?])\s+|,\s+(?:and|but)\s+|;\s+")
_MIN_SEGMENT_WORDS = 4
# Short fragments ("cautious hope") carry too little for an embedding to mean much: they
# are paired only when their words are the same.
_SAME_WORDS = 1.0
# A fragment (a partial quote, or under half the words) quoted word for word inside another
# outlet's longer quote of the same speaker ("careful and thorough inspections") is the
# same words; shorter runs than this are too common to mean anything.
_MIN_CONTAINED_WORDS = 3
# An utterance whose speaker or medium outlets may disagree on holds at least this many
# content words ("cautious optimism"); one word in quote marks is a label or a scare quote.
_MIN_UTTERANCE_WORDS = 2
# One utterance rendered twice keeps most of its words: half of the shorter rendering's
# content words at least ("a very good chance ... bloody war can finally end" / "a great
# chance ... bloody war can finally come to an end").
_VARIANT_SHARE = 0.5
# Words quoted identically by two outlets corroborate a statement from two words on ("in
# principle"), one of them a content word that is not a name.
_MIN_IDENTICAL_WORDS = 2
# What someone can be said to have said: not a directive's object ("urged Berg to stay").
_SPEECH_STANCES = frozenset({"assertion", "distancing", "belief", "accusation", "concession",
                             "denial", "directive"})


@dataclass(frozen=True, slots=True)
class Segment:
    attribution: Attribution
    span: Span
    text: str
    # The text's normalised words and the speaker's key (`surname_key`), computed once: the
    # pairing reads them for every pair a segment is in (hundreds of thousands of reads on a
    # hundred-article ingest).
    words: tuple[str, ...] = field(init=False, repr=False, compare=False)
    speaker_key: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", tuple(normal(w) for w in WORD.findall(self.text)))
        object.__setattr__(self, "speaker_key", surname_key(self.attribution))


def quote_segments(attribution: Attribution, document: Document) -> list[Segment]:
    """A quote's sentences and clauses, each a span of the document."""
    content = attribution.content
    text = document.slice(content)
    segments: list[Segment] = []
    start = 0
    for match in [*_SEGMENT_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        stripped = piece.strip(" \"“”‘’,.;:!?")
        if stripped:
            offset = content.start + start + piece.index(stripped[0])
            span = Span(content.doc, offset, offset + len(stripped))
            segments.append(Segment(attribution, span, stripped))
        if match:
            start = match.end()
    whole = text.strip(" \"“”‘’,.;:!?")
    if len(segments) > 1 and whole:
        offset = content.start + text.index(whole[0])
        segments.append(Segment(attribution, Span(content.doc, offset, offset + len(whole)), whole))
    return segments


def word_diff(a: str, b: str) -> tuple[tuple[str, str], ...]:
    """Word-level diff of two renderings: ("equal"|"delete"|"insert", words) runs."""
    left, right = a.split(), b.split()
    ops: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "delete", "replace") and i2 > i1:
            ops.append(("equal" if tag == "equal" else "delete", " ".join(left[i1:i2])))
        if tag in ("insert", "replace") and j2 > j1:
            ops.append(("insert", " ".join(right[j1:j2])))
    return tuple(ops)


def _pair_relations(
    a: Segment, b: Segment, score: float, docs: dict[str, Document]
) -> list[Relation]:
    """The relations one pair of matching segments supports."""
    att_a, att_b = a.attribution, b.attribution
    members = (att_a.id, att_b.id)
    evidence = (a.span, b.span)
    outlet_a, outlet_b = docs[att_a.doc].outlet_label, docs[att_b.doc].outlet_label
    key_a, key_b = surname_key(att_a), surname_key(att_b)
    name_a = att_a.speaker.name or att_a.speaker.text
    name_b = att_b.speaker.name or att_b.speaker.text
    same_words = _same_words(a, b)
    relations: list[Relation] = []
    if key_a and key_b and key_a != key_b and not _one_person(att_a, att_b):
        short = min(len(a.words), len(b.words)) < _MIN_SEGMENT_WORDS
        if (same_words and _utterance(a) and _utterance(b) and _named(att_a)
                and _named(att_b) and (not short or (_full_name(att_a) and _full_name(att_b)))):
            relations.append(Relation(
                relation_id("attribution_divergence", members), "attribution_divergence",
                members, evidence, score,
                f"The words “{a.text}” are {name_a}'s in {outlet_a} and {name_b}'s in "
                f"{outlet_b}; both may have said them, so neither outlet is called wrong.",
            ))
        return relations
    if same_words:
        if len(a.words) < _MIN_IDENTICAL_WORDS or not _said(a, least=1):
            return relations  # "American Pie", "zero-day": a title or a term, no statement
        relations.append(Relation(
            relation_id("corroboration", members), "corroboration", members, evidence, score,
            f"{outlet_a} and {outlet_b} quote {name_a or name_b} identically: “{a.text}”.",
        ))
    elif (_shared_share(a, b) < _VARIANT_SHARE or not _said(a) or not _said(b)
          or _excerpt(a, b, docs)):
        # two utterances on one subject; a title or a nickname ("Deep Throat"); or one
        # outlet's shorter excerpt of the other's quote, no word changed: no variant
        return relations
    else:
        changed = "; ".join(f"“{x}” / “{y}”" for x, y in _changes(a.text, b.text)) or "word order"
        relations.append(Relation(
            relation_id("quote_variant", members), "quote_variant", members, evidence, score,
            f"{outlet_a} and {outlet_b} quote the same words of {name_a or name_b} differently "
            f"(similarity {score:.2f}): {changed}. {outlet_a}: “{a.text}”; {outlet_b}: "
            f"“{b.text}”.",
            diff=word_diff(a.text, b.text),
        ))
    if (att_a.medium and att_b.medium and att_a.medium.lower() != att_b.medium.lower()
            and _utterance(a) and _utterance(b)):
        relations.append(Relation(
            relation_id("medium_divergence", members), "medium_divergence", members, evidence,
            score,
            f"{outlet_a} says {name_a or name_b} said this via {att_a.medium}, {outlet_b} via "
            f"{att_b.medium}: a difference to show, not an error to assert.",
        ))
    return relations


def _excerpt(a: Segment, b: Segment, docs: dict[str, Document]) -> bool:
    """One rendering is the other's words cut shorter, with nothing changed inside: "a total
    loss" / "total loss", "emergency response" inside a longer sentence. A shorter rendering
    that is a whole sentence is not an excerpt (what the other adds is a difference)."""
    wa, wb = _as_written(a), _as_written(b)
    (short, short_segment), (long, _) = sorted([(wa, a), (wb, b)], key=lambda x: len(x[0]))
    if not short or _whole_sentence(short_segment, docs):
        return False
    n = len(short)
    if any(long[i : i + n] == short for i in range(len(long) - n + 1)):
        return True
    return n <= _MIN_CONTAINED_WORDS and set(short) <= set(long)


def _shared_share(a: Segment, b: Segment) -> float:
    """The share of the shorter segment's content words the other echoes, stem for stem."""
    words_a, words_b = set(content_words(a.text)), set(content_words(b.text))
    short, long = (words_a, words_b) if len(words_a) <= len(words_b) else (words_b, words_a)
    if not short:
        return 0.0
    return sum(any(w == o or same_stem(w, o) for o in long) for w in short) / len(short)


def _changes(a: str, b: str) -> list[tuple[str, str]]:
    """What one rendering has where the other has something else: (words of a, words of b)."""
    left, right = a.split(), b.split()
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    return [(" ".join(left[i1:i2]) or "—", " ".join(right[j1:j2]) or "—")
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"][:4]


def _one_person(a: Attribution, b: Attribution) -> bool:
    """Two renderings of one speaker's name: "Jackman" / "Hugh Jackman", "Vincent DelGiudice"
    / "Vincent Del Giudice", a linked entity and the surname of an unlinked mention."""
    if same_speaker(a, b):
        return True
    names = [[w.lower() for w in WORD.findall(speaker_name(x)) if w[:1].isupper()]
             for x in (a, b)]
    if not all(names):
        return False
    joined = ["".join(n) for n in names]
    return (names[0][-1] in names[1] or names[1][-1] in names[0]
            or joined[0].endswith(joined[1]) or joined[1].endswith(joined[0]))


def _named(attribution: Attribution) -> bool:
    """The outlet names the speaker itself: not a pronoun resolved by us ("he" may be the
    wrong man), not a role ("her rep", "the star"), nor an uncertain or anonymous source. Only
    then can two outlets be said to give the words to different people."""
    speaker = attribution.speaker
    words = WORD.findall(speaker_name(attribution))
    return (not speaker.uncertain and not speaker.anonymous and bool(words)
            and words[-1][:1].isupper() and speaker.text.strip().lower() not in _PRONOUNS)


def _full_name(attribution: Attribution) -> bool:
    """A person's first and last name, no office ("Alaska Governor"), no first name alone
    ("Sarah"), no group ("Researchers at ..."): a two-word phrase in quote marks is credited
    to two people only when both outlets name them so."""
    words = WORD.findall(speaker_name(attribution))
    return (len(words) >= 2 and all(w[:1].isupper() for w in words)
            and not {w.lower() for w in words} & _OFFICES)


_OFFICES = frozenset({
    "governor", "president", "minister", "secretary", "spokesman", "spokeswoman",
    "spokesperson", "researchers", "officials", "police", "department", "office", "ministry",
    "court", "council", "navy", "army", "agency", "company", "university", "chief", "mayor",
})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "him", "her", "them", "you"})


def _as_written(segment: Segment, *, brackets: bool = True) -> tuple[str, ...]:
    """The words of a quote with what an editor changes and a speaker does not: numbers as
    digits ("eleventh" / "11th" / "11"), clock times ("6:00" / "6: 00 p.m." / "6"), British
    and American spelling ("neighbourhood", "realised"); bracket marks are no words
    ("[Tuesday]" / "Tuesday"), and without `brackets` neither is what an editor put between
    them ("by Saturday afternoon [8 October 2011]")."""
    return _written(segment.text, brackets)


# a story's quotes are compared pair by pair: each text is read once
@functools.lru_cache(maxsize=4096)
def _written(text: str, brackets: bool) -> tuple[str, ...]:
    text = re.sub(r"(\d)\s*:\s*(\d\d)\b", r"\1:\2", text)
    if not brackets:
        text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"(\d)(?::00)?\s*(?:[ap]\.?\s?m\b\.?|o'clock)", r"\1", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"(\d):00\b", r"\1", text)
    # "18:41" / "6:41", "(0241 GMT" / "(02:41 GMT": one clock time; a time zone's name is
    # what an editor adds for readers elsewhere
    text = _ZONED_TIME.sub(lambda m: f"{int(m[1])}:{m[2]}", text)
    text = _AFTERNOON.sub(lambda m: f"{int(m[1]) - 12}:{m[2]}", text)
    text = _TIME_ZONE.sub(" ", text)
    words = []
    for word in WORD.findall(text):
        # "population's" / "populations'", "neighbourhood" / "neighborhood", "realised" /
        # "realized": one word
        word = _SPELLING.sub(r"\1", normal(word).replace("'", ""))
        word = _ISE.sub("iz", word)
        word = _ORDINALS.get(word, word)
        number = parse_number(re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", word))
        words.append(str(int(number)) if number is not None and number == int(number) else word)
    return tuple(words)


_ZONES = r"(?:GMT|UTC|PST|PDT|EST|EDT|CST|CDT|MST|MDT|BST|CET|CEST)"
_ZONED_TIME = re.compile(r"\b([01]?\d|2[0-3]):?([0-5]\d)(?=\s*" + _ZONES + r"\b)")
_AFTERNOON = re.compile(r"\b(1[3-9]|2[0-3]):([0-5]\d)\b")
_TIME_ZONE = re.compile(r"\b" + _ZONES + r"\b")
_SPELLING = re.compile(r"(?<=o)u(r)")
_ISE = re.compile(r"(?<=\w\w)is(?=(?:e|es|ed|ing|ation|ations)$)")
_ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
             "sixth": "6", "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10",
             "eleventh": "11", "twelfth": "12"}


def _said(segment: Segment, *, least: int = _MIN_UTTERANCE_WORDS) -> bool:
    """Quoted words that can be a statement: `least` content words, not all of them
    capitalised (a title "Night Of The Long Tide", a name)."""
    words = [w for w in WORD.findall(segment.text) if content_words(w)]
    return len(words) >= least and not all(w[:1].isupper() for w in words)


def _utterance(segment: Segment) -> bool:
    """Quoted words that are someone's utterance: brought in by a speech cue and holding at
    least `_MIN_UTTERANCE_WORDS` content words, not all of them capitalised. A film or
    episode title ("Night Of The Long Tide"), a name in quote marks or a scare-quoted word
    has no cue of its own or no words beyond capitalised ones: it is no statement to credit."""
    attribution = segment.attribution
    if attribution.stance not in _SPEECH_STANCES or not _said(segment):
        return False
    # a quoted sentence that goes on from the speaker's previous one needs no cue of its own
    return attribution.cue is not None or (
        attribution.kind == "direct" and len(segment.words) >= _MIN_SEGMENT_WORDS)


PairMatters = Callable[[str, str], bool]
"""Whether it matters to the rest of the alignment that two attributions (by id) quote one
utterance: the claim matching passes over their claims' clause pairs (`quote_relations`)."""


def quote_relations(
    analysis: Analysis,
    embed: Callable[[Sequence[str]], np.ndarray],
    *,
    threshold: float,
    sources: Sources,
    pair_matters: PairMatters | None = None,
) -> tuple[list[Relation], frozenset[frozenset[str]]]:
    """The relations between quotes of one story, and the attribution pairs they relate (so
    that the claim matching does not report a quote variant again as a corroboration).

    With `pair_matters`, two attributions are compared only when their words could make a
    relation (`_could_relate`) or `pair_matters` says their pairing matters: the others'
    segments are not embedded, and the pairs returned are those of the attributions compared.
    """
    docs = {d.id: d for d in analysis.documents}
    segments, candidates, telling = _candidate_pairs(analysis)
    compared = {pair: found for pair, found in candidates.items()
                if pair_matters is None or pair in telling or pair_matters(*pair)}
    similarity = cosines_of([s.text for s in segments], _embedded_rows(compared.values()),
                            embed)
    matches: dict[tuple[str, str], list[tuple[float, Segment, Segment]]] = \
        defaultdict(list)
    for pair, found in compared.items():
        for candidate in found:
            score = (_SAME_WORDS if candidate.same else
                     float(similarity[candidate.rows[0], candidate.rows[1]]))
            if candidate.short and not candidate.same:
                # a fragment echoed word for word (`_candidate_pairs`)
                score = max(score, threshold)
            if score < threshold:
                continue
            matches[pair].append((score, candidate.first, candidate.second))
    relations: list[Relation] = []
    for score, a, b in (_compared(found, docs) for found in matches.values()):
        for relation in _pair_relations(a, b, round(score, 4), docs):
            if relation.kind == "corroboration":
                relation = dataclasses.replace(relation, independent=sources.count(
                    [(a.attribution.doc, a.attribution), (b.attribution.doc, b.attribution)]))
            relations.append(relation)
    return relations, frozenset(frozenset(pair) for pair in matches)


def quote_texts(analysis: Analysis, pair_matters: PairMatters | None = None) -> list[str]:
    """The segments `quote_relations` (with the same `pair_matters`) embeds, each text once."""
    segments, candidates, telling = _candidate_pairs(analysis)
    compared = [found for pair, found in candidates.items()
                if pair_matters is None or pair in telling or pair_matters(*pair)]
    return list(dict.fromkeys(segments[row].text for row in _embedded_rows(compared)))


@dataclass(frozen=True, slots=True)
class _Candidate:
    """Two segments of different documents that may render one utterance: `rows` in the
    story's segments, `first` and `second` the pair as compared (`_quoted_alike`), first the
    one of the lower attribution id."""

    rows: tuple[int, int]
    first: Segment
    second: Segment
    same: bool  # the same words: one utterance whatever the vectors
    short: bool  # a fragment, compared by its words (`_fragment_echo`)


_Candidates = tuple[list[Segment], dict[tuple[str, str], list[_Candidate]],
                    frozenset[tuple[str, str]]]


def _candidate_pairs(analysis: Analysis) -> _Candidates:
    """The story's quote segments (`compared_segments`); by attribution pair, the segment
    pairs that a score at the threshold or above would match; and the attribution pairs whose
    words could make a relation (`_could_relate`): what needs no vectors to decide. Found once
    for the same documents and attributions (`_candidates_found`)."""
    return _candidates_found.get(
        (tuple((d.id, d.text) for d in analysis.documents), analysis.attributions),
        lambda: _find_candidate_pairs(analysis))


def _find_candidate_pairs(analysis: Analysis) -> _Candidates:
    docs = {d.id: d for d in analysis.documents}
    segments = compared_segments(analysis)
    candidates: dict[tuple[str, str], list[_Candidate]] = defaultdict(list)
    for i, a in enumerate(segments):
        for j in range(i + 1, len(segments)):
            b = segments[j]
            if a.attribution.doc == b.attribution.doc:
                continue
            x, y = _quoted_alike(a, b, docs)
            short = min(len(x.words), len(y.words)) < _MIN_SEGMENT_WORDS
            same = x.words == y.words
            if short and not same and not _fragment_echo(x, y):
                continue
            pair = tuple(sorted((x.attribution.id, y.attribution.id)))
            first, second = (x, y) if pair[0] == x.attribution.id else (y, x)
            candidates[pair].append(  # type: ignore[index]
                _Candidate((i, j), first, second, same, short))
    telling = frozenset(pair for pair, found in candidates.items() if _could_relate(found))
    return segments, dict(candidates), telling


# `_find_candidate_pairs` of the last stories: an ingest asks for a story's twice (its texts
# ahead of the embedding, then `quote_relations`), and the pairs are quadratic in its quotes
_candidates_found: LastStories[_Candidates] = LastStories()


def _embedded_rows(compared: Iterable[Sequence[_Candidate]]) -> list[int]:
    """The segments whose vectors the compared pairs read: those of pairs not in the same
    words."""
    return sorted({row for found in compared for c in found if not c.same for row in c.rows})


def _could_relate(candidates: Sequence[_Candidate]) -> bool:
    """Whether some pair of two attributions' segments could make a relation
    (`_pair_relations`), whatever its score: the same words; or, for one speaker (not two
    named apart), half the shorter's content words echoed, or two media. Checked before
    anything is embedded; false only when `_pair_relations` would find nothing."""
    first = candidates[0]
    att_a, att_b = first.first.attribution, first.second.attribution
    key_a, key_b = surname_key(att_a), surname_key(att_b)
    apart = bool(key_a and key_b and key_a != key_b and not _one_person(att_a, att_b))
    if not apart and att_a.medium and att_b.medium and (
            att_a.medium.lower() != att_b.medium.lower()):
        return True
    return any(_same_words(c.first, c.second)
               or (not apart and _may_share(c.first, c.second)) for c in candidates)


def _same_words(a: Segment, b: Segment) -> bool:
    """The same words, as written or as a speaker said them (`_as_written`)."""
    return (a.words == b.words or _as_written(a) == _as_written(b)
            or _as_written(a, brackets=False) == _as_written(b, brackets=False))


def _may_share(a: Segment, b: Segment) -> bool:
    """Whether `_shared_share` could reach `_VARIANT_SHARE`: counted with a word's first four
    letters for its stem, which every word echoed stem for stem shares (`same_stem`)."""
    words_a, words_b = _content_set(a.text), _content_set(b.text)
    short, long = (words_a, words_b) if len(words_a) <= len(words_b) else (words_b, words_a)
    if not short:
        return False
    starts = {w[:4] for w in long if len(w) >= 4}
    echoed = sum(w in long or (len(w) >= 4 and w[:4] in starts) for w in short)
    return echoed / len(short) >= _VARIANT_SHARE


@functools.lru_cache(maxsize=4096)
def _content_set(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


def compared_segments(analysis: Analysis) -> list[Segment]:
    """The quote segments `quote_relations` compares (and embeds): none when they are all of
    one document."""
    docs = {d.id: d for d in analysis.documents}
    segments = [
        segment
        for attribution in analysis.attributions
        if attribution.kind in QUOTE_KINDS and attribution.doc in docs
        for segment in quote_segments(attribution, docs[attribution.doc])
    ]
    return segments if len({s.attribution.doc for s in segments}) >= 2 else []


def _compared(candidates: list[tuple[float, Segment, Segment]], docs: dict[str, Document]
              ) -> tuple[float, Segment, Segment]:
    """Of the matching segment pairs of two quotes, the one to compare: the closest, unless
    one side is a clause cut at a joint inside its sentence and the sentence around it renders
    more of the other side's words ("Nothing less than the future of Europe, and with that
    the future of Germany ..." against "The future of Europe and the future of Germany ...").
    Compared alone, the cut clause would show the cut as a change of words. A clause the other
    outlet quotes alone stays the pair ("..., and there is a good chance" against "There is
    a great chance"): the rest of its sentence renders nothing of the other's."""
    score, a, b = max(candidates, key=lambda c: c[0])
    if a.words == b.words or (_opens_cleanly(a, docs) and _opens_cleanly(b, docs)):
        return score, a, b  # words quoted identically corroborate as they are
    rendered = _words_in_common(a, b) + _MIN_CONTAINED_WORDS
    wider = [(s, x, y) for s, x, y in candidates
             if _within(a.span, x.span) and _within(b.span, y.span)
             and _opens_cleanly(x, docs) and _opens_cleanly(y, docs)
             and _words_in_common(x, y) >= rendered]
    return max(wider, key=lambda c: c[0]) if wider else (score, a, b)


def _words_in_common(a: Segment, b: Segment) -> int:
    """How many words two renderings share in the same order."""
    matcher = difflib.SequenceMatcher(a=a.words, b=b.words, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def _within(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _opens_cleanly(segment: Segment, docs: dict[str, Document]) -> bool:
    """The segment starts where its quote starts or with a capital, not in a sentence's
    middle after a clause joint."""
    before = docs[segment.span.doc].text[segment.attribution.content.start:segment.span.start]
    return not segment.text[:1].islower() or not WORD.search(before)


def _fragment_echo(a: Segment, b: Segment) -> bool:
    """A short fragment of one speaker whose every word is echoed, stem for stem, in the same
    speaker's quote in another outlet: "cautious hope" in "we remain cautiously hopeful"
    renders the same remark."""
    if a.speaker_key != b.speaker_key or not a.speaker_key:
        return False
    short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
    words, others = _content_set(short.text), _content_set(long.text)
    return len(words) >= 2 and all(any(same_stem(w, o) for o in others) for w in words)


def _whole_sentence(segment: Segment, docs: dict[str, Document]) -> bool:
    """The segment is a whole sentence of its quote: it opens with a capital and its sentence
    ends right after it ("We will rebuild."), so words another outlet adds are a difference."""
    text = docs[segment.span.doc].text
    return segment.text[:1].isupper() and text[segment.span.end : segment.span.end + 1] in (
        ".", "!", "?")


def _quoted_alike(
    a: Segment, b: Segment, docs: dict[str, Document]
) -> tuple[Segment, Segment]:
    """The pair with the longer segment narrowed to the other's words when the same speaker's
    shorter quote appears word for word inside it (an excerpt: the same words, not a variant);
    otherwise the pair unchanged. A shorter quote that is a whole sentence is not narrowed:
    what the other outlet adds to that sentence is a difference of wording."""
    if a.speaker_key != b.speaker_key or not a.speaker_key:
        return a, b
    short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
    if len(short.words) < _MIN_CONTAINED_WORDS or short.words == long.words:
        return a, b
    if _whole_sentence(short, docs):
        return a, b  # "No threat to our units." against "no threat to our units in Dornach"
    # both sides with plain apostrophes: "we’re" must find "we’re" (and "we're")
    pattern = r"(?<!\w)" + r"\W+".join(re.escape(w) for w in short.words) + r"(?!\w)"
    match = re.search(pattern, long.text.replace("’", "'"), re.IGNORECASE)
    if match is None:
        return a, b
    start = long.span.start + match.start()
    narrowed = Segment(long.attribution, Span(long.span.doc, start, start + len(match.group())),
                       long.text[match.start() : match.end()])
    return (short, narrowed) if short is a else (narrowed, short)
