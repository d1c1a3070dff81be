"""How reports name an outlet: the model's one rule, also used (remembered) by the pages."""

from __future__ import annotations

import pytest

from rashomon.model import outlet_label
from rashomon.render._views import _outlet_label


@pytest.mark.parametrize(("outlet", "url", "source", "expected"), [
    ("Harbour Times", "https://example.org/a", "a.txt", "Harbour Times"),
    (None, "https://news.example.org/story/1", "feed.xml", "news.example.org"),
    (None, None, "/data/coast-daily/ferry.txt", "ferry.txt"),
    ("", None, "b.txt", "b.txt"),
])
def test_outlet_label_names_the_outlet_then_the_site_then_the_file(
        make_document, outlet, url, source, expected) -> None:
    assert outlet_label(outlet, url, source) == expected
    document = make_document("The ferry sailed.", source=source, outlet=outlet)
    if url is None:
        assert document.outlet_label == expected


def test_a_page_names_an_outlet_on_one_line() -> None:
    assert _outlet_label("Harbour\n  Times\x1b", None, "a.txt") == "Harbour Times"
