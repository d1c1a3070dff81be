"""Shared fixtures. The real spaCy model is loaded once per test session."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from rashomon.model import Document, OffsetMap, document_id


# Fixtures that load the real spaCy model: a test using one is slow, whether or not its module
# says so, so that `pytest -m "not slow"` stays quick.
_MODEL_FIXTURES = frozenset({"nlp", "parse_document"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


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


BENCH = Path(__file__).resolve().parents[1] / "bench"


def load_harness(name: str) -> ModuleType:
    """A bench harness (bench/NAME.py) as a module, importable as `python bench/NAME.py` runs it:
    with bench/ on the path for its `gate` import, and registered under its name (dataclasses
    look their module up by name)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def encodable(value: str | None) -> bool:
    """Whether a string can be written as UTF-8 (no lone surrogates): what every reader hands on."""
    try:
        (value or "").encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
