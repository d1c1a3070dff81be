"""Claims: the propositions a document puts forward, with what qualifies them.

Every attribution's content is a claim of its speaker, and every sentence of the author's own
that asserts something (it has a finite verb and overlaps no attribution) is a claim of the
outlet. Each claim carries, read from the parse:

- `hedges`: what weakens it: modal auxiliaries ("may have been"), hedging adverbs and phrases
  ("reportedly", "in principle"), and a distancing reporting verb ("claims", "alleged"), inside
  the claim or as the cue that introduces it;
- `polarity`: "negated" when a main clause of the claim is negated ("there is *no* threat",
  "has *not* changed"), not when a negation sits in a subordinate clause;
- `numbers`: each quantity as (comparator, value, unit, span): "less than 200 square
  kilometers" -> ("<", 200.0, "square kilometers"); dates are left to the timeline;
- `places`: the spans of the places it names;
- `dates`: the timeline entries inside it, attached at report time (`attach_context`), when
  the timeline has been resolved against the document's (possibly inferred) date; places the
  linked mentions find are added then too.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rashomon.model import Attribution, Claim, Document, Mention, Span, TimelineEntry

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = ["attach_context", "extract_claims", "negation", "parse_number"]


def _asserts(sentence: SpacySpan) -> bool:
    """A declarative sentence with a finite verb, not a question or a fragment."""
    if sentence.text.rstrip().endswith("?"):
        return False
    return any(t.pos_ in ("VERB", "AUX") and t.morph.get("VerbForm", default=[]) == ["Fin"] for t in sentence)


def extract_claims(
    document: Document, parsed: Doc, attributions: Sequence[Attribution]
) -> list[Claim]:
    """Claims in text order: attributed contents and the author's own assertions."""
    found: list[tuple[int, int, Attribution | None]] = [
        (a.content.start, a.content.end, a) for a in attributions
    ]
    covered = [(a.content.start, a.content.end) for a in attributions]
    covered += [(a.cue.start, a.cue.end) for a in attributions if a.cue is not None]
    # read once: spaCy builds a Doc's text and its entity spans anew on every access, and
    # they were read once per sentence and per claim (most of this stage's time)
    text_of_doc = parsed.text
    places = [e for e in parsed.ents if e.label_ in _PLACE_LABELS]
    for sentence in parsed.sents:
        text = sentence.text.strip()
        if len(text.split()) < 4 or not _asserts(sentence):
            continue
        start = sentence.start_char + sentence.text.index(text[0])
        end = start + len(text)
        if any(s < end and start < e for s, e in covered):
            found.extend(_participle_tail(parsed, text_of_doc, sentence, covered))
            continue
        found.append((start, end, None))
    found.sort(key=lambda item: (item[0], item[1]))
    claims = []
    for n, (start, end, attribution) in enumerate(found, 1):
        tokens = parsed.char_span(start, end, alignment_mode="expand")
        claim = Claim(f"{document.id}:c{n}", document.id, document.span(start, end),
                      attribution.id if attribution else None)
        claims.append(_qualified(claim, document, places, tokens, attribution))
    return claims


def _participle_tail(
    parsed: Doc, text: str, sentence: SpacySpan, covered: Sequence[tuple[int, int]]
) -> list[tuple[int, int, None]]:
    """What a participial speech clause reports when no attribution took it in: "X denied
    that ..., *saying four people were treated*" holds the claim "four people were treated".
    Only after every covered part of the sentence, and only a clause with a finite verb.
    `text`: the parse's text (`parsed.text`), read once by the caller."""
    last = max((e for s, e in covered if s < sentence.end_char and sentence.start_char < e),
               default=sentence.start_char)
    match = _SPEECH_PARTICIPLE.match(text, last, sentence.end_char)
    if match is None:
        return []
    start = match.end()
    end = start + len(text[start : sentence.end_char].rstrip(" .!?\"”’\n"))
    tail = parsed.char_span(start, end, alignment_mode="expand")
    if tail is None or len(tail) < 4 or not _asserts(tail):
        return []
    return [(start, end, None)]


# ", saying ...", "– adding ...": a speech verb whose content the attribution step left out.
_SPEECH_PARTICIPLE = re.compile(
    r"[\"”’]?\s*[,;–—-]\s*(?:and\s+)?(?:saying|adding|noting|stating|explaining|insisting)"
    r"\s+(?:that\s+)?")


def _qualified(
    claim: Claim, document: Document, places: Sequence[SpacySpan], tokens: SpacySpan | None,
    attribution: Attribution | None,
) -> Claim:
    """The claim with its hedges, polarity, numbers and places read from the parse (`places`:
    the parse's entities of a place label, in their order)."""
    if tokens is None or not len(tokens):
        return claim
    hedges = _hedges(document, tokens)
    if attribution is not None and attribution.stance == "distancing" and attribution.cue:
        hedges.append(attribution.cue)  # "Brannik *claimed* that ...": the outlet keeps distance
    negated = _main_clause_negation(tokens)
    return dataclasses.replace(
        claim,
        hedges=tuple(sorted(set(hedges))),
        polarity="negated" if negated is not None else "affirmed",
        negation=document.span(negated.idx, negated.idx + len(negated)) if negated else None,
        numbers=tuple(_numbers(document, tokens)),
        places=tuple(document.span(e.start_char, e.end_char) for e in places
                     if tokens.start_char <= e.start_char and e.end_char <= tokens.end_char),
    )


def attach_context(
    claims: Iterable[Claim], timeline: Iterable[TimelineEntry], mentions: Iterable[Mention] = ()
) -> list[Claim]:
    """Claims with what is known only at report time: the resolved dates of the timeline
    entries inside them, and the places the linked mentions inside them name (a place the
    parse missed but entity linking found elsewhere in the story)."""
    entries: dict[str, list[TimelineEntry]] = {}
    for entry in timeline:
        entries.setdefault(entry.span.doc, []).append(entry)
    places: dict[str, list[Span]] = {}
    for mention in mentions:
        if mention.label in _PLACE_LABELS:
            places.setdefault(mention.span.doc, []).append(mention.span)
    found = []
    for claim in claims:
        dates = tuple(sorted((e.date, e.span) for e in entries.get(claim.doc, ())
                             if claim.span.contains(e.span)))
        inside = [s for s in places.get(claim.doc, ()) if claim.span.contains(s)]
        known = tuple(sorted({*claim.places, *(s for s in inside
                                               if not any(s.overlaps(p) for p in claim.places))}))
        if dates != claim.dates or known != claim.places:
            claim = dataclasses.replace(claim, dates=dates, places=known)
        found.append(claim)
    return found


# --- hedges -------------------------------------------------------------------------------------

# Modal auxiliaries that make a statement possible rather than so ("may have been", "could").
# "will", "can", "must" and "shall" assert; they are not hedges.
_HEDGING_MODALS = frozenset({"may", "might", "could", "would"})
# Adverbs that say the writer does not vouch for the statement (after Hyland's hedge lexicon).
_HEDGING_ADVERBS = frozenset({
    "reportedly", "allegedly", "apparently", "purportedly", "supposedly", "seemingly",
    "possibly", "perhaps", "probably", "presumably", "likely", "unconfirmed", "ostensibly",
    "maybe", "arguably",
})
# Prepositional phrases that hedge: "in principle", "in theory", "to some extent".
_HEDGING_PHRASES = re.compile(
    r"\b(?:in principle|in theory|on paper|to some extent|to a degree|at least in part|"
    r"it is (?:believed|thought|understood|said)|is (?:said|thought|believed) to)\b",
    re.IGNORECASE,
)
# Reporting verbs that keep a claim at a distance when they sit inside it ("he claims are ...").
_DISTANCING_VERBS = frozenset({"claim", "allege", "purport", "contend", "insist"})


def _hedges(document: Document, tokens: SpacySpan) -> list[Span]:
    spans: list[Span] = []
    for token in tokens:
        lower = token.lower_
        if token.tag_ == "MD" and lower in _HEDGING_MODALS:
            spans.append(_modal_phrase(document, token, tokens))
        elif lower in _HEDGING_ADVERBS and token.pos_ in ("ADV", "ADJ") or token.lemma_.lower() in _DISTANCING_VERBS and token.pos_ == "VERB":
            spans.append(document.span(token.idx, token.idx + len(token)))
    for match in _HEDGING_PHRASES.finditer(tokens.text):
        start = tokens.start_char + match.start()
        spans.append(document.span(start, start + len(match.group())))
    return spans


def _modal_phrase(document: Document, modal: Token, tokens: SpacySpan) -> Span:
    """The modal with the auxiliaries that follow it: "may have been", "could have"."""
    end = modal
    for token in tokens.doc[modal.i + 1 : tokens.end]:
        if token.pos_ != "AUX" or token.head != modal.head:
            break
        end = token
    return document.span(modal.idx, end.idx + len(end))


# --- polarity -----------------------------------------------------------------------------------

_NEGATING_DETERMINERS = frozenset({"no", "neither"})
_NEGATIVE_PRONOUNS = frozenset({"nothing", "nobody", "none", "noone", "no-one"})
# The arguments of a main verb whose "no" negates the clause ("there is *no* threat").
_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "expl", "oprd", "acomp"})


def _main_clause_negation(tokens: SpacySpan) -> Token | None:
    """The negation of the claim's main clause, or None.

    The main clauses are the verbs whose head lies outside the claim (the content of "said
    that ...") or who head their sentence, and the verbs conjoined with them; a negation deeper
    down ("he said the storm had not changed *what* ...") belongs to a subordinate clause.
    """
    roots = [t for t in tokens if t.head == t or not (tokens.start <= t.head.i < tokens.end)]
    main = list(roots)
    for root in roots:
        main.extend(c for c in root.conjuncts if tokens.start <= c.i < tokens.end)
    for verb in main:
        for child in verb.children:
            if child.dep_ == "neg":
                return child
            if child.dep_ in _ARGUMENTS:
                if child.lower_ in _NEGATIVE_PRONOUNS:
                    return child
                for det in child.children:
                    if det.dep_ == "det" and det.lower_ in _NEGATING_DETERMINERS:
                        return det
    return None


# Negation cues that flip a clause's polarity ("there is no threat", "has not changed").
_NEGATION = re.compile(
    r"\b(?:no|not|never|none|nobody|nothing|neither|nor|cannot)\b|n[’']t\b", re.IGNORECASE
)


def negation(text: str) -> re.Match[str] | None:
    """The first negation cue of a clause, or None when the clause is affirmative.

    A lexical test for bare text (a clause cut out of a quote, a free-text claim); a parsed
    claim's `polarity` is the better answer.
    """
    return _NEGATION.search(text)


# --- numbers ------------------------------------------------------------------------------------

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entity types whose numbers are not quantities: the timeline reads dates, ordinals rank.
_NOT_QUANTITIES = frozenset({"DATE", "TIME", "ORDINAL"})
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
    "billion": 1_000_000_000, "dozen": 12,
}
# "thousands of soldiers": an order of magnitude, not a count; read as "at least 1,000".
_PLURAL_MAGNITUDES = {"dozens": 12, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
                      "billions": 1_000_000_000}
# Words before a number that bound it; longest first, so "less than" wins over "than".
_COMPARATORS = (
    ("less than", "<"), ("fewer than", "<"), ("more than", ">"), ("greater than", ">"),
    ("at least", ">="), ("at most", "<="), ("up to", "<="), ("no more than", "<="),
    ("under", "<"), ("below", "<"), ("over", ">"), ("above", ">"), ("nearly", "~"),
    ("almost", "~"), ("about", "~"), ("around", "~"), ("roughly", "~"), ("some", "~"),
    ("approximately", "~"), ("an estimated", "~"), ("estimated", "~"),
)
_NUMERIC = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


def parse_number(text: str) -> float | None:
    """The value of a number written in digits ("1,300", "2.5") or in words ("thirteen")."""
    text = text.strip().lower()
    if _NUMERIC.match(text):
        return float(text.replace(",", ""))
    if text in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[text])
    return None


def _numbers(document: Document, tokens: SpacySpan) -> list[tuple[str, float, str, Span]]:
    found: list[tuple[str, float, str, Span]] = []
    doc = tokens.doc
    i = tokens.start
    while i < tokens.end:
        token = doc[i]
        if token.ent_type_ in _NOT_QUANTITIES and not _duration(token, tokens):
            i += 1
            continue
        if token.lower_ in _PLURAL_MAGNITUDES and any(c.lower_ == "of" for c in token.children):
            unit_tokens = _unit_after_of(token, tokens)
            first, last = token, (unit_tokens[-1] if unit_tokens else token)
            span = document.span(first.idx, last.idx + len(last))
            unit = " ".join(t.text for t in unit_tokens)
            found.append((">=", float(_PLURAL_MAGNITUDES[token.lower_]), unit, span))
            i += 1
            continue
        value = parse_number(token.text) if token.like_num else None
        if value is None or _in_parentheses(token, tokens):
            # "€110 billion ($158 billion)": the bracketed figure restates the one before it
            i += 1
            continue
        # "1.3 million": a multiplier word right after the number
        last = token
        if i + 1 < tokens.end and doc[i + 1].lower_ in ("hundred", "thousand", "million",
                                                         "billion"):
            value *= _WORD_NUMBERS[doc[i + 1].lower_]
            last = doc[i + 1]
        comparator, first = _comparator(token, tokens)
        unit_tokens = _unit(token, tokens)
        if unit_tokens:
            last = max(last, unit_tokens[-1], key=lambda t: t.i)
        unit = " ".join(_unit_words(unit_tokens))
        before = doc[token.i - 1] if token.i > tokens.start else None
        if before is not None and before.tag_ == "$":  # "€110 billion": the currency
            unit, first = before.text, before if first is token else first
        span = document.span(first.idx, last.idx + len(last))
        found.append((comparator, value, unit, span))
        i = last.i + 1
    return found


def _duration(token: Token, tokens: SpacySpan) -> bool:
    """A number hyphenated to what it measures ("30-day", "five-year"): a length, not a date."""
    following = tokens.doc[token.i + 1 : min(token.i + 3, tokens.end)]
    return (token.like_num and len(following) == 2 and following[0].text in ("-", "–")
            and following[1].pos_ in ("NOUN", "ADJ"))


def _comparator(number: Token, tokens: SpacySpan) -> tuple[str, Token]:
    before = tokens.doc[max(tokens.start, number.i - 3) : number.i]
    words = [t.lower_ for t in before]
    for phrase, symbol in _COMPARATORS:
        size = len(phrase.split())
        if words[-size:] == phrase.split():
            return symbol, before[len(before) - size]
    return "", number


def _unit(number: Token, tokens: SpacySpan) -> list[Token]:
    """The words a number counts: its head noun and the modifiers between ("combat clashes",
    "square kilometers"); for "30-day" the noun it is hyphenated to."""
    head = number.head
    if number.dep_ not in ("nummod", "compound", "quantmod", "npadvmod", "amod") or head == number:
        following = tokens.doc[number.i + 1 : tokens.end]
        nouns: list[Token] = []
        for t in following:
            if t.text in ("-", "–") and not nouns:
                continue
            if t.pos_ in ("NOUN", "PROPN"):
                nouns.append(t)
                continue
            break
        return nouns[:3]
    if head.dep_ == "nummod" and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head  # "1,300" <- "peak": keep the noun, not a number word
    if not (tokens.start <= head.i < tokens.end) or head.i < number.i:
        return []
    gap = tokens.doc[number.i + 1 : head.i]
    if any(t.text in "()[]" or t.like_num for t in gap):
        return [head]  # a bracketed aside or another number between: only the noun is sure
    between = [t for t in gap if t.dep_ in ("compound", "amod", "nmod") and t.head.i <= head.i]
    return [*between, head]


def _in_parentheses(token: Token, tokens: SpacySpan) -> bool:
    """The token sits inside an unclosed bracket of its clause."""
    depth = 0
    for t in tokens.doc[tokens.start : token.i]:
        depth += t.text == "("
        depth -= t.text == ")" and depth > 0
    return depth > 0


def _unit_after_of(token: Token, tokens: SpacySpan) -> list[Token]:
    of = next(c for c in token.children if c.lower_ == "of")
    objects = [c for c in of.children if c.dep_ == "pobj"]
    if not objects or not (tokens.start <= objects[0].i < tokens.end):
        return []
    noun = objects[0]
    return [t for t in tokens.doc[of.i + 1 : noun.i + 1] if t.dep_ != "det"]


def _unit_words(unit: Sequence[Token]) -> list[str]:
    return [t.text for t in unit if t.text not in ("-", "–")]
