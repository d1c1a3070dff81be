"""The grouping caches and the story rules, above every backend: what they answer from memory,
how a writer's own changes keep them true, and when a story keeps its title."""

from __future__ import annotations

from rashomon.store import policy
from rashomon.store.caches import GroupingCaches


class _Loads:
    """Counts what the caches ask the backend for."""

    def __init__(self, df: dict[str, int]) -> None:
        self.df = df
        self.asked: list[list[str]] = []

    def __call__(self, terms: list[str]) -> dict[str, int]:
        self.asked.append(list(terms))
        return {t: self.df[t] for t in terms if t in self.df}


def test_store_caches_ask_the_backend_once_and_keep_own_writes() -> None:
    caches = GroupingCaches()
    load = _Loads({"bridge": 2})
    assert caches.term_counts(["bridge", "ferry"], load) == {"bridge": 2}
    caches.terms_put("d3", None, ["bridge", "ferry"])
    # answered from memory, with the document just put counted
    assert caches.term_counts(["bridge", "ferry"], load) == {"bridge": 3, "ferry": 1}
    assert load.asked == [["bridge", "ferry"]]
    caches.reset()
    assert caches.term_counts(["bridge"], load) == {"bridge": 2}
    assert len(load.asked) == 2


def test_store_caches_follow_joins_merges_and_moves() -> None:
    caches = GroupingCaches()
    pairs = [("bridge", "s1"), ("ferry", "s2")]
    assert caches.stories_with_terms(["bridge", "ferry"], lambda terms: pairs) == {"s1": 1, "s2": 1}
    assert caches.story_size("s1", lambda story: 2) == 2
    caches.terms_put("d9", None, ["ferry"])
    # the terms of a document this handle put are not read again when it joins a story
    caches.attached("s1", ["d9"], lambda ids: {})
    assert caches.stories_with_terms(["ferry"], lambda terms: []) == {"s1": 1, "s2": 1}
    assert caches.story_size("s1", lambda story: -1) == 3
    caches.merged("s1", "s2")
    assert caches.stories_with_terms(["ferry"], lambda terms: []) == {"s1": 1}
    assert caches.story_size("s2", lambda story: -1) == 0
    caches.story_created("s3")
    # "bridge" is still held by another document of s1; "ferry" no longer is
    caches.moved("s1", "s3", ["bridge", "ferry"], lambda cached: {"bridge"})
    assert caches.stories_with_terms(["bridge", "ferry"], lambda terms: []) == {
        "s1": 1, "s3": 2}
    assert caches.story_size("s3", lambda story: -1) == 1


def test_store_policy_titles_and_stale_relations() -> None:
    assert not policy.keeps_title("Bridge shut", "Bridge shut")  # named after the leaver
    assert policy.keeps_title("Bridge shut", "Ferry late")
    assert policy.keeps_title(None, "Bridge shut") and policy.keeps_title("Bridge shut", None)
    assert policy.shown_title("Given", lambda: "Member") == "Given"
    assert policy.shown_title(None, lambda: "Member") == "Member"
    assert policy.stale_relations_after_merge("s1", "s2") == ("s2",)
    assert policy.stale_relations_after_move("s1", "s2") == ("s1", "s2")
