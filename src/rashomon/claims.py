"""Claims: the propositions a document puts forward.

A first version (issue 5 adds hedges, polarity, numbers and places): every attribution's content
is a claim of its speaker, and every sentence of the author's own that asserts something (it has
a finite verb and overlaps no attribution) is a claim of the outlet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rashomon.model import Attribution, Claim, Document

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span as SpacySpan

__all__ = ["extract_claims", "negation"]


def _asserts(sentence: SpacySpan) -> bool:
    """A declarative sentence with a finite verb, not a question or a fragment."""
    if sentence.text.rstrip().endswith("?"):
        return False
    return any(t.pos_ in ("VERB", "AUX") and t.morph.get("VerbForm") == ["Fin"] for t in sentence)


def extract_claims(
    document: Document, parsed: Doc, attributions: Sequence[Attribution]
) -> list[Claim]:
    """Claims in text order: attributed contents and the author's own assertions."""
    found: list[tuple[int, int, str | None]] = [
        (a.content.start, a.content.end, a.id) for a in attributions
    ]
    covered = [(a.content.start, a.content.end) for a in attributions]
    covered += [(a.cue.start, a.cue.end) for a in attributions if a.cue is not None]
    for sentence in parsed.sents:
        text = sentence.text.strip()
        if len(text.split()) < 4 or not _asserts(sentence):
            continue
        start = sentence.start_char + sentence.text.index(text[0])
        end = start + len(text)
        if any(s < end and start < e for s, e in covered):
            continue
        found.append((start, end, None))
    found.sort(key=lambda item: (item[0], item[1]))
    return [
        Claim(f"{document.id}:c{n}", document.id, document.span(start, end), attribution)
        for n, (start, end, attribution) in enumerate(found, 1)
    ]


# Negation cues that flip a clause's polarity ("there is no threat", "has not changed").
_NEGATION = re.compile(
    r"\b(?:no|not|never|none|nobody|nothing|neither|nor|cannot)\b|n[’']t\b", re.IGNORECASE
)


def negation(text: str) -> re.Match[str] | None:
    """The first negation cue of a clause, or None when the clause is affirmative."""
    return _NEGATION.search(text)
