"""RSS and Atom feeds, with feedparser: one article per entry.

An entry that carries the full article (``content:encoded`` or Atom ``content`` of at least
`FULL_TEXT_MIN_WORDS` words) is taken as it is; any other entry's link is fetched and its page
extracted, since a summary is a teaser, not the article. The feed's title is every entry's
outlet. Entry N is named ``FEED#N`` (or by its link when the link was fetched); an entry that
fails is reported on its own and the other entries still come through.

The feed is parsed from bytes in memory: feedparser is never given a URL or a path, so it
fetches nothing itself, and it does not load external XML entities.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from rashomon.errors import FetchError, InputError
from rashomon.ingest.content import check_document_size
from rashomon.ingest.fetch import fetch
from rashomon.ingest.html import extract_article
from rashomon.ingest.metadata import (
    Metadata,
    clean_string,
    is_http_url,
    normalise_date,
    normalise_url,
    record_source_key,
)
from rashomon.ingest.pages import page_document, response_kind
from rashomon.ingest.results import Item
from rashomon.ingest.text import text_document, valid_text
from rashomon.model import RawDocument

if TYPE_CHECKING:
    from rashomon.settings import Settings

__all__ = ["FULL_TEXT_MIN_WORDS", "iter_feed"]

# Below this an entry's content is a summary or a teaser; a news article runs to hundreds.
FULL_TEXT_MIN_WORDS = 80


def _parse(source: str, data: bytes, headers: Mapping[str, str]) -> Any:
    """The parsed feed; raises `InputError` when `data` is not a feed with entries."""
    # Imported here, as only feeds need it; it ships no type information.
    import feedparser  # type: ignore[import-untyped]

    try:
        # A stream, never bytes or str: feedparser tries either as a path to open (and a str
        # as a URL to fetch) before it reads it as a feed.
        parsed = feedparser.parse(
            io.BytesIO(data), response_headers=dict(headers), resolve_relative_uris=True,
            sanitize_html=True,
        )
    # feedparser's loose parser raises assorted errors on some garbage; whichever it is,
    # this is not a feed we can read.
    except Exception as exc:  # noqa: BLE001
        raise InputError(source, f"not a valid RSS/Atom feed ({type(exc).__name__})") from None
    if parsed.get("entries"):
        return parsed
    # an empty or unreadable input leaves out even the keys a parse normally sets
    if parsed.get("bozo") or not parsed.get("version"):
        raise InputError(source, "not a valid RSS/Atom feed")
    raise InputError(source, "feed has no entries")


def _entry_date(entry: Mapping[str, Any]) -> str | None:
    """The entry's date as written; feedparser's parsed form (in UTC) only as a fallback."""
    for key in ("published", "updated"):
        date = normalise_date(entry.get(key))
        if date:
            return date
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return time.strftime("%Y-%m-%d", parsed)
    return None


def _entry_meta(entry: Mapping[str, Any], outlet: str | None) -> Metadata:
    link = clean_string(entry.get("link"))
    return Metadata(
        title=clean_string(entry.get("title")),
        outlet=outlet,
        published=_entry_date(entry),
        url=link if link and is_http_url(link) else None,
        author=clean_string(entry.get("author")),
    )


def _full_text(entry: Mapping[str, Any], source: str, max_bytes: int) -> str | None:
    """The entry's article text when the feed carries it whole, else None."""
    for content in entry.get("content") or ():
        value = valid_text(content.get("value") or "")
        check_document_size(source, len(value.encode("utf-8")), max_bytes)
        if content.get("type") == "text/plain":
            text = value
        else:
            # trafilatura reads pages: a lone <p> parses as a root with no children, no text.
            page = f"<html><body>{value}</body></html>"
            try:
                text = extract_article(source, page).text
            except InputError:
                continue
        if len(text.split()) >= FULL_TEXT_MIN_WORDS:
            return text
    return None


def _linked_document(link: str, meta: Metadata, settings: Settings) -> RawDocument:
    """The article at the entry's `link`, fetched; the entry's metadata wins over the page's."""
    response = fetch(link, settings)
    kind = response_kind(response, link)
    if kind == "feed":
        raise FetchError(link, "the entry links to a feed, not an article")
    return page_document(
        response, kind, settings, source=link, source_key=normalise_url(link), meta=meta
    )


def _entry_document(
    entry: Mapping[str, Any], source: str, fallback_key: str, outlet: str | None,
    settings: Settings, encoding: str | None,
) -> RawDocument:
    meta = _entry_meta(entry, outlet)
    text = _full_text(entry, source, settings.max_document_bytes)
    if text is not None:
        key = record_source_key(meta, fallback_key)
        return text_document(source, text, meta=meta, source_key=key, encoding=encoding)
    if meta.url is None:
        raise InputError(source, "entry has no full text and no http(s) link to fetch")
    return _linked_document(meta.url, meta, settings)


def iter_feed(
    source: str, data: bytes, settings: Settings, *, fallback_key: str,
    headers: Mapping[str, str] | None = None,
) -> Iterator[Item]:
    """The articles of the feed `data`, at most `settings.max_feed_entries` of them.

    `fallback_key` is the feed's own key (its URL or resolved path): entry N without a link or
    a title gets ``fallback_key#N``. `headers` are the HTTP headers the feed came with, if any
    (feedparser reads the charset and the base URL of relative links from them).
    """
    parsed = _parse(source, data, headers or {})
    outlet = clean_string(parsed.feed.get("title"))
    encoding = clean_string(parsed.get("encoding"))
    for number, entry in enumerate(parsed.entries[: settings.max_feed_entries], start=1):
        entry_source = f"{source}#{number}"
        try:
            yield _entry_document(
                entry, entry_source, f"{fallback_key}#{number}", outlet, settings, encoding
            )
        except InputError as error:
            yield error
