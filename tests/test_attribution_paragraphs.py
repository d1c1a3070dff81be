"""Where a paragraph starts, as the speaker rules read it: the step-by-step walk agrees with
`same_paragraph` on every token, whatever the line breaks (invented texts)."""

from __future__ import annotations

import pytest

from rashomon.attribution.context import paragraph_start, same_paragraph

pytestmark = pytest.mark.slow  # the real spaCy model

TEXTS = [
    "Harbour strike enters its third day\n\nMarta Quell said the union would not back down.",
    "“No retreat,” said Quell.\nThe port authority disagreed.\n\n\nIt said talks were over.",
    "One line only, with no break at all, said the harbour master on Friday.",
    "\n\nA text that opens with breaks.\n \nAnd a line of spaces between.\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_paragraph_start_agrees_with_same_paragraph_on_every_token(nlp, text: str) -> None:
    doc = nlp(text)
    for token in doc:
        expected = token.i
        while expected > 0 and same_paragraph(doc[expected - 1], token):
            expected -= 1
        assert paragraph_start(token) == expected, (token.i, token.text)


def test_paragraph_start_stops_at_the_break_before_the_line(nlp) -> None:
    doc = nlp("Headline words here\n\nMarta Quell said so.")
    marta = next(t for t in doc if t.text == "Marta")
    said = next(t for t in doc if t.text == "said")
    start = paragraph_start(said)
    assert start == paragraph_start(marta)
    # the line starts at Marta or at the break token itself, never among the headline's words
    assert [t.text for t in doc[start:marta.i] if t.text.strip()] == []
