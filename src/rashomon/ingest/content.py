"""Bytes to text: the size cap, the binary check, decoding, and telling HTML and feeds apart.

A file in a format that is not text (PDF, zip and the office formats built on it, images,
compressed files...) is recognised by its signature, whatever its bytes look like: a PDF can
be all ASCII, and must not become an article titled ``1 0 obj << /Type /Catalog``.

Decoding tries, in order: a byte-order mark, the charset the source declared (HTTP header or
HTML ``<meta charset>``), UTF-8, then charset-normalizer's detection. UTF-8 with a few invalid
bytes among valid multi-byte sequences is UTF-8 with damage, not another code page: the bad
bytes become U+FFFD and a warning names the input and the count. Re-guessing it as a code page
would mangle every quote mark and accented name of the article. A guess is made only when UTF-8
fails broadly (no valid multi-byte sequence, or more invalid bytes than valid sequences); text
that no guess reads either is refused.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from typing import Literal

from rashomon.errors import InputError

__all__ = [
    "Decoded",
    "Kind",
    "check_document_size",
    "declared_html_charset",
    "decode_bytes",
    "format_signature",
    "format_size",
    "sniff_kind",
]

_log = logging.getLogger("rashomon.ingest")

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

# Signatures of formats that are not text, at the very start of the bytes. A PDF may have a
# few bytes before its header; other formats start at byte 0.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (or a .docx, .odt, .epub built on one)"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP, WAV, AVI)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 media file"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 media file"),
    (b"wOFF", "a web font"),
)
# How far into the bytes a PDF header may sit (readers allow junk before it).
_PDF_HEADER_WITHIN = 1024
# Bytes with valid UTF-8 multi-byte sequences stay UTF-8 when their invalid sequences number at
# most this many, or no more than the valid ones: a code page's text has (almost) no valid ones.
_FEW_INVALID_BYTES = 3

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


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded bytes: the text, the encoding it was read with, and bytes that were invalid."""

    text: str
    encoding: str
    replaced: int = 0


def format_signature(data: bytes) -> str | None:
    """What non-text format `data` is by its signature (``"a PDF document"``), or None.

    Whitespace and a UTF-8 byte-order mark before the signature are skipped: a text field that
    holds a PDF's bytes decoded as text starts with them just the same.
    """
    head = data[:_PDF_HEADER_WITHIN].removeprefix(codecs.BOM_UTF8)
    stripped = head.lstrip(b" \t\r\n")
    for signature, name in _SIGNATURES:
        if stripped.startswith(signature):
            # "MZ", "BZh", "ID3", "RIFF", "GIF89a" can open a line of text too ("MZ Kowalski
            # said..."): such a signature counts only with binary bytes after it.
            if signature.isalnum() and not _is_binary(stripped[:64]):
                continue
            return name
    if b"%PDF-" in head:
        return "a PDF document"
    return None


def _is_binary(data: bytes) -> bool:
    head = data[:_HEAD_BYTES]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
    return controls > _MAX_CONTROL_SHARE * len(head)


def _decode_by_bom(data: bytes) -> Decoded | None:
    """The text after a byte-order mark, in the encoding the mark names; None without one, or
    when the bytes do not read in it (a UTF-8 mark with a few bad bytes still reads as UTF-8)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(encoding), encoding)
            except UnicodeDecodeError:
                return _decode_damaged_utf8(data[len(bom) :]) if encoding == "utf-8" else None
    return None


def _decode_declared(data: bytes, charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        # A wrong or unknown declaration is common on the web; detection gets the next try.
        return None


def _decode_detected(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    for preferred in _PREFERRED_ON_TIE:
        for match in tied:
            if match.encoding == preferred:
                return Decoded(str(match), match.encoding)
    return Decoded(str(best), best.encoding)


def _is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False


def _decode_damaged_utf8(data: bytes) -> Decoded | None:
    """`data` as UTF-8 with its few invalid bytes replaced, or None when it is not UTF-8.

    Counts invalid sequences (each becomes one U+FFFD) against valid multi-byte ones: a text in
    a single-byte code page has no valid multi-byte sequence, or far fewer than invalid bytes.
    """
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    if replaced == 0:
        return Decoded(text, "utf-8")
    valid_multibyte = sum(1 for char in text if char > "\x7f") - text.count("\ufffd")
    if valid_multibyte == 0 or (replaced > _FEW_INVALID_BYTES and replaced > valid_multibyte):
        return None
    return Decoded(text, "utf-8", replaced)


def decode_bytes(
    source: str, data: bytes, *, declared: str | None = None, noun: str = "file"
) -> Decoded:
    """The text of `data`; raises `InputError` for binary or undecodable bytes.

    A byte-order mark is dropped. `declared` is the charset the source named, if any; `noun`
    says what the bytes are in the error message ("file", "input", "response"). Invalid bytes
    in UTF-8 are replaced and logged as a warning naming `source` and their count.
    """
    signature = format_signature(data)
    if signature is not None:
        raise InputError(source, f"{signature}, not text")
    decoded = _decode(source, data, declared, noun)
    if decoded.replaced:
        _log.warning("%s: %d invalid UTF-8 byte sequence%s replaced with U+FFFD", source,
                     decoded.replaced, "" if decoded.replaced == 1 else "s")
    return decoded


def _decode(source: str, data: bytes, declared: str | None, noun: str) -> Decoded:
    by_bom = _decode_by_bom(data)
    if by_bom is not None:
        return by_bom
    if _is_binary(data):
        raise InputError(source, f"binary {noun}, not text")
    if declared and not _is_utf8(declared):
        text = _decode_declared(data, declared)
        if text is not None:
            return Decoded(text, codecs.lookup(declared).name)
    text = _decode_declared(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    damaged = _decode_damaged_utf8(data)
    if damaged is not None:
        return damaged
    detected = _decode_detected(data)
    if detected is None:
        raise InputError(source, "cannot decode text (tried UTF-8 and detection)")
    return detected


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
