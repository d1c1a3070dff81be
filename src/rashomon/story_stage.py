"""The story-level stage: what only a whole story can tell, computed when the story changes.

Per-document stages (`pipeline.annotate`) see one article. This stage sees a story: it links
entities and speakers across its outlets, dates its undated articles from the others, anchors
and links its timeline, finds the cross-source relations, and writes the brief and each
outlet's framing. It runs at the end of an ingest for each story whose stored analysis is
missing or stale (the story gained, lost or merged documents; the settings it depends on or the
stored layout changed; a run was killed before it got there), for that story only, and stores
the result with the run that made it. Reports, pages and the API read what is stored.

A stored analysis carries a key: a hash of the story's documents, the settings that shape the
analysis, and the layout of the stored values (`rashomon.store.values`). A key that no longer
matches is what "stale" means.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rashomon.model import Analysis, Attribution, Document, Entity, Span, Story, TimelineEntry
from rashomon.render import stored as stored_report
from rashomon.store import Annotations, Store, values

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from rashomon.embed import Embedder
    from rashomon.settings import Settings

# The stage's own modules (parsing, linking, align, brief...) are imported where it runs, not
# here: reading stored analyses (`read_stories`, `rashomon report`, the pages) needs none of
# them, and a report process should not pay for loading them.

__all__ = [
    "ANALYSIS_VERSION",
    "analysis_key",
    "analyze_story",
    "combine",
    "read_stories",
    "refresh_stories",
    "settings_part",
    "stale_among",
    "stale_stories",
]

# Stories whose texts are embedded together (`_embed_ahead`): enough for full batches, few
# enough that the texts gathered stay small (a few thousand short strings).
EMBED_AHEAD_STORIES = 64

# Raised when what the stage computes changes without the stored layout changing (a new rule
# in the brief, say): every stored analysis becomes stale and is computed again.
ANALYSIS_VERSION = 7  # 2: the story's title is the store's; 3-7: findings say less (issue 12)


def settings_part(settings: Settings) -> str:
    """What of the settings shapes a story's analysis: the pairing threshold and the aliases."""
    from rashomon import entities

    aliases = entities.user_aliases(settings)
    return repr((settings.variant_threshold, aliases))


def analysis_key(doc_ids: Sequence[str], settings_part: str) -> str:
    """What a story's analysis is computed over, as a short hash (see the module docstring)."""
    digest = hashlib.sha256()
    for part in (str(ANALYSIS_VERSION), values.format_of(Analysis), settings_part, *doc_ids):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:24]


def stale_stories(store: Store, settings: Settings) -> list[str]:
    """Live stories whose stored analysis is missing or stale, oldest first."""
    part = settings_part(settings)
    stored = store.story_analysis_keys()
    return [story_id for story_id, doc_ids in store.story_members().items()
            if doc_ids and stored.get(story_id) != analysis_key(doc_ids, part)]


def stale_among(store: Store, story_ids: Sequence[str], settings: Settings) -> list[str]:
    """Those of these live stories whose stored analysis is missing or stale."""
    part = settings_part(settings)
    stored = store.story_analysis_keys()
    return [s for s in story_ids
            if stored.get(s) != analysis_key(store.story_documents(s), part)]


def refresh_stories(
    store: Store, story_ids: Sequence[str], settings: Settings, *,
    parses: Mapping[str, Doc] | None = None, run_id: int | None = None,
    progress: Callable[[str], None] | None = None, embed_many: Embedder | None = None,
) -> list[Analysis]:
    """Analyse these stories and store each analysis, one transaction per story.

    `embed_many` embeds the texts gathered ahead (`_embed_ahead`): the ingest's runner, whose
    workers embed them as they ran the per-document stage; by default, this process.
    """
    from rashomon import embed

    embed_texts = embed.stored(store, batch_size=settings.embed_batch_size)
    ahead = embed_texts if embed_many is None else embed.cached(embed_many, store,
                                                                 embed.MODEL_NAME)
    part = settings_part(settings)
    done = []
    for start in range(0, len(story_ids), EMBED_AHEAD_STORIES):
        chunk = story_ids[start : start + EMBED_AHEAD_STORIES]
        gathered: dict[str, _Gathered] = {}
        if len(chunk) > 1:
            gathered = _embed_ahead(store, chunk, settings, ahead)
        for story_id in chunk:
            done.append(analyze_story(store, story_id, settings, embed_texts=embed_texts,
                                      settings_part=part, parses=parses or {}, run_id=run_id,
                                      gathered=gathered.get(story_id)))
            if progress is not None:
                progress(story_id)
    return done


def _embed_ahead(
    store: Store, story_ids: Sequence[str], settings: Settings, embed_texts: Embedder
) -> dict[str, _Gathered]:
    """Embed, in one call, the texts these stories' analyses will ask for (`embed_texts` keeps
    them in the store), so that `analyze_story` finds them there.

    Most of the story-level stage's time is the embedding of quotes, clauses and words, and a
    story alone asks for a few texts of each length: the model then runs on batches of one or
    two (about twice the time per text of a full batch, measured by `bench/speed.py`). The
    texts are gathered by asking the timeline's linking (`timeline.event_texts`) and the
    alignment (`align.texts_to_embed`) what they will embed rather than running them; then,
    with those vectors, what they decide the alignment will compare
    (`align.texts_to_embed_after`: the clauses of the negations whose words echo).
    A text this pass does not foresee is embedded when asked, as before. Vectors do not depend on
    their batch (`rashomon.embed`), so the analyses are those computed story by story.

    Returns what was read and found of each story on the way that needs no vectors (its
    annotations, its linked entities): `analyze_story` takes them rather than reading and
    linking the story a second time.
    """
    from rashomon import align, timeline

    wanted: list[str] = []

    def timeline_ahead(entries: Sequence[TimelineEntry], texts: dict[str, str]
                       ) -> list[TimelineEntry]:
        # what the timeline's linking embeds, found without linking: the alignment reads no
        # event ids, and the claims' dates are the entries' dates, which need no vectors
        dated, asked = timeline.event_texts(entries, texts=texts)
        wanted.extend(asked)
        return dated

    bases = []
    gathered: dict[str, _Gathered] = {}
    for story_id in story_ids:
        doc_ids = store.story_documents(story_id)
        documents = store.get_documents(doc_ids)
        story = Story(story_id, tuple(d.id for d in documents), store.story_title(story_id))
        annotations = store.load_annotations_of(doc_ids)
        found = _Gathered(tuple(doc_ids), annotations,
                          _link_entities(documents, annotations, settings))
        gathered[story_id] = found
        base = _linked(store, story, documents, annotations, settings, timeline_ahead,
                       entities=found.entities)
        wanted.extend(align.texts_to_embed(base))
        bases.append(base)
    embed_texts(list(dict.fromkeys(wanted)))
    # then what those vectors (now kept) bring into a comparison
    more = [t for base in bases for t in align.texts_to_embed_after(base, embed_texts)]
    embed_texts(list(dict.fromkeys(more)))
    return gathered


def analyze_story(
    store: Store, story_id: str, settings: Settings, *, embed_texts: Embedder,
    settings_part: str, parses: Mapping[str, Doc], run_id: int | None = None,
    gathered: _Gathered | None = None,
) -> Analysis:
    """One story analysed and stored (its undated documents' dates too); the analysis.

    `gathered`: what `_embed_ahead` read and found of the story, used when the story has the
    same documents now."""
    doc_ids = store.story_documents(story_id)
    documents = store.get_documents(doc_ids)
    # the store's title, so that a story's page and every list name it alike
    story = Story(story_id, tuple(d.id for d in documents), store.story_title(story_id))
    if gathered is not None and gathered.doc_ids != tuple(doc_ids):
        gathered = None  # the story changed since: read and link it again
    annotations = gathered.annotations if gathered else store.load_annotations_of(doc_ids)
    documents, dated = _date_undated(store, story, documents, settings, parses, run_id,
                                     annotations)
    linked = gathered.entities if gathered else None
    if dated:  # their timelines were resolved against their new dates and stored
        annotations = store.load_annotations_of(doc_ids)
    analysis = _analysis(store, story, documents, annotations, settings, embed_texts, linked)
    # its JSON report too, which `rashomon report ID --json` then prints as it is
    report = stored_report.for_store(analysis)
    # Stored in one write at the end: a run stopped before it leaves the story stale (the
    # dates found are kept), and the next ingest or report computes it again.
    with store.transaction():
        # Another process writing the same store may have changed the story while this one
        # analysed it; then this analysis is out of date, and the process that changed the
        # story analyses it after its own change.
        if (store.resolve_story(story_id) == story_id
                and store.story_documents(story_id) == doc_ids):
            store.put_story_analysis(story_id, analysis, key=analysis_key(doc_ids, settings_part),
                                     run_id=run_id, report=report)
    return analysis


def _date_undated(
    store: Store, story: Story, documents: list[Document], settings: Settings,
    parses: Mapping[str, Doc], run_id: int | None, annotations: Mapping[str, Annotations],
) -> tuple[list[Document], bool]:
    """The story's documents, each undated one with the date inferred from its story, and
    whether one was dated now.

    An undated document is dated once, the first time its story is analysed, and its timeline
    resolved against that date is stored with it; it is never parsed again for it. What dates
    it is read from its story and from the timeline its ingest stored (`annotations`); its
    parse, needed only to resolve its timeline once dated, comes from the ingest that stored
    it (`parses`), else it is parsed here. A document that nothing dates yet is tried again
    when its story next changes.
    """
    from rashomon import nlp, timeline

    dated = store.document_dates(d.id for d in documents)
    undated = [d for d in documents
               if timeline.parse_anchor(d.published) is None and d.id not in dated]
    by_id = {d.id: d for d in documents}
    parsed_here: dict[str, Doc] = {}

    def parse(wanted: Sequence[Document]) -> None:
        unparsed = [d for d in wanted if d.id not in parses and d.id not in parsed_here]
        if unparsed:  # the model is loaded only when something is parsed
            parsed_here.update((d.id, p) for d, p in nlp.parse(
                unparsed, batch_size=settings.nlp_batch_size,
                piece_chars=settings.nlp_piece_chars))

    def parse_of(doc_id: str) -> Doc | None:
        kept = parses.get(doc_id)
        return kept if kept is not None else parsed_here.get(doc_id)

    # what an ingest stored for a document it could not date is its timeline extracted
    # without a date: what the inference would extract from the parse again
    parse([d for d in undated if d.published_inferred])
    anchors = {}
    for document in undated:
        others = [by_id[i].published for i in story.documents if i != document.id]
        anchor, inferred = timeline.infer_document_date(
            document, parse_of(document.id), others,
            undated_timeline=None if document.published_inferred
            else annotations[document.id].timeline)
        if anchor is not None:
            anchors[document.id] = (anchor, inferred)
    parse([by_id[i] for i in anchors])
    for doc_id, (anchor, inferred) in anchors.items():
        parsed = parse_of(doc_id)
        assert parsed is not None  # parsed above
        entries = timeline.extract_timeline(by_id[doc_id], parsed, anchor, inferred)
        store.put_document_date(doc_id, anchor.isoformat(), inferred, entries, run_id=run_id)
        dated[doc_id] = (anchor.isoformat(), inferred)
    return [dataclasses.replace(d, published=dated[d.id][0], published_inferred=dated[d.id][1])
            if d.id in dated else d for d in documents], bool(anchors)


@dataclasses.dataclass(frozen=True)
class _Gathered:
    """What `_embed_ahead` read and found of a story that needs no vectors, and the documents
    it was found over: their annotations as stored, and their entities linked."""

    doc_ids: tuple[str, ...]
    annotations: Mapping[str, Annotations]
    entities: _LinkedEntities


@dataclasses.dataclass(frozen=True)
class _LinkedEntities:
    """A story's entities linked across its documents (`entities.link_entities`), and the
    documents they were linked over."""

    doc_ids: tuple[str, ...]
    found: tuple[list[Entity], dict[Span, str]]


def _link_entities(
    documents: Sequence[Document], annotations: Mapping[str, Annotations], settings: Settings,
) -> _LinkedEntities:
    """The story's entities linked across its documents: from the mentions and texts alone
    (not the documents' dates, which `_date_undated` may set between two links)."""
    from rashomon import entities

    # the user's alias file forces merges and splits
    return _LinkedEntities(tuple(d.id for d in documents), entities.link_entities(
        [(d, annotations[d.id].mentions) for d in documents], entities.user_aliases(settings),
    ))


def _link_speakers(
    attributions: Sequence[Attribution], entity_list: Sequence[Entity],
    span_entity: Mapping[Any, str],
) -> list[Attribution]:
    """Point each speaker at its entity: by its own span when linked, else by its name."""
    from rashomon import entities

    names = entities.NameIndex.of(entity_list)
    linked: list[Attribution] = []
    for item in attributions:
        speaker = item.speaker
        entity_id = span_entity.get(speaker.span) if speaker.span is not None else None
        if entity_id is None and speaker.name and not speaker.anonymous:
            entity_id = names.entity_for(speaker.name)
        if entity_id is not None:
            item = dataclasses.replace(item, speaker=dataclasses.replace(speaker, entity=entity_id))
        linked.append(item)
    return linked


def _analysis(
    store: Store, story: Story, documents: Sequence[Document],
    annotations: Mapping[str, Annotations], settings: Settings, embed_texts: Embedder,
    linked: _LinkedEntities | None = None,
) -> Analysis:
    """Everything known about one story: entities and speakers linked across its outlets, its
    timeline linked, claims given their dates and places, relations, brief and framing."""
    from rashomon import align, brief, framing, timeline
    from rashomon.story_view import story_views

    def link_timeline(entries: Sequence[TimelineEntry], texts: dict[str, str]
                      ) -> list[TimelineEntry]:
        return timeline.link_events(entries, embed_texts, texts=texts)

    base = _linked(store, story, documents, annotations, settings, link_timeline,
                   entities=linked)
    relations = align.align_story(base, embed_texts, threshold=settings.variant_threshold)
    analysed = dataclasses.replace(base, relations=tuple(relations))
    # what people read first: the sourced brief and each outlet's framing, from all of the
    # above; both rest on what several outlets carry, matched once per story
    briefs, framings = [], []
    for piece in story_views(analysed):
        facts = brief.carried_facts(piece)
        briefs.append(brief.brief_of(piece, facts))
        framings.extend(framing.framings_of(piece, facts))
    return dataclasses.replace(analysed, briefs=tuple(briefs), framings=tuple(framings))


# A story's timeline entries and its documents' texts (by id) -> the entries linked
_TimelineLinker = Callable[[Sequence[TimelineEntry], dict[str, str]], list[TimelineEntry]]


def _linked(
    store: Store, story: Story, documents: Sequence[Document],
    annotations: Mapping[str, Annotations], settings: Settings, link_timeline: _TimelineLinker,
    *, entities: _LinkedEntities | None = None,
) -> Analysis:
    """One story's documents and annotations, linked: entities and speakers across its
    outlets, its timeline (by `link_timeline`), claims given their dates and places; no
    relations yet. `entities`: its entities when linked already (`_link_entities` over these
    documents)."""
    from rashomon import claims

    entity_list, span_entity = (entities or _link_entities(documents, annotations, settings)).found
    attributions = _link_speakers(
        [a for d in documents for a in annotations[d.id].attributions], entity_list, span_entity
    )
    entries: list[TimelineEntry] = [e for d in documents for e in annotations[d.id].timeline]
    # events are linked within a story, never across stories
    linked = link_timeline(entries, {d.id: d.text for d in documents})
    mentions = [m for d in documents for m in annotations[d.id].mentions]
    return Analysis(
        documents=tuple(documents),
        stories=(story,),
        entities=tuple(entity_list),
        mentions=tuple(dataclasses.replace(m, entity=span_entity.get(m.span)) for m in mentions),
        attributions=tuple(attributions),
        # a claim's dates are the timeline's, resolved against the (possibly inferred) anchor
        claims=tuple(claims.attach_context(
            [c for d in documents for c in annotations[d.id].claims], linked, mentions)),
        timeline=tuple(linked),
        # syndicated copies: corroboration counts each group of copies as one outlet
        near_duplicates=tuple(sorted(
            (doc_id, original) for doc_id, (original, _) in
            store.near_duplicates([d.id for d in documents]).items())),
    )


def read_stories(
    store: Store, story_ids: Sequence[str], settings: Settings, *,
    on_stale: Callable[[str], None] | None = None,
) -> Analysis:
    """These stories' stored analyses, as one report; nothing is computed again.

    A story whose stored analysis is missing or stale (a run stopped before its story-level
    stage, settings or code that shape it changed) is analysed now and stored, and `on_stale`
    is told its id, so that a caller can say why this report took longer.
    """
    part = settings_part(settings)
    keys = store.story_analysis_keys()
    analyses: list[Analysis] = []
    for story_id in story_ids:
        stored = None
        if keys.get(story_id) == analysis_key(store.story_documents(story_id), part):
            stored = store.load_story_analysis(story_id)
        if stored is not None:
            analyses.append(stored.analysis)
            continue
        if on_stale is not None:
            on_stale(story_id)
        analyses.extend(refresh_stories(store, [story_id], settings))
    return combine(analyses)


def combine(analyses: Sequence[Analysis]) -> Analysis:
    """Several stories' analyses as one report, story after story.

    Entities are linked within a story; one id in two stories (the same name linked in each)
    is one entity here, its mentions and aliases pooled, sorted as `link_entities` sorts.
    """
    if len(analyses) == 1:
        return analyses[0]
    merged: dict[str, Entity] = {}
    for analysis in analyses:
        for entity in analysis.entities:
            known = merged.get(entity.id)
            merged[entity.id] = entity if known is None else dataclasses.replace(
                known, aliases=tuple(dict.fromkeys((*known.aliases, *entity.aliases))),
                mentions=known.mentions + entity.mentions)
    entity_list = sorted(merged.values(),
                         key=lambda e: (-sum(n for _, n in e.mentions), e.name, e.id))

    def joined(name: str) -> tuple[Any, ...]:
        return tuple(item for a in analyses for item in getattr(a, name))

    return Analysis(
        documents=joined("documents"), stories=joined("stories"), entities=tuple(entity_list),
        mentions=joined("mentions"), attributions=joined("attributions"),
        claims=joined("claims"), relations=joined("relations"), timeline=joined("timeline"),
        briefs=joined("briefs"), framings=joined("framings"),
        near_duplicates=tuple(sorted(joined("near_duplicates"))),
    )
