"""Exceptions raised by rashomon.

The tree is small on purpose; the CLI turns every one of them into a single line on stderr::

    RashomonError            anything rashomon raises on purpose
    ├── InputError           an input cannot be read: missing, empty, binary, undecodable,
    │   │                    broken HTML, a feed that does not parse, over the size cap
    │   ├── FetchError       a URL that errors, times out or sends too much
    │   └── LanguageError    an article that is not in English (the pipeline is English for now)
    ├── StoreError           the store cannot be opened, is from a newer version, or a write failed
    └── ConfigError          a setting has a bad value or an unknown name, or the alias
        │                    file it names is missing or malformed
        └── SettingsFileError  the settings file itself is missing or not TOML
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "FetchError",
    "InputError",
    "LanguageError",
    "RashomonError",
    "SettingsFileError",
    "StoreError",
]


class RashomonError(Exception):
    """Base class of every error rashomon raises on purpose."""


class InputError(RashomonError):
    """An input cannot be turned into a document.

    `source` is the input as the user gave it (a path, a URL, ``-``, or ``PATH#N`` for the
    N-th record of a JSONL file), so that the message names what failed.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # pickled by its two arguments, not by its message: a failure found in a worker
        # process comes back to the one that reports it
        return type(self), (self.source, self.reason)


class FetchError(InputError):
    """A URL could not be fetched: refused, timed out, HTTP error, too large."""


class LanguageError(InputError):
    """The article is not in a language the pipeline handles."""


class StoreError(RashomonError):
    """The store cannot be opened or written."""


class ConfigError(RashomonError):
    """A setting is unknown or has a bad value."""


class SettingsFileError(ConfigError):
    """The settings file is missing or cannot be read as TOML."""
