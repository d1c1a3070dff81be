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


def test_store_caches_keep_documents_terms_as_read_and_merges_once_known() -> None:
    caches = GroupingCaches()
    reads: list[list[str]] = []

    def load(ids: list[str]) -> dict[str, dict[str, float]]:
        reads.append(ids)
        return {d: {"bridge": 1.0, "maas": 2.0} for d in ids if d != "bare"}

    assert caches.document_terms(["d2", "d1", "bare", "d1"], load) == {
        "d1": {"bridge": 1.0, "maas": 2.0}, "d2": {"bridge": 1.0, "maas": 2.0}}
    # by doc id, whatever order they are asked in; a copy, so a caller cannot spoil the cache
    found = caches.document_terms(["d2", "d1"], load)
    assert list(found) == ["d1", "d2"]
    found["d1"]["bridge"] = 9.0
    assert caches.document_terms(["d1", "d3"], load)["d1"] == {"bridge": 1.0, "maas": 2.0}
    assert reads == [["bare", "d1", "d2"], ["d3"]]
    caches.terms_put("d1", "s1", ["ferry"])  # given other terms: read again
    caches.document_terms(["d1", "bare"], load)
    assert reads[-1] == ["bare", "d1"]  # a document without terms is asked for again

    assert caches.merged_into("s1", lambda story: None) is None
    caches.merge_recorded("s1", "s2")
    assert caches.merged_into("s1", lambda story: None) == "s2"
    caches.story_created("s3")
    assert caches.merged_into("s3", lambda story: "never asked") is None
    caches.reset()
    assert caches.merged_into("s1", lambda story: "s4") == "s4"


def test_store_policy_titles_and_stale_relations() -> None:
    assert not policy.keeps_title("Bridge shut", "Bridge shut")  # named after the leaver
    assert policy.keeps_title("Bridge shut", "Ferry late")
    assert policy.keeps_title(None, "Bridge shut") and policy.keeps_title("Bridge shut", None)
    assert policy.shown_title("Given", lambda: "Member") == "Given"
    assert policy.shown_title(None, lambda: "Member") == "Member"
    assert policy.stale_relations_after_merge("s1", "s2") == ("s2",)
    assert policy.stale_relations_after_move("s1", "s2") == ("s1", "s2")
