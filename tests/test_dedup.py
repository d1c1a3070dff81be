"""Near-duplicates: MinHash signatures, LSH candidates, exact checks, marking in the store."""

from __future__ import annotations

import numpy as np
import pytest

from rashomon import dedup
from rashomon.store import SQLiteStore
from rashomon.store.sqlite import MEMORY

WIRE = """Harbour Workers Strike Over Pay in Quillon Bay
Dock workers in Quillon Bay walked off the job on Monday, halting cargo traffic at the region's busiest port.
The union said talks with the port authority had broken down over a pay offer it called insulting.
Port director Teodor Vanko said the authority had offered a four percent raise over two years.
Shipping companies warned that perishable goods stuck on the quays could spoil within days.
The strike is the first at the port in eleven years, according to the union's records."""

# the same wire story: new headline, sentences reordered, one dropped, one added
REWRITE = """Quillon Bay Port Paralysed as Dockers Walk Out
Dock workers in Quillon Bay walked off the job on Monday, halting cargo traffic at the region's busiest port.
Port director Teodor Vanko said the authority had offered a four percent raise over two years.
The union said talks with the port authority had broken down over a pay offer it called insulting.
The strike is the first at the port in eleven years, according to the union's records.
Police were posted at the main gate but reported no incidents."""

# the same event in another outlet's own words
OWN_WORDS = """Port Standstill: Quillon Bay Dockers Strike
Cargo stopped moving through Quillon Bay's port on Monday as dockers went on strike.
Union leaders rejected what they described as an insulting offer from the port authority.
Teodor Vanko, who runs the port, defended a proposed raise of four percent across two years.
Exporters of fruit fear losses if the stoppage drags on."""


def test_dedup_signature_is_stable_and_estimates_jaccard() -> None:
    a, b = dedup.shingles(WIRE), dedup.shingles(REWRITE)
    sig_a, sig_b = dedup.minhash(a), dedup.minhash(b)
    assert np.array_equal(sig_a, dedup.minhash(dedup.shingles(WIRE)))
    assert len(dedup.band_hashes(sig_a)) == dedup.BANDS
    estimate = float(np.mean(sig_a == sig_b))
    assert estimate == pytest.approx(dedup.similarity(a, b)[0], abs=0.15)


@pytest.mark.parametrize(("other", "expected"), [(REWRITE, True), (OWN_WORDS, False)])
def test_dedup_rewrite_is_found_and_own_words_are_not(other: str, expected: bool) -> None:
    assert (1 in dedup.find_near_duplicates([WIRE, other])) is expected


def test_dedup_empty_text_has_no_duplicates() -> None:
    assert dedup.find_near_duplicates(["", ""]) == {}


def test_dedup_marks_copies_in_the_store_once_and_points_at_the_original(make_document) -> None:  # type: ignore[no-untyped-def]
    docs = [make_document(WIRE, source="wire.txt"), make_document(OWN_WORDS, source="own.txt"),
            make_document(REWRITE, source="rewrite.txt"),
            make_document(REWRITE + "\nMore talks are set for Friday.", source="copy2.txt")]
    with SQLiteStore(MEMORY) as store:
        for doc in docs:
            store.put_document(doc)
        marked = dedup.mark_near_duplicates(store, docs)
        assert set(marked) == {docs[2].id, docs[3].id}
        # a copy of a copy points at the original wire story
        assert {original for original, _ in marked.values()} == {docs[0].id}
        assert dedup.mark_near_duplicates(store, docs) == {}
        assert set(store.near_duplicates()) == {docs[2].id, docs[3].id}


def test_dedup_marking_stopped_mid_way_is_finished_by_the_next_run(make_document, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # marks are committed a few documents at a time: a failure undoes the unfinished group
    # whole, and marking again finds what one uninterrupted run finds
    docs = [make_document(WIRE, source="wire.txt"), make_document(OWN_WORDS, source="own.txt"),
            make_document(REWRITE, source="rewrite.txt"),
            make_document(REWRITE + "\nMore talks are set for Friday.", source="copy2.txt")]
    monkeypatch.setattr(dedup, "DOCUMENTS_PER_COMMIT", 2)
    with SQLiteStore(MEMORY) as store:
        for doc in docs:
            store.put_document(doc)
        real = dedup.shingles

        def failing(document: object) -> object:
            if document is docs[3]:
                raise RuntimeError("stopped")
            return real(document)  # type: ignore[arg-type]

        monkeypatch.setattr(dedup, "shingles", failing)
        with pytest.raises(RuntimeError):
            dedup.mark_near_duplicates(store, docs)
        monkeypatch.setattr(dedup, "shingles", real)
        assert store.near_duplicates() == {}  # the rewrite's mark went with its group
        assert dedup.mark_near_duplicates(store, docs).keys() == {docs[2].id, docs[3].id}
        assert {original for original, _ in store.near_duplicates().values()} == {docs[0].id}
