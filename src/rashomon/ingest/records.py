"""JSON and JSON Lines records: one article per object.

A record is ``{"text" or "html", "url", "title", "outlet", "published", "author"}``; other keys
are ignored, since exports from scrapers and archives carry ids and tags of their own. Every
string is made valid Unicode first (`text.valid_text`: JSON can spell a lone surrogate), and a
``url`` must be an http(s) URL, as in a sidecar: a ``javascript:`` one would become a link. Record N
is named ``PATH#N``: N counts the objects of a JSON list from 1, and is the line number in a
JSON Lines file, so that an error points at the line to fix. A bad record is reported on its
own and the records around it still come through.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rashomon.errors import InputError
from rashomon.ingest.content import check_document_size
from rashomon.ingest.html import extract_article
from rashomon.ingest.metadata import (
    Metadata,
    clean_string,
    is_http_url,
    json_error_reason,
    normalise_date,
    record_source_key,
)
from rashomon.ingest.results import Item
from rashomon.ingest.text import text_document, valid_text
from rashomon.model import RawDocument

__all__ = ["iter_json_file", "iter_jsonl_file", "record_document"]

_STRING_KEYS = ("author", "html", "outlet", "text", "title", "url")


def _string_values(record: dict[str, Any], source: str) -> dict[str, str | None]:
    """The record's string fields, blank ones as None; raises when one is not a string."""
    values: dict[str, str | None] = {}
    for key in _STRING_KEYS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(source, f"{key} must be a string, not {type(value).__name__}")
        values[key] = clean_string(valid_text(value)) if value is not None else None
    return values


def record_document(
    record: object, source: str, fallback_key: str, max_bytes: int, *,
    encoding: str | None = None,
) -> RawDocument:
    """The article of one record; raises `InputError` when the record cannot be one.

    `text` wins over `html` when a record has both: it is the article already extracted.
    What the record states wins over what its HTML's markup says. `encoding` is the one the
    record's file was read with, if it came from a file.
    """
    if not isinstance(record, dict):
        raise InputError(source, f"record is a JSON {type(record).__name__}, not an object")
    values = _string_values(record, source)
    body = values["text"] or values["html"]
    if body is None:
        raise InputError(source, "record has no text or html")
    check_document_size(source, len(body.encode("utf-8")), max_bytes)
    url = values["url"]
    if url is not None and not is_http_url(url):
        raise InputError(source, f"url {url!r} is not an http(s) URL")
    meta = Metadata(
        title=values["title"],
        outlet=values["outlet"],
        # Records come in bulk from other tools: a date that cannot be read is dropped, as
        # one odd field should not cost the article.
        published=normalise_date(record.get("published")),
        url=values["url"],
        author=values["author"],
    )
    key = record_source_key(meta, fallback_key)
    if values["text"] is not None:
        return text_document(source, values["text"], meta=meta, source_key=key,
                             encoding=encoding)
    extracted = extract_article(source, body, url=meta.url)
    return text_document(source, extracted.text, meta=meta.or_else(extracted.meta),
                         source_key=key, encoding=encoding)


def _record_item(record: object, source: str, fallback_key: str, max_bytes: int) -> Item:
    try:
        # JSON files are read as UTF-8, and only as UTF-8.
        return record_document(record, source, fallback_key, max_bytes, encoding="utf-8")
    except InputError as error:
        return error


def iter_json_file(path: Path, source: str, max_bytes: int) -> Iterator[Item]:
    """The records of a JSON file holding one object or a list of objects."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(source, "not UTF-8 text (JSON files must be UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise InputError(source, json_error_reason(exc)) from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError(source, "a JSON file must hold an object or a list of objects")
    if not data:
        raise InputError(source, "no records in JSON file")
    resolved = str(path.resolve())
    for number, record in enumerate(data, start=1):
        yield _record_item(record, f"{source}#{number}", f"{resolved}#{number}", max_bytes)


def _parse_line(line: bytes, source: str) -> object:
    try:
        return json.loads(line.rstrip(b"\r\n").decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(source, "not UTF-8 text (JSON Lines files must be UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise InputError(source, json_error_reason(exc, one_line=True)) from None


def iter_jsonl_file(path: Path, source: str, max_bytes: int) -> Iterator[Item]:
    """The records of a JSON Lines file, one object per line; blank lines are skipped."""
    resolved = str(path.resolve())
    found = False
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            found = True
            record_source = f"{source}#{number}"
            try:
                record = _parse_line(line, record_source)
            except InputError as error:
                yield error
                continue
            yield _record_item(record, record_source, f"{resolved}#{number}", max_bytes)
    if not found:
        raise InputError(source, "empty file")
