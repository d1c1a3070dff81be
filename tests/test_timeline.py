"""Date expressions resolved against the document date. All texts here are invented.

Extraction runs the real spaCy model (the `parse_document` fixture): the tense of the sentence and
the clause a date attaches to come from the parse.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from rashomon.model import Document, Span, TimelineEntry
from rashomon.timeline import (
    date_bounds,
    extract_timeline,
    infer_document_date,
    link_events,
    parse_anchor,
)

ParseDocument = Callable[..., tuple[Document, Any]]  # Any: a spaCy Doc


def _timeline(parse_document: ParseDocument, text: str, anchor: str | None,
              inferred: bool = False, source: str = "a.txt") -> list[TimelineEntry]:
    document, parsed = parse_document(text, source=source, published=anchor)
    entries = extract_timeline(document, parsed, parse_anchor(anchor), inferred)
    for entry in entries:  # every entry is a span of the text
        assert document.slice(entry.span) == document.text[entry.span.start:entry.span.end]
    return entries


def _dates(parse_document: ParseDocument, text: str, anchor: str | None) -> dict[str, str]:
    document, parsed = parse_document(text, published=anchor)
    return {document.slice(e.span): e.date
            for e in extract_timeline(document, parsed, parse_anchor(anchor), False)}


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "date"),
    [
        # a weekday in a past-tense sentence: the latest such day, across a month boundary
        ("The mayor of Dornava resigned on Friday after a long dispute.", "2026-03-02",
         "Friday", "2026-02-27"),
        # the day of the article itself
        ("The mayor of Dornava resigned on Friday after a long dispute.", "2026-03-06",
         "Friday", "2026-03-06"),
        ("Talks with the Belvastan delegation ended Thursday night.", "2026-03-06",
         "Thursday night", "2026-03-05"),
        # future tense: the next one
        ("The council will vote on Friday on the new budget.", "2026-03-02",
         "Friday", "2026-03-06"),
        ("The council said it would meet next Tuesday.", "2026-03-03", "next Tuesday",
         "2026-03-10"),
        ("The two leaders are set to meet on Friday in Dornava.", "2026-03-02", "Friday",
         "2026-03-06"),
        ("The ministers were due to meet on Friday but the talks were cancelled.",
         "2026-03-02", "Friday", "2026-02-27"),
        ("The ferry sank last Monday, officials said.", "2026-03-02", "last Monday",
         "2026-02-23"),
        # yesterday at a year boundary; a month without a year in the new year
        ("The bridge in Dornava collapsed yesterday.", "2026-01-01", "yesterday", "2025-12-31"),
        ("The strike began last December, the union said.", "2026-01-15", "last December",
         "2025-12"),
        ("Prices rose sharply on December 28, the bank reported.", "2026-01-03",
         "December 28", "2025-12-28"),
        ("Unrest has continued since August last year, the report said.", "2026-03-02",
         "August last year", "2025-08"),
        # absolute dates keep their own year
        ("The port was closed in August 2024 and reopened on March 3, 2025.", "2026-03-02",
         "August 2024", "2024-08"),
        ("The port was closed in August 2024 and reopened on March 3, 2025.", "2026-03-02",
         "March 3, 2025", "2025-03-03"),
        ("Two ferries collided 3 days ago near Dornava.", "2026-03-02", "3 days ago",
         "2026-02-27"),
    ],
)
def test_timeline_resolves_against_the_document_date(parse_document: ParseDocument, text: str,
                                                     anchor: str, expression: str,
                                                     date: str) -> None:
    assert _dates(parse_document, text, anchor)[expression] == date


def _uncertain(parse_document: ParseDocument, text: str, anchor: str) -> dict[str, bool]:
    document, parsed = parse_document(text, published=anchor)
    return {document.slice(e.span): e.uncertain
            for e in extract_timeline(document, parsed, parse_anchor(anchor), False)}


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "uncertain"),
    [
        # the tense settles which Friday: certain
        ("The mayor of Dornava resigned on Friday after a long dispute.", "2026-03-02",
         "Friday", False),
        ("The council will vote on Friday on the new budget.", "2026-03-02", "Friday", False),
        ("The ferry sank last Monday, officials said.", "2026-03-02", "last Monday", False),
        # a plan reported in the past may still lie ahead: read as past, marked a guess
        ("The ministers were due to meet on Friday in Dornava.", "2026-03-02", "Friday", True),
        # no verb says before or after
        ("Talks in Dornava on Friday.", "2026-03-04", "Friday", True),
        # a day without its year across the year boundary is a guess; within the year it is not
        ("Prices rose sharply on December 28, the bank reported.", "2026-01-03",
         "December 28", True),
        ("Prices rose sharply on March 28, the bank reported.", "2026-04-03", "March 28", False),
        # "last December" says which year
        ("The strike began last December, the union said.", "2026-01-15", "last December", False),
        ("The port was closed in August 2024.", "2026-03-02", "August 2024", False),
    ],
)
def test_timeline_marks_resolutions_that_are_guesses(
    parse_document: ParseDocument, text: str, anchor: str, expression: str, uncertain: bool
) -> None:
    assert _uncertain(parse_document, text, anchor)[expression] is uncertain


@pytest.mark.parametrize(
    ("text", "anchor", "expression", "date"),
    [
        ("The army retook the village earlier in the week, the ministry said.", "2026-03-06",
         "earlier in the week", "2026-03-02/2026-03-05"),
        ("Drones hit a fuel depot overnight, the governor said.", "2026-03-01",
         "overnight", "2026-02-28/2026-03-01"),
        ("The festival ran from May 3-5 in Dornava.", "2026-06-01", "May 3-5",
         "2026-05-03/2026-05-05"),
        ("The war has killed thousands since 2022.", "2026-03-02", "2022", "2022-01/2022-12"),
    ],
)
def test_timeline_ranges_stay_ranges(parse_document: ParseDocument, text: str, anchor: str,
                                     expression: str, date: str) -> None:
    assert _dates(parse_document, text, anchor)[expression] == date


def test_timeline_names_that_are_not_dates(parse_document: ParseDocument) -> None:
    dates = _dates(parse_document,
                   "The Sunday Times reported that shops were busy on Good Friday. The "
                   "mayor may resign, she told reporters on Monday in Jan Novak's office.",
                   "2026-03-06")
    assert dates == {"Monday": "2026-03-02"}


def test_timeline_without_anchor_keeps_only_dates_with_a_year(
        parse_document: ParseDocument) -> None:
    dates = _dates(parse_document,
                   "The mayor resigned on Friday. The port reopened on March 3, 2025, and "
                   "the strike began on March 9.", None)
    assert dates == {"March 3, 2025": "2025-03-03"}


def test_timeline_inferred_anchor_marks_relative_entries(parse_document: ParseDocument) -> None:
    entries = _timeline(parse_document,
                        "The mayor resigned on Friday. The port reopened on March 3, 2025.",
                        "2026-03-02", inferred=True)
    assert {e.date: e.inferred for e in entries} == {"2026-02-27": True, "2025-03-03": False}


def test_timeline_dateline_is_not_an_event(parse_document: ParseDocument) -> None:
    dates = _dates(parse_document,
                   "Dornava, March 6, 2026 – The mayor of Dornava resigned on Thursday.",
                   "2026-03-06")
    assert dates == {"Thursday": "2026-03-05"}


def test_timeline_event_is_the_clause_the_date_attaches_to(
        parse_document: ParseDocument) -> None:
    entries = _timeline(parse_document,
                        "Mayor Ana Silva met the Belvastan envoy on Tuesday, and the council "
                        "approved the budget on Friday.", "2026-03-06")
    events = {e.date: e.event for e in entries}
    assert "met the Belvastan envoy" in events["2026-03-03"]
    assert "Tuesday" not in events["2026-03-03"]
    assert "approved the budget" in events["2026-03-06"]


def test_timeline_dates_match_the_report_schema(parse_document: ParseDocument) -> None:
    schema = json.loads(resources.files("rashomon.render").joinpath("report.schema.json")
                        .read_text(encoding="utf-8"))
    pattern = re.compile(schema["$defs"]["timeline_date"]["pattern"])
    entries = _timeline(parse_document,
                        "Since 2022 the strike has gone on. It grew last December, earlier in "
                        "the week and overnight; the port shut on March 3, 2025 and in August "
                        "2024, and again yesterday.", "2026-01-09")
    assert len(entries) >= 6
    assert all(pattern.match(e.date) for e in entries), [e.date for e in entries]


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2026-02-27", "2026-02-27", "2026-02-27"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2026-03-02/2026-03-05", "2026-03-02", "2026-03-05"),
        ("2022-01/2022-12", "2022-01-01", "2022-12-31"),
    ],
)
def test_timeline_date_bounds(value: str, first: str, last: str) -> None:
    assert date_bounds(value) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


# --------------------------------------------------------------------------- document dates


def test_timeline_undated_document_takes_its_story_date(parse_document: ParseDocument) -> None:
    document, parsed = parse_document("The mayor resigned on Friday.")
    assert infer_document_date(document, parsed, ["2026-03-02", None, "2026-03-02",
                                                  "2026-03-03"]) == (dt.date(2026, 3, 2), True)


def test_timeline_undated_document_alone_is_dated_by_its_content(
        parse_document: ParseDocument) -> None:
    document, parsed = parse_document(
        "The port reopened on March 3, 2025. On March 5, 2025 the mayor resigned.")
    assert infer_document_date(document, parsed, []) == (dt.date(2025, 3, 5), True)


def test_timeline_undated_document_is_dated_by_its_stored_timeline_alike(
        parse_document: ParseDocument) -> None:
    # the timeline an ingest stores for an undated document dates it as its parse does, and
    # nothing is parsed again for it
    document, parsed = parse_document(
        "The port reopened on March 3, 2025. On March 5, 2025 the mayor resigned.")
    stored = extract_timeline(document, parsed, None, False)
    assert infer_document_date(document, None, [], undated_timeline=stored) == (
        dt.date(2025, 3, 5), True)
    assert infer_document_date(document, None, [], undated_timeline=stored[:1]) == (
        dt.date(2025, 3, 3), True)


def test_timeline_document_with_no_date_at_all(parse_document: ParseDocument) -> None:
    document, parsed = parse_document("The mayor resigned on Friday, the council said.")
    assert infer_document_date(document, parsed, []) == (None, False)
    assert extract_timeline(document, parsed, None, False) == []


def test_timeline_own_date_wins(parse_document: ParseDocument) -> None:
    document, parsed = parse_document("The mayor resigned on Friday.", published="2026-03-06")
    assert infer_document_date(document, parsed, ["2026-03-02"]) == (dt.date(2026, 3, 6), False)


# --------------------------------------------------------------------------- events


def test_timeline_same_event_in_two_outlets_is_one_event(parse_document: ParseDocument) -> None:
    first = _timeline(parse_document,
                      "Envoys from Belvastan and Norvalia met in Dornava on Tuesday. The mayor "
                      "of Dornava resigned on Tuesday too.", "2026-03-06", source="a.txt")
    second = _timeline(parse_document,
                       "The March 3 meeting of Belvastan and Norvalian envoys in Dornava ended "
                       "without a deal.", "2026-03-06", source="b.txt")
    linked = link_events(first + second)
    meeting_a = next(e for e in linked if "met" in e.event)
    resigned = next(e for e in linked if "resigned" in e.event)
    meeting_b = next(e for e in linked if e.span.doc == second[0].span.doc)
    assert meeting_a.date == meeting_b.date == "2026-03-03"
    assert meeting_a.event_id == meeting_b.event_id
    assert resigned.event_id != meeting_a.event_id
    assert all(e.event_id for e in linked)


def test_timeline_same_day_different_events_stay_apart(parse_document: ParseDocument) -> None:
    first = _timeline(parse_document, "The Dornava bridge collapsed on Friday.", "2026-03-06",
                      source="a.txt")
    second = _timeline(parse_document, "Norvalia's parliament elected a new speaker on Friday.",
                       "2026-03-06", source="b.txt")
    linked = link_events(first + second)
    assert len({e.event_id for e in linked}) == 2


def _entry(doc: str, date: str, event: str, start: int = 0) -> TimelineEntry:
    return TimelineEntry(date, Span(doc, start, start + 5), event)


def test_timeline_events_do_not_chain_through_other_outlets() -> None:
    """Each link is a mutual best match, but a chain of them must not join two entries of one
    outlet (an outlet tells an event once) nor dates that share no day."""
    a1 = _entry("a", "2026-06-02", "mayor opened bridge")
    b1 = _entry("b", "2026-06-02", "mayor opened bridge ceremony crowd")
    c1 = _entry("c", "2026-06-02", "bridge ceremony crowd cheered")
    a2 = _entry("a", "2026-06-02", "crowd cheered loudly", start=40)
    linked = {(e.span.doc, e.span.start): e.event_id for e in link_events([a1, b1, c1, a2])}
    assert linked[("a", 0)] == linked[("b", 0)] == linked[("c", 0)]
    assert linked[("a", 40)] != linked[("a", 0)]
    # "overnight" overlaps the day before and the day of; the two days share nothing
    night = _entry("a", "2026-06-02", "ferry hit barge at the pier")
    overnight = _entry("b", "2026-06-02/2026-06-03", "ferry hit barge at the pier terminal shut")
    morning = _entry("c", "2026-06-03", "barge at the pier terminal shut")
    ids = {e.span.doc: e.event_id for e in link_events([night, overnight, morning])}
    assert ids["b"] in (ids["a"], ids["c"]) and ids["a"] != ids["c"]


# --------------------------------------------------------------------------- through the pipeline


@pytest.mark.slow
def test_timeline_report_anchors_an_undated_article_on_its_story(tmp_path: Any) -> None:
    from rashomon import pipeline
    from rashomon.settings import load_settings
    from rashomon.store import open_store

    body = ("The Dornava river bridge collapsed during a storm, killing four people, and rescue "
            "teams searched the water for survivors. Mayor Ana Silva said the bridge had been "
            "inspected in August 2025. ")
    dated = tmp_path / "dated.txt"
    dated.write_text("Dornava, March 6, 2026 – " + body
                     + "The mayor ordered an inquiry on Thursday.\n", encoding="utf-8")
    undated = tmp_path / "undated.txt"
    undated.write_text(body + "Silva ordered an inquiry on Thursday night.\n", encoding="utf-8")
    with open_store(str(tmp_path / "t.db")) as store:
        result = pipeline.analyze([str(dated), str(undated)], store=store,
                                  settings=load_settings())
    analysis = result.analysis
    assert len(analysis.stories) == 1
    documents = {d.source: d for d in analysis.documents}
    later = documents[str(undated)]
    assert (later.published, later.published_inferred) == ("2026-03-06", True)
    thursdays = [e for e in analysis.timeline if e.date == "2026-03-05"]
    assert {e.span.doc for e in thursdays} == {d.id for d in analysis.documents}
    assert {e.inferred for e in thursdays if e.span.doc == later.id} == {True}
    assert len({e.event_id for e in thursdays}) == 1  # one inquiry, two outlets
    august = [e for e in analysis.timeline if e.date == "2025-08"]
    assert {e.inferred for e in august} == {False}


@pytest.mark.parametrize("text", [
    "Elections in March.",
    "Photos from the Friday parade",
    "Record heat on Tuesday; storms on Wednesday.",
])
def test_timeline_verbless_sentences_terminate(parse_document: ParseDocument, text: str) -> None:
    # A date whose chain of heads reaches a root that is not a verb once looped forever.
    import faulthandler

    faulthandler.dump_traceback_later(30, exit=True)
    try:
        entries = _timeline(parse_document, text, "2026-03-06")
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert all(re.match(r"\d{4}-\d{2}", entry.date) for entry in entries)


@pytest.mark.parametrize(("text", "expression", "date"), [
    ("Brannik said divers would inspect the hull on Thursday.", "Thursday", "2026-06-04"),
    ("The terminal was expected to reopen by Friday morning, the authority said.",
     "Friday morning", "2026-06-05"),
    ("“We hope to have the terminal open again by Friday morning,” she wrote.",
     "Friday morning", "2026-06-05"),
    ("The ferry struck the barge on Tuesday evening.", "Tuesday evening", "2026-06-02"),
])
def test_timeline_reported_plans_and_deadlines_point_ahead(
        parse_document: ParseDocument, text: str, expression: str, date: str) -> None:
    # the document date is Wednesday 2026-06-03
    assert _dates(parse_document, text, "2026-06-03")[expression] == date


@pytest.mark.parametrize(("text", "expression", "date"), [
    ("Growers said an unusually warm and wet August had let the fungus spread.",
     "an unusually warm and wet August", "2026-08"),
])
def test_timeline_a_month_without_a_day_stays_a_month(
        parse_document: ParseDocument, text: str, expression: str, date: str) -> None:
    # the document date is Thursday 2026-09-17
    dates = _dates(parse_document, text, "2026-09-17")
    assert any(date == value for key, value in dates.items() if expression.endswith(key) or key in expression), dates
