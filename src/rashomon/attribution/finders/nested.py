"""Candidates that repeat or nest in others dropped: a nominal attribution that is exactly a
partial quote, and reported speech inside another's content that adds no voice of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rashomon.attribution.context import Candidate
from rashomon.attribution.cues import cue_for

if TYPE_CHECKING:
    pass

__all__ = ["drop_duplicates", "drop_nested"]


def drop_duplicates(candidates: list[Candidate]) -> list[Candidate]:
    """A nominal attribution whose content is exactly a partial quote adds nothing to it."""
    quoted = {
        (c.cue, c.quote.open, c.quote.outer_end) for c in candidates if c.quote is not None
    }
    kept = []
    for candidate in candidates:
        start, end = candidate.content
        if candidate.quote is None and any(
            cue == candidate.cue and open_ <= start + 1 and end - 1 <= outer
            for cue, open_, outer in quoted
        ):
            continue
        kept.append(candidate)
    return kept


def drop_nested(candidates: list[Candidate]) -> list[Candidate]:
    """Reported speech inside the reported content of another that adds no voice of its own:
    a cue the outer cue governs ("refused to say whether ...", "declined to comment on ...":
    one act, already reported), or a speaker named only by a pronoun ("Silva said she fears
    ...", "he added that he denied ..."): the outer speaker's words about themself. A named
    speaker inside ("Silva said the union denied ...") is a chain and stays. PolNeAR's
    annotators leave both kinds out (training part, first 200 articles: dropping them lifts
    content F1 by 0.0057 and attribution F1 by 0.007)."""
    reported = [c for c in candidates if c.cue is not None and c.quote is None]
    kept = []
    for candidate in candidates:
        if candidate.quote is None and candidate.entry is not None and candidate.cue is not None \
                and _adds_no_voice(candidate, reported):
            continue
        kept.append(candidate)
    return kept


def _adds_no_voice(candidate: Candidate, reported: list[Candidate]) -> bool:
    cue = candidate.cue
    assert cue is not None
    inside = any(outer is not candidate and outer.content[0] <= cue[0]
                 and candidate.content[1] <= outer.content[1] for outer in reported)
    if not inside or any(c.cue == cue and c.content[0] < cue[0] for c in reported):
        return False  # "the crews he claims are trapped": a claim about words the outer reports
    token, subject = candidate.cue_token, candidate.subject
    governed = token is not None and token.dep_ == "xcomp" and cue_for(token.head) is not None
    return governed or (subject is not None and subject.pos_ == "PRON")
