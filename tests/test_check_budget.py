"""How many candidate documents a check reads within its sentence budget."""

from __future__ import annotations

from collections.abc import Iterator

from rashomon import stance
from rashomon.check import within_budget

# five sentences each
BODY = " ".join(f"The harbour board met on day {n} to discuss the quay." for n in range(1, 6))


def _bodies(count: int, prepared: list[int]) -> Iterator[stance.PreparedText]:
    for n in range(count):
        prepared.append(n)
        yield stance.prepare_text(BODY)


def test_documents_are_kept_while_their_sentences_fit() -> None:
    assert len(stance.prepare_text(BODY).sentences) == 5
    for budget, kept in ((10, 2), (9, 1), (15, 3), (100, 3)):
        assert len(within_budget(_bodies(3, []), budget)) == kept
    assert within_budget(_bodies(0, []), 10) == []


def test_the_first_document_is_read_whatever_its_length_and_no_more_are_prepared() -> None:
    prepared: list[int] = []
    assert len(within_budget(_bodies(10, prepared), 1)) == 1
    # the second body was prepared to learn it did not fit; none after it
    assert prepared == [0, 1]
