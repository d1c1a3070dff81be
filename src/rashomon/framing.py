"""How each outlet tells a story, made to be compared: one `Framing` per (story, outlet).

- Voices: for each speaker, the cue words the outlet uses ("said" in one outlet, "claimed" in
  another is the classic tell), the stances those cues signal, and the speaker's share of all
  the words the outlet quotes or paraphrases in the story (who gets the voice). Speakers are
  keyed by their linked entity, so one person lines up across outlets however each names them.
- Loaded terms: the epithets `rashomon.entities` finds ("the former spy chief", kept there as a
  framing signal), and modifiers from a small lexicon (`LOADED_MODIFIERS`) that pass a verdict
  before the reader has the facts. Only the outlet's own words count: a loaded word inside a
  direct quote is the speaker's, and shows in the quote.
- Omissions: speakers other outlets of the story quote and this one does not, and facts other
  outlets carry (`brief.carried_facts`) that this one does not, each with the span of an
  outlet that carries it, so the reader can see what is missing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from rashomon import terms
from rashomon.align.quotes import QUOTE_KINDS
from rashomon.brief import Fact, carried_facts, speaker_key
from rashomon.entities import EPITHET_LABEL
from rashomon.model import Analysis, Attribution, Document, Framing, Span, Voice
from rashomon.story_view import StoryView, story_views

__all__ = ["LOADED_MODIFIERS", "LOADED_NOUNS", "build_framings", "framings_of"]

# Loaded modifiers, by why they are loaded. Kept small and general on purpose: a word is here
# only when, in a news report's own voice, it judges rather than describes.
LOADED_MODIFIERS: dict[str, str] = {
    # They question a title or standing the person claims, before any fact to judge it by.
    **dict.fromkeys(("self-styled", "self-proclaimed", "so-called", "would-be", "pseudo"),
                    "questions a title"),
    # They hand the reader a verdict on a person's reputation instead of what they did.
    **dict.fromkeys(("notorious", "infamous", "disgraced", "discredited", "embattled",
                     "controversial", "hardline", "firebrand", "extremist", "radical"),
                    "passes a verdict"),
}
# Nouns that name a government or group so as to deny its legitimacy ("the Veyra regime").
LOADED_NOUNS: dict[str, str] = dict.fromkeys(("regime", "junta", "puppet"), "denies legitimacy")

_MAX_WORDS = 30  # words of a missing fact shown in its description
_MODIFIER = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(LOADED_MODIFIERS, key=len,
                                                           reverse=True))
    + r")(?![\w-])(\s+[\w’'-]+)?", re.IGNORECASE)
_NOUN = re.compile(
    r"(?:((?-i:[A-Z])[\w’'-]*)\s+)?(?<![\w-])(" + "|".join(LOADED_NOUNS) + r")s?(?![\w-])",
    re.IGNORECASE)


def _word_count(document: Document, attribution: Attribution) -> int:
    return len(terms.words(document.slice(attribution.content)))


def _speaker_label(piece: StoryView, attribution: Attribution) -> str:
    """One name per speaker across outlets: the linked entity's, else the words naming them."""
    speaker = attribution.speaker
    name = piece.entity_names.get(speaker.entity or "") or speaker.name or speaker.text
    label = re.split(r",|\(|\s+who\s+", terms.one_line(name), maxsplit=1)[0].strip()
    label = label or "unknown speaker"
    return f"{label} (unnamed source)" if speaker.anonymous else label


def _voices(piece: StoryView, attributions: Sequence[Attribution]) -> tuple[Voice, ...]:
    groups: dict[str, list[Attribution]] = defaultdict(list)
    for attribution in attributions:
        groups[speaker_key(attribution)].append(attribution)
    words = {a.id: _word_count(piece.by_id[a.doc], a) for a in attributions}
    total = sum(words.values())
    voices = []
    for group in groups.values():
        cues: Counter[str] = Counter()
        for attribution in group:
            if attribution.cue is not None:
                document = piece.by_id[attribution.doc]
                cues[terms.one_line(document.slice(attribution.cue)).lower()] += 1
        quoted = sum(words[a.id] for a in group)
        voices.append(Voice(
            speaker=_speaker_label(piece, group[0]),
            entity=group[0].speaker.entity,
            cues=tuple(cues.most_common()),
            stances=tuple(Counter(a.stance for a in group).most_common()),
            quoted_words=quoted,
            share=quoted / total if total else 0.0,
            attributions=tuple(a.id for a in group),
        ))
    return tuple(sorted(voices, key=lambda v: (-v.quoted_words, v.speaker)))


def _quoted_spans(attributions: Sequence[Attribution]) -> list[Span]:
    return [a.content for a in attributions if a.kind in QUOTE_KINDS]


def _loaded_terms(
    piece: StoryView, documents: Sequence[Document], attributions: Sequence[Attribution]
) -> tuple[tuple[str, Span], ...]:
    """Epithets and lexicon hits in the outlet's own words, in text order."""
    quoted = _quoted_spans(attributions)

    def own_words(span: Span) -> bool:
        return not any(q.overlaps(span) for q in quoted)

    found: dict[Span, str] = {}
    ids = {d.id for d in documents}
    for mention in piece.mentions:
        if mention.label == EPITHET_LABEL and mention.span.doc in ids and own_words(mention.span):
            found[mention.span] = mention.text
    for document in documents:
        for pattern in (_MODIFIER, _NOUN):
            for match in pattern.finditer(document.text):
                start, end = match.span()
                span = Span(document.id, start, end)
                if own_words(span) and not any(s.overlaps(span) for s in found):
                    found[span] = terms.one_line(document.slice(span))
    return tuple((text, span) for span, text in sorted(found.items()))


def _omissions(
    piece: StoryView, documents: Sequence[Document], facts: Sequence[Fact],
) -> tuple[tuple[str, Span], ...]:
    """Speakers and facts the story's other outlets carry and this outlet does not."""
    ids = {d.id for d in documents}
    keys = {a.id: speaker_key(a) for a in piece.attributions}
    here = {keys[a.id] for a in piece.attributions if a.doc in ids}
    outlets: dict[str, set[str]] = defaultdict(set)
    for attribution in piece.attributions:
        outlets[keys[attribution.id]].add(piece.outlet(attribution.doc))
    missing: list[tuple[str, Span]] = []
    seen: set[str] = set()
    for attribution in piece.attributions:
        key = keys[attribution.id]
        if attribution.doc in ids or key in here or key in seen:
            continue
        label = _speaker_label(piece, attribution)
        if label == "unknown speaker":
            continue
        seen.add(key)
        missing.append((f"{label} is not quoted here; quoted by {', '.join(sorted(outlets[key]))}",
                        attribution.content))
    for fact in facts:
        if any(c.doc in ids for c in fact.claims) or fact.independent < 2:
            continue
        # corroborated by the others, absent here: show the words of the first that carries it
        claim, span = fact.claims[0], fact.spans[0]
        document = piece.by_id[claim.doc]
        words = document.slice(span).split()
        shown = " ".join(words[:_MAX_WORDS]) + ("…" if len(words) > _MAX_WORDS else "")
        missing.append((f"not carried here; carried by {', '.join(fact.sources)}: “{shown}”",
                        span))
    return tuple(missing)


def framings_of(piece: StoryView, facts: Sequence[Fact]) -> list[Framing]:
    """One story's framings, one per outlet in story order, from its view and the facts its
    outlets carry (`brief.carried_facts`, computed once for the brief and the framing)."""
    outlets: dict[str, list[Document]] = defaultdict(list)
    for document in piece.by_id.values():
        outlets[document.outlet_label].append(document)
    framings = []
    for outlet, documents in outlets.items():
        ids = {d.id for d in documents}
        attributions = [a for a in piece.attributions if a.doc in ids]
        framings.append(Framing(
            story=piece.required_story().id,
            outlet=outlet,
            documents=tuple(d.id for d in documents),
            voices=_voices(piece, attributions),
            loaded_terms=_loaded_terms(piece, documents, attributions),
            omissions=_omissions(piece, documents, facts),
        ))
    return framings


def build_framings(analysis: Analysis) -> tuple[Framing, ...]:
    """One framing per (story, outlet), stories in order, outlets in story order."""
    return tuple(f for piece in story_views(analysis)
                 for f in framings_of(piece, carried_facts(piece)))
