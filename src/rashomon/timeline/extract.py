"""One document's timeline: its date expressions found, resolved and tied to their events; and
the date of a document that carries none.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rashomon.model import Document, TimelineEntry
from rashomon.timeline.clauses import Tense, event_text, sentence_tense
from rashomon.timeline.grammar import (
    DATEPARSER_CUE, Found, in_dateline, not_a_date, pattern_matches, strip_lead,
)
from rashomon.timeline.resolve import (
    Setting, When, parse_anchor, resolve, resolve_with_dateparser,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "extract_timeline",
    "infer_document_date",
]


def extract_timeline(
    document: Document, parsed: Doc, anchor: dt.date | None, inferred: bool
) -> list[TimelineEntry]:
    """The dated events of one document, its date expressions resolved against `anchor`.

    `anchor` is the document's date (None when unknown: only expressions that carry their own
    year are resolved then); `inferred` says the anchor was inferred, and marks every entry
    that depends on it. Entries come in text order, without `event_id` (see `link_events`).
    """
    text = document.text
    found = pattern_matches(text)
    covered = [(f.start, f.end) for f in found]
    for ent in parsed.ents:
        if ent.label_ != "DATE" or any(ent.start_char < b and a < ent.end_char
                                       for a, b in covered):
            continue
        if DATEPARSER_CUE.search(ent.text):
            found.append(Found(ent.start_char, ent.end_char, "dateparser", None))
    entries: list[TimelineEntry] = []
    period: When | None = None  # the quarter the document last named
    named: When | None = None  # the date it last named, for "that year", "a day later"
    bare_clocks: list[int] = []  # entries of a clock time without its day
    for item in sorted(found, key=lambda f: f.start):
        if in_dateline(text, item.start, item.end) or not_a_date(text, item.start, item.end):
            continue
        if item.match is None and _counts_something(parsed, item.start, item.end):
            continue
        tense = sentence_tense(parsed, item.start, item.end)
        if item.match is not None:
            since = _after_since(text, item)
            setting = Setting(anchor, tense.future and not since, tense.sure or since, period,
                              _compares_periods(parsed, item.start, item.end), since, named)
            when = resolve(item.kind, item.match, setting)
        else:
            when = resolve_with_dateparser(text[item.start:item.end], anchor, tense.future,
                                           tense.sure)
        if when is None:
            continue
        if when.grain in {"day", "month", "year"} and item.kind not in {"anaphor", "clock"}:
            named = when
        if item.kind == "quarter" and not item.match_group("ago") and (
                anchor is None or when.end < anchor):
            period = when  # a quarter over: the one the report is about
        start, end = strip_lead(text, item.start, item.end)
        span = document.span(start, end)
        event = event_text(parsed, start, end)
        if item.kind != "quarter" and _after_since(text, item) and event:
            # "has grown since 1993": the date is where a state began, not an event of 1993
            event = f"from then on: {event}"
        if item.kind == "clock" and not (item.match_group("weekday") or item.match_group("crel")):
            bare_clocks.append(len(entries))
        entries.append(TimelineEntry(
            date=when.iso(),
            span=span,
            event=event,
            inferred=inferred and when.relative,
            uncertain=_uncertain(item, when, anchor, tense),
        ))
    return _clocks_on_their_day(entries, bare_clocks, parsed)


def _clocks_on_their_day(entries: list[TimelineEntry], bare_clocks: list[int],
                         parsed: Doc) -> list[TimelineEntry]:
    """ "Yesterday evening ... at 7 p.m.": a clock time without its day takes the day another
    expression of its sentence names; alone, it keeps the article's day, marked uncertain."""
    for i in bare_clocks:
        clock = parsed.char_span(entries[i].span.start, entries[i].span.end,
                                 alignment_mode="expand")
        if clock is None:
            continue
        sentence = clock.sent
        days = [e for j, e in enumerate(entries) if j not in bare_clocks and len(e.date) == 10
                and sentence.start_char <= e.span.start < sentence.end_char]
        if days:
            entries[i] = dataclasses.replace(entries[i], date=days[0].date, uncertain=False,
                                             inferred=days[0].inferred)
    return entries


def _counts_something(parsed: Doc, start: int, end: int) -> bool:
    """ "turnout was 2019 votes higher": a bare four-digit number before a plural noun counts
    that noun, unless a determiner or preposition makes it a year ("the 2019 elections")."""
    span = parsed.char_span(start, end, alignment_mode="expand")
    if span is None or not re.fullmatch(r"(?:19|20)\d\d", span.text):
        return False
    after = parsed[span.end] if span.end < len(parsed) else None
    before = parsed[span.start - 1] if span.start > 0 else None
    return after is not None and after.tag_ == "NNS" and (
        before is None or before.tag_ not in {"DT", "IN", "PRP$", "POS", "CC", "TO"})


def _after_since(text: str, item: Found) -> bool:
    """ "since March", "since early September": a stretch that began before the anchor."""
    if (item.match_group("prep") or "").lower().startswith("since"):
        return True
    before = text[max(0, item.start - 16):item.start]
    return re.search(r"\bsince\s+(?:(?:early|late|mid)[- ]?)?$", before, re.IGNORECASE) is not None


# words of a sentence that reports a period's figures
_PERIOD_WORDS = re.compile(r"\b(?:quarter|quarterly|period|net|earn\w*|profits?|loss|sales|"
                           r"revenues?|income|a\s+share)\b", re.IGNORECASE)


def _compares_periods(parsed: Doc, start: int, end: int) -> bool:
    """Whether the sentence around an expression reports a period's figures: in a report on a
    quarter, "net rose 5% from a year earlier" compares quarters, not years."""
    span = parsed.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    sentence = span.sent
    return _PERIOD_WORDS.search(sentence.text) is not None


def _uncertain(item: Found, when: When, anchor: dt.date | None, tense: Tense) -> bool:
    """Whether the resolution is a guess the reader should know of.

    - dateparser's reading of an expression our patterns do not know (a year alone excepted);
    - a bare weekday ("on Friday", not "last Friday") in a sentence whose tense does not say
      whether the day is before or after the document date;
    - a month, day, quarter or season written without its year that resolved to another year
      than the document's ("December 28" in a January article): a guess across the boundary;
    - a date counted from another ("that year", "a day later"), a clock time without its day,
      the quarter a report is taken to be about ("the latest quarter"), and "a year ago" read
      as the day a year back.
    """
    if item.match is None:
        return not (when.grain == "year" and not when.relative)
    groups = item.match.groupdict()
    if item.kind in {"anaphor", "quarter_ref"} or (item.kind == "year_ago"
                                                   and when.grain == "day"):
        return True
    if item.kind == "clock":
        return not groups.get("crel") and (not groups.get("weekday") or not tense.sure)
    if item.kind == "weekday":
        said_which = (groups.get("rel") or "").lower() in {"last", "next", "this"}
        return not said_which and not tense.sure
    # "last December" says which year; "late December" and "in December" do not
    rel = (groups.get("rel") or "").lower()
    guessed_year = item.kind in {"month_day", "day_month", "day_range", "in_month", "quarter",
                                 "season"} or (item.kind == "rel_month"
                                               and rel[:4] in {"late", "earl", "mid"})
    written = groups.get("year") or groups.get("year2") or groups.get("spelled")
    if guessed_year and anchor is not None and not written:
        return when.start.year != anchor.year
    return False


def infer_document_date(
    document: Document, parsed: Doc | None, story_dates: Sequence[str | None], *,
    undated_timeline: Sequence[TimelineEntry] | None = None,
) -> tuple[dt.date | None, bool]:
    """A document's date and whether it is inferred.

    A document's own `published` wins. Without one, the dates of the other articles of its
    story: coverage of one event appears within a day or two, and the most common date is the
    best single guess (the latest on a tie, since follow-ups come later). Failing that, the
    latest full date (day, month and year) the article itself mentions, a day later when the
    article calls that day "yesterday". None when nothing dates it.

    `undated_timeline`: the document's timeline extracted without a date
    (`extract_timeline(document, parsed, None, False)`, what an ingest stores for an undated
    document), read instead of extracting it again; then `parsed` is not read.
    """
    own = parse_anchor(document.published)
    if own is not None:
        return own, document.published_inferred
    dates = [d for d in (parse_anchor(s) for s in story_dates) if d is not None]
    if dates:
        counts = Counter(dates)
        return max(counts, key=lambda d: (counts[d], d)), True
    if undated_timeline is None:
        if parsed is None:
            return None, False
        undated_timeline = extract_timeline(document, parsed, None, False)
    full = [dt.date.fromisoformat(e.date) for e in undated_timeline if len(e.date) == 10]
    if not full:
        return None, False
    latest = max(full)
    if re.search(r"\byesterday\b", document.text, re.IGNORECASE) and re.search(
            rf"\b{calendar.month_name[latest.month]}\s+{latest.day}\b.{{0,80}}yesterday|"
            rf"yesterday.{{0,80}}\b{calendar.month_name[latest.month]}\s+{latest.day}\b",
            document.text, re.IGNORECASE | re.DOTALL):
        latest += dt.timedelta(days=1)
    return latest, True


