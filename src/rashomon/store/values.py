"""One generic, versioned codec for the frozen dataclasses of `rashomon.model`.

A value becomes plain JSON data and back, driven by the classes' type hints: a dataclass is the
list of its fields in declaration order, a tuple a list, a Literal its string, None null. No
per-type code, so a field added to the model is carried without touching this module.

`format_of(cls)` names the layout: a version of this codec and a fingerprint of every class it
meets (names, fields and their types). Data written under another format is stale: its reader
recomputes it rather than reading fields into the wrong places.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import types
from collections.abc import Callable, Hashable
from typing import Any, Literal, TypeVar, Union, cast, get_args, get_origin, get_type_hints

__all__ = ["decode", "dumps", "encode", "fingerprint", "format_of", "loads"]

T = TypeVar("T")

# Version of the encoding itself (what a dataclass, a tuple, None become); the fingerprint
# covers the classes.
CODEC_VERSION = 1

Decoder = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def encode(value: Any) -> Any:
    """`value` (a frozen dataclass, or tuples and plain values) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [encode(getattr(value, name)) for name in _field_names(type(value))]
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """`cls`'s field types, evaluated once: the model's annotations are strings, and every
    evaluation compiles them (the layout fingerprint asked some 1,200 times per process)."""
    return get_type_hints(cls)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def decode(cls: type[T], data: Any) -> T:
    """The `cls` value that `encode` turned into `data`."""
    value: T = _decoder(cast(Hashable, cls))(data)
    return value


@functools.cache
def _decoder(hint: Any) -> Decoder:
    # Decoders are built once per type and kept lean: a large story holds some 40,000 values
    # and 30,000 tuples, read back on every first load of its page. Plain values pass as they
    # are (no call per value); a tuple of items is a `map`; a dataclass converts only the
    # fields that need it.
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint)
    origin = get_origin(hint)
    args = get_args(hint)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            if item is _identity:
                return tuple
            return lambda data: tuple(map(item, data))
        fixed = _converted_fields([_decoder(a) for a in args], f"{hint!r}")
        return lambda data: tuple(fixed(data))
    if origin in (Union, types.UnionType):
        present = [a for a in args if a is not type(None)]
        if len(present) != 1:
            raise TypeError(f"cannot decode a union of several types: {hint!r}")
        inner = _decoder(present[0])
        if inner is _identity:
            return _identity
        return lambda data: None if data is None else inner(data)
    if origin is Literal or hint in (str, int, bool, type(None)):
        return _identity
    if hint is float:
        return float
    raise TypeError(f"cannot decode values of type {hint!r}")


def _converted_fields(decoders: list[Decoder], what: str) -> Callable[[Any], list[Any]]:
    """A function from a list of encoded fields to the decoded fields, each by its decoder; a
    list of another length is an error (data of another layout)."""
    count = len(decoders)
    converting = tuple((i, d) for i, d in enumerate(decoders) if d is not _identity)

    def convert(data: Any) -> list[Any]:
        if len(data) != count:
            raise ValueError(f"{what} has {count} fields, not {len(data)}")
        fields = list(data)
        for i, decode_field in converting:
            fields[i] = decode_field(fields[i])
        return fields

    return convert


def _dataclass_decoder(cls: type) -> Decoder:
    hints = _hints(cls)
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    convert = _converted_fields([_decoder(hints[name]) for name in names], cls.__qualname__)
    if any(f.kw_only for f in fields):
        return lambda data: cls(**dict(zip(names, convert(data), strict=True)))
    return lambda data: cls(*convert(data))


def _describe(hint: Any, seen: dict[type, None]) -> str:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if hint not in seen:
            seen[hint] = None
            hints = _hints(hint)
            for f in dataclasses.fields(hint):
                _describe(hints[f.name], seen)
        return hint.__qualname__
    for arg in get_args(hint):
        if isinstance(arg, type) or get_origin(arg) is not None:
            _describe(arg, seen)
    return repr(hint)


@functools.cache
def fingerprint(cls: type) -> str:
    """A short hash of `cls` and every dataclass reachable from its fields: names and types."""
    seen: dict[type, None] = {}
    _describe(cls, seen)
    layout = [
        (c.__qualname__, [(f.name, repr(_hints(c)[f.name])) for f in dataclasses.fields(c)])
        for c in seen
    ]
    return hashlib.sha256(repr(layout).encode("utf-8")).hexdigest()[:12]


def dumps(value: Any) -> str:
    """`encode(value)` as compact JSON text (NaN kept: a score may be one)."""
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(cls: type[T], text: str) -> T:
    return decode(cls, json.loads(text))


def format_of(cls: type) -> str:
    """The `FORMAT` string for values of `cls`."""
    return f"{CODEC_VERSION}:{fingerprint(cls)}"

