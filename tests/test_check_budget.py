"""How many candidate documents a check reads within its sentence budget."""

from __future__ import annotations

from rashomon.check import within_budget


def test_documents_are_kept_while_their_sentences_fit() -> None:
    assert within_budget([5, 5, 5], 10) == 2
    assert within_budget([5, 5, 5], 9) == 1
    assert within_budget([5, 5, 5], 15) == 3
    assert within_budget([], 10) == 0


def test_the_first_document_is_read_whatever_its_length() -> None:
    assert within_budget([50, 1], 10) == 1
