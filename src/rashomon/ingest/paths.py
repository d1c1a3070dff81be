"""Files and directories: which reader takes a file, and the walk through a directory.

A file's extension decides its reader; a file with another extension is read as a document
and sniffed (feed, HTML, or plain text). A directory is walked recursively for the extensions
in `WALKED_SUFFIXES`, in sorted order so that two runs read the same files in the same order;
hidden files and directories, sidecar ``*.meta.json`` files and READMEs are left out.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

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
    SIDECAR_SUFFIX,
    Metadata,
    read_sidecar,
    url_source_key,
)
from rashomon.ingest.records import iter_json_file, iter_jsonl_file
from rashomon.ingest.results import Item, guarded
from rashomon.ingest.text import text_document
from rashomon.model import RawDocument

if TYPE_CHECKING:
    from rashomon.settings import Settings

__all__ = ["WALKED_SUFFIXES", "iter_path"]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
WALKED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES
# A README in a folder of articles describes the folder; it is read only when named on its own.
_FOLDER_NOTES = frozenset({"readme"})


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "permission denied"
    return (error.strerror or str(error)).lower()


def _read_bytes(path: Path, source: str, max_bytes: int | None) -> bytes:
    """The file's bytes; a document over `max_bytes` is refused before it is read."""
    if max_bytes is not None:
        check_document_size(source, path.stat().st_size, max_bytes)
    return path.read_bytes()


def _plain_document(
    path: Path, source: str, decoded: Decoded, defaults: Metadata
) -> RawDocument:
    """A plain-text article; its sidecar wins over the command line's outlet and date."""
    sidecar = read_sidecar(path, source)
    key = url_source_key(sidecar, str(path.resolve()))
    return text_document(source, decoded.text, meta=sidecar.or_else(defaults), source_key=key,
                         encoding=decoded.encoding)


def _text_file(path: Path, source: str, settings: Settings, defaults: Metadata) -> RawDocument:
    decoded = decode_bytes(source, _read_bytes(path, source, settings.max_document_bytes))
    return _plain_document(path, source, decoded, defaults)


def _html_document(
    source: str, html: Decoded, *, stated: Metadata, fallback_key: str
) -> RawDocument:
    """An article from local HTML. `stated` is what the user said about it (a sidecar).

    The source key comes from what the user stated, never from the page's markup: a site that
    gives every page its home page as canonical URL would make all its articles one source.
    """
    extracted = extract_article(source, html.text, url=stated.url)
    key = url_source_key(stated, fallback_key)
    return text_document(
        source, extracted.text, meta=stated.or_else(extracted.meta), source_key=key,
        encoding=html.encoding,
    )


def _html_file(path: Path, source: str, settings: Settings) -> RawDocument:
    data = _read_bytes(path, source, settings.max_document_bytes)
    html = decode_bytes(source, data, declared=declared_html_charset(data))
    return _html_document(
        source, html, stated=read_sidecar(path, source), fallback_key=str(path.resolve())
    )


def _sniffed_file(path: Path, source: str, settings: Settings, defaults: Metadata) -> Iterator[Item]:
    """A file of another extension: a feed, an HTML page, or plain text, by its content."""
    data = _read_bytes(path, source, settings.max_document_bytes)
    decoded = decode_bytes(source, data, declared=declared_html_charset(data))
    kind = sniff_kind(decoded.text)
    if kind == "feed":
        yield from iter_feed(source, data, settings, fallback_key=str(path.resolve()))
    elif kind == "html":
        yield _html_document(
            source, decoded, stated=read_sidecar(path, source), fallback_key=str(path.resolve())
        )
    else:
        yield _plain_document(path, source, decoded, defaults)


def _iter_file(path: Path, source: str, settings: Settings, defaults: Metadata) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if path.name.lower().endswith(SIDECAR_SUFFIX):
        raise InputError(source, "sidecar metadata, not an article (it is read with its article)")
    if suffix in TEXT_SUFFIXES:
        yield _text_file(path, source, settings, defaults)
    elif suffix in HTML_SUFFIXES:
        yield _html_file(path, source, settings)
    elif suffix in JSON_SUFFIXES:
        yield from iter_json_file(path, source, settings.max_document_bytes)
    elif suffix in JSONL_SUFFIXES:
        yield from iter_jsonl_file(path, source, settings.max_document_bytes)
    elif suffix in FEED_SUFFIXES:
        data = _read_bytes(path, source, None)
        yield from iter_feed(source, data, settings, fallback_key=str(path.resolve()))
    else:
        yield from _sniffed_file(path, source, settings, defaults)


def _read_file(path: Path, source: str, settings: Settings, defaults: Metadata) -> Iterator[Item]:
    """The articles of one file; a file that cannot be read is an `InputError`."""
    try:
        # A device or a pipe has no size to check against the cap, and /dev/zero never ends.
        if not path.is_file():
            raise InputError(source, "not a regular file")
        yield from _iter_file(path, source, settings, defaults)
    except OSError as error:
        raise InputError(source, _os_reason(error)) from None


def _walked(name: str) -> bool:
    """Whether a directory walk reads the file called `name`."""
    lowered = name.lower()
    if name.startswith(".") or lowered.endswith(SIDECAR_SUFFIX):
        return False
    as_path = Path(lowered)
    return as_path.suffix in WALKED_SUFFIXES and as_path.stem not in _FOLDER_NOTES


def _walk(directory: Path) -> tuple[list[Path], list[InputError]]:
    """The files to read under `directory`, relative and sorted, and the unreadable folders."""
    found: list[Path] = []
    unreadable: list[InputError] = []

    def note_unreadable(error: OSError) -> None:
        unreadable.append(InputError(str(error.filename), _os_reason(error)))

    for root, dirs, files in os.walk(directory, onerror=note_unreadable):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        found.extend(Path(root, name).relative_to(directory) for name in files if _walked(name))
    return sorted(found, key=lambda relative: relative.parts), unreadable


def _iter_directory(
    directory: Path, source: str, settings: Settings, defaults: Metadata
) -> Iterator[Item]:
    files, unreadable = _walk(directory)
    yield from unreadable
    if not files and not unreadable:
        suffixes = " ".join(sorted(WALKED_SUFFIXES))
        raise InputError(source, f"no files to read in directory (looked for {suffixes})")
    for relative in files:
        file_source = os.path.join(source, str(relative))
        read = partial(_read_file, directory / relative, file_source, settings, defaults)
        yield from guarded(read)


def iter_path(source: str, settings: Settings, defaults: Metadata) -> Iterator[Item]:
    """The articles of the file or directory `source` (a path as the user typed it).

    `defaults` holds the command line's outlet and date, for plain-text files whose sidecar
    does not give them.
    """
    path = Path(source)
    try:
        is_directory = path.is_dir()
        exists = is_directory or path.exists()
    except OSError as error:
        raise InputError(source, _os_reason(error)) from None
    if not exists:
        raise InputError(source, "no such file")
    if is_directory:
        yield from _iter_directory(path, source, settings, defaults)
    else:
        yield from _read_file(path, source, settings, defaults)
