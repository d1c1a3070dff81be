"""Settings: data with a name, a default and help text.

Defaults live here; a user's TOML file (``--config FILE``) is laid over them, then options given
on the command line. `tests/test_docs.py` fails when a setting is not documented in the README.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rashomon.errors import ConfigError

__all__ = ["SETTINGS", "Setting", "Settings", "load_settings"]


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("max_document_bytes", 2_000_000, "Largest input document accepted, in bytes; larger ones are refused."),
    Setting("fetch_timeout", 20.0, "Seconds to wait for a URL to answer (connect and each read)."),
    Setting("fetch_max_bytes", 5_000_000, "Largest HTTP response body read from a URL, in bytes."),
    Setting("user_agent", "rashomon/0.1 (+https://example.invalid/rashomon; news analysis)", "User-Agent sent with every HTTP request."),
    Setting("max_feed_entries", 200, "Most entries read from one RSS/Atom feed."),
    Setting("nlp_batch_size", 16, "Documents per spaCy batch."),
    Setting("nlp_piece_chars", 100_000, "Long documents are parsed in pieces of at most this many characters."),
    Setting("embed_batch_size", 64, "Sentences per embedding batch."),
    Setting("story_threshold", 0.5, "Probability at or above which a document joins a story, as the trained story model (rashomon/data/story_model.json) weighs its signals: embedding, key terms, names, years, numbers; publication dates over 90 days apart never join."),
    Setting("alias_file", "", "CSV or YAML file of entity aliases that force merges and splits (empty: none)."),
    Setting("variant_threshold", 0.75, "Embedding similarity above which two quotes of different outlets are paired as one utterance."),
    Setting("allow_private_urls", False, "Let `rashomon serve` fetch URLs whose host is a loopback, private, link-local, multicast or reserved address."),
)


def _frozen_settings_class() -> type:
    fields = [(s.name, type(s.default), dataclasses.field(default=s.default)) for s in SETTINGS]
    return dataclasses.make_dataclass("Settings", fields, frozen=True, slots=True)


Settings = _frozen_settings_class()
Settings.__doc__ = "All settings, with their defaults. Build with `load_settings`."


def load_settings(path: str | Path | None = None, **overrides: Any) -> Any:
    """Defaults, then the TOML file at `path` (its ``[rashomon]`` table or top level), then overrides."""
    values: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such settings file") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not a valid TOML file ({exc})") from None
        values.update(data.get("rashomon", data))
    values.update({k: v for k, v in overrides.items() if v is not None})
    known = {s.name: s for s in SETTINGS}
    for name, value in values.items():
        if name not in known:
            raise ConfigError(f"unknown setting {name!r}; known settings: {', '.join(sorted(known))}")
        expected = type(known[name].default)
        if expected is float and isinstance(value, int):
            values[name] = float(value)
        elif not isinstance(value, expected):
            raise ConfigError(f"setting {name} must be {expected.__name__}, got {value!r}")
    return Settings(**values)
