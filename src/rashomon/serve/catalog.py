"""The corpus-wide entity list: every story's entities, grouped across stories by their id.

Entities are linked story by story exactly as a story's report links them
(`entities.link_entities` over the story's stored documents and mentions, in the store's order,
with the user's alias file), so that every entry points at a per-story entity page whose id
that page knows. Across stories they are grouped by that id, ``person:teodor-brannik``: the
entity's type and its folded fullest name.

How far that key can be trusted. Within a story, linking has merged spelling variants,
transliterations and bare surnames into one full name and kept apart people who merely share a
surname. Across stories nothing compares them again: the key is the type and the name, no more.
So two different people of one full name in two stories (two Ana Silvas) fall into one group,
and one person whose stories settled on different fullest names ("Zelensky" in one,
"Zelenskyy" in another) falls into two. A name that stayed ambiguous within a story carries a
hash suffix there (``person:silva-1a2b3c``) and is a group of its own. A group says "named so in
these stories", not "one person"; each story's entity page holds the evidence.

Cost. Linking is cached per story on the story's document ids, as the analysis cache is. A
request reads the story membership (one query, O(documents) rows) and the story titles, re-links
the stories whose documents changed (reading their documents and stored mentions; no model
runs), regroups when anything changed (O(entities)), then filters and slices the grouped list in
memory (O(groups)). Linking is what costs, in proportion to the documents linked, and the
first request after the server starts has every story to link. So a request links for at most
`LINK_BUDGET_SECONDS` (and at least one story) and says how many stories it left `pending`;
the next request goes on where it stopped, and a story still pending keeps its last entities.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rashomon.entities import AliasRules, link_entities, user_aliases
from rashomon.store import Store

if TYPE_CHECKING:
    from rashomon.settings import Settings

__all__ = [  # noqa: RUF022 - sorted as tests/test_serve_api.py checks: plain string order
    "CatalogView",
    "EntityCatalog",
    "EntityGroup",
    "LINK_BUDGET_SECONDS",
    "StoryEntity",
    "group_entities",
    "link_story",
]

# How long one request may spend linking stories before it answers with what it has.
LINK_BUDGET_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class StoryEntity:
    """One entity of one story, as that story's report links it."""

    story: str
    title: str | None
    entity: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: int
    documents: int
    outlets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityGroup:
    """The entities of several stories that share one id (see the module docstring for what
    that does and does not prove). `stories` are ordered by mentions, most first."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: int
    outlets: tuple[str, ...]
    stories: tuple[StoryEntity, ...]

    def matches(self, words: Sequence[str]) -> bool:
        """Whether every (casefolded) word is in the name or an alias."""
        names = " ".join((self.name, *self.aliases)).casefold()
        return all(word in names for word in words)


def link_story(store: Store, story_id: str, doc_ids: Sequence[str], title: str | None,
               aliases: AliasRules | None) -> tuple[StoryEntity, ...]:
    """A story's entities, linked as `pipeline.report` links them for the story page
    (`aliases`: the user's alias rules, `entities.user_aliases`)."""
    documents = store.get_documents(doc_ids)
    mentions = [(d, store.load_annotations(d.id).mentions) for d in documents]
    found, _ = link_entities(mentions, aliases)
    outlet = {d.id: d.outlet_label for d in documents}
    return tuple(
        StoryEntity(
            story=story_id, title=title, entity=e.id, name=e.name, type=e.type,
            aliases=e.aliases, mentions=sum(n for _, n in e.mentions),
            documents=len(e.mentions),
            outlets=tuple(dict.fromkeys(outlet[doc] for doc, _ in e.mentions if doc in outlet)))
        for e in found)


def group_entities(found: Iterable[StoryEntity]) -> tuple[EntityGroup, ...]:
    """Story entities grouped by id: those in most stories first, then most mentioned, then
    by name. A group's name is the one its most mentioned story uses."""
    by_id: dict[str, list[StoryEntity]] = {}
    for item in found:
        by_id.setdefault(item.entity, []).append(item)
    groups = []
    for entity_id, items in by_id.items():
        items.sort(key=lambda s: (-s.mentions, s.story))
        types = Counter(s.type for s in items)
        groups.append(EntityGroup(
            id=entity_id, name=items[0].name, type=types.most_common(1)[0][0],
            aliases=tuple(sorted({a for s in items for a in s.aliases})),
            mentions=sum(s.mentions for s in items),
            outlets=tuple(sorted({o for s in items for o in s.outlets})),
            stories=tuple(items)))
    groups.sort(key=lambda g: (-len(g.stories), -g.mentions, g.name.casefold(), g.id))
    return tuple(groups)


@dataclass(frozen=True, slots=True)
class CatalogView:
    """The entity groups as a request sees them, and how many stories are still to be linked
    (new or changed stories the request's time budget did not reach)."""

    groups: tuple[EntityGroup, ...]
    pending: int


class EntityCatalog:
    """The grouped entities of a store, kept up to date story by story (thread-safe)."""

    def __init__(self, settings: Settings, *, budget: float = LINK_BUDGET_SECONDS) -> None:
        self.settings = settings
        self.budget = budget
        self._lock = threading.Lock()
        # story id -> (its document ids and title when linked, its entities)
        self._linked: dict[str, tuple[tuple[tuple[str, ...], str | None],
                                      tuple[StoryEntity, ...]]] = {}
        self._groups: tuple[EntityGroup, ...] = ()

    def view(self, store: Store) -> CatalogView:
        """Every entity group of the store, linking what changed within the time budget."""
        members = store.story_members()
        titles: Mapping[str, str | None] = {r.id: r.title for r in store.list_stories()}
        with self._lock:
            gone = [s for s in self._linked if s not in members]  # merged away or emptied
            for story_id in gone:
                del self._linked[story_id]
            stale = [(story_id, (tuple(doc_ids), titles.get(story_id)))
                     for story_id, doc_ids in members.items()
                     if doc_ids and self._linked.get(story_id, ((), ()))[0]
                     != (tuple(doc_ids), titles.get(story_id))]
            deadline = time.monotonic() + self.budget
            done = 0
            aliases = user_aliases(self.settings) if stale else None  # read once a request
            for story_id, key in stale:
                if done and time.monotonic() > deadline:
                    break  # at least one story per request, so that every request progresses
                self._linked[story_id] = (
                    key, link_story(store, story_id, key[0], key[1], aliases))
                done += 1
            if gone or done:
                self._groups = group_entities(
                    item for _, found in self._linked.values() for item in found)
            return CatalogView(self._groups, len(stale) - done)
