"""The trained cue tagger on short invented texts, through the real spaCy model and the shipped
model file."""

from __future__ import annotations

import re

import pytest

from rashomon.attribution import extract_attributions
from rashomon.attribution.tagger import (
    DEFAULT_MODEL_PATH,
    Logistic,
    TaggerModel,
    load_model,
)
from rashomon.model import Attribution, Document


@pytest.fixture
def attribute(parse_document):  # type: ignore[no-untyped-def]
    """Text -> (Document, attributions with the tagger, attributions of the rules alone)."""

    def run(text: str) -> tuple[Document, list[Attribution], list[Attribution]]:
        document, parsed = parse_document(text)
        return (document, extract_attributions(document, parsed),
                extract_attributions(document, parsed, tagger=False))

    return run


def _described(document: Document, found: list[Attribution]) -> list[tuple[str | None, str, str]]:
    return [(document.slice(a.cue) if a.cue else None, a.speaker.name or a.speaker.text,
             document.slice(a.content)) for a in found]


def test_tagger_model_file_records_how_it_was_made() -> None:
    model = load_model()
    assert model is not None, f"{DEFAULT_MODEL_PATH} is missing: run bench/train_attribution.py"
    assert DEFAULT_MODEL_PATH.stat().st_size < 10_000_000
    assert model.meta["command"].startswith("python bench/train_attribution.py")
    assert re.fullmatch(r"[0-9a-f]{64}", model.meta["data_sha256"])
    assert model.meta["data"] == "train"
    assert 0.0 < model.cue.threshold < 1.0
    assert len(model.cue.weights) > 1000
    held_out = model.meta["held_out"]
    assert held_out["rules_and_tagger"]["content_f1"] > held_out["rules"]["content_f1"]


@pytest.mark.parametrize(("text", "cue", "speaker", "content"), [
    ("Teodor Brannik is defending his decision to close the harbour.",
     "defending", "Teodor Brannik", "his decision to close the harbour"),
    ("The mayor of Velmora plans to close the old bridge next spring.",
     "plans", "mayor of Velmora", "to close the old bridge next spring"),
    ("Teodor Brannik seems to doubt the figures from the port authority.",
     "seems", "Teodor Brannik", "to doubt the figures from the port authority"),
])
def test_tagger_finds_attribution_the_rules_miss(
    attribute, text: str, cue: str, speaker: str, content: str  # type: ignore[no-untyped-def]
) -> None:
    document, found, rules = attribute(text)
    assert rules == []
    ((got_cue, got_speaker, got_content),) = _described(document, found)
    assert (got_cue, got_content) == (cue, content)
    assert speaker in got_speaker


def test_tagger_leaves_an_action_of_a_place_to_the_author(
    attribute,  # type: ignore[no-untyped-def]
) -> None:
    # "accepted the proposal" is something done: it stays the outlet's own claim.
    _, found, _ = attribute("Velmora accepted the harbour proposal on Tuesday.")
    assert found == []


def test_tagger_keeps_the_rules_attributions_as_they_were(
    attribute,  # type: ignore[no-untyped-def]
) -> None:
    # Costa's plan, which only the tagger finds, sits between Brannik's post and a quote with no
    # cue: were it remembered, the quote would be handed to Costa instead of going on Brannik's.
    text = ("Teodor Brannik wrote on Facebook that the ferry would sail on Friday. "
            "Rui Costa plans to close the harbour.\n\n“The crossing is safe.”")
    document, found, rules = attribute(text)
    assert set(_described(document, rules)) < set(_described(document, found))
    for attribution in rules:
        (same,) = [a for a in found if a.content == attribution.content]
        assert (same.speaker, same.medium) == (attribution.speaker, attribution.medium)
    quote = next(a for a in found if a.cue is None)
    assert (quote.speaker.name, quote.medium) == ("Teodor Brannik", "Facebook")


def test_tagger_threshold_decides(parse_document) -> None:  # type: ignore[no-untyped-def]
    document, parsed = parse_document("Teodor Brannik is defending his decision to close the "
                                      "harbour.")
    shipped = load_model()
    assert shipped is not None
    never = TaggerModel(Logistic(shipped.cue.weights, shipped.cue.bias, 1.01))
    assert extract_attributions(document, parsed, model=never) == []
    assert len(extract_attributions(document, parsed, model=shipped)) == 1


def test_tagger_model_round_trips_through_json() -> None:
    model = TaggerModel(Logistic({"lemma=defend": 1.5, "how=main": -0.25}, 0.1, 0.4),
                        {"command": "python bench/train_attribution.py DIR --out PATH"})
    again = TaggerModel.from_json(model.to_json())
    assert again == model
    assert again.cue.probability(["lemma=defend", "how=main", "unseen"]) == pytest.approx(
        1 / (1 + 2.718281828459045 ** -(1.5 - 0.25 + 0.1)))
