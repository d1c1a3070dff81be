"""Timeline entries of different documents linked when they date the same event."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from rashomon import terms
from rashomon.dates import MONTH_PREFIX
from rashomon.disjoint import DisjointSets
from rashomon.model import TimelineEntry
from rashomon.timeline.resolve import date_bounds

__all__ = [
    "STOP_WORDS",
    "event_texts",
    "link_events",
    "one_reading",
]

# The common stop words and those the event links have always skipped on top of them (auxiliary
# "did"/"does", "during", "here", wh-words, "after", "before"): unchanged, since they decide
# which events are linked.
STOP_WORDS = terms.STOP_WORDS | frozenset("""
    after before did do does during here i what when where which while who
""".split())


def _content_words(text: str) -> set[str]:
    # ASCII letters and digits only, apostrophes split ("mayor's" -> "mayor", "s")
    words = re.findall(r"[a-z0-9]+", terms.normal(text))
    # a crude stem: "meeting"/"met"/"meets" do not meet, but "talks"/"talk" and "strikes" do
    return {terms.stem(w) for w in words if w not in STOP_WORDS and len(w) > 2}


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
    anchors: dict[str, dt.date] | None = None,
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

    With `texts`, the same yearless expression dating the same event in several documents is
    first given one reading (`one_reading`; `anchors`, document id -> date, lets documents
    dated far apart keep their own).

    Each entry is joined to its single best match per other document, so two events of one day
    ("the mayor met the union", "the envoy met the mayor") stay apart when their clauses tell them apart.
    """
    if not entries:
        return []
    if texts is not None:
        entries = one_reading(entries, texts, anchors)
    sets = DisjointSets(len(entries))
    bounds = [date_bounds(e.date) for e in entries]
    partners = _comparable(entries, bounds)
    vectors = _vectors(entries, partners, embedder) if embedder is not None else None
    best_of: list[dict[str, tuple[float, int]]] = []
    for i, left in enumerate(entries):
        best: dict[str, tuple[float, int]] = {}
        for j in partners[i]:
            right = entries[j]
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


def event_texts(
    entries: Sequence[TimelineEntry], *, texts: dict[str, str] | None = None,
    anchors: dict[str, dt.date] | None = None,
) -> tuple[list[TimelineEntry], list[str]]:
    """What `link_events` (with the same `texts` and `anchors`) decides before any vector, found
    without linking: the entries with the dates it gives them (`one_reading`; no `event_id`s
    yet), and the texts it embeds, in the order it asks for them."""
    if not entries:
        return [], []
    if texts is not None:
        entries = one_reading(entries, texts, anchors)
    partners = _comparable(entries, [date_bounds(e.date) for e in entries])
    return list(entries), [_event_text(entries[i]) for i in _with_partners(partners)]


_CONTEXT_BAR = 0.4


def _comparable(
    entries: Sequence[TimelineEntry], bounds: Sequence[tuple[dt.date, dt.date]]
) -> list[list[int]]:
    """For each entry, the entries of other documents it may date the same event as: their
    dates overlap, and each spans a month at most (months and years date too many things to
    tie two clauses together)."""
    narrow = [_width(b) <= 31 for b in bounds]
    return [
        [j for j, right in enumerate(entries)
         if j != i and narrow[i] and narrow[j] and right.span.doc != left.span.doc
         and bounds[i][0] <= bounds[j][1] and bounds[j][0] <= bounds[i][1]]
        for i, left in enumerate(entries)
    ]


def _vectors(
    entries: Sequence[TimelineEntry], partners: Sequence[Sequence[int]],
    embedder: Callable[[list[str]], Any],
) -> dict[int, Any]:
    """The event clause's vector of each entry that has a partner to be compared with: the
    others' would be embedded for nothing (most of a story's dates are met once)."""
    wanted = _with_partners(partners)
    if not wanted:
        return {}
    rows = embedder([_event_text(entries[i]) for i in wanted])
    return {i: rows[n] for n, i in enumerate(wanted)}


def _with_partners(partners: Sequence[Sequence[int]]) -> list[int]:
    return [i for i, found in enumerate(partners) if found]


def _event_text(entry: TimelineEntry) -> str:
    """What is embedded of an entry: its event clause, else its date."""
    return entry.event or entry.date


def _sentence_of(texts: dict[str, str], entry: TimelineEntry) -> str:
    text = texts.get(entry.span.doc, "")
    start = max(text.rfind(". ", 0, entry.span.start), text.rfind("\n", 0, entry.span.start))
    ends = [i for i in (text.find(". ", entry.span.end), text.find("\n", entry.span.end))
            if i >= 0]
    return text[start + 1 : min(ends) if ends else len(text)].replace(text[entry.span.start:
                                                                       entry.span.end], " ")


def _width(bounds: tuple[dt.date, dt.date]) -> int:
    return (bounds[1] - bounds[0]).days + 1



_YEARLESS = re.compile(
    rf"\b{MONTH_PREFIX}[a-z]*\.?(?![\s,]*\d{{4}})", re.IGNORECASE)
# documents dated further apart than this may each be right about a yearless date
_CONTEMPORARY_DAYS = 180


def _expression(texts: dict[str, str], entry: TimelineEntry) -> str | None:
    """The words of a yearless month or day ("April 29", "March"), normalised; else None."""
    words = texts.get(entry.span.doc, "")[entry.span.start:entry.span.end]
    if len(entry.date) not in {7, 10} or not _YEARLESS.search(words) or re.search(
            r"\d{4}", words):
        return None
    return " ".join(words.lower().split())


def one_reading(
    entries: Sequence[TimelineEntry], texts: dict[str, str],
    anchors: dict[str, dt.date] | None = None,
) -> list[TimelineEntry]:
    """One date for one yearless expression about one event across a story's documents.

    "April 29" in two outlets, about the same event (their clauses or sentences agree, as for
    `link_events`), may resolve to two years when each outlet's tense or date tips the guess
    differently. The reading most of the documents give wins (on a tie, a reading no
    document marked uncertain, then the later one); entries moved to it are marked uncertain.
    Documents whose `anchors` lie more than half a year apart keep their own readings.
    """
    fixed = list(entries)
    groups: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        words = _expression(texts, entry)
        if words is not None:
            groups.setdefault(words, []).append(i)
    for members in groups.values():
        readings = {entries[i].date for i in members}
        if len(readings) < 2 or len({entries[i].span.doc for i in members}) < 2:
            continue
        same = [i for i in members if any(_same_event(entries[i], entries[j], texts)
                                          for j in members if entries[j].span.doc
                                          != entries[i].span.doc)]
        if anchors is not None:
            dates = [anchors[entries[i].span.doc] for i in same if entries[i].span.doc in anchors]
            if dates and (max(dates) - min(dates)).days > _CONTEMPORARY_DAYS:
                continue
        votes = Counter(entries[i].date for i in same)
        if len(votes) < 2:
            continue
        sure = {entries[i].date for i in same if not entries[i].uncertain}
        best = max(votes, key=lambda d: (votes[d], d in sure, d))
        for i in same:
            if entries[i].date != best:
                fixed[i] = dataclasses.replace(entries[i], date=best, uncertain=True)
    return fixed


def _same_event(left: TimelineEntry, right: TimelineEntry, texts: dict[str, str]) -> bool:
    if _overlap(left.event, right.event) >= 0.5:
        return True
    return _overlap(_sentence_of(texts, left), _sentence_of(texts, right)) >= _CONTEXT_BAR
