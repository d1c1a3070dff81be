"""A story's JSON report kept with its analysis (`rashomon.render.stored`): `rashomon report ID
--json` prints it as kept, the same text the analysis renders to, without building the
analysis or loading what only analysing needs; `rashomon serve` answers `/api/stories/ID` with
it, and serves the parts of a story from it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from rashomon import pipeline, render, story_stage
from rashomon.cli import cli
from rashomon.model import (
    Analysis,
    Brief,
    BriefSentence,
    Document,
    Entity,
    Mention,
    OffsetMap,
    Story,
    document_id,
)
from rashomon.render import stored
from rashomon.serve import create_app
from rashomon.settings import Settings, load_settings
from rashomon.store import SQLiteStore, StoredReport

ROOT = Path(__file__).resolve().parents[1]

# Written for these tests: the words of no real article.
TEXTS = (
    "Ferry Service to Tarnby Halted\n\nThe harbour board halted the Tarnby ferry on Tuesday "
    "after a crack was found in its hull, board chair Ines Rauta said.",
    "Kiln Fire Closes Pottery Works\n\nA kiln fire closed the Ostberg pottery works on "
    "Sunday, fire chief Tomas Lehto said. Nobody was hurt.",
)


def _document(number: int, text: str) -> Document:
    key = f"https://example.org/{number}"
    return Document(
        id=document_id(key, text), source=key, source_key=key, text=text,
        raw_text=f"<p>{text}</p>", title=text.splitlines()[0], outlet=f"Outlet {number}",
        published="2026-05-04", url=key, offsets=OffsetMap(((0, 3, len(text)),)),
        removed=((0, 3),),
    )


def _analysis(story_id: str, document: Document) -> Analysis:
    """A small story-level analysis of one document: an entity, a mention, a brief."""
    name = document.text.split(" said")[0].rsplit(", ", 1)[1].split(" ", 2)[2]
    start = document.text.index(name)
    span = document.span(start, start + len(name))
    entity = Entity(f"person:{start}", name, "PERSON", (), ((document.id, 1),))
    return Analysis(
        documents=(document,), stories=(Story(story_id, (document.id,), document.title),),
        entities=(entity,), mentions=(Mention(span, name, "PERSON", entity=entity.id),),
        briefs=(Brief(story_id, (BriefSentence("happened", f"{name} spoke.", (span,)),)),),
    )


def _store_with_stories(db: Path, *, report: bool = True) -> dict[str, Analysis]:
    """A store of two one-document stories, each with its current analysis (and its report
    kept with it when `report`), as the story-level stage leaves them; story id -> analysis."""
    part = story_stage.settings_part(load_settings())
    analyses = {}
    with SQLiteStore(db) as store:
        for number, text in enumerate(TEXTS):
            document = _document(number, text)
            store.put_analyzed(document, [], [], [], [])
            story_id = store.create_story(document.title, [document.id])
            analysis = _analysis(story_id, document)
            store.put_story_analysis(
                story_id, analysis, key=story_stage.analysis_key([document.id], part),
                report=stored.for_store(analysis) if report else None)
            analyses[story_id] = analysis
    return analyses


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _no_analysis_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the stored analysis was read")

    monkeypatch.setattr(SQLiteStore, "load_story_analysis", refuse)


def test_report_of_one_story_prints_its_kept_text_without_reading_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    analyses = _store_with_stories(tmp_path / "r.db")
    _no_analysis_read(monkeypatch)
    for story_id, analysis in analyses.items():
        code, out, err = _invoke("report", story_id, "--db", str(tmp_path / "r.db"), "--json")
        assert (code, err) == (0, "")
        assert out == render.dumps(analysis) + "\n"
        target = tmp_path / f"{story_id}.json"
        code, out, _ = _invoke("report", story_id, "--db", str(tmp_path / "r.db"),
                               "--out", str(target), "--quiet")
        assert (code, out) == (0, "")
        assert target.read_text(encoding="utf-8") == render.dumps(analysis)


def test_report_kept_text_is_what_the_stored_analysis_renders_to(tmp_path: Path) -> None:
    analyses = _store_with_stories(tmp_path / "r.db")
    settings = load_settings()
    with SQLiteStore(tmp_path / "r.db") as store:
        for story_id in analyses:
            kept = stored.read(store, story_id, stored.current_key(store, story_id, settings))
            assert kept is not None
            assert kept == render.dumps(pipeline.report(store, [story_id], settings))


def test_report_of_several_stories_renders_their_analyses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    analyses = _store_with_stories(tmp_path / "r.db")
    code, out, _ = _invoke("report", *analyses, "--db", str(tmp_path / "r.db"), "--json")
    assert code == 0
    assert out == render.dumps(story_stage.combine(list(analyses.values()))) + "\n"


def test_report_not_kept_or_kept_by_other_code_is_rendered_then_kept(
    tmp_path: Path
) -> None:
    db = tmp_path / "r.db"
    analyses = _store_with_stories(db, report=False)
    first, second = analyses
    settings = load_settings()
    with SQLiteStore(db) as store:
        keys = {s: stored.current_key(store, s, settings) for s in analyses}
        store.put_story_report(second, keys[second], StoredReport("other code", "not this"))
        assert stored.read(store, first, keys[first]) is None
        assert stored.read(store, second, keys[second]) is None  # written by other code
    for story_id, analysis in analyses.items():
        code, out, _ = _invoke("report", story_id, "--db", str(db), "--json")
        assert code == 0 and out == render.dumps(analysis) + "\n"
        with SQLiteStore(db) as store:  # kept now, for the next report of the story
            assert stored.read(store, story_id, keys[story_id]) == render.dumps(analysis)


def test_report_kept_for_an_analysis_since_replaced_is_not_read(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    analyses = _store_with_stories(db)
    story_id = next(iter(analyses))
    settings = load_settings()
    with SQLiteStore(db) as store:
        key = stored.current_key(store, story_id, settings)
        assert stored.read(store, story_id, key) is not None
        # the story's analysis is another one now (a changed story, other settings), made
        # while a report was rendering the one of `key`
        store.put_story_analysis(story_id, analyses[story_id], key="another key",
                                 report=StoredReport(stored.report_format(), "its report"))
        assert stored.read(store, story_id, key) is None
        stored.keep(store, story_id, key, "a report of the analysis before")
        assert stored.read(store, story_id, "another key") == "its report"


def test_report_that_cannot_be_rendered_leaves_the_analysis_to_be_stored(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from rashomon.render import json as json_report

    analysis = _analysis("s0001", _document(0, TEXTS[0]))
    assert stored.for_store(analysis) is not None

    def broken(analysis: Analysis) -> str:
        raise KeyError("a bug")

    monkeypatch.setattr(json_report, "dumps", broken)
    assert stored.for_store(analysis) is None


def test_report_format_names_the_code_that_shapes_the_text() -> None:
    package = ROOT / "src" / "rashomon"
    # every module `render.dumps` runs for a stored analysis is one the format covers
    assert all((package / name).exists() for name in stored.SHAPING_SOURCES)
    assert stored.report_format() == stored.report_format()
    assert len(stored.report_format()) == 16


def test_report_process_loads_no_numpy_nor_the_models(tmp_path: Path) -> None:
    """`rashomon report ID --json` reads the kept text: numpy, the NLP and embedding code, the
    renderer and the terminal's rich are never imported (they cost it most of its time)."""
    analyses = _store_with_stories(tmp_path / "r.db")
    story_id, analysis = next(iter(analyses.items()))
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['rashomon', 'report', {story_id!r}, '--db', {str(tmp_path / 'r.db')!r},"
        " '--json']\n"
        "try:\n"
        "    runpy.run_module('rashomon', run_name='__main__')\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "heavy = ('numpy', 'spacy', 'torch', 'onnxruntime', 'sentence_transformers', 'rich',"
        " 'rashomon.embed', 'rashomon.nlp', 'rashomon.pipeline', 'rashomon.render.json')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "HOME": str(tmp_path),
           "PYTHONDONTWRITEBYTECODE": "1"}
    answer = subprocess.run([sys.executable, "-c", probe], env=env, cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout == render.dumps(analysis) + "\n"
    assert answer.stderr.strip() == "[]"


@pytest.mark.slow
def test_story_stage_keeps_each_story_report_as_its_analysis_renders(tmp_path: Path) -> None:
    """On real articles (the examples, and two stories written here): every story's kept text
    is what its analysis read back renders to, and `rashomon report` prints it."""
    folder = tmp_path / "inputs"
    shutil.copytree(ROOT / "examples", folder)
    for number, text in enumerate(TEXTS):
        (folder / f"written-{number}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "r.db"
    settings = load_settings()
    code, _, err = _invoke("ingest", str(folder), "--db", str(db))
    assert code == 0, err
    with SQLiteStore(db) as store:
        story_ids = list(store.story_members())
        assert len(story_ids) >= 3
        expected = {s: render.dumps(pipeline.report(store, [s], settings)) for s in story_ids}
        everything = render.dumps(pipeline.report(store, story_ids, settings))
        assert {s: stored.read(store, s, stored.current_key(store, s, settings))
                for s in story_ids} == expected
    for story_id, text in expected.items():
        code, out, err = _invoke("report", story_id, "--db", str(db), "--json")
        assert (code, err) == (0, "") and out == text + "\n"
        assert json.loads(out)["stories"][0]["id"] == story_id
    code, out, _ = _invoke("report", *story_ids, "--db", str(db), "--json")
    assert code == 0 and out == everything + "\n"


def _client(db: Path, settings: Settings | None = None) -> TestClient:
    return TestClient(create_app(str(db), settings or load_settings()),
                      base_url="http://127.0.0.1")


def test_api_story_answers_the_kept_text_without_reading_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/api/stories/ID` is what `rashomon report ID --json` prints (without its last newline),
    and the story's parts and entities are served from that text too."""
    db = tmp_path / "r.db"
    analyses = _store_with_stories(db)
    printed = {s: _invoke("report", s, "--db", str(db), "--json")[1] for s in analyses}
    _no_analysis_read(monkeypatch)
    client = _client(db)
    for story_id, analysis in analyses.items():
        answer = client.get(f"/api/stories/{story_id}")
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/json"
        assert answer.text + "\n" == printed[story_id]
        assert answer.text == render.dumps(analysis)
        report = json.loads(answer.text)
        part = client.get(f"/api/stories/{story_id}/mentions", params={"limit": 1}).json()
        assert (part["items"], part["total"]) == (report["mentions"][:1], len(report["mentions"]))
        entity = report["entities"][0]
        found = client.get(f"/api/stories/{story_id}/entities/{entity['id']}").json()
        assert found["entity"] == entity
        assert found["mentions"] == [m for m in report["mentions"]
                                     if m.get("entity") == entity["id"]] != []
    assert client.get("/api/stories/s9999").status_code == 404


def test_api_story_kept_by_other_code_is_rendered_then_kept(tmp_path: Path) -> None:
    """A kept text that this code would not write is not served: the analysis is rendered, and
    what it renders to is kept for the next request."""
    db = tmp_path / "r.db"
    analyses = _store_with_stories(db)
    story_id, analysis = next(iter(analyses.items()))
    settings = load_settings()
    with SQLiteStore(db) as store:
        key = stored.current_key(store, story_id, settings)
        store.put_story_report(story_id, key, StoredReport("other code", "not this"))
    client = _client(db, settings)
    answer = client.get(f"/api/stories/{story_id}")
    assert (answer.status_code, answer.text) == (200, render.dumps(analysis))
    with SQLiteStore(db) as store:
        assert stored.read(store, story_id, key) == render.dumps(analysis)


@pytest.mark.slow
def test_api_story_serves_no_report_of_an_analysis_gone_stale(tmp_path: Path) -> None:
    """On a store made by `rashomon ingest`: the API serves the kept text while it is current,
    and once the settings that shape the analysis change, the story is analysed again and the
    old text is not served."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    for number, text in enumerate(TEXTS):
        (folder / f"written-{number}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "r.db"
    code, _, err = _invoke("ingest", str(folder), "--db", str(db))
    assert code == 0, err
    settings = load_settings()
    with SQLiteStore(db) as store:
        story_id = next(iter(store.story_members()))
        key = stored.current_key(store, story_id, settings)
        kept = stored.read(store, story_id, key)
        assert kept == render.dumps(pipeline.report(store, [story_id], settings))
        # a marker in place of the kept text: served only when read from the store
        store.put_story_report(story_id, key, StoredReport(stored.report_format(), "[1]"))
    assert _client(db, settings).get(f"/api/stories/{story_id}").text == "[1]"
    changed = load_settings(variant_threshold=settings.variant_threshold / 2)
    answer = _client(db, changed).get(f"/api/stories/{story_id}")
    assert answer.status_code == 200 and answer.text != "[1]"
    with SQLiteStore(db) as store:
        assert answer.text == render.dumps(pipeline.report(store, [story_id], changed))
        assert stored.read(store, story_id, stored.current_key(store, story_id, changed)) \
            == answer.text
