"""Entities looked up by a name as a speaker or a reader writes it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rashomon.entities.names import (
    PersonName,
    is_honorific,
    is_title,
    name_key,
    person_name,
    same_person,
    strip_possessive,
)
from rashomon.model import Entity

__all__ = ["NameIndex", "entity_for_name"]


def entity_for_name(entities: Sequence[Entity], name: str) -> str | None:
    """The id of the entity a name refers to ("Brannik", "Mr. Brannik", "Teodor Brannik",
    "the Harbour"), or None when no entity or more than one could be meant."""
    return NameIndex.of(entities).entity_for(name)


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Entities looked up by name, their alias keys and person names computed once.

    Resolving many speakers against one entity list (a report links every speaker that has no
    linked span) would otherwise recompute the keys of every alias of every entity per name.
    """

    by_key: dict[str, frozenset[str]]
    persons: tuple[tuple[str, tuple[PersonName, ...]], ...]

    @classmethod
    def of(cls, entities: Sequence[Entity]) -> NameIndex:
        by_key: dict[str, set[str]] = {}
        persons: list[tuple[str, tuple[PersonName, ...]]] = []
        for entity in entities:
            aliases = (entity.name, *entity.aliases)
            for key in {name_key(alias) for alias in aliases}:
                by_key.setdefault(key, set()).add(entity.id)
            if entity.type == "PERSON":
                names = tuple(n for a in aliases if (n := person_name(a)) is not None)
                persons.append((entity.id, names))
        return cls({k: frozenset(v) for k, v in by_key.items()}, tuple(persons))

    def entity_for(self, name: str) -> str | None:
        """The id of the one entity `name` can mean, or None (see `entity_for_name`)."""
        # "General Staff" is a name as written; "President Silva" only once its title is gone;
        # "Ukraine’s General Staff" once its owner is
        owned = re.split(r"[’']s\s+", name)[-1]
        forms = (name, _strip_leading_titles(name), owned)
        for key in dict.fromkeys(name_key(form) for form in forms):
            exact = self.by_key.get(key, frozenset()) if key else frozenset()
            if len(exact) == 1:
                return next(iter(exact))
        person = person_name(name)
        if person is None:
            return None
        agreeing = {entity_id for entity_id, names in self.persons
                    if _person_names_agree(names, person)}
        return agreeing.pop() if len(agreeing) == 1 else None


def _strip_leading_titles(name: str) -> str:
    words = strip_possessive(name.strip()).split()
    while len(words) > 1 and (is_title(words[0]) or is_honorific(words[0])):
        words = words[1:]
    return " ".join(words)


def _person_names_agree(names: Sequence[PersonName], name: PersonName) -> bool:
    """Whether a person name fits an entity's parsed names: a full name one of its full names,
    a bare surname any of its surnames."""
    if name.full:
        return any(same_person(name, n) for n in names if n.full)
    return any(n.surname == name.surname for n in names)
