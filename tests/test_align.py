"""Cross-source pairing on hand-built analyses with the real embedding model."""

from __future__ import annotations

import pytest

from rashomon.align import align_story, quote_segments, word_diff
from rashomon.embed import embed
from rashomon.model import Analysis, Attribution, Speaker

pytestmark = pytest.mark.slow


def _quote(document, words: str, speaker: str, n: int, medium: str | None = None) -> Attribution:
    start = document.text.index(words)
    return Attribution(
        id=f"{document.id}:a{n}", doc=document.id,
        speaker=Speaker(None, speaker, name=speaker, entity=speaker.lower().replace(" ", "-")),
        cue=None, content=document.span(start, start + len(words)), kind="direct",
        stance="assertion", medium=medium,
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
