"""The PolNeAR scorer of bench/attribution.py, on tiny invented .ann/.txt files."""

from __future__ import annotations

import json
from types import ModuleType

import pytest
from conftest import load_harness


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_harness("attribution")


TEXT = "Mayor Ana Silva said the pier would reopen. “We are ready,” she added, \"truly.\""
_ANN_LINES = (
    "T1\tSource 0 15\tMayor Ana Silva",
    "T2\tCue 16 20\tsaid",
    "T3\tContent 21 42\tthe pier would reopen",
    "T4\tAttribution 16 20\tsaid",
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
    "T5\tContent 44 59;71 79\t“We are ready,” \"truly.\"",
    "T6\tCue 64 69\tadded",
    "T7\tSource 60 63\tshe",
    "T8\tAttribution 64 69\tadded",
    "E2\tAttribution:T8 Content:T5 Cue:T6 Source:T7",
    "T9\tDiscuss 0 15\tMayor Ana Silva",
    "T10\tContent 21 29\tthe pier",
    "T11\tCue 30 35\twould",
    "E3\tAttribution-no-source:T12 Content:T10 Cue:T11",
)
ANN = "\n".join(_ANN_LINES) + "\n"


def test_bench_attribution_offsets_of_the_invented_text() -> None:
    assert TEXT[0:15] == "Mayor Ana Silva" and TEXT[16:20] == "said"
    assert TEXT[21:42] == "the pier would reopen"
    assert TEXT[44:59] == "“We are ready,”" and TEXT[71:79] == '"truly."'
    assert TEXT[60:63] == "she" and TEXT[64:69] == "added"


def test_bench_attribution_parse_ann_reads_events_and_discontinuous_spans(bench) -> None:
    gold = bench.parse_ann(ANN)
    assert len(gold) == 3  # the Discuss span is no attribution
    assert gold[0].source == ((0, 15),) and gold[0].cue == ((16, 20),)
    assert gold[1].content == ((44, 59), (71, 79))
    assert gold[2].source is None  # Attribution-no-source


@pytest.mark.parametrize(
    ("predicted", "gold", "match"),
    [
        ((21, 42), (21, 42), True),
        ((21, 29), (21, 42), True),  # 2 of the longer span's 4 tokens: exactly half
        ((21, 25), (21, 42), False),  # 1 of 4
        ((16, 42), (21, 42), True),  # the cue word in too: 4 of 5
        ((0, 15), (21, 42), False),
    ],
)
def test_bench_attribution_spans_match_on_half_the_longer_span(
    bench, predicted: tuple[int, int], gold: tuple[int, int], match: bool
) -> None:
    tokens = bench.Tokens(TEXT)
    assert bench.spans_match(tokens.of((predicted,)), tokens.of((gold,))) is match


def test_bench_attribution_tokens_ignore_quote_marks(bench) -> None:
    tokens = bench.Tokens(TEXT)
    assert tokens.of(((44, 59),)) == tokens.of(((45, 57),))  # “We are ready,” = We are ready


def test_bench_attribution_match_is_one_to_one(bench) -> None:
    a, b = frozenset({1, 2}), frozenset({1, 2, 3})
    assert bench.match_one_to_one([a, b], [b]) == {1: 0}  # the better overlap wins


def test_bench_attribution_count_arithmetic(bench) -> None:
    count = bench.Count()
    count.add(2, 4, 5)
    count.add(1, 1, 1)
    assert (count.precision, count.recall) == (3 / 5, 3 / 6)
    assert count.f1 == pytest.approx(2 * 3 / 11)
    assert bench.Count().f1 == 0.0


def test_bench_attribution_score_article(bench) -> None:
    gold = bench.parse_ann(ANN)
    predicted = [
        # right: content and source
        bench.Predicted(((21, 42),), ((6, 15),), ((16, 20),)),
        # content right (two fragments of one split quote), source wrong
        bench.Predicted(((45, 57), (72, 78)), ((0, 15),), ((64, 69),)),
        # spurious
        bench.Predicted(((0, 5),), None, None),
    ]
    score = bench.Score()
    records = bench.score_article(TEXT, gold, predicted, score)
    figures = score.figures()
    assert (score.content.right, score.content.predicted, score.content.gold) == (2, 3, 3)
    assert score.content_exact.right == 2
    assert figures["content_f1"] == pytest.approx(round(2 / 3, 4))
    assert figures["attribution_f1"] == pytest.approx(round(2 * 1 / 6, 4))
    assert figures["source_accuracy"] == 0.5
    # unique sources: gold {Mayor Ana Silva, she}, predicted {Ana Silva, Mayor Ana Silva}
    assert (score.source.right, score.source.predicted, score.source.gold) == (1, 2, 2)
    assert (score.cue.right, score.cue.predicted, score.cue.gold) == (2, 2, 3)
    assert [r["result"] for r in records] == ["right", "wrong_source", "spurious", "missed"]


def test_bench_attribution_no_gold_source_accepts_any_speaker(bench) -> None:
    gold = [bench.GoldAttribution(((21, 29),), None, None)]
    score = bench.Score()
    bench.score_article(TEXT, gold, [bench.Predicted(((21, 29),), None, None)], score)
    assert score.attribution.right == 1


def test_bench_attribution_load_articles_takes_the_first_annotator(bench, tmp_path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a_story.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "text" / "orphan.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "a_story_b2.ann").write_text("", encoding="utf-8")
    (tmp_path / "attributions" / "a_story_a1.ann").write_text(ANN, encoding="utf-8")
    articles = bench.load_articles(tmp_path)
    assert [(name, ann.name) for name, _, ann in articles] == [("a_story", "a_story_a1.ann")]


def test_bench_attribution_floors_gate(bench, tmp_path) -> None:
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"polnear_dev": {"content_f1": 0.5, "cue_f1": 0.5},
                                  "seeds": {"sentences_lost": 0}}))
    gate = bench.below_floors
    assert gate({"content_f1": 0.6, "cue_f1": 0.5}, floors, "polnear_dev") == []
    assert gate({"content_f1": 0.4, "cue_f1": 0.5}, floors, "polnear_dev") == [
        "content_f1 = 0.4, floor 0.5"
    ]
    assert gate({"sentences_lost": 1}, floors, "seeds", ceilings={"sentences_lost"}) == [
        "sentences_lost = 1, ceiling 0"
    ]
    assert bench.exit_code([]) == 0 and bench.exit_code(["x"]) == 1


@pytest.mark.slow
def test_bench_speed_times_the_attribution_stage_apart_from_the_parse(tmp_path) -> None:
    # In this process (the pipeline is already loaded by other tests); the command runs it in a
    # child process of its own.
    speed = load_harness("speed")
    paths = []
    for n, text in enumerate([TEXT, "Teodor Brannik said the ferries of Port Veyra will run."]):
        path = tmp_path / f"{n}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    stage = speed._run_attribution(paths)
    assert stage["attributions"] >= 3  # the invented text's two, Brannik's one
    assert stage["parse_seconds"] > 0 and stage["attribution_seconds"] > 0
