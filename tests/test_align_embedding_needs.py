"""What the relation finders embed: only the texts a comparison reads, and what the story-level
stage can gather ahead without running them. A stand-in embedder (hashed words) records what it
is asked; no model is loaded. Invented sentences."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Sequence

import numpy as np
import pytest

from rashomon.align import (
    align_story,
    contradiction_relations,
    texts_to_embed,
    texts_to_embed_after,
)
from rashomon.align.common import WordEcho
from rashomon.align.corroboration import claim_corroborations
from rashomon.align.index import ClaimIndex, Rarity
from rashomon.align.quotes import quote_relations, quote_texts
from rashomon.align.sources import Sources
from rashomon.align.story import could_pair, pairing_matters
from rashomon.model import Analysis, Attribution, Claim, Speaker


class Recorder:
    """Bag-of-words vectors (texts sharing words are close), and every text asked, in order."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.asked.extend(texts)
        vectors = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, zlib.crc32(word.strip('.,"').encode()) % 64] += 1.0
            vectors[row] /= max(float(np.linalg.norm(vectors[row])), 1e-9)
        return vectors


def _said(document, words: str, speaker: str, n: int, *, kind: str = "indirect") -> Attribution:
    start = document.text.index(words)
    return Attribution(
        id=f"{document.id}:a{n}", doc=document.id,
        speaker=Speaker(None, speaker, name=speaker, entity=speaker.lower().replace(" ", "-")),
        cue=None, content=document.span(start, start + len(words)), kind=kind,  # type: ignore[arg-type]
        stance="assertion",
    )


def test_word_echo_embeds_a_word_not_prepared_when_asked_and_scores_it_alike() -> None:
    lazy, prepared = Recorder(), Recorder()
    echo = WordEcho(lazy)
    ready = WordEcho(prepared)
    ready.prepare({"harbour", "port", "closed"})
    assert echo.best(["harbour"], ["port", "closed"]) == ready.best(["harbour"], ["port", "closed"])
    echo.best(["harbour"], ["port"])
    assert sorted(lazy.asked) == ["closed", "harbour", "port"]  # each word once


def test_negation_over_a_light_verb_only_embeds_no_clause(make_document) -> None:
    # "did not get" negates a light verb: nothing names what is negated, so no pair can be
    # reported and neither clause is worth a vector
    a = make_document("Lena Hart said the ferry crew did not get the new schedule on time.",
                      source="a.txt")
    b = make_document("Omar Vance said the ferry crew received the new schedule on Monday.",
                      source="b.txt")
    qa = _said(a, "the ferry crew did not get the new schedule on time", "Lena Hart", 1)
    qb = _said(b, "the ferry crew received the new schedule on Monday", "Omar Vance", 1)
    recorder = Recorder()
    assert contradiction_relations(Analysis(documents=(a, b), attributions=(qa, qb)),
                                   recorder) == []
    assert recorder.asked == []


def test_what_align_embeds_beyond_single_words_is_gathered_ahead(make_document) -> None:
    a = make_document(
        'Mayor Ines Duarte said: "The harbour will not reopen next week, and the pier stays '
        'closed." Senator Alma Reyes said the northern dam had collapsed overnight.',
        source="a.txt", outlet="Harbour Times")
    b = make_document(
        '"The harbour will reopen next week," Duarte wrote. Engineer Tomas Berg said the '
        "northern dam has not collapsed and is holding firm.", source="b.txt",
        outlet="Coast Daily")
    attributions = (
        _said(a, "The harbour will not reopen next week, and the pier stays closed.",
              "Ines Duarte", 1, kind="direct"),
        _said(a, "the northern dam had collapsed overnight", "Alma Reyes", 2),
        _said(b, "The harbour will reopen next week,", "Ines Duarte", 1, kind="direct"),
        _said(b, "the northern dam has not collapsed and is holding firm", "Tomas Berg", 2),
    )
    analysis = Analysis(documents=(a, b), attributions=attributions)
    recorder = Recorder()
    align_story(analysis, recorder, threshold=0.75)
    ahead = texts_to_embed(analysis)
    after = texts_to_embed_after(analysis, Recorder())
    assert ahead and after and set(ahead) | set(after) <= set(recorder.asked)
    # the negation pair is compared by its words first: they come ahead, its clauses after
    assert "collapsed" in ahead
    assert "the northern dam has not collapsed and is holding firm" in after
    # what is asked beyond them is single words, compared on a further condition
    assert all(" " not in text for text in set(recorder.asked) - set(ahead) - set(after))


def _claims(document, *sentences: str) -> tuple[Claim, ...]:
    return tuple(
        Claim(id=f"{document.id}:c{n}", doc=document.id,
              span=document.span(document.text.index(s), document.text.index(s) + len(s)))
        for n, s in enumerate(sentences, 1))


def _ferry_story(make_document) -> Analysis:
    a = make_document("The Velmora ferry sank off Varna on Sunday with its crew aboard. "
                      "Farmers in the valley planted early barley this spring.", source="a.txt")
    b = make_document("The Velmora ferry sank off Varna on Sunday, the coast guard said.",
                      source="b.txt")
    claims = (*_claims(a, "The Velmora ferry sank off Varna on Sunday with its crew aboard.",
                       "Farmers in the valley planted early barley this spring."),
              *_claims(b, "The Velmora ferry sank off Varna on Sunday"))
    return Analysis(documents=(a, b), claims=claims)


def test_the_claim_index_embeds_only_clauses_thatcould_pair(make_document) -> None:
    # the barley clause shares no word with the other outlet's: no vector could make it a
    # finding, so it is not embedded, nor gathered ahead; the ferry clauses are
    analysis = _ferry_story(make_document)
    recorder = Recorder()
    index = ClaimIndex.build(analysis, recorder, could_pair=could_pair)
    barley = "Farmers in the valley planted early barley this spring"
    assert barley not in recorder.asked and barley not in texts_to_embed(analysis)
    assert "The Velmora ferry sank off Varna on Sunday" in recorder.asked
    assert set(recorder.asked) <= set(texts_to_embed(analysis))
    # the stems' rarity is the story's, the clause left out counted too
    assert index.rarity.weight("barley") == Rarity.of_units(
        ClaimIndex.build(analysis, Recorder()).units).weight("barley")
    assert index.rarity.weight("ferri") == ClaimIndex.build(analysis, Recorder()).rarity.weight(
        "ferri")


def test_the_clauses_left_out_of_the_index_change_no_corroboration(make_document) -> None:
    analysis = _ferry_story(make_document)
    every = ClaimIndex.build(analysis, Recorder())
    pairable = ClaimIndex.build(analysis, Recorder(), could_pair=could_pair)
    assert len(pairable.units) < len(every.units)
    found = claim_corroborations(analysis, Recorder(), index=pairable)
    assert found and found == claim_corroborations(analysis, Recorder(), index=every)


def test_what_is_found_once_per_story_is_found_again_when_the_story_changes(make_document) -> None:
    # the negation pairs and the index's pairable clauses are kept between the ahead pass and
    # the alignment, by what they read: the same documents with other attributions or claims
    # are another story
    a = make_document("Engineer Tomas Berg said the northern dam has not collapsed at all.",
                      source="a.txt")
    b = make_document("Senator Alma Reyes said the northern dam had collapsed overnight. "
                      "The northern dam had collapsed overnight near the village.", source="b.txt")
    negated = _said(a, "the northern dam has not collapsed at all", "Tomas Berg", 1)
    affirmed = _said(b, "the northern dam had collapsed overnight", "Alma Reyes", 1)
    both = Analysis(documents=(a, b), attributions=(negated, affirmed),
                    claims=(*_claims(a, "the northern dam has not collapsed at all"),
                            *_claims(b, "The northern dam had collapsed overnight near")))
    assert "the northern dam has not collapsed at all" in texts_to_embed_after(both, Recorder())
    assert "collapsed" in texts_to_embed(both)
    fewer = Analysis(documents=(a, b), attributions=(affirmed,), claims=both.claims[:1])
    assert texts_to_embed(fewer) == []
    assert texts_to_embed(both) == texts_to_embed(Analysis(
        documents=(a, b), attributions=(negated, affirmed), claims=both.claims))


def _quoted(document, words: str, speaker: str, n: int) -> Attribution:
    return _said(document, words, speaker, n, kind="direct")


def _two_quoting_outlets(make_document) -> Analysis:
    a = make_document(
        'Mayor Ines Duarte said: "The harbour will reopen next week." Coach Lena Hart said: '
        '"Our striker trained alone all winter."', source="a.txt", outlet="Harbour Times")
    b = make_document(
        '"The harbour opens again next week," Ines Duarte said. "Ticket prices for the final '
        'rose sharply," said Omar Vance.', source="b.txt", outlet="Coast Daily")
    return Analysis(documents=(a, b), attributions=(
        _quoted(a, "The harbour will reopen next week.", "Ines Duarte", 1),
        _quoted(a, "Our striker trained alone all winter.", "Lena Hart", 2),
        _quoted(b, "The harbour opens again next week,", "Ines Duarte", 1),
        _quoted(b, "Ticket prices for the final rose sharply,", "Omar Vance", 2),
    ))


def test_quotes_whose_words_could_make_no_relation_are_not_embedded(make_document) -> None:
    # one speaker in other words may be a variant: compared; two speakers in other words,
    # whose statements no claim pairs, can make no relation whatever their vectors
    analysis = _two_quoting_outlets(make_document)
    pruned, every = Recorder(), Recorder()
    sources = Sources.of(analysis)
    found = quote_relations(analysis, pruned, threshold=0.5, sources=sources,
                            pair_matters=pairing_matters(analysis))
    assert "The harbour opens again next week" in pruned.asked
    assert not {"Our striker trained alone all winter",
                "Ticket prices for the final rose sharply"} & set(pruned.asked)
    assert set(pruned.asked) == set(quote_texts(analysis, pairing_matters(analysis)))
    # what is found is what comparing every quote finds
    assert found == quote_relations(analysis, every, threshold=0.5, sources=sources)
    assert found[0] and len(set(every.asked)) > len(set(pruned.asked))


def test_quotes_of_two_speakers_are_compared_when_their_claims_could_corroborate(
        make_document) -> None:
    # the claim matching passes over the claims of quotes found to be one utterance, so two
    # speakers' quotes whose clauses could corroborate are compared, words apart or not
    a = make_document('Coach Lena Hart said: "The northern bridge will close on Friday for '
                      'repairs."', source="a.txt")
    b = make_document('Engineer Omar Vance said: "The northern bridge closes on Friday for '
                      'repairs."', source="b.txt")
    hart = _quoted(a, "The northern bridge will close on Friday for repairs.", "Lena Hart", 1)
    vance = _quoted(b, "The northern bridge closes on Friday for repairs.", "Omar Vance", 1)
    claims = tuple(dataclasses.replace(c, attribution=q.id) for c, q in zip(
        (*_claims(a, "The northern bridge will close on Friday for repairs"),
         *_claims(b, "The northern bridge closes on Friday for repairs")), (hart, vance),
        strict=True))
    analysis = Analysis(documents=(a, b), attributions=(hart, vance), claims=claims)
    assert pairing_matters(analysis)(hart.id, vance.id)
    assert "The northern bridge closes on Friday for repairs" in quote_texts(
        analysis, pairing_matters(analysis))
    unclaimed = dataclasses.replace(analysis, claims=())
    assert not pairing_matters(unclaimed)(hart.id, vance.id)
    assert quote_texts(unclaimed, pairing_matters(unclaimed)) == []


def test_a_negation_whose_word_is_not_echoed_embeds_its_words_and_no_clause(
        make_document) -> None:
    a = make_document("Tomas Berg said the ferry did not sink near the pier.", source="a.txt")
    b = make_document("Alma Reyes said the storm damaged several houses in the valley.",
                      source="b.txt")
    analysis = Analysis(documents=(a, b), attributions=(
        _said(a, "the ferry did not sink near the pier", "Tomas Berg", 1),
        _said(b, "the storm damaged several houses in the valley", "Alma Reyes", 1)))
    recorder = Recorder()
    assert contradiction_relations(analysis, recorder) == []
    assert {"sink", "valley"} <= set(recorder.asked)
    assert all(" " not in text for text in recorder.asked)
    assert texts_to_embed_after(analysis, Recorder()) == []


@pytest.mark.parametrize("least", [0.0, 0.3, 0.7, 1.0])
def test_word_echo_finds_every_word_that_might_echo_at_once(least: float) -> None:
    words = ["collapsed", "harbour", "point", "sink"]
    others = ["collapse", "harbours", "pointed", "pier", "storm", "valley", "sinking", "office"]
    echo = WordEcho(Recorder())
    found = echo.echoing(words, others, least=least)
    for word in words:
        scored = {o for o in others if echo.best([word], [o], strict=True)[0] >= least}
        assert scored <= found[word]
    assert {"collapse"} <= found["collapsed"] and "pointed" in found["point"]


def test_pairable_keeps_every_row_with_a_partner_and_tests_no_failed_pair_twice() -> None:
    # invented clauses over a small vocabulary: many share a stem, few pass the stand-in test
    from rashomon.align.index import ClaimUnit, pairable
    from rashomon.model import Span

    vocabulary = ["harbour", "ferry", "storm", "council", "bridge", "permit"]
    units = []
    for n in range(40):
        stems = frozenset(vocabulary[(n * k) % len(vocabulary)] for k in (1, 2, 5))
        doc = f"d{n % 4}"
        claim = Claim(f"{doc}:c{n}", doc, Span(doc, 0, 10))
        units.append(ClaimUnit(claim, claim.span, f"clause {n}", stems, False, (), (), frozenset()))
    tested: list[tuple[int, int]] = []

    def passes(i: int, j: int) -> bool:
        tested.append((i, j))
        return (i * 7 + j * 3) % 23 == 0

    kept = pairable(units, Rarity.of_units(units), lambda _units, _rarity: passes)
    asked = list(tested)
    # a row is kept exactly when some clause of another document sharing a stem passes with it
    partners = {i for i in range(len(units)) for j in range(len(units))
                if units[i].claim.doc != units[j].claim.doc and units[i].stems & units[j].stems
                and passes(min(i, j), max(i, j))}
    assert kept == sorted(partners)
    assert 0 < len(kept) < len(units)
    # a row left unkept failed with every row it was tested with: none of those is asked again
    unkept = [pair for pair in asked if pair[0] not in partners]
    assert unkept and len(unkept) == len(set(unkept))
