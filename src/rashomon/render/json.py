"""The JSON report: the whole analysis as plain data, described by `report.schema.json`.

Every span becomes ``{start, end, text}`` with offsets into its document's ``text`` (the cleaned
text) and the words read back from that text, so a consumer can highlight them without trusting
the text field of the span. The top-level keys and their fields are a contract (the schema
requires them): add fields, never rename or drop one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

import rashomon
from rashomon.model import (
    Analysis,
    Attribution,
    Brief,
    Claim,
    Document,
    Entity,
    Framing,
    Mention,
    Relation,
    Span,
    Speaker,
    Story,
    TimelineEntry,
)
from rashomon.render._views import read
from rashomon.story_view import document_of

__all__ = ["dumps", "to_json"]

Json = dict[str, Any]
Documents = Mapping[str, Document]


def to_json(analysis: Analysis) -> Json:
    """The analysis as a dict of lists of plain values, valid against `report.schema.json`.

    Raises ValueError when an annotation points outside its document or into a document the
    analysis does not hold: such offsets would highlight the wrong words.
    """
    docs = {d.id: d for d in analysis.documents}
    return {
        "rashomon": {"version": rashomon.__version__},
        "documents": [_document(d) for d in analysis.documents],
        "stories": [_story(s) for s in analysis.stories],
        "entities": [_entity(e) for e in analysis.entities],
        "mentions": [_mention(docs, m) for m in analysis.mentions],
        "attributions": [_attribution(docs, a) for a in analysis.attributions],
        "claims": [_claim(docs, c) for c in analysis.claims],
        "relations": [_relation(docs, r) for r in analysis.relations],
        "timeline": [_timeline_entry(docs, t) for t in analysis.timeline],
        "briefs": [_brief(docs, b) for b in analysis.briefs],
        "framings": [_framing(docs, f) for f in analysis.framings],
    }


def dumps(analysis: Analysis) -> str:
    """The JSON report as text: UTF-8 characters kept as they are, indented for people.

    The text is what ``json.dumps(report, ensure_ascii=False, indent=2)`` writes, character for
    character; orjson writes it (Python's indenting encoder takes ~0.3 s on a large story)
    whenever it writes the same: always, except a number below 1e-4 or from 1e16 up (orjson
    spells 2.5e-05 "0.000025"), NaN or infinity, and text holding a lone surrogate, which go
    through `json` as before.
    """
    report = to_json(analysis)
    if all(_orjson_spells_alike(number) for number in _floats(analysis)):
        try:
            return orjson.dumps(report, option=orjson.OPT_INDENT_2).decode("utf-8")
        except orjson.JSONEncodeError:  # a lone surrogate, or a float orjson does not take
            pass
    return json.dumps(report, ensure_ascii=False, indent=2)


def _floats(analysis: Analysis) -> Iterator[float]:
    """Every float of the report: the model's only float fields (a test in tests/test_render.py
    fails when the model gains another, which must then be read here too)."""
    yield from (relation.score for relation in analysis.relations)
    yield from (voice.share for framing in analysis.framings for voice in framing.voices)
    yield from (value for claim in analysis.claims for _, value, _, _ in claim.numbers)


def _orjson_spells_alike(number: float) -> bool:
    """Whether orjson writes `number` as `json` does (Python's `repr`): finite, and zero or
    in the range where `repr` uses no exponent below 1 (checked on a million floats)."""
    magnitude = abs(float(number))
    return math.isfinite(magnitude) and (magnitude == 0 or 1e-4 <= magnitude < 1e16)


def _span(document: Document, span: Span, owner: str) -> Json:
    return {"text": read(document, span, owner), "start": span.start, "end": span.end}


def _located_span(docs: Documents, span: Span, owner: str) -> Json:
    """A span that names its document (relation evidence may come from any document)."""
    document = document_of(docs, span.doc, owner)
    return {"document": span.doc, **_span(document, span, owner)}


def _document(document: Document) -> Json:
    return {
        "id": document.id,
        "source": document.source,
        "source_key": document.source_key,
        "url": document.url,
        "title": document.title,
        "outlet": document.outlet,
        "author": document.author,
        "published": document.published,
        "published_inferred": document.published_inferred,
        "dateline_place": document.dateline_place,
        "language": document.language,
        "text": document.text,
        "removed": [_removed(document, start, end) for start, end in document.removed],
    }


def _removed(document: Document, start: int, end: int) -> Json:
    """A line the cleaner dropped, with its words.

    The offsets are into the raw text, which the report leaves out (it can be large), so the
    dropped words travel with them.
    """
    if not 0 <= start <= end <= len(document.raw_text):
        raise ValueError(
            f"removed line {start}:{end} is outside the raw text of document {document.id} "
            f"({len(document.raw_text)} characters)"
        )
    return {"start": start, "end": end, "text": document.raw_text[start:end]}


def _story(story: Story) -> Json:
    return {"id": story.id, "title": story.title, "documents": list(story.documents)}


def _entity(entity: Entity) -> Json:
    mentions: dict[str, int] = {}
    for doc_id, count in entity.mentions:
        # a document listed twice is counted once per listing, never overwritten
        mentions[doc_id] = mentions.get(doc_id, 0) + count
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "mentions": mentions,
        "part_of": entity.part_of,
    }


def _mention(docs: Documents, mention: Mention) -> Json:
    owner = f"mention of {mention.text!r}"
    return {
        **_located_span(docs, mention.span, owner),
        "label": mention.label,
        "role": mention.role,
        "entity": mention.entity,
    }


def _speaker(document: Document, speaker: Speaker, owner: str) -> Json:
    span = speaker.span
    return {
        "text": read(document, span, owner) if span is not None else speaker.text,
        "name": speaker.name,
        "entity": speaker.entity,
        "uncertain": speaker.uncertain,
        "reason": speaker.reason,
        "anonymous": speaker.anonymous,
        "start": span.start if span is not None else None,
        "end": span.end if span is not None else None,
    }


def _attribution(docs: Documents, attribution: Attribution) -> Json:
    owner = f"attribution {attribution.id}"
    document = document_of(docs, attribution.doc, owner)
    cue = attribution.cue
    return {
        "id": attribution.id,
        "document": attribution.doc,
        "speaker": _speaker(document, attribution.speaker, owner),
        "cue": _span(document, cue, owner) if cue is not None else None,
        "content": _span(document, attribution.content, owner),
        "kind": attribution.kind,
        "stance": attribution.stance,
        "medium": attribution.medium,
        "relay": list(attribution.relay),
    }


def _claim(docs: Documents, claim: Claim) -> Json:
    owner = f"claim {claim.id}"
    document = document_of(docs, claim.doc, owner)
    return {
        "id": claim.id,
        "document": claim.doc,
        **_span(document, claim.span, owner),
        "attribution": claim.attribution,
        "hedges": [_span(document, span, owner) for span in claim.hedges],
        "polarity": claim.polarity,
        "negation": _span(document, claim.negation, owner) if claim.negation else None,
        "numbers": [{"comparator": comparator, "value": value, "unit": unit,
                     **_span(document, span, owner)}
                    for comparator, value, unit, span in claim.numbers],
        "places": [_span(document, span, owner) for span in claim.places],
        "dates": [{"date": date, **_span(document, span, owner)} for date, span in claim.dates],
    }


def _relation(docs: Documents, relation: Relation) -> Json:
    owner = f"relation {relation.id}"
    return {
        "id": relation.id,
        "kind": relation.kind,
        "members": list(relation.members),
        "evidence": [_located_span(docs, span, owner) for span in relation.evidence],
        "score": float(relation.score),
        "explanation": relation.explanation,
        "diff": [{"op": op, "text": text} for op, text in relation.diff],
        "independent": relation.independent,
    }


def _timeline_entry(docs: Documents, entry: TimelineEntry) -> Json:
    owner = f"timeline entry {entry.date} ({entry.event})"
    return {
        "date": entry.date,
        "event": entry.event,
        "event_id": entry.event_id,
        "inferred": entry.inferred,
        "uncertain": entry.uncertain,
        **_located_span(docs, entry.span, owner),
    }


def _brief(docs: Documents, brief: Brief) -> Json:
    """A story's brief: each sentence with its section and the spans it cites, words read back."""
    return {
        "story": brief.story,
        "sentences": [
            {
                "section": sentence.section,
                "text": sentence.text,
                "relation": sentence.relation,
                "citations": [_located_span(docs, span, f"brief of story {brief.story}")
                              for span in sentence.citations],
            }
            for sentence in brief.sentences
        ],
    }


def _framing(docs: Documents, framing: Framing) -> Json:
    owner = f"framing of {framing.outlet} in story {framing.story}"
    return {
        "story": framing.story,
        "outlet": framing.outlet,
        "documents": list(framing.documents),
        "voices": [
            {
                "speaker": voice.speaker,
                "entity": voice.entity,
                "cues": [{"cue": cue, "count": count} for cue, count in voice.cues],
                "stances": [{"stance": stance, "count": count} for stance, count in voice.stances],
                "quoted_words": voice.quoted_words,
                "share": float(voice.share),
                "attributions": list(voice.attributions),
            }
            for voice in framing.voices
        ],
        "loaded_terms": [{"term": term, **_located_span(docs, span, owner)}
                         for term, span in framing.loaded_terms],
        "omissions": [{"description": description, **_located_span(docs, span, owner)}
                      for description, span in framing.omissions],
    }
