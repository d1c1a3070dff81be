"""The story-level stage: run by ingest for the stories it changed, stored, read back as is."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon import nlp, pipeline, render, story_stage
from rashomon.settings import load_settings
from rashomon.store import SQLiteStore

pytestmark = pytest.mark.slow

DATED = """Quarry Blast Shakes Halvering Village

Halvering, April 14, 2026 - A blast at the Merrow quarry shook houses across Halvering on Monday.
"The charge was twice what the permit allows," inspector Odile Varga said.
Quarry owner Benno Stahl denied that the charge broke any rule.
"""

UNDATED = """Halvering Quarry Blast Cracks Walls

A blast at the Merrow quarry cracked walls in Halvering on Monday, inspector Odile Varga said.
"The charge was twice what the permit allows," Varga told residents at a meeting.
Benno Stahl, who owns the quarry, said the blast was within the permit.
"""


def _ingest(folder: Path, store: SQLiteStore, **texts: str) -> pipeline.AnalyzeResult:
    paths = []
    for name, text in texts.items():
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return pipeline.ingest(paths, store=store, settings=load_settings())


def test_story_stage_undated_document_is_dated_once_and_never_parsed_at_report_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings()
    with SQLiteStore(tmp_path / "r.db") as store:
        result = _ingest(tmp_path, store, dated=DATED, undated=UNDATED)
        (story_id,) = {store.story_of(d) for d in result.added}
        undated_id = next(d for d in result.added if store.get_document(d).published is None)
        (date, inferred) = store.document_dates([undated_id])[undated_id]
        assert (date, inferred) == ("2026-04-14", True)
        stored = store.load_story_analysis(story_id)
        assert stored is not None and stored.run_id is not None  # made by the ingest

        def no_parsing(*args: object, **kwargs: object) -> None:
            raise AssertionError("a report parsed a document")

        monkeypatch.setattr(nlp, "parse", no_parsing)
        analysis = pipeline.report(store, [story_id], settings)
    document = analysis.document(undated_id)
    assert (document.published, document.published_inferred) == ("2026-04-14", True)
    assert analysis == stored.analysis


def test_story_stage_stale_story_is_analysed_again_with_a_note(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "r.db") as store:
        result = _ingest(tmp_path, store, dated=DATED)
        (story_id,) = {store.story_of(d) for d in result.added}
        first = render.to_json(pipeline.report(store, [story_id], load_settings()))
        aliases = tmp_path / "aliases.csv"
        aliases.write_text("merge,Odile Varga,Benno Stahl\n", encoding="utf-8")
        changed = load_settings(alias_file=str(aliases))
        assert story_stage.stale_stories(store, changed) == [story_id]
        notes: list[str] = []
        merged = render.to_json(pipeline.report(store, [story_id], changed, on_stale=notes.append))
        assert notes == [story_id]
        assert story_stage.stale_stories(store, changed) == []  # stored, so computed once
    assert merged != first
    assert len(merged["entities"]) < len(first["entities"])
