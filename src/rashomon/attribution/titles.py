"""Titles: "Name: what they said" and "Harbour Union Blasts Port Plan" as attributions, and the
quotes inside a title's statement."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rashomon.attribution.context import Candidate, Context, inside_quote, trim_punct
from rashomon.attribution.cues import BY_LEMMA, Cue, cue_for, lemma_forms
from rashomon.model import AttributionKind

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["headline_candidates", "share_headline_cue", "title_verb_candidates"]


_HEADLINE_SPEAKER = re.compile(r"[A-Z][\w.’'&-]*(?: [\w.’'&-]+){0,4}")


_HEADLINE_LABELS = frozenset({
    "watch", "video", "videos", "exclusive", "breaking", "update", "updated", "live", "the latest",
    "analysis", "opinion", "photos", "listen", "editorial", "fact check",
})


def headline_candidates(ctx: Context) -> list[Candidate]:
    """"Graham: Silva’s Rhetoric Destroying GOP’s Chances": a headline that names who says it
    before a colon (a news convention; the colon is the cue)."""
    text = ctx.document.text
    end = text.find("\n")
    end = len(text) if end == -1 else end
    line_start = len(text[:end]) - len(text[:end].lstrip())
    colon = text.find(": ", line_start, end)
    if colon == -1 or end - colon < 10:
        return []
    prefix = text[line_start:colon]
    if not _HEADLINE_SPEAKER.fullmatch(prefix) or prefix.lower() in _HEADLINE_LABELS:
        return []
    phrase = ctx.parsed.char_span(line_start, colon, alignment_mode="expand")
    if phrase is None or any(t.pos_ in ("VERB", "AUX") for t in phrase):
        return []
    content = trim_punct(text, colon + 1, end)
    if content[1] - content[0] < 8:
        return []
    return [Candidate(content, "indirect", "assertion", (colon, colon + 1), None, None,
                       phrase.root, 0)]


def title_verb_candidates(ctx: Context) -> list[Candidate]:
    """"Harbour Union Blasts Velmora Port Plan": in a title, the parser takes a capitalised
    reporting verb for a name; a lexicon verb after a capitalised noun phrase is the cue, the
    phrase before it the speaker and the rest of the line the content (as PolNeAR marks it)."""
    text = ctx.document.text
    end = text.find("\n")
    end = len(text) if end == -1 else end
    line = ctx.parsed.char_span(0, end, alignment_mode="contract")
    if line is None or ": " in text[:end]:
        return []  # "Name: ..." is `headline_candidates`'
    tokens = [t for t in line if not t.is_space]
    for n, token in enumerate(tokens[1:7], 1):
        if not token.text[:1].isupper() or inside_quote(ctx, token):
            if token.pos_ in ("VERB", "AUX"):
                return []  # a verb the lexicon lacks: the title says something else
            continue
        entry = _title_cue(token)
        if entry is None:
            continue
        before = tokens[:n]
        if cue_for(token) is not None or not all(
                (t.text[:1].isupper() and t.pos_ in _NAME_PARTS) or t.is_punct for t in before):
            return []  # a verb the parse saw is `reported_candidates`'; "After Storm Claims"
        content = trim_punct(text, token.idx + len(token), end)
        if content[1] - content[0] < 3:
            return []
        kind: AttributionKind = "belief" if entry.stance == "belief" else "indirect"
        return [Candidate(content, kind, entry.stance, (token.idx, token.idx + len(token)),
                           entry, None, before[-1], 0)]
    return []


_NAME_PARTS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "NUM"})


def _title_cue(token: Token) -> Cue | None:
    """The lexicon entry of a capitalised word in a title ("Blasts", "Endorses"), if any: only
    a word that is inflected as a verb (a title's "Report" or "Claim" is a noun as often)."""
    word = token.lower_
    if not word.endswith(("s", "ed")) or word.endswith("ss"):
        return None
    for form in lemma_forms(token):
        entries = [e for e in BY_LEMMA.get(form, ()) if e.particle is None and not e.quotes_only]
        if entries and form != word:
            return entries[0]
    return None


def share_headline_cue(quotes: list[Candidate], headlines: list[Candidate]) -> None:
    """"Graham: Silva’s ‘Reckless Plan’ Sinks the Port": a quote inside a title's statement
    with no cue of its own is the titled speaker's words, not a quote of no one's."""
    for headline in headlines:
        start, end = headline.content
        for quote in quotes:
            if quote.cue is None and start <= quote.content[0] and quote.content[1] <= end:
                quote.cue, quote.subject, quote.stance = headline.cue, headline.subject, "assertion"
