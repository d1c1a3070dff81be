"""Sources named in a frame turned into candidates: "..., according to X" and "In a new
poll, ..."."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rashomon.attribution.context import (
    Candidate,
    Context,
    inside_quote,
    subtree_bounds,
    trim_punct,
    within_paragraph,
)
from rashomon.attribution.cues import cue_for
from rashomon.attribution.finders.reported import char_bounds, overlaps_direct_quote

if TYPE_CHECKING:
    pass

__all__ = ["according_to_candidates", "survey_candidates"]


def according_to_candidates(ctx: Context) -> list[Candidate]:
    found: list[Candidate] = []
    text = ctx.document.text
    for token in ctx.parsed:
        if token.lower_ != "according" or inside_quote(ctx, token):
            continue
        to = token.nbor(1) if token.i + 1 < len(ctx.parsed) else None
        if to is None or to.lower_ != "to":
            continue
        sources = [c for c in to.children if c.dep_ == "pobj"]
        if not sources:
            continue
        source = sources[0]
        phrase_end = list(source.subtree)[-1]
        sentence = token.sent
        paragraph_start = ctx.paragraph_starts[ctx.paragraph_of(token.idx)]
        sentence_start = max(sentence.start_char, paragraph_start)
        paragraph = ctx.paragraph_of(token.idx)
        sentence_end = sentence.end_char
        if paragraph + 1 < len(ctx.paragraph_starts):
            sentence_end = min(sentence_end, ctx.paragraph_starts[paragraph + 1])
        before = trim_punct(text, sentence_start, token.idx)
        after = trim_punct(text, phrase_end.idx + len(phrase_end), sentence_end)
        # "X, according to Y, Z": both sides are the content (two spans sharing the cue).
        contents = [c for c in (before, after) if c[1] - c[0] > 1]
        if len(contents) == 2:
            # The rest of the clause ("Sales, according to Y, rose"), not the author's own
            # afterword ("..., according to Y, in a blow to the port").
            rest = ctx.parsed.char_span(*after, alignment_mode="expand")
            if rest is None or not any(t.pos_ in ("VERB", "AUX") for t in rest):
                contents = [before]
        for content in contents:
            found.append(Candidate(
                content, "according_to", "assertion", (token.idx, to.idx + len(to)), None,
                token, source, ctx.sentence_of(token.idx),
            ))
    return found


_SURVEY_NOUNS = frozenset({
    "poll", "survey", "study", "report", "analysis", "review", "audit", "memo", "filing",
    "census", "tally", "count",
})


def survey_candidates(ctx: Context) -> list[Candidate]:
    """"In a new Register poll, Cruz had 38 percent": a poll or study, named in a frame before
    the clause, is the source of what the clause reports (when no verb there reports it)."""
    found: list[Candidate] = []
    for token in ctx.parsed:
        if token.lower_ != "in" or token.dep_ != "prep" or inside_quote(ctx, token):
            continue
        source = next((c for c in token.children if c.dep_ == "pobj"), None)
        verb = token.head
        if source is None or source.lemma_.lower() not in _SURVEY_NOUNS or cue_for(verb):
            continue
        if verb.pos_ not in ("VERB", "AUX") or token.i > verb.i:
            continue
        phrase_last = subtree_bounds(token)[1]
        sentence = verb.sent
        last = sentence.end - 1
        chars = char_bounds(ctx, *within_paragraph(ctx, verb, phrase_last + 1, last))
        if chars is None or overlaps_direct_quote(ctx, *chars):
            continue
        found.append(Candidate(
            chars, "according_to", "assertion", (token.idx, token.idx + len(token)), None,
            token, source, ctx.sentence_of(token.idx),
        ))
    return found
