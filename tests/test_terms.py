"""The shared word handling: tokens, normal forms, stems, stop words; and disjoint sets."""

from __future__ import annotations

import pytest

from rashomon import terms
from rashomon.disjoint import DisjointSets


def test_terms_words_keep_apostrophes_inside_a_word() -> None:
    assert terms.words("Teodor Brannik’s crew didn't sail; O'Neill's boat did.") == [
        "Teodor", "Brannik’s", "crew", "didn't", "sail", "O'Neill's", "boat", "did"]


def test_terms_normal_lowers_and_makes_the_apostrophe_plain() -> None:
    assert terms.normal("Brannik’s") == "brannik's"
    assert terms.normal("Port Veyra") == "port veyra"


@pytest.mark.parametrize(("a", "b"), [
    ("injured", "injury"),
    ("lights", "lighting"),
    ("kyiv's", "kyiv"),  # a possessive meets its name, however short
    ("strikes", "strike"),
])
def test_terms_stem_joins_forms_of_one_word(a: str, b: str) -> None:
    assert terms.stem(a) == terms.stem(b)


@pytest.mark.parametrize(("a", "b"), [("meeting", "met"), ("ferry", "fever"), ("port", "portal")])
def test_terms_stem_keeps_other_words_apart(a: str, b: str) -> None:
    assert terms.stem(a) != terms.stem(b)


def test_terms_same_stem_needs_four_shared_letters() -> None:
    assert terms.same_stem("hope", "hopeful")
    assert terms.same_stem("cautious", "cautiously")
    assert not terms.same_stem("hop", "hopeful")  # three letters say too little
    assert not terms.same_stem("harbour", "harvest")


def test_terms_stop_words_are_function_words_not_content() -> None:
    for word in ("the", "of", "said", "not", "would", "their"):
        assert word in terms.STOP_WORDS
    for word in ("ferry", "mayor", "injured", "friday", "denied"):
        assert word not in terms.STOP_WORDS
    assert all(w == w.lower() for w in terms.STOP_WORDS)


def test_terms_every_stage_list_holds_the_common_stop_words() -> None:
    from rashomon.timeline import events
    from rashomon.brief import words as brief_words
    from rashomon.align import common

    from rashomon import stance, stories

    for stage_list in (common.STOP, brief_words.STOP, events.STOP_WORDS,
                       stories._stop_words(), stance._stop_words()):
        assert terms.STOP_WORDS <= stage_list


def test_terms_letter_word_starts_with_a_letter_and_keeps_inner_marks() -> None:
    assert terms.LETTER_WORD.findall("The 3 mother-in-law's O’Neill COVID-19 _x 2nd") == [
        "The", "mother-in-law's", "O’Neill", "COVID-19", "x", "nd"]


def test_terms_word_chars_cut_at_every_other_character() -> None:
    assert terms.WORD_CHARS.findall("didn't re-open 2,000 a_b") == [
        "didn", "t", "re", "open", "2", "000", "a_b"]


def test_terms_term_token_is_an_ascii_word_of_two_letters_or_a_number() -> None:
    assert terms.TERM_TOKEN.findall("A cease-fire in Kyiv's 1,200 homes, 3.5 km; 7 é") == [
        "cease-fire", "in", "Kyiv's", "1,200", "homes", "3.5", "km", "7"]


def test_disjoint_sets_join_chains_and_keep_the_rest_apart() -> None:
    sets = DisjointSets(6)
    sets.union(0, 2)
    sets.union(2, 4)
    sets.union(5, 1)
    assert sets.find(0) == sets.find(4)
    assert sets.find(1) == sets.find(5) != sets.find(0)
    assert list(sets.groups().values()) == [[0, 2, 4], [1, 5], [3]]
    assert sets.find(4) == 4  # the root of `other`'s group becomes the root of both


def test_spacy_stop_words_are_read_without_importing_spacy() -> None:
    """The grouping and `/check` need spaCy's stop list only: importing spaCy for it (thinc,
    torch) made a warm `/check` take seconds."""
    import subprocess
    import sys

    probe = ("import sys; from rashomon.terms import spacy_stop_words; "
             "words = spacy_stop_words(); print(int('spacy' in sys.modules), len(words), "
             "int({'the', 'would', 'nobody'} <= words))")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True).stdout.split()
    assert found[0] == "0" and int(found[1]) > 300 and found[2] == "1"
    from spacy.lang.en.stop_words import STOP_WORDS

    from rashomon.terms import spacy_stop_words

    assert spacy_stop_words() == frozenset(w.lower() for w in STOP_WORDS)
