"""The judged-findings scorer of bench/relations.py, on invented findings and judgments."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from conftest import load_harness


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_harness("relations")


def _finding(bench: ModuleType, kind: str, *spans: tuple[str, int, int]) -> object:
    return bench.Finding(bench.relation_key(kind, spans), kind, "s1", tuple(spans), "")


def _write(folder: Path, rows: list[dict[str, str]]) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "x.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return folder


def test_relations_key_is_order_free(bench: ModuleType) -> None:
    one = bench.relation_key("denial", [("b", 5, 9), ("a", 1, 3)])
    other = bench.relation_key("denial", [("a", 1, 3), ("b", 5, 9)])
    assert one == other == "denial|a:1-3|b:5-9"
    assert bench.parse_span("doc-1:10-20") == ("doc-1", 10, 20)


def test_relations_judgment_follows_a_moved_boundary(bench: ModuleType, tmp_path: Path) -> None:
    folder = _write(tmp_path / "j", [{"kind": "contradiction", "key": "contradiction|a:10-40|b:0-30",
                                      "verdict": "wrong", "reason": "scopes differ"}])
    judgments = bench.Judgments.load(folder)
    moved = _finding(bench, "contradiction", ("a", 12, 44), ("b", 0, 28))
    elsewhere = _finding(bench, "contradiction", ("a", 50, 60), ("b", 0, 28))
    other_kind = _finding(bench, "corroboration", ("a", 12, 44), ("b", 0, 28))
    assert judgments.find(moved)["verdict"] == "wrong"
    assert judgments.find(elsewhere) is None
    assert judgments.find(other_kind) is None


def test_relations_refuses_a_judgment_without_a_known_verdict(bench: ModuleType,
                                                              tmp_path: Path) -> None:
    folder = _write(tmp_path / "j", [{"kind": "brief", "key": "brief|00", "verdict": "right"}])
    with pytest.raises(SystemExit, match="verdict"):
        bench.Judgments.load(folder)


def test_relations_sample_is_fixed_and_bounded(bench: ModuleType) -> None:
    findings = [_finding(bench, "corroboration", (f"d{i}", 0, 5), ("e", i, i + 1))
                for i in range(200)]
    first, second = bench.sample(findings), bench.sample(list(reversed(findings)))
    assert len(first) == bench.SAMPLE_SIZE
    assert [f.key for f in first] == [f.key for f in second]
    assert bench.sample(findings[:7]) == sorted(findings[:7], key=lambda f: f.key)


def test_relations_score_counts_precision_and_the_recall_guard(bench: ModuleType,
                                                               tmp_path: Path) -> None:
    kept = _finding(bench, "denial", ("a", 0, 10), ("b", 0, 10))
    new = _finding(bench, "denial", ("a", 20, 30), ("c", 0, 10))
    rows = [
        {"kind": "denial", "key": kept.key, "verdict": "right", "reason": "r", "round": "before"},
        {"kind": "denial", "key": "denial|a:40-50|d:0-9", "verdict": "right", "reason": "r",
         "round": "before"},
        {"kind": "denial", "key": new.key, "verdict": "debatable", "reason": "r",
         "round": "after"},
    ]
    figures, todo = bench.score([kept, new], bench.Judgments.load(_write(tmp_path / "j", rows)))
    denial = figures["denial"]
    assert (denial["reported"], denial["judged"], denial["right"], denial["debatable"]) == (2, 2, 1, 1)
    assert denial["precision"] == 0.5  # debatable never counts as right
    assert denial["recall_guard"] == 0.5  # one of the two right findings is no longer reported
    assert todo == []
    assert bench.flat_figures(figures)["denial.precision"] == 0.5


def test_relations_unjudged_findings_are_listed_to_judge(bench: ModuleType, tmp_path: Path) -> None:
    finding = _finding(bench, "quote_variant", ("a", 0, 10), ("b", 3, 9))
    figures, todo = bench.score([finding], bench.Judgments.load(tmp_path / "none"))
    assert [f.key for f in todo] == [finding.key]
    assert figures["quote_variant"]["sample_coverage"] == 0.0
    assert figures["quote_variant"]["precision"] is None


def test_relations_report_topics_keeps_the_stories_of_odd_or_even_topics(
        bench: ModuleType, make_document, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from rashomon.store import open_store

    with open_store(str(tmp_path / "topics.db")) as store:
        ids = {}
        for key in ("1_1ecb", "1_2ecb", "2_1ecb", "3_1ecb", "4_1ecb"):
            document = make_document(f"Article {key} about the ferry.", source=f"ecbplus:{key}")
            store.put_document(document)
            ids[key] = document.id
        odd = store.create_story(None, [ids["1_1ecb"], ids["1_2ecb"]])
        even = store.create_story(None, [ids["2_1ecb"]])
        split = store.create_story(None, [ids["3_1ecb"], ids["4_1ecb"]])  # half and half
        stories = [odd, even, split]
        assert bench._stories_of_topics(store, stories, "odd") == [odd]
        assert bench._stories_of_topics(store, stories, "even") == [even]
        assert bench._stories_of_topics(store, stories, "all") == stories


def test_relations_a_kind_reporting_nothing_shows_nothing_wrong(bench: ModuleType,
                                                               tmp_path: Path) -> None:
    rows = [{"kind": "denial", "key": "denial|a:0-9|b:0-9", "verdict": "right", "reason": "r",
             "round": "before"}]
    figures, _ = bench.score([], bench.Judgments.load(_write(tmp_path / "j", rows)))
    assert figures["denial"]["reported"] == 0
    assert figures["denial"]["precision"] == 1.0
    assert figures["denial"]["recall_guard"] == 0.0  # what the gate catches instead


def test_relations_recall_guard_counts_a_right_group_that_gained_a_member(
    bench: ModuleType, tmp_path: Path
) -> None:
    judged = _finding(bench, "corroboration", ("a", 0, 10), ("b", 5, 15))
    wider = _finding(bench, "corroboration", ("a", 0, 12), ("b", 5, 15), ("c", 0, 9))
    elsewhere = _finding(bench, "corroboration", ("a", 0, 12), ("c", 0, 9))
    rows = [{"kind": "corroboration", "key": judged.key, "verdict": "right", "reason": "r",
             "round": "before"}]
    folder = _write(tmp_path / "j", rows)
    figures, todo = bench.score([wider], bench.Judgments.load(folder))
    assert figures["corroboration"]["recall_guard"] == 1.0  # still said, by a wider group
    assert figures["corroboration"]["judged"] == 0  # whose own verdict is still to give
    assert [f.key for f in todo] == [wider.key]
    figures, _ = bench.score([elsewhere], bench.Judgments.load(folder))
    assert figures["corroboration"]["recall_guard"] == 0.0  # b's part is no longer said


def test_relations_recall_guard_counts_each_judged_finding_once(
    bench: ModuleType, tmp_path: Path
) -> None:
    # two reported findings that both match one judged group do not make up for a lost one
    kept = _finding(bench, "corroboration", ("a", 0, 10), ("b", 5, 15))
    lost = _finding(bench, "corroboration", ("c", 0, 10), ("d", 5, 15))
    again = _finding(bench, "corroboration", ("a", 2, 10), ("b", 5, 12))
    rows = [{"kind": "corroboration", "key": f.key, "verdict": "right", "reason": "r",
             "round": "before"} for f in (kept, lost)]
    figures, _ = bench.score([kept, again], bench.Judgments.load(_write(tmp_path / "j", rows)))
    assert figures["corroboration"]["recall_guard"] == 0.5


def test_relations_recall_guard_reads_a_key_by_its_latest_verdict(
    bench: ModuleType, tmp_path: Path
) -> None:
    judged = _finding(bench, "corroboration", ("a", 0, 10), ("b", 5, 15))
    rows = [{"kind": "corroboration", "key": judged.key, "verdict": "right", "reason": "r",
             "round": "before"},
            {"kind": "corroboration", "key": judged.key, "verdict": "wrong", "reason": "w",
             "round": "after"}]
    figures, _ = bench.score([judged], bench.Judgments.load(_write(tmp_path / "j", rows)))
    assert figures["corroboration"]["right_before"] == 0  # judged wrong on a second reading
