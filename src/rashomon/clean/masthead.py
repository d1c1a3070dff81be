"""Outlet names from a social handle or a copyright line."""

from __future__ import annotations

import re

from rashomon.clean.features import word_count

__all__ = ["outlet_from_copyright", "outlet_from_handle"]

# Tails of a handle that say what kind of account it is, not whose.
_HANDLE_SUFFIXES = frozenset(
    "official news media tv online live hq en eng english intl global world web app channel"
    " team ua uk us".split()
)
# Masthead nouns: "veyrapost" is "veyra" + "post", "nytimes" is "ny" + "times".
_MASTHEAD_NOUNS = (
    "post", "times", "herald", "tribune", "journal", "gazette", "telegraph", "guardian",
    "independent", "express", "mail", "mirror", "observer", "chronicle", "review", "report",
    "press", "insider", "today", "voice", "wire", "monitor", "examiner", "standard", "globe",
    "record", "inquirer", "courier", "dispatch", "bulletin", "weekly", "ledger", "sentinel",
    "register", "beacon", "digest", "truth", "daily", "week",
)
_LEGAL_SUFFIX = re.compile(r"(?:[\s,]+(?:inc|ltd|llc|plc|limited|gmbh|s\.a|corp)\.?)+$", re.I)


def _split_masthead(word: str) -> list[str]:
    """Cut glued words at masthead nouns and account suffixes: "postofficial" -> post, official."""
    lower = word.lower()
    for tail in (*_MASTHEAD_NOUNS, *_HANDLE_SUFFIXES):
        if len(tail) >= 3 and lower.endswith(tail) and len(lower) >= len(tail) + 2:
            return [*_split_masthead(word[: -len(tail)]), word[-len(tail) :]]
    return [word]


def outlet_from_handle(handle: str) -> str | None:
    """A readable outlet name from a social handle: "@Veyrapost_official" -> "Veyra Post"."""
    words: list[str] = []
    for part in re.split(r"[_.\-]+", handle):
        for word in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", part):
            words.extend(_split_masthead(word))
    while len(words) > 1 and words[-1].lower() in _HANDLE_SUFFIXES:
        words.pop()
    if not words or words[0].lower() in _HANDLE_SUFFIXES:
        return None
    return " ".join(_capitalise_word(w) for w in words)


def _capitalise_word(word: str) -> str:
    if len(word) <= 2 or (word.isupper() and len(word) > 1):
        return word.upper()
    return word[0].upper() + word[1:]


_COPYRIGHT_NAME = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s*)?"
    r"(?P<name>[A-Z][\w&'’\- ]*?(?:\.[a-z]{2,4})?)\s*(?:\d{4})?\s*(?:[.,;|]|\ball\s+rights|$)",
    re.IGNORECASE,
)


def outlet_from_copyright(text: str) -> str | None:
    match = _COPYRIGHT_NAME.search(text)
    if match is None:
        return None
    name = _LEGAL_SUFFIX.sub("", match.group("name")).strip()
    if not name or not name[0].isupper() or word_count(name) > 6:
        return None
    return name
