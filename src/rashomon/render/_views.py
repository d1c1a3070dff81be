"""What every report shares: reading spans safely, and one story's slice of an analysis.

The Markdown and terminal reports show the same things per story in the same order (the brief,
documents, the framing table, quotes by speaker then outlet, relations, entities, timeline);
only the markup differs, so the grouping lives here once. The JSON report is a flat dump and
uses only `document_of` and `read`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rashomon.model import (
    Analysis,
    Attribution,
    Brief,
    BriefSentence,
    Document,
    Entity,
    Framing,
    Relation,
    Span,
    TimelineEntry,
)

__all__ = [
    "BRIEF_HEADINGS",
    "FramingTable",
    "NO_STORY_TITLE",
    "SpeakerQuotes",
    "StoryView",
    "date_notes",
    "document_of",
    "inline",
    "kind_label",
    "read",
    "story_views",
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

_WHITESPACE = re.compile(r"\s+")
# Control characters (C0, DEL, C1) and bidirectional overrides: an article is written by a
# stranger, and an ESC sequence would restyle or rewrite the reader's terminal, a bidi override
# would make a quote read differently from what it says.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_QUOTE_MARKS = " \"'“”‘’«»„‚"
_QUOTE_KINDS = frozenset({"direct", "partial"})


def inline(text: str) -> str:
    """Untrusted text made fit for one line: whitespace runs become one space, controls go."""
    return _UNPRINTABLE.sub("", _WHITESPACE.sub(" ", text)).strip()


def kind_label(kind: str) -> str:
    """A model enum value as words: ``quote_variant`` -> ``quote variant``."""
    return kind.replace("_", " ")


def document_of(documents: Mapping[str, Document], doc_id: str, owner: str) -> Document:
    """The document `owner` points into; a clear error when the analysis lacks it."""
    document = documents.get(doc_id)
    if document is None:
        raise ValueError(f"{owner} points into document {doc_id}, which is not in the analysis")
    return document


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


@dataclass(frozen=True, slots=True)
class StoryView:
    """One story's documents and everything found in them, with what is needed to read them."""

    title: str
    story_id: str | None  # None for the documents that belong to no story
    documents: tuple[Document, ...]
    attributions: tuple[Attribution, ...]
    relations: tuple[Relation, ...]
    entities: tuple[Entity, ...]
    timeline: tuple[TimelineEntry, ...]
    all_documents: Mapping[str, Document]
    entity_names: Mapping[str, str]
    brief: Brief | None = None
    framings: tuple[Framing, ...] = ()

    def document(self, doc_id: str, owner: str) -> Document:
        return document_of(self.all_documents, doc_id, owner)

    def text(self, span: Span, owner: str) -> str:
        """The words of a span, as one line of untrusted text (not yet escaped)."""
        return inline(read(self.document(span.doc, owner), span, owner))

    def outlet(self, doc_id: str) -> str:
        document = self.all_documents.get(doc_id)
        if document is None:
            return doc_id
        return inline(document.outlet_label)

    def outlets(self) -> list[str]:
        return list(dict.fromkeys(self.outlet(d.id) for d in self.documents))

    def speaker(self, attribution: Attribution) -> str:
        """Who said it: the linked entity's name, else the resolved name, else the words."""
        speaker = attribution.speaker
        name = self.entity_names.get(speaker.entity or "") or speaker.name or speaker.text
        label = inline(name) or "unknown speaker"
        return f"{label} (unnamed source)" if speaker.anonymous else label

    def quote(self, attribution: Attribution) -> str:
        """The content; in quote marks only when the words are the speaker's own.

        A paraphrase printed in quote marks would put words in someone's mouth.
        """
        words = self.text(attribution.content, f"attribution {attribution.id}")
        # the comma that led into "…," she said belongs to the sentence, not to the quote
        words = words.strip(_QUOTE_MARKS).rstrip(",;: ").strip(_QUOTE_MARKS)
        return f"“{words}”" if attribution.kind in _QUOTE_KINDS else words

    def quote_details(self, attribution: Attribution) -> str:
        """Cue, stance, medium, kind and doubts of an attribution, as one line."""
        parts: list[str] = []
        if attribution.cue is not None:
            parts.append(self.text(attribution.cue, f"attribution {attribution.id}"))
        parts.append(attribution.stance)
        if attribution.medium:
            parts.append(f"via {inline(attribution.medium)}")
        parts.append(kind_label(attribution.kind))
        if attribution.relay:
            parts.append("relayed by " + ", ".join(inline(name) for name in attribution.relay))
        if attribution.speaker.uncertain:
            parts.append("speaker uncertain")
        return " · ".join(parts)

    def quotes_by_speaker(self) -> list[SpeakerQuotes]:
        """Attributions grouped by speaker, then outlet; the most quoted speaker first."""
        groups: dict[str, dict[str, list[Attribution]]] = {}
        labels: dict[str, str] = {}
        for attribution in self.attributions:
            key = _speaker_key(attribution)
            labels.setdefault(key, self.speaker(attribution))
            outlets = groups.setdefault(key, {})
            outlets.setdefault(self.outlet(attribution.doc), []).append(attribution)
        quotes = [
            SpeakerQuotes(labels[key], tuple((o, tuple(a)) for o, a in outlets.items()))
            for key, outlets in groups.items()
        ]
        # sorted() is stable: speakers quoted equally often keep their order of appearance
        return sorted(quotes, key=lambda group: -group.count)

    def brief_sections(self) -> list[tuple[str, list[BriefSentence]]]:
        """The brief's sentences by section, in reading order, empty sections left out."""
        if self.brief is None:
            return []
        sections = []
        for section, heading in BRIEF_HEADINGS.items():
            found = [s for s in self.brief.sentences if s.section == section]
            if found:
                sections.append((heading, found))
        return sections

    def citation(self, span: Span, owner: str) -> str:
        """Where a cited span lies, for a reader to find it: outlet and character offsets.

        The span is read (and so checked) even though only its place is shown.
        """
        read(self.document(span.doc, owner), span, owner)
        return f"{self.outlet(span.doc)} {span.start}–{span.end}"

    def framing_table(self) -> FramingTable | None:
        """Speakers by outlet, for the framings of this story; None when nobody is quoted."""
        if not self.framings:
            return None
        outlets = tuple(inline(f.outlet) for f in self.framings)
        speakers: dict[str, str] = {}
        cells: dict[tuple[str, int], str] = {}
        weight: dict[str, int] = {}
        for column, framing in enumerate(self.framings):
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

    def timeline_events(self) -> list[tuple[TimelineEntry, ...]]:
        """The timeline by event, in date order: entries that share an `event_id` (one event
        dated by several outlets, perhaps in different words) together, in the story's order
        of documents."""
        order = {d.id: i for i, d in enumerate(self.documents)}
        events: dict[str, list[TimelineEntry]] = {}
        for position, entry in enumerate(self.timeline):
            events.setdefault(entry.event_id or f"\x00{position}", []).append(entry)
        return [tuple(sorted(entries, key=lambda e: (order.get(e.span.doc, len(order)), e.span)))
                for entries in events.values()]

    def mention_count(self, entity: Entity) -> tuple[int, int]:
        """How often an entity is mentioned in this story: (mentions, documents)."""
        ids = {d.id for d in self.documents}
        counts = [count for doc_id, count in entity.mentions if doc_id in ids]
        return sum(counts), len({doc_id for doc_id, _ in entity.mentions if doc_id in ids})


def date_notes(entries: Iterable[TimelineEntry]) -> str:
    """What a reader should know of how an event's dates were resolved, as words ("" if
    nothing): against an inferred document date, or by a guess (see TimelineEntry)."""
    entries = list(entries)
    notes = [note for note, flag in (("date inferred", any(e.inferred for e in entries)),
                                     ("uncertain", any(e.uncertain for e in entries))) if flag]
    return f" ({', '.join(notes)})" if notes else ""


def _speaker_key(attribution: Attribution) -> str:
    speaker = attribution.speaker
    if speaker.entity:
        return f"entity:{speaker.entity}"
    return "name:" + inline(speaker.name or speaker.text).lower()


def _story_title(title: str | None, documents: Iterable[Document], fallback: str) -> str:
    if title:
        return inline(title)
    for document in documents:
        if document.title:
            return inline(document.title)
    return fallback


@dataclass(frozen=True, slots=True)
class _Index:
    """The analysis filed by document once, so that cutting it into stories stays linear."""

    documents: dict[str, Document]
    entity_names: dict[str, str]
    attributions: dict[str, list[Attribution]]
    timeline: dict[str, list[TimelineEntry]]
    relations: dict[str, set[int]]  # document -> positions in analysis.relations
    entities: dict[str, set[int]]  # document -> positions in analysis.entities


def _member_documents(analysis: Analysis) -> dict[str, str]:
    """Attribution and claim ids -> the document they come from (relation members are either)."""
    owners = {a.id: a.doc for a in analysis.attributions}
    owners.update((c.id, c.doc) for c in analysis.claims)
    return owners


def _entity_positions(analysis: Analysis) -> dict[str, set[int]]:
    """Document -> the entities it mentions, from every place the analysis records a mention."""
    position = {e.id: i for i, e in enumerate(analysis.entities)}
    found: dict[str, set[int]] = {}
    for i, entity in enumerate(analysis.entities):
        for doc_id, _ in entity.mentions:
            found.setdefault(doc_id, set()).add(i)
    linked = [(m.entity, m.span.doc) for m in analysis.mentions]
    linked += [(a.speaker.entity, a.doc) for a in analysis.attributions]
    for entity_id, doc_id in linked:
        if entity_id in position:
            found.setdefault(doc_id, set()).add(position[entity_id])
    return found


def _relation_positions(analysis: Analysis) -> dict[str, set[int]]:
    """Document -> the relations whose evidence or members lie in it."""
    owners = _member_documents(analysis)
    found: dict[str, set[int]] = {}
    for i, relation in enumerate(analysis.relations):
        docs = {span.doc for span in relation.evidence}
        docs.update(owners[m] for m in relation.members if m in owners)
        for doc_id in docs:
            found.setdefault(doc_id, set()).add(i)
    return found


def _index(analysis: Analysis) -> _Index:
    attributions: dict[str, list[Attribution]] = {}
    for attribution in analysis.attributions:
        attributions.setdefault(attribution.doc, []).append(attribution)
    timeline: dict[str, list[TimelineEntry]] = {}
    for entry in analysis.timeline:
        timeline.setdefault(entry.span.doc, []).append(entry)
    return _Index(
        documents={d.id: d for d in analysis.documents},
        entity_names={e.id: e.name for e in analysis.entities},
        attributions=attributions,
        timeline=timeline,
        relations=_relation_positions(analysis),
        entities=_entity_positions(analysis),
    )


def _view(
    analysis: Analysis,
    index: _Index,
    story_id: str | None,
    title: str,
    documents: tuple[Document, ...],
) -> StoryView:
    brief = next((b for b in analysis.briefs if b.story == story_id), None)
    framings = tuple(f for f in analysis.framings if story_id is not None and f.story == story_id)
    ids = list(dict.fromkeys(d.id for d in documents))
    relations = set[int]().union(*(index.relations.get(i, set()) for i in ids))
    entities = set[int]().union(*(index.entities.get(i, set()) for i in ids))
    timeline = [entry for i in ids for entry in index.timeline.get(i, [])]
    return StoryView(
        title=title,
        story_id=story_id,
        documents=documents,
        attributions=tuple(a for i in ids for a in index.attributions.get(i, [])),
        relations=tuple(analysis.relations[i] for i in sorted(relations)),
        entities=tuple(analysis.entities[i] for i in sorted(entities)),
        timeline=tuple(sorted(timeline, key=lambda t: (t.date, t.span))),
        all_documents=index.documents,
        entity_names=index.entity_names,
        brief=brief if story_id is not None else None,
        framings=framings,
    )


def story_views(analysis: Analysis) -> list[StoryView]:
    """One view per story, then one for the documents that belong to no story (if any)."""
    index = _index(analysis)
    views: list[StoryView] = []
    for story in analysis.stories:
        documents = tuple(
            document_of(index.documents, doc_id, f"story {story.id}") for doc_id in story.documents
        )
        title = _story_title(story.title, documents, f"Story {story.id}")
        views.append(_view(analysis, index, story.id, title, documents))
    in_stories = {doc_id for story in analysis.stories for doc_id in story.documents}
    loose = tuple(d for d in analysis.documents if d.id not in in_stories)
    if loose:
        views.append(_view(analysis, index, None, NO_STORY_TITLE, loose))
    return views
