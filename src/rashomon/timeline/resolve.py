"""Date expressions resolved with our own calendar arithmetic against an anchor, the document's
date; and the ISO strings the timeline stores (a day, a month, or an interval START/END).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any

from rashomon.dates import date_label
from rashomon.timeline.grammar import MONTH, MONTHS, NUMBER_WORDS, WEEKDAYS

__all__ = [
    "Setting",
    "When",
    "date_bounds",
    "date_label",
    "parse_anchor",
    "resolve",
    "resolve_with_dateparser",
]


@dataclass(frozen=True, slots=True)
class When:
    """A resolved date: first and last day, and how it is written (day, month, year, interval)."""

    start: dt.date
    end: dt.date
    grain: str  # "day", "month", "months" (whole months), "year" or "interval"
    relative: bool  # resolved against the anchor rather than written out in full

    def iso(self) -> str:
        if self.grain == "day":
            return self.start.isoformat()
        if self.grain == "month":
            return self.start.strftime("%Y-%m")
        if self.grain == "year":
            return f"{self.start.year:04d}-01/{self.end.year:04d}-12"
        if self.grain == "months":  # a quarter, half or season: whole months
            return f"{self.start:%Y-%m}/{self.end:%Y-%m}"
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


# A month or day written without its year goes to the nearest such date around the anchor;
# the tense of its sentence wins over a nearer date in the other direction when that date is no
# more than this many days nearer ("ended March 31" in an October article is last March). Chosen
# on TimeBank's even-numbered articles (margins 0, 60, 120, 180, 240, 400: value F1 0.880,
# 0.884, 0.886, 0.897, 0.892, 0.870), checked on the odd ones (0.843 ... 0.852 at 180).
TENSE_MARGIN = 180


def _distance(first: dt.date, last: dt.date, anchor: dt.date) -> int:
    if first <= anchor <= last:
        return 0
    return min(abs((first - anchor).days), abs((last - anchor).days))


def nearest_year(bounds: Callable[[int], tuple[dt.date, dt.date] | None], anchor: dt.date,
                 future: bool, sure: bool = True, margin: int | None = None) -> tuple[int, bool]:
    """The year that puts a yearless period (a month, a day, a quarter, a season) nearest the
    anchor, and whether the choice is close (the runner-up within `TENSE_MARGIN` days of it).

    A sure tense breaks near-ties: a future event takes the nearest period not yet over, a past
    one the nearest already begun, when it is at most `TENSE_MARGIN` days farther."""
    options = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        period = bounds(year)
        if period is not None:
            options.append((_distance(*period, anchor), year, period))
    if not options:
        return anchor.year, True
    options.sort()
    best = options[0]
    margin = TENSE_MARGIN if margin is None else margin
    if sure:
        fits = [o for o in options if (o[2][1] >= anchor if future else o[2][0] <= anchor)]
        if fits and fits[0][0] <= best[0] + margin:
            best = fits[0]
    others = [o[0] for o in options if o[1] != best[1]]
    return best[1], bool(others) and min(others) <= best[0] + TENSE_MARGIN


def _year_for_month(month: int, day: int | None, anchor: dt.date, future: bool,
                    sure: bool = True, margin: int | None = None) -> int:
    """The year of a month (and day) written without one: see `nearest_year`."""
    def bounds(year: int) -> tuple[dt.date, dt.date] | None:
        if day is not None:
            date = _safe_date(year, month, day)
            return (date, date) if date else None
        return dt.date(year, month, 1), _month_end(year, month)

    return nearest_year(bounds, anchor, future, sure, margin)[0]


def _month_end(year: int, month: int) -> dt.date:
    """The last day of `month` of `year`; months past December run into the next year."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


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


@dataclass(frozen=True, slots=True)
class Setting:
    """What a resolution needs beyond the expression: the anchor, the sentence's tense, and the
    quarter the document reports on (business news: "the quarter", "a year earlier")."""

    anchor: dt.date | None
    future: bool = False
    sure: bool = True  # the tense is stated, not guessed
    period: When | None = None  # the quarter the document last named
    quarterly: bool = False  # the sentence compares periods ("quarter", "period")
    since: bool = False  # "since March": the start of a stretch that runs to the anchor
    named: When | None = None  # the date the text last named ("that year" is its year)

    @property
    def margin(self) -> int | None:
        """How much nearer the other year's date must be to overrule the tense: never, for
        "since" (a stretch that began after the anchor is not one yet)."""
        return 100_000 if self.since else None


def resolve(kind: str, match: re.Match[str], setting: Setting) -> When | None:
    """One pattern match as a date, or None when it needs an anchor that is missing, or when
    the match turns out not to name a date ("the period" with nothing to say which)."""
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    for step in (_resolve_written, _resolve_business, _resolve_relative):
        when = step(kind, groups, match.group(0).lower(), setting)
        if when is not _NOT_MINE:
            return when
    return None


_NOT_MINE = When(dt.date.min, dt.date.min, "day", False)  # this step does not know the kind


def _resolve_written(kind: str, groups: dict[str, str], text: str,
                     setting: Setting) -> When | None:
    """Months, days and years as written, with the year guessed when missing."""
    anchor = setting.anchor
    year = int(groups["year"]) if "year" in groups else None
    if kind in {"month_day", "day_month", "day_range"}:
        month = _month_number(groups["month"])
        day = int(groups["day"]) if "day" in groups else spelled_day(groups["sday"])
        if year is None and "spelled" in groups:
            year = spelled_year(groups["spelled"])
        if year is None:
            if anchor is None:
                return None
            year = _year_for_month(month, day, anchor, setting.future, setting.sure,
                                   setting.margin)
        start = _safe_date(year, month, day)
        if start is None:
            return None
        relative = "year" not in groups and "spelled" not in groups
        if kind == "day_range":
            end = _safe_date(year, month, int(groups["day2"]))
            return _interval(start, end, relative) if end and end >= start else None
        return _day(start, relative)
    if kind == "month_year":
        return _month(year or 0, _month_number(groups["month"]), False)
    if kind == "month_spelled":
        return _month(spelled_year(groups["spelled"]), _month_number(groups["month"]), False)
    if kind == "spelled_year":
        return _year(spelled_year(groups.get("spelled") or groups["nineteen"]), False)
    if kind in {"part_year", "year", "fiscal_year"}:
        # "early 1990" names a part of 1990 without saying which days: the year, as written
        return _year(int(groups["year"]), False)
    if kind == "year_end":
        if "month" in groups:
            if anchor is None:
                return None
            month = _month_number(groups["month"])
            return _month(_year_for_month(month, None, anchor, setting.future, setting.sure,
                                          setting.margin),
                          month, True)
        if year is not None:
            return _year(year, False)
        if anchor is None:
            return None
        shift = {"next": 1, "last": -1}.get(groups.get("yrel", "").lower(), 0)
        return _year(anchor.year + shift, True)
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
            year = _year_for_month(month, None, anchor, setting.future, setting.sure,
                                   setting.margin)
        return _month(year, month, True)
    if kind == "season":
        return _season(groups, setting)
    return _NOT_MINE


def _resolve_business(kind: str, groups: dict[str, str], text: str,
                      setting: Setting) -> When | None:
    """Quarters and halves, and the periods a company report compares."""
    anchor = setting.anchor
    if kind == "quarter":
        number = int(groups["ord"][0]) if groups["ord"][0].isdigit() else _ORDINALS[
            groups["ord"].lower()]
        year = groups.get("year2") or groups.get("year")
        if year is not None:
            return _quarter(int(year), number, False)
        if anchor is None:
            return None
        if "rel" in groups:  # "this year's third quarter"
            shift = {"last": -1, "this": 0, "next": 1}[groups["rel"].lower()]
            return _quarter(anchor.year + shift, number, True)
        if "ago" in groups:  # "the year-ago third quarter"
            base = setting.period.start.year if setting.period else anchor.year
            return _quarter(base - 1, number, True)
        found, _ = nearest_year(lambda y: _quarter_bounds(y, number), anchor, setting.future,
                                setting.sure)
        return _quarter(found, number, True)
    if kind == "half":
        half = 1 if groups["ord"].lower() == "first" else 2
        if "year2" in groups:
            y = int(groups["year2"])
        elif anchor is None:
            return None
        else:  # "the second half of the year", "... of next year"
            y = anchor.year + {"next": 1, "last": -1}.get(groups.get("hrel", "").lower(), 0)
        return _months(dt.date(y, 6 * half - 5, 1), _month_end(y, 6 * half), "year2" not in groups)
    if kind == "quarter_ref":
        return _reported_quarter(groups, setting)
    if kind == "year_ago":
        if anchor is None:
            return None
        if setting.quarterly and setting.period is not None:
            return _year_ago_quarter(setting.period)
        if text.startswith("a year"):
            # "a year ago, the mill was busy": the day a year back, as TimeML reads it; only
            # approximately meant, so marked uncertain (see extract._uncertain)
            return _day(_shift_months(anchor, -12))
        return _year(anchor.year - 1, True)
    if kind == "this_year":
        return _year(anchor.year, True) if anchor else None
    return _NOT_MINE


def _resolve_relative(kind: str, groups: dict[str, str], text: str,
                      setting: Setting) -> When | None:
    """Days, weeks and spans counted from the anchor."""
    anchor = setting.anchor
    if kind == "anaphor":
        return _anaphor(groups, setting.named)
    if anchor is None:
        return None
    if kind == "clock":
        if "weekday" in groups:
            return _day(_weekday(WEEKDAYS[groups["weekday"].lower()], anchor, None,
                                 setting.future))
        offsets = {"yesterday": -1, "tomorrow": 1}
        return _day(anchor + dt.timedelta(days=offsets.get(groups.get("crel", "").lower(), 0)))
    if kind == "weekday":
        return _day(_weekday(WEEKDAYS[groups["weekday"].lower()], anchor, groups.get("rel"),
                             setting.future))
    if kind == "relative":
        offsets = {"the day before yesterday": -2, "yesterday": -1, "last night": -1,
                   "tomorrow": 1}
        normal = " ".join(text.split())
        return _day(anchor + dt.timedelta(days=offsets.get(normal, 0)))
    if kind == "overnight":
        # said in the morning of the anchor: the night that ends on it
        return _interval(anchor - dt.timedelta(days=1), anchor)
    if kind == "week":
        normal = " ".join(text.split())
        return _resolve_period(normal, anchor)
    if kind == "span":
        return _span(groups, anchor)
    if kind == "ago":
        count = groups["count"].lower()
        n = int(count) if count.isdigit() else NUMBER_WORDS[count]
        unit = groups["unit"].lower()
        if unit == "day":
            return _day(anchor - dt.timedelta(days=n))
        if unit == "week":  # the week it fell in: "two weeks ago" names no day
            then = anchor - dt.timedelta(weeks=n)
            monday = then - dt.timedelta(days=then.weekday())
            return _interval(monday, monday + dt.timedelta(days=6))
        if unit == "month":
            index = anchor.year * 12 + anchor.month - 1 - n
            return _month(index // 12, index % 12 + 1, True)
        return _year(anchor.year - n, True)
    return None


_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
# meteorological seasons; winter runs from December into the next year
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11),
            "winter": (12, 14)}


def _year(year: int, relative: bool) -> When:
    return When(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", relative)


def _months(start: dt.date, end: dt.date, relative: bool) -> When:
    return When(start, end, "months", relative)


def _quarter_bounds(year: int, number: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 3 * number - 2, 1), _month_end(year, 3 * number)


def _quarter(year: int, number: int, relative: bool) -> When:
    return _months(*_quarter_bounds(year, number), relative)


def _anaphor(groups: dict[str, str], named: When | None) -> When | None:
    """ "that year", "the same day", "the following month", "a day later": counted from the
    date the text last named, at the grain asked for; None when that date is coarser."""
    if named is None:
        return None
    unit = (groups.get("unit") or groups.get("unit2") or groups.get("unit3")
            or groups.get("unit4") or groups.get("unit6") or "year").lower()
    word = (groups.get("step") or groups.get("dir") or groups.get("dir5") or groups.get("dir6")
            or "").lower()
    step = 1 if word in {"following", "next", "later", "after"} else -1 if word else 0
    if unit == "day":
        if named.grain != "day":
            return None
        return _day(named.start + dt.timedelta(days=step))
    if unit == "month":
        if named.grain not in {"day", "month"}:
            return None
        index = named.start.year * 12 + named.start.month - 1 + step
        return _month(index // 12, index % 12 + 1, named.relative)
    if named.grain not in {"day", "month", "year"}:
        return None
    return _year(named.start.year + step, named.relative)


def _year_ago_quarter(period: When) -> When:
    """ "net rose from $2 million a year earlier" in a report on a quarter: the same quarter of
    the year before (the figure compared is that quarter's, not the whole year's)."""
    return _quarter(period.start.year - 1, (period.start.month + 2) // 3, True)


def _last_quarter(anchor: dt.date) -> When:
    """The last quarter over before the anchor: the one a report in October is about."""
    number = (anchor.month - 1) // 3  # the current quarter's number, minus one
    if number == 0:
        return _quarter(anchor.year - 1, 4, True)
    return _quarter(anchor.year, number, True)


def _reported_quarter(groups: dict[str, str], setting: Setting) -> When | None:
    """ "the quarter", "the latest period", "the year-ago quarter": the quarter the document
    reports on (the last one it named, else the last one over), or that of the year before."""
    anchor = setting.anchor
    which = " ".join(groups.get("which", "").lower().split())
    if anchor is None or not (groups.get("det") or which):
        return None
    if groups["unit"].lower() == "period" and not (which or "year" in groups):
        return None  # "the period" alone says nothing of which
    if which == "current":
        return _quarter(anchor.year, (anchor.month + 2) // 3, True)
    if setting.period is None and groups["unit"].lower() == "period":
        return None  # a period in a document that names no quarter may be anything
    period = setting.period or _last_quarter(anchor)
    number = (period.start.month + 2) // 3
    if "year" in groups:
        return _quarter(int(groups["year"]), number, False)
    if which in {"year-ago", "year-earlier"}:
        return _quarter(period.start.year - 1, number, True)
    return _quarter(period.start.year, number, True)


def _season(groups: dict[str, str], setting: Setting) -> When | None:
    """ "this summer", "last winter", "the summer of 1989"; "the fall" alone is not a date."""
    first, last = _SEASONS[groups["season"].lower()]
    if "year2" in groups:
        y = int(groups["year2"])
        return _months(dt.date(y, first, 1), _month_end(y, last), False)
    rel = " ".join(groups.get("rel", "").lower().split())
    anchor = setting.anchor
    if anchor is None or not rel or (rel == "the" and groups["season"].lower() == "fall"):
        return None

    def bounds(year: int) -> tuple[dt.date, dt.date]:
        return dt.date(year, first, 1), _month_end(year, last)

    if rel in {"last", "this past"}:
        year = max(y for y in (anchor.year - 2, anchor.year - 1, anchor.year)
                   if bounds(y)[1] < anchor)
    elif rel == "next":
        year = min(y for y in (anchor.year, anchor.year + 1) if bounds(y)[0] > anchor)
    elif rel == "this":  # the season of the article's year (a winter from its December)
        year = anchor.year - 1 if first == 12 and anchor.month <= 2 else anchor.year
    else:
        year, _ = nearest_year(bounds, anchor, setting.future, setting.sure, setting.margin)
    return _months(*bounds(year), True)


def _span(groups: dict[str, str], anchor: dt.date) -> When | None:
    """ "the past week" (the seven days to the anchor), "the next three days"."""
    count = groups.get("count", "").lower()
    n = int(count) if count.isdigit() else NUMBER_WORDS.get(count, 1)
    unit = groups["unit"].lower()
    if not count and (unit != "week" or "plural" in groups):
        # "coming weeks" says no number of them, "the last day" of something is no stretch,
        # and "the past year" may be a calendar year or twelve months: left undated
        return None
    one = dt.timedelta(days=1)
    ahead = groups["rel"].lower() in {"next", "coming"}
    if unit in {"month", "year"}:
        months = n * (12 if unit == "year" else 1)
        other = _shift_months(anchor, months if ahead else -months)
        return _interval(anchor + one, other) if ahead else _interval(other + one, anchor)
    days = n * (7 if unit == "week" else 1)
    if ahead:
        return _interval(anchor + one, anchor + days * one)
    return _interval(anchor - (days - 1) * one, anchor)


def _shift_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, kept within the month it lands in (Mar 31 - 1 = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_DAY_WORDS = {word: n for n, word in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split(), 1)}


def spelled_day(text: str) -> int:
    """ "twenty-first" -> 21, "third" -> 3, "thirtieth" -> 30."""
    words = re.findall(r"[a-z]+", text.lower())
    if words[0] in {"twentieth", "thirtieth"}:
        return 20 if words[0] == "twentieth" else 30
    if len(words) == 2:
        return (20 if words[0] == "twenty" else 30) + _DAY_WORDS[words[1]]
    return _DAY_WORDS[words[0]]


def spelled_year(text: str) -> int:
    """ "nineteen ninety-six" -> 1996, "two thousand and one" -> 2001."""
    words = re.findall(r"[a-z]+", text.lower())
    tens = {"ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
            "seventy": 70, "eighty": 80, "ninety": 90}
    units = {w: NUMBER_WORDS[w] for w in ("one", "two", "three", "four", "five", "six", "seven",
                                          "eight", "nine")}
    if words[0] == "nineteen":
        return 1900 + tens[words[1]] + (units[words[2]] if len(words) > 2 else 0)
    rest = [w for w in words[2:] if w != "and"]
    return 2000 + (units[rest[0]] if rest else 0)


def _resolve_period(text: str, anchor: dt.date) -> When | None:
    monday = anchor - dt.timedelta(days=anchor.weekday())
    one = dt.timedelta(days=1)
    if text.endswith("month") and text.startswith(("earlier", "later")):
        # "earlier this month" is dated as the month it names
        return _month(anchor.year, anchor.month, True)
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


def resolve_with_dateparser(text: str, anchor: dt.date | None, future: bool,
                            sure: bool = True) -> When | None:
    """A date entity our patterns did not claim ("two weeks ago" written oddly, "3/11/2025").

    What dateparser adds that the text did not say is taken back out: a year alone stays the
    year (dateparser fills in the anchor's month and day), a month alone the month of the
    nearest year."""
    years = re.findall(r"(?<![\d.,$])(?:19|20)\d\d(?![\d%]|s\b|'s\b)", text)
    has_month = re.search(MONTH, text, re.IGNORECASE) is not None
    has_day = re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", text) is not None
    if re.search(r"\d0'?s\b", text):
        return None  # a decade ("the 1990s") is no calendar date of ours
    if len(years) == 1 and not has_month and not has_day:
        return _year(int(years[0]), False)
    if anchor is None or not (has_month or has_day):
        return None  # whatever dateparser made of it, the day would be its invention
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
    if has_month and not has_day:
        if years:
            return _month(value.year, value.month, relative=False)
        year = _year_for_month(value.month, None, anchor, future, sure)
        return _month(year, value.month, relative=True)
    return _day(value.date())
