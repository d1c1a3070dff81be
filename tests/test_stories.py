"""Story grouping: key terms, candidate blocking, joining, separating, merging, stable ids.

Embeddings are made up (unit vectors chosen per test) so these run without the models; the
texts are invented for the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import numpy as np
import pytest
from conftest import load_harness

from rashomon import stories
from rashomon.model import Document
from rashomon.store import SQLiteStore
from rashomon.store.sqlite import MEMORY

MODEL = "test-model"

QUAKE_A1 = ("A magnitude 6.1 earthquake struck near Tarvessa on Tuesday, toppling the old "
            "clock tower, Governor Mirela Ostan said. Rescue teams from Brevik searched rubble.")
QUAKE_A2 = ("Rescue teams from Brevik pulled two survivors from the rubble in Tarvessa after "
            "Tuesday's 6.1 earthquake, Governor Mirela Ostan told reporters.")
QUAKE_B1 = ("A magnitude 5.4 earthquake shook Quillon Bay on Sunday, cutting power to the "
            "harbour district, mayor Teodor Vanko said. Fishermen reported damaged piers.")
QUAKE_B2 = ("Power returned to the harbour district of Quillon Bay two days after the 5.4 "
            "earthquake, mayor Teodor Vanko said, as fishermen repaired the piers.")


def _vector(*weights: float) -> np.ndarray:
    v = np.zeros(8, dtype=np.float32)
    v[: len(weights)] = weights
    return v / np.linalg.norm(v)


@pytest.fixture
def store():  # type: ignore[no-untyped-def]
    with SQLiteStore(MEMORY) as s:
        yield s


def _add(store: SQLiteStore, make_document: Callable[..., Document], text: str,
         vector: np.ndarray, **kwargs: str) -> str:
    document = make_document(text, source=f"{abs(hash(text))}.txt", **kwargs)
    store.put_document(document)
    store.put_embedding(document.id, MODEL, vector)
    result = stories.assign_stories(store, [document], vector[None, :], model=MODEL)
    return result[document.id]


def test_stories_key_terms_boost_names_and_drop_stop_words(make_document) -> None:  # type: ignore[no-untyped-def]
    terms = stories.key_terms(make_document("The mayor said that Teodor Vanko met the mayor."))
    assert "the" not in terms and "said" not in terms
    assert terms["vanko"] > terms["met"]  # a name outweighs a plain word said as often
    assert terms["mayor"] > terms["met"]  # said twice


def test_stories_key_terms_carry_the_year_of_publication(make_document) -> None:  # type: ignore[no-untyped-def]
    text = "Floodwater closed the Dornava road after the river rose."
    dated = stories.key_terms(make_document(text, published="2031-04-02"))
    undated = stories.key_terms(make_document(text))
    assert "2031" not in undated
    assert dated["2031"] == max(dated.values())  # weighed as a name
    assert {t: w for t, w in dated.items() if t != "2031"} == undated


def test_stories_two_events_of_one_kind_come_apart(store, make_document) -> None:  # type: ignore[no-untyped-def]
    # the ledes embed alike (two earthquakes, cosine about 0.8, as MiniLM puts two quake
    # reports); the names, places and numbers tell them apart
    a1 = _add(store, make_document, QUAKE_A1, _vector(1, 0.2))
    b1 = _add(store, make_document, QUAKE_B1, _vector(1, 1.2))
    a2 = _add(store, make_document, QUAKE_A2, _vector(1, 0.3))
    b2 = _add(store, make_document, QUAKE_B2, _vector(1, 1.1))
    assert a1 == a2 and b1 == b2 and a1 != b1
    assert {row.size for row in store.list_stories()} == {2}


def test_stories_ids_stay_stable_and_reassigning_changes_nothing(store, make_document) -> None:  # type: ignore[no-untyped-def]
    first = _add(store, make_document, QUAKE_A1, _vector(1))
    assert _add(store, make_document, QUAKE_A2, _vector(1, 0.1)) == first
    document = make_document(QUAKE_A1, source=f"{abs(hash(QUAKE_A1))}.txt")
    again = stories.assign_stories(store, [document], _vector(1)[None, :], model=MODEL)
    assert again == {document.id: first}
    assert [row.id for row in store.list_stories()] == [first]


def test_stories_scorer_idf_follows_the_store_between_documents(store, make_document) -> None:  # type: ignore[no-untyped-def]
    _add(store, make_document, QUAKE_A1, _vector(1.0))
    scorer = stories._Scorer(store)
    alone = scorer.idf(["tarvessa", "quillon"])
    assert scorer.idf(["quillon", "tarvessa"]) == {t: alone[t] for t in ("quillon", "tarvessa")}
    _add(store, make_document, QUAKE_B1, _vector(0.0, 1.0))
    # one document more, holding "quillon" (not "tarvessa"): both idfs change, unasked
    after = scorer.idf(["tarvessa", "quillon"])
    assert after["tarvessa"] > alone["tarvessa"]
    assert after["quillon"] < alone["quillon"]


def test_stories_unrelated_document_starts_its_own_story(store, make_document) -> None:  # type: ignore[no-untyped-def]
    first = _add(store, make_document, QUAKE_A1, _vector(1))
    other = _add(store, make_document,
                 "The cherry festival in Dornach was cancelled after frost killed the blossom.",
                 _vector(0, 1))
    assert other != first


def test_stories_same_words_years_apart_are_two_stories(store, make_document) -> None:  # type: ignore[no-untyped-def]
    # two floods of one river told in the same words: only the dates tell them apart
    text = "The Dornava burst its banks at Tarvessa, flooding the old town, mayor Teodor Vanko said."
    first = _add(store, make_document, text, _vector(1), published="2029-03-02")
    again = _add(store, make_document, text + " ", _vector(1), published="2029-03-04")
    later = _add(store, make_document, text + "  ", _vector(1), published="2031-03-02")
    assert first == again != later


def test_stories_bridging_document_merges_and_the_merge_is_recorded(store, make_document) -> None:  # type: ignore[no-untyped-def]
    a = store.create_story("a", [_put(store, make_document, QUAKE_A1, _vector(1))])
    b = store.create_story("b", [_put(store, make_document, QUAKE_A2, _vector(1, 0.05))])
    bridge = make_document(QUAKE_A1 + " " + QUAKE_A2, source="bridge.txt")
    store.put_document(bridge)
    store.put_embedding(bridge.id, MODEL, _vector(1, 0.02))
    got = stories.assign_stories(store, [bridge], _vector(1, 0.02)[None, :], model=MODEL)
    assert got[bridge.id] == a  # the older id is kept
    assert store.resolve_story(b) == a
    assert [row.id for row in store.list_stories()] == [a]


def _put(store: SQLiteStore, make_document: Callable[..., Document], text: str,
         vector: np.ndarray) -> str:
    document = make_document(text, source=f"{abs(hash(text))}.txt")
    store.put_document(document)
    store.put_embedding(document.id, MODEL, vector)
    store.put_terms(document.id, stories.key_terms(document))
    return document.id


def _fresh_answers(location: str, terms: list[str], story_ids: list[str]) -> tuple:  # type: ignore[type-arg]
    with SQLiteStore(location) as fresh:
        return (fresh.term_counts(terms), fresh.stories_with_terms(terms),
                [fresh.story_size(s) for s in story_ids])


def test_stories_store_caches_follow_other_connections_and_rollbacks(tmp_path, make_document) -> None:  # type: ignore[no-untyped-def]
    # term counts, blocking and story sizes are answered from memory once asked: they must
    # still agree with the file after another connection writes, and after a rollback
    location = str(tmp_path / "store.db")
    terms = ["tarvessa", "quillon", "earthquake", "brevik"]
    with SQLiteStore(location) as one, SQLiteStore(location) as other:
        first = _add(one, make_document, QUAKE_A1, _vector(1, 0))
        assert one.term_counts(terms) == {"tarvessa": 1, "earthquake": 1, "brevik": 1}
        assert one.stories_with_terms(terms) == {first: 3}
        second = _add(other, make_document, QUAKE_B1, _vector(0, 1))
        _add(other, make_document, QUAKE_A2, _vector(1, 0.1))
        ids = [first, second]
        assert (one.term_counts(terms), one.stories_with_terms(terms),
                [one.story_size(s) for s in ids]) == _fresh_answers(location, terms, ids)
        with pytest.raises(RuntimeError), one.transaction():
            extra = make_document("Tarvessa and Quillon again.", source="extra.txt")
            one.put_document(extra)
            one.put_terms(extra.id, {"tarvessa": 1.0, "quillon": 1.0})
            one.add_to_story(first, [extra.id])
            raise RuntimeError("undo")
        assert (one.term_counts(terms), one.stories_with_terms(terms),
                [one.story_size(s) for s in ids]) == _fresh_answers(location, terms, ids)


def test_stories_store_caches_follow_a_merge(store, make_document) -> None:  # type: ignore[no-untyped-def]
    a = _add(store, make_document, QUAKE_A1, _vector(1, 0))
    b = _add(store, make_document, QUAKE_B1, _vector(0, 1))
    assert store.stories_with_terms(["tarvessa", "quillon"]) == {a: 1, b: 1}
    size_a, size_b = store.story_size(a), store.story_size(b)
    store.merge_stories(a, b)
    assert store.stories_with_terms(["tarvessa", "quillon"]) == {a: 2}
    assert (store.story_size(a), store.story_size(b)) == (size_a + size_b, 0)


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_harness("stories")


def test_stories_bench_tells_merges_from_splits(bench) -> None:  # type: ignore[no-untyped-def]
    # cluster x merges both events; y and z are splits of one event each
    gold = ["quake", "quake", "quake", "flood", "flood"]
    predicted = ["x", "x", "y", "x", "z"]
    precision, recall, _ = bench.bcubed(gold, predicted)
    assert precision < 1.0
    unmerged = bench.merges_split(gold, predicted)
    assert bench.bcubed(gold, unmerged)[:2] == (1.0, recall)  # only the merge is undone
    assert len(set(unmerged)) == 4
    joined = bench.splits_joined(gold, predicted)
    assert joined == ["quake", "quake", "quake", "quake", "flood"]  # x keeps its flood member
    assert bench.bcubed(gold, joined)[1] > recall
    # a tie between two stories in one cluster is broken the same way every run
    assert bench.splits_joined(["b", "a"], ["x", "x"]) == ["a", "a"]


def test_stories_bench_arrival_orders(bench, make_document) -> None:  # type: ignore[no-untyped-def]
    dates = ["2031-05-03", None, "2031-05-01", "2031-05-02", None]
    documents = [make_document(f"report {n}", source=f"{n}.txt", published=d)
                 for n, d in enumerate(dates)]
    assert bench.arrival_order(documents, "file", 7) == [0, 1, 2, 3, 4]
    shuffled = bench.arrival_order(documents, "shuffled", 7)
    assert sorted(shuffled) == [0, 1, 2, 3, 4] and shuffled == bench.arrival_order(
        documents, "shuffled", 7)
    # dated reports by date in the dated places; the undated ones stay where they were
    assert bench.arrival_order(documents, "date", 7) == [2, 1, 3, 0, 4]


# -- local re-assignment -------------------------------------------------------------------------

# A first report that names the people of a strike but little of the strike itself: alone, it
# reads too unlike any single later report to join it; against the grown story, it fits.
STRIKE_LONE = ("Teodor Brannik, Ana Silva, Mirela Ostan, Piet Maas and Lena Ostrova met the "
               "harbour pilots in Port Veyra on Monday.")
STRIKE_LATER = (
    "Teodor Brannik led the harbour pilots' strike at Kestrel Pier in Port Veyra on Tuesday.",
    "Ana Silva joined the harbour pilots' strike at Kestrel Pier in Port Veyra.",
    "Mirela Ostan backed the harbour pilots' strike at Kestrel Pier in Port Veyra.",
    "Piet Maas addressed the harbour pilots' strike at Kestrel Pier in Port Veyra.",
    "The harbour pilots' strike at Kestrel Pier in Port Veyra entered a third day.",
)


def _strike(store: SQLiteStore, make_document: Callable[..., Document],
            reassign: bool = True) -> tuple[list[Document], list[np.ndarray], list[str]]:
    documents = [make_document(text, source=f"strike-{n}.txt")
                 for n, text in enumerate((STRIKE_LONE, *STRIKE_LATER))]
    vectors = [_vector(1, 3), *(_vector(1, 0.1 * n) for n in range(len(STRIKE_LATER)))]
    placed = []
    for document, vector in zip(documents, vectors, strict=True):
        store.put_document(document)
        store.put_embedding(document.id, MODEL, vector)
        placed.append(stories.assign_stories(store, [document], vector[None, :], model=MODEL,
                                             reassign=reassign)[document.id])
    return documents, vectors, placed


def test_stories_lone_early_document_joins_once_its_story_has_grown(store, make_document) -> None:  # type: ignore[no-untyped-def]
    documents, vectors, placed = _strike(store, make_document)
    lone, grown = placed[0], placed[1]
    assert lone != grown and set(placed[1:]) == {grown}  # placed apart at first
    # once the story has grown, the lone report is taken in; the grown story keeps its id and
    # the history says what happened to the lone one's
    assert store.story_of(documents[0].id) == grown
    assert [(row.id, row.size) for row in store.list_stories()] == [(grown, 6)]
    assert store.resolve_story(lone) == grown
    assert any(event.from_story == lone and event.into_story == grown
               for event in store.story_history())
    # the cached profile of the story is what reading it afresh gives
    cached = stories._profile(store, grown, MODEL)
    fresh = stories._Profile.of(store, store.story_documents(grown), MODEL)
    assert cached.members == fresh.members
    assert cached.terms == pytest.approx(fresh.terms)
    assert cached.counts == fresh.counts
    assert cached.vector == pytest.approx(fresh.vector)
    # a story starts fresh with a new id, never the emptied one
    extra = make_document("Snow closed the Dornava pass.", source="snow.txt")
    store.put_document(extra)
    store.put_embedding(extra.id, MODEL, _vector(0, 0, 1))
    assert stories.assign_stories(store, [extra], _vector(0, 0, 1)[None, :], model=MODEL) == {
        extra.id: "s0003"}
    # the same documents again: nothing placed anew, nothing moved
    history = store.story_history()
    again = stories.assign_stories(store, documents, np.vstack(vectors), model=MODEL)
    assert set(again.values()) == {grown}
    assert store.story_history() == history


def test_stories_without_reassignment_nothing_is_moved(store, make_document) -> None:  # type: ignore[no-untyped-def]
    _strike(store, make_document, reassign=False)
    assert [e for e in store.story_history() if e.kind == "move"] == []


def test_stories_reassignment_never_moves_into_a_young_story(store, make_document) -> None:  # type: ignore[no-untyped-def]
    # two reports in: the lone one reads as well with them, but two documents are too little
    # evidence to move an earlier decision on
    documents = [make_document(text, source=f"strike-{n}.txt")
                 for n, text in enumerate((STRIKE_LONE, *STRIKE_LATER[:3]))]
    vectors = [_vector(1, 3), *(_vector(1, 0.1 * n) for n in range(3))]
    for document, vector in zip(documents, vectors, strict=True):
        store.put_document(document)
        store.put_embedding(document.id, MODEL, vector)
        stories.assign_stories(store, [document], vector[None, :], model=MODEL)
    assert store.story_size(store.story_of(documents[0].id)) == 1
    assert store.story_history() == []


def test_stories_bad_input_is_refused_before_anything_is_written(store, make_document) -> None:  # type: ignore[no-untyped-def]
    from rashomon.errors import StoreError

    stored, unknown = (make_document(t, source=f"{n}.txt")
                       for n, t in enumerate((QUAKE_A1, QUAKE_B1)))
    store.put_document(stored)
    store.put_embedding(stored.id, MODEL, _vector(1))
    with pytest.raises(ValueError, match="2 documents but 1 embeddings"):
        stories.assign_stories(store, [stored, unknown], _vector(1)[None, :], model=MODEL)
    assert store.story_of(stored.id) is None and store.get_terms([stored.id]) == {}
    # a document that was never stored: named, and nothing of it kept
    with pytest.raises(StoreError, match="no document"):
        stories.assign_stories(store, [unknown], _vector(1)[None, :], model=MODEL)
    assert store.list_stories() == []


def test_stories_placement_stopped_mid_way_keeps_whole_commits_and_the_rest_is_placed_later(tmp_path, make_document, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # placements are committed a few at a time: a failure (or a kill) undoes only the unfinished
    # group, whole (no document left with terms but no story), and the next call places the
    # rest as an uninterrupted run would have
    texts = [QUAKE_A1, QUAKE_B1, QUAKE_A2, QUAKE_B2, QUAKE_A3]
    vectors = np.vstack([_vector(1, 0.1 * n) if "Tarvessa" in t else _vector(0.1 * n, 1)
                         for n, t in enumerate(texts)])
    monkeypatch.setattr(stories, "PLACEMENTS_PER_COMMIT", 2)

    def run(location: str, fail_at: str | None) -> dict[str, str | None]:
        with SQLiteStore(location) as store:
            documents = [make_document(t, source=f"{n}.txt") for n, t in enumerate(texts)]
            for document, vector in zip(documents, vectors, strict=True):
                store.put_document(document)
                store.put_embedding(document.id, MODEL, vector)
            if fail_at is not None:
                real = stories.key_terms

                def failing(document: Document) -> dict[str, float]:
                    if document.id == fail_at:
                        raise RuntimeError("stopped")
                    return real(document)

                monkeypatch.setattr(stories, "key_terms", failing)
                with pytest.raises(RuntimeError):
                    stories.assign_stories(store, documents, vectors, model=MODEL)
                monkeypatch.setattr(stories, "key_terms", real)
                ids = [d.id for d in documents]
                assert store.unplaced_documents() == ids[2:]  # the first group of two stands
                assert set(store.get_terms(ids)) == set(ids[:2])
            stories.assign_stories(store, documents, vectors, model=MODEL)
            return {str(n): store.story_of(d.id) for n, d in enumerate(documents)}

    fourth = make_document(texts[3], source="3.txt").id
    assert run(str(tmp_path / "stopped.db"), fourth) == run(str(tmp_path / "whole.db"), None)


# -- splitting -----------------------------------------------------------------------------------

QUAKE_A3 = ("Governor Mirela Ostan visited Tarvessa, where the 6.1 earthquake left the clock "
            "tower in ruins and Brevik's rescue teams were still at work.")
QUAKE_B3 = ("Fishermen in Quillon Bay counted their damaged piers after the 5.4 earthquake, "
            "and mayor Teodor Vanko promised help for the harbour district.")


def _story_of(store: SQLiteStore, make_document: Callable[..., Document],
              texts_and_vectors: list[tuple[str, np.ndarray]]) -> tuple[str, list[str]]:
    ids = [_put(store, make_document, text, vector) for text, vector in texts_and_vectors]
    return store.create_story("mixed", ids), ids


def test_stories_a_story_holding_two_events_is_split_and_the_moves_recorded(store, make_document) -> None:  # type: ignore[no-untyped-def]
    # as an early wrong join would leave it: three reports of one quake, two of another
    story, ids = _story_of(store, make_document, [
        (QUAKE_A1, _vector(1, 0.2)), (QUAKE_B1, _vector(0.2, 1)), (QUAKE_A2, _vector(1, 0.3)),
        (QUAKE_B2, _vector(0.3, 1)), (QUAKE_A3, _vector(1, 0.25))])
    new = stories.split_story(store, story, model=MODEL)
    assert new is not None and new != story
    # the larger part keeps the id
    assert sorted(store.story_documents(story)) == sorted([ids[0], ids[2], ids[4]])
    assert sorted(store.story_documents(new)) == sorted([ids[1], ids[3]])
    history = store.story_history()
    assert [(e.kind, e.from_story, e.into_story) for e in history] == [
        ("move", story, new), ("move", story, new)]
    assert {e.doc_id for e in history} == {ids[1], ids[3]}


def test_stories_a_story_of_one_event_is_not_split(store, make_document) -> None:  # type: ignore[no-untyped-def]
    story, _ = _story_of(store, make_document, [
        (QUAKE_A1, _vector(1, 0.2)), (QUAKE_A2, _vector(1, 0.3)), (QUAKE_A3, _vector(1, 0.25)),
        (QUAKE_A1 + " Aftershocks followed.", _vector(1, 0.22))])
    assert stories.split_story(store, story, model=MODEL) is None
    assert store.story_size(story) == 4 and store.story_history() == []


def test_stories_placement_that_grows_a_mixed_story_splits_it(store, make_document) -> None:  # type: ignore[no-untyped-def]
    # an early wrong join left one quake's reports with another's; the report that brings the
    # story to a checked size (4) shows it holds two events
    story, ids = _story_of(store, make_document, [
        (QUAKE_A1, _vector(1, 0.2)), (QUAKE_B1, _vector(0.2, 1)), (QUAKE_A2, _vector(1, 0.3))])
    placed = _add(store, make_document, QUAKE_B2, _vector(0.3, 1))
    assert placed != story  # returned where it is now: with the other report of its quake
    assert sorted(store.story_documents(story)) == sorted([ids[0], ids[2]])
    assert ids[1] in store.story_documents(placed) and store.story_size(placed) == 2
    assert [e.kind for e in store.story_history()] == ["move", "move"]


def test_stories_a_member_another_story_reads_better_for_is_placed_again(store, make_document) -> None:  # type: ignore[no-untyped-def]
    # an early wrong join: one report of the Quillon Bay quake sits with three of Tarvessa's,
    # while its own quake's other reports have a story of their own
    mixed, ids = _story_of(store, make_document, [
        (QUAKE_A1, _vector(1, 0.2)), (QUAKE_B1, _vector(1, 0.9)), (QUAKE_A2, _vector(1, 0.3)),
        (QUAKE_A3, _vector(1, 0.25))])
    own, _ = _story_of(store, make_document, [
        (QUAKE_B2, _vector(0.3, 1)), (QUAKE_B3, _vector(0.25, 1))])
    moved = stories.replace_members(store, mixed, threshold=0.6, model=MODEL)
    assert moved == [ids[1]]
    assert ids[1] in store.story_documents(own) and store.story_size(mixed) == 3
    assert [(e.kind, e.doc_id, e.from_story, e.into_story) for e in store.story_history()] == [
        ("move", ids[1], mixed, own)]


def test_stories_members_that_fit_their_story_stay_when_placed_again(store, make_document) -> None:  # type: ignore[no-untyped-def]
    story, _ = _story_of(store, make_document, [
        (QUAKE_A1, _vector(1, 0.2)), (QUAKE_A2, _vector(1, 0.3)), (QUAKE_A3, _vector(1, 0.25))])
    _story_of(store, make_document, [(QUAKE_B2, _vector(0.3, 1)), (QUAKE_B3, _vector(0.25, 1))])
    assert stories.replace_members(store, story, threshold=0.6, model=MODEL) == []
    assert store.story_size(story) == 3 and store.story_history() == []


# Two towns' mayors resigning, the same day: the resignation's words are shared, the names
# and the place are not. Five articles: every word of the store is about as rare as "mayor".
MAYOR_A = [
    ("Halvern, April 6, 2032 – Mayor Idris Kalloway resigned on Tuesday after nine years in "
     "office, the Halvern city council said. Deputy mayor Rosa Penhale will lead the city "
     "until an election in the autumn."),
    ("Halvern, April 6, 2032 – Idris Kalloway stepped down as mayor of Halvern on Tuesday. "
     "The council accepted his letter of resignation and named Rosa Penhale acting mayor."),
    ("Halvern, April 7, 2032 – A day after Idris Kalloway resigned as mayor, Halvern council "
     "members praised his nine years in office; Rosa Penhale took the chair."),
]
MAYOR_B = ("Dunmere, April 6, 2032 – Mayor Oona Treskin resigned on Tuesday after the town "
           "council rejected her budget, the Dunmere council said. The deputy mayor will lead "
           "the town until an election.")


def _add_raw(store: SQLiteStore, text: str, vector: np.ndarray) -> str:
    from rashomon import clean
    from rashomon.model import RawDocument

    key = f"{abs(hash(text))}.txt"
    document = clean.clean(RawDocument(source=key, source_key=key, text=text))
    store.put_document(document)
    store.put_embedding(document.id, MODEL, vector)
    return stories.assign_stories(store, [document], vector[None, :], model=MODEL)[document.id]


def test_stories_another_towns_mayor_is_another_story_in_a_small_store(store) -> None:  # type: ignore[no-untyped-def]
    # the ledes embed alike, as two resignations do; only the names and the place differ
    placed = [_add_raw(store, text, _vector(1, 0.1 * n)) for n, text in enumerate(MAYOR_A)]
    other = _add_raw(store, MAYOR_B, _vector(1, 0.3))
    assert len(set(placed)) == 1
    assert other != placed[0]
    # and the first town's story still takes its own next article
    assert _add_raw(store, MAYOR_A[0].replace("Tuesday", "Tuesday evening"),
                    _vector(1, 0.05)) == placed[0]
