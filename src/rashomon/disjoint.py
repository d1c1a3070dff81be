"""Disjoint sets (union-find): items joined into groups, each group named by its root.

The stages that group items by "any shared key" or by chains of pairwise matches (independent
sources, facts carried by several outlets, timeline events) share this one implementation.
"""

from __future__ import annotations

__all__ = ["DisjointSets"]


class DisjointSets:
    """Items 0..size-1, each first alone; `union` joins two items' groups."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def find(self, item: int) -> int:
        """The root of the item's group (path halving keeps later look-ups short)."""
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, item: int, other: int) -> None:
        """Join the two items' groups; the root of `other`'s group becomes the root of both."""
        self._parent[self.find(item)] = self.find(other)

    def groups(self) -> dict[int, list[int]]:
        """Root -> members in item order; groups in the order of their first member."""
        found: dict[int, list[int]] = {}
        for item in range(len(self._parent)):
            found.setdefault(self.find(item), []).append(item)
        return found
