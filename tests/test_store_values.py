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


@dataclasses.dataclass(frozen=True, slots=True)
class _Checked:
    name: str
    spans: tuple[Span, ...]

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a name is required")


def test_store_values_slotted_values_are_made_as_their_init_makes_them() -> None:
    """The model's slotted classes are decoded by setting their slots (no `__init__` call):
    the same values, frozen as ever; a class whose `__init__` checks (`__post_init__`) is
    still made through it."""
    claim = Claim("c", "d", Span("d", 1, 2), None, (Span("d", 3, 4),), "negated",
                  Span("d", 0, 1), (("~", 2.5, "km", Span("d", 5, 6)),))
    decoded = values.decode(Claim, values.encode(claim))
    assert decoded == claim and type(decoded.span) is Span
    assert hash(decoded.span) == hash(claim.span)
    with pytest.raises(dataclasses.FrozenInstanceError):
        decoded.span.start = 9  # type: ignore[misc]
    assert values.decode(_Checked, ["x", [["d", 1, 2]]]) == _Checked("x", (Span("d", 1, 2),))
    with pytest.raises(ValueError, match="a name is required"):
        values.decode(_Checked, ["", []])


def test_store_values_loads_leaves_the_garbage_collector_as_it_found_it() -> None:
    import gc

    text = values.dumps(Analysis(claims=(Claim("c", "d", Span("d", 1, 2)),)))
    assert gc.isenabled()
    values.loads(Analysis, text)
    assert gc.isenabled()
    gc.disable()
    try:
        values.loads(Analysis, text)
        assert not gc.isenabled()
    finally:
        gc.enable()
