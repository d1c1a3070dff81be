"""What every report shares: reading spans safely, and how one story is shown.

The Markdown and terminal reports show the same things per story in the same order (the brief,
documents, the framing table, quotes by speaker then outlet, relations, entities, timeline);
only the markup differs, so the grouping lives here once, over the one per-story view of an
analysis (`rashomon.story_view.StoryView`) that the brief and the framing read too. The JSON
report is a flat dump and uses only `document_of` and `read`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rashomon.model import (
    Analysis,
    Attribution,
    BriefSentence,
    Document,
    Entity,
    Framing,
    Span,
    TimelineEntry,
    outlet_label,
)
from rashomon.story_view import StoryView, document_of, speaker_key, story_views

__all__ = [
    "BRIEF_HEADINGS",
    "FACT_OMISSION_PREFIX",
    "FramingTable",
    "NO_STORY_TITLE",
    "OMISSIONS_SHOWN",
    "Omission",
    "SpeakerQuotes",
    "brief_sections",
    "citation",
    "date_notes",
    "framing_table",
    "inline",
    "kind_label",
    "mention_count",
    "omissions_by_kind",
    "omissions_left_out",
    "outlet_name",
    "outlet_names",
    "quote_details",
    "quote_text",
    "quotes_by_speaker",
    "read",
    "report_views",
    "shown_omissions",
    "span_text",
    "speaker_label",
    "story_title",
    "timeline_events",
]

# How each section of the brief is headed in the reports, in the order they come.
BRIEF_HEADINGS = {
    "happened": "What happened",
    "contested": "What is contested",
    "timeline": "Timeline",
    "voices": "Who spoke",
    "single_outlet": "Only one outlet",
}

NO_STORY_TITLE = "Documents in no story"

Omission = tuple[str, Span]
# How `rashomon.framing` begins the description of a fact an outlet does not carry (a speaker
# it does not quote reads "NAME is not quoted here; ..."); tests/test_framing.py holds the two
# to this.
FACT_OMISSION_PREFIX = "not carried here;"

_WHITESPACE = re.compile(r"\s+")
# Control characters (C0, DEL, C1) and bidirectional overrides: an article is written by a
# stranger, and an ESC sequence would restyle or rewrite the reader's terminal, a bidi override
# would make a quote read differently from what it says.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_QUOTE_MARKS = " \"'“”‘’«»„‚"
_QUOTE_KINDS = frozenset({"direct", "partial"})


@lru_cache(maxsize=65536)
def inline(text: str) -> str:
    """Untrusted text made fit for one line: whitespace runs become one space, controls go.
    Remembered: a story's page asks again for the same outlet and speaker names thousands of
    times."""
    return _UNPRINTABLE.sub("", _WHITESPACE.sub(" ", text)).strip()


def kind_label(kind: str) -> str:
    """A model enum value as words: ``quote_variant`` -> ``quote variant``."""
    return kind.replace("_", " ")


def read(document: Document, span: Span, owner: str) -> str:
    """The words of `span`, refusing offsets outside the text.

    Python slicing would silently clip a bad offset; a report whose offsets do not point at
    the words it prints is worse than no report, so this fails loudly instead.
    """
    if not 0 <= span.start <= span.end <= len(document.text):
        raise ValueError(
            f"{owner}: span {span.start}:{span.end} is outside document {document.id} "
            f"({len(document.text)} characters)"
        )
    return document.slice(span)


def omissions_by_kind(framing: Framing) -> tuple[list[Omission], list[Omission]]:
    """An outlet's omissions as the facts it does not carry and the speakers it does not
    quote, each in the framing's order: a reader weighs a missing fact before a missing voice."""
    facts = [o for o in framing.omissions if o[0].startswith(FACT_OMISSION_PREFIX)]
    speakers = [o for o in framing.omissions if not o[0].startswith(FACT_OMISSION_PREFIX)]
    return facts, speakers


# How many omissions of each kind (facts, speakers) a report shows per outlet. The outlets of a
# large story each leave out hundreds of the speakers the others quote (one story of 39
# articles cited 11,000 of them: 6 MB of page); the rest are counted, and listed in full by
# the JSON report and, in the app, on a page of their own.
OMISSIONS_SHOWN = 10


def shown_omissions(framing: Framing) -> list[Omission]:
    """The omissions a report shows for an outlet: the first `OMISSIONS_SHOWN` facts, then the
    first `OMISSIONS_SHOWN` speakers."""
    facts, speakers = omissions_by_kind(framing)
    return [*facts[:OMISSIONS_SHOWN], *speakers[:OMISSIONS_SHOWN]]


def omissions_left_out(framing: Framing) -> str | None:
    """How many of each kind the cut list shows ("10 of 14 facts and 10 of 213 speakers"),
    or None when it shows them all."""
    facts, speakers = omissions_by_kind(framing)
    if len(facts) <= OMISSIONS_SHOWN and len(speakers) <= OMISSIONS_SHOWN:
        return None
    return " and ".join(
        f"{min(count, OMISSIONS_SHOWN)} of {count} {word if count == 1 else word + 's'}"
        for count, word in ((len(facts), "fact"), (len(speakers), "speaker")) if count)


@dataclass(frozen=True, slots=True)
class SpeakerQuotes:
    """One speaker's attributions, grouped by the outlet that reported them."""

    speaker: str
    by_outlet: tuple[tuple[str, tuple[Attribution, ...]], ...]

    @property
    def count(self) -> int:
        return sum(len(quotes) for _, quotes in self.by_outlet)


@dataclass(frozen=True, slots=True)
class FramingTable:
    """The framing of a story as a grid to scan: speakers down, outlets across.

    Each cell is how that outlet presents that speaker: the cue words with counts and the
    speaker's share of the words the outlet quotes ("claimed ×2, said · 41%"), or "—" when the
    outlet does not quote them.
    """

    outlets: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (speaker, one cell per outlet)


def report_views(analysis: Analysis) -> list[StoryView]:
    """One view per story, then one for the documents that belong to no story (if any).

    Raises ValueError when a story names a document the analysis lacks: a report would
    silently leave it out.
    """
    documents = {d.id: d for d in analysis.documents}
    for story in analysis.stories:
        for doc_id in story.documents:
            document_of(documents, doc_id, f"story {story.id}")
    return story_views(analysis, loose=True)


def story_title(view: StoryView) -> str:
    """The story's title, else its first document's, as one line."""
    if view.story is None:
        return NO_STORY_TITLE
    if view.story.title:
        return inline(view.story.title)
    for document in view.documents:
        if document.title:
            return inline(document.title)
    return f"Story {view.story.id}"


def span_text(view: StoryView, span: Span, owner: str) -> str:
    """The words of a span, as one line of untrusted text (not yet escaped)."""
    return inline(read(view.document(span.doc, owner), span, owner))


def outlet_name(view: StoryView, doc_id: str) -> str:
    document = view.all_documents.get(doc_id)
    if document is None:
        return doc_id
    return _outlet_label(document.outlet, document.url, document.source)


@lru_cache(maxsize=4096)
def _outlet_label(outlet: str | None, url: str | None, source: str) -> str:
    """`Document.outlet_label` made fit for one line, remembered: a page names the same few
    outlets thousands of times, and the label of a file's outlet is a path parsed each time."""
    return inline(outlet_label(outlet, url, source))


def outlet_names(view: StoryView) -> list[str]:
    return list(dict.fromkeys(outlet_name(view, d.id) for d in view.documents))


def speaker_label(view: StoryView, attribution: Attribution) -> str:
    """Who said it: the linked entity's name, else the resolved name, else the words."""
    speaker = attribution.speaker
    name = view.entity_names.get(speaker.entity or "") or speaker.name or speaker.text
    label = inline(name) or "unknown speaker"
    return f"{label} (unnamed source)" if speaker.anonymous else label


def quote_text(view: StoryView, attribution: Attribution) -> str:
    """The content; in quote marks only when the words are the speaker's own.

    A paraphrase printed in quote marks would put words in someone's mouth.
    """
    words = span_text(view, attribution.content, f"attribution {attribution.id}")
    # the comma that led into "…," she said belongs to the sentence, not to the quote
    words = words.strip(_QUOTE_MARKS).rstrip(",;: ").strip(_QUOTE_MARKS)
    return f"“{words}”" if attribution.kind in _QUOTE_KINDS else words


def quote_details(view: StoryView, attribution: Attribution) -> str:
    """Cue, stance, medium, kind and doubts of an attribution, as one line."""
    parts: list[str] = []
    if attribution.cue is not None:
        parts.append(span_text(view, attribution.cue, f"attribution {attribution.id}"))
    parts.append(attribution.stance)
    if attribution.medium:
        parts.append(f"via {inline(attribution.medium)}")
    parts.append(kind_label(attribution.kind))
    if attribution.relay:
        parts.append("relayed by " + ", ".join(inline(name) for name in attribution.relay))
    speaker = attribution.speaker
    if speaker.uncertain:
        parts.append(f"speaker uncertain: {inline(speaker.reason)}" if speaker.reason
                     else "speaker uncertain")
    return " · ".join(parts)


def quotes_by_speaker(view: StoryView) -> list[SpeakerQuotes]:
    """Attributions grouped by speaker, then outlet; the most quoted speaker first."""
    groups: dict[str, dict[str, list[Attribution]]] = {}
    labels: dict[str, str] = {}
    for attribution in _in_document_order(view):
        key = speaker_key(attribution)
        labels.setdefault(key, speaker_label(view, attribution))
        outlets = groups.setdefault(key, {})
        outlets.setdefault(outlet_name(view, attribution.doc), []).append(attribution)
    quotes = [
        SpeakerQuotes(labels[key], tuple((o, tuple(a)) for o, a in outlets.items()))
        for key, outlets in groups.items()
    ]
    # sorted() is stable: speakers quoted equally often keep their order of appearance
    return sorted(quotes, key=lambda group: -group.count)


def _in_document_order(view: StoryView) -> list[Attribution]:
    """The story's attributions document by document, in the story's order of documents."""
    position: dict[str, int] = {}
    for n, document in enumerate(view.documents):
        position.setdefault(document.id, n)
    return sorted(view.attributions, key=lambda a: position.get(a.doc, len(position)))


def brief_sections(view: StoryView) -> list[tuple[str, list[BriefSentence]]]:
    """The brief's sentences by section, in reading order, empty sections left out."""
    if view.brief is None:
        return []
    sections = []
    for section, heading in BRIEF_HEADINGS.items():
        found = [s for s in view.brief.sentences if s.section == section]
        if found:
            sections.append((heading, found))
    return sections


def citation(view: StoryView, span: Span, owner: str) -> str:
    """Where a cited span lies, for a reader to find it: outlet and character offsets.

    The span is read (and so checked) even though only its place is shown.
    """
    read(view.document(span.doc, owner), span, owner)
    return f"{outlet_name(view, span.doc)} {span.start}–{span.end}"


def framing_table(view: StoryView) -> FramingTable | None:
    """Speakers by outlet, for the framings of this story; None when nobody is quoted."""
    if not view.framings:
        return None
    outlets = tuple(inline(f.outlet) for f in view.framings)
    speakers: dict[str, str] = {}
    cells: dict[tuple[str, int], str] = {}
    weight: dict[str, int] = {}
    for column, framing in enumerate(view.framings):
        for voice in framing.voices:
            key = voice.entity or inline(voice.speaker).lower()
            speakers.setdefault(key, inline(voice.speaker))
            weight[key] = weight.get(key, 0) + voice.quoted_words
            cues = ", ".join(f"{inline(cue)} ×{count}" if count > 1 else inline(cue)
                             for cue, count in voice.cues) or "no cue"
            cells[(key, column)] = f"{cues} · {round(100 * voice.share)}%"
    if not speakers:
        return None
    rows = tuple(
        (speakers[key], tuple(cells.get((key, c), "—") for c in range(len(outlets))))
        for key in sorted(speakers, key=lambda k: -weight[k])
    )
    return FramingTable(outlets, rows)


def timeline_events(view: StoryView) -> list[tuple[TimelineEntry, ...]]:
    """The timeline by event, in date order: entries that share an `event_id` (one event
    dated by several outlets, perhaps in different words) together, in the story's order
    of documents."""
    order = {d.id: i for i, d in enumerate(view.documents)}
    events: dict[str, list[TimelineEntry]] = {}
    dated = sorted(view.timeline, key=lambda t: (t.date, t.span))
    for position, entry in enumerate(dated):
        events.setdefault(entry.event_id or f"\x00{position}", []).append(entry)
    return [tuple(sorted(entries, key=lambda e: (order.get(e.span.doc, len(order)), e.span)))
            for entries in events.values()]


def mention_count(view: StoryView, entity: Entity) -> tuple[int, int]:
    """How often an entity is mentioned in this story: (mentions, documents)."""
    ids = {d.id for d in view.documents}
    counts = [count for doc_id, count in entity.mentions if doc_id in ids]
    return sum(counts), len({doc_id for doc_id, _ in entity.mentions if doc_id in ids})


def date_notes(entries: Iterable[TimelineEntry]) -> str:
    """What a reader should know of how an event's dates were resolved, as words ("" if
    nothing): against an inferred document date, or by a guess (see TimelineEntry)."""
    entries = list(entries)
    notes = [note for note, flag in (("date inferred", any(e.inferred for e in entries)),
                                     ("uncertain", any(e.uncertain for e in entries))) if flag]
    return f" ({', '.join(notes)})" if notes else ""
