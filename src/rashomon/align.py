"""Cross-source pairing of what different outlets report, within one story.

A first version (issue 5 deepens it): quotes are cut into clauses, every clause is embedded once,
and clauses of different documents of the same story are compared. A pair close in meaning is
one utterance rendered by two outlets; then the speakers, words and media are compared:

- same speaker, different words   -> quote_variant (with a word diff)
- same speaker, same words        -> corroboration (quoted identically)
- same words, different speakers  -> attribution_divergence (both may have said it)
- same utterance, different media -> medium_divergence

Work is blocked by story, so the cost grows with story size, never with the whole corpus.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from pathlib import PurePath
from urllib.parse import urlsplit
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rashomon.model import Analysis, Attribution, Document, Relation, Span

__all__ = ["Segment", "align_story", "quote_segments", "word_diff"]

_QUOTE_KINDS = frozenset({"direct", "partial"})
# Sentence ends, and the clause joints where one quote often carries two statements
# ("we had good talks, and there is a good chance the war can end").
_SEGMENT_BREAK = re.compile(r"(?<=[.!?])\s+|,\s+(?:and|but)\s+|;\s+")
_WORD = re.compile(r"\w+(?:[’']\w+)?")
_MIN_SEGMENT_WORDS = 4
# Short fragments ("cautious optimism") carry too little for an embedding to mean much: they
# are paired only when their words are the same.
_SAME_WORDS = 1.0


@dataclass(frozen=True, slots=True)
class Segment:
    attribution: Attribution
    span: Span
    text: str

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w.lower().replace("’", "'") for w in _WORD.findall(self.text))


def quote_segments(attribution: Attribution, document: Document) -> list[Segment]:
    """A quote's sentences and clauses, each a span of the document."""
    content = attribution.content
    text = document.slice(content)
    segments: list[Segment] = []
    start = 0
    for match in [*_SEGMENT_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        stripped = piece.strip(" \"“”‘’,.;:!?")
        if stripped:
            offset = content.start + start + piece.index(stripped[0])
            span = Span(content.doc, offset, offset + len(stripped))
            segments.append(Segment(attribution, span, stripped))
        if match:
            start = match.end()
    whole = text.strip(" \"“”‘’,.;:!?")
    if len(segments) > 1 and whole:
        offset = content.start + text.index(whole[0])
        segments.append(Segment(attribution, Span(content.doc, offset, offset + len(whole)), whole))
    return segments


def word_diff(a: str, b: str) -> tuple[tuple[str, str], ...]:
    """Word-level diff of two renderings: ("equal"|"delete"|"insert", words) runs."""
    left, right = a.split(), b.split()
    ops: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "delete", "replace") and i2 > i1:
            ops.append(("equal" if tag == "equal" else "delete", " ".join(left[i1:i2])))
        if tag in ("insert", "replace") and j2 > j1:
            ops.append(("insert", " ".join(right[j1:j2])))
    return tuple(ops)


def _speaker_key(attribution: Attribution) -> str | None:
    speaker = attribution.speaker
    if speaker.entity:
        return speaker.entity
    if speaker.anonymous or not (speaker.name or speaker.text):
        return None
    name = (speaker.name or speaker.text).lower().split()
    return name[-1] if name else None


def _relation_id(kind: str, members: Sequence[str]) -> str:
    digest = hashlib.sha256("\x00".join([kind, *sorted(members)]).encode()).hexdigest()
    return f"r-{digest[:12]}"


def _outlet(document: Document) -> str:
    """How a report names a document's outlet: its name, else its site, else its file."""
    if document.outlet:
        return document.outlet
    if document.url:
        return urlsplit(document.url).hostname or document.url
    return PurePath(document.source).name or document.source


def _pair_relations(
    a: Segment, b: Segment, score: float, docs: dict[str, Document]
) -> list[Relation]:
    """The relations one pair of matching segments supports."""
    att_a, att_b = a.attribution, b.attribution
    members = (att_a.id, att_b.id)
    evidence = (a.span, b.span)
    outlet_a, outlet_b = _outlet(docs[att_a.doc]), _outlet(docs[att_b.doc])
    key_a, key_b = _speaker_key(att_a), _speaker_key(att_b)
    name_a = att_a.speaker.name or att_a.speaker.text
    name_b = att_b.speaker.name or att_b.speaker.text
    same_words = a.words == b.words
    relations: list[Relation] = []
    if key_a and key_b and key_a != key_b:
        if same_words:
            relations.append(Relation(
                _relation_id("attribution_divergence", members), "attribution_divergence",
                members, evidence, score,
                f"The words “{a.text}” are {name_a}'s in {outlet_a} and {name_b}'s in "
                f"{outlet_b}; both may have said them, so neither outlet is called wrong.",
            ))
        return relations
    if same_words:
        relations.append(Relation(
            _relation_id("corroboration", members), "corroboration", members, evidence, score,
            f"{outlet_a} and {outlet_b} quote {name_a or name_b} identically: “{a.text}”.",
        ))
    else:
        relations.append(Relation(
            _relation_id("quote_variant", members), "quote_variant", members, evidence, score,
            f"{outlet_a} and {outlet_b} quote the same words of {name_a or name_b} differently "
            f"(similarity {score:.2f}).",
            diff=word_diff(a.text, b.text),
        ))
    if att_a.medium and att_b.medium and att_a.medium.lower() != att_b.medium.lower():
        relations.append(Relation(
            _relation_id("medium_divergence", members), "medium_divergence", members, evidence,
            score,
            f"{outlet_a} says {name_a or name_b} said this via {att_a.medium}, {outlet_b} via "
            f"{att_b.medium}: a difference to show, not an error to assert.",
        ))
    return relations


def align_story(
    analysis: Analysis,
    embed: Callable[[Sequence[str]], np.ndarray],
    *,
    threshold: float,
) -> list[Relation]:
    """Relations between quotes of different documents of the analysis's documents."""
    docs = {d.id: d for d in analysis.documents}
    segments = [
        segment
        for attribution in analysis.attributions
        if attribution.kind in _QUOTE_KINDS and attribution.doc in docs
        for segment in quote_segments(attribution, docs[attribution.doc])
    ]
    if len({s.attribution.doc for s in segments}) < 2:
        return []
    vectors = embed([s.text for s in segments])
    similarity = vectors @ vectors.T
    best: dict[tuple[str, str], tuple[float, Segment, Segment]] = {}
    for i, a in enumerate(segments):
        for j in range(i + 1, len(segments)):
            b = segments[j]
            if a.attribution.doc == b.attribution.doc:
                continue
            short = min(len(a.words), len(b.words)) < _MIN_SEGMENT_WORDS
            score = _SAME_WORDS if a.words == b.words else float(similarity[i, j])
            if score < threshold or (short and a.words != b.words):
                continue
            pair = tuple(sorted((a.attribution.id, b.attribution.id)))
            first, second = (a, b) if pair[0] == a.attribution.id else (b, a)
            if pair not in best or score > best[pair][0]:
                best[pair] = (score, first, second)  # type: ignore[index]
    relations: dict[str, Relation] = {}
    for score, a, b in best.values():
        for relation in _pair_relations(a, b, round(score, 4), docs):
            relations.setdefault(relation.id, relation)
    return sorted(relations.values(), key=lambda r: (r.kind, r.id))
