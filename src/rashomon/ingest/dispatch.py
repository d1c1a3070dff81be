"""What each input is (standard input, a URL, a file or a directory) and who reads it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import partial
from typing import IO, TYPE_CHECKING, Any

from rashomon.errors import InputError
from rashomon.ingest.content import (
    Decoded,
    check_document_size,
    declared_html_charset,
    decode_bytes,
    sniff_kind,
)
from rashomon.ingest.feeds import iter_feed
from rashomon.ingest.html import extract_article
from rashomon.ingest.metadata import (
    Metadata,
    is_http_url,
    normalise_date,
    record_source_key,
)
from rashomon.ingest.paths import iter_path
from rashomon.ingest.results import Item, guarded
from rashomon.ingest.text import text_document
from rashomon.ingest.web import iter_url
from rashomon.model import RawDocument

if TYPE_CHECKING:
    from rashomon.settings import Settings

__all__ = ["iter_raw"]

STDIN = "-"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _read_stdin(stdin: IO[Any], max_bytes: int) -> bytes:
    """Standard input's bytes, refusing more than `max_bytes` without reading them all."""
    # Bytes keep the charset a feed or page declares meaningful; text streams are re-encoded.
    stream = getattr(stdin, "buffer", stdin)
    data = stream.read(max_bytes + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    check_document_size(STDIN, len(data), max_bytes, size_known=False)
    return bytes(data)


def _stdin_key(meta: Metadata) -> str:
    """Standard input has no path or URL: it is known by outlet and title, else as "stdin".

    The outlet goes into the fallback too, so that the same text piped in for two outlets
    stays two documents.
    """
    fallback = f"stdin|{meta.outlet}" if meta.outlet else "stdin"
    return record_source_key(Metadata(outlet=meta.outlet, title=meta.title), fallback)


def _stdin_html(html: Decoded, defaults: Metadata) -> RawDocument:
    extracted = extract_article(STDIN, html.text)
    meta = extracted.meta.or_else(defaults)
    return text_document(STDIN, extracted.text, meta=meta, source_key=_stdin_key(meta),
                         encoding=html.encoding)


def _iter_stdin(stdin: IO[Any] | None, settings: Settings, defaults: Metadata) -> Iterator[Item]:
    """The article (or feed) on standard input: plain text, HTML, or a feed, by its content."""
    if stdin is None:
        raise InputError(STDIN, "standard input is not available")
    data = _read_stdin(stdin, settings.max_document_bytes)
    decoded = decode_bytes(STDIN, data, declared=declared_html_charset(data), noun="input")
    kind = sniff_kind(decoded.text)
    if kind == "feed":
        yield from iter_feed(STDIN, data, settings, fallback_key=_stdin_key(defaults))
    elif kind == "html":
        yield _stdin_html(decoded, defaults)
    else:
        key = _stdin_key(defaults)
        yield text_document(STDIN, decoded.text, meta=defaults, source_key=key,
                            empty="empty input", encoding=decoded.encoding)


def _iter_input(
    item: str, settings: Settings, defaults: Metadata, stdin: IO[Any] | None
) -> Iterator[Item]:
    if item == STDIN:
        yield from _iter_stdin(stdin, settings, defaults)
    elif is_http_url(item):
        yield from iter_url(item.strip(), settings)
    elif _SCHEME.match(item):
        raise InputError(item, "only http and https URLs can be read")
    else:
        yield from iter_path(item, settings, defaults)


def iter_raw(
    inputs: Sequence[str],
    settings: Settings,
    *,
    outlet: str | None = None,
    published: str | None = None,
    stdin: IO[Any] | None = None,
) -> Iterator[RawDocument | InputError]:
    """Read every input: yield a `RawDocument` per article, an `InputError` per failure.

    An input is a path to a file (text, HTML, JSON, JSON Lines, RSS/Atom) or a directory (read
    recursively), an http(s) URL (a page, a text or a feed), or ``-`` for `stdin`. Nothing is
    raised for a bad input: its error is yielded and the next input is read. `outlet` and
    `published` (YYYY-MM-DD) apply to plain text and standard input that do not give their own.
    `settings` is what `rashomon.settings.load_settings` returns.
    """
    defaults = Metadata(outlet=outlet, published=normalise_date(published))
    if published and defaults.published is None:
        raise ValueError(f"published {published!r} is not a date (YYYY-MM-DD)")
    for item in inputs:
        yield from guarded(partial(_iter_input, item, settings, defaults, stdin))
