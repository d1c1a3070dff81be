"""The brief's sections, each a list of cited sentences: what happened, what is contested, the
timeline, the voices, and what a single outlet carries."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from rashomon import terms
from rashomon.align.quotes import QUOTE_KINDS
from rashomon.brief.facts import Fact
from rashomon.brief.sentence import (
    Sentence,
    claim_side,
    count,
    listing,
    name_span,
    side,
    speaker_key,
    speaker_name,
)
from rashomon.brief.slices import StorySlice, claim_of, evidence_for
from rashomon.brief.words import excerpt_of, sentence_around
from rashomon.model import Attribution, BriefSentence, Claim, Relation, Span, TimelineEntry
from rashomon.timeline import date_bounds

__all__ = [
    "CONTESTED_KINDS",
    "contested",
    "happened",
    "single_outlet",
    "timeline",
    "voices",
]

# Relations that put two accounts against each other: the "contested" section.
CONTESTED_KINDS = frozenset({
    "contradiction", "denial", "attribution_divergence", "medium_divergence", "quote_variant",
})
# Each section shows at most this many sentences, the best supported first. The report below
# the brief lists everything.
_MAX_SENTENCES = 12


def _representative(piece: StorySlice, fact: Fact) -> tuple[Claim, Span]:
    """The words a fact is shown by: a speaker's own words first, then the shortest."""
    order = list(piece.documents)

    def rank(pair: tuple[Claim, Span]) -> tuple[bool, int, int]:
        claim, span = pair
        attribution = piece.attribution(claim.attribution) if claim.attribution else None
        quoted = attribution is not None and attribution.kind in QUOTE_KINDS
        return (not quoted, len(span), order.index(claim.doc))

    return min(zip(fact.claims, fact.spans, strict=True), key=rank)


def _other_speakers(piece: StorySlice, fact: Fact, shown: Claim, sentence: Sentence) -> None:
    """Outlets that credit the same words to someone else: "; The Ledger credits Brannik"."""
    first = piece.attribution(shown.attribution) if shown.attribution else None
    credited: dict[str, tuple[Attribution, str]] = {}
    for claim in fact.claims:
        attribution = piece.attribution(claim.attribution) if claim.attribution else None
        if attribution is None or (first is not None
                                   and speaker_key(attribution) == speaker_key(first)):
            continue
        credited.setdefault(f"{claim.doc} {speaker_key(attribution)}",
                            (attribution, piece.outlet(claim.doc)))
    for attribution, outlet in credited.values():
        span = name_span(piece, attribution)
        if span is not None:
            sentence.say(f"; {outlet} credits ").say(speaker_name(piece, attribution, sentence))


def _disputed(piece: StorySlice, fact: Fact) -> bool:
    """Whether a contradiction or a denial of the story has one of the fact's claims (or their
    attributions) as a member, or cites words of it."""
    ids = {c.id for c in fact.claims} | {c.attribution for c in fact.claims if c.attribution}
    for relation in piece.relations:
        if relation.kind not in ("contradiction", "denial"):
            continue
        if ids & set(relation.members) or any(
                e.overlaps(s) for e in relation.evidence for s in fact.spans):
            return True
    return False


def happened(piece: StorySlice, facts: Sequence[Fact]) -> list[BriefSentence]:
    sentences = []
    for fact in sorted(facts, key=lambda f: -f.independent):
        if fact.independent < 2:
            continue  # copies of one article, or one agency relayed: not corroboration
        sentence = Sentence.empty()
        shown, span = _representative(piece, fact)
        claim_side(piece, shown, span, sentence)
        outlets = listing(piece.outlet(c.doc) for c in fact.claims)
        copies = sorted({c.doc for c in fact.claims if piece.original(c.doc) != c.doc})
        sentence.say(f"; carried by {count(fact.independent, 'independent outlet')} "
                     f"({listing(fact.sources)})")
        if copies or listing(fact.sources) != outlets:
            sentence.say(f"; seen in {outlets}")
        _other_speakers(piece, fact, shown, sentence)
        if _disputed(piece, fact):
            # what several outlets carry is not thereby settled: say so where it is stated
            sentence.say("; disputed (see what is contested)")
        sentence.say(".").cite(*fact.spans)
        done = sentence.done("happened", fact.relations[0] if fact.relations else None)
        if done is not None:
            sentences.append(done)
    return sentences[:_MAX_SENTENCES]



def _medium_span(piece: StorySlice, attribution: Attribution) -> Span | None:
    """Where the medium is named ("in a Facebook post"): in the sentence of the cue."""
    if not attribution.medium:
        return None
    document = piece.documents[attribution.doc]
    around = sentence_around(document, attribution.cue or attribution.content)
    text = document.slice(around)
    match = re.search(re.escape(attribution.medium), text, re.IGNORECASE)
    if match is None:
        return None
    return Span(around.doc, around.start + match.start(), around.start + match.end())


# How each kind of clash opens, and what joins its two sides.
_CONTESTED_PATTERNS = {
    "contradiction": ("Contradiction: ", "; against it, "),
    "denial": ("Denial: ", ", taken to answer "),
    "quote_variant": ("Wording differs: ", "; "),
    "attribution_divergence": ("Who said it differs: ", "; "),
    "medium_divergence": ("Where it was said differs: ", "; "),
}


def _member_side(piece: StorySlice, relation: Relation, position: int,
                 sentence: Sentence) -> None:
    """One side of a clash: an attribution with its speaker and cue, or an outlet's own claim."""
    member = relation.members[position]
    attribution = piece.attribution(member)
    if attribution is not None:
        side(piece, attribution, sentence,
              evidence_for(relation, position, attribution.content))
        medium = _medium_span(piece, attribution) if relation.kind == "medium_divergence" else None
        if medium is not None:
            words = terms.one_line(piece.documents[medium.doc].slice(medium))
            sentence.say(f" via {words}").cite(medium)
        return
    claim = piece.claim(member)
    if claim is not None:
        inside = [e for e in relation.evidence if claim.span.contains(e)]
        claim_side(piece, claim, inside[0] if inside else claim.span, sentence)


def _contested_sentence(piece: StorySlice, relation: Relation) -> BriefSentence | None:
    pattern = _CONTESTED_PATTERNS.get(relation.kind)
    sides = [n for n, m in enumerate(relation.members)
             if piece.attribution(m) is not None or piece.claim(m) is not None]
    if pattern is None or len(sides) < 2:
        return None
    opening, joint = pattern
    sentence = Sentence.empty().say(opening)
    _member_side(piece, relation, sides[0], sentence)
    sentence.say(joint)
    _member_side(piece, relation, sides[1], sentence)
    return sentence.say(".").done("contested", relation.id)


def contested(piece: StorySlice) -> list[BriefSentence]:
    order = ("contradiction", "denial", "attribution_divergence", "medium_divergence",
             "quote_variant")
    relations = sorted((r for r in piece.relations if r.kind in CONTESTED_KINDS),
                       key=lambda r: (order.index(r.kind), -r.score, r.id))
    found = [s for r in relations if (s := _contested_sentence(piece, r)) is not None]
    return found[:_MAX_SENTENCES]


# --------------------------------------------------------------------------- timeline


def _date_words(date: str) -> str:
    if "/" in date:
        start, end = date.split("/", 1)
        return f"Between {start} and {end}"
    return date if len(date) == 10 else f"In {date}"


def _width(date: str) -> int:
    try:
        start, end = date_bounds(date)
    except ValueError:
        return 10**6
    return (end - start).days


def timeline(piece: StorySlice) -> list[BriefSentence]:
    events: dict[str, list[TimelineEntry]] = defaultdict(list)
    for n, entry in enumerate(piece.timeline):
        events[entry.event_id or f"entry:{n}"].append(entry)
    ranked = []
    for entries in events.values():
        counts = Counter(e.date for e in entries)
        date = min(counts, key=lambda d: (-counts[d], _width(d), d))
        sources = piece.independent_sources((e.span.doc, None) for e in entries)
        ranked.append((date, entries, len(sources)))
    # the best-sourced events when there are too many, then shown in date order
    kept = sorted(ranked, key=lambda item: (-item[2], _width(item[0])))[:_MAX_SENTENCES]
    sentences = []
    for date, entries, _ in sorted(kept, key=lambda item: (_start(item[0]), item[0])):
        shown = next(e for e in entries if e.date == date)
        document = piece.documents[shown.span.doc]
        excerpt = excerpt_of(document, sentence_around(document, shown.span), focus=shown.span)
        sentence = Sentence.empty().say(f"{_date_words(date)}: ")
        if excerpt is not None:
            sentence.say(excerpt.quoted()).cite(excerpt.span)
        others = [e.date for e in entries if e.date != date]
        sentence.say(f" ({listing(piece.outlet(e.span.doc) for e in entries)}")
        if others:
            sentence.say(f"; also dated {listing(others)}")
        sentence.say(").").cite(*(e.span for e in entries))
        done = sentence.done("timeline")
        if done is not None:
            sentences.append(done)
    return sentences


def _start(date: str) -> str:
    try:
        return date_bounds(date)[0].isoformat()
    except ValueError:
        return date


# --------------------------------------------------------------------------- voices


def _word_count(piece: StorySlice, attribution: Attribution) -> int:
    return len(terms.words(piece.documents[attribution.doc].slice(attribution.content)))


def voices(piece: StorySlice) -> list[BriefSentence]:
    by_speaker: dict[str, list[Attribution]] = defaultdict(list)
    for attribution in piece.attributions:
        by_speaker[speaker_key(attribution)].append(attribution)
    total = sum(_word_count(piece, a) for a in piece.attributions) or 1
    ranked = sorted(by_speaker.values(),
                    key=lambda group: -sum(_word_count(piece, a) for a in group))
    sentences = []
    for group in ranked:
        named = next((a for a in group if name_span(piece, a) is not None), None)
        if named is None:
            continue  # a speaker no article names cannot be cited by name
        sentence = Sentence.empty()
        name = speaker_name(piece, named, sentence)
        words = sum(_word_count(piece, a) for a in group)
        outlets = listing(piece.outlet(a.doc) for a in group)
        n_outlets = len({piece.outlet(a.doc) for a in group})
        sentence.say(f"{name}: {count(len(group), 'statement')} in "
                     f"{count(n_outlets, 'outlet')} ({outlets}), {count(words, 'word')}, "
                     f"{round(100 * words / total)}% of all reported words.")
        sentence.cite(*(a.content for a in group))
        done = sentence.done("voices")
        if done is not None:
            sentences.append(done)
    return sentences[:_MAX_SENTENCES]


# --------------------------------------------------------------------------- single outlet


def single_outlet(piece: StorySlice, facts: Sequence[Fact]) -> list[BriefSentence]:
    if len(piece.independent_sources((d, None) for d in piece.documents)) < 2:
        return []  # one outlet's story: everything would be "only this outlet"
    carried = {c.id for f in facts for c in f.claims}
    related = {m for r in piece.relations for m in r.members}
    by_doc: dict[str, list[Attribution]] = defaultdict(list)
    for attribution in piece.attributions:
        claim = claim_of(piece, attribution.id)
        if attribution.id in related or (claim is not None and (
                claim.id in carried or claim.id in related)):
            continue
        if name_span(piece, attribution) is None:
            continue  # no speaker to name: nothing a reader could weigh
        by_doc[attribution.doc].append(attribution)
    # take turns between documents, so that each outlet's own material is seen
    queues = [list(items) for items in by_doc.values()]
    chosen: list[Attribution] = []
    while any(queues) and len(chosen) < _MAX_SENTENCES:
        for queue in queues:
            if queue and len(chosen) < _MAX_SENTENCES:
                chosen.append(queue.pop(0))
    sentences = []
    for attribution in chosen:
        sentence = Sentence.empty().say(f"Only {piece.outlet(attribution.doc)}: ")
        side(piece, attribution, sentence)
        done = sentence.say(".").done("single_outlet")
        if done is not None:
            sentences.append(done)
    return sentences
