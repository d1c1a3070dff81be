"""The data model: small frozen values, every annotation a span of a document's cleaned text.

A `Span` is a view into a document (document id + character offsets), never a copy of its words:
the words are read back with `Document.slice(span)`, so that a report can always highlight the
exact characters a quote, claim or citation rests on.

Values are frozen and made of plain types (str, int, tuples) so that they pickle and can be
shipped to worker processes, written to the store, and compared for equality.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal, get_args
from urllib.parse import urlsplit

__all__ = [
    "ATTRIBUTION_KINDS",
    "Analysis",
    "Attribution",
    "BRIEF_SECTIONS",
    "Brief",
    "BriefSentence",
    "Claim",
    "Document",
    "Entity",
    "Framing",
    "Mention",
    "OffsetMap",
    "RELATION_KINDS",
    "RawDocument",
    "Relation",
    "STANCES",
    "Span",
    "Speaker",
    "Story",
    "TimelineEntry",
    "Voice",
    "content_hash",
    "document_id",
    "outlet_label",
    "source_key_id",
]

Stance = Literal[
    "assertion", "distancing", "denial", "accusation", "directive", "concession", "belief"
]
AttributionKind = Literal["direct", "partial", "indirect", "according_to", "belief"]
RelationKind = Literal[
    "corroboration",
    "contradiction",
    "denial",
    "quote_variant",
    "attribution_divergence",
    "medium_divergence",
    # figures (or dates) of the same measured thing that differ where nothing says they cannot
    # both hold: other dates of publication, other places; shown, not asserted as a conflict
    "figure_difference",
]
# The parts of a story's brief, in the order a reader meets them.
BriefSection = Literal["happened", "contested", "timeline", "voices", "single_outlet"]
# The same values as plain tuples, for validation and the JSON Schema; one source of truth.
STANCES: tuple[str, ...] = get_args(Stance)
ATTRIBUTION_KINDS: tuple[str, ...] = get_args(AttributionKind)
RELATION_KINDS: tuple[str, ...] = get_args(RelationKind)
BRIEF_SECTIONS: tuple[str, ...] = get_args(BriefSection)


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def content_hash(text: str) -> str:
    """A stable hash of a document's cleaned text (its version)."""
    return _digest("content", text)[:16]


def source_key_id(source_key: str) -> str:
    """A stable id for where a document comes from (URL, path, or outlet + title)."""
    return _digest("source", source_key)[:12]


def document_id(source_key: str, text: str) -> str:
    """A document's id: its source and its content.

    The same article from the same source gets the same id (so ingesting it twice is a no-op);
    the same wire text from two outlets gets two ids; a page whose text changed gets a new id
    that shares its `source_key_id` prefix with the earlier version.
    """
    return f"{source_key_id(source_key)}-{content_hash(text)[:8]}"


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What an ingester read, before cleaning: text or HTML plus whatever metadata came with it.

    `source` is the input as given (path, URL, ``-``, ``PATH#N`` for a record of a JSONL file);
    `source_key` is what identifies the article's origin for document ids: the URL when there is
    one, otherwise the outlet and title, otherwise the resolved path (and record number).
    Exactly one of `text` and `html` is set.
    """

    source: str
    source_key: str
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD when known
    author: str | None = None
    # the encoding the bytes were decoded with ("utf-8", "cp1252"); None when they came as text
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets in a document's cleaned text back to its raw text.

    `segments` are ``(clean_start, raw_start, length)`` triples, sorted by `clean_start`: the
    cleaned text is the concatenation of raw slices (with possibly a few characters the cleaner
    inserted, such as a newline between kept lines, which map to the nearest raw position).
    """

    segments: tuple[tuple[int, int, int], ...] = ()

    def to_raw(self, offset: int) -> int:
        """The raw-text offset of cleaned-text `offset`."""
        best = 0
        for clean_start, raw_start, length in self.segments:
            if clean_start > offset:
                break
            if offset <= clean_start + length:
                return raw_start + (offset - clean_start)
            best = raw_start + length
        return best


def outlet_label(outlet: str | None, url: str | None, source: str) -> str:
    """How reports name a document's outlet: its name, else the site of its URL, else its
    file (`Document.outlet_label`)."""
    if outlet:
        return outlet
    if url:
        return urlsplit(url).hostname or url
    return PurePath(source).name or source


@dataclass(frozen=True, slots=True)
class Document:
    """A cleaned article. `text` is what every span's offsets point into."""

    id: str
    source: str
    source_key: str
    text: str
    raw_text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD
    published_inferred: bool = False
    dateline_place: str | None = None
    author: str | None = None
    url: str | None = None
    language: str = "en"
    offsets: OffsetMap = field(default_factory=OffsetMap)
    # lines dropped as page furniture, as (raw_start, raw_end) offsets into raw_text
    removed: tuple[tuple[int, int], ...] = ()
    # the encoding the input's bytes were decoded with, when known
    encoding: str | None = None

    @property
    def outlet_label(self) -> str:
        """How reports name the outlet: its name, else the site of its URL, else its file."""
        return outlet_label(self.outlet, self.url, self.source)

    def slice(self, span: Span) -> str:
        """The words a span points at."""
        if span.doc != self.id:
            raise ValueError(f"span of document {span.doc} read from document {self.id}")
        return self.text[span.start : span.end]

    def span(self, start: int, end: int) -> Span:
        """A span of this document; offsets are checked."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside document {self.id} ({len(self.text)})")
        return Span(self.id, start, end)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A view into a document's cleaned text: document id and character offsets."""

    doc: str
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.doc == other.doc and self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.doc == other.doc and self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Mention:
    """A named mention found in a document (NER plus our own rules)."""

    span: Span
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, NORP, ...
    role: str | None = None  # "Harbour spokesman" in "Harbour spokesman Teodor Brannik"
    entity: str | None = None  # Entity.id once linked


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world entity across documents."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[tuple[str, int], ...] = ()  # (document id, count)
    # the place this place lies in ("Dornava, Norvalia": the city's part_of is the country):
    # places keep their level, linked rather than merged
    part_of: str | None = None


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who an attribution is attributed to.

    `span` is the words naming the speaker in this sentence ("he", "the Harbour spokesman");
    `name` is what it was resolved to ("Teodor Brannik"), `entity` the linked entity id.
    `uncertain` says the resolution is a guess; `anonymous` that the source is unnamed.
    `reason` says why a speaker is uncertain, where the resolver knows ("two people named in
    the paragraph could be “he”"); reports show it beside "speaker uncertain". It takes no part
    in equality: a speaker is the same speaker whatever the resolver says about its doubt.
    """

    span: Span | None
    text: str
    name: str | None = None
    entity: str | None = None
    uncertain: bool = False
    anonymous: bool = False
    reason: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said what: speaker, cue, content, and how."""

    id: str
    doc: str
    speaker: Speaker
    cue: Span | None
    content: Span
    kind: AttributionKind
    stance: Stance
    medium: str | None = None
    relay: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    """A proposition in a document: an attribution's content or the author's own assertion.

    `hedges` are the words that weaken it ("reportedly", "may have been", "in principle", a
    distancing cue such as "claimed"); `polarity` is "negated" when its main clause is negated,
    `negation` the cue that negates it; `numbers` are (comparator, value, unit, span) with
    comparator one of "", "<", "<=", ">", ">=", "~" ("less than 200 square kilometers" ->
    ("<", 200.0, "square kilometers", span)); `places` the place names inside it; `dates` the
    (ISO date, span) of the timeline entries inside it.
    """

    id: str
    doc: str
    span: Span
    attribution: str | None = None
    hedges: tuple[Span, ...] = ()
    polarity: Literal["affirmed", "negated"] = "affirmed"
    negation: Span | None = None
    numbers: tuple[tuple[str, float, str, Span], ...] = ()
    places: tuple[Span, ...] = ()
    dates: tuple[tuple[str, Span], ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    """A cross-source relation between claims or attributions of different documents."""

    id: str
    kind: RelationKind
    members: tuple[str, ...]
    evidence: tuple[Span, ...]
    score: float
    explanation: str
    diff: tuple[tuple[str, str], ...] = ()  # word diff for quote variants: (op, words)
    # how many independent outlets a corroboration rests on: syndicated copies of one text
    # count once, and so do outlets that credit the same agency; 0 for other kinds
    independent: int = 0


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A date expression resolved against its document's date."""

    date: str  # ISO 8601: day, month, or START/END interval
    span: Span
    event: str
    event_id: str | None = None
    inferred: bool = False
    # the resolution is a guess: a weekday whose tense does not say before or after, a month
    # without its year across a year boundary, an expression only dateparser could read
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class Story:
    """Documents that report the same event."""

    id: str
    documents: tuple[str, ...]
    title: str | None = None


@dataclass(frozen=True, slots=True)
class BriefSentence:
    """One sentence of a story's brief and the exact spans it rests on.

    The sentence is assembled from the analysis, never generated: every sentence has at least
    one citation, and the words it quotes or names are read from its citations' spans.
    `relation` is the id of the relation the sentence reports, when it reports one.
    """

    section: BriefSection
    text: str
    citations: tuple[Span, ...]
    relation: str | None = None


@dataclass(frozen=True, slots=True)
class Brief:
    """What a reader needs first about one story, every sentence cited."""

    story: str
    sentences: tuple[BriefSentence, ...] = ()


@dataclass(frozen=True, slots=True)
class Voice:
    """How one outlet presents one speaker in a story.

    `cues` are the reporting words the outlet uses for this speaker ("said", "claimed"), with
    counts, most used first; `share` is the speaker's part of all the words the outlet quotes
    or paraphrases in the story (who gets the voice).
    """

    speaker: str
    entity: str | None
    cues: tuple[tuple[str, int], ...]
    stances: tuple[tuple[str, int], ...]
    quoted_words: int
    share: float
    attributions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Framing:
    """One outlet's telling of one story, made to be compared with the others'.

    `loaded_terms` are epithets and loaded words ("the former spy chief", "self-styled") with
    where the outlet uses them; `omissions` are what other outlets of the story carry and this
    one does not, each a short description and the span of another outlet that carries it.
    """

    story: str
    outlet: str
    documents: tuple[str, ...]
    voices: tuple[Voice, ...] = ()
    loaded_terms: tuple[tuple[str, Span], ...] = ()
    omissions: tuple[tuple[str, Span], ...] = ()


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the pipeline found about a set of stories: what the report renders."""

    documents: tuple[Document, ...] = ()
    stories: tuple[Story, ...] = ()
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    claims: tuple[Claim, ...] = ()
    relations: tuple[Relation, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    briefs: tuple[Brief, ...] = ()
    framings: tuple[Framing, ...] = ()
    # (document, the document it copies): syndicated copies, so that they count once
    near_duplicates: tuple[tuple[str, str], ...] = ()

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)
