"""A user's alias file: merges and splits forced on entity linking (CSV or YAML)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rashomon.entities.clusters import Cluster
from rashomon.entities.names import name_key

if TYPE_CHECKING:
    from rashomon.settings import Settings

__all__ = ["AliasRules", "load_alias_file", "user_aliases"]


@dataclass(frozen=True, slots=True)
class AliasRules:
    """Merges and splits a user forces on `link_entities`.

    `merges`: groups of names that are one entity ("Petrenko", "Volodymyr Petrenkko");
    `splits`: pairs of names that are never one entity ("Ana Silva", "Marco Silva").
    Names are compared by `name_key`, so spelling and transliteration variants match.
    """

    merges: tuple[tuple[str, ...], ...] = ()
    splits: tuple[tuple[str, str], ...] = ()

    def apply(self, groups: list[list[Cluster]]) -> list[list[Cluster]]:
        """Groups after the splits, then the merges (a merge wins over the rules' doubts)."""
        for first, second in self.splits:
            groups = _split_groups(groups, name_key(first), name_key(second))
        for names in self.merges:
            keys = {name_key(n) for n in names}
            hit = [g for g in groups if _group_keys(g) & keys]
            if len(hit) > 1:
                merged = [c for g in hit for c in g]
                groups = [g for g in groups if not any(g is h for h in hit)] + [merged]
        return groups


def _names_only(cluster: Cluster, wanted: str, unwanted: str) -> bool:
    keys = cluster.keys()
    return wanted in keys and unwanted not in keys


def _group_keys(group: Sequence[Cluster]) -> set[str]:
    return {k for cluster in group for k in cluster.keys()}


def _split_groups(groups: list[list[Cluster]], first: str, second: str) -> list[list[Cluster]]:
    result: list[list[Cluster]] = []
    for group in groups:
        keys = _group_keys(group)
        if first in keys and second in keys:
            # the clusters that name the second are moved out; a cluster naming both (one
            # document calling the two by one name) stays, as it cannot be cut apart here
            moved = [c for c in group if _names_only(c, second, first)]
            kept = [c for c in group if not any(c is m for m in moved)]
            result.extend(g for g in (kept, moved) if g)
        else:
            result.append(group)
    return result


def user_aliases(settings: Settings) -> AliasRules | None:
    """The rules of the user's alias file (settings key `alias_file`, CSV or YAML), or None."""
    alias_file = getattr(settings, "alias_file", None)
    return load_alias_file(alias_file) if alias_file else None


def load_alias_file(path: str) -> AliasRules:
    """Read a user alias file: YAML (``.yaml``/``.yml``) or CSV (anything else).

    YAML::

        merge:
          - [Petrenko, Volodymyr Petrenkko, Selenskyj]
        split:
          - [Ana Silva, Marco Silva]

    CSV, one rule a row, the action first: ``merge,Petrenko,Volodymyr Petrenkko`` or
    ``split,Ana Silva,Marco Silva``. Raises ValueError naming the bad row or key.
    """
    from pathlib import Path

    file = Path(path)
    text = file.read_text(encoding="utf-8")
    rows: list[list[str]] = []
    if file.suffix.lower() in {".yaml", ".yml"}:
        try:
            import yaml  # type: ignore[import-untyped]  # PyYAML: not a declared dependency
        except ImportError as error:
            raise ValueError(f"{path}: YAML alias files need PyYAML; write the rules as CSV "
                             "(merge,NAME,NAME / split,NAME,NAME)") from error

        data = yaml.safe_load(text) or {}
        if not isinstance(data, dict) or set(data) - {"merge", "split"}:
            raise ValueError(f"{path}: expected the keys merge and split, got {data!r:.80}")
        for action in ("merge", "split"):
            for names in data.get(action) or []:
                if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                    raise ValueError(f"{path}: {action} entries must be lists of names: {names!r}")
                rows.append([action, *names])
    else:
        import csv
        import io

        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))
                if row and not row[0].lstrip().startswith("#")]
    merges: list[tuple[str, ...]] = []
    splits: list[tuple[str, str]] = []
    for number, row in enumerate(rows, 1):
        action, names = row[0].lower(), [n for n in row[1:] if n]
        if action not in {"merge", "split"} or len(names) < 2:
            raise ValueError(f"{path}: rule {number} must be merge or split with two names "
                             f"or more: {row!r}")
        if action == "merge":
            merges.append(tuple(names))
        else:
            splits.extend((a, b) for i, a in enumerate(names) for b in names[i + 1 :])
    return AliasRules(tuple(merges), tuple(splits))
