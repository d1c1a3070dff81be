"""Words and spans of the brief: content-word stems, sentence ends, excerpts cut from a span."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rashomon import terms
from rashomon.model import Document, Span

__all__ = [
    "Excerpt",
    "MAX_WORDS",
    "NEGATION",
    "STOP",
    "excerpt_of",
    "lower_case_stems",
    "ordered_stems",
    "sentence_around",
    "sentence_ends",
    "stem_set",
    "trimmed",
    "word_spans",
]

# A brief is read first: a long passage is cut to this many words (the citation then covers
# exactly the words shown).
MAX_WORDS = 30
_QUOTE_MARKS = " \t\n\"'“”‘’«»„‚"
_END_PUNCT = ",;:"
# A word that turns what follows into its opposite: an excerpt keeps it with what it negates.
NEGATION = re.compile(
    r"(?:no|not|never|none|nobody|nothing|neither|nor|cannot|\w+n[’']t)", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*(?=\s|$)|\n")
# "St. Aldric", "Dr. Ruiz": a full stop after a short capitalised word seldom ends a sentence.
_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-Z][a-z]{0,2}|[A-Z](?:\.[A-Z])*)\.$")
# Inner quote marks become single ones inside the brief's own double quote marks.
_INNER_QUOTES = str.maketrans({"“": "‘", "”": "’", '"': "'"})
# The common stop words and those the brief has always skipped on top of them (more pronouns
# and quantifiers, wh-words, connectives such as "after" and "because"): unchanged, since they
# decide which sentences count as one fact.
STOP = terms.STOP_WORDS | frozenset("""
    after all any are because before being him if just me more most my never one other our say
    so some such them two us very what when where which while who whom your
""".split())


def ordered_stems(text: str) -> dict[str, None]:
    """Content words cut to five letters, so "lights" meets "lighting" and "injured" "injury";
    in text order."""
    return dict.fromkeys(_stems(text))


def stem_set(text: str) -> set[str]:
    return set(_stems(text))


# the brief compares each sentence of a story with many others: each is stemmed once
@functools.lru_cache(maxsize=8192)
def _stems(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(terms.stem(terms.normal(w)) for w in terms.words(text)
                               if len(w) > 2 and w.lower() not in STOP and not w.isdigit()))


def lower_case_stems(text: str) -> set[str]:
    """The stems of the content words written in lower case: what a text says of the names
    in it ("toppled", "villages" of "Buildings were toppled in Tonban")."""
    return {terms.stem(terms.normal(w)) for w in terms.words(text)
            if w[:1].islower() and len(w) > 2 and w not in STOP}


def trimmed(document: Document, span: Span) -> Span:
    """The span without surrounding quote marks, spaces and the comma that led into a cue."""
    text = document.slice(span)
    start, end = 0, len(text)
    while start < end and (text[start] in _QUOTE_MARKS):
        start += 1
    while end > start and (text[end - 1] in _QUOTE_MARKS or text[end - 1] in _END_PUNCT):
        end -= 1
    # keep a quote mark that closes or opens one inside the words: “… in dock “until certified”
    inner = text[start:end]
    if inner.count("“") > inner.count("”") and "”" in text[end:]:
        end = text.index("”", end) + 1
    if inner.count("”") > inner.count("“") and "“" in text[:start]:
        start = text.rindex("“", 0, start)
    return Span(span.doc, span.start + start, span.start + end)


@dataclass(frozen=True, slots=True)
class Excerpt:
    """Words shown from a span: the span of exactly those words, and whether it was cut."""

    span: Span
    text: str
    cut_before: bool = False
    cut_after: bool = False

    def quoted(self) -> str:
        words = self.text.translate(_INNER_QUOTES)
        return "“" + ("…" if self.cut_before else "") + words + (
            "…" if self.cut_after else "") + "”"


def sentence_ends(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where sentences end in text[start:end]: after . ! ? … (and closing quotes) or a newline,
    but not after an abbreviation."""
    return list(_sentence_ends(text, start, len(text) if end is None else end))


def _sentence_ends(text: str, start: int, end: int) -> Iterator[int]:
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.group() == "." and _ABBREVIATION.search(
                text[max(0, match.start() - 8) : match.end()]):
            continue
        yield match.end()


def _last_sentence_end(text: str, start: int, end: int) -> int | None:
    """`sentence_ends(text, start, end)[-1]` (None when there is none), reading the text just
    before `end` first: a sentence end is seldom far. Read from any later point, the text
    yields the ends of the stops from that point on, as read from `start` (a match begins at
    a stop or a newline, and what precedes it changes nothing), so an end found there is the
    last one."""
    near = end - _NEAR
    if near > start:
        found = None
        for found in _sentence_ends(text, near, end):
            pass
        if found is not None:
            return found
    every = sentence_ends(text, start, end)
    return every[-1] if every else None


_NEAR = 300  # what `_last_sentence_end` reads first


def word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\S+", text)]


def excerpt_of(document: Document, span: Span, focus: Span | None = None,
               max_words: int = MAX_WORDS) -> Excerpt | None:
    """At most `max_words` words of a span: its first sentence when that is short enough,
    else a window of words (around `focus` when given). A window never opens just after a
    negation: "did not want" is never shown as "…want"."""
    span = trimmed(document, span)
    text = document.slice(span)
    words = word_spans(text)
    if not words:
        return None
    first, last = 0, len(words)
    if len(words) > max_words:
        ends = sentence_ends(text)
        sentence_words = sum(1 for _, e in words if ends and e <= ends[0])
        if focus is None and 0 < sentence_words <= max_words:
            last = sentence_words
        else:
            centre = 0
            if focus is not None:
                centre = next((i for i, (s, _) in enumerate(words)
                               if span.start + s >= focus.start), 0)
            first = max(0, min(centre - max_words // 2, len(words) - max_words))
            last = first + max_words
            first = _before_negation(text, words, first)
    start, end = span.start + words[first][0], span.start + words[last - 1][1]
    piece = trimmed(document, Span(span.doc, start, end))
    if piece.end <= piece.start:
        return None
    return Excerpt(piece, terms.one_line(document.slice(piece)), first > 0, last < len(words))


def _before_negation(text: str, words: list[tuple[int, int]], first: int) -> int:
    """`first`, moved back over a negation (and its auxiliary) among the two words before it."""
    for back in (1, 2):
        n = first - back
        if n >= 0 and NEGATION.fullmatch(text[words[n][0] : words[n][1]].strip(",;:")):
            return max(0, n - 1)  # "did not", "would never": the auxiliary too
    return first


def sentence_around(document: Document, span: Span) -> Span:
    """The sentence of the text that holds a span (ends found by punctuation and newlines)."""
    text = document.text
    # only the neighbourhood is searched: a sentence is seldom longer than this
    before = _last_sentence_end(text, max(0, span.start - 2000), span.start)
    start = before if before is not None else max(0, span.start - 2000)
    after = next(_sentence_ends(text, span.end, min(len(text), span.end + 2000)), None)
    end = after if after is not None else min(len(text), span.end + 2000)
    while start < span.start and text[start].isspace():
        start += 1
    return Span(span.doc, start, max(end, span.end))
