"""The date rules one by one, on invented sentences: granularity, the nearest year, business
periods, what is not a date, 'since', dates counted from another, one reading per story.

Extraction runs the real spaCy model (the `parse_document` fixture): tense and clauses come from
the parse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from rashomon.model import Document, Span, TimelineEntry
from rashomon.timeline import (
    date_bounds, date_label, extract_timeline, link_events, parse_anchor,
)
from rashomon.timeline.events import event_texts, one_reading

ParseDocument = Callable[..., tuple[Document, Any]]  # Any: a spaCy Doc


def _entries(parse_document: ParseDocument, text: str, anchor: str) -> list[TimelineEntry]:
    document, parsed = parse_document(text, published=anchor)
    return extract_timeline(document, parsed, parse_anchor(anchor), False)


def _dates(parse_document: ParseDocument, text: str, anchor: str) -> dict[str, str]:
    document, parsed = parse_document(text, published=anchor)
    return {document.slice(e.span): e.date
            for e in extract_timeline(document, parsed, parse_anchor(anchor), False)}


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "date"),
    [
        # a year stays a year, however it is written
        ("The Dornava games will open in 2030, the committee said.", "2026-03-02", "2030",
         "2030-01/2030-12"),
        ("Output fell in early 2024 at the Belvast mill.", "2026-03-02", "early 2024",
         "2024-01/2024-12"),
        ("The mill lost money in fiscal 2025.", "2026-03-02", "fiscal 2025", "2025-01/2025-12"),
        ("The plant should be finished by the end of 2027.", "2026-03-02", "the end of 2027",
         "2027-01/2027-12"),
        ("The ferry line opened in nineteen ninety-six, the mayor said.", "2026-03-02",
         "nineteen ninety-six", "1996-01/1996-12"),
        ("The pier was rebuilt in May nineteen ninety-seven.", "2026-03-02",
         "May nineteen ninety-seven", "1997-05"),
        ("The vote was held on January twenty-first.", "2026-03-02", "January twenty-first",
         "2026-01-21"),
        # two weeks ago is the week it fell in, not a day
        ("The mine closed two weeks ago, the union said.", "2026-03-04", "two weeks ago",
         "2026-02-16/2026-02-22"),
    ],
)
def test_timeline_rules_keep_the_granularity_written(
        parse_document: ParseDocument, text: str, anchor: str, expression: str,
        date: str) -> None:
    assert _dates(parse_document, text, anchor)[expression] == date


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "date"),
    [
        # no tense: the nearest such day, here the coming one
        ("Shareholders of record Dec. 7 will receive the dividend.", "2026-10-30", "Dec. 7",
         "2026-12-07"),
        ("The record date is Nov. 22.", "2026-10-27", "Nov. 22", "2026-11-22"),
        # a plain past tense settles it when the past date is not much farther
        ("The strike at the Belvast mill ended in September.", "2026-02-10", "September",
         "2025-09"),
        ("The mayor resigned in March.", "2026-08-13", "March", "2026-03"),
        # a future tense points ahead
        ("The council will vote in May on the budget.", "2026-03-22", "May", "2026-05"),
        # "since" always looks back, whatever the distance
        ("The pier has been closed since November.", "2026-06-20", "November", "2025-11"),
    ],
)
def test_timeline_rules_resolve_yearless_dates_to_the_nearest_year(
        parse_document: ParseDocument, text: str, anchor: str, expression: str,
        date: str) -> None:
    assert _dates(parse_document, text, anchor)[expression] == date


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "date"),
    [
        ("Belvast Mills said third-quarter profit rose 5%.", "2026-10-28", "third-quarter",
         "2026-07/2026-09"),
        ("Belvast Mills expects the fourth quarter to be weak.", "2026-10-28",
         "the fourth quarter", "2026-10/2026-12"),
        ("Belvast Mills lost money in the third quarter of 2024.", "2026-10-28",
         "the third quarter of 2024", "2024-07/2024-09"),
        ("Belvast Mills earned $3 million in the first half of 2025.", "2026-10-28",
         "the first half of 2025", "2025-01/2025-06"),
        ("Sales rose in this year's second quarter.", "2026-10-28", "this year's second quarter",
         "2026-04/2026-06"),
        ("Sales rose in 2025's third quarter.", "2026-10-28", "2025's third quarter",
         "2025-07/2025-09"),
        ("Sales should recover in the second half of the year.", "2026-03-02",
         "the second half of the year", "2026-07/2026-12"),
        ("The mill will reopen by the beginning of next year.", "2026-03-02",
         "the beginning of next year", "2027-01/2027-12"),
    ],
)
def test_timeline_rules_quarters_and_halves_are_their_months(
        parse_document: ParseDocument, text: str, anchor: str, expression: str,
        date: str) -> None:
    assert _dates(parse_document, text, anchor)[expression] == date


def test_timeline_rules_a_report_compares_its_quarter_with_the_year_ago_quarter(
        parse_document: ParseDocument) -> None:
    dates = _dates(parse_document,
                   "Belvast Mills said third-quarter net income rose to $5 million. Net income "
                   "was $4 million a year earlier. In the latest quarter sales fell, and the "
                   "year-ago period had a charge. The company sold a plant last year.",
                   "2026-10-28")
    assert dates["a year earlier"] == "2025-07/2025-09"
    assert dates["the latest quarter"] == "2026-07/2026-09"
    assert dates["the year-ago period"] == "2025-07/2025-09"
    assert dates["last year"] == "2025-01/2025-12"  # the words name a year


def test_timeline_rules_a_year_earlier_outside_a_report_is_the_day_a_year_back(
        parse_document: ParseDocument) -> None:
    entries = _entries(parse_document, "A year earlier the mayor had resigned.", "2026-10-28")
    assert [(e.date, e.uncertain) for e in entries] == [("2025-10-28", True)]
    dates = _dates(parse_document, "The year-earlier figures were restated.", "2026-10-28")
    assert dates["The year-earlier"] == "2025-01/2025-12"


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "date"),
    [
        ("The festival returns this summer, the mayor said.", "2026-03-22", "this summer",
         "2026-06/2026-08"),
        ("The bridge was closed last winter.", "2026-06-10", "last winter", "2025-12/2026-02"),
        ("The dam burst in the spring of 2024.", "2026-06-10", "the spring of 2024",
         "2024-03/2024-05"),
    ],
)
def test_timeline_rules_seasons_are_their_months(
        parse_document: ParseDocument, text: str, anchor: str, expression: str,
        date: str) -> None:
    assert _dates(parse_document, text, anchor)[expression] == date


def test_timeline_rules_the_fall_alone_is_not_a_date(parse_document: ParseDocument) -> None:
    assert _dates(parse_document, "The fall of the old regime surprised Dornava.",
                  "2026-06-10") == {}


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "date"),
    [
        ("Officials said prices had risen over the past week.", "2026-03-06", "the past week",
         "2026-02-28/2026-03-06"),
        ("The talks will go on for the next three days.", "2026-03-06", "the next three days",
         "2026-03-07/2026-03-09"),
        ("The mayor resigned earlier this month.", "2026-03-20", "earlier this month",
         "2026-03"),
        ("Prices doubled over the past three months.", "2026-03-31", "the past three months",
         "2026-01-01/2026-03-31"),
        ("The port will reopen this week.", "2026-03-04", "this week", "2026-03-02/2026-03-08"),
        ("The strike ended last month.", "2026-03-04", "last month", "2026-02"),
    ],
)
def test_timeline_rules_stretches_are_intervals(
        parse_document: ParseDocument, text: str, anchor: str, expression: str,
        date: str) -> None:
    assert _dates(parse_document, text, anchor)[expression] == date


@pytest.mark.parametrize(
    "text",
    [
        "For details call the Dornava office on 555-2024 or (212) 555-1998.",
        "The fee rose to $2025 a month.",
        "Belvast Mills sold a 2031 bond to investors.",
        "Turnout was 2019 votes higher than forecast.",
        "The Dornava 2000 model sold well.",
        "Dornava grew fast in the 1990s.",
    ],
)
def test_timeline_rules_digits_that_are_not_dates(parse_document: ParseDocument,
                                                  text: str) -> None:
    assert _dates(parse_document, text, "2026-03-06") == {}


def test_timeline_rules_a_tv_show_title_is_not_a_week(parse_document: ParseDocument) -> None:
    assert _dates(parse_document, "The minister spoke on ABC's This Week program.",
                  "2026-03-06") == {}


def test_timeline_rules_since_marks_the_start_of_a_stretch(
        parse_document: ParseDocument) -> None:
    entries = _entries(parse_document, "The Belvast mill has made steel since 1993.",
                       "2026-03-06")
    assert [e.date for e in entries] == ["1993-01/1993-12"]
    assert entries[0].event.startswith("from then on:")


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "date"),
    [
        ("The mayor resigned in March 2024. That year the port closed.", "2026-03-06",
         "That year", "2024-01/2024-12"),
        ("The ferry sank on May 3, 2025. A day later divers found it.", "2026-03-06",
         "A day later", "2025-05-04"),
        ("The strike began in March 2025. The following month it spread.", "2026-03-06",
         "The following month", "2025-04"),
        ("The ferry sank on May 3, 2025. The day before, a storm hit.", "2026-03-06",
         "The day before", "2025-05-02"),
    ],
)
def test_timeline_rules_dates_counted_from_the_last_date_named(
        parse_document: ParseDocument, text: str, anchor: str, expression: str,
        date: str) -> None:
    entries = {e.date: e for e in _entries(parse_document, text, anchor)}
    assert date in entries
    assert entries[date].uncertain  # an anaphor is a reading, not what the text says
    assert _dates(parse_document, text, anchor)[expression] == date


def test_timeline_rules_a_counted_date_needs_a_date_to_count_from(
        parse_document: ParseDocument) -> None:
    assert _dates(parse_document, "That year the port closed.", "2026-03-06") == {}
    # "the day before the vote" counts from the vote, which has no date here
    assert _dates(parse_document, "In May 2025 the port closed. The day before the vote it "
                  "reopened.", "2026-03-06") == {"May 2025": "2025-05"}


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "date", "uncertain"),
    [
        ("Polls closed at 10 p.m. Wednesday in Dornava.", "2026-03-06", "10 p.m. Wednesday",
         "2026-03-04", False),
        ("The blast was heard around 7:15 p.m. yesterday.", "2026-03-06",
         "7:15 p.m. yesterday", "2026-03-05", False),
        ("The blast was heard at 7:15 p.m., the police said.", "2026-03-06", "7:15 p.m.",
         "2026-03-06", True),
        # a clock time takes the day its sentence names
        ("Yesterday evening the ferry, due at 7 p.m., ran aground.", "2026-03-06", "7 p.m.",
         "2026-03-05", False),
    ],
)
def test_timeline_rules_clock_times_date_their_day(
        parse_document: ParseDocument, text: str, anchor: str, expression: str, date: str,
        uncertain: bool) -> None:
    entries = _entries(parse_document, text, anchor)
    document, _ = parse_document(text, published=anchor)
    found = {document.slice(e.span): e for e in entries}
    assert found[expression].date == date
    assert found[expression].uncertain is uncertain


def test_timeline_rules_an_event_is_a_clause_not_a_fragment(
        parse_document: ParseDocument) -> None:
    entries = _entries(parse_document, "The ceasefire in Dornava began at 10:00 local time today.",
                       "2026-03-06")
    today = [e for e in entries if e.date == "2026-03-06"]
    assert today
    assert all("began" in e.event for e in today), [e.event for e in today]


def _entry(doc: str, start: int, end: int, date: str, event: str,
           uncertain: bool = False) -> TimelineEntry:
    return TimelineEntry(date=date, span=Span(doc, start, end), event=event,
                         uncertain=uncertain)


def test_timeline_rules_one_reading_per_expression_in_a_story() -> None:
    texts = {"a": "The summit opened April 29 in Dornava.",
             "b": "The summit opened April 29 in Dornava, officials said.",
             "c": "The summit opened on April 29 in the capital Dornava."}
    entries = [
        _entry("a", 18, 26, "2026-04-29", "The summit opened in Dornava"),
        _entry("b", 18, 26, "2025-04-29", "The summit opened in Dornava", uncertain=True),
        _entry("c", 21, 29, "2026-04-29", "The summit opened in the capital Dornava"),
    ]
    assert [e.date for e in one_reading(entries, texts)] == ["2026-04-29"] * 3
    fixed = one_reading(entries, texts)[1]
    assert fixed.uncertain
    # documents dated far apart keep their own readings
    anchors = {"a": parse_anchor("2026-04-30"), "b": parse_anchor("2025-04-30"),
               "c": parse_anchor("2026-05-01")}
    kept = one_reading(entries, texts, {k: v for k, v in anchors.items() if v is not None})
    assert [e.date for e in kept] == ["2026-04-29", "2025-04-29", "2026-04-29"]


def test_timeline_rules_one_reading_leaves_different_events_apart() -> None:
    texts = {"a": "Ferries resumed on April 29 after repairs.",
             "b": "Wages were cut on April 29 at the Belvast mill."}
    entries = [_entry("a", 19, 27, "2026-04-29", "Ferries resumed after repairs"),
               _entry("b", 18, 26, "2025-04-29", "Wages were cut at the Belvast mill")]
    assert [e.date for e in one_reading(entries, texts)] == ["2026-04-29", "2025-04-29"]


def test_timeline_rules_link_events_uses_one_reading() -> None:
    texts = {"a": "The summit opened April 29 in Dornava.",
             "b": "The summit opened April 29 in Dornava, officials said."}
    entries = [_entry("a", 18, 26, "2026-04-29", "The summit opened in Dornava"),
               _entry("b", 18, 26, "2025-04-29", "The summit opened in Dornava")]
    linked = link_events(entries, texts=texts)
    assert {e.date for e in linked} == {"2026-04-29"}
    assert linked[0].event_id is not None and linked[0].event_id == linked[1].event_id


def test_timeline_rules_event_texts_are_what_link_events_embeds() -> None:
    texts = {"a": "The summit opened April 29 in Dornava. Talks ended in May.",
             "b": "The summit opened April 29 in Dornava, officials said."}
    entries = [_entry("a", 18, 26, "2026-04-29", "The summit opened in Dornava"),
               _entry("a", 49, 52, "2026-05", ""),
               _entry("b", 18, 26, "2025-04-29", "The summit opened in Dornava")]
    asked: list[str] = []

    def embedder(wanted: list[str]) -> Any:
        asked.extend(wanted)
        return np.tile(np.array([1.0, 0.0]), (len(wanted), 1))

    linked = link_events(entries, embedder, texts=texts)
    dated, foreseen = event_texts(entries, texts=texts)
    # the month is nobody's partner (a month dates too much): neither embedded nor foreseen
    assert foreseen == asked == ["The summit opened in Dornava"] * 2
    assert [e.date for e in dated] == [e.date for e in linked]
    assert [e.event_id for e in dated] == [None, None, None]


def test_timeline_rules_months_grain_reads_back_as_its_days() -> None:
    first, last = date_bounds("2026-07/2026-09")
    assert (first.isoformat(), last.isoformat()) == ("2026-07-01", "2026-09-30")


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("2026-03-04", "2026-03-04"),
        ("2026-03", "2026-03"),
        ("2026-01/2026-12", "2026"),
        ("2026-07/2026-09", "2026 Q3"),
        ("2026-07/2026-12", "2026 H2"),
        ("2026-06/2026-08", "summer 2026"),
        ("2025-12/2026-02", "winter 2025–26"),
        ("2026-03-02/2026-03-08", "2026-03-02 – 2026-03-08"),
    ],
)
def test_timeline_rules_dates_read_as_their_grain(value: str, label: str) -> None:
    assert date_label(value) == label
