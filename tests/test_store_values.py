"""The generic codec of the model's frozen dataclasses (store/values.py)."""

from __future__ import annotations

import dataclasses
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rashomon.model import Analysis, Claim, Entity, Span, TimelineEntry
from rashomon.store import values


@dataclasses.dataclass(frozen=True)
class _Old:
    name: str
    count: int


@dataclasses.dataclass(frozen=True)
class _New:
    name: str
    count: int
    note: str | None = None


spans = st.builds(Span, st.text(max_size=5), st.integers(0, 99), st.integers(0, 99))
claims = st.builds(
    Claim, st.text(max_size=8), st.text(max_size=8), spans, st.none() | st.text(max_size=4),
    st.tuples(spans), st.sampled_from(["affirmed", "negated"]), st.none() | spans,
    st.lists(st.tuples(st.sampled_from(["", "<", "~"]), st.floats(allow_nan=False), st.text(),
                       spans), max_size=2).map(tuple),
)


@given(claims, st.lists(st.builds(Entity, st.text(), st.text(), st.text()), max_size=2))
def test_store_values_round_trip_any_analysis(claim: Claim, entities: list[Entity]) -> None:
    analysis = Analysis(claims=(claim,), entities=tuple(entities),
                        timeline=(TimelineEntry("2026-05", claim.span, "event", uncertain=True),))
    assert values.loads(Analysis, values.dumps(analysis)) == analysis


def test_store_values_layout_fingerprint_follows_the_fields() -> None:
    assert values.format_of(_Old) != values.format_of(_New)
    assert values.format_of(Analysis) == values.format_of(Analysis)
    kind: Literal["a"] = "a"
    assert values.decode(_New, values.encode(_New(kind, 2))) == _New("a", 2)


def test_store_values_refuse_data_of_another_layout() -> None:
    """A stored list with a field too many or too few is an error, never fields shifted into
    the wrong places."""
    span = values.encode(Span("d", 1, 2))
    with pytest.raises(ValueError, match="Span has 3 fields, not 4"):
        values.decode(Span, [*span, 9])
    claim = values.encode(Claim("c", "d", Span("d", 1, 2)))
    with pytest.raises(ValueError, match="Claim has"):
        values.decode(Claim, claim[:-1])
    with pytest.raises(ValueError):
        values.decode(tuple[str, int], ["a", 1, 2])
