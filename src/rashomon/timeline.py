"""Date expressions resolved against their document's date, and the events they date.

`extract_timeline` finds date expressions with our own patterns (absolute: "March 11", "August
2024", "since February 2022"; relative: "on Thursday", "Thursday night", "yesterday", "earlier in
the week", "overnight", "since August last year", "last December") and, for the rest of spaCy's
DATE entities, dateparser with the document date as `RELATIVE_BASE`. Each is resolved with our
own calendar arithmetic against an anchor, the document's date:

- a weekday in a past-tense sentence is the most recent such day on or before the anchor ("on
  Friday" in a Friday article is that day, the news convention); in a future-tense one ("will
  meet on Friday", "next Friday") the next one on or after it;
- a month without a year is the most recent such month (past) or the next one (future);
- vague spans stay intervals: "earlier in the week" is Monday to the day before the anchor,
  "overnight" the night before (anchor - 1 / anchor), a bare year is YYYY-01/YYYY-12.

Dates are ISO 8601 strings: a day (YYYY-MM-DD), a month (YYYY-MM) or an interval START/END of
those, as `render/report.schema.json` expects. Without an anchor only expressions that carry
their own year are resolved.

`link_events` gives entries of different documents one `event_id` when they date the same event:
overlapping dates and similar event clauses (shared content words or close embeddings).

`infer_document_date` dates an article that carries no date: from its story's other articles, or
from the latest full date it mentions itself; such a date is marked inferred.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rashomon import terms
from rashomon.disjoint import DisjointSets
from rashomon.model import Document, TimelineEntry

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "date_bounds",
    "extract_timeline",
    "infer_document_date",
    "link_events",
    "parse_anchor",
]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Order matters: the first pattern to claim characters wins, so longer forms come first.
# Names of months and days are matched capitalised only ("may" is not May); lowercase
# expressions ("yesterday", "earlier in the week") in any case.
_CASELESS = frozenset({"relative", "week", "overnight", "ago"})
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE if kind in _CASELESS else 0))
    for kind, pattern in (
        ("day_range", (rf"\b{_MONTH}\s+(?P<day>[0-3]?\d)\s*[-–—]\s*(?P<day2>[0-3]?\d)"
                       rf"(?:,?\s+{_YEAR})?\b")),
        ("month_day", rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b(?!\s*(?:%|per))"),
        ("day_month", rf"\b{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?\b"),
        ("month_rel_year", rf"\b{_MONTH}\s+(?P<rel>last|this|next)\s+year\b"),
        ("month_year", rf"\b{_MONTH},?\s+{_YEAR}\b"),
        ("rel_month", (rf"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Ee]arlier\s+this|[Ll]ate|[Ee]arly|"
                       rf"[Mm]id-?)\s*{_MONTH}\b(?!\s+\d)")),
        ("in_month", rf"\b(?P<prep>[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y)\s+{_MONTH}\b(?![\s,]+\d)"),
        ("part_year", rf"\b(?P<part>[Mm]id|[Ee]arly|[Ll]ate)[- ]{_YEAR}\b"),
        ("year", (rf"\b(?P<prep>[Ii]n|[Ss]ince|[Ss]ince\s+early|[Bb]y|[Uu]ntil|[Tt]hrough)\s+"
                  rf"{_YEAR}\b(?!\s*(?:%|per))")),
        # not a newspaper ("the Sunday Times") nor a holiday ("Good Friday")
        ("weekday", (rf"(?<!Good )(?<!Black )(?<!Cyber )(?<!Super )"
                     rf"\b(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Oo]n)\s+)?{_WEEKDAY}"
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
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# A spaCy DATE entity is handed to dateparser only when it names a calendar unit: "the past
# day", "30-day" or "World War II" are not dates of events.
_DATEPARSER_CUE = re.compile(rf"\b(?:{_MONTH}|\d{{4}}|ago)\b", re.IGNORECASE)
_FUTURE_VERBS = frozenset(["schedule", "plan", "expect", "due", "set", "intend", "prepare",
                           "hope", "aim", "promise", "vow", "pledge"])
# "would" is the future of reported speech: "she said divers would inspect the hull on Thursday"
_FUTURE_MARKERS = frozenset(["will", "'ll", "’ll", "shall", "would"])
_EVENT_MAX_TOKENS = 14
_INNER_CLAUSES = frozenset({"relcl", "ccomp", "advcl", "acl", "appos", "parataxis"})


# --------------------------------------------------------------------------- dates


@dataclass(frozen=True, slots=True)
class _When:
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


def _day(day: dt.date, relative: bool = True) -> _When:
    return _When(day, day, "day", relative)


def _month(year: int, month: int, relative: bool) -> _When:
    last = calendar.monthrange(year, month)[1]
    return _When(dt.date(year, month, 1), dt.date(year, month, last), "month", relative)


def _interval(start: dt.date, end: dt.date, relative: bool = True) -> _When:
    if start == end:
        return _day(start, relative)
    return _When(min(start, end), max(start, end), "interval", relative)


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
    return _MONTHS[text.lower().rstrip(".")]


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


def _resolve(kind: str, match: re.Match[str], anchor: dt.date | None,
             future: bool) -> _When | None:
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
        return _When(dt.date(y, months[0], 1),
                     dt.date(y, months[1], calendar.monthrange(y, months[1])[1]), "interval",
                     False)
    if kind == "year":
        y = int(groups["year"])
        return _When(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", False)
    if anchor is None:
        return None
    if kind == "weekday":
        return _day(_weekday(_WEEKDAYS[groups["weekday"].lower()], anchor, groups.get("rel"),
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
        n = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        unit = groups["unit"].lower()
        if unit == "day":
            return _day(anchor - dt.timedelta(days=n))
        if unit == "week":
            then = anchor - dt.timedelta(weeks=n)
            return _interval(then - dt.timedelta(days=3), then + dt.timedelta(days=3))
        if unit == "month":
            index = anchor.year * 12 + anchor.month - 1 - n
            return _month(index // 12, index % 12 + 1, True)
        return _When(dt.date(anchor.year - n, 1, 1), dt.date(anchor.year - n, 12, 31), "year",
                     True)
    return None


def _resolve_period(text: str, anchor: dt.date) -> _When | None:
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
        return _When(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", True)
    return None


# --------------------------------------------------------------------------- extraction


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    kind: str
    match: re.Match[str] | None


def _pattern_matches(text: str) -> list[_Found]:
    taken: list[tuple[int, int]] = []
    found: list[_Found] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            if kind in {"in_month", "rel_month"} and _name_not_month(text, match):
                continue
            taken.append((start, end))
            found.append(_Found(start, end, kind, match))
    return found


def _name_not_month(text: str, match: re.Match[str]) -> bool:
    """ "in Jan Novak's house": a short month name followed by a capitalised word is a name."""
    month = match.group("month").rstrip(".")
    return len(month) <= 4 and month.lower() not in {"may", "june", "july"} and bool(
        re.match(r"\s+[A-Z][a-z]", text[match.end():]))


def _in_dateline(text: str, start: int, end: int) -> bool:
    """ "Washington, March 14, 2025 –": the document's own date, metadata rather than an event."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    after = text[end:end + 4]
    return len(before) <= 80 and before.rstrip().endswith(",") and bool(
        re.match(r"\s*[–—-]", after))


def _strip_lead(text: str, start: int, end: int) -> tuple[int, int]:
    """The expression without a leading "on"/"in"/"since"/"by": "on Tuesday" -> "Tuesday"."""
    match = re.match(r"(?:on|in|since|by|until|through|since early)\s+", text[start:end],
                     re.IGNORECASE)
    if match and match.end() < end - start:
        return start + match.end(), end
    return start, end


def extract_timeline(
    document: Document, parsed: Doc, anchor: dt.date | None, inferred: bool
) -> list[TimelineEntry]:
    """The dated events of one document, its date expressions resolved against `anchor`.

    `anchor` is the document's date (None when unknown: only expressions that carry their own
    year are resolved then); `inferred` says the anchor was inferred, and marks every entry
    that depends on it. Entries come in text order, without `event_id` (see `link_events`).
    """
    text = document.text
    found = _pattern_matches(text)
    covered = [(f.start, f.end) for f in found]
    for ent in parsed.ents:
        if ent.label_ != "DATE" or any(ent.start_char < b and a < ent.end_char
                                       for a, b in covered):
            continue
        if _DATEPARSER_CUE.search(ent.text):
            found.append(_Found(ent.start_char, ent.end_char, "dateparser", None))
    entries: list[TimelineEntry] = []
    for item in sorted(found, key=lambda f: f.start):
        if _in_dateline(text, item.start, item.end):
            continue
        tense = _tense(parsed, item.start, item.end)
        if item.match is not None:
            when = _resolve(item.kind, item.match, anchor, tense.future)
        else:
            when = _dateparser(text[item.start:item.end], anchor, tense.future)
        if when is None:
            continue
        start, end = _strip_lead(text, item.start, item.end)
        span = document.span(start, end)
        entries.append(TimelineEntry(
            date=when.iso(),
            span=span,
            event=_event_text(parsed, start, end),
            inferred=inferred and when.relative,
            uncertain=_uncertain(item, when, anchor, tense),
        ))
    return entries


def _uncertain(item: _Found, when: _When, anchor: dt.date | None, tense: _Tense) -> bool:
    """Whether the resolution is a guess the reader should know of.

    - dateparser's reading of an expression our patterns do not know;
    - a bare weekday ("on Friday", not "last Friday") in a sentence whose tense does not say
      whether the day is before or after the document date;
    - a month or day written without its year that resolved to another year than the
      document's ("December 28" in a January article): the year is a guess across the boundary.
    """
    if item.match is None:
        return True
    groups = item.match.groupdict()
    if item.kind == "weekday":
        said_which = (groups.get("rel") or "").lower() in {"last", "next", "this"}
        return not said_which and not tense.sure
    # "last December" says which year; "late December" and "in December" do not
    guessed_year = item.kind in {"month_day", "day_month", "day_range", "in_month"} or (
        item.kind == "rel_month" and (groups.get("rel") or "").lower()[:4] in {"late", "earl", "mid"})
    if guessed_year and anchor is not None and not groups.get("year"):
        return when.start.year != anchor.year
    return False


def _dateparser(text: str, anchor: dt.date | None, future: bool) -> _When | None:
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
    if re.search(_MONTH, text, re.IGNORECASE) and not re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", text):
        return _month(value.year, value.month, relative=not re.search(r"\b\d{4}\b", text))
    return _day(value.date())


def _char_span(parsed: Doc, start: int, end: int) -> Span | None:
    return parsed.char_span(start, end, alignment_mode="expand")


def _governor(span: Span) -> Token:
    """The word a date expression attaches to: the verb it modifies, or the noun ("a Friday
    post", "March 11 talks")."""
    # spaCy makes a new Token object on every access, so tokens are compared by index: an
    # identity test ("head is token") is never true and would loop forever at the root.
    token = span.root
    while token.head.i != token.i and span.start <= token.head.i < span.end:
        token = token.head
    head = token.head
    if head.i == token.i:
        return token
    if token.dep_ in {"compound", "nmod", "amod", "npadvmod"} and head.pos_ in {"NOUN", "PROPN"} \
            and head.i > token.i:
        while head.dep_ == "compound" and head.head.i > head.i:  # "a Friday Facebook post"
            head = head.head
        return head
    while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
        if head.pos_ == "NOUN" and head.dep_ in {"pobj", "dobj", "nsubj"} and head.i < span.start:
            return head  # "talks in Dornach on Tuesday": the talks
        head = head.head
    # "having, on Monday, been at the summit": the auxiliary's verb (the small model often hangs
    # the gerund "having" off the participle as its subject)
    while head.head.i != head.i and (head.dep_ in {"aux", "auxpass"} or (
            head.tag_ == "VBG" and head.lemma_ in {"have", "be"}
            and head.head.pos_ in {"VERB", "AUX"})):
        head = head.head
    return head


@dataclass(frozen=True, slots=True)
class _Tense:
    """Whether a dated event lies after the document date, and whether the sentence says so
    clearly enough to tell (a plan reported in the past, or no verb at all, does not)."""

    future: bool
    sure: bool = True


def _is_future(parsed: Doc, start: int, end: int) -> bool:
    """Whether the sentence puts the dated event after the document date (see `_tense`)."""
    return _tense(parsed, start, end).future


def _tense(parsed: Doc, start: int, end: int) -> _Tense:
    """Whether the sentence puts the dated event after the document date: "will meet on
    Friday", "is going to", "are set / due / expected / scheduled to meet", "next Friday".
    The first verb up the tree in the past tense settles it the other way ("was set to"),
    except a deadline ("by Friday") outside the past perfect."""
    span = _char_span(parsed, start, end)
    if span is None:
        return _Tense(False, sure=False)
    if re.match(r"(?:next|tomorrow|later)\b", span.text, re.IGNORECASE):
        return _Tense(True)
    # a deadline ("reopen by Friday morning") lies ahead unless the clause is past perfect
    deadline = span.start > 0 and parsed[span.start - 1].lower_ == "by"
    verb = _governor(span)
    for token in (verb, *verb.ancestors):
        # "due" and "set" are often tagged adjectives: "was due to open on Saturday"
        if token.pos_ not in {"VERB", "AUX"} and not (
                token.lemma_ in _FUTURE_VERBS and any(c.dep_ == "xcomp" for c in token.children)):
            continue
        aux = [c for c in token.children if c.dep_ in {"aux", "auxpass"}]
        past = token.tag_ == "VBD" or any(c.tag_ == "VBD" for c in aux) or (
            token.pos_ == "ADJ" and token.head.tag_ == "VBD")  # "were due to": the copula
        if any(c.lower_ in _FUTURE_MARKERS for c in aux):
            return _Tense(True)
        planned = token.lemma_ in _FUTURE_VERBS or (token.lower_ == "going"
                                                    and token.tag_ == "VBG")
        if planned and any(c.dep_ == "xcomp" for c in token.children):
            # A plan reported in the past ("were due to meet on Friday") is read as past, but
            # it may not have happened yet: marked unsure. A deadline ("was expected to reopen
            # by Friday") still points ahead.
            return _Tense(not past or deadline, sure=not past or deadline)
        if past:
            return _Tense(deadline and not any(c.lower_ == "had" for c in aux))
    # no verb up the tree says past or future ("the talks open on Friday"): read as past,
    # as most dated events in news are, but unsure, unless a deadline points ahead
    return _Tense(deadline, sure=deadline)


def _event_text(parsed: Doc, start: int, end: int) -> str:
    """The clause a date expression attaches to, in short: its subject, verb and objects
    ("the envoy had met the mayor"), or the noun it dates ("post on her Telegram channel")."""
    span = _char_span(parsed, start, end)
    if span is None:
        return ""
    head = _governor(span)
    date_tokens = set(range(span.start, span.end))
    skip_deps = {"ccomp", "advcl", "conj", "relcl", "punct", "cc", "parataxis", "mark", "appos",
                 "acl", "npadvmod", "xcomp", "dep"}
    keep: set[int] = {head.i}
    for child in head.children:
        if child.i in date_tokens or child.dep_ in skip_deps:
            continue
        subtree = _pruned_subtree(child, _INNER_CLAUSES)
        if date_tokens & set(subtree):
            subtree = [i for i in subtree if i not in date_tokens
                       and parsed[i].dep_ not in {"prep"} or i == child.i]
            subtree = [i for i in subtree if i not in date_tokens]
            if child.dep_ == "prep" and len(subtree) <= 1:
                continue
        keep.update(subtree)
    if head.pos_ in {"VERB", "AUX"} and not any(parsed[i].dep_.startswith("nsubj") for i in keep):
        subject = _borrowed_subject(head)
        if subject is not None:
            keep.update(t.i for t in subject.subtree if t.dep_ != "appos")
    # the gerund "having" the small model hangs in as a subject says nothing of the event
    order = sorted(i for i in keep if not parsed[i].is_space and not (
        i != head.i and parsed[i].tag_ == "VBG" and parsed[i].lemma_ in {"have", "be"}))
    if len(order) > _EVENT_MAX_TOKENS:
        nearest = sorted(order, key=lambda i: abs(i - head.i))[:_EVENT_MAX_TOKENS]
        order = sorted(nearest)
    words: list[str] = []
    previous = None
    for i in order:
        token = parsed[i]
        if previous is not None and i != previous + 1:
            words.append(" ")
        words.append(token.text_with_ws if i != order[-1] else token.text)
        previous = i
    joined = re.sub(r"\s+", " ", "".join(words))
    joined = re.sub(r"(?:\s*,)+\s*,", ",", joined).strip(" ,;:—–-")
    # the relative word that opens a relative clause is not part of the event
    return re.sub(r"^(?:where|when|which|that|who|while)\s+", "", joined)


def _pruned_subtree(token: Token, skip: frozenset[str]) -> list[int]:
    """A token's subtree without the clauses hanging inside it ("Saudi Arabia, where ...")."""
    found = [token.i]
    for child in token.children:
        if child.dep_ not in skip:
            found.extend(_pruned_subtree(child, skip))
    return found


def _borrowed_subject(verb: Token) -> Token | None:
    """ "Silva, after meeting Berg on Thursday, said": meeting's subject is Silva."""
    for ancestor in verb.ancestors:
        for child in ancestor.children:
            # only a subject named before: one after belongs to another clause
            if child.dep_ in {"nsubj", "nsubjpass"} and child.i < verb.i:
                return child
    return None


# --------------------------------------------------------------------------- documents


def infer_document_date(
    document: Document, parsed: Doc | None, story_dates: Sequence[str | None]
) -> tuple[dt.date | None, bool]:
    """A document's date and whether it is inferred.

    A document's own `published` wins. Without one, the dates of the other articles of its
    story: coverage of one event appears within a day or two, and the most common date is the
    best single guess (the latest on a tie, since follow-ups come later). Failing that, the
    latest full date (day, month and year) the article itself mentions, a day later when the
    article calls that day "yesterday". None when nothing dates it.
    """
    own = parse_anchor(document.published)
    if own is not None:
        return own, document.published_inferred
    dates = [d for d in (parse_anchor(s) for s in story_dates) if d is not None]
    if dates:
        counts = Counter(dates)
        return max(counts, key=lambda d: (counts[d], d)), True
    if parsed is None:
        return None, False
    full = [dt.date.fromisoformat(e.date) for e in extract_timeline(document, parsed, None, False)
            if len(e.date) == 10]
    if not full:
        return None, False
    latest = max(full)
    if re.search(r"\byesterday\b", document.text, re.IGNORECASE) and re.search(
            rf"\b{calendar.month_name[latest.month]}\s+{latest.day}\b.{{0,80}}yesterday|"
            rf"yesterday.{{0,80}}\b{calendar.month_name[latest.month]}\s+{latest.day}\b",
            document.text, re.IGNORECASE | re.DOTALL):
        latest += dt.timedelta(days=1)
    return latest, True


# --------------------------------------------------------------------------- events

# The common stop words and those the event links have always skipped on top of them (auxiliary
# "did"/"does", "during", "here", wh-words, "after", "before"): unchanged, since they decide
# which events are linked.
_STOP = terms.STOP_WORDS | frozenset("""
    after before did do does during here i what when where which while who
""".split())


def _content_words(text: str) -> set[str]:
    # ASCII letters and digits only, apostrophes split ("mayor's" -> "mayor", "s")
    words = re.findall(r"[a-z0-9]+", terms.normal(text))
    # a crude stem: "meeting"/"met"/"meets" do not meet, but "talks"/"talk" and "strikes" do
    return {terms.stem(w) for w in words if w not in _STOP and len(w) > 2}


def _overlap(a: str, b: str) -> float:
    wa, wb = _content_words(a), _content_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def link_events(
    entries: Sequence[TimelineEntry],
    embedder: Callable[[list[str]], Any] | None = None,
    *,
    texts: dict[str, str] | None = None,
    threshold: float = 0.5,
) -> list[TimelineEntry]:
    """The same entries with `event_id`s: one id for entries of different documents whose dates
    overlap and whose event clauses agree (half the content words of the shorter one shared,
    or embeddings at `threshold` cosine or above when an embedder is given).

    With `texts` (document id -> text), the sentences around the two expressions count too,
    scaled so that 40% of the shorter sentence's content words count as a match: a clause
    cut short by the parse ("its incursion") is often told apart only by its sentence. (The
    bar was set on one seed pair, a month named two ways ("since X last year" / "its X
    2024 ..."); a
    bigger gold set should settle it.)

    Each entry is joined to its single best match per other document, so two events of one day
    ("the mayor met the union", "the envoy met the mayor") stay apart when their clauses tell them apart.
    """
    if not entries:
        return []
    vectors = None
    if embedder is not None:
        vectors = embedder([e.event or e.date for e in entries])
    sets = DisjointSets(len(entries))
    bounds = [date_bounds(e.date) for e in entries]
    best_of: list[dict[str, tuple[float, int]]] = []
    for i, left in enumerate(entries):
        best: dict[str, tuple[float, int]] = {}
        for j, right in enumerate(entries):
            if j == i or right.span.doc == left.span.doc:
                continue
            (a0, a1), (b0, b1) = bounds[i], bounds[j]
            if a0 > b1 or b0 > a1 or _width(bounds[i]) > 31 or _width(bounds[j]) > 31:
                continue  # months and years date too many things to tie two clauses together
            score = _overlap(left.event, right.event)
            if texts is not None:
                context = _overlap(_sentence_of(texts, left), _sentence_of(texts, right))
                score = max(score, context * threshold / _CONTEXT_BAR)
            if vectors is not None:
                score = max(score, float(vectors[i] @ vectors[j]))
            if score >= threshold and score > best.get(right.span.doc, (0.0, -1))[0]:
                best[right.span.doc] = (score, j)
        best_of.append(best)
    # what every member's dates allow, per group: one event has one date, so a group whose
    # expressions no longer share a day ("Tuesday night" and "Wednesday" joined through an
    # "overnight" that overlaps both) is not made
    allowed = {i: bounds[i] for i in range(len(entries))}
    # and an outlet tells one event once: two of its entries joined through other outlets'
    # are two events that read alike ("earlier this week" and "Tuesday evening")
    outlets = {i: {e.span.doc} for i, e in enumerate(entries)}
    for i, best in enumerate(best_of):
        for _, j in sorted(best.values(), reverse=True):
            # mutual best matches only: six Friday events of one outlet must not all join the
            # one Friday event another outlet reports
            if best_of[j].get(entries[i].span.doc, (0.0, -1))[1] != i:
                continue
            a, b = sets.find(i), sets.find(j)
            if a == b or outlets[a] & outlets[b]:
                continue
            start = max(allowed[a][0], allowed[b][0])
            end = min(allowed[a][1], allowed[b][1])
            if start > end:
                continue
            sets.union(a, b)  # b, the root of both, holds what the group allows
            allowed[b] = (start, end)
            outlets[b] |= outlets[a]
    linked = list(entries)
    for members in sets.groups().values():
        key = "|".join(f"{entries[i].span.doc}:{entries[i].span.start}" for i in sorted(
            members, key=lambda i: entries[i].span))
        event_id = "event:" + hashlib.sha256(key.encode()).hexdigest()[:10]
        for i in members:
            linked[i] = dataclasses.replace(entries[i], event_id=event_id)
    return linked


_CONTEXT_BAR = 0.4


def _sentence_of(texts: dict[str, str], entry: TimelineEntry) -> str:
    text = texts.get(entry.span.doc, "")
    start = max(text.rfind(". ", 0, entry.span.start), text.rfind("\n", 0, entry.span.start))
    ends = [i for i in (text.find(". ", entry.span.end), text.find("\n", entry.span.end))
            if i >= 0]
    return text[start + 1 : min(ends) if ends else len(text)].replace(text[entry.span.start:
                                                                       entry.span.end], " ")


def _width(bounds: tuple[dt.date, dt.date]) -> int:
    return (bounds[1] - bounds[0]).days + 1

