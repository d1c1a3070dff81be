"""Each public module says what it exports: a sorted __all__ whose names all exist."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "rashomon.align", "rashomon.attribution", "rashomon.claims", "rashomon.clean", "rashomon.cli",
    "rashomon.embed", "rashomon.entities", "rashomon.errors", "rashomon.ingest", "rashomon.model",
    "rashomon.nlp", "rashomon.pipeline", "rashomon.render", "rashomon.settings", "rashomon.store",
    "rashomon.stories", "rashomon.timeline", "rashomon.dedup",
]


@pytest.mark.parametrize("name", MODULES)
def test_exported_members_are_sorted_and_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    assert list(exported) == sorted(exported), f"{name}.__all__ is not sorted"
    for member in exported:
        assert hasattr(module, member), f"{name}.__all__ names a missing {member}"
