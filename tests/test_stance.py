"""The stance model: features and classifier on small invented headline/body pairs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rashomon import stance
from rashomon.embed import embed

CLAIM = "Velmora harbour master Ana Silva has resigned"

AGREEING = (
    "Ana Silva resigned as harbour master of Velmora on Tuesday after nine years in the post. "
    "The port authority confirmed her resignation in a statement and announced that her deputy, "
    "Teodor Brannik, will take over until a successor is appointed. "
    "Silva handed in her letter of resignation on Tuesday morning, officials said. "
    "She wrote that she was stepping down to spend more time with her family."
)
DENYING = (
    "Reports that Velmora harbour master Ana Silva has resigned are false, the port authority "
    "said on Tuesday. A fake resignation letter bearing her name spread online, but the "
    "authority denied that she had stepped down. \"Ana Silva has not resigned and has no "
    "intention of resigning,\" spokesman Teodor Brannik said. \"The letter is a hoax.\" "
    "Silva dismissed the rumour as a prank and went to work as usual."
)
UNRELATED = (
    "The cherry festival in the hill town of Dornach was cancelled after a late frost destroyed "
    "most of the blossom. Growers said it was the worst frost in thirty years. The festival "
    "usually draws forty thousand visitors each spring, and hotels in the town reported "
    "cancellations within hours of the announcement."
)


def _prepared(text: str, *, claim: bool = False) -> stance.PreparedText:
    prepared = stance.prepare_text(text, claim=claim)
    sentences = [prepared.sentence(i) for i in range(len(prepared.sentences))]
    return stance.with_vectors(prepared, embed(sentences))


@pytest.fixture(scope="module")
def probabilities() -> dict[str, dict[str, float]]:
    claim = _prepared(CLAIM, claim=True)
    bodies = {name: _prepared(text) for name, text in
              (("agreeing", AGREEING), ("denying", DENYING), ("unrelated", UNRELATED))}
    idf = stance.idf_from(*stance.document_frequencies(list(bodies.values())))
    model = stance.load_model()
    rows = np.vstack([stance.pair_features(claim, body, idf) for body in bodies.values()])
    return {name: dict(zip(model.labels, map(float, p), strict=True))
            for name, p in zip(bodies, model.predict_proba(rows), strict=True)}


def test_stance_split_sentences_points_at_the_sentences() -> None:
    text = "  Ana Silva resigned. \"It is over,\" she said!\nTeodor Brannik took over in 2026. "
    spans = stance.split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Ana Silva resigned.", "\"It is over,\" she said!", "Teodor Brannik took over in 2026."
    ]


def test_stance_split_sentences_is_bounded() -> None:
    text = "Port Veyra grew. " * (stance.MAX_SENTENCES * 3)
    assert len(stance.split_sentences(text)) == stance.MAX_SENTENCES


def test_stance_tokens_drop_stop_words_and_meet_word_forms() -> None:
    assert stance.tokens("The mayor leaked the reports") == stance.tokens("mayor leaks report")


@pytest.mark.slow
def test_stance_features_have_one_value_per_name() -> None:
    claim = _prepared(CLAIM, claim=True)
    body = _prepared(AGREEING)
    row = stance.pair_features(claim, body, stance.idf_from({}, 1))
    assert row.shape == (len(stance.FEATURE_NAMES),)
    assert np.isfinite(row).all()
    named = dict(zip(stance.FEATURE_NAMES, row, strict=True))
    # every word of the claim but "harbour master"'s order is in the agreeing body
    assert named["cover_body"] > 0.8
    assert named["emb_best"] > 0.6


@pytest.mark.slow
def test_stance_refuting_cues_count_in_the_denying_body_only() -> None:
    claim = _prepared(CLAIM, claim=True)
    idf = stance.idf_from({}, 1)
    agreeing = dict(zip(stance.FEATURE_NAMES, stance.pair_features(claim, _prepared(AGREEING), idf),
                        strict=True))
    denying = dict(zip(stance.FEATURE_NAMES, stance.pair_features(claim, _prepared(DENYING), idf),
                       strict=True))
    assert denying["refute_top"] > agreeing["refute_top"] == 0
    assert denying["neg_top"] > agreeing["neg_top"]


@pytest.mark.slow
def test_stance_model_ranks_invented_bodies_sensibly(probabilities) -> None:  # type: ignore[no-untyped-def]
    # FNC-1's bodies run to twenty sentences and most related ones only report a claim, so on
    # five-sentence bodies the model leans to "discuss": what must hold is the order.
    assert max(probabilities["unrelated"], key=probabilities["unrelated"].__getitem__) == "unrelated"
    assert probabilities["agreeing"]["unrelated"] < 0.1
    assert probabilities["denying"]["unrelated"] < 0.1
    assert probabilities["agreeing"]["agree"] > 2 * probabilities["denying"]["agree"]
    assert probabilities["denying"]["disagree"] > probabilities["agreeing"]["disagree"] + 0.2
    assert probabilities["denying"]["disagree"] > probabilities["denying"]["agree"]


def test_stance_shipped_model_records_how_it_was_trained() -> None:
    model = stance.load_model()
    assert model.labels == stance.STANCE_LABELS
    assert set(model.features) <= set(stance.FEATURE_NAMES)
    assert model.meta["command"].startswith("python bench/train_stance.py")
    assert len(model.meta["data_sha256"]) == 16
    assert model.meta["cross_validated"]["by"] == "Body ID"
    assert stance.MODEL_PATH.stat().st_size < 600_000


def _separable(n: int, seed: int) -> tuple[np.ndarray, list[str]]:
    """Invented feature rows whose class a tree can read off two columns."""
    rng = np.random.default_rng(seed)
    rows = rng.random((n, len(stance.FEATURE_NAMES)))
    labels = []
    for row in rows:
        if row[0] < 0.25:
            labels.append("unrelated")
        elif row[1] < 0.33:
            labels.append("disagree")
        elif row[1] < 0.66:
            labels.append("discuss")
        else:
            labels.append("agree")
    return rows, labels


def test_stance_train_model_learns_and_survives_json() -> None:
    rows, labels = _separable(800, seed=1)
    model = stance.train_model(rows, labels, seed=3)
    test_rows, test_labels = _separable(300, seed=2)
    predicted = model.predict(test_rows)
    accuracy = np.mean([p == g for p, g in zip(predicted, test_labels, strict=True)])
    assert accuracy > 0.9
    again = stance.StanceModel.from_json(json.loads(json.dumps(model.to_json())))
    assert np.allclose(again.predict_proba(test_rows), model.predict_proba(test_rows), atol=1e-5)


def test_stance_train_model_needs_every_class() -> None:
    rows, labels = _separable(200, seed=1)
    kept = [i for i, label in enumerate(labels) if label != "disagree"]
    with pytest.raises(ValueError, match="disagree"):
        stance.train_model(rows[kept], [labels[i] for i in kept])


def test_stance_model_refuses_unknown_features() -> None:
    data = stance.load_model().to_json()
    data["features"] = [*data["features"][:-1], "made_up"]
    with pytest.raises(ValueError, match="made_up"):
        stance.StanceModel.from_json(data)
