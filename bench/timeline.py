"""The timeline scored on TimeBank: date expressions found (extent) and resolved (value).

    python bench/timeline.py ../shared/eval/timebank/docs.jsonl [--predictions OUT.jsonl]
        [--floors bench/floors.json]

FILE holds one article per line, ``{id, published, title, text, timexes: [{start, end, text,
type, value}]}`` (TimeBank, TempEval-3's cleaned release; see ../shared/eval/README.md). Each
article goes through the real per-document path: the record (text, title, published) read as
`rashomon analyze` reads a JSON Lines record, cleaned, parsed, and its timeline extracted
against its own date. Predicted spans are mapped back to the record's text through the
cleaner's offset map.

Scored gold: DATE and TIME expressions whose value names a calendar period -- a day
("1998-08-07", a TIME's date part), month, year, ISO week ("1998-W32"), quarter ("1998-Q3"),
half ("1998-H1") or season ("1998-SU"). PRESENT_REF / PAST_REF / FUTURE_REF, durations, sets,
decades and values with unknown digits count neither way: a prediction that overlaps only such
an expression is neither right nor wrong.

- extent: a prediction matches a scored gold expression when their characters overlap;
  precision over the predictions that are not neutral, recall over the scored gold;
- value: a prediction is right when its date or interval covers exactly the days of a scored
  gold expression it overlaps; precision over the same predictions, recall over the scored gold.

Figures are given on all articles and on the two halves by line index (even: the half rules are
chosen on; odd: the half they are checked on). Prints one JSON line last; `--floors` gates on
the `timebank` key.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate import below_floors, exit_code  # bench/gate.py, beside this script

# A TIME's value is scored by its date: "1998-01-08T18:30" covers the day 1998-01-08.
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
# meteorological seasons, as the timeline resolves them; winter runs into the next year
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def _month_end(year: int, month: int) -> dt.date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def gold_days(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a TimeML value names, or None when it names no calendar period."""
    try:
        if match := _DAY.match(value):
            day = dt.date(*map(int, match.groups()))
            return day, day
        if match := _MONTH.match(value):
            year, month = map(int, match.groups())
            return dt.date(year, month, 1), _month_end(year, month)
        if match := _YEAR.match(value):
            year = int(match.group(1))
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if match := _WEEK.match(value):
            monday = dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
            return monday, monday + dt.timedelta(days=6)
        if match := _QUARTER.match(value):
            year, quarter = map(int, match.groups())
            return dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        if match := _HALF.match(value):
            year, half = map(int, match.groups())
            return dt.date(year, 6 * half - 5, 1), _month_end(year, 6 * half)
        if match := _SEASON.match(value):
            year = int(match.group(1))
            first, last = _SEASON_MONTHS[match.group(2)]
            return dt.date(year, first, 1), _month_end(year, last)
    except ValueError:  # "1998-02-30", week 54: not a period
        return None
    return None


@dataclass(frozen=True, slots=True)
class Gold:
    start: int
    end: int
    text: str
    value: str
    days: tuple[dt.date, dt.date] | None  # None: counts neither way


@dataclass(frozen=True, slots=True)
class Predicted:
    start: int
    end: int
    text: str
    date: str
    days: tuple[dt.date, dt.date]
    uncertain: bool
    event: str


def gold_of(record: dict[str, Any]) -> list[Gold]:
    found = []
    for timex in record["timexes"]:
        days = gold_days(timex["value"]) if timex["type"] in {"DATE", "TIME"} else None
        found.append(Gold(timex["start"], timex["end"], timex["text"], timex["value"], days))
    return found


def predict(records: list[dict[str, Any]]) -> list[list[Predicted]]:
    """Every record's timeline, spans as offsets into the record's own text."""
    from rashomon import clean, nlp, timeline
    from rashomon.ingest.records import record_document

    documents = []
    for n, record in enumerate(records, 1):
        fields = {key: record.get(key) for key in ("text", "title", "published")}
        raw = record_document(fields, f"timebank#{n}", f"timebank#{n}", 10_000_000)
        documents.append(clean.clean(raw))
    predictions: list[list[Predicted]] = []
    for (document, parsed), record in zip(nlp.parse(documents), records, strict=True):
        # the reader strips the record's text: offsets into it start after the blank lead
        lead = len(record["text"]) - len(record["text"].lstrip())
        anchor = timeline.parse_anchor(document.published)
        mine = []
        for entry in timeline.extract_timeline(document, parsed, anchor,
                                               document.published_inferred):
            start = document.offsets.to_raw(entry.span.start) + lead
            end = document.offsets.to_raw(entry.span.end) + lead
            mine.append(Predicted(start, end, record["text"][start:end], entry.date,
                                  timeline.date_bounds(entry.date), entry.uncertain, entry.event))
        predictions.append(mine)
    return predictions


@dataclass(slots=True)
class Counts:
    predicted: int = 0
    extent_right: int = 0
    value_right: int = 0
    gold: int = 0
    gold_found: int = 0
    gold_valued: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self, suffix: str = "") -> dict[str, float]:
        def f1(p: float, r: float) -> float:
            return round(2 * p * r / (p + r), 4) if p + r else 0.0

        ep = self.extent_right / self.predicted if self.predicted else 1.0
        er = self.gold_found / self.gold if self.gold else 1.0
        vp = self.value_right / self.predicted if self.predicted else 1.0
        vr = self.gold_valued / self.gold if self.gold else 1.0
        return {f"extent_precision{suffix}": round(ep, 4), f"extent_recall{suffix}": round(er, 4),
                f"extent_f1{suffix}": f1(ep, er), f"value_precision{suffix}": round(vp, 4),
                f"value_recall{suffix}": round(vr, 4), f"value_f1{suffix}": f1(vp, vr)}


def _overlaps(a: Predicted, b: Gold) -> bool:
    return a.start < b.end and b.start < a.end


def score(gold: list[Gold], predicted: list[Predicted]) -> tuple[Counts, list[dict[str, Any]]]:
    """One document's counts, and each prediction and scored gold expression with its verdict."""
    counts = Counts(gold=sum(1 for g in gold if g.days is not None))
    rows: list[dict[str, Any]] = []
    found: set[int] = set()
    valued: set[int] = set()
    for p in predicted:
        touched = [i for i, g in enumerate(gold) if _overlaps(p, g)]
        scored = [i for i in touched if gold[i].days is not None]
        row: dict[str, Any] = {"start": p.start, "end": p.end, "text": p.text, "date": p.date,
                               "uncertain": p.uncertain, "event": p.event}
        if touched and not scored:
            rows.append({**row, "verdict": "neutral",
                         "gold": [gold[i].value for i in touched]})
            continue
        counts.predicted += 1
        right = [i for i in scored if gold[i].days == p.days]
        counts.extent_right += bool(scored)
        counts.value_right += bool(right)
        found.update(scored)
        valued.update(right)
        verdict = "right" if right else "wrong value" if scored else "not a gold date"
        rows.append({**row, "verdict": verdict, "gold": [gold[i].value for i in scored]})
    counts.gold_found, counts.gold_valued = len(found), len(valued)
    for i, g in enumerate(gold):
        if g.days is not None and i not in found:
            rows.append({"start": g.start, "end": g.end, "text": g.text, "verdict": "missed",
                         "gold": [g.value]})
    return counts, sorted(rows, key=lambda r: r["start"])


def run(records: list[dict[str, Any]], predictions_path: Path | None) -> dict[str, Any]:
    start = time.perf_counter()
    predicted = predict(records)
    seconds = time.perf_counter() - start
    total, halves = Counts(), {"even": Counts(), "odd": Counts()}
    out = []
    for index, (record, mine) in enumerate(zip(records, predicted, strict=True)):
        counts, rows = score(gold_of(record), mine)
        total.add(counts)
        halves["odd" if index % 2 else "even"].add(counts)
        out.append({"id": record["id"], "published": record.get("published"), "rows": rows})
    if predictions_path is not None:
        predictions_path.write_text("".join(json.dumps(o) + "\n" for o in out), encoding="utf-8")
    result: dict[str, Any] = total.figures()
    for half, counts in halves.items():
        result.update({k: v for k, v in counts.figures(f"_{half}").items() if "_f1" in k})
    result.update({"gold": total.gold, "predicted": total.predicted, "documents": len(records),
                   "seconds": round(seconds, 1)})
    return result


def _read(path: Path) -> Iterable[dict[str, Any]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--predictions", type=Path,
                        help="write each article's predictions and missed gold as JSON lines")
    parser.add_argument("--floors", type=Path)
    args = parser.parse_args(argv)
    result = run(list(_read(args.file)), args.predictions)
    print(json.dumps(result))
    return exit_code(below_floors(result, args.floors, "timebank") if args.floors else [])


if __name__ == "__main__":
    sys.exit(main())
