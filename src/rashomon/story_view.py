"""One story's part of an analysis, cut once for everything that works story by story.

The brief, the framing and the reports each read an analysis story by story; `story_views`
files every annotation under the story of its document in one pass over each kind, and each
`StoryView` indexes its story's part (ids -> items) so that following a relation's members
costs no scan. How a report shows these things (quote marks, one-line text, the framing grid)
is the renderers' (`rashomon.render._views`); what the brief says is the brief's.

A relation is filed under a story when every place it lies in (its evidence and its members'
documents) belongs to that story. Relations are found within one story (`align.align_story`
runs on one story's analysis), so every relation the pipeline makes has one story.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import cast

from rashomon import terms
from rashomon.align.sources import Sources
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
    Story,
    TimelineEntry,
)

__all__ = [
    "StoryView",
    "attribution_of",
    "claim_of",
    "document_of",
    "evidence_for",
    "speaker_key",
    "story_views",
]


def document_of(documents: Mapping[str, Document], doc_id: str, owner: str) -> Document:
    """The document `owner` points into; a clear error when the analysis lacks it."""
    document = documents.get(doc_id)
    if document is None:
        raise ValueError(f"{owner} points into document {doc_id}, which is not in the analysis")
    return document


@dataclass(frozen=True, slots=True)
class StoryView:
    """One story's documents and everything found in them, indexed for reading.

    `story` is None for the view of the documents that belong to no story (`story_views`
    with `loose`).
    Annotations keep the analysis's order; `documents` is the story's order.
    """

    story: Story | None
    documents: tuple[Document, ...]  # in story order
    attributions: tuple[Attribution, ...]
    claims: tuple[Claim, ...]
    relations: tuple[Relation, ...]
    timeline: tuple[TimelineEntry, ...]
    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...]  # every entity mentioned in the story's documents
    all_documents: Mapping[str, Document]  # every document of the analysis, by id
    entity_names: Mapping[str, str]
    copies: dict[str, str]  # near-duplicate document -> the original it copies
    sources: Sources  # who stands behind what: copies, outlets and credited sources once
    brief: Brief | None = None
    framings: tuple[Framing, ...] = ()
    # ids -> items, so that following a relation's members costs no scan
    by_id: dict[str, Document] = field(default_factory=dict)  # the story's documents
    attribution_ids: dict[str, Attribution] = field(default_factory=dict)
    claim_ids: dict[str, Claim] = field(default_factory=dict)
    claim_of_attribution: dict[str, Claim] = field(default_factory=dict)

    @property
    def story_id(self) -> str | None:
        return self.story.id if self.story is not None else None

    def required_story(self) -> Story:
        """The story viewed; what is written of a story (a brief, a framing) needs one."""
        if self.story is None:
            raise ValueError("these documents belong to no story")
        return self.story

    def document(self, doc_id: str, owner: str) -> Document:
        """Any document of the analysis `owner` points into; a clear error when it lacks it."""
        return document_of(self.all_documents, doc_id, owner)

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
        """The outlet of one of the story's documents, as the document gives it."""
        return self.by_id[doc_id].outlet_label

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


def attribution_of(view: StoryView, claim: Claim) -> Attribution | None:
    return view.attribution(claim.attribution) if claim.attribution else None


def claim_of(view: StoryView, item_id: str) -> Claim | None:
    claim = view.claim(item_id)
    if claim is not None:
        return claim
    return view.claim_of_attribution.get(item_id)


def evidence_for(relation: Relation, position: int, within: Span) -> Span | None:
    """The evidence span of one member, inside its words (`within`): the one at its position
    when it lies there, else the first that does."""
    spans = [s for s in relation.evidence if within.contains(s)]
    if position < len(relation.evidence) and relation.evidence[position] in spans:
        return relation.evidence[position]
    return spans[0] if spans else None


# The key the documents that belong to no story are filed under.
_LOOSE = "\x00loose"


@dataclass(frozen=True, slots=True)
class _Index:
    """The analysis filed once: every annotation under the story of its document."""

    documents: dict[str, Document]
    entity_names: dict[str, str]
    copies: dict[str, str]
    filed: dict[str, dict[str, list[object]]]  # story id (or _LOOSE) -> kind -> items
    entities: dict[str, set[int]]  # document -> positions in analysis.entities


def _filed_by_story(analysis: Analysis) -> dict[str, dict[str, list[object]]]:
    """Every annotation filed under the story of its document, in one pass over each kind (a
    relation under the story all its places lie in)."""
    story_of = {doc: story.id for story in analysis.stories for doc in story.documents}
    owners = {a.id: a.doc for a in analysis.attributions}
    owners.update((c.id, c.doc) for c in analysis.claims)
    filed: dict[str, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))

    def put(kind: str, item: object, docs: Iterable[str]) -> None:
        stories = {story_of.get(doc, _LOOSE) for doc in docs}
        if len(stories) == 1:
            filed[stories.pop()][kind].append(item)

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


def _index(analysis: Analysis) -> _Index:
    return _Index(
        documents={d.id: d for d in analysis.documents},
        entity_names={e.id: e.name for e in analysis.entities},
        copies=dict(analysis.near_duplicates),  # marked by the store when the copy was ingested
        filed=_filed_by_story(analysis),
        entities=_entity_positions(analysis),
    )


def _view(
    analysis: Analysis, index: _Index, story: Story | None, documents: tuple[Document, ...],
) -> StoryView:
    docs = {d.id: d for d in documents}
    mine = index.filed.get(story.id if story is not None else _LOOSE, {})
    copies = {c: o for c, o in index.copies.items() if c in docs}
    attributions = tuple(cast(list[Attribution], mine.get("attributions", [])))
    claims = tuple(cast(list[Claim], mine.get("claims", [])))
    entities = set[int]().union(*(index.entities.get(i, set()) for i in docs))
    return StoryView(
        story=story,
        documents=documents,
        attributions=attributions,
        claims=claims,
        relations=tuple(cast(list[Relation], mine.get("relations", []))),
        timeline=tuple(cast(list[TimelineEntry], mine.get("timeline", []))),
        mentions=tuple(cast(list[Mention], mine.get("mentions", []))),
        entities=tuple(analysis.entities[i] for i in sorted(entities)),
        all_documents=index.documents,
        entity_names=index.entity_names,
        copies=copies,
        sources=Sources(docs, copies),
        brief=next((b for b in analysis.briefs if story is not None and b.story == story.id),
                   None),
        framings=tuple(f for f in analysis.framings
                       if story is not None and f.story == story.id),
        by_id=docs,
        attribution_ids={a.id: a for a in attributions},
        claim_ids={c.id: c for c in claims},
        claim_of_attribution={c.attribution: c for c in reversed(claims) if c.attribution},
    )


def story_views(analysis: Analysis, *, loose: bool = False) -> list[StoryView]:
    """Each story of the analysis with its own documents, annotations and relations, in the
    analysis's order of stories; with `loose`, then one view of the documents that belong to
    no story (if any). A document a story names that the analysis lacks is left out (a report
    checks first: `rashomon.render._views.report_views`)."""
    index = _index(analysis)
    views = [_view(analysis, index, story, tuple(index.documents[i] for i in story.documents
                                                 if i in index.documents))
             for story in analysis.stories]
    in_stories = {doc_id for story in analysis.stories for doc_id in story.documents}
    unplaced = tuple(d for d in analysis.documents if d.id not in in_stories)
    if loose and unplaced:
        views.append(_view(analysis, index, None, unplaced))
    return views


def speaker_key(attribution: Attribution) -> str:
    """One key per speaker across a story, shared by the brief, the framing and the reports:
    the linked entity, else the whole name folded to one line in lower case (so "Ann Lee" and
    "Bo Lee" stay two voices; relation finders match looser, `align.common.surname_key`)."""
    speaker = attribution.speaker
    if speaker.entity:
        return f"entity:{speaker.entity}"
    return "name:" + terms.one_line(speaker.name or speaker.text).lower()
