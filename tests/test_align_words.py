"""The word rules the relation finders share: which negations negate a statement, which two
words are one word inflected, how an editor's writing of a quote is set aside. Invented
sentences; no model is loaded."""

from __future__ import annotations

import pytest

from rashomon.align.common import negation_cue, same_word, same_word_key


@pytest.mark.parametrize("clause", [
    "the gunman not only killed the deputy, he also shot a neighbour",
    "the suspect said nothing after officers surrounded him",
    "the harbour master would not comment on the cause",
    "the company did not immediately respond to questions",
    "there was nothing but green lights until the bridge",
    "the union had nothing to say about the strike",
])
def test_words_that_look_negative_but_negate_no_statement(clause: str) -> None:
    assert negation_cue(clause) is None


@pytest.mark.parametrize(("clause", "cue"), [
    ("the dam has not collapsed", "not"),
    ("he did not comment, but no one was hurt", "no"),
    ("the teen didn ’ t have a gun", "n ’ t"),
    ("nobody was injured in the fire", "nobody"),
])
def test_negations_of_a_statement_are_found(clause: str, cue: str) -> None:
    found = negation_cue(clause)
    assert found is not None and found.group() == cue
    assert clause[found.start() : found.end()] == cue  # offsets into the clause itself


@pytest.mark.parametrize(("word", "other"), [
    ("point", "pointed"), ("weaken", "weakened"), ("users", "user"), ("kill", "killed"),
    ("pointing", "point"), ("cause", "caused"), ("encircled", "encirclement"),
    ("prosecuted", "prosecution"),
])
def test_one_word_inflected_is_the_same_word(word: str, other: str) -> None:
    assert same_word(word, other) and same_word(other, word)
    # the key that finds a word's inflections among many words without comparing each
    assert same_word_key(word) == same_word_key(other)


@pytest.mark.parametrize(("word", "other"), [
    ("office", "officers"), ("stated", "station"), ("parole", "parolee"),
])
def test_words_sharing_only_their_first_letters_are_not_the_same_word(word: str,
                                                                      other: str) -> None:
    assert not same_word(word, other)


def test_a_quote_segment_carries_its_normalised_words(make_document) -> None:  # type: ignore[no-untyped-def]
    from rashomon.align import quote_segments
    from rashomon.model import Attribution, Speaker

    document = make_document("Ana Silva said: “We’ll Rebuild the pier; it takes time.”")
    words = "We’ll Rebuild the pier; it takes time."
    start = document.text.index(words)
    quote = Attribution(id="q", doc=document.id, speaker=Speaker(None, "Ana Silva"), cue=None,
                        content=document.span(start, start + len(words)), kind="direct",
                        stance="assertion", medium=None)
    segments = quote_segments(quote, document)
    # the two clauses, then the whole quote; words lower-cased, the apostrophe made plain
    assert [s.words for s in segments] == [
        ("we'll", "rebuild", "the", "pier"), ("it", "takes", "time"),
        ("we'll", "rebuild", "the", "pier", "it", "takes", "time"),
    ]
    # the words are derived, not part of what makes two segments the same
    assert segments[0] == type(segments[0])(quote, segments[0].span, segments[0].text)


def test_a_stems_weight_is_the_same_when_asked_again() -> None:
    from rashomon.align.index import Rarity

    rarity = Rarity([{"pier", "storm"}, {"pier"}, {"ferry"}])
    first = [rarity.weight(t) for t in ("pier", "storm", "absent")]
    assert first == [rarity.weight(t) for t in ("pier", "storm", "absent")]
    assert first[0] < first[1] < first[2]  # the rarer the stem, the more it weighs
