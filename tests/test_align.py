"""Cross-source pairing on hand-built analyses with the real embedding model."""

from __future__ import annotations

import pytest

from rashomon.align import (
    align_story,
    contradiction_relations,
    denial_relations,
    quote_segments,
    word_diff,
)
from rashomon.embed import embed
from rashomon.model import Analysis, Attribution, Speaker

pytestmark = pytest.mark.slow


def _quote(document, words: str, speaker: str, n: int, medium: str | None = None, *,
           kind: str = "direct", stance: str = "assertion") -> Attribution:
    start = document.text.index(words)
    return Attribution(
        id=f"{document.id}:a{n}", doc=document.id,
        speaker=Speaker(None, speaker, name=speaker, entity=speaker.lower().replace(" ", "-")),
        cue=None, content=document.span(start, start + len(words)), kind=kind,  # type: ignore[arg-type]
        stance=stance, medium=medium,  # type: ignore[arg-type]
    )


@pytest.fixture
def two_outlets(make_document):
    a = make_document(
        'Mayor Ines Duarte said: "We inspected every pier yesterday, and there is a very good '
        'chance that the harbour can finally reopen next week."',
        source="a.txt", outlet="Harbour Times")
    b = make_document(
        '"There is a great chance the harbour can finally reopen next week," Duarte wrote in a '
        'Facebook post. The storm "changed nothing," said engineer Tomas Berg.',
        source="b.txt", outlet="Coast Daily")
    return a, b


def test_align_pairs_a_reworded_clause_inside_a_longer_quote(two_outlets) -> None:
    a, b = two_outlets
    qa = _quote(a, "We inspected every pier yesterday, and there is a very good chance that the "
                   "harbour can finally reopen next week.", "Ines Duarte", 1, "Telegram")
    qb = _quote(b, "There is a great chance the harbour can finally reopen next week,",
                "Ines Duarte", 1, "Facebook")
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                            threshold=0.75)
    kinds = {r.kind for r in relations}
    assert kinds == {"quote_variant", "medium_divergence"}
    variant = next(r for r in relations if r.kind == "quote_variant")
    assert set(variant.members) == {qa.id, qb.id}
    evidence_text = {a.slice(s) if s.doc == a.id else b.slice(s) for s in variant.evidence}
    assert any(t.startswith("there is a very good chance") for t in evidence_text)
    assert ("insert", "great") in variant.diff or any(op == "insert" for op, _ in variant.diff)


def test_align_same_words_different_speakers_is_an_attribution_divergence(make_document) -> None:
    a = make_document('The minister urged "patience and calm" on Monday.', source="a.txt")
    b = make_document('The governor urged "patience and calm" after the vote.', source="b.txt")
    qa = _quote(a, "patience and calm", "Minister Vera Holm", 1)
    qb = _quote(b, "patience and calm", "Governor Piet Laan", 1)
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb)), embed,
                            threshold=0.75)
    assert [r.kind for r in relations] == ["attribution_divergence"]
    assert "neither outlet is called wrong" in relations[0].explanation


def test_align_unrelated_quotes_and_same_document_quotes_are_not_paired(two_outlets) -> None:
    a, b = two_outlets
    qa = _quote(a, "We inspected every pier yesterday", "Ines Duarte", 1)
    qb = _quote(b, "changed nothing", "Tomas Berg", 2)
    qb2 = _quote(b, "There is a great chance the harbour can finally reopen next week,",
                 "Ines Duarte", 1)
    relations = align_story(Analysis(documents=(a, b), attributions=(qa, qb, qb2)), embed,
                            threshold=0.75)
    assert relations == []


def test_align_quote_segments_are_spans_of_the_document(two_outlets) -> None:
    a, _ = two_outlets
    qa = _quote(a, "We inspected every pier yesterday, and there is a very good chance that the "
                   "harbour can finally reopen next week.", "Ines Duarte", 1)
    segments = quote_segments(qa, a)
    assert [s.text for s in segments[:2]] == [
        "We inspected every pier yesterday",
        "there is a very good chance that the harbour can finally reopen next week"]
    for segment in segments:
        assert a.slice(segment.span) == segment.text


def test_align_word_diff_marks_replaced_words() -> None:
    assert word_diff("a very good chance", "a great chance") == (
        ("equal", "a"), ("delete", "very good"), ("insert", "great"), ("equal", "chance"))


@pytest.fixture
def flood_story(make_document):
    a = make_document(
        "Senator Alma Reyes claimed that the northern dam had collapsed overnight. "
        "She also praised the volunteers.", source="a.txt", outlet="River Post")
    b = make_document(
        "The water authority, however, rejected collapse fears. "
        '"The dam has not collapsed and is holding firm," the authority said on its website.',
        source="b.txt", outlet="Valley News")
    return a, b


def test_align_denial_is_linked_to_its_target_across_documents(flood_story) -> None:
    a, b = flood_story
    claim = _quote(a, "that the northern dam had collapsed overnight", "Alma Reyes", 1,
                   kind="indirect", stance="distancing")
    praise = _quote(a, "the volunteers", "Alma Reyes", 2, kind="indirect")
    denial = _quote(b, "collapse fears", "Water Authority", 1, kind="indirect", stance="denial")
    relations = denial_relations(
        Analysis(documents=(a, b), attributions=(claim, praise, denial)), embed)
    assert [r.members for r in relations] == [(denial.id, claim.id)]
    assert relations[0].kind == "denial"
    assert "Water Authority" in relations[0].explanation
    assert "Alma Reyes" in relations[0].explanation


def test_align_denial_naming_a_speaker_prefers_the_nearest_earlier_claim(make_document) -> None:
    doc = make_document(
        "Governor Olaf Brandt claimed the bridge tolls would double. Brandt also said the "
        "weather was fine. Later the transport union dismissed the Brandt claim.",
        source="a.txt")
    toll = _quote(doc, "the bridge tolls would double", "Olaf Brandt", 1, kind="indirect",
                  stance="distancing")
    weather = _quote(doc, "the weather was fine", "Olaf Brandt", 2, kind="indirect")
    denial = _quote(doc, "the Brandt claim", "Transport Union", 3, kind="indirect",
                    stance="denial")
    relations = denial_relations(
        Analysis(documents=(doc,), attributions=(toll, weather, denial)), embed)
    assert [r.members for r in relations] == [(denial.id, toll.id)]


def test_align_contradiction_by_negation(flood_story) -> None:
    a, b = flood_story
    claim = _quote(a, "that the northern dam had collapsed overnight", "Alma Reyes", 1,
                   kind="indirect", stance="distancing")
    answer = _quote(b, "The dam has not collapsed and is holding firm,", "Water Authority", 2)
    relations = align_story(Analysis(documents=(a, b), attributions=(claim, answer)), embed,
                            threshold=0.75)
    contradictions = [r for r in relations if r.kind == "contradiction"]
    assert [set(r.members) for r in contradictions] == [{claim.id, answer.id}]
    texts = {a.slice(s) if s.doc == a.id else b.slice(s) for s in contradictions[0].evidence}
    assert any(t.startswith("The dam has not collapsed") for t in texts)


def test_align_unrelated_negated_sentences_do_not_contradict(make_document) -> None:
    a = make_document("The coach said the striker will not play on Sunday.", source="a.txt")
    b = make_document("The baker said the new oven heats the bread evenly.", source="b.txt")
    qa = _quote(a, "the striker will not play on Sunday", "Coach Ida Berg", 1, kind="indirect")
    qb = _quote(b, "the new oven heats the bread evenly", "Baker Leon Moss", 1, kind="indirect")
    relations = contradiction_relations(Analysis(documents=(a, b), attributions=(qa, qb)), embed)
    assert relations == []


def test_align_same_speaker_restatement_is_no_contradiction(make_document) -> None:
    a = make_document('"The strike is over," said union leader Mia Sorensen.', source="a.txt")
    b = make_document('"The strike is not over yet," Sorensen said later.', source="b.txt")
    qa = _quote(a, "The strike is over,", "Mia Sorensen", 1)
    qb = _quote(b, "The strike is not over yet,", "Mia Sorensen", 1)
    relations = contradiction_relations(Analysis(documents=(a, b), attributions=(qa, qb)), embed)
    assert relations == []
