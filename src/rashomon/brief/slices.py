"""One story's part of an analysis, indexed for the brief and the framing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from rashomon.align.sources import Sources
from rashomon.model import (
    Analysis,
    Attribution,
    Claim,
    Document,
    Mention,
    Relation,
    Span,
    Story,
    TimelineEntry,
)

__all__ = [
    "StorySlice",
    "attribution_of",
    "claim_of",
    "evidence_for",
    "story_slices",
]


@dataclass(frozen=True, slots=True)
class StorySlice:
    """One story's part of an analysis, indexed for the brief and the framing."""

    story: Story
    documents: dict[str, Document]  # in story order
    attributions: tuple[Attribution, ...]
    claims: tuple[Claim, ...]
    relations: tuple[Relation, ...]
    timeline: tuple[TimelineEntry, ...]
    mentions: tuple[Mention, ...]
    entity_names: dict[str, str]
    copies: dict[str, str]  # near-duplicate document -> the original it copies
    sources: Sources  # who stands behind what: copies, outlets and credited sources once
    # ids -> items, so that following a relation's members costs no scan
    attribution_ids: dict[str, Attribution] = field(default_factory=dict)
    claim_ids: dict[str, Claim] = field(default_factory=dict)
    claim_of_attribution: dict[str, Claim] = field(default_factory=dict)

    def attribution(self, item_id: str) -> Attribution | None:
        """The attribution an id names: an attribution id, or a claim's attribution."""
        found = self.attribution_ids.get(item_id)
        if found is not None:
            return found
        claim = self.claim_ids.get(item_id)
        if claim is not None and claim.attribution:
            return self.attribution_ids.get(claim.attribution)
        return None

    def claim(self, item_id: str) -> Claim | None:
        return self.claim_ids.get(item_id)

    def outlet(self, doc_id: str) -> str:
        return self.documents[doc_id].outlet_label

    def original(self, doc_id: str) -> str:
        """The document a near-duplicate copies (following chains), else itself. The original
        may lie outside the story (an earlier article of the store)."""
        return self.sources.original(doc_id)

    def independent_sources(
        self, items: Iterable[tuple[str, Attribution | None]]
    ) -> list[str]:
        """The independent sources behind (document, attribution) items, one label each: the
        rule align counts corroborations by (`rashomon.align.sources`)."""
        return self.sources.independent(items)


def _filed_by_story(analysis: Analysis) -> dict[str, dict[str, list[object]]]:
    """Every annotation filed under the story of its document, in one pass over each kind (a
    relation under the story all its places lie in)."""
    story_of = {doc: story.id for story in analysis.stories for doc in story.documents}
    owners = {a.id: a.doc for a in analysis.attributions}
    owners.update((c.id, c.doc) for c in analysis.claims)
    filed: dict[str, dict[str, list[object]]] = {
        s.id: defaultdict(list) for s in analysis.stories}

    def put(kind: str, item: object, docs: Iterable[str]) -> None:
        stories = {story_of.get(doc) for doc in docs}
        if len(stories) == 1 and (story := stories.pop()) is not None:
            filed[story][kind].append(item)

    for attribution in analysis.attributions:
        put("attributions", attribution, [attribution.doc])
    for claim in analysis.claims:
        put("claims", claim, [claim.doc])
    for relation in analysis.relations:
        put("relations", relation, [s.doc for s in relation.evidence]
            + [owners[m] for m in relation.members if m in owners])
    for entry in analysis.timeline:
        put("timeline", entry, [entry.span.doc])
    for mention in analysis.mentions:
        put("mentions", mention, [mention.span.doc])
    return filed


def story_slices(analysis: Analysis) -> list[StorySlice]:
    """Each story of the analysis with its own documents, annotations and relations."""
    documents = {d.id: d for d in analysis.documents}
    names = {e.id: e.name for e in analysis.entities}
    copies = dict(analysis.near_duplicates)  # marked by the store when the copy was ingested
    filed = _filed_by_story(analysis)
    slices = []
    for story in analysis.stories:
        docs = {i: documents[i] for i in story.documents if i in documents}
        mine = filed[story.id]
        mine_copies = {c: o for c, o in copies.items() if c in docs}
        attributions = tuple(cast(list[Attribution], mine["attributions"]))
        claims = tuple(cast(list[Claim], mine["claims"]))
        slices.append(StorySlice(
            story=story,
            documents=docs,
            attributions=attributions,
            claims=claims,
            relations=tuple(cast(list[Relation], mine["relations"])),
            timeline=tuple(cast(list[TimelineEntry], mine["timeline"])),
            mentions=tuple(cast(list[Mention], mine["mentions"])),
            entity_names=names,
            copies=mine_copies,
            sources=Sources(docs, mine_copies),
            attribution_ids={a.id: a for a in attributions},
            claim_ids={c.id: c for c in claims},
            claim_of_attribution={c.attribution: c for c in reversed(claims) if c.attribution},
        ))
    return slices


def attribution_of(piece: StorySlice, claim: Claim) -> Attribution | None:
    return piece.attribution(claim.attribution) if claim.attribution else None


def claim_of(piece: StorySlice, item_id: str) -> Claim | None:
    claim = piece.claim(item_id)
    if claim is not None:
        return claim
    return piece.claim_of_attribution.get(item_id)



def evidence_for(relation: Relation, position: int, within: Span) -> Span | None:
    """The evidence span of one member, inside its words (`within`): the one at its position
    when it lies there, else the first that does."""
    spans = [s for s in relation.evidence if within.contains(s)]
    if position < len(relation.evidence) and relation.evidence[position] in spans:
        return relation.evidence[position]
    return spans[0] if spans else None
