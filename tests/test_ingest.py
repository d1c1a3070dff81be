"""Ingest from local inputs: text, HTML, sidecars, directories, standard input, bad inputs.

Every article here was written for these tests; files are real files under tmp_path.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

import rashomon.ingest
from rashomon.errors import InputError
from rashomon.ingest import iter_raw
from rashomon.model import RawDocument
from rashomon.settings import load_settings

DOCKERS = """Harbour Cranes Idle as Dockers Walk Out in Kelsport

Kelsport, June 2, 2025 - Dock workers at the port of Kelsport stopped work on Monday, leaving three container ships waiting offshore, the harbour master said.
"We will not unload another ship until the night-shift rota is fixed," union steward Idris Falk told reporters at the gate.
The port authority said talks would resume on Wednesday.
"""

ORCHARD = """Frost Ruins Cherry Harvest in Dornach Valley

Growers in the Dornach valley lost most of this year's cherries to a late frost, the regional farmers' association said on Friday.
"Nobody here has seen a May like it in forty years," grower Ilse Brandt said.
"""

FERRY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ferry strike ends in Port Alder | The Alder Courier</title>
<meta property="og:site_name" content="The Alder Courier">
<meta property="og:title" content="Ferry strike ends in Port Alder">
<meta name="author" content="Mira Castell">
<meta property="article:published_time" content="2025-03-14T08:30:00+01:00">
<link rel="canonical" href="https://alder-courier.example/news/ferry-strike-ends">
<script>document.title = "SCRIPT RAN";</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>Ferry strike ends in Port Alder</h1>
<p>Ferry crews in Port Alder returned to work on Friday after a nine-day strike over night shifts, the harbour union said.</p>
<p>"We got most of what we asked for, and the boats are running again," union secretary Tomas Reyes told reporters at the quay.</p>
<p>The operator, Alder Lines, said it had agreed to hire twelve more deckhands and to cap night shifts at four a week.</p>
<p>Commuters from the islands had faced three-hour detours by road while the ferries were idle, according to the regional council.</p>
</article>
<aside><h3>Related</h3><ul><li><a href="/a">Council approves new bus lanes</a></li></ul></aside>
<div class="newsletter">Sign up for our morning newsletter</div>
</main>
<footer>Copyright 2025 The Alder Courier. All rights reserved.</footer>
</body></html>
"""

LONG_STORY = (
    "The water board in Lenhart said on Thursday that the old reservoir dam would be drained "
    "for repairs over the summer, after inspectors found seepage along its eastern wall. "
    "Board chair Oskar Vinter said the work would take about eleven weeks and that households "
    "would not notice any change in supply, because the new reservoir north of the town could "
    "carry the whole load on its own. Anglers' clubs complained that the draining would kill "
    "the fish stock, and the board said it would move as many fish as it could to the river. "
    "A public meeting about the plan is due to be held in the town hall next Tuesday evening."
)


def feed_xml(items: str, title: str = "Lenhart Weekly") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>{title}</title><link>https://lenhart-weekly.example/</link>
<description>News from Lenhart</description>
{items}
</channel></rss>
"""


FULL_ENTRY = f"""<item><title>Lenhart dam to be drained for repairs</title>
<link>https://lenhart-weekly.example/dam#comments</link>
<pubDate>Thu, 05 Jun 2025 21:15:00 -0500</pubDate>
<description>The old dam will be drained.</description>
<content:encoded><![CDATA[<p>{LONG_STORY}</p>]]></content:encoded>
</item>"""


@pytest.fixture
def settings() -> Any:
    return load_settings()


def read_all(inputs: list[str], settings: Any, **kwargs: Any) -> list[RawDocument | InputError]:
    return list(iter_raw(inputs, settings, **kwargs))


def only_document(inputs: list[str], settings: Any, **kwargs: Any) -> RawDocument:
    items = read_all(inputs, settings, **kwargs)
    assert len(items) == 1, items
    assert isinstance(items[0], RawDocument), items[0]
    return items[0]


def only_error(inputs: list[str], settings: Any, **kwargs: Any) -> InputError:
    items = read_all(inputs, settings, **kwargs)
    assert len(items) == 1, items
    assert isinstance(items[0], InputError), items[0]
    return items[0]


def test_ingest_exports_only_iter_raw() -> None:
    assert rashomon.ingest.__all__ == ["iter_raw"]
    assert rashomon.ingest.iter_raw is iter_raw


# --- plain text -----------------------------------------------------------------------------


def test_ingest_plain_text_file_keeps_text_and_names_its_source(
    tmp_path: Path, settings: Any
) -> None:
    path = tmp_path / "dockers.txt"
    path.write_text(DOCKERS, encoding="utf-8")
    doc = only_document([str(path)], settings)
    assert doc.text == DOCKERS
    assert doc.html is None
    assert doc.source == str(path)
    assert doc.source_key == str(path.resolve())
    assert (doc.title, doc.outlet, doc.published, doc.url) == (None, None, None, None)


def test_ingest_relative_path_keeps_typed_source_and_resolved_key(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dockers.txt").write_text(DOCKERS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    doc = only_document(["dockers.txt"], settings)
    assert doc.source == "dockers.txt"
    assert doc.source_key == str((tmp_path / "dockers.txt").resolve())


def test_ingest_command_line_outlet_and_date_apply_to_plain_text(
    tmp_path: Path, settings: Any
) -> None:
    path = tmp_path / "dockers.txt"
    path.write_text(DOCKERS, encoding="utf-8")
    doc = only_document([str(path)], settings, outlet="Kelsport Herald", published="2025-06-02")
    assert (doc.outlet, doc.published) == ("Kelsport Herald", "2025-06-02")


def test_ingest_utf8_byte_order_mark_is_dropped(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + DOCKERS.encode("utf-8"))
    assert only_document([str(path)], settings).text == DOCKERS


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Señora Núñez reopened the café in Søndervik on Tuesday, the council said.\n",
         "latin-1"),
        ("The council’s “emergency” budget – approved on Tuesday – cuts 4 % from libraries. "
         * 3, "cp1252"),
        # a tie between code pages: cp1250 would read "à" as "ŕ"
        ("Le maire a déclaré que le marché rouvrirait à Noël, après les travaux.\n",
         "latin-1"),
        ("A UTF-16 note about the harbour strike in Kelsport, with a BOM.\n", "utf-16"),
    ],
)
def test_ingest_legacy_encodings_are_decoded(
    tmp_path: Path, settings: Any, text: str, encoding: str
) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    assert only_document([str(path)], settings).text == text


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\n   \n", "empty file"),
    ("x.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "a PNG image, not text"),
    ("controls.txt", b"\x01\x02\x03\x04 word \x05\x06\x07\x08" * 20, "binary file, not text"),
    ("garbled.txt", bytes([0x81, 0x40, 0x82, 0xA0, 0xE0, 0x80, 0xFD, 0xFE, 0xFF]) * 20,
     "cannot decode text (tried UTF-8 and detection)"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES)
def test_ingest_bad_file_is_one_error_line(
    tmp_path: Path, settings: Any, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    error = only_error([str(path)], settings)
    assert str(error) == f"{path}: {reason}"
    assert (error.source, error.reason) == (str(path), reason)
    assert "\n" not in str(error)


def test_ingest_missing_file(tmp_path: Path, settings: Any) -> None:
    error = only_error([str(tmp_path / "notes.txt")], settings)
    assert str(error) == f"{tmp_path / 'notes.txt'}: no such file"


def test_ingest_document_over_size_cap_names_sizes_and_setting(
    tmp_path: Path, settings: Any
) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 620_000)  # 3.1 MB against the 2.0 MB default
    error = only_error([str(path)], settings)
    assert str(error) == (
        f"{path}: 3.1 MB is over the 2.0 MB document size cap (max_document_bytes)"
    )


def test_ingest_size_cap_follows_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "dockers.txt"
    path.write_text(DOCKERS, encoding="utf-8")
    size = path.stat().st_size
    assert isinstance(only_error([str(path)], load_settings(max_document_bytes=100)), InputError)
    assert only_document([str(path)], load_settings(max_document_bytes=size)).text == DOCKERS


def test_ingest_one_bad_input_does_not_stop_the_others(tmp_path: Path, settings: Any) -> None:
    good = tmp_path / "dockers.txt"
    good.write_text(DOCKERS, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    items = read_all([str(tmp_path / "missing.txt"), str(empty), str(good), "ftp://x.example/a"],
                     settings)
    assert [type(item) for item in items] == [InputError, InputError, RawDocument, InputError]
    assert [getattr(item, "source", None) for item in items] == [
        str(tmp_path / "missing.txt"), str(empty), str(good), "ftp://x.example/a"]
    assert "only http and https" in str(items[3])


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_ingest_device_is_not_read(settings: Any) -> None:
    # /dev/zero has no size to check against the cap and never ends.
    assert str(only_error(["/dev/zero"], settings)) == "/dev/zero: not a regular file"


def test_ingest_bad_published_argument_is_a_caller_error(tmp_path: Path, settings: Any) -> None:
    with pytest.raises(ValueError, match="not a date"):
        read_all([str(tmp_path)], settings, published="last week")


# --- sidecar metadata -----------------------------------------------------------------------


def test_ingest_sidecar_metadata_wins_over_command_line(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "dockers.txt"
    path.write_text(DOCKERS, encoding="utf-8")
    (tmp_path / "dockers.meta.json").write_text(json.dumps({
        "title": "Dockers walk out", "outlet": "Kelsport Herald",
        "published": "2025-06-02T18:40:00+02:00", "author": "Nell Arden",
    }), encoding="utf-8")
    doc = only_document([str(path)], settings, outlet="Other Outlet", published="2025-01-01")
    assert (doc.title, doc.outlet, doc.published, doc.author) == (
        "Dockers walk out", "Kelsport Herald", "2025-06-02", "Nell Arden")
    assert doc.source_key == str(path.resolve())


def test_ingest_command_line_fills_what_the_sidecar_leaves_out(
    tmp_path: Path, settings: Any
) -> None:
    path = tmp_path / "dockers.txt"
    path.write_text(DOCKERS, encoding="utf-8")
    (tmp_path / "dockers.meta.json").write_text('{"outlet": "Kelsport Herald"}', encoding="utf-8")
    doc = only_document([str(path)], settings, outlet="Other Outlet", published="2025-06-03")
    assert (doc.outlet, doc.published) == ("Kelsport Herald", "2025-06-03")


def test_ingest_sidecar_url_becomes_the_source_key(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "dockers.txt"
    path.write_text(DOCKERS, encoding="utf-8")
    (tmp_path / "dockers.meta.json").write_text(
        '{"url": "HTTPS://Kelsport-Herald.example/Dockers?id=7#top"}', encoding="utf-8")
    doc = only_document([str(path)], settings)
    assert doc.url == "HTTPS://Kelsport-Herald.example/Dockers?id=7#top"
    assert doc.source_key == "https://kelsport-herald.example/Dockers?id=7"


@pytest.mark.parametrize(
    ("sidecar", "reason"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "sidecar metadata must be a JSON object"),
        ('{"outlet": "X", "publised": "2025-06-02"}', "unknown key 'publised'"),
        ('{"published": "last Tuesday"}', "is not a date"),
        ('{"title": 42}', "title must be a string"),
        ('{"url": "kelsport-herald.example/a"}', "is not an http(s) URL"),
    ],
)
def test_ingest_bad_sidecar_is_reported_not_ignored(
    tmp_path: Path, settings: Any, sidecar: str, reason: str
) -> None:
    path = tmp_path / "dockers.txt"
    path.write_text(DOCKERS, encoding="utf-8")
    (tmp_path / "dockers.meta.json").write_text(sidecar, encoding="utf-8")
    error = only_error([str(path)], settings)
    assert error.source == str(tmp_path / "dockers.meta.json")
    assert reason in error.reason


def test_ingest_sidecar_named_as_input_is_not_an_article(tmp_path: Path, settings: Any) -> None:
    meta = tmp_path / "dockers.meta.json"
    meta.write_text('{"outlet": "Kelsport Herald"}', encoding="utf-8")
    assert "sidecar metadata, not an article" in str(only_error([str(meta)], settings))


# --- HTML -----------------------------------------------------------------------------------


def test_ingest_html_file_is_extracted_to_text_with_metadata(
    tmp_path: Path, settings: Any
) -> None:
    path = tmp_path / "ferry.html"
    path.write_text(FERRY_PAGE, encoding="utf-8")
    doc = only_document([str(path)], settings)
    assert doc.html is None
    assert doc.text is not None
    assert doc.text.startswith("Ferry strike ends in Port Alder\n\nFerry crews in Port Alder")
    assert "union secretary Tomas Reyes" in doc.text
    for furniture in ("Home", "Sign up", "Copyright", "bus lanes", "SCRIPT", "document.title"):
        assert furniture not in doc.text
    assert doc.title == "Ferry strike ends in Port Alder"
    assert doc.outlet == "The Alder Courier"
    assert doc.author == "Mira Castell"
    assert doc.published == "2025-03-14"
    assert doc.url == "https://alder-courier.example/news/ferry-strike-ends"
    # The page's own canonical URL is not trusted as the source key; the file's path is.
    assert doc.source_key == str(path.resolve())


def test_ingest_html_paragraphs_are_separated_by_blank_lines(
    tmp_path: Path, settings: Any
) -> None:
    path = tmp_path / "ferry.htm"
    path.write_text(FERRY_PAGE, encoding="utf-8")
    text = only_document([str(path)], settings).text
    assert text is not None
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 5
    assert all(p and "\n" not in p for p in paragraphs)


def test_ingest_html_date_is_not_taken_from_the_body(tmp_path: Path, settings: Any) -> None:
    page = ("<html><head><title>Dam works</title></head><body><article>"
            f"<p>On 12 January 2025 the board met. {LONG_STORY}</p></article></body></html>")
    path = tmp_path / "dam.html"
    path.write_text(page, encoding="utf-8")
    assert only_document([str(path)], settings).published is None


def test_ingest_html_meta_charset_is_honoured(tmp_path: Path, settings: Any) -> None:
    page = FERRY_PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"').replace(
        "Tomas Reyes", "Tomás Reyes")
    path = tmp_path / "ferry.html"
    path.write_bytes(page.encode("iso-8859-1"))
    text = only_document([str(path)], settings).text
    assert text is not None and "Tomás Reyes" in text


def test_ingest_html_sidecar_wins_over_page_metadata(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "ferry.html"
    path.write_text(FERRY_PAGE, encoding="utf-8")
    (tmp_path / "ferry.meta.json").write_text('{"outlet": "Alder Courier Online"}',
                                             encoding="utf-8")
    doc = only_document([str(path)], settings)
    assert (doc.outlet, doc.author) == ("Alder Courier Online", "Mira Castell")


@pytest.mark.parametrize(
    "page",
    [
        "<html><body></body></html>",
        "<html><head><script>var x = 1;</script></head><body><script>go()</script></body></html>",
        "<<<<>>>> </div></p>",
        # only with favor_precision: the default keeps the lone link's word as the article
        "<html><head><title>Menu</title></head><body><div><a href='/'>Home</a></div></body></html>",
    ],
)
def test_ingest_html_without_article_text_is_refused(
    tmp_path: Path, settings: Any, page: str
) -> None:
    path = tmp_path / "broken.html"
    path.write_text(page, encoding="utf-8")
    assert str(only_error([str(path)], settings)) == f"{path}: no article text found in HTML"


# --- unknown extensions ---------------------------------------------------------------------


def test_ingest_unknown_extension_is_sniffed(tmp_path: Path, settings: Any) -> None:
    (tmp_path / "story").write_text(DOCKERS, encoding="utf-8")
    (tmp_path / "page.dat").write_text(FERRY_PAGE, encoding="utf-8")
    (tmp_path / "feed.dat").write_text(feed_xml(FULL_ENTRY), encoding="utf-8")
    items = read_all([str(tmp_path / name) for name in ("story", "page.dat", "feed.dat")],
                     settings)
    assert all(isinstance(item, RawDocument) for item in items), items
    story, page, entry = items
    assert isinstance(story, RawDocument) and story.text == DOCKERS
    assert isinstance(page, RawDocument) and page.title == "Ferry strike ends in Port Alder"
    assert isinstance(entry, RawDocument) and entry.source == f"{tmp_path / 'feed.dat'}#1"


def test_ingest_non_http_url_is_refused(settings: Any) -> None:
    error = only_error(["file:///etc/hostname"], settings)
    assert str(error) == "file:///etc/hostname: only http and https URLs can be read"


# --- directories ----------------------------------------------------------------------------


def test_ingest_directory_walk_order_and_filter(tmp_path: Path, settings: Any) -> None:
    root = tmp_path / "in"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "b.txt").write_text(DOCKERS, encoding="utf-8")
    (root / "a.md").write_text(ORCHARD, encoding="utf-8")
    (root / "sub" / "c.HTML").write_text(FERRY_PAGE, encoding="utf-8")
    (root / "sub" / "deeper" / "d.text").write_text(ORCHARD, encoding="utf-8")
    (root / "sub" / ".hidden.txt").write_text(DOCKERS, encoding="utf-8")
    (root / ".git" / "notes.txt").write_text(DOCKERS, encoding="utf-8")
    (root / "b.meta.json").write_text('{"outlet": "Kelsport Herald"}', encoding="utf-8")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / "readme.pdf").write_bytes(b"%PDF-1.7")
    (root / "README.md").write_text("# Articles\n\nInvented articles for a test.\n",
                                    encoding="utf-8")
    (root / "z.jsonl").write_text(json.dumps({"text": ORCHARD}) + "\n", encoding="utf-8")
    (root / "feed.rss").write_text(feed_xml(FULL_ENTRY), encoding="utf-8")

    items = read_all([str(root)], settings)
    sources = [item.source for item in items]
    assert sources == [
        os.path.join(str(root), "a.md"),
        os.path.join(str(root), "b.txt"),
        os.path.join(str(root), "feed.rss#1"),
        os.path.join(str(root), "sub", "c.HTML"),
        os.path.join(str(root), "sub", "deeper", "d.text"),
        os.path.join(str(root), "z.jsonl#1"),
    ]
    assert all(isinstance(item, RawDocument) for item in items)
    by_source = {item.source: item for item in items if isinstance(item, RawDocument)}
    assert by_source[os.path.join(str(root), "b.txt")].outlet == "Kelsport Herald"


def test_ingest_readme_named_on_its_own_is_read(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "README.md"
    path.write_text(ORCHARD, encoding="utf-8")
    assert only_document([str(path)], settings).text == ORCHARD


def test_ingest_directory_keeps_going_after_a_bad_file(tmp_path: Path, settings: Any) -> None:
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body></body></html>", encoding="utf-8")
    (tmp_path / "c.txt").write_text(DOCKERS, encoding="utf-8")
    items = read_all([str(tmp_path)], settings)
    assert [type(item) for item in items] == [InputError, InputError, RawDocument]


def test_ingest_directory_without_articles_is_an_error(tmp_path: Path, settings: Any) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    error = only_error([str(tmp_path)], settings)
    assert error.source == str(tmp_path)
    assert "no files to read in directory" in error.reason and ".txt" in error.reason


# --- standard input -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["bytes", "text"])
def test_ingest_stdin_plain_text(settings: Any, mode: str) -> None:
    stream = io.BytesIO(DOCKERS.encode("utf-8")) if mode == "bytes" else io.StringIO(DOCKERS)
    doc = only_document(["-"], settings, stdin=stream, outlet="Kelsport Herald",
                        published="2025-06-02")
    assert doc.text == DOCKERS
    assert (doc.source, doc.source_key) == ("-", "stdin|Kelsport Herald")
    assert (doc.outlet, doc.published) == ("Kelsport Herald", "2025-06-02")


def test_ingest_stdin_without_outlet_is_keyed_stdin(settings: Any) -> None:
    doc = only_document(["-"], settings, stdin=io.BytesIO(DOCKERS.encode("utf-8")))
    assert doc.source_key == "stdin"


def test_ingest_stdin_html_is_extracted(settings: Any) -> None:
    doc = only_document(["-"], settings, stdin=io.BytesIO(FERRY_PAGE.encode("utf-8")),
                        outlet="Ignored When The Page Names One")
    assert doc.html is None and doc.text is not None and "Tomas Reyes" in doc.text
    assert doc.outlet == "The Alder Courier"
    assert doc.source_key == "The Alder Courier|Ferry strike ends in Port Alder"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (None, "standard input is not available"),
        (b"", "empty input"),
        (b" \n \n", "empty input"),
        (b"\x00\x01\x02binary", "binary input, not text"),
    ],
)
def test_ingest_stdin_failures(settings: Any, data: bytes | None, reason: str) -> None:
    stream = io.BytesIO(data) if data is not None else None
    assert str(only_error(["-"], settings, stdin=stream)) == f"-: {reason}"


def test_ingest_stdin_over_size_cap_is_refused_without_reading_it_all() -> None:
    stream = io.BytesIO(b"word " * 1000)
    error = only_error(["-"], load_settings(max_document_bytes=100), stdin=stream)
    assert str(error) == (
        "-: the input is over the 100 bytes document size cap (max_document_bytes)")
    assert stream.tell() == 101


# --- feed files -----------------------------------------------------------------------------


def test_ingest_feed_file_full_text_entry(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "lenhart.xml"
    path.write_text(feed_xml(FULL_ENTRY), encoding="utf-8")
    doc = only_document([str(path)], settings)
    assert doc.source == f"{path}#1"
    assert doc.text == LONG_STORY
    assert doc.title == "Lenhart dam to be drained for repairs"
    assert doc.outlet == "Lenhart Weekly"
    # The date as the feed wrote it (local time), not moved to the next day in UTC.
    assert doc.published == "2025-06-05"
    assert doc.url == "https://lenhart-weekly.example/dam#comments"
    assert doc.source_key == "https://lenhart-weekly.example/dam"


def test_ingest_feed_entry_failure_does_not_stop_the_feed(tmp_path: Path, settings: Any) -> None:
    teaser = """<item><title>Short teaser</title><description>Only a teaser.</description>
    <content:encoded><![CDATA[<p>Too short to be the article.</p>]]></content:encoded></item>"""
    path = tmp_path / "lenhart.atom"
    path.write_text(feed_xml(teaser + FULL_ENTRY), encoding="utf-8")
    items = read_all([str(path)], settings)
    assert [type(item) for item in items] == [InputError, RawDocument]
    assert str(items[0]) == f"{path}#1: entry has no full text and no http(s) link to fetch"


def test_ingest_feed_entries_are_capped_by_setting(tmp_path: Path) -> None:
    path = tmp_path / "lenhart.rss"
    path.write_text(feed_xml(FULL_ENTRY * 5), encoding="utf-8")
    items = read_all([str(path)], load_settings(max_feed_entries=3))
    assert [item.source for item in items] == [f"{path}#{n}" for n in (1, 2, 3)]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("this is not a feed at all, just words", "not a valid RSS/Atom feed"),
        ("<rss><channel><title>Cut off", "not a valid RSS/Atom feed"),
        ("<html><body><p>A page, not a feed.</p></body></html>", "not a valid RSS/Atom feed"),
        (feed_xml(""), "feed has no entries"),
    ],
)
def test_ingest_broken_feed_file(
    tmp_path: Path, settings: Any, content: str, reason: str
) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(content, encoding="utf-8")
    assert str(only_error([str(path)], settings)) == f"{path}: {reason}"
