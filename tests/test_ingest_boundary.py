"""The ingest boundary (issue 18): every string valid Unicode, damaged UTF-8 kept as UTF-8, files
in other formats refused by their signature, record URLs http(s) only."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from conftest import encodable

from rashomon.errors import InputError
from rashomon.ingest import iter_raw
from rashomon.ingest.text import valid_text
from rashomon.model import RawDocument
from rashomon.settings import load_settings

ARTICLE = ("The harbour minister said on Thursday that the “ferry” would run again next week. "
           "Residents of Kestrel Point welcomed the news, the mayor’s office said.")


@pytest.fixture
def settings() -> Any:
    return load_settings()


def _read(paths: list[Path], settings: Any) -> list[RawDocument | InputError]:
    return list(iter_raw([str(p) for p in paths], settings))



@pytest.mark.parametrize(("given", "expected"), [
    ("plain ascii", "plain ascii"),
    ("a\ud800b", "a\ufffdb"),
    ("\udc00\ud800", "\ufffd\ufffd"),
    ("pair \ud83d\ude00 kept apart", "pair \ufffd\ufffd kept apart"),
    ("real 😀 stays", "real 😀 stays"),
])
def test_ingest_valid_text_replaces_one_for_one(given: str, expected: str) -> None:
    assert valid_text(given) == expected
    assert len(valid_text(given)) == len(given)


def test_ingest_record_with_lone_surrogates_is_read_whole(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "records.jsonl"
    good = [json.dumps({"text": f"{ARTICLE} Record {n}.", "outlet": "Velmora Herald",
                        "title": f"Ferry {n}"}) for n in range(20)]
    bad_text = json.dumps({"text": ARTICLE + " \ud800 More.", "outlet": "Velmora Herald",
                           "title": "Surrogate text"})
    bad_title = json.dumps({"text": ARTICLE, "outlet": "Velmora \udc00Herald",
                            "title": "Surrogate \ud800 title", "author": "A \ud800"})
    path.write_text("\n".join([*good[:10], bad_text, bad_title, *good[10:]]) + "\n",
                    encoding="utf-8")
    items = _read([path], settings)
    documents = [i for i in items if isinstance(i, RawDocument)]
    assert len(documents) == 22
    for document in documents:
        for value in (document.text, document.title, document.outlet, document.author,
                      document.source_key):
            assert encodable(value)
    mended = next(d for d in documents if d.title == "Surrogate text")
    assert mended.text is not None
    assert mended.text.index("\ufffd") == len(ARTICLE) + 1  # the offset kept


def test_ingest_damaged_utf8_stays_utf8_with_a_warning(
    tmp_path: Path, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    data = ARTICLE.encode("utf-8")
    cut = data.index(b"would")
    path = tmp_path / "damaged.txt"
    path.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:])
    with caplog.at_level(logging.WARNING, logger="rashomon.ingest"):
        [document] = _read([path], settings)
    assert isinstance(document, RawDocument)
    assert document.encoding == "utf-8"
    assert document.text is not None
    assert "“ferry”" in document.text and "mayor’s" in document.text
    assert document.text.count("\ufffd") == 2
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}: 2 invalid UTF-8 byte sequences replaced with U+FFFD"]


def test_ingest_code_page_text_is_still_guessed(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes((ARTICLE * 3).encode("cp1252"))
    [document] = _read([path], settings)
    assert isinstance(document, RawDocument)
    assert document.text == ARTICLE * 3
    # cp1250 and cp1252 read these characters alike; either is a right guess
    assert document.encoding in ("cp1250", "cp1252")


def test_ingest_clean_utf8_records_its_encoding(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    [document] = _read([path], settings)
    assert isinstance(document, RawDocument) and document.encoding == "utf-8"


_ASCII_PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
              b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n") * 4


@pytest.mark.parametrize(("name", "data", "what"), [
    ("paper.txt", _ASCII_PDF, "a PDF document"),
    ("paper.html", b"\n  " + _ASCII_PDF, "a PDF document"),
    ("paper", b"junk line\n" + _ASCII_PDF, "a PDF document"),
    ("report.txt", b"PK\x03\x04\x14\x00\x06\x00" + b"word/document.xml" * 20, "a zip archive"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "a PNG image"),
    ("photo.html", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 64, "a JPEG image"),
    ("anim.txt", b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\xff" * 64, "a GIF image"),
    ("notes.txt", b"\x1f\x8b\x08\x00" + b"\x00" * 64, "a gzip-compressed file"),
    ("letter.txt", b"{\\rtf1\\ansi The minister said so.}", "an RTF document"),
    ("old.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "an old Office document"),
])
def test_ingest_non_text_format_is_refused_by_signature(
    tmp_path: Path, settings: Any, name: str, data: bytes, what: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    [error] = _read([path], settings)
    assert isinstance(error, InputError)
    assert error.reason.startswith(what) and error.reason.endswith(", not text")


def test_ingest_record_text_holding_a_pdf_is_refused(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"text": _ASCII_PDF.decode("ascii"), "outlet": "X"}) + "\n",
                    encoding="utf-8")
    [error] = _read([path], settings)
    assert isinstance(error, InputError)
    assert error.reason == "a PDF document, not text"


@pytest.mark.parametrize("start", ["MZ Kowalski said the ferry", "ID3 tags, the minister said",
                                   "BZh, the agency, said", "RIFF between the two ministers"])
def test_ingest_text_opening_like_a_signature_is_text(
    tmp_path: Path, settings: Any, start: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"{start} would run again. {ARTICLE}", encoding="utf-8")
    [document] = _read([path], settings)
    assert isinstance(document, RawDocument)


@pytest.mark.parametrize("url", ["javascript:alert(7)", "data:text/html,x", "ftp://example.com/",
                                 "/relative/path"])
def test_ingest_record_url_must_be_http(tmp_path: Path, settings: Any, url: str) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"text": ARTICLE, "outlet": "X", "url": url}) + "\n",
                    encoding="utf-8")
    [error] = _read([path], settings)
    assert isinstance(error, InputError)
    assert error.reason == f"url {url!r} is not an http(s) URL"


def test_ingest_empty_feed_file_is_an_input_error(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    [error] = _read([path], settings)
    assert isinstance(error, InputError)
    assert error.reason == "not a valid RSS/Atom feed"


@pytest.mark.slow
def test_ingest_records_with_surrogates_are_all_stored_and_placed(tmp_path: Path) -> None:
    """Issue 18, rows 1-2: one record with a lone surrogate in its text and one in its title
    used to stop the run (a traceback, exit 1) with nothing stored, or 16 documents in no story.
    """
    from click.testing import CliRunner

    from rashomon.cli import cli
    from rashomon.store import open_store

    path = tmp_path / "records.jsonl"
    lines = [json.dumps({"text": f"{ARTICLE} Crossing number {n} was on time.",
                         "outlet": f"Outlet {n % 4}", "title": f"Ferry back, part {n}"})
             for n in range(20)]
    lines.insert(5, json.dumps({"text": ARTICLE + " The \ud800 pier reopened.",
                                "outlet": "Velmora Herald", "title": "Surrogate in the text"}))
    lines.insert(12, json.dumps({"text": ARTICLE + " The tide was high.",
                                 "outlet": "Velmora Herald", "title": "Title \udc00 surrogate"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "store.db"
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["added"] == 22 and summary["failed"] == []
    with open_store(db) as store:
        members = {doc for row in store.list_stories() for doc in store.story_documents(row.id)}
        titles = {store.get_document(doc).title for doc in members}
    touched = {doc for item in summary["stories"] for doc in item["documents"]}
    assert len(members) == len(touched) == 22  # every document stored once, each in a story
    assert "Title \ufffd surrogate" in titles
