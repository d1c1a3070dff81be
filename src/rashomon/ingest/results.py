"""What readers yield: a `RawDocument` per article, or the `InputError` of what failed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeAlias

from rashomon.errors import InputError
from rashomon.model import RawDocument

__all__ = ["Item", "guarded"]

Item: TypeAlias = RawDocument | InputError


def guarded(read: Callable[[], Iterable[Item]]) -> Iterator[Item]:
    """The items `read` produces; an `InputError` it raises is yielded instead of raised.

    Readers raise when a whole input fails (a missing file, a feed that does not parse) and
    yield errors for the parts that fail (one record, one entry); this turns the first kind
    into the second, so one bad input never stops the inputs after it.
    """
    try:
        yield from read()
    except InputError as error:
        yield error
