"""The date grammar: the patterns that find date expressions in text, and what is not one.

Order matters in `PATTERNS`: the first pattern to claim characters wins, so longer forms come
first. Names of months and days are matched capitalised only ("may" is not May); lowercase
expressions ("yesterday", "earlier in the week") in any case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rashomon.dates import (
    MONTH_NUMBERS,
    MONTH_PREFIX,
    MONTH_WORD,
    WEEKDAY_NAME,
    WEEKDAY_NUMBERS,
)

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
    "not_a_date",
    "pattern_matches",
    "strip_lead",
]

# The names of months and days are `rashomon.dates`'s, shared with the cleaner and the brief.
MONTHS = MONTH_NUMBERS
WEEKDAYS = WEEKDAY_NUMBERS

MONTH = rf"(?P<month>{MONTH_WORD})\.?"
WEEKDAY = rf"(?P<weekday>{WEEKDAY_NAME})"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d\d)"

# A year written out, as broadcast transcripts do: "nineteen ninety-six", "two thousand".
_UNIT = r"(?:one|two|three|four|five|six|seven|eight|nine)"
SPELLED_YEAR = (rf"(?P<spelled>nineteen[- ](?:ten|twenty|thirty|forty|fifty|sixty|seventy|"
                rf"eighty|ninety)(?:[- ]{_UNIT})?|two[- ]thousand(?:[- ](?:and[- ])?{_UNIT})?)")
_ORDINAL_WORDS = (r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
                  r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
                  r"nineteenth|twentieth|thirtieth")
# a day of the month written out: "January twenty-first", "March the third"
SPELLED_DAY = (rf"(?P<sday>(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|"
               rf"seventh|eighth|ninth)|{_ORDINAL_WORDS})")
_CLOCK = (r"(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|[Nn]oon\b|[Mm]idnight\b)")
_ZONE = r"(?:EST|EDT|CST|CDT|PST|PDT|GMT|UTC|local\s+time)"
ORDINAL = r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)"
SEASON = r"(?P<season>spring|summer|fall|autumn|winter)"
_YEAR2 = r"(?P<year2>(?:19|20)\d\d)"

# Order matters: the first pattern to claim characters wins, so longer forms come first.
# Names of months and days are matched capitalised only ("may" is not May); lowercase
# expressions ("yesterday", "earlier in the week") in any case.
_CASELESS = frozenset({"relative", "week", "overnight", "ago", "quarter", "quarter_ref",
                       "year_ago", "season", "year_end", "anaphor", "fiscal_year", "this_year",
                       "half", "span"})
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE if kind in _CASELESS else 0))
    for kind, pattern in (
        ("day_range", (rf"\b{MONTH}\s+(?P<day>[0-3]?\d)\s*[-–—]\s*(?P<day2>[0-3]?\d)"
                       rf"(?:,?\s+{YEAR})?\b")),
        ("month_day", rf"\b{MONTH}\s+{DAY}(?:,?\s+{YEAR})?\b(?!\s*(?:%|per))"),
        ("day_month", rf"\b{DAY}\s+{MONTH}(?:,?\s+{YEAR})?\b"),
        ("month_rel_year", rf"\b{MONTH}\s+(?P<rel>last|this|next)\s+year\b"),
        ("month_year", rf"\b{MONTH},?\s+{YEAR}\b"),
        ("month_day", (rf"\b{MONTH}\s+(?:the\s+)?{SPELLED_DAY}\b"
                       rf"(?:,?\s+(?:{YEAR}|{SPELLED_YEAR})\b)?(?![- ]quarter)")),
        ("month_spelled", rf"\b{MONTH},?\s+{SPELLED_YEAR}\b"),
        # "the third quarter", "the 1988 second quarter", "fourth-quarter", "the year-ago third
        # quarter", "the third quarter of 1990"
        ("quarter", (rf"\b(?:(?:the|its|this|that)\s+)?(?:(?P<ago>year-ago|year-earlier)\s+)?"
                     rf"(?:(?P<rel>this|last|next)\s+year's\s+)?"
                     rf"(?:{YEAR}(?:'s)?\s+)?(?:fiscal[- ])?{ORDINAL}[- ]quarter"
                     rf"(?:\s+of\s+(?:fiscal\s+)?{_YEAR2})?\b")),
        ("half", (rf"\b(?:the\s+)?(?P<ord>first|second)\s+(?:half|two\s+quarters)\s+of\s+"
                  rf"(?:(?:fiscal\s+)?{_YEAR2}|(?:the|this)\s+year|(?P<hrel>next|last)\s+year)\b")),
        # "between 1985 and 1987": two years, each a date of its own
        ("year", (rf"\b(?P<prep>[Bb]etween|[Ff]rom)\s+{YEAR}"
                  rf"(?=\s+(?:and|to|until|through)\s+(?:19|20)\d\d\b)")),
        ("year", rf"(?<=\d\d\d\d )(?P<prep>and|to|until|through)\s+{YEAR}\b(?!\s*(?:%|per))"),
        # the quarter a company reports on: "the latest quarter", "the year-ago period"
        ("quarter_ref", (rf"\b(?:(?P<det>the|this|its)\s+)?(?:(?P<which>latest|current|"
                         rf"most\s+recent|year-ago|year-earlier|comparable|same)\s+)?"
                         rf"(?:{YEAR}\s+)?(?P<unit>quarter|period)\b(?!\s+of\b)")),
        ("year_ago", (r"\b(?:a\s+year\s+(?P<word>ago|earlier|before)|"
                      r"the\s+(?:previous|prior|preceding)\s+year|"
                      r"(?:the\s+)?year-(?:ago|earlier))\b")),
        ("season", (rf"\b(?:(?P<rel>this\s+past|this|last|next|the\s+early|the\s+late|the|"
                    rf"early|late)\s+)?{SEASON}(?:\s+of\s+{_YEAR2})?\b")),
        # "the end of 1994", "the beginning of next year", "year-end": the year or month named
        ("year_end", (rf"\b(?:(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:{YEAR}|{MONTH}|"
                      rf"(?P<this>the\s+year|this\s+year)|(?P<yrel>next|last)\s+year)|"
                      rf"year[- ]end|year's\s+end)\b")),
        ("fiscal_year", rf"\bfiscal(?:\s+year)?\s+{YEAR}\b"),
        ("this_year", (r"\b(?:(?:the\s+(?:current|full)|this)(?:\s+fiscal)?\s+year|"
                       r"(?:earlier|later)\s+(?:in\s+the|this)\s+year)\b")),
        ("spelled_year", (rf"\b(?:the\s+year\s+{SPELLED_YEAR}|"
                          rf"(?P<nineteen>nineteen[- ](?:ten|twenty|thirty|forty|fifty|sixty|"
                          rf"seventy|eighty|ninety)(?:[- ]{_UNIT})?))\b")),
        # "that year", "the following month", "a day later": counted from the date last named
        ("anaphor", (r"\b(?:(?P<that>that|the\s+same)\s+(?P<unit>day|month|year)|"
                     # "the day before the vote" counts from the vote: only a bare one
                     r"the\s+(?P<unit6>day)\s+(?P<dir6>before|after)(?=\s*[,.;])|"
                     r"the\s+(?P<step>following|next|previous|preceding)\s+(?P<unit2>day|month)|"
                     r"the\s+following\s+(?P<unit4>year)|"
                     r"a\s+(?P<unit3>day|month)\s+(?P<dir>later|earlier)|"
                     r"a\s+year\s+(?P<dir5>later))\b")),
        # "at 10 p.m. Wednesday", "noon Thursday", "around 7:15 p.m.": a time of a day
        ("clock", (rf"\b(?:(?:at|around|about|until|by)\s+)?(?P<clock>{_CLOCK})"
                   rf"(?!(?:\s+{_ZONE})?,?\s+(?:on\s+)?{MONTH_PREFIX})"
                   rf"(?:\s+{_ZONE})?(?:,?\s+(?:on\s+)?{WEEKDAY}|"
                   rf"\s+(?P<crel>yesterday|today|tomorrow|tonight))?(?![\w-])")),
        ("rel_month", (rf"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Ee]arlier\s+this|[Ll]ate|[Ee]arly|"
                       rf"[Mm]id-?)\s*{MONTH}\b(?!\s+\d)")),
        ("in_month", rf"\b(?P<prep>[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y)\s+{MONTH}\b(?![\s,]+\d)"),
        ("part_year", rf"\b(?P<part>[Mm]id|[Ee]arly|[Ll]ate)[- ]{YEAR}\b"),
        ("year", (rf"\b(?P<prep>[Ii]n|[Ss]ince|[Ss]ince\s+early|[Bb]y|[Uu]ntil|[Tt]hrough|"
                  rf"[Dd]uring|[Bb]efore|[Aa]fter)\s+{YEAR}\b(?!\s*(?:%|per))")),
        # not a newspaper ("the Sunday Times") nor a holiday ("Good Friday")
        ("weekday", (rf"(?<!Good )(?<!Black )(?<!Cyber )(?<!Super )"
                     rf"\b(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Oo]n)\s+)?{WEEKDAY}"
                     rf"(?:\s+(?P<part>morning|afternoon|evening|night))?\b"
                     rf"(?!\s+(?:Times|Telegraph|Express|Mirror|Herald|Post|Star|Sport)\b)")),
        ("relative", (r"\b(?:the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow|"
                      r"last\s+night|this\s+morning|this\s+afternoon|this\s+evening)\b")),
        ("week", (r"\b(?:earlier\s+(?:in\s+the|this)\s+(?:week|month)|"
                  r"later\s+(?:in\s+the|this)\s+(?:week|month)|"
                  r"last\s+week|this\s+week|next\s+week|last\s+month|this\s+month|next\s+month|"
                  r"last\s+year|this\s+year|next\s+year|last\s+weekend|this\s+weekend)\b")),
        # "the past week", "the last three days", "the next two weeks": a stretch of days
        # ending (or starting) at the document date
        ("span", (r"\b(?:the\s+)?(?P<rel>past|last|next|coming)\s+(?:(?P<count>\d+|two|three|"
                  r"four|five|six|seven|eight|nine|ten)\s+)?(?P<unit>day|week|month|year)"
                  r"(?P<plural>s)?\b")),
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

    def match_group(self, name: str) -> str | None:
        """A named group of the pattern match, None when absent or not matched."""
        if self.match is None or name not in self.match.re.groupindex:
            return None
        return self.match.group(name)


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
            if kind == "week" and re.search(r"\s(?:Week|Month|Year|Weekend)$", match.group(0)):
                continue  # "ABC's This Week": a title, not a week
            taken.append((start, end))
            found.append(Found(start, end, kind, match))
    return found


def _name_not_month(text: str, match: re.Match[str]) -> bool:
    """ "in Jan Novak's house": a short month name followed by a capitalised word is a name."""
    month = match.group("month").rstrip(".")
    return len(month) <= 4 and month.lower() not in {"may", "june", "july"} and bool(
        re.match(r"\s+[A-Z][a-z]", text[match.end():]))


# What follows a year that makes it a name or a term rather than a date: "a 2025 bond" matures
# then, "the 2000 model" is a product.
_YEAR_AS_NAME = re.compile(
    r"\s*(?:-\s*)?(?:bonds?|notes?|debentures?|securities|maturit\w*|models?|editions?|"
    r"series|versions?|releases?)\b", re.IGNORECASE)


def not_a_date(text: str, start: int, end: int) -> bool:
    """Digits that only look like a date: a phone number or code ("555-1990", "No. 1998"), an
    amount ("$1,990", "2000%"), a score, or a year that names a bond or a product."""
    expression = text[start:end]
    if not re.search(r"\d", expression):
        return False
    before, after = text[max(0, start - 12):start], text[end:end + 20]
    if re.search(r"(?:[$€£#]\s*|[/:]|\d[-.)/]\s*|\b[Nn]o\.\s*|\bNo\s+)$", before):
        return True
    if re.match(r"(?:[-/.,:]\d|\d|\s*%|\s*per\s*cent)", after):
        return True
    bare_year = re.fullmatch(r"(?:\w+\s+)?(?:19|20)\d\d", expression.strip()) is not None
    return bare_year and _YEAR_AS_NAME.match(after) is not None


def in_dateline(text: str, start: int, end: int) -> bool:
    """ "Washington, March 14, 2025 –": the document's own date, metadata rather than an event."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    after = text[end:end + 4]
    return len(before) <= 80 and before.rstrip().endswith(",") and bool(
        re.match(r"\s*[–—-]", after))


def strip_lead(text: str, start: int, end: int) -> tuple[int, int]:
    """The expression without a leading "on"/"in"/"since"/"by": "on Tuesday" -> "Tuesday"."""
    match = re.match(r"(?:on|in|since|by|until|through|since early|between|from|and|to|"
                     r"during|before|after|at|around|about)\s+", text[start:end],
                     re.IGNORECASE)
    if match and match.end() < end - start:
        return start + match.end(), end
    return start, end
