"""What `check` calls a refutation: a sentence that cannot be true together with the claim."""

from __future__ import annotations

import pytest

from rashomon.opposition import refutes

CLAIM = "Port Veyra mayor Teodor Brannik has resigned"


@pytest.mark.parametrize("sentence", [
    "Reports that Port Veyra mayor Teodor Brannik has resigned are false, the city said.",
    "Port Veyra's mayor Teodor Brannik has not resigned, his office said.",
    "The city denied that mayor Teodor Brannik of Port Veyra had resigned.",
])
def test_opposition_negated_or_denied_claim_refutes(sentence: str) -> None:
    assert refutes(CLAIM, sentence)


@pytest.mark.parametrize("sentence", [
    "Teodor Brannik resigned as mayor of Port Veyra on Monday.",
    # a negation about something else in a sentence on the same subject
    "It was not clear why Port Veyra mayor Teodor Brannik resigned.",
    # too little of the claim: the denial may be of anything
    "The ministry denied the report.",
    "The cherry festival in Dornach was cancelled after a late frost.",
])
def test_opposition_agreement_or_another_subject_does_not_refute(sentence: str) -> None:
    assert not refutes(CLAIM, sentence)


def test_opposition_none_against_a_count_refutes_within_the_claims_scope() -> None:
    assert refutes("12 were killed", "There were no dead or wounded.")
    assert refutes("Twelve people were killed in the Harlow market bombing",
                   "Police said nobody was hurt in the Harlow market blast.")
    # the same kind of count, about another place: not the claim's scope
    assert not refutes("Twelve people were killed in the Harlow market bombing",
                       "No one was hurt in the fire at the Dornach depot.")
    # a count against a count is an update or a scope, not "none"
    assert not refutes("12 were killed", "At least 15 people were killed.")
