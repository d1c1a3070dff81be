"""Plain text to a `RawDocument`: the text as it was read, with its metadata.

The text is not touched beyond decoding (a byte-order mark is already gone): clean/ maps every
offset of the cleaned text back to this raw text, so it must stay what the input held.
"""

from __future__ import annotations

from rashomon.errors import InputError
from rashomon.ingest.metadata import Metadata
from rashomon.model import RawDocument

__all__ = ["text_document"]


def text_document(
    source: str, text: str, *, meta: Metadata, source_key: str, empty: str = "empty file"
) -> RawDocument:
    """A raw document of `text`; raises `InputError` with reason `empty` when it is blank."""
    if not text.strip():
        raise InputError(source, empty)
    return RawDocument(
        source=source,
        source_key=source_key,
        text=text,
        url=meta.url,
        title=meta.title,
        outlet=meta.outlet,
        published=meta.published,
        author=meta.author,
    )
