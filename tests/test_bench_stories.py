"""The error listing of bench/stories.py, on invented gold labels and clusterings."""

from __future__ import annotations

from types import ModuleType

import pytest
from conftest import load_harness


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_harness("stories")


def test_bench_stories_errors_name_mixed_clusters_and_split_stories(bench: ModuleType) -> None:
    gold = ["quake", "quake", "quake", "flood", "flood", "trial"]
    predicted = ["c1", "c1", "c2", "c1", "c3", "c4"]
    found = bench.errors(gold, predicted)
    assert found["mixed"] == [{"cluster": "c1", "stories": {"quake": 2, "flood": 1}}]
    assert found["split"] == [
        {"story": "flood", "parts": [1, 1], "cluster_sizes": [3, 1]},
        {"story": "quake", "parts": [2, 1], "cluster_sizes": [3, 1]},
    ]


def test_bench_stories_errors_of_the_gold_clustering_are_none(bench: ModuleType) -> None:
    gold = ["quake", "quake", "flood"]
    assert bench.errors(gold, ["a", "a", "b"]) == {"mixed": [], "split": []}
