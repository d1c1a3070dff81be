"""The trained noun-cue tagger on short invented texts, through the real spaCy model and the
shipped model file."""

from __future__ import annotations

import re

import pytest

from rashomon.attribution import extract_attributions
from rashomon.attribution.nouns import (
    DEFAULT_NOUN_MODEL_PATH,
    NounModel,
    load_noun_model,
    noun_holder,
)
from rashomon.attribution.tagger import Logistic
from rashomon.model import Attribution, Document


@pytest.fixture
def attribute(parse_document):  # type: ignore[no-untyped-def]
    """Text -> (Document, attributions with noun cues, attributions by default: without)."""

    def run(text: str) -> tuple[Document, list[Attribution], list[Attribution]]:
        document, parsed = parse_document(text)
        return (document, extract_attributions(document, parsed, nouns=True),
                extract_attributions(document, parsed))

    return run


def _described(document: Document, found: list[Attribution]) -> list[tuple[str | None, str, str]]:
    return [(document.slice(a.cue) if a.cue else None, a.speaker.name or a.speaker.text,
             document.slice(a.content)) for a in found]


def test_noun_model_file_records_how_it_was_made() -> None:
    model = load_noun_model()
    assert model is not None, f"{DEFAULT_NOUN_MODEL_PATH} is missing: run " \
        "bench/train_attribution_nouns.py"
    assert DEFAULT_NOUN_MODEL_PATH.stat().st_size < 1_000_000
    assert model.meta["command"].startswith("python bench/train_attribution_nouns.py")
    assert re.fullmatch(r"[0-9a-f]{64}", model.meta["data_sha256"])
    assert model.meta["data"] == "train"
    assert 0.0 < model.cue.threshold < 1.0
    held_out = model.meta["held_out"]
    assert held_out["with_nouns"]["attribution_f1"] > held_out["without_nouns"]["attribution_f1"]
    assert held_out["with_nouns"]["source_accuracy"] >= \
        held_out["without_nouns"]["source_accuracy"]


@pytest.mark.parametrize(("text", "cue", "speaker", "content"), [
    ("Marta Lopes spoke on Monday. Her attacks on the port board continued.",
     "attacks on", "Marta Lopes", "the port board"),
    ("Marta Lopes won praise for her remarks about the ferry crew.",
     "remarks about", "Marta Lopes", "the ferry crew"),
])
def test_noun_cue_names_a_view_and_its_holder(
    attribute, text: str, cue: str, speaker: str, content: str  # type: ignore[no-untyped-def]
) -> None:
    document, found, without = attribute(text)
    assert (cue, speaker, content) in _described(document, found)
    assert (cue, speaker, content) not in _described(document, without)


def test_noun_cue_that_is_a_verbs_subject_is_not_its_own_speaker(
    attribute,  # type: ignore[no-untyped-def]
) -> None:
    # "continued" is a lexicon cue whose subject is the noun cue itself: "His" stands for no
    # one named, and the speaker must not become "His attacks on the port board".
    document, found, _ = attribute("His attacks on the port board continued.")
    (attacks,) = [a for a in found if a.cue and document.slice(a.cue) == "attacks on"]
    assert attacks.speaker.text == "His"
    assert attacks.speaker.name is None
    assert attacks.speaker.uncertain and attacks.speaker.reason


def test_noun_without_a_named_holder_is_not_proposed(
    parse_document,  # type: ignore[no-untyped-def]
) -> None:
    document, parsed = parse_document("The claim that the ferry was safe angered the families.")
    noun = next(t for t in parsed if t.lower_ == "claim")
    assert noun_holder(noun) is None
    assert all(document.slice(a.cue) != "claim" for a in
               extract_attributions(document, parsed, nouns=True) if a.cue)


def test_noun_threshold_decides(parse_document) -> None:  # type: ignore[no-untyped-def]
    document, parsed = parse_document("Marta Lopes won praise for her remarks about the ferry "
                                      "crew.")
    shipped = load_noun_model()
    assert shipped is not None
    never = NounModel(Logistic(shipped.cue.weights, shipped.cue.bias, 1.01))
    with_nouns = extract_attributions(document, parsed, nouns=True, noun_model=shipped)
    without = extract_attributions(document, parsed, nouns=True, noun_model=never)
    assert len(with_nouns) == len(without) + 1


def test_noun_model_round_trips_through_json() -> None:
    model = NounModel(Logistic({"lemma=claim": 1.5, "how=acl": 0.5}, -0.2, 0.5),
                      {"command": "python bench/train_attribution_nouns.py DIR --out PATH"})
    assert NounModel.from_json(model.to_json()) == model
