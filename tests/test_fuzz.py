"""Fuzzing: random and adversarial text through every reader, clean, the per-document stages and
the store. Any exception that is not a `RashomonError` fails; so does an offset that does not
map back to the raw text.

The runs are derandomised (the same examples every run) and kept to a CI budget of about two
minutes (the readers ~1 s per 10 examples, the pipeline ~0.4 s per example, a story's report
and renderings ~6 s per example). RASHOMON_FUZZ_EXAMPLES=N runs N examples per test, drawn at
random, for a longer hunt: 2000 for the readers is some 8 minutes.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from conftest import encodable
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rashomon.clean import clean
from rashomon.errors import InputError, RashomonError
from rashomon.ingest import iter_raw
from rashomon.model import Document, RawDocument
from rashomon.settings import load_settings
from rashomon.store import open_store

_LONG_RUN = os.environ.get("RASHOMON_FUZZ_EXAMPLES")


def _budget(default: int) -> Any:
    """Hypothesis settings: `default` examples, fixed seed; more, at random, when asked for."""
    examples = int(_LONG_RUN) if _LONG_RUN else default
    return settings(max_examples=examples, derandomize=not _LONG_RUN, deadline=None,
                    database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ------------------------------------------------------------------------------------------------
# Strategies: adversarial pieces mixed into words that read as English news.

_SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)
_CONTROLS = st.sampled_from([chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                                               0x7F, 0x85, 0x2028, 0x2029)])
_BIDI = st.sampled_from(list("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                             "\u061c\u200b\u200c\u200d\u2060\ufeff"))
_QUOTES = st.sampled_from(list("\"'“”‘’«»„‟‹›「」『』`´") + ["``", "''", "\"\"", "“”", "«", "»"])
_MIXED = st.sampled_from(["Зеленский", "Ζελένσκι", "ゼレンスキー", "泽连斯基", "زيلينسكي", "זלנסקי",
                          "Zelenskyy", "Zełenski", "Ženeva", "İstanbul", "ǅemal", "e\u0301te",
                          "😀", "👩‍👩‍👧", "🇺🇦", "\ufffd", "\ufffe", "\uffff", "\U0010ffff", "\ue000"])
_WORDS = st.sampled_from(
    "the a said told reporters minister Brannik Velmora harbour ferry police on Thursday "
    "May 3, 2031 according to officials denied claimed that it was not true he she they "
    "spokesman government strike port closed because of fog and rain in Dornach . , ; : ! ? "
    "— – - ( ) 12 3,400 percent Reuters (AP) VELMORA Mr. Dr. U.S. http://example.com @handle "
    "#tag Read more: Follow us Copyright © 2031 By Anna Kell".split())
_PIECE = st.one_of(
    _WORDS, _WORDS, _WORDS, _WORDS, _WORDS, _WORDS, _SURROGATES, _CONTROLS, _BIDI, _QUOTES, _MIXED,
    st.text(max_size=8), st.sampled_from(["\n", "\n\n", "\r\n", "\t", "  ", "\r"]),
)
_SEPARATOR = st.sampled_from([" ", " ", " ", "", "\n", "\n\n", "\u00a0", "\u3000"])


@st.composite
def adversarial_text(draw: st.DrawFn, max_pieces: int = 120) -> str:
    """News-like words with surrogates, controls, bidi marks, odd quotes and other scripts."""
    pieces = draw(st.lists(_PIECE, max_size=max_pieces))
    separators = draw(st.lists(_SEPARATOR, min_size=len(pieces), max_size=len(pieces)))
    text = "".join(p + s for p, s in zip(pieces, separators, strict=True))
    if draw(st.integers(0, 9)) == 0:  # a very long line
        text += " ".join(draw(st.lists(_WORDS, min_size=1, max_size=5))) * draw(
            st.integers(100, 3000))
    return text


_ANY_TEXT = st.one_of(adversarial_text(), st.text(max_size=400),
                      st.text(st.characters(codec=None, exclude_categories=()), max_size=200))


# ------------------------------------------------------------------------------------------------
# Checks



def _check_raw(raw: RawDocument) -> None:
    for name in ("source", "source_key", "text", "url", "title", "outlet", "published", "author"):
        assert encodable(getattr(raw, name)), f"{name} of {raw.source!r} is not valid Unicode"


def _check_offsets(document: Document) -> None:
    """Every segment of the offset map is the same characters in the text and the raw text."""
    previous_end = 0
    for clean_start, raw_start, length in document.offsets.segments:
        assert clean_start >= previous_end
        assert document.text[clean_start : clean_start + length] == (
            document.raw_text[raw_start : raw_start + length])
        previous_end = clean_start + length
    mapped = sum(length for _, _, length in document.offsets.segments)
    # only the separators the cleaner inserts between kept lines are unmapped
    assert set(_unmapped(document)) <= {"\n"}
    assert mapped <= len(document.text)
    for start, end in document.removed:
        assert 0 <= start <= end <= len(document.raw_text)
    for offset in range(0, len(document.text), max(1, len(document.text) // 50)):
        assert 0 <= document.offsets.to_raw(offset) <= len(document.raw_text)


def _unmapped(document: Document) -> Iterator[str]:
    covered = [False] * len(document.text)
    for clean_start, _, length in document.offsets.segments:
        for i in range(clean_start, clean_start + length):
            covered[i] = True
    return (char for char, hit in zip(document.text, covered, strict=True) if not hit)


def _read_all(paths: list[str], stdin: bytes | None = None) -> list[RawDocument]:
    found: list[RawDocument] = []
    inputs = [*paths, "-"] if stdin is not None else paths
    stream = io.BytesIO(stdin) if stdin is not None else None
    for item in iter_raw(inputs, load_settings(), stdin=stream):
        if isinstance(item, InputError):
            continue
        _check_raw(item)
        found.append(item)
    return found


def _write_inputs(folder: Path, text: str, title: str) -> list[str]:
    """The text as every kind of file a reader takes."""
    utf8 = text.encode("utf-8", "surrogatepass")
    (folder / "a.txt").write_bytes(utf8)
    (folder / "b.html").write_bytes(
        b"<html><head><title>" + escape(title).encode("utf-8", "surrogatepass")
        + b"</title></head><body><article><p>"
        + escape(text).replace("\n\n", "</p><p>").encode("utf-8", "surrogatepass")
        + b"</p></article></body></html>")
    record = {"text": text, "title": title, "outlet": title[:20] or "Outlet", "author": title}
    # ensure_ascii writes lone surrogates as \ud800 escapes, which json.loads gives back
    (folder / "c.jsonl").write_text(json.dumps(record) + "\n" + json.dumps({"html": text}) + "\n",
                                    encoding="utf-8")
    (folder / "d.json").write_text(json.dumps([record]), encoding="utf-8")
    (folder / "e.rss").write_bytes(
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        b'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>'
        + escape(title).encode("utf-8", "surrogatepass") + b"</title><item><title>"
        + escape(title).encode("utf-8", "surrogatepass") + b"</title><content:encoded>"
        + escape(text).encode("utf-8", "surrogatepass")
        + b"</content:encoded></item></channel></rss>")
    (folder / "f.txt").write_bytes(utf8[: len(utf8) // 2] + b"\xff\xfe" + utf8[len(utf8) // 2 :])
    return [str(folder / name) for name in ("a.txt", "b.html", "c.jsonl", "d.json", "e.rss",
                                            "f.txt")]


# ------------------------------------------------------------------------------------------------
# Tests


@pytest.fixture(scope="module")
def fuzz_store() -> Iterator[Any]:
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder, "fuzz.db")) as store:
        yield store


def _read_clean_and_store(fuzz_store: Any, text: str, title: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        raws = _read_all(_write_inputs(Path(folder), text, title[:200]))
    for raw in raws:
        try:
            document = clean(raw)
        except InputError:
            continue
        _check_offsets(document)
        try:
            fuzz_store.put_document(document)
        except RashomonError:
            continue
        assert fuzz_store.get_document(document.id).text == document.text


# Every reader (HTML through jusText too) on each example: about 0.14 CPU s an example (28 of
# the quick suite's 61 CPU s at 200), so the quick suite runs 40 examples and the slow one 200.
@_budget(40)
@given(text=_ANY_TEXT, title=_ANY_TEXT)
def test_fuzz_readers_clean_and_store_never_raise_foreign_errors(
    fuzz_store: Any, text: str, title: str
) -> None:
    _read_clean_and_store(fuzz_store, text, title)


@pytest.mark.slow
@_budget(200)
@given(text=_ANY_TEXT, title=_ANY_TEXT)
def test_fuzz_readers_clean_and_store_never_raise_foreign_errors_at_length(
    fuzz_store: Any, text: str, title: str
) -> None:
    _read_clean_and_store(fuzz_store, text, title)


@_budget(300)
@given(data=st.binary(max_size=600) | st.binary(max_size=40).map(lambda b: b * 30))
def test_fuzz_readers_take_any_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name in ("x.txt", "x.html", "x.jsonl", "x.json", "x.xml", "x.dat"):
            (Path(folder) / name).write_bytes(data)
            paths.append(str(Path(folder) / name))
        for raw in _read_all(paths, stdin=data):
            try:
                _check_offsets(clean(raw))
            except InputError:
                pass


@pytest.mark.slow
@_budget(80)
@given(texts=st.lists(adversarial_text(max_pieces=200), min_size=1, max_size=3),
       title=adversarial_text(max_pieces=12))
def test_fuzz_pipeline_stores_every_document_it_accepts(
    fuzz_store: Any, texts: list[str], title: str
) -> None:
    from rashomon import pipeline

    base = ("The harbour minister said on Thursday that the ferry strike would end soon, "
            "according to officials in Velmora. ")
    raws = [RawDocument(source=f"fuzz#{n}", source_key=f"fuzz#{n}#{hash(text)}",
                        text=base + text, title=title, outlet=title[:30] or None)
            for n, text in enumerate(texts)]
    records = iter(_as_records(raws))
    result = pipeline.ingest_raw(records, store=fuzz_store, settings=load_settings())
    for doc_id in result.added:
        document = fuzz_store.get_document(doc_id)
        _check_offsets(document)
        annotations = fuzz_store.load_annotations(doc_id)
        for mention in annotations.mentions:
            assert 0 <= mention.span.start <= mention.span.end <= len(document.text)
        assert fuzz_store.story_of(doc_id) is not None


def _as_records(raws: list[RawDocument]) -> list[RawDocument | InputError]:
    """Through the record reader, as the API and JSON Lines files give them."""
    from rashomon.ingest.records import record_document

    items: list[RawDocument | InputError] = []
    for raw in raws:
        record = {"text": raw.text, "title": raw.title, "outlet": raw.outlet}
        try:
            items.append(record_document(record, raw.source, raw.source_key, 2_000_000))
        except InputError as error:
            items.append(error)
    return items


_STORY = [
    "The harbour minister Teodor Brannik said on Thursday that the ferry strike would end "
    "soon, according to officials in Velmora.",
    "\"We will not close the port,\" Brannik told reporters on Friday.",
    "Union leaders denied that any agreement had been reached.",
]


@pytest.mark.slow
@_budget(8)
@given(variants=st.lists(st.lists(adversarial_text(max_pieces=40), min_size=3, max_size=3),
                         min_size=2, max_size=3),
       titles=st.lists(adversarial_text(max_pieces=8), min_size=3, max_size=3))
def test_fuzz_report_of_an_adversarial_story_renders(
    variants: list[list[str]], titles: list[str]
) -> None:
    """Outlets telling one story, each sentence followed by adversarial text: the story-level
    stages (linking, relations, timeline, brief, framing) and every renderer take it."""
    from io import StringIO

    from rich.console import Console

    from rashomon import pipeline, render

    raws = [RawDocument(source=f"outlet{n}", source_key=f"outlet{n}",
                        text=" ".join(f"{s} {v}" for s, v in zip(_STORY, extra, strict=True)),
                        title=titles[n], outlet=f"Outlet {n} {titles[n][:10]}")
            for n, extra in enumerate(variants)]
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder, "r.db")) as store:
        result = pipeline.ingest_raw(_as_records(raws), store=store, settings=load_settings())
        story_ids = sorted({s for d in result.added if (s := store.story_of(d)) is not None})
        analysis = pipeline.report(store, story_ids, load_settings())
    report = json.loads(render.dumps(analysis))
    render.validate(report)
    assert render.to_html(analysis).encode("utf-8")
    assert render.to_markdown(analysis).encode("utf-8")
    render.print_report(analysis, Console(file=StringIO(), width=100))
