"""The names of months and weekdays, once, and the pattern pieces every date reader builds on.

The timeline's date grammar, the cleaner's date lines and datelines, the brief's checks of
written dates and the contradiction rules each read dates their own way, but all of them name
the same months and days: the names live here so that a spelling added (or fixed) in one place
reaches all of them. A module of its own, importing nothing of Rashomon, so that `clean` (which
runs first) does not depend on `timeline`.

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
