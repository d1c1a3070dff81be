"""Finders: the parse turned into attribution candidates, each with its content span and cue.

One module a kind: `quoted` (quotations and their cue), `reported` (reported speech), `according`
(``..., according to X`` and polls named in a frame), and `nested` (candidates that repeat or
nest in others, dropped). Headlines and title-case verbs are in `attribution.titles`.
"""

from __future__ import annotations

from rashomon.attribution.finders.according import (
    according_to_candidates,
    survey_candidates,
)
from rashomon.attribution.finders.nested import drop_duplicates, drop_nested
from rashomon.attribution.finders.quoted import quote_candidates
from rashomon.attribution.finders.reported import (
    NAMING_VERBS,
    char_bounds,
    clause_bounds,
    cue_complement,
    overlaps_direct_quote,
    reported_candidates,
)

__all__ = [
    "NAMING_VERBS",
    "according_to_candidates",
    "char_bounds",
    "clause_bounds",
    "cue_complement",
    "drop_duplicates",
    "drop_nested",
    "overlaps_direct_quote",
    "quote_candidates",
    "reported_candidates",
    "survey_candidates",
]
