"""Bytes to text: the size cap, the binary check, decoding, and telling HTML and feeds apart.

Decoding tries, in order: a byte-order mark, the charset the source declared (HTTP header or
HTML ``<meta charset>``), UTF-8, then charset-normalizer's detection. Text that none of them
reads is refused rather than decoded with replacement characters: an article with mangled
letters would give wrong names and quotes further down the pipeline.
"""

from __future__ import annotations

import codecs
import re
from typing import Literal

from rashomon.errors import InputError

__all__ = [
    "Kind",
    "check_document_size",
    "declared_html_charset",
    "decode_bytes",
    "format_size",
    "sniff_kind",
]

# Where the binary check and the sniffers look: the head of a document says what it is.
_HEAD_BYTES = 8192
_HEAD_CHARS = 4096
# Share of control bytes above which a file is binary. Text has almost none outside
# tab, newline, carriage return and form feed; a few stray ones come from old word processors.
_MAX_CONTROL_SHARE = 0.1
_CONTROL_BYTES = frozenset(range(0x09)) | frozenset(range(0x0E, 0x20)) | {0x7F}

# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# When detection ties between single-byte code pages (a short Latin-1 text reads the same in
# cp1250, cp1252 and cp1257), prefer the one English-language news is written in.
_PREFERRED_ON_TIE = ("cp1252", "latin_1", "iso8859_15")

_HTML_MARKER = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|main|div|p|h1|h2|title|meta)\b", re.IGNORECASE
)
_FEED_MARKER = re.compile(r"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)


def format_size(size: int) -> str:
    """A byte count for people: ``512 bytes``, ``12.5 kB``, ``3.1 MB``."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.1f} MB"


def check_document_size(source: str, size: int, limit: int, *, size_known: bool = True) -> None:
    """Refuse a document larger than `limit` (the ``max_document_bytes`` setting).

    `size_known` is False when reading stopped past the cap (a stream has no size to ask
    for), so that the message does not state a size that is only where reading stopped.
    """
    if size > limit:
        stated = format_size(size) if size_known else "the input"
        raise InputError(
            source,
            f"{stated} is over the {format_size(limit)} document size cap (max_document_bytes)",
        )


def _is_binary(data: bytes) -> bool:
    head = data[:_HEAD_BYTES]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
    return controls > _MAX_CONTROL_SHARE * len(head)


def _decode_by_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode_declared(data: bytes, charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        # A wrong or unknown declaration is common on the web; detection gets the next try.
        return None


def _decode_detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    for preferred in _PREFERRED_ON_TIE:
        for match in tied:
            if match.encoding == preferred:
                return str(match)
    return str(best)


def decode_bytes(
    source: str, data: bytes, *, declared: str | None = None, noun: str = "file"
) -> str:
    """The text of `data`; raises `InputError` for binary or undecodable bytes.

    A byte-order mark is dropped. `declared` is the charset the source named, if any; `noun`
    says what the bytes are in the error message ("file", "input", "response").
    """
    text = _decode_by_bom(data)
    if text is not None:
        return text
    if _is_binary(data):
        raise InputError(source, f"binary {noun}, not text")
    text = _decode_declared(data, declared)
    if text is None:
        text = _decode_declared(data, "utf-8")
    if text is None:
        text = _decode_detected(data)
    if text is None:
        raise InputError(source, "cannot decode text (tried UTF-8 and detection)")
    return text


def declared_html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its top, if any."""
    match = _META_CHARSET.search(data[:_HEAD_BYTES])
    return match.group(1).decode("ascii") if match else None


def _looks_like_html(text: str) -> bool:
    """Whether `text` is HTML: it opens with a tag and has the tags of a page near the top."""
    head = text[:_HEAD_CHARS].lstrip()
    return head.startswith("<") and _HTML_MARKER.search(head) is not None


def _looks_like_feed(text: str) -> bool:
    """Whether `text` is an RSS or Atom feed: markup with a feed's root element near the top."""
    head = text[:_HEAD_CHARS].lstrip()
    return head.startswith("<") and _FEED_MARKER.search(head) is not None


Kind = Literal["feed", "html", "text"]


def sniff_kind(text: str) -> Kind:
    """What a text of unknown type is: ``"feed"``, ``"html"`` or ``"text"``.

    A feed is checked first: its markup also has ``<title>`` tags, which look like a page's.
    """
    if _looks_like_feed(text):
        return "feed"
    if _looks_like_html(text):
        return "html"
    return "text"
