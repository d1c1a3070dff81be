"""Model values to table rows and back.

Writing checks what the database cannot: that every span points into the document being stored
and lies within its text, and that kinds and stances are ones the model knows. A bad value is a
`StoreError` naming it, raised while the document's transaction is open, so nothing of that
document is kept.

Reading rebuilds the exact frozen values that were written (tuples, not lists; None, not "").
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Protocol

from rashomon.errors import StoreError
from rashomon.model import (
    ATTRIBUTION_KINDS,
    RELATION_KINDS,
    STANCES,
    Attribution,
    Claim,
    Document,
    Entity,
    Mention,
    OffsetMap,
    Relation,
    Span,
    Speaker,
    TimelineEntry,
    source_key_id,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "Params",
    "Row",
    "attribution_from_row",
    "attribution_params",
    "claim_from_row",
    "claim_params",
    "document_from_row",
    "document_params",
    "entity_from_row",
    "entity_params",
    "from_json",
    "mention_from_row",
    "mention_params",
    "relation_from_row",
    "relation_params",
    "timeline_from_row",
    "timeline_params",
    "to_json",
    "vector_blob",
    "vector_from_blob",
]


class Row(Protocol):
    """A result row read by column name: `sqlite3.Row`, or a dict from another driver."""

    def __getitem__(self, column: str, /) -> Any: ...


Params = dict[str, Any]

# Little-endian float32 on disk whatever the machine, so a store file can be copied between
# machines. numpy is imported by the functions below, not here: a process that only reads
# stories (`rashomon report`) has no vectors to read and should not pay for loading it.
_VECTOR_DTYPE = "<f4"


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def from_json(text: str) -> Any:
    return json.loads(text)


def _pairs(text: str) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(item) for item in from_json(text))


def _offsets(span: Span, document: Document, what: str) -> tuple[int, int]:
    if span.doc != document.id:
        raise StoreError(f"{what} points into document {span.doc}, not {document.id}")
    if not 0 <= span.start <= span.end <= len(document.text):
        raise StoreError(
            f"{what} span {span.start}:{span.end} lies outside document {document.id} "
            f"({len(document.text)} characters)"
        )
    return span.start, span.end


def _optional_offsets(
    span: Span | None, document: Document, what: str
) -> tuple[int | None, int | None]:
    return (None, None) if span is None else _offsets(span, document, what)


def _span(doc_id: str, start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else Span(doc_id, start, end)


def _one_of(value: str, accepted: tuple[str, ...], what: str) -> str:
    if value not in accepted:
        raise StoreError(f"{what} {value!r} must be one of {', '.join(accepted)}")
    return value


# -- documents ---------------------------------------------------------------------------------


def document_params(
    document: Document, *, version: int, run_id: int | None, added_at: str
) -> Params:
    return {
        "id": document.id,
        "source_key_id": source_key_id(document.source_key),
        "version": version,
        "source": document.source,
        "source_key": document.source_key,
        "text": document.text,
        "raw_text": document.raw_text,
        "title": document.title,
        "outlet": document.outlet,
        "published": document.published,
        "published_inferred": int(document.published_inferred),
        "dateline_place": document.dateline_place,
        "author": document.author,
        "url": document.url,
        "language": document.language,
        "offsets": to_json(document.offsets.segments),
        "removed": to_json(document.removed),
        "encoding": document.encoding,
        "run_id": run_id,
        "added_at": added_at,
    }


def document_from_row(row: Row) -> Document:
    return Document(
        id=row["id"],
        source=row["source"],
        source_key=row["source_key"],
        text=row["text"],
        raw_text=row["raw_text"],
        title=row["title"],
        outlet=row["outlet"],
        published=row["published"],
        published_inferred=bool(row["published_inferred"]),
        dateline_place=row["dateline_place"],
        author=row["author"],
        url=row["url"],
        language=row["language"],
        offsets=OffsetMap(_pairs(row["offsets"])),
        removed=_pairs(row["removed"]),
        encoding=row["encoding"],
    )


# -- annotations -------------------------------------------------------------------------------


def mention_params(mention: Mention, document: Document, seq: int) -> Params:
    start, end = _offsets(mention.span, document, f"mention {mention.text!r}")
    return {
        "doc_id": document.id,
        "seq": seq,
        "span_start": start,
        "span_end": end,
        "text": mention.text,
        "label": mention.label,
        "role": mention.role,
        "entity": mention.entity,
    }


def mention_from_row(row: Row) -> Mention:
    return Mention(
        span=Span(row["doc_id"], row["span_start"], row["span_end"]),
        text=row["text"],
        label=row["label"],
        role=row["role"],
        entity=row["entity"],
    )


def attribution_params(attribution: Attribution, document: Document, seq: int) -> Params:
    what = f"attribution {attribution.id}"
    if attribution.doc != document.id:
        raise StoreError(f"{what} belongs to document {attribution.doc}, not {document.id}")
    speaker = attribution.speaker
    speaker_start, speaker_end = _optional_offsets(speaker.span, document, f"{what} speaker")
    cue_start, cue_end = _optional_offsets(attribution.cue, document, f"{what} cue")
    content_start, content_end = _offsets(attribution.content, document, f"{what} content")
    return {
        "doc_id": document.id,
        "seq": seq,
        "id": attribution.id,
        "speaker_start": speaker_start,
        "speaker_end": speaker_end,
        "speaker_text": speaker.text,
        "speaker_name": speaker.name,
        "speaker_entity": speaker.entity,
        "speaker_uncertain": int(speaker.uncertain),
        "speaker_anonymous": int(speaker.anonymous),
        "speaker_reason": speaker.reason,
        "cue_start": cue_start,
        "cue_end": cue_end,
        "content_start": content_start,
        "content_end": content_end,
        "kind": _one_of(attribution.kind, ATTRIBUTION_KINDS, f"{what} kind"),
        "stance": _one_of(attribution.stance, STANCES, f"{what} stance"),
        "medium": attribution.medium,
        "relay": to_json(attribution.relay),
    }


def attribution_from_row(row: Row) -> Attribution:
    doc_id = row["doc_id"]
    content = Span(doc_id, row["content_start"], row["content_end"])
    return Attribution(
        id=row["id"],
        doc=doc_id,
        speaker=Speaker(
            span=_span(doc_id, row["speaker_start"], row["speaker_end"]),
            text=row["speaker_text"],
            name=row["speaker_name"],
            entity=row["speaker_entity"],
            uncertain=bool(row["speaker_uncertain"]),
            anonymous=bool(row["speaker_anonymous"]),
            reason=row["speaker_reason"],
        ),
        cue=_span(doc_id, row["cue_start"], row["cue_end"]),
        content=content,
        kind=row["kind"],
        stance=row["stance"],
        medium=row["medium"],
        relay=tuple(from_json(row["relay"])),
    )


def claim_params(claim: Claim, document: Document, seq: int) -> Params:
    if claim.doc != document.id:
        raise StoreError(f"claim {claim.id} belongs to document {claim.doc}, not {document.id}")
    what = f"claim {claim.id}"
    start, end = _offsets(claim.span, document, what)
    negation_start, negation_end = _optional_offsets(claim.negation, document, f"{what} negation")
    numbers = []
    for comparator, value, unit, span in claim.numbers:
        if not math.isfinite(value):
            raise StoreError(f"{what} number {value} is not a finite number")
        numbers.append((comparator, value, unit, *_offsets(span, document, f"{what} number")))
    return {
        "doc_id": document.id,
        "seq": seq,
        "id": claim.id,
        "span_start": start,
        "span_end": end,
        "attribution": claim.attribution,
        "hedges": to_json([_offsets(s, document, f"{what} hedge") for s in claim.hedges]),
        "polarity": _one_of(claim.polarity, ("affirmed", "negated"), f"{what} polarity"),
        "negation_start": negation_start,
        "negation_end": negation_end,
        "numbers": to_json(numbers),
        "places": to_json([_offsets(s, document, f"{what} place") for s in claim.places]),
        "dates": to_json([(date, *_offsets(s, document, f"{what} date"))
                          for date, s in claim.dates]),
    }


def claim_from_row(row: Row) -> Claim:
    doc_id = row["doc_id"]
    return Claim(
        id=row["id"],
        doc=doc_id,
        span=Span(doc_id, row["span_start"], row["span_end"]),
        attribution=row["attribution"],
        hedges=tuple(Span(doc_id, start, end) for start, end in from_json(row["hedges"])),
        polarity=row["polarity"],
        negation=_span(doc_id, row["negation_start"], row["negation_end"]),
        numbers=tuple((comparator, float(value), unit, Span(doc_id, start, end))
                      for comparator, value, unit, start, end in from_json(row["numbers"])),
        places=tuple(Span(doc_id, start, end) for start, end in from_json(row["places"])),
        dates=tuple((date, Span(doc_id, start, end))
                    for date, start, end in from_json(row["dates"])),
    )


def timeline_params(entry: TimelineEntry, document: Document, seq: int) -> Params:
    start, end = _offsets(entry.span, document, f"timeline entry {entry.date!r}")
    return {
        "doc_id": document.id,
        "seq": seq,
        "date": entry.date,
        "span_start": start,
        "span_end": end,
        "event": entry.event,
        "event_id": entry.event_id,
        "inferred": int(entry.inferred),
        "uncertain": int(entry.uncertain),
    }


def timeline_from_row(row: Row) -> TimelineEntry:
    return TimelineEntry(
        date=row["date"],
        span=Span(row["doc_id"], row["span_start"], row["span_end"]),
        event=row["event"],
        event_id=row["event_id"],
        inferred=bool(row["inferred"]),
        uncertain=bool(row["uncertain"]),
    )


# -- entities and relations --------------------------------------------------------------------


def entity_params(entity: Entity) -> Params:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": to_json(entity.aliases),
        "mentions": to_json(entity.mentions),
    }


def entity_from_row(row: Row) -> Entity:
    return Entity(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        aliases=tuple(from_json(row["aliases"])),
        mentions=_pairs(row["mentions"]),
    )


def relation_params(relation: Relation, story_id: str, seq: int) -> Params:
    what = f"relation {relation.id}"
    if not math.isfinite(relation.score):
        raise StoreError(f"{what} score {relation.score} is not a finite number")
    return {
        "story_id": story_id,
        "seq": seq,
        "id": relation.id,
        "kind": _one_of(relation.kind, RELATION_KINDS, f"{what} kind"),
        "members": to_json(relation.members),
        "evidence": to_json([(s.doc, s.start, s.end) for s in relation.evidence]),
        "score": relation.score,
        "explanation": relation.explanation,
        "diff": to_json(relation.diff),
        "independent": relation.independent,
    }


def relation_from_row(row: Row) -> Relation:
    return Relation(
        id=row["id"],
        kind=row["kind"],
        members=tuple(from_json(row["members"])),
        evidence=tuple(Span(doc, start, end) for doc, start, end in from_json(row["evidence"])),
        score=row["score"],
        explanation=row["explanation"],
        diff=_pairs(row["diff"]),
        independent=row["independent"],
    )


# -- embeddings --------------------------------------------------------------------------------


def vector_blob(vector: np.ndarray, what: str) -> tuple[int, bytes]:
    """A vector's dimension and its bytes as little-endian float32."""
    import numpy as np

    array = np.asarray(vector)
    if array.ndim != 1 or array.size == 0:
        raise StoreError(f"{what} must be a non-empty 1-D vector, got shape {array.shape}")
    return int(array.size), array.astype(_VECTOR_DTYPE).tobytes()


def vector_from_blob(blob: bytes) -> np.ndarray:
    import numpy as np

    # frombuffer shares the (read-only) blob; a copy in native order is safe to modify.
    return np.frombuffer(blob, dtype=_VECTOR_DTYPE).astype(np.float32)
