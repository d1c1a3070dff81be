"""The rules that keep two clauses from corroborating: hand-built clauses, no models."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from rashomon.align.agreement import proposition_score
from rashomon.align.common import content_words, negation_cue
from rashomon.align.contradictions import could_contradict
from rashomon.align.corroboration import claim_corroborations, could_corroborate
from rashomon.align.index import ClaimIndex, ClaimUnit, Rarity
from rashomon.model import Analysis, Claim, Document, Span
from rashomon.terms import stem


def _unit(doc: str, text: str, *figures: tuple[str, float, str, str]) -> ClaimUnit:
    """A clause of document `doc`; each figure is (comparator, value, unit, its words)."""
    numbers = []
    for comparator, value, unit, words in figures:
        at = text.index(words)
        numbers.append((comparator, value, unit, Span(doc, at, at + len(words))))
    claim = Claim(id=f"{doc}:c1", doc=doc, span=Span(doc, 0, len(text)), numbers=tuple(numbers))
    return ClaimUnit(claim, claim.span, text, frozenset(stem(w) for w in content_words(text)),
                     negation_cue(text) is not None, (), tuple(numbers), frozenset())


def _score(a: ClaimUnit, b: ClaimUnit) -> float | None:
    rarity = Rarity([set(a.stems), set(b.stems), {"weather"}, {"harbour"}])
    return proposition_score(a, b, 0.9, rarity)


def test_the_same_figure_in_two_clauses_corroborates() -> None:
    a = _unit("a", "At least six people died when the Kestrel ferry sank off Varna.",
              (">=", 6, "people", "At least six people"))
    b = _unit("b", "The Kestrel ferry sank off Varna and at least six people died.",
              (">=", 6, "people", "at least six people"))
    assert _score(a, b) is not None


def test_figures_of_one_thing_that_differ_do_not_corroborate() -> None:
    a = _unit("a", "At least six people died when the Kestrel ferry sank off Varna.",
              (">=", 6, "people", "At least six people"))
    b = _unit("b", "At least seven people died when the Kestrel ferry sank off Varna.",
              (">=", 7, "people", "At least seven people"))
    assert _score(a, b) is None


def test_a_figure_with_its_equal_in_the_other_clause_keeps_the_pair() -> None:
    # the longer clause gives a second distance; each figure the shorter gives has its equal
    a = _unit("a", "Police chased the Kestrel driver for 30 miles at up to 120 miles an hour.",
              ("", 30, "miles", "30 miles"), ("<=", 120, "miles", "120 miles"))
    b = _unit("b", "The Kestrel driver fled police at up to 120 miles an hour.",
              ("<=", 120, "miles", "120 miles"))
    assert _score(a, b) is not None


def test_counts_of_one_event_class_that_differ_do_not_corroborate() -> None:
    # "protesters" and "people" are different nouns, but both count the arrested
    a = _unit("a", "Police arrested 86 protesters after the Kestrel harbour protest.",
              ("", 86, "protesters", "86 protesters"))
    b = _unit("b", "More than 200 people were arrested after the Kestrel harbour protest.",
              (">", 200, "people", "More than 200 people"))
    assert _score(a, b) is None


def test_about_sixty_and_sixty_state_one_count() -> None:
    a = _unit("a", "Around 60 people were evacuated from homes near the Kestrel depot.",
              ("~", 60, "people", "Around 60 people"))
    b = _unit("b", "Sixty residents were evacuated from homes near the Kestrel depot.",
              ("", 60, "residents", "Sixty residents"))
    assert _score(a, b) is not None


def _dated(unit: ClaimUnit, *dates: str) -> ClaimUnit:
    return dataclasses.replace(unit, dates=tuple((d, unit.span) for d in dates))


def test_a_shared_year_does_not_stand_in_for_shared_words() -> None:
    a = _dated(_unit("a", "Varga was released from prison in 2006 and attacked Mendes again."),
               "2006")
    b = _dated(_unit("b", "Mendes obtained restraining orders from a judge in 2005 and 2006."),
               "2005", "2006")
    assert _score(a, b) is None


def test_a_shared_day_anchors_two_wordings_of_one_event() -> None:
    a = _dated(_unit("a", "The minister arrived in Varna on Thursday for the harbour talks."),
               "2026-03-05")
    b = _dated(_unit("b", "On Thursday she met the mayor of Varna at the town hall."),
               "2026-03-05")
    assert _score(a, b) is not None
    assert _score(_dated(a, "2026"), _dated(b, "2026")) is None


def test_a_short_clause_on_the_same_names_does_not_corroborate_a_long_one() -> None:
    a = _unit("a", "The only defeat on Varga's record was a loss to Tomas Berg in 2019, but he "
                   "nearly lost both bouts with Ivo Kranjc before Kranjc was disqualified for "
                   "repeated low blows in a packed arena full of furious spectators.")
    b = _unit("b", "Varga is best remembered for his long fights with Tomas Berg and Kranjc.")
    assert _score(a, b) is None


def test_a_short_clause_contained_in_a_long_one_corroborates_it() -> None:
    a = _unit("a", "Police identified the victim as 61-year-old Katya Varga, the mother of the "
                   "suspect, who lived alone near the harbour of the town.")
    b = _unit("b", "The body of Katya Varga was found near the harbour.")
    assert _score(a, b) is not None


def test_a_counterfactual_does_not_corroborate_what_happened() -> None:
    # what would have happened did not: the pick was kept
    a = _unit("a", "The Kestrels lost on Sunday and kept the first pick in next year's draft.")
    b = _unit("b", "A Kestrels win on Sunday would have cost them the first pick in the draft.")
    assert _score(a, b) is None
    # both counterfactual, or a reported future ("would be"), is no counterfactual mismatch
    c = _unit("c", "A Kestrels win on Sunday would've cost them the first pick in the draft.")
    assert _score(b, c) is not None
    d = _unit("d", "The Kestrels said they would keep the first pick in next year's draft.")
    e = _unit("e", "The Kestrels will keep the first pick in next year's draft, they said.")
    assert _score(d, e) is not None


def test_thousands_spaced_out_are_read_whole() -> None:
    # one wire prints "20,000" as "20, 000", which the claim parser reads as 20
    def document(doc: str, text: str, figure: str, value: float, comparator: str) -> Document:
        return Document(id=doc, source="test", source_key=f"test:{doc}", text=text,
                        raw_text=text), (comparator, value, "people",
                                         Span(doc, text.index(figure),
                                              text.index(figure) + len(figure)))

    texts = {"a": ("As many as 20, 000 people marched through Varna on Sunday.", "20, 000 people",
                   20.0, "<="),
             "b": ("Around 20 people marched through Varna on Sunday.", "20 people", 20.0, "~")}
    docs, claims = [], []
    for doc, (text, figure, value, comparator) in texts.items():
        built, number = document(doc, text, figure, value, comparator)
        docs.append(built)
        claims.append(Claim(id=f"{doc}:c1", doc=doc, span=Span(doc, 0, len(text)),
                            numbers=(number,)))
    index = ClaimIndex.build(Analysis(documents=tuple(docs), claims=tuple(claims)),
                             lambda texts: np.eye(len(texts), 4))
    values = {u.claim.doc: [n[1] for n in u.numbers] for u in index.units}
    assert values == {"a": [20000.0], "b": [20.0]}
    a, b = index.units
    assert _score(a, b) is None


def test_a_clause_near_only_one_member_does_not_join_a_group() -> None:
    # "worked to reach the climber" is near "recovered the body" but is another thing; the
    # embeddings are set so that it stays close to one member only
    texts = {"a": "Rescuers recovered the body of the Varna climber from the glacier on Sunday.",
             "b": "The body of the Varna climber was recovered from the glacier on Sunday by "
                  "rescuers.",
             "c": "Rescuers on the glacier worked all day to reach the Varna climber."}
    vectors = {"a": [1.0, 0.0], "b": [0.9, 0.43589], "c": [0.8, -0.6]}
    docs = tuple(Document(id=k, source="test", source_key=f"test:{k}", text=v, raw_text=v,
                          outlet=k) for k, v in texts.items())
    claims = tuple(Claim(id=f"{k}:c1", doc=k, span=Span(k, 0, len(v))) for k, v in texts.items())

    def embed(batch: Sequence[str]) -> np.ndarray:
        return np.array([vectors[next(k for k, v in texts.items() if v.startswith(t))]
                         for t in batch])

    groups = claim_corroborations(Analysis(documents=docs, claims=claims), embed)
    assert [g.members for g in groups] == [("a:c1", "b:c1")]


def _could_pair(a: ClaimUnit, b: ClaimUnit) -> tuple[bool, bool]:
    """(could corroborate, could contradict) for two clauses, as the claim index asks."""
    units = [a, b]
    rarity = Rarity.of_units(units)
    return could_corroborate(units, rarity)(0, 1), could_contradict(units, rarity)(0, 1)


def test_clauses_that_cannot_be_found_together_are_told_from_their_words() -> None:
    # the claim index embeds only clauses that pass one of these tests (issue 14): each must
    # hold for every pair a relation could report, whatever the vectors
    sank = _unit("a", "At least six people died when the Kestrel ferry sank off Varna.",
                 (">=", 6, "people", "At least six people"))
    same = _unit("b", "The Kestrel ferry sank off Varna and at least six people died.",
                 (">=", 6, "people", "at least six people"))
    six = _unit("a", "Six people died when the Kestrel ferry sank off Varna on Sunday.",
                ("", 6, "people", "Six people"))
    nine = _unit("b", "Nine people died when the Kestrel ferry sank off Varna on Sunday.",
                 ("", 9, "people", "Nine people"))
    accepted = _unit("a", "The Varna council accepted the harbour plan on Monday.")
    rejected = _unit("b", "The Varna council rejected the harbour plan on Monday.")
    barley = _unit("b", "Farmers in the valley planted early barley this spring.")
    assert _could_pair(sank, same)[0]  # the same proposition
    assert _could_pair(six, nine) == (False, True)  # figures of one thing that conflict
    assert _could_pair(accepted, rejected)[1]  # an antonym, the rest alike
    assert _could_pair(sank, barley) == (False, False)  # no word in common
    # and what they let through is what the relations report: the same pair, found
    assert _score(sank, same) is not None
