"""Story signals: what tells a document's event from a look-alike, and the shipped model.

Texts and vectors are invented for the tests; no model is loaded.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pytest

from rashomon import story_signals
from rashomon.story_signals import SIGNALS, StoryModel, StoryProfile, pair_signals


def _idf_of(words: Sequence[str]) -> Mapping[str, float]:
    # every term equally rare: the signals then weigh terms by their weight in the text alone
    return dict.fromkeys(words, 2.0)


def _profile(*documents: Mapping[str, float], date: str | None = None) -> StoryProfile:
    profile = StoryProfile()
    for n, terms in enumerate(documents):
        profile.add(f"d{n}", terms, np.array([1.0, 0.0]), date)
    return profile


def _signals(terms: Mapping[str, float], profile: StoryProfile) -> dict[str, float]:
    values = pair_signals(terms, _idf_of(list(terms)), np.array([1.0, 0.0]), profile, _idf_of)
    return dict(zip(SIGNALS, values.tolist(), strict=True))


NAME = 1 + math.log(6)  # a name written once, as `stories.key_terms` weighs it
FIGHT_A = {"klovan": NAME, "ostrik": NAME, "heavyweight": 1.0, "round": 1.0, "2031": NAME}
FIGHT_B = {"klovan": NAME, "tessaro": NAME, "heavyweight": 1.0, "round": 1.0, "2034": NAME}


def test_story_signals_a_look_alike_names_someone_else() -> None:
    story = _profile(FIGHT_A, FIGHT_A)
    same = _signals(FIGHT_A, story)
    other = _signals(FIGHT_B, story)
    # the champion is shared; the opponent tells the fights apart, in both directions
    assert same["names_new"] == 0.0 and same["names_missing"] == 0.0
    assert other["names_new"] == pytest.approx(0.5) and other["names_missing"] > 0.0
    assert same["years_shared"] == 1.0 and other["years_shared"] == 0.0
    assert other["terms"] < same["terms"]


def test_story_signals_one_digit_numbers_do_not_identify_an_event() -> None:
    story = _profile({"toll": 1.0, "7": 1.0, "6.1": 1.0})
    assert _signals({"toll": 1.0, "7": 1.0}, story)["numbers_named"] == 0.0
    assert _signals({"toll": 1.0, "6.1": 1.0}, story)["numbers_shared"] == 1.0


def test_story_signals_dates_far_apart_never_join() -> None:
    model = story_signals.load_model()
    signals = np.array(list(_signals(FIGHT_A, _profile(FIGHT_A, FIGHT_A)).values()))
    near = model.probability(signals, story_signals.days_apart("2031-05-03", ["2031-05-01"]))
    assert near == model.probability(signals) >= model.threshold
    far = story_signals.days_apart("2033-05-01", ["2031-05-01", "2031-05-20"])
    assert far is not None and far > story_signals.DATE_APART_DAYS
    assert model.probability(signals, far) == 0.0
    assert story_signals.days_apart(None, ["2031-05-01"]) is None


def test_story_signals_profile_core_terms_follow_new_members() -> None:
    profile = _profile({"quake": 1.0, "tarvessa": NAME})
    assert profile.core_terms(1) == ["tarvessa"]
    profile.add("d9", {"quake": 3.0}, None, None)
    profile.add("d10", {"quake": 3.0}, None, None)
    assert profile.core_terms(1) == ["quake"]  # held by every member now, and heavily
    assert profile.counts == {"quake": 3, "tarvessa": 1}


def test_story_signals_profile_core_terms_kept_up_to_date_are_those_ranked_afresh() -> None:
    # core terms are re-ranked from the last ones and the terms of the documents that joined
    # since; that must give what ranking every term again gives, ties by the term included
    rng = np.random.default_rng(5)
    words = [f"w{n}" for n in range(40)]
    profile = StoryProfile()
    for n in range(60):
        picked = rng.choice(words, size=int(rng.integers(1, 9)), replace=False)
        profile.add(f"d{n}", {str(w): float(rng.choice([1.0, 2.0, NAME])) for w in picked},
                    None, None)
        for limit in (1, 3, 15):
            afresh = sorted(profile.counts,
                            key=lambda t: (-profile.counts[t] * profile.terms[t], t))[:limit]
            assert profile.core_terms(limit) == afresh
    years, numbers = profile.figures()
    assert not years and not numbers
    profile.add("d99", {"2031": NAME, "450": 1.0, "7": 1.0, "@where:vell": NAME}, None, None)
    assert profile.figures() == ({"2031"}, {"450"}) and profile.places == {"@where:vell"}


def test_story_signals_profile_core_terms_after_a_weight_that_is_not_positive() -> None:
    # a weight of 0 or below can lower a term's rank: then every term is ranked again
    profile = _profile({"quake": 3.0, "tarvessa": 2.0})
    assert profile.core_terms(1) == ["quake"]
    profile.add("d9", {"quake": -2.5}, None, None)
    assert profile.core_terms(1) == ["tarvessa"]


def test_story_signals_profile_core_names_and_nearest_follow_new_members() -> None:
    profile = _profile({"quake": 1.0, "tarvessa": NAME})
    assert profile.core_names() == ["tarvessa"]
    assert profile.nearest(np.array([0.0, 1.0])) == 0.0
    # two members without the name: it is no longer held by half of them
    profile.add("d9", {"quake": 3.0}, np.array([0.0, 1.0]), None)
    profile.add("d10", {"quake": 3.0}, None, None)
    assert profile.core_names() == []
    assert profile.nearest(np.array([0.0, 1.0])) == 1.0


def test_story_signals_profile_keeps_the_first_members_vectors_only() -> None:
    profile = StoryProfile()
    for n in range(story_signals.KEPT_VECTORS + 3):
        profile.add(f"d{n}", {"quake": 1.0}, np.array([1.0, 0.0]), None)
    profile.add("late", {"quake": 1.0}, np.array([0.0, 1.0]), None)
    assert profile.kept is not None and len(profile.kept) == story_signals.KEPT_VECTORS
    assert profile.nearest(np.array([0.0, 1.0])) == 0.0


def test_story_signals_shipped_model_reads_this_versions_signals(tmp_path) -> None:  # type: ignore[no-untyped-def]
    model = story_signals.load_model()
    assert model.signals == SIGNALS and len(model.weights) == len(SIGNALS)
    assert 0.0 < model.threshold <= model.merge_threshold <= 1.0
    # a model trained on other signals is refused by name, not misread
    stale = {**model.to_json(), "signals": list(SIGNALS[:-1])}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(stale), encoding="utf-8")
    with pytest.raises(ValueError, match="differ from this version"):
        story_signals.load_model(str(path))
    assert StoryModel.from_json(model.to_json()) == model


def test_story_signals_years_apart_are_far_and_shared_years_are_not() -> None:
    story = _profile(FIGHT_A, FIGHT_A)
    three_later = {**FIGHT_A, "2031": 0.0, "2034": NAME}
    del three_later["2031"]
    assert _signals(three_later, story)["years_gap"] == pytest.approx(0.3)
    assert _signals(FIGHT_A, story)["years_gap"] == 0.0
    assert _signals({"klovan": NAME}, story)["years_gap"] == 0.0  # no year: nothing said


def test_story_signals_names_disjoint_counts_names_whatever_their_idf() -> None:
    # two towns' mayors: the resignation's words shared, no name the same on either side
    town_a = {"halvern": 3.5, "kalloway": 3.5, "idris": NAME, "mayor": 2.0, "resigned": 1.0}
    town_b = {"dunmere": 3.5, "treskin": 3.5, "oona": NAME, "mayor": 2.0, "resigned": 1.0}
    story = _profile(town_a, town_a)
    assert _signals(town_b, story)["names_disjoint"] == 1.0
    assert _signals({**town_b, "kalloway": NAME}, story)["names_disjoint"] == 0.0
    assert _signals(town_a, story)["names_disjoint"] == 0.0


def test_story_signals_another_dateline_with_other_names_is_apart() -> None:
    filed_a = story_signals.place_term("Halvern")
    filed_b = story_signals.place_term(" Dunmere ")
    assert filed_b == f"{story_signals.PLACE_PREFIX}dunmere"
    story = _profile({"kalloway": NAME, filed_a: NAME})
    assert story_signals.places_apart({"treskin": NAME, filed_b: NAME}, story, names_new=0.9)
    # the same place, or mostly the story's own names: one event filed from two cities
    assert not story_signals.places_apart({"treskin": NAME, filed_a: NAME}, story, 0.9)
    assert not story_signals.places_apart({"kalloway": NAME, filed_b: NAME}, story, 0.2)
    assert not story_signals.places_apart({"treskin": NAME}, story, 0.9)  # no dateline
    model = story_signals.load_model()
    signals = np.array(list(_signals(FIGHT_A, _profile(FIGHT_A)).values()))
    assert model.probability(signals) > 0.0 == model.probability(signals, apart=True)
