"""The trained boundary model on short invented texts, through the real spaCy model and the
shipped model file (and hand-made models where a test needs a model that wants something)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from rashomon.attribution import extract_attributions
from rashomon.attribution.contextual import DIM
from rashomon.attribution.spans import (
    CONTEXTUAL_SPAN_MODEL_PATH,
    DEFAULT_SPAN_MODEL_PATH,
    SpanModel,
    load_span_model,
)
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


def test_contextual_model_file_records_how_it_was_made() -> None:
    model = load_span_model(CONTEXTUAL_SPAN_MODEL_PATH)
    assert model is not None and model.contextual
    assert CONTEXTUAL_SPAN_MODEL_PATH.stat().st_size < 10_000_000
    assert model.start_context is not None and model.start_context.shape == (2 * DIM,)
    assert model.meta["command"].endswith("--contextual")
    assert model.meta["data"] == "train" and "MiniLM" in model.meta["encoder"]
    held_out = model.meta["held_out"]
    # recorded beside it: the parse features alone, fitted and scored on the same fifth
    assert held_out["with_spans"]["content_f1_exact"] > \
        held_out["parse_features_only"]["content_f1_exact"]


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


def test_span_model_with_minilm_weights_round_trips_through_json() -> None:
    start, end = np.linspace(-1, 1, 2 * DIM), np.linspace(1, -1, 2 * DIM)
    model = SpanModel(Logistic({"prev=about": 1.5}, 0.1, 0.5), Logistic({}, -1, 0.5), 0.1, {},
                      start.astype(np.float32), end.astype(np.float32))
    back = SpanModel.from_json(json.loads(json.dumps(model.to_json())))
    assert back.contextual and not SpanModel(model.start, model.end, 0.1).contextual
    assert back.start_context is not None and back.end_context is not None
    assert np.allclose(back.start_context, start, atol=1e-5)
    assert np.allclose(back.end_context, end, atol=1e-5)


def test_a_model_whose_encoder_does_not_load_leaves_the_rules_bounds(
    parse_document, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    from rashomon.attribution import contextual

    document, parsed = parse_document(_CONCERN)
    zeros = np.zeros(2 * DIM, dtype=np.float32)
    sure = SpanModel(Logistic({"prev=about": 10.0}, -5.0, 0.5), Logistic({}, -5.0, 0.5), 0.0, {},
                     zeros, zeros)
    monkeypatch.setattr(contextual, "load_encoder", lambda: None)
    found = extract_attributions(document, parsed, span_model=sure)
    assert _contents(document, found) == ["concern about the harbour plan"]


@pytest.mark.slow
def test_minilm_states_cover_the_sentences_asked_for_only(
    parse_document,  # type: ignore[no-untyped-def]
) -> None:
    from rashomon.attribution.context import context_for
    from rashomon.attribution.contextual import load_encoder, token_states

    encoder = load_encoder()
    assert encoder is not None
    text = "Velmora Brannik said the quay was unsafe.\n\nThe harbour closed early."
    document, parsed = parse_document(text)
    states = token_states(context_for(document, parsed, []), [2], encoder)
    first_paragraph = [t for t in parsed if t.idx < text.index("\n")]
    # A name the model reads in several pieces gets one state, their mean.
    assert all(np.linalg.norm(states.of(t.i)) > 1.0 for t in first_paragraph)
    # The other paragraph was not asked for, so the encoder never read it.
    later = [t for t in parsed if t.idx > text.index("The harbour")]
    assert all(not states.of(t.i).any() for t in later)
    # A word's state depends on its sentence: "said" here differs from "said" elsewhere.
    other_document, other_parsed = parse_document("The mayor said nothing.")
    other = token_states(context_for(other_document, other_parsed, []), [2], encoder)
    said = next(t.i for t in parsed if t.text == "said")
    assert not np.allclose(states.of(said), other.of(2))


def test_trainer_folds_the_states_scaling_into_the_weights() -> None:
    # The trainer standardises the states before the fit; the weights it writes must score raw
    # states (as the stage reads them) the way the fitted model scored the standardised ones.
    from conftest import load_harness

    trainer = load_harness("train_attribution_spans")
    rng = np.random.default_rng(3)
    vectors = rng.normal(5.0, 3.0, size=(400, 4)).astype(np.float32)
    labels = (vectors[:, 1] > 5.0).astype(int)  # the label lies in one state dimension only
    examples = [(["w=said"], int(label)) for label in labels]
    model, context = trainer.fit(examples, list(vectors))
    assert context is not None and context.shape == (4,)
    assert abs(context[1]) > 5 * max(abs(context[0]), abs(context[2]), abs(context[3]))
    scores = [_probability_of(model, context, v) for v in vectors]
    right = sum((s >= 0.5) == bool(label) for s, label in zip(scores, labels, strict=True))
    assert right / len(labels) > 0.95


def _probability_of(model: Logistic, context: np.ndarray, vector: np.ndarray) -> float:
    total = model.bias + model.weights.get("w=said", 0.0) + float(context @ vector)
    return 1.0 / (1.0 + float(np.exp(-total)))
