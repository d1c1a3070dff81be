"""The sourced brief: per story, what a reader needs first, every sentence cited.

Nothing here is generated. Each sentence is a fixed pattern ("{speaker} {cue} “{words}”
({outlet})") whose slots are filled with words read from the articles, and it carries the spans
it read them from: the quoted words, the speaker's name, the cue, and every span a count rests
on. A sentence that could not be cited is not written. Words between quote marks “…” are
always an article's own words; when they are an outlet's paraphrase of a speaker rather than
the speaker's words, the sentence says so ("paraphrase"). An ellipsis inside the quote marks
marks where a long passage was cut; the citation then covers exactly the words shown.

The sections, in the order a reader meets them (`BRIEF_SECTIONS`):

- ``happened``: what several independent outlets carry (corroboration relations, the same
  utterance quoted by several outlets, and claims whose content words largely agree), each
  with the number of independent outlets: a near-duplicate copy counts as its original,
  articles that reuse one wire story's sentences count once (`copies`), statements relayed
  from one source (the same agency credited) count once, and an outlet counts for a fact
  only when its words give the fact's figures; the outlets named are ones whose own text
  carries the fact;
- ``contested``: each contradiction, denial and divergence, both sides in one sentence, with
  speakers, cues and outlets;
- ``timeline``: the story's dated events, one sentence per event however many outlets date it;
- ``voices``: who spoke, in how many outlets, with how many words;
- ``single_outlet``: statements that only one outlet carries.

Renderers escape; the sentences here are plain text, one line each.
"""

from __future__ import annotations

from collections.abc import Sequence

from rashomon.brief.facts import Fact, carried_facts
from rashomon.brief.sections import (
    CONTESTED_KINDS,
    contested,
    happened,
    single_outlet,
    timeline,
    voices,
)
from rashomon.brief.sentence import speaker_key
from rashomon.model import Analysis, Brief
from rashomon.story_view import StoryView, story_views

__all__ = [
    "CONTESTED_KINDS",
    "Fact",
    "brief_of",
    "build_briefs",
    "carried_facts",
    "speaker_key",
]


def brief_of(piece: StoryView, facts: Sequence[Fact]) -> Brief:
    """The brief of one story, from its view and the facts its outlets carry."""
    sentences = [
        *happened(piece, facts),
        *contested(piece),
        *timeline(piece),
        *voices(piece),
        *single_outlet(piece, facts),
    ]
    return Brief(piece.required_story().id, tuple(sentences))


def build_briefs(analysis: Analysis) -> tuple[Brief, ...]:
    """One brief per story of the analysis, in story order; every sentence cited."""
    return tuple(brief_of(piece, carried_facts(piece)) for piece in story_views(analysis))
