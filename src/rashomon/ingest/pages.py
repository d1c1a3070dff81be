"""A fetched response to an article: what it is (page, text or feed), and its text.

The Content-Type decides; the body is only sniffed when the server sent no type or a generic
one (``application/octet-stream``, or plain XML that may or may not be a feed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rashomon.errors import FetchError
from rashomon.ingest.content import (
    Decoded,
    Kind,
    check_document_size,
    declared_html_charset,
    decode_bytes,
    sniff_kind,
)
from rashomon.ingest.fetch import Response
from rashomon.ingest.html import extract_article
from rashomon.ingest.metadata import Metadata
from rashomon.ingest.text import text_document
from rashomon.model import RawDocument

if TYPE_CHECKING:
    from rashomon.settings import Settings

__all__ = ["page_document", "response_kind"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_XML_TYPES = frozenset({"application/xml", "text/xml"})
_UNTYPED = frozenset({"", "application/octet-stream"})


def _decoded(response: Response, source: str) -> Decoded:
    declared = response.charset
    if declared is None and response.content_type in _HTML_TYPES | _UNTYPED:
        declared = declared_html_charset(response.body)
    return decode_bytes(source, response.body, declared=declared, noun="response")


def response_kind(response: Response, source: str) -> Kind:
    """Whether `response` is a page, plain text or a feed; raises `FetchError` for other types."""
    media = response.content_type
    if media in _HTML_TYPES:
        return "html"
    if media == "text/plain":
        return "text"
    if media in _FEED_TYPES:
        return "feed"
    if media in _XML_TYPES | _UNTYPED:
        kind = sniff_kind(_decoded(response, source).text)
        if media in _XML_TYPES and kind != "feed":
            raise FetchError(source, f"{media} that is not an RSS/Atom feed")
        return kind
    raise FetchError(
        source, f"unsupported content type {media} (expected HTML, plain text or an RSS/Atom feed)"
    )


def page_document(
    response: Response, kind: Kind, settings: Settings, *, source: str, source_key: str,
    meta: Metadata,
) -> RawDocument:
    """The article of a page (`kind` ``"html"``) or plain-text (``"text"``) response.

    `meta` is what is known already (a feed entry's title and date, say); it wins over what the
    page's markup says. The URL is the one the body came from, after redirects.
    """
    check_document_size(source, len(response.body), settings.max_document_bytes)
    meta = meta.or_else(Metadata(url=response.url))
    decoded = _decoded(response, source)
    if kind == "text":
        return text_document(source, decoded.text, meta=meta, source_key=source_key,
                             empty="empty page", encoding=decoded.encoding)
    extracted = extract_article(source, decoded.text, url=response.url)
    return text_document(
        source, extracted.text, meta=meta.or_else(extracted.meta), source_key=source_key,
        encoding=decoded.encoding,
    )
