"""Dates and datelines: a line that is only a date, and a dateline opening a paragraph."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from rashomon.clean.features import word_count
from rashomon.dates import (
    MONTH_NAMES,
    MONTH_NUMBERS,
    MONTH_WORD,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAY_NAMES,
    WEEKDAY_SHORT,
)

__all__ = ["DateLine", "Dateline", "as_date_line", "loose_date_line", "parse_dateline"]

# A month in full or abbreviated ("March", "Mar.", "Sept"), in any case; a weekday before
# the date, cut short or not ("Thurs.,", "Saturday").
_MONTH = rf"{MONTH_WORD}\.?"
_WEEKDAY = rf"{WEEKDAY_SHORT}(?:day)?\.?,?\s+"
_DATE_FORMS = (
    re.compile(
        rf"(?:{_WEEKDAY})?(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
        rf"(?:,?\s+(?P<year>\d{{4}}))?(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?:{_WEEKDAY})?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})"
        rf"(?:,?\s+(?P<year>\d{{4}}))?(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)"),
)
_DATE_LABEL = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)|date)\s*(?:on|at)?\s*:?\s*",
    re.IGNORECASE,
)
# What may follow the date on a date line: a time, a zone, a reading time.
_DATE_TAIL = re.compile(
    r"^[\s,|•·–—-]*(?:(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|(?-i:[A-Z]{2,4})"
    r"|[+-]\d{2}:?\d{2}|\d+\s+min(?:ute)?s?\s+read|[\s,|•·–—-])*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str
    date: str | None  # YYYY-MM-DD, or None when the dateline gives no year
    agency: str | None
    end: int  # offset in the line where the body starts


def _iso_date(match: re.Match[str]) -> str | None:
    """YYYY-MM-DD from a date match, or None when there is no year or the date is impossible."""
    year, month_text, day = match.group("year"), match.group("month"), int(match.group("day"))
    if year is None:
        return None
    month = int(month_text) if month_text.isdigit() else MONTH_NUMBERS[month_text[:3].lower()]
    try:
        return datetime.date(int(year), month, day).isoformat()
    except ValueError:
        return None


def _date_at(text: str, pos: int) -> re.Match[str] | None:
    for form in _DATE_FORMS:
        match = form.match(text, pos)
        if match:
            return match
    return None


@dataclass(frozen=True, slots=True)
class DateLine:
    date: str | None  # YYYY-MM-DD, or None when the line gives no year or an ambiguous date


_MONTH_NAMES = tuple(name.lower() for name in MONTH_NAMES)
_LETTERS = re.compile(r"\b[^\W\d_]{4,12}\b")
_RESPELL_RATIO = 0.85


def _respelled_month(word: str) -> str | None:
    """The month a misspelled month word means ("Novemer", "Febuary"), or None.

    Only a close miss that keeps the month's first three letters: "Decision" and "Marsh" are
    words of their own, "Novemer" is a typo.
    """
    lower = word.lower()
    if lower in _MONTH_NAMES:
        return None
    for month in _MONTH_NAMES:
        if (len(month) >= 5 and lower[:3] == month[:3]
                and SequenceMatcher(None, lower, month).ratio() >= _RESPELL_RATIO):
            return month.capitalize()
    return None


def _respell_months(text: str) -> str:
    if word_count(text) > _DATE_LINE_MAX_WORDS or not any(c.isdigit() for c in text):
        return text  # no date line: not worth a look at every word of every line
    return _LETTERS.sub(lambda m: _respelled_month(m.group()) or m.group(), text)


def as_date_line(text: str, *, near_top: bool = False) -> DateLine | None:
    """The date of a line that is only a date ("Published: 14 March 2025, 10:02 GMT").

    Anywhere in the page, the date must open the line (after a "Published:" label) and only a
    time or a zone may follow it. Among the first lines, where pages print their date line, the
    date may sit anywhere in the line as long as every other word belongs to a date line (or
    is one wire's name: "Ostwire Sep 18, 2031"). A month misspelled by a letter or two is read
    as the month: a line that is only a date is typed by hand.
    """
    text = _respell_months(text)
    strict = _strict_date_line(text)
    if strict is not None or not near_top:
        return strict
    return loose_date_line(text)


def _strict_date_line(text: str) -> DateLine | None:
    if word_count(text) > 12:
        return None
    label = _DATE_LABEL.match(text)
    match = _date_at(text, label.end() if label else 0)
    if match is None or not _DATE_TAIL.match(text[match.end() :]):
        return None
    return DateLine(_iso_date(match))


# Numbers with slashes, also spaced out ("05 / 02 / 2013"): month and day in an order that only
# the numbers themselves can tell.
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.])(?P<first>\d{1,2})\s?/\s?(?P<second>\d{1,2})\s?/\s?(?P<year>\d{4}|\d{2})"
    r"(?![\d/])"
)
# Every word a date line may carry besides its date: labels, weekdays (also cut as "Tues",
# "Weds", "Thur"), months (of a second date, "updated ..."), ordinal suffixes, clock words
# ("a. m.", "hrs"), reading times.
_DATE_LINE_WORDS = frozenset(
    "published publish posted updated update last first originally edited modified created"
    " story release released time date on at and of am pm a p m hrs hr h st nd rd th utc uk"
    " min mins minute minutes read tues weds thur thurs".split()
) | {name.lower() for name in WEEKDAY_NAMES + WEEKDAY_ABBREVIATIONS} | frozenset(MONTH_NUMBERS)
# Time zones: "EDT", "GMT", "IST", "AKDT", "ET", "PT".
_ZONE = re.compile(r"[A-Z]{0,4}T")
_ACRONYM = re.compile(r"[A-Z]{2,4}")
_DATE_LINE_MAX_WORDS = 24
_CLOCK = re.compile(r"\d{1,2}\s?[:.]\s?\d{2}")


def loose_date_line(text: str) -> DateLine | None:
    """A line made of a date and date-line words only, wherever in the line the date sits.

    A sentence that mentions a date carries other words (a subject, a verb), so it never
    passes; one unknown word is allowed, an acronym (a wire or a zone: "TNN", "HKT") or a
    capitalised name opening the line before the date (a wire's: "Ostwire Sep 18, 2031"),
    unless the whole line is in capitals, where every word looks like one.
    """
    if word_count(text) > _DATE_LINE_MAX_WORDS or not any(c.isdigit() for c in text):
        return None
    found = _first_date(text)
    if found is None:
        return None
    match, date = found
    rest = text[: match.start()] + " " + text[match.end() :]
    unknown = [
        word
        for word in re.findall(r"[^\W\d_]+", rest)
        if word.casefold() not in _DATE_LINE_WORDS and not _ZONE.fullmatch(word)
    ]
    if not unknown:
        return DateLine(date)
    if text.isupper() or len(unknown) != 1:
        return None
    # a wire or a zone in capitals ("TNN", "HKT"), or a wire's name opening the line before
    # its date and time ("Ostwire Sep 18, 2031, 02. 16PM IST"); without the time, "Born May
    # 2, 1981" atop a profile would pass for one
    word = unknown[0]
    stamped = word[0].isupper() and text.lstrip().startswith(word) and bool(
        _CLOCK.search(text, match.end()))
    if _ACRONYM.fullmatch(word) or stamped:
        return DateLine(date)
    return None


def _first_date(text: str) -> tuple[re.Match[str], str | None] | None:
    """The earliest date in the text, with its ISO form when it has one."""
    best: tuple[re.Match[str], str | None] | None = None
    for form in _DATE_FORMS:
        match = form.search(text)
        if match and (best is None or match.start() < best[0].start()):
            best = (match, _iso_date(match))
    numeric = _NUMERIC_DATE.search(text)
    if numeric and (best is None or numeric.start() < best[0].start()):
        best = (numeric, _numeric_iso_date(numeric))
    return best


def _numeric_iso_date(match: re.Match[str]) -> str | None:
    """YYYY-MM-DD from "11 / 30 / 2009" or "30/11/09"; None when day and month could swap.

    "05/02/2013" is May 2 in one country and 5 February in another: without a number above 12
    to tell them apart, the date is left unknown rather than guessed.
    """
    first, second = int(match.group("first")), int(match.group("second"))
    year = int(match.group("year"))
    if year < 100:
        # Two-digit years on news pages are this century's, save the late 1900s.
        year += 1900 if year >= 70 else 2000
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first or first == second:
        day, month = second, first
    else:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


_PLACE_WORD = r"[A-Z][\w'’.\-]*"
_PLACE = re.compile(
    rf"(?P<place>{_PLACE_WORD}(?:(?:\s+|\s*/\s*)(?:(?:de|da|del|la|le|al|el|am|upon|sur)\s+)?"
    rf"{_PLACE_WORD}){{0,3}}"
    rf"(?:,\s+(?!{_MONTH}\s)(?!{_WEEKDAY}){_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}})?)"
)
_DATE_COMMA = re.compile(r",?\s*")
_AGENCY = re.compile(r"\s*\((?P<agency>[A-Za-z][\w&.'’ /\-]{0,30})\)")
_DATELINE_DASH = re.compile(r"\s*(?:[–—]|--?)\s+(?=[\"“‘'(]?[A-Z0-9])")


def parse_dateline(text: str) -> Dateline | None:
    """The dateline opening a paragraph, if any: place, date and agency, and where the body starts.

    A capitalised phrase followed by a dash counts only with a date, a wire agency in brackets
    or a place in capitals; otherwise "Meanwhile – " would pass for a place.
    """
    place = _PLACE.match(text)
    if place is None:
        return None
    pos = place.end()
    date_match = None
    comma = _DATE_COMMA.match(text, pos)
    if comma is not None:
        date_match = _date_at(text, comma.end())
        if date_match is not None:
            pos = date_match.end()
    agency = _AGENCY.match(text, pos)
    if agency is not None:
        pos = agency.end()
    dash = _DATELINE_DASH.match(text, pos)
    if dash is None:
        return None
    place_text = place.group("place")
    capitals = place_text.split(",")[0].replace("/", "").replace(" ", "")
    if date_match is None and agency is None and not capitals.isupper():
        return None
    return Dateline(
        place=place_text,
        date=_iso_date(date_match) if date_match else None,
        agency=agency.group("agency").strip() if agency else None,
        end=dash.end(),
    )
