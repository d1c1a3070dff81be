"""Clusters: the mentions one document uses for one entity, the unit that linking, the
armed-forces rule and the user's aliases group across documents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rashomon.entities.names import DESCRIPTIVE, PersonName, name_key, person_name
from rashomon.model import Mention

__all__ = ["Cluster", "group_mentions"]


@dataclass(slots=True)
class Cluster:
    """Mentions that one document uses for one entity."""

    doc: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def is_person(self) -> bool:
        return any(m.label == "PERSON" for m in self.mentions)

    def names(self) -> list[PersonName]:
        names = (person_name(m.text) for m in self.mentions if m.label == "PERSON")
        return [n for n in names if n is not None]

    def best_name(self) -> PersonName | None:
        """The fullest name the document uses, with the longest given name."""
        names = self.names()
        return max(names, key=lambda n: (n.full, len(n.first or "")), default=None)

    def keys(self) -> set[str]:
        return {name_key(m.text) for m in self.mentions if m.label not in DESCRIPTIVE}


def group_mentions(group: Sequence[Cluster]) -> list[Mention]:
    return [m for cluster in group for m in cluster.mentions]
