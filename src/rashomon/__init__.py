"""Rashomon: who claims what across many outlets' coverage of the same events."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
