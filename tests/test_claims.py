from __future__ import annotations

import pytest

from rashomon.attribution import extract_attributions
from rashomon.claims import extract_claims

pytestmark = pytest.mark.slow

TEXT = ("The Velmora council voted on Monday to close the old market hall. "
        "Mayor Ines Duarte said the building was no longer safe. "
        "Would anyone miss it? "
        "Traders have used the hall since 1911.")


def test_claims_cover_attributed_contents_and_author_assertions(parse_document) -> None:
    document, parsed = parse_document(TEXT)
    attributions = extract_attributions(document, parsed)
    claims = extract_claims(document, parsed, attributions)
    texts = [document.slice(c.span) for c in claims]
    assert "The Velmora council voted on Monday to close the old market hall." in texts
    assert "Traders have used the hall since 1911." in texts
    assert not any(t.startswith("Would anyone") for t in texts)  # a question asserts nothing
    attributed = [c for c in claims if c.attribution is not None]
    assert [document.slice(c.span) for c in attributed] == ["the building was no longer safe"]
    # the reporting sentence itself is not a second, author's claim
    assert not any(t.startswith("Mayor Ines Duarte said") for t in texts)
    assert [c.span.start for c in claims] == sorted(c.span.start for c in claims)
