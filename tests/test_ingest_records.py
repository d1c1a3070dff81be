"""Ingest of JSON and JSON Lines records, and of the dates and keys they carry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rashomon.errors import InputError
from rashomon.ingest import iter_raw
from rashomon.model import RawDocument
from rashomon.settings import load_settings

MARKET = (
    "The covered market in Oldbridge will close for six weeks from July while its roof is "
    "replaced, the town council said on Monday. Stallholder Rosa Linde said traders had been "
    "offered space in the school car park."
)
BUSES = (
    "Night buses in Oldbridge will run every twenty minutes from September, the transport "
    "office said. \"It is the most requested change we have had,\" planner Aleks Moor said."
)
PAGE = (
    "<html><head><title>Oldbridge market to close</title>"
    '<meta property="og:site_name" content="Oldbridge Echo">'
    '<meta name="author" content="Jun Park"></head><body><article>'
    f"<h1>Oldbridge market to close</h1><p>{MARKET}</p><p>{BUSES}</p>"
    "</article></body></html>"
)


@pytest.fixture
def settings() -> Any:
    return load_settings()


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ingest_jsonl_bad_lines_fail_alone(tmp_path: Path, settings: Any) -> None:
    path = write_jsonl(tmp_path / "export.jsonl", [
        json.dumps({"text": MARKET, "outlet": "Oldbridge Echo", "title": "Market to close"}),
        '{"text": "cut off',
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "No body"}),
        json.dumps({"text": BUSES, "title": 7}),
        json.dumps({"text": BUSES, "url": "https://Oldbridge-Echo.example/buses#more"}),
    ])
    items = list(iter_raw([str(path)], settings))
    assert [item.source for item in items] == [f"{path}#{n}" for n in (1, 2, 4, 5, 6, 7)]
    assert [type(item) for item in items] == [
        RawDocument, InputError, InputError, InputError, InputError, RawDocument]
    reasons = [item.reason for item in items if isinstance(item, InputError)]
    assert reasons == [
        "not valid JSON (Unterminated string starting, column 10)",
        "record is a JSON list, not an object",
        "record has no text or html",
        "title must be a string, not int",
    ]
    first, last = items[0], items[-1]
    assert isinstance(first, RawDocument) and isinstance(last, RawDocument)
    assert (first.text, first.outlet, first.title) == (MARKET, "Oldbridge Echo", "Market to close")
    assert first.source_key == "Oldbridge Echo|Market to close"
    assert last.source_key == "https://oldbridge-echo.example/buses"


def test_ingest_jsonl_undecodable_line_fails_alone(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "export.ndjson"
    path.write_bytes(json.dumps({"text": MARKET}).encode() + b"\n"
                     + b'{"text": "caf\xe9 owners said"}\n'
                     + json.dumps({"text": BUSES}).encode() + b"\n")
    items = list(iter_raw([str(path)], settings))
    assert [type(item) for item in items] == [RawDocument, InputError, RawDocument]
    assert str(items[1]) == f"{path}#2: not UTF-8 text (JSON Lines files must be UTF-8)"


def test_ingest_record_without_url_or_title_is_keyed_by_path_and_number(
    tmp_path: Path, settings: Any
) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"text": MARKET}, {"text": BUSES, "outlet": "Echo"}]),
                    encoding="utf-8")
    items = list(iter_raw([str(path)], settings))
    assert [item.source for item in items] == [f"{path}#1", f"{path}#2"]
    assert [getattr(item, "source_key", None) for item in items] == [
        f"{path.resolve()}#1", f"{path.resolve()}#2"]


def test_ingest_json_file_with_one_object(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"text": MARKET, "published": "2025-07-01"}), encoding="utf-8")
    (doc,) = iter_raw([str(path)], settings)
    assert isinstance(doc, RawDocument)
    assert (doc.source, doc.text, doc.published) == (f"{path}#1", MARKET, "2025-07-01")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"text": ', "not valid JSON (Expecting value, line 1 column 10)"),
        ('"just a string"', "a JSON file must hold an object or a list of objects"),
        ("[]", "no records in JSON file"),
    ],
)
def test_ingest_bad_json_file(tmp_path: Path, settings: Any, content: str, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    (error,) = iter_raw([str(path)], settings)
    assert str(error) == f"{path}: {reason}"


def test_ingest_empty_jsonl_file(tmp_path: Path, settings: Any) -> None:
    path = write_jsonl(tmp_path / "empty.jsonl", ["", "  "])
    (error,) = iter_raw([str(path)], settings)
    assert str(error) == f"{path}: empty file"


def test_ingest_html_record_is_extracted_and_record_fields_win(
    tmp_path: Path, settings: Any
) -> None:
    path = write_jsonl(tmp_path / "pages.jsonl", [
        json.dumps({"html": PAGE, "outlet": "The Echo", "url": "https://echo.example/market"}),
    ])
    (doc,) = iter_raw([str(path)], settings)
    assert isinstance(doc, RawDocument) and doc.html is None and doc.text is not None
    assert MARKET in doc.text and "<p>" not in doc.text
    assert (doc.outlet, doc.title, doc.author) == ("The Echo", "Oldbridge market to close",
                                                    "Jun Park")
    assert doc.url == doc.source_key == "https://echo.example/market"


def test_ingest_html_record_without_text_is_refused(tmp_path: Path, settings: Any) -> None:
    path = write_jsonl(tmp_path / "pages.jsonl", [json.dumps({"html": "<html></html>"})])
    (error,) = iter_raw([str(path)], settings)
    assert str(error) == f"{path}#1: no article text found in HTML"


def test_ingest_record_over_size_cap_fails_alone(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "export.jsonl", [
        json.dumps({"text": MARKET * 10}), json.dumps({"text": BUSES})])
    items = list(iter_raw([str(path)], load_settings(max_document_bytes=1000)))
    assert [type(item) for item in items] == [InputError, RawDocument]
    assert "document size cap (max_document_bytes)" in str(items[0])


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2025-07-01", "2025-07-01"),
        ("2025-07-01T23:30:00Z", "2025-07-01"),
        # the date as written, not moved into UTC (it would be July 2 there)
        ("2025-07-01T22:30:00-05:00", "2025-07-01"),
        ("2025-07-01 08:00:00.123456", "2025-07-01"),
        ("Tue, 01 Jul 2025 22:30:00 -0500", "2025-07-01"),
        ("03/04/2025", None),
        ("last Tuesday", None),
        ("", None),
        (20250701, None),
        (None, None),
    ],
)
def test_ingest_record_dates_are_normalised_or_dropped(
    tmp_path: Path, settings: Any, published: object, expected: str | None
) -> None:
    path = write_jsonl(tmp_path / "dates.jsonl",
                       [json.dumps({"text": MARKET, "published": published})])
    (doc,) = iter_raw([str(path)], settings)
    assert isinstance(doc, RawDocument)
    assert doc.published == expected
