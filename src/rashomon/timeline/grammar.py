"""The date grammar: the patterns that find date expressions in text, and what is not one.

Order matters in `PATTERNS`: the first pattern to claim characters wins, so longer forms come
first. Names of months and days are matched capitalised only ("may" is not May); lowercase
expressions ("yesterday", "earlier in the week") in any case.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

__all__ = [
    "DATEPARSER_CUE",
    "DAY",
    "Found",
    "MONTH",
    "MONTHS",
    "NUMBER_WORDS",
    "PATTERNS",
    "WEEKDAY",
    "WEEKDAYS",
    "YEAR",
    "in_dateline",
    "pattern_matches",
    "strip_lead",
]

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d\d)"

# Order matters: the first pattern to claim characters wins, so longer forms come first.
# Names of months and days are matched capitalised only ("may" is not May); lowercase
# expressions ("yesterday", "earlier in the week") in any case.
_CASELESS = frozenset({"relative", "week", "overnight", "ago"})
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE if kind in _CASELESS else 0))
    for kind, pattern in (
        ("day_range", (rf"\b{MONTH}\s+(?P<day>[0-3]?\d)\s*[-–—]\s*(?P<day2>[0-3]?\d)"
                       rf"(?:,?\s+{YEAR})?\b")),
        ("month_day", rf"\b{MONTH}\s+{DAY}(?:,?\s+{YEAR})?\b(?!\s*(?:%|per))"),
        ("day_month", rf"\b{DAY}\s+{MONTH}(?:,?\s+{YEAR})?\b"),
        ("month_rel_year", rf"\b{MONTH}\s+(?P<rel>last|this|next)\s+year\b"),
        ("month_year", rf"\b{MONTH},?\s+{YEAR}\b"),
        ("rel_month", (rf"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Ee]arlier\s+this|[Ll]ate|[Ee]arly|"
                       rf"[Mm]id-?)\s*{MONTH}\b(?!\s+\d)")),
        ("in_month", rf"\b(?P<prep>[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y)\s+{MONTH}\b(?![\s,]+\d)"),
        ("part_year", rf"\b(?P<part>[Mm]id|[Ee]arly|[Ll]ate)[- ]{YEAR}\b"),
        ("year", (rf"\b(?P<prep>[Ii]n|[Ss]ince|[Ss]ince\s+early|[Bb]y|[Uu]ntil|[Tt]hrough)\s+"
                  rf"{YEAR}\b(?!\s*(?:%|per))")),
        # not a newspaper ("the Sunday Times") nor a holiday ("Good Friday")
        ("weekday", (rf"(?<!Good )(?<!Black )(?<!Cyber )(?<!Super )"
                     rf"\b(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Oo]n)\s+)?{WEEKDAY}"
                     rf"(?:\s+(?P<part>morning|afternoon|evening|night))?\b"
                     rf"(?!\s+(?:Times|Telegraph|Express|Mirror|Herald|Post|Star|Sport)\b)")),
        ("relative", (r"\b(?:the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow|"
                      r"last\s+night|this\s+morning|this\s+afternoon|this\s+evening)\b")),
        ("week", (r"\b(?:earlier\s+(?:in\s+the|this)\s+week|later\s+(?:in\s+the|this)\s+week|"
                  r"last\s+week|this\s+week|next\s+week|last\s+month|this\s+month|next\s+month|"
                  r"last\s+year|this\s+year|next\s+year|last\s+weekend|this\s+weekend)\b")),
        ("overnight", r"\bovernight\b"),
        ("ago", (r"\b(?P<count>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                 r"(?P<unit>day|week|month|year)s?\s+ago\b")),
    )
)
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# A spaCy DATE entity is handed to dateparser only when it names a calendar unit: "the past
# day", "30-day" or "World War II" are not dates of events.
DATEPARSER_CUE = re.compile(rf"\b(?:{MONTH}|\d{{4}}|ago)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    kind: str
    match: re.Match[str] | None


def pattern_matches(text: str) -> list[Found]:
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            if kind in {"in_month", "rel_month"} and _name_not_month(text, match):
                continue
            taken.append((start, end))
            found.append(Found(start, end, kind, match))
    return found


def _name_not_month(text: str, match: re.Match[str]) -> bool:
    """ "in Jan Novak's house": a short month name followed by a capitalised word is a name."""
    month = match.group("month").rstrip(".")
    return len(month) <= 4 and month.lower() not in {"may", "june", "july"} and bool(
        re.match(r"\s+[A-Z][a-z]", text[match.end():]))


def in_dateline(text: str, start: int, end: int) -> bool:
    """ "Washington, March 14, 2025 –": the document's own date, metadata rather than an event."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    after = text[end:end + 4]
    return len(before) <= 80 and before.rstrip().endswith(",") and bool(
        re.match(r"\s*[–—-]", after))


def strip_lead(text: str, start: int, end: int) -> tuple[int, int]:
    """The expression without a leading "on"/"in"/"since"/"by": "on Tuesday" -> "Tuesday"."""
    match = re.match(r"(?:on|in|since|by|until|through|since early)\s+", text[start:end],
                     re.IGNORECASE)
    if match and match.end() < end - start:
        return start + match.end(), end
    return start, end

