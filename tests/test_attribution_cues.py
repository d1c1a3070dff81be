"""The cue verbs learned from PolNeAR's training part: the shipped file, and how a learned cue
reads a sentence (through the real spaCy model, on short invented texts)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from rashomon.attribution import extract_attributions
from rashomon.attribution.cues import (
    BY_LEMMA,
    CUES,
    HAND_CUES,
    LEARNED_CUES_PATH,
    Cue,
    learned_cues,
    use_cues,
)


def test_learned_cue_file_records_how_it_was_made() -> None:
    assert LEARNED_CUES_PATH.is_file(), "run bench/train_attribution_cues.py"
    data = json.loads(LEARNED_CUES_PATH.read_text(encoding="utf-8"))
    meta = data["meta"]
    assert meta["command"].startswith("python bench/train_attribution_cues.py")
    assert re.fullmatch(r"[0-9a-f]{64}", meta["data_sha256"])
    assert meta["data"] == "train"
    assert meta["min_precision"] >= 0.5
    for lemma, (gold, other) in data["verbs"].items():
        assert gold >= meta["min_count"], lemma
        assert gold / (gold + other) >= meta["min_precision"], lemma


def test_learned_cues_are_new_clause_only_assertions() -> None:
    learned = learned_cues()
    assert learned, "the shipped file lists no verb"
    # New beside the hand lexicon's plain verbs (a phrasal "boast about" leaves "boasted that").
    hand = {cue.lemma for cue in HAND_CUES if cue.particle is None}
    assert all(cue.clause_only and cue.stance == "assertion" for cue in learned)
    assert not hand & {cue.lemma for cue in learned}
    assert set(learned) <= set(CUES)
    assert all(cue in BY_LEMMA[cue.lemma] for cue in learned)


@pytest.fixture
def lexicon_with_lament() -> Iterator[None]:
    """The lexicon with "lament" as a learned cue, put back as shipped afterwards."""
    use_cues([*HAND_CUES, Cue("lament", "assertion", clause_only=True)])
    yield
    use_cues(CUES)


@pytest.mark.usefixtures("lexicon_with_lament")
def test_learned_cue_reports_a_clause(parse_document) -> None:  # type: ignore[no-untyped-def]
    document, parsed = parse_document("Teodor Brannik lamented that the ferry no longer "
                                      "stops in Velmora.")
    (found,) = extract_attributions(document, parsed, tagger=False, spans=False)
    assert found.cue is not None and document.slice(found.cue) == "lamented"
    assert document.slice(found.content) == "that the ferry no longer stops in Velmora"
    assert found.speaker.name == "Teodor Brannik"


@pytest.mark.usefixtures("lexicon_with_lament")
def test_learned_cue_leaves_an_object_alone(parse_document) -> None:  # type: ignore[no-untyped-def]
    # The same verb with an object: the hand lexicon's cues would take it, a learned one does not.
    document, parsed = parse_document("Teodor Brannik lamented the closing of the old harbour.")
    assert extract_attributions(document, parsed, tagger=False, spans=False) == []
