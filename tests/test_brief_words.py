"""The brief's sentence ends: the sentence around a span is found by reading its neighbourhood
only, as reading all of it finds it. Invented sentences; no model is loaded."""

from __future__ import annotations

import pytest

from rashomon.brief.words import sentence_around, sentence_ends
from rashomon.model import Span


def _reference_around(text: str, span: Span) -> Span:
    """`sentence_around` read the long way: every end of the neighbourhood."""
    before = sentence_ends(text, max(0, span.start - 2000), span.start)
    start = before[-1] if before else max(0, span.start - 2000)
    after = sentence_ends(text, span.end, span.end + 2000)
    end = after[0] if after else min(len(text), span.end + 2000)
    while start < span.start and text[start].isspace():
        start += 1
    return Span(span.doc, start, max(end, span.end))


_SENTENCES = [
    'The pier closed on Monday. ', 'Dr. Ruiz said: "It will reopen." ', "St. Aldric's bell rang! ",
    "The mayor (who spoke late.) left. ", "Was it safe? ", "Nobody knew…\n", "“We wait,” she said. ",
    "A. B. Carter of the U.S. port authority declined to comment on the closure and its cost "
    "to the town's fishing crews, who have waited since the spring for news ",
]


@pytest.mark.parametrize("repeat", [1, 3, 12, 40])
def test_the_sentence_around_a_span_is_found_as_reading_every_end_finds_it(
        make_document, repeat: int) -> None:
    text = "".join(_SENTENCES[(i * 5) % len(_SENTENCES)] for i in range(repeat * 3))
    document = make_document(text)
    for start in range(0, len(text), 7):
        for width in (0, 5, 40):
            span = Span(document.id, start, min(len(text), start + width))
            assert sentence_around(document, span) == _reference_around(text, span)


def test_a_stop_and_its_closing_marks_far_before_a_span_end_the_sentence_before_it(
        make_document) -> None:
    # the last end before the span is a stop with closing marks ('."”)'), followed by one
    # long sentence: read from inside those marks, the text would show no end at all
    text = "The pier closed early." + ' He said: “It was (so "bad.")”' + " and then" * 60 + "."
    document = make_document(text)
    for start in range(len(text)):
        span = Span(document.id, start, start)
        assert sentence_around(document, span) == _reference_around(text, span)
