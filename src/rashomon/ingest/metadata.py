"""Metadata that comes with an article: dates, URLs, source keys, and sidecar files.

Dates are kept only when they are unambiguous (ISO 8601 or the RFC 2822 form feeds use):
``03/04/2025`` could be March or April, and a wrong date puts an article on the wrong day of
a story's timeline, so such a value is dropped rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from rashomon.errors import InputError

__all__ = [
    "Metadata",
    "SIDECAR_SUFFIX",
    "clean_string",
    "is_http_url",
    "json_error_reason",
    "normalise_date",
    "normalise_url",
    "read_sidecar",
    "record_source_key",
    "url_source_key",
]

SIDECAR_SUFFIX = ".meta.json"
_SIDECAR_KEYS = ("author", "outlet", "published", "title", "url")


def clean_string(value: object) -> str | None:
    """`value` stripped when it is a non-blank string, else None."""
    return (value.strip() or None) if isinstance(value, str) else None


def is_http_url(value: str) -> bool:
    """Whether `value` is an absolute http or https URL."""
    parts = urlsplit(value.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def normalise_url(url: str) -> str:
    """`url` with scheme and host in lower case and no fragment, as a source key.

    The fragment names a place in the page, not another page; scheme and host are case-blind.
    The path and query are kept as they are: servers may treat their case as meaningful.
    """
    parts = urlsplit(url.strip())
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = f"{userinfo}{at}{hostport.lower()}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))


def normalise_date(value: object) -> str | None:
    """`value` as YYYY-MM-DD when it is an ISO 8601 or RFC 2822 date or datetime, else None.

    A datetime keeps the calendar date it was written with: converting to UTC could move an
    evening article to the next day.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


@dataclass(frozen=True, slots=True)
class Metadata:
    """What is known about an article besides its text; None where nothing is known."""

    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD
    url: str | None = None
    author: str | None = None

    def or_else(self, fallback: Metadata) -> Metadata:
        """These values, with the gaps filled from `fallback`."""
        return Metadata(
            title=self.title or fallback.title,
            outlet=self.outlet or fallback.outlet,
            published=self.published or fallback.published,
            url=self.url or fallback.url,
            author=self.author or fallback.author,
        )


def url_source_key(meta: Metadata, fallback: str) -> str:
    """The source key of a single article: its URL when it has one, else `fallback`."""
    if meta.url:
        return normalise_url(meta.url) if is_http_url(meta.url) else meta.url.strip()
    return fallback


def record_source_key(meta: Metadata, fallback: str) -> str:
    """The source key of a record, feed entry or standard input.

    Its URL, else ``outlet|title``, else `fallback`: a record names its outlet and title, and
    the same article exported twice should keep its id even when the export file moves.
    """
    if meta.url or not (meta.outlet and meta.title):
        return url_source_key(meta, fallback)
    return f"{meta.outlet}|{meta.title}"


def _sidecar_path(path: Path) -> Path:
    """Where the sidecar of `path` would be: ``notes.txt`` -> ``notes.meta.json``."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def json_error_reason(exc: json.JSONDecodeError, *, one_line: bool = False) -> str:
    """``not valid JSON (what, where)``; a JSON Lines record is one line, so only the column."""
    # Some of json's messages end in "at", made to be followed by the position.
    what = exc.msg.removesuffix(" at")
    where = f"column {exc.colno}" if one_line else f"line {exc.lineno} column {exc.colno}"
    return f"not valid JSON ({what}, {where})"


def read_sidecar(path: Path, source: str) -> Metadata:
    """The sidecar of the article at `path`, or an empty one when there is none.

    A sidecar is written by hand for one article, so a mistake in it (bad JSON, an unknown key,
    a date that is not a date) is reported instead of being ignored: ignoring it would file the
    article under the wrong outlet or day without a word.
    """
    meta_path = _sidecar_path(path)
    meta_source = str(Path(source).with_name(meta_path.name))
    try:
        raw = meta_path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Metadata()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(meta_source, f"cannot read sidecar metadata ({exc})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(meta_source, json_error_reason(exc)) from None
    return _sidecar_from_json(data, meta_source)


def _sidecar_from_json(data: object, meta_source: str) -> Metadata:
    if not isinstance(data, dict):
        raise InputError(meta_source, "sidecar metadata must be a JSON object")
    unknown = sorted(set(data) - set(_SIDECAR_KEYS))
    if unknown:
        raise InputError(
            meta_source,
            f"unknown key {unknown[0]!r}; known keys: {', '.join(_SIDECAR_KEYS)}",
        )
    values: dict[str, str | None] = {}
    for key in _SIDECAR_KEYS:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(meta_source, f"{key} must be a string")
        values[key] = clean_string(value)
    published = values["published"]
    if published is not None and normalise_date(published) is None:
        raise InputError(meta_source, f"published {published!r} is not a date (YYYY-MM-DD)")
    url = values["url"]
    if url is not None and not is_http_url(url):
        raise InputError(meta_source, f"url {url!r} is not an http(s) URL")
    return Metadata(
        title=values["title"],
        outlet=values["outlet"],
        published=normalise_date(published),
        url=url,
        author=values["author"],
    )
