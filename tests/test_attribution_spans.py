"""The trained boundary model on short invented texts, through the real spaCy model and the
shipped model file (and hand-made models where a test needs a model that wants something)."""

from __future__ import annotations

import re

import pytest

from rashomon.attribution import extract_attributions
from rashomon.attribution.spans import DEFAULT_SPAN_MODEL_PATH, SpanModel, load_span_model
from rashomon.attribution.tagger import Logistic
from rashomon.model import Attribution, Document

_CONCERN = "Teodor Brannik expressed concern about the harbour plan on Tuesday."


def _contents(document: Document, found: list[Attribution]) -> list[str]:
    return [document.slice(a.content) for a in found]


def _wanting(start: dict[str, float], end: dict[str, float] | None = None,
             margin: float = 0.0) -> SpanModel:
    """A model that trusts only the named features (a bias of -5 elsewhere)."""
    return SpanModel(Logistic(start, -5.0, 0.5), Logistic(end or {}, -5.0, 0.5), margin)


def test_span_model_file_records_how_it_was_made() -> None:
    model = load_span_model()
    assert model is not None, f"{DEFAULT_SPAN_MODEL_PATH} is missing: run " \
                              "bench/train_attribution_spans.py"
    assert DEFAULT_SPAN_MODEL_PATH.stat().st_size < 10_000_000
    assert model.meta["command"].startswith("python bench/train_attribution_spans.py")
    assert re.fullmatch(r"[0-9a-f]{64}", model.meta["data_sha256"])
    assert model.meta["data"] == "train"
    assert len(model.start.weights) > 1000 and len(model.end.weights) > 1000
    held_out = model.meta["held_out"]
    assert held_out["with_spans"]["content_f1_exact"] > \
        held_out["rules_and_tagger"]["content_f1_exact"]


def test_shipped_model_drops_the_noun_before_what_the_concern_is_about(
    parse_document,  # type: ignore[no-untyped-def]
) -> None:
    # PolNeAR's annotators take what the concern is about, not the word "concern" itself.
    document, parsed = parse_document(_CONCERN)
    assert _contents(document, extract_attributions(document, parsed, spans=False)) == [
        "concern about the harbour plan"]
    assert _contents(document, extract_attributions(document, parsed)) == ["the harbour plan"]


def test_a_bound_moves_only_where_the_model_is_sure(
    parse_document,  # type: ignore[no-untyped-def]
) -> None:
    document, parsed = parse_document(_CONCERN)
    after_about = {"prev=about": 10.0}
    moved = extract_attributions(document, parsed, span_model=_wanting(after_about))
    assert _contents(document, moved) == ["the harbour plan"]
    unsure = extract_attributions(document, parsed, span_model=_wanting(after_about, margin=1.01))
    assert _contents(document, unsure) == ["concern about the harbour plan"]
    # The bound moved, the rest stays the rules': speaker, cue, stance.
    (rules,) = extract_attributions(document, parsed, spans=False)
    (model,) = moved
    assert (model.speaker, model.cue, model.stance) == (rules.speaker, rules.cue, rules.stance)


def test_a_content_never_swallows_its_cue(parse_document) -> None:  # type: ignore[no-untyped-def]
    document, parsed = parse_document(_CONCERN)
    # A model sure that the content starts at the reporting verb is not followed.
    found = extract_attributions(document, parsed, span_model=_wanting({"w=expressed": 10.0}))
    assert _contents(document, found) == ["concern about the harbour plan"]


def test_span_model_round_trips_through_json() -> None:
    model = SpanModel(Logistic({"prev=about": 1.5}, 0.1, 0.5), Logistic({"next=.": 2.0}, -1, 0.5),
                      0.1, {"command": "python bench/train_attribution_spans.py DIR --out PATH"})
    assert SpanModel.from_json(model.to_json()) == model


@pytest.mark.parametrize("spans", [True, False])
def test_no_content_means_nothing_to_refine(
    parse_document, spans: bool  # type: ignore[no-untyped-def]
) -> None:
    document, parsed = parse_document("The harbour was quiet on Tuesday.")
    assert extract_attributions(document, parsed, spans=spans) == []
