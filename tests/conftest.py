"""Shared fixtures. The real spaCy model is loaded once per test session."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rashomon.model import Document, OffsetMap, document_id


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from rashomon.nlp import load_nlp

    return load_nlp()


@pytest.fixture
def make_document() -> Callable[..., Document]:
    """Build a Document straight from clean text, for stages that come after cleaning."""

    def make(text: str, *, source: str = "test.txt", outlet: str | None = None,
             published: str | None = None, title: str | None = None) -> Document:
        key = source
        return Document(
            id=document_id(key, text), source=source, source_key=key, text=text, raw_text=text,
            title=title, outlet=outlet, published=published,
            offsets=OffsetMap(((0, 0, len(text)),)),
        )

    return make


@pytest.fixture
def parse_document(nlp, make_document):  # type: ignore[no-untyped-def]
    """Clean text -> (Document, spaCy Doc) through the real pipeline."""
    from rashomon.nlp import parse

    def run(text: str, **kwargs):  # type: ignore[no-untyped-def]
        document = make_document(text, **kwargs)
        return next(parse([document]))

    return run
