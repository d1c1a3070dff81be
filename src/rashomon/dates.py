"""The names of months and weekdays, once, and the pattern pieces every date reader builds on.

The timeline's date grammar, the cleaner's date lines and datelines, the brief's checks of
written dates and the contradiction rules each read dates their own way, but all of them name
the same months and days: the names live here so that a spelling added (or fixed) in one place
reaches all of them. A module of its own, importing nothing of Rashomon, so that `clean` (which
runs first) does not depend on `timeline`. How a timeline date reads (`date_label`) is here too,
so that the reports show dates without loading the timeline's grammar.

The pieces are regular expressions without a capturing group, written capitalised: a caller
that reads any case compiles with `re.IGNORECASE`, one that reads names only capitalised ("may"
is not May) does not.
"""

from __future__ import annotations

__all__ = [
    "MONTH_ABBREVIATIONS",
    "MONTH_FULL",
    "MONTH_NAMES",
    "MONTH_NUMBERS",
    "MONTH_PREFIX",
    "MONTH_WORD",
    "MONTH_WORDS",
    "WEEKDAY_ABBREVIATIONS",
    "WEEKDAY_NAME",
    "WEEKDAY_NAMES",
    "WEEKDAY_NUMBERS",
    "WEEKDAY_SHORT",
    "alternatives",
    "date_label",
]

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# "Jan", ..., "Sept", "Sep", ...: a month's first three letters, and "Sept" as well; not "May",
# which is its own name. "Sept" comes before "Sep" so that an alternation tries it first.
MONTH_ABBREVIATIONS = tuple(
    short for name in MONTH_NAMES if len(name) > 3
    for short in ((name[:4], name[:3]) if name == "September" else (name[:3],)))
# every word that names a month, full names first so that an alternation prefers them
MONTH_WORDS = MONTH_NAMES + MONTH_ABBREVIATIONS
WEEKDAY_ABBREVIATIONS = tuple(name[:3] for name in WEEKDAY_NAMES)

# lower-case month word -> month number: "january", "jan", "sept", "may" -> 1, 1, 9, 5
MONTH_NUMBERS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}
MONTH_NUMBERS.update({name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, start=1)})
MONTH_NUMBERS["sept"] = 9
# lower-case weekday name -> its number as `datetime.date.weekday` gives it (Monday is 0)
WEEKDAY_NUMBERS = {name.lower(): i for i, name in enumerate(WEEKDAY_NAMES)}


def alternatives(words: tuple[str, ...] | list[str]) -> str:
    """A non-capturing group matching any of `words`, tried in their order."""
    return "(?:" + "|".join(words) + ")"


# A month's name ("March") only.
MONTH_FULL = alternatives(MONTH_NAMES)
# A month's name or abbreviation ("March", "Mar", "Sept"), the longest form tried first.
MONTH_WORD = alternatives(MONTH_WORDS)
# A month's first three letters ("Mar" of "March", "Mar." or "Marsh"): a word's start only.
MONTH_PREFIX = alternatives([name[:3] for name in MONTH_NAMES])
# A weekday's name ("Tuesday").
WEEKDAY_NAME = alternatives(WEEKDAY_NAMES)
# A weekday's abbreviation or a longer cut of its name, as date lines print them: "Tue",
# "Tues", "Wed", "Wednes", "Thu", "Thurs", "Sat", "Satur" (and "Mon", "Fri", "Sun"): its first
# three letters, then optionally the rest of the name before "day".
WEEKDAY_SHORT = alternatives([
    name[:3] + (f"(?:{name[3:-3]})?" if name[3:-3] else "") for name in WEEKDAY_NAMES])


_SEASON_NAMES = {(3, 5): "spring", (6, 8): "summer", (9, 11): "autumn"}


def date_label(value: str) -> str:
    """A timeline date as a reader says it: "2026-03-04" and "2026-03" as they are, a year
    "2026", a quarter "2026 Q3", a half "2026 H1", a season "summer 2026", another interval
    "START – END"."""
    if "/" not in value:
        return value
    first, last = value.split("/", 1)
    if len(first) == len(last) == 7:  # whole months: a year, quarter, half or season
        (y0, m0), (y1, m1) = (tuple(int(p) for p in v.split("-")) for v in (first, last))
        if y0 == y1 and (m0, m1) == (1, 12):
            return f"{y0}"
        if y0 == y1 and m0 % 3 == 1 and m1 == m0 + 2:
            return f"{y0} Q{(m0 + 2) // 3}"
        if y0 == y1 and (m0, m1) in {(1, 6), (7, 12)}:
            return f"{y0} H{1 if m0 == 1 else 2}"
        if y0 == y1 and (m0, m1) in _SEASON_NAMES:
            return f"{_SEASON_NAMES[(m0, m1)]} {y0}"
        if (m0, m1) == (12, 2) and y1 == y0 + 1:
            return f"winter {y0}–{y1 % 100:02d}"
    return f"{first} – {last}"
