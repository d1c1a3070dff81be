"""http(s) URLs: a page, a plain text, or a feed whose entries become articles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rashomon.ingest.feeds import iter_feed
from rashomon.ingest.fetch import Response, fetch
from rashomon.ingest.metadata import Metadata, normalise_url
from rashomon.ingest.pages import page_document, response_kind
from rashomon.ingest.results import Item

if TYPE_CHECKING:
    from rashomon.settings import Settings

__all__ = ["iter_url"]


def _feed_headers(response: Response) -> dict[str, str]:
    """The headers feedparser reads: the charset, and the base URL of relative links."""
    headers = {"content-location": response.url}
    if response.content_type:
        charset = f"; charset={response.charset}" if response.charset else ""
        headers["content-type"] = response.content_type + charset
    return headers


def iter_url(url: str, settings: Settings) -> Iterator[Item]:
    """The article at `url`, or the articles of the feed at `url`.

    The source key is the URL as given, normalised, so that fetching it again finds the same
    source even when the server redirects somewhere else this time.
    """
    response = fetch(url, settings)
    kind = response_kind(response, url)
    key = normalise_url(url)
    if kind == "feed":
        yield from iter_feed(url, response.body, settings, fallback_key=key,
                             headers=_feed_headers(response))
        return
    yield page_document(response, kind, settings, source=url, source_key=key, meta=Metadata())
