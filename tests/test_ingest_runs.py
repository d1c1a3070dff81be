"""A serial stream of documents gives the same stories however it is cut into `ingest` runs.

The placement of a document may depend on what was placed before it, never on which of the
documents after it happened to arrive in the same run. The articles are the invented ones of
`test_store_kill` (six made-up events told by five made-up outlets), in a fixed shuffled order:
an order in which the stories do not form trivially, so that a difference in scoring shows.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from rashomon import pipeline
from rashomon.settings import load_settings
from rashomon.store import open_store
from test_store_kill import write_articles

pytestmark = pytest.mark.slow


def _stories(db: Path, runs: list[list[str]]) -> list[list[str]]:
    """Ingest each run's files in turn into one SQLite file; its stories as sorted file names."""
    settings = load_settings()
    with open_store(str(db)) as store:
        for files in runs:
            pipeline.ingest(files, store=store, settings=settings)
    with open_store(str(db)) as store:
        members = store.story_members().values()
        return sorted(sorted(Path(store.get_document(d).source).name for d in docs)
                      for docs in members if docs)


def test_ingest_in_one_run_or_three_gives_the_same_stories(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    total = write_articles(folder)
    files = random.Random(7).sample(sorted(str(p) for p in folder.glob("*.txt")), total)
    third = total // 3
    one = _stories(tmp_path / "one.db", [files])
    three = _stories(tmp_path / "three.db",
                     [files[:third], files[third : 2 * third], files[2 * third :]])
    assert sum(len(story) for story in one) == total  # every article placed once
    assert three == one
