"""Settings: data with a name, a default and help text.

Defaults live here; a user's TOML file (``--config FILE``) is laid over them, then options given
on the command line. `tests/test_docs.py` fails when a setting is not documented in the README.

`Settings` is a plain frozen dataclass (it pickles, so stages given it can run in other
processes); `load_settings` is the boundary where values are checked: types, ranges, and the
alias file, read once there so that a missing or malformed one is refused before any work.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rashomon.errors import ConfigError, SettingsFileError

__all__ = [
    "DEFAULT_EMBED_RUNTIME", "EMBED_RUNTIMES", "SETTINGS", "Setting", "Settings", "embed_runtime",
    "load_settings",
]


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting as documented: name, default, help, and the range of accepted values."""

    name: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None


def _field(default: Any, help: str, *, minimum: float | None = None,
           maximum: float | None = None) -> Any:
    return dataclasses.field(default=default, metadata={
        "help": help, "minimum": minimum, "maximum": maximum})


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """All settings, with their defaults. Build with `load_settings`, which checks them."""

    max_document_bytes: int = _field(
        2_000_000, "Largest input document accepted, in bytes; larger ones are refused.",
        minimum=1)
    fetch_timeout: float = _field(
        20.0, "Seconds to wait for a URL to answer (connect and each read).", minimum=0.001)
    fetch_max_bytes: int = _field(
        5_000_000, "Largest HTTP response body read from a URL, in bytes.", minimum=1)
    user_agent: str = _field(
        "rashomon/0.1 (+https://example.invalid/rashomon; news analysis)",
        "User-Agent sent with every HTTP request.")
    max_feed_entries: int = _field(200, "Most entries read from one RSS/Atom feed.", minimum=1)
    nlp_batch_size: int = _field(16, "Documents per spaCy batch.", minimum=1, maximum=10_000)
    nlp_piece_chars: int = _field(
        100_000, "Long documents are parsed in pieces of at most this many characters.",
        minimum=1_000, maximum=1_000_000)
    embed_batch_size: int = _field(
        64, "Sentences per embedding batch.", minimum=1, maximum=100_000)
    story_threshold: float = _field(
        0.5, "Probability at or above which a document joins a story, as the trained story "
        "model (rashomon/data/story_model.json) weighs its signals: embedding, key terms, "
        "names, years, numbers; publication dates over 90 days apart never join.",
        minimum=0.0, maximum=1.0)
    alias_file: str = _field(
        "", "CSV or YAML file of entity aliases that force merges and splits (empty: none).")
    variant_threshold: float = _field(
        0.75, "Embedding similarity above which two quotes of different outlets are paired as "
        "one utterance.", minimum=0.0, maximum=1.0)
    allow_private_urls: bool = _field(
        False, "Let `rashomon serve` fetch URLs whose host is a loopback, private, "
        "link-local, multicast or reserved address.")


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name, f.default, f.metadata["help"], f.metadata["minimum"], f.metadata["maximum"])
    for f in dataclasses.fields(Settings)
)
_TYPES: dict[str, type] = {s.name: type(s.default) for s in SETTINGS}


def _checked(setting: Setting, value: Any) -> Any:
    """`value` as the setting's type, or a ConfigError naming the setting and what it accepts."""
    expected = _TYPES[setting.name]
    # bool is an int to Python; a setting of either kind takes only its own
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
        raise ConfigError(f"setting {setting.name} must be {expected.__name__}, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"setting {setting.name} must be a finite number, got {value!r}")
    low, high = setting.minimum, setting.maximum
    if isinstance(value, (int, float)) and not isinstance(value, bool) and (
        (low is not None and value < low) or (high is not None and value > high)
    ):
        accepted = (f"from {low:g} to {high:g}" if low is not None and high is not None
                    else f"at least {low:g}" if low is not None else f"at most {high:g}")
        raise ConfigError(f"setting {setting.name} must be {accepted}, got {value!r}")
    return value


def _check_alias_file(path: str) -> None:
    """Read the alias file once now: a missing or malformed one is refused before any work."""
    from rashomon.entities import load_alias_file

    try:
        load_alias_file(path)
    except FileNotFoundError:
        raise ConfigError(f"setting alias_file: no such file {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"setting alias_file: cannot read {path} ({error})") from None
    except ValueError as error:
        raise ConfigError(f"setting alias_file: {error}") from None


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Defaults, then the TOML file at `path` (its ``[rashomon]`` table or top level), then
    overrides (None means not given).

    A settings file that is missing or not TOML is a `SettingsFileError`; an unknown setting,
    a value of the wrong type or out of range, or an unusable alias file is a `ConfigError`.
    """
    values: dict[str, Any] = {}
    if path is not None:
        import tomllib  # here: most commands are given no settings file

        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SettingsFileError(f"{path}: no such settings file") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsFileError(f"{path}: not a valid TOML file ({exc})") from None
        except OSError as exc:
            raise SettingsFileError(f"{path}: cannot read it ({exc.strerror})") from None
        table = data.get("rashomon", data)
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [rashomon] must be a table of settings")
        values.update(table)
    values.update({k: v for k, v in overrides.items() if v is not None})
    known = {s.name: s for s in SETTINGS}
    for name, value in values.items():
        if name not in known:
            raise ConfigError(
                f"unknown setting {name!r}; known settings: {', '.join(sorted(known))}")
        values[name] = _checked(known[name], value)
    if values.get("alias_file"):
        _check_alias_file(values["alias_file"])
    return Settings(**values)


# `$RASHOMON_EMBED_RUNTIME`: "onnx" (ONNX Runtime on a local export of the packaged weights,
# `rashomon.embed_onnx`) or "torch" (sentence-transformers). Both give the same vectors
# within ~3e-7; ONNX Runtime is faster. A setting of the environment, checked here with the
# others (`rashomon.embed` runs it): checking it must not load the embedding code and numpy
# into a process that only reads stories.
EMBED_RUNTIMES = ("onnx", "torch")
DEFAULT_EMBED_RUNTIME = "onnx"


def embed_runtime() -> str:
    """The runtime `$RASHOMON_EMBED_RUNTIME` names (default: onnx); a `ConfigError` naming the
    accepted ones for any other (the CLI checks it with the settings: one line, exit 2)."""
    chosen = os.environ.get("RASHOMON_EMBED_RUNTIME", "").strip().lower() or DEFAULT_EMBED_RUNTIME
    if chosen not in EMBED_RUNTIMES:
        raise ConfigError(f"RASHOMON_EMBED_RUNTIME must be one of {', '.join(EMBED_RUNTIMES)}, "
                          f"got {chosen!r}")
    return chosen
