"""One generic, versioned codec for the frozen dataclasses of `rashomon.model`.

A value becomes plain JSON data and back, driven by the classes' type hints: a dataclass is the
list of its fields in declaration order, a tuple a list, a Literal its string, None null. No
per-type code, so a field added to the model is carried without touching this module.

`format_of(cls)` names the layout: a version of this codec and a fingerprint of every class it
meets (names, fields and their types). Data written under another format is stale: its reader
recomputes it rather than reading fields into the wrong places.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import json
import types
from collections.abc import Callable, Hashable, Iterator
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
    decoders = [_decoder(hints[name]) for name in names]
    if _slots_fillable(cls, names):
        return _slot_filler(cls, names, decoders)
    convert = _converted_fields(decoders, cls.__qualname__)
    if any(f.kw_only for f in fields):
        return lambda data: cls(**dict(zip(names, convert(data), strict=True)))
    return lambda data: cls(*convert(data))


def _slots_fillable(cls: type, names: list[str]) -> bool:
    """Whether a `cls` value can be made by setting its slots: every field is a slot of `cls`
    itself, and `__init__` does nothing but store the fields (no `__post_init__`)."""
    return not hasattr(cls, "__post_init__") and all(
        isinstance(cls.__dict__.get(name), types.MemberDescriptorType) for name in names)


def _slot_filler(cls: type, names: list[str], decoders: list[Decoder]) -> Decoder:
    """A decoder that makes the value without calling `__init__`: a new instance whose slots
    are set one by one, by a function written for `cls` (as `dataclasses` writes `__init__`).

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`; setting the
    slots directly, with no loop or list per value, decodes the ~40,000 values of a large
    story in 0.055 s of CPU rather than 0.09 (the largest story of `bench/serve_speed.py`),
    which every first load of its page and every report of it pays.
    """
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls, "count": len(names),
                             "what": cls.__qualname__}
    lines = ["def decode(data):",
             "    if len(data) != count:",
             "        raise ValueError(f'{what} has {count} fields, not {len(data)}')",
             "    made = new(cls)"]
    for i, (name, decode_field) in enumerate(zip(names, decoders, strict=True)):
        scope[f"set_{i}"] = cls.__dict__[name].__set__
        value = f"data[{i}]"
        if decode_field is not _identity:
            scope[f"decode_{i}"] = decode_field
            value = f"decode_{i}({value})"
        lines.append(f"    set_{i}(made, {value})")
    lines.append("    return made")
    exec("\n".join(lines), scope)  # code made here from the field positions only
    decode: Decoder = scope["decode"]
    return decode


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
    """The `cls` value `dumps` wrote as `text`.

    The cyclic garbage collector is paused meanwhile: values hold no cycles, and the ~200,000
    lists and tuples a large story is read into would otherwise set off collections that walk
    every object the process holds (0.05 s of CPU of the 0.16 s that a server process took to
    read the largest story of `bench/serve_speed.py`).
    """
    with _collector_paused():
        return decode(cls, json.loads(text))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block, on again after it if it was on (a
    thread that finds it off already leaves it to the thread that turned it off)."""
    running = gc.isenabled()
    if running:
        gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def format_of(cls: type) -> str:
    """The `FORMAT` string for values of `cls`."""
    return f"{CODEC_VERSION}:{fingerprint(cls)}"

