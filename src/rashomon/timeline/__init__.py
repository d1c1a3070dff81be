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

The stages, one module each: `grammar` (the patterns), `resolve` (calendar arithmetic and ISO
strings), `clauses` (tense and event clause from the parse), `extract` (one document's
timeline, a document's inferred date), `events` (entries linked across documents).
"""

from __future__ import annotations

from rashomon.timeline.events import event_texts, link_events
from rashomon.timeline.extract import extract_timeline, infer_document_date
from rashomon.timeline.resolve import date_bounds, date_label, parse_anchor

__all__ = [
    "date_bounds",
    "date_label",
    "event_texts",
    "extract_timeline",
    "infer_document_date",
    "link_events",
    "parse_anchor",
]
