"""The floors gate shared by the bench harnesses.

Floors live in bench/floors.json under one key per harness; they only go up. A figure listed in
`ceilings` (such as sentences lost) fails when it rises above its recorded value instead.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any


def below_floors(
    figures: Mapping[str, Any], floors_path: Path, key: str, ceilings: Collection[str] = ()
) -> list[str]:
    """One line per figure that missed its floor (or went over its ceiling)."""
    floors = json.loads(floors_path.read_text(encoding="utf-8"))
    if key not in floors:
        raise SystemExit(f"{floors_path}: no floors under {key!r}; keys: {sorted(floors)}")
    failed = []
    for name, floor in floors[key].items():
        value = figures.get(name)
        if value is None or (value > floor if name in ceilings else value < floor):
            failed.append(f"{name} = {value}, {'ceiling' if name in ceilings else 'floor'} {floor}")
    return failed


def exit_code(failed: list[str]) -> int:
    """Print the misses on stderr; 1 when any, else 0."""
    for failure in failed:
        print(f"below floor: {failure}", file=sys.stderr)
    return 1 if failed else 0
