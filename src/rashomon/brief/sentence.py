"""A brief sentence being assembled, and the parts every section builds it from: a speaker's
name read from a cited span, one side of an account ("{speaker} {cue} “{words}” ({outlet})")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rashomon import terms
from rashomon.align.quotes import QUOTE_KINDS
from rashomon.brief.slices import StorySlice
from rashomon.brief.words import excerpt_of
from rashomon.model import Attribution, BriefSentence, Claim, Span

__all__ = [
    "Sentence",
    "claim_side",
    "count",
    "entity_mention",
    "listing",
    "name_span",
    "short_name",
    "side",
    "speaker_key",
    "speaker_name",
]

_PRONOUNS = frozenset(
    "he she they it we i you him her them his hers their its who whom which that".split())


@dataclass(slots=True)
class Sentence:
    """A sentence being assembled: its text and the spans its words were read from."""

    parts: list[str]
    citations: list[Span]

    @classmethod
    def empty(cls) -> Sentence:
        return cls([], [])

    def say(self, words: str) -> Sentence:
        self.parts.append(words)
        return self

    def cite(self, *spans: Span | None) -> Sentence:
        for span in spans:
            if span is not None and span not in self.citations:
                self.citations.append(span)
        return self

    def done(self, section: str, relation: str | None = None) -> BriefSentence | None:
        text = terms.one_line("".join(self.parts))
        if not text or not self.citations:
            return None  # a sentence with nothing to cite is not written
        return BriefSentence(section, text, tuple(self.citations), relation)  # type: ignore[arg-type]


def speaker_key(attribution: Attribution) -> str:
    """One key per speaker across a story: the linked entity, else the folded name."""
    speaker = attribution.speaker
    if speaker.entity:
        return f"entity:{speaker.entity}"
    return "name:" + terms.one_line(speaker.name or speaker.text).lower()


def short_name(text: str) -> str:
    """ "Ilse Poward, the county's plant-health officer" -> "Ilse Poward"."""
    return re.split(r",|\(|\s+who\s+|\s+which\s+|\s+that\s+", text, maxsplit=1)[0].strip()


def entity_mention(piece: StorySlice, entity: str, doc: str | None) -> Span | None:
    """A mention naming an entity, the fullest one, in `doc` when it has one."""
    mentions = [m for m in piece.mentions if m.entity == entity and m.label not in (
        "ROLE", "EPITHET")]
    if not mentions:
        return None
    name = piece.entity_names.get(entity, "")
    return max(mentions, key=lambda m: (m.span.doc == doc, m.text == name, len(m.text),
                                        -m.span.start)).span


def name_span(piece: StorySlice, attribution: Attribution) -> Span | None:
    """Where the speaker's name can be read: a mention of their entity, else the words that
    name them in this sentence (cut to the name itself), never a bare pronoun."""
    speaker = attribution.speaker
    if speaker.entity:
        found = entity_mention(piece, speaker.entity, attribution.doc)
        if found is not None:
            return found
    if speaker.span is None:
        return None
    document = piece.documents[attribution.doc]
    text = document.slice(speaker.span)
    name = short_name(text)
    if not name or name.lower() in _PRONOUNS:
        return None
    start = speaker.span.start + text.index(name)
    return Span(speaker.span.doc, start, start + len(name))


def speaker_name(piece: StorySlice, attribution: Attribution, sentence: Sentence) -> str:
    """The speaker's name read from a cited span, or a description in our own words."""
    span = name_span(piece, attribution)
    if span is None:
        return "an unnamed speaker" if attribution.speaker.anonymous else "a speaker"
    sentence.cite(span)
    return terms.one_line(piece.documents[span.doc].slice(span))


def side(piece: StorySlice, attribution: Attribution, sentence: Sentence,
          evidence: Span | None = None) -> None:
    """ "{speaker} {cue} “{words}” ({outlet}[, paraphrase])" for one attribution."""
    document = piece.documents[attribution.doc]
    excerpt = excerpt_of(document, evidence or attribution.content)
    if excerpt is not None:
        sentence.cite(excerpt.span)  # the quoted words first: what a reader checks first
    name = speaker_name(piece, attribution, sentence)
    cue = terms.one_line(document.slice(attribution.cue)) if attribution.cue else ""
    if cue.lower() == "according to":
        sentence.say(f"according to {name}, ")
    elif cue:
        sentence.say(f"{name} {cue.lower()} ")
    else:
        sentence.say(f"{name}: ")
    sentence.cite(attribution.cue)
    if excerpt is not None:
        sentence.say(excerpt.quoted()).cite(excerpt.span)
    paraphrase = "" if attribution.kind in QUOTE_KINDS else ", paraphrase"
    sentence.say(f" ({piece.outlet(attribution.doc)}{paraphrase})")


def claim_side(piece: StorySlice, claim: Claim, span: Span, sentence: Sentence) -> None:
    attribution = piece.attribution(claim.attribution) if claim.attribution else None
    if attribution is not None:
        side(piece, attribution, sentence, span)
        return
    excerpt = excerpt_of(piece.documents[claim.doc], span)
    sentence.say(f"{piece.outlet(claim.doc)} reports ")
    if excerpt is not None:
        sentence.say(excerpt.quoted()).cite(excerpt.span)


def count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def listing(names: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(names))
