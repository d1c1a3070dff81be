from __future__ import annotations

import pytest

from rashomon.nlp import parse, split_pieces


@pytest.mark.parametrize("limit", [40, 80, 200])
def test_nlp_split_pieces_join_back_and_respect_the_cap(limit: int) -> None:
    text = ("First paragraph has one sentence. And another one here.\n\n" * 5
            + "A line\nwith breaks\n" * 4 + "x" * 130)
    pieces = split_pieces(text, limit)
    assert "".join(pieces) == text
    assert all(len(p) <= limit for p in pieces)


@pytest.mark.slow
def test_nlp_parse_long_document_in_pieces_keeps_offsets(make_document) -> None:
    text = "\n\n".join(f"Minister Ana Silva said on day {i} that the bridge would reopen." for i in range(30))
    document = make_document(text)
    (_, parsed), = list(parse([document], piece_chars=300))
    assert parsed.text == text
    for ent in parsed.ents:
        assert text[ent.start_char:ent.end_char] == ent.text
    assert any(ent.label_ == "PERSON" for ent in parsed.ents)
