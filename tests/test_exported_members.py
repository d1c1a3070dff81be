"""Each public module says what it exports: a sorted __all__ whose names all exist."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import rashomon


def _modules() -> list[str]:
    """Every module of the package, found rather than listed, so a new one cannot be missed."""
    found = ["rashomon"]
    found += [info.name for info in pkgutil.walk_packages(rashomon.__path__, "rashomon.")
              if info.name != "rashomon.__main__"]
    return sorted(found)


MODULES = _modules()


@pytest.mark.parametrize("name", MODULES)
def test_exported_members_are_sorted_and_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    assert list(exported) == sorted(exported), f"{name}.__all__ is not sorted"
    for member in exported:
        assert hasattr(module, member), f"{name}.__all__ names a missing {member}"
