"""What a change of story membership means for a story's title and its relations.

These are rules of the story model, not of a database: every backend gets them from `Store`,
which applies them around its storage primitives.

- A story's id is never reused: a story merged away, or emptied by a move, keeps its row and
  points at the story its documents went to.
- A story is shown under the title it was given (its first document's), else under the title
  of its first titled member in reading order; one title for it everywhere.
- A story given the title of a document that moves away is renamed after its earliest
  remaining titled member (by when it was added), so that it is never named after an article
  it no longer holds.
- Relations are computed over one story's documents: a story that gains or loses a document,
  or is merged away, loses them until its analysis is made again.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["keeps_title", "shown_title", "stale_relations_after_merge", "stale_relations_after_move"]


def shown_title(given: str | None, first_member_title: Callable[[], str | None]) -> str | None:
    """The title a story is shown under; the member's is looked up only when needed."""
    return given if given is not None else first_member_title()


def keeps_title(given: str | None, leaving_title: str | None) -> bool:
    """Whether a story keeps its title when a document titled `leaving_title` moves out."""
    return given is None or leaving_title is None or given != leaving_title


def stale_relations_after_merge(keep: str, absorbed: str) -> tuple[str, ...]:
    """Stories whose relations a merge makes wrong: the absorbed one's describe a story that no
    longer exists; the kept story's stay until its analysis is made again over its new members."""
    return (absorbed,)


def stale_relations_after_move(source: str, into: str) -> tuple[str, ...]:
    """Stories whose relations a move makes wrong: both, computed over other documents."""
    return (source, into)
