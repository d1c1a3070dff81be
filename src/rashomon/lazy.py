"""A package's exported names, each imported from its module when first asked for (PEP 562).

A report process reads a few light modules of a package; importing the rest with the package
(the finders of `rashomon.align`, the page and the terminal of `rashomon.render`) cost it over
half a second. A package keeps its names in `__all__`, says where each lives, and sets
`__getattr__ = lazy_exports(__name__, homes)`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The module `__getattr__` of `package`: a name of `homes` (name -> the submodule that
    defines it) is imported on first use and kept in the package, so it is found directly
    from then on; any other name is an AttributeError, as without the hook."""

    def find(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return find
