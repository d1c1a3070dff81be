"""bench/check.py end to end on invented records: the harness runs on the code it measures.

It stopped running once, unseen, when a name it used left `rashomon.stories`; CI does not run the
harness itself (see the README), so this test does, on a few articles written for the project.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from conftest import load_harness

pytestmark = pytest.mark.slow


def _record(n: int, topic: int, story: str, text: str) -> dict[str, Any]:
    return {"id": f"{topic}_{n}", "topic": topic, "story": story, "text": text}


# topic 1: two mayors resign (one kind of event, two events); topic 2: a festival and a ferry
RECORDS = [
    _record(1, 1, "veyra", "Port Veyra mayor Teodor Brannik resigned on Monday after eleven years "
            "in office.\nThe Port Veyra council accepted the resignation of Teodor Brannik and "
            "named deputy mayor Ana Silva to lead the city until an election."),
    _record(2, 1, "veyra", "Teodor Brannik has stepped down as mayor of Port Veyra, the city "
            "council said.\nBrannik handed his letter of resignation to the Port Veyra council "
            "clerk, and Ana Silva will lead the city."),
    _record(3, 1, "ostmark", "Ostmark mayor Lena Varga resigned after the town council rejected "
            "her budget for a third time.\nVarga said in her letter to the Ostmark council that "
            "she could no longer govern without a majority."),
    _record(4, 1, "ostmark", "Lena Varga quit as mayor of Ostmark on Tuesday over the budget "
            "row.\nThe Ostmark council will choose an acting mayor until Varga's successor is "
            "elected."),
    _record(5, 2, "festival", "The cherry festival in Dornach was cancelled after a late frost "
            "destroyed the blossom.\nDornach growers said the frost was the worst in thirty "
            "years, and the festival director called off the Dornach celebrations."),
    _record(6, 2, "festival", "Frost has forced Dornach to cancel its annual cherry festival, "
            "organisers said.\nMost Dornach orchards lost their blossom, and the cherry festival "
            "will return next spring."),
    _record(7, 2, "ferry", "The Kessel ferry ran aground near Halvik harbour on Sunday with "
            "forty passengers aboard.\nNo one was hurt when the Kessel ferry struck a sandbank "
            "outside Halvik, the coast guard said."),
    _record(8, 2, "ferry", "Forty passengers were taken off the Kessel ferry after it ran "
            "aground outside Halvik.\nThe Halvik harbour master said the Kessel would be towed "
            "off the sandbank at high tide."),
]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_harness("check")


def test_bench_check_scores_one_claim_per_story_from_the_claims_own_story(
        bench: ModuleType) -> None:
    figures = bench.run(RECORDS, "all")
    assert (figures["claims"], figures["claims_odd"], figures["claims_even"]) == (4, 2, 2)
    # every claim is answered by the other article of its story, never by the other mayor's
    assert figures["answered"] == 1.0
    assert figures["top1"] == 1.0
    assert figures["top5_share"] == 1.0


def test_bench_check_scores_only_the_topics_asked_for(bench: ModuleType) -> None:
    figures = bench.run(RECORDS, "even")
    assert (figures["claims"], figures["claims_odd"], figures["claims_even"]) == (2, 0, 2)
