"""The corpus-wide entity list: every story's entities, grouped across stories by their id.

A story's entities are the ones its stored analysis links (`rashomon.story_stage`, when the
story last changed): every entry points at a per-story entity page whose id that page knows.
Across stories they are grouped by that id, ``person:teodor-brannik``: the entity's type and
its folded fullest name.

How far that key can be trusted. Within a story, linking has merged spelling variants,
transliterations and bare surnames into one full name and kept apart people who merely share a
surname. Across stories nothing compares them again: the key is the type and the name, no more.
So two different people of one full name in two stories (two Ana Silvas) fall into one group,
and one person whose stories settled on different fullest names ("Zelensky" in one,
"Zelenskyy" in another) falls into two. A name that stayed ambiguous within a story carries a
hash suffix there (``person:silva-1a2b3c``) and is a group of its own. A group says "named so in
these stories", not "one person"; each story's entity page holds the evidence.

Cost. Nothing is linked here: a request reads the stored entity rows (`Store.story_entities`,
one query), groups them (O(entities)), then filters and slices in memory. `pending` counts the
stories whose stored analysis is missing or stale (the next ingest analyses them); such a
story shows the entities of its last analysis, if any.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rashomon.store import Store
from rashomon.story_stage import stale_stories

if TYPE_CHECKING:
    from rashomon.settings import Settings

__all__ = [  # noqa: RUF022 - sorted as tests/test_serve_api.py checks: plain string order
    "CatalogView",
    "EntityCatalog",
    "EntityGroup",
    "StoryEntity",
    "group_entities",
    "story_entities",
]


@dataclass(frozen=True, slots=True)
class StoryEntity:
    """One entity of one story, as that story's stored analysis links it."""

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


def story_entities(store: Store) -> list[StoryEntity]:
    """Every live story's entities, as its stored analysis links them."""
    titles: Mapping[str, str | None] = {r.id: r.title for r in store.list_stories()}
    return [
        StoryEntity(story=row.story_id, title=titles.get(row.story_id), entity=row.id,
                    name=row.name, type=row.type, aliases=row.aliases, mentions=row.mentions,
                    documents=row.documents, outlets=row.outlets)
        for row in store.story_entities()
    ]


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
    """The entity groups as a request sees them, and how many stories are still to be analysed
    (new or changed stories whose stored analysis is missing or stale)."""

    groups: tuple[EntityGroup, ...]
    pending: int


class EntityCatalog:
    """The grouped entities of a store, read from the stored story analyses."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def view(self, store: Store) -> CatalogView:
        """Every entity group of the store, and how many stories are still to be analysed."""
        pending = len(stale_stories(store, self.settings))
        return CatalogView(group_entities(story_entities(store)), pending)
