"""The TimeBank scorer of bench/timeline.py, on invented gold and predictions."""

from __future__ import annotations

import datetime as dt
from types import ModuleType

import pytest
from conftest import load_harness


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_harness("timeline")


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2026-03-04", "2026-03-04", "2026-03-04"),
        ("2026-03-04T22:00", "2026-03-04", "2026-03-04"),  # a TIME is scored by its day
        ("2026-02", "2026-02-01", "2026-02-28"),
        ("2026", "2026-01-01", "2026-12-31"),
        ("2026-W10", "2026-03-02", "2026-03-08"),
        ("2026-Q3", "2026-07-01", "2026-09-30"),
        ("2026-H1", "2026-01-01", "2026-06-30"),
        ("2026-SU", "2026-06-01", "2026-08-31"),
        ("2026-WI", "2026-12-01", "2027-02-28"),
    ],
)
def test_bench_timeline_gold_values_name_their_days(bench: ModuleType, value: str, first: str,
                                                   last: str) -> None:
    assert bench.gold_days(value) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


@pytest.mark.parametrize("value", ["PRESENT_REF", "PAST_REF", "P3D", "XXXX-WXX-2", "2026-WXX",
                                   "199", "2026-02-30", "2026-W10-WE"])
def test_bench_timeline_other_values_count_neither_way(bench: ModuleType, value: str) -> None:
    assert bench.gold_days(value) is None


def _predicted(bench: ModuleType, start: int, end: int, date: str) -> object:
    first, last = (dt.date.fromisoformat(d) for d in date.split("/")) if "/" in date else (
        dt.date.fromisoformat(date),) * 2
    return bench.Predicted(start, end, "x", date, (first, last), False, "")


def test_bench_timeline_scores_extent_and_value(bench: ModuleType) -> None:
    gold = [bench.Gold(0, 5, "today", "2026-03-04", bench.gold_days("2026-03-04")),
            bench.Gold(10, 19, "last week", "2026-W09", bench.gold_days("2026-W09")),
            bench.Gold(30, 33, "now", "PRESENT_REF", None),
            bench.Gold(40, 47, "in 2025", "2025", bench.gold_days("2025"))]
    predicted = [_predicted(bench, 0, 5, "2026-03-04"),               # right
                 _predicted(bench, 15, 19, "2026-02-23/2026-03-01"),  # overlaps, right days
                 _predicted(bench, 30, 33, "2026-03-04"),             # only a neutral gold
                 _predicted(bench, 50, 55, "2026-01-01")]             # no gold at all
    counts, rows = bench.score(gold, predicted)
    assert (counts.predicted, counts.extent_right, counts.value_right) == (3, 2, 2)
    assert (counts.gold, counts.gold_found, counts.gold_valued) == (3, 2, 2)
    assert [r["verdict"] for r in rows] == ["right", "right", "neutral", "missed",
                                            "not a gold date"]
    figures = counts.figures()
    assert figures["extent_precision"] == round(2 / 3, 4)
    assert figures["value_recall"] == round(2 / 3, 4)
