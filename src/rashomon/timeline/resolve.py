"""Date expressions resolved with our own calendar arithmetic against an anchor, the document's
date; and the ISO strings the timeline stores (a day, a month, or an interval START/END).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from rashomon.timeline.grammar import MONTH, MONTHS, NUMBER_WORDS, WEEKDAYS

__all__ = [
    "When",
    "date_bounds",
    "parse_anchor",
    "resolve",
    "resolve_with_dateparser",
]


@dataclass(frozen=True, slots=True)
class When:
    """A resolved date: first and last day, and how it is written (day, month, year, interval)."""

    start: dt.date
    end: dt.date
    grain: str  # "day", "month", "year" or "interval"
    relative: bool  # resolved against the anchor rather than written out in full

    def iso(self) -> str:
        if self.grain == "day":
            return self.start.isoformat()
        if self.grain == "month":
            return self.start.strftime("%Y-%m")
        if self.grain == "year":
            return f"{self.start.year:04d}-01/{self.end.year:04d}-12"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def _day(day: dt.date, relative: bool = True) -> When:
    return When(day, day, "day", relative)


def _month(year: int, month: int, relative: bool) -> When:
    last = calendar.monthrange(year, month)[1]
    return When(dt.date(year, month, 1), dt.date(year, month, last), "month", relative)


def _interval(start: dt.date, end: dt.date, relative: bool = True) -> When:
    if start == end:
        return _day(start, relative)
    return When(min(start, end), max(start, end), "interval", relative)


def parse_anchor(published: str | None) -> dt.date | None:
    """A document's `published` (YYYY-MM-DD) as a date; None when missing or malformed."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def date_bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day an ISO timeline date covers: a day, a month, or START/END."""
    if "/" in value:
        first, last = value.split("/", 1)
        return date_bounds(first)[0], date_bounds(last)[1]
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 1), dt.date(
            parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def _month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year_for_month(month: int, day: int | None, anchor: dt.date, future: bool) -> int:
    """The year of a month (and day) written without one: the latest on or before the anchor
    for a past event, the first on or after it for a future one ("December" in January)."""
    if day is None:
        month_first = (month, 1)
        now = (anchor.month, 1)
    else:
        month_first, now = (month, day), (anchor.month, anchor.day)
    if future:
        return anchor.year if month_first >= now else anchor.year + 1
    return anchor.year if month_first <= now else anchor.year - 1


def _weekday(target: int, anchor: dt.date, rel: str | None, future: bool) -> dt.date:
    rel = (rel or "").lower()
    if rel == "next" or (future and rel != "last"):
        ahead = (target - anchor.weekday()) % 7
        if rel == "next" and ahead == 0:
            ahead = 7
        return anchor + dt.timedelta(days=ahead)
    back = (anchor.weekday() - target) % 7
    if rel == "last" and back == 0:
        back = 7  # "last Friday" in a Friday article is a week before
    return anchor - dt.timedelta(days=back)


def resolve(kind: str, match: re.Match[str], anchor: dt.date | None,
             future: bool) -> When | None:
    """One pattern match as a date, or None when it needs an anchor that is missing."""
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    text = match.group(0).lower()
    year = int(groups["year"]) if "year" in groups else None
    if kind in {"month_day", "day_month", "day_range"}:
        month, day = _month_number(groups["month"]), int(groups["day"])
        if year is None:
            if anchor is None:
                return None
            year = _year_for_month(month, day, anchor, future)
        start = _safe_date(year, month, day)
        if start is None:
            return None
        relative = "year" not in groups
        if kind == "day_range":
            end = _safe_date(year, month, int(groups["day2"]))
            return _interval(start, end, relative) if end and end >= start else None
        return _day(start, relative)
    if kind == "month_year":
        return _month(year or 0, _month_number(groups["month"]), False)
    if kind == "month_rel_year":
        if anchor is None:
            return None
        shift = {"last": -1, "this": 0, "next": 1}[groups["rel"].lower()]
        return _month(anchor.year + shift, _month_number(groups["month"]), True)
    if kind in {"rel_month", "in_month"}:
        if anchor is None:
            return None
        month = _month_number(groups["month"])
        rel = groups.get("rel", "").lower().replace(" ", "")
        if rel == "last":
            year = anchor.year if month < anchor.month else anchor.year - 1
        elif rel == "next":
            year = anchor.year if month > anchor.month else anchor.year + 1
        elif rel in {"this", "earlierthis"}:
            year = anchor.year
        else:
            year = _year_for_month(month, None, anchor, future and rel != "earlierthis")
        return _month(year, month, True)
    if kind == "part_year":
        y = int(groups["year"])
        part = groups["part"].lower()
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
        return When(dt.date(y, months[0], 1),
                     dt.date(y, months[1], calendar.monthrange(y, months[1])[1]), "interval",
                     False)
    if kind == "year":
        y = int(groups["year"])
        return When(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", False)
    if anchor is None:
        return None
    if kind == "weekday":
        return _day(_weekday(WEEKDAYS[groups["weekday"].lower()], anchor, groups.get("rel"),
                             future))
    if kind == "relative":
        offsets = {"the day before yesterday": -2, "yesterday": -1, "last night": -1,
                   "tomorrow": 1}
        normal = " ".join(text.split())
        return _day(anchor + dt.timedelta(days=offsets.get(normal, 0)))
    if kind == "overnight":
        # said in the morning of the anchor: the night that ends on it
        return _interval(anchor - dt.timedelta(days=1), anchor)
    if kind == "week":
        return _resolve_period(" ".join(text.split()), anchor)
    if kind == "ago":
        count = groups["count"].lower()
        n = int(count) if count.isdigit() else NUMBER_WORDS[count]
        unit = groups["unit"].lower()
        if unit == "day":
            return _day(anchor - dt.timedelta(days=n))
        if unit == "week":
            then = anchor - dt.timedelta(weeks=n)
            return _interval(then - dt.timedelta(days=3), then + dt.timedelta(days=3))
        if unit == "month":
            index = anchor.year * 12 + anchor.month - 1 - n
            return _month(index // 12, index % 12 + 1, True)
        return When(dt.date(anchor.year - n, 1, 1), dt.date(anchor.year - n, 12, 31), "year",
                     True)
    return None


def _resolve_period(text: str, anchor: dt.date) -> When | None:
    monday = anchor - dt.timedelta(days=anchor.weekday())
    one = dt.timedelta(days=1)
    if text.startswith("earlier"):
        # Monday to the day before the anchor; on a Monday, "earlier this week" is that day
        return _interval(monday, max(monday, anchor - one))
    if text.startswith("later"):
        return _interval(min(anchor + one, monday + 6 * one), monday + 6 * one)
    if text == "last week":
        return _interval(monday - 7 * one, monday - one)
    if text == "this week":
        return _interval(monday, monday + 6 * one)
    if text == "next week":
        return _interval(monday + 7 * one, monday + 13 * one)
    if text == "last weekend":
        saturday = monday - 2 * one  # the weekend before this week, whatever day this is
        return _interval(saturday, saturday + one)
    if text == "this weekend":
        return _interval(monday + 5 * one, monday + 6 * one)
    if text.endswith("month"):
        shift = {"last": -1, "this": 0, "next": 1}[text.split()[0]]
        index = anchor.year * 12 + anchor.month - 1 + shift
        return _month(index // 12, index % 12 + 1, True)
    if text.endswith("year"):
        y = anchor.year + {"last": -1, "this": 0, "next": 1}[text.split()[0]]
        return When(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", True)
    return None


def resolve_with_dateparser(text: str, anchor: dt.date | None, future: bool) -> When | None:
    """A date entity our patterns did not claim ("two weeks ago" written oddly, "3/11/2025")."""
    if anchor is None:
        return None
    import dateparser  # type: ignore[import-untyped]

    base = dt.datetime(anchor.year, anchor.month, anchor.day)
    settings: dict[str, Any] = {
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "future" if future else "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        value = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):  # dateparser raises on odd inputs
        return None
    if value is None:
        return None
    # dateparser fills a missing day from the base date: "a wet August" is a month, not a day
    if re.search(MONTH, text, re.IGNORECASE) and not re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", text):
        return _month(value.year, value.month, relative=not re.search(r"\b\d{4}\b", text))
    return _day(value.date())

