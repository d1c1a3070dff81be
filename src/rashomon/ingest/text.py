"""Plain text to a `RawDocument`: the text as it was read, with its metadata.

The text is not touched beyond decoding (a byte-order mark is already gone): clean/ maps every
offset of the cleaned text back to this raw text, so it must stay what the input held.

One rule holds for every string that enters from outside (a file, a record's fields, a feed, a
page, the API): it is made valid Unicode here, by `valid_text`, before any stage sees it. A
Python string can hold lone surrogates (JSON's ``"\\ud800"``, a file name in an unknown
encoding), which no later stage can encode: the tokenizers, spaCy's string store and SQLite all
fail on them. Each is replaced by U+FFFD, one for one, so that every offset stays where it was.
"""

from __future__ import annotations

import logging
import re

from rashomon.errors import InputError
from rashomon.ingest.content import format_signature
from rashomon.ingest.metadata import Metadata
from rashomon.model import RawDocument

__all__ = ["text_document", "valid_text"]

_log = logging.getLogger("rashomon.ingest")
# Code points a string can hold but no Unicode encoding can write: the surrogates, which only
# stand for a character in pairs inside UTF-16, never on their own in text.
_UNENCODABLE = re.compile("[\ud800-\udfff]")
# How far into a text a format's signature is looked for (a PDF's header may come late).
_SIGNATURE_CHARS = 1024


def valid_text(value: str) -> str:
    """`value` with every code point that cannot be encoded replaced by U+FFFD, one for one."""
    if value.isascii():
        return value
    return _UNENCODABLE.sub("\ufffd", value)


def _valid_or_none(value: str | None) -> str | None:
    return valid_text(value) if value is not None else None


def _unencodable_count(value: str) -> int:
    return 0 if value.isascii() else len(_UNENCODABLE.findall(value))


def text_document(
    source: str, text: str, *, meta: Metadata, source_key: str, empty: str = "empty file",
    encoding: str | None = None,
) -> RawDocument:
    """A raw document of `text`, every string made valid Unicode (`valid_text`).

    Raises `InputError` with reason `empty` when the text is blank, and when it is the content
    of a file in another format (a PDF's ``%PDF-1.7 ...`` in a record's text field). `encoding`
    is the one the bytes were decoded with, when the text came from bytes.
    """
    if not text.strip():
        raise InputError(valid_text(source), empty)
    signature = format_signature(text[:_SIGNATURE_CHARS].encode("utf-8", "replace"))
    if signature is not None:
        raise InputError(valid_text(source), f"{signature}, not text")
    unencodable = _unencodable_count(text)
    if unencodable:
        _log.warning("%s: %d code point%s that are not valid Unicode replaced with U+FFFD",
                     valid_text(source), unencodable, "" if unencodable == 1 else "s")
    return RawDocument(
        source=valid_text(source),
        source_key=valid_text(source_key),
        text=valid_text(text),
        url=_valid_or_none(meta.url),
        title=_valid_or_none(meta.title),
        outlet=_valid_or_none(meta.outlet),
        published=_valid_or_none(meta.published),
        author=_valid_or_none(meta.author),
        encoding=encoding,
    )
