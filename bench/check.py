"""Does `rashomon check` answer a claim about one event with articles of that event?

    python bench/check.py ../shared/eval/ecbplus/docs.jsonl [--topics odd|even|all]
        [--floors bench/floors.json]

Each line of FILE is ``{id, topic, story, text}`` (ECB+: every topic holds two events of one
kind, two rehab check-ins, two earthquakes, so an answer from the wrong one of the two is what
this measures). All records go through the real incremental path into a throwaway SQLite store:
cleaned by `rashomon.clean` (built directly when the cleaner refuses a text), lede embedding,
`rashomon.stories.assign_stories` (no spaCy: `check` reads documents and the term index).

For each gold story of the chosen topics, the claim is its first article's first sentence (the
first line of six words or more that is not an address, a date line or a title-case headline);
`check_claim` is asked, that article is dropped from the answer, and the first five results
are scored: ``top5_share`` the share of returned top-five results from the claim's gold story,
``top1`` the share of claims whose first result is from it (a claim with no result counts as a
miss), ``answered`` the share of claims with any result; each over all claims and apart for odd
topics (where `check`'s settings were chosen) and even ones (the held-out check: ``_even``).
Gold labels are read only to score.
Prints one line per missed claim, then one JSON line last; with --floors, exits 1 when a figure
falls below its floor under the key ``check`` (or ``check_<topics>`` for a subset).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from gate import below_floors, exit_code  # bench/gate.py, beside this script

TOP = 5
_MIN_CLAIM_WORDS = 6
_DATE_LINE = re.compile(r"^\w+ \d{1,2} ?, \d{4}$|^\d{4}\b|^\w+day\b", re.IGNORECASE)


def claim_of(text: str) -> str | None:
    """The first line of a text that reads as a sentence of the article."""
    for line in text.splitlines():
        line = line.strip()
        words = line.split()
        if len(words) < _MIN_CLAIM_WORDS or line.lower().startswith(("http", "www")):
            continue
        if _DATE_LINE.match(line):
            continue
        long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
        if long_words and sum(w[0].isupper() for w in long_words) > 0.6 * len(long_words):
            continue  # a headline in title case
        return line
    return None


def _document(record: dict[str, Any]) -> Any:
    from rashomon import clean
    from rashomon.errors import InputError
    from rashomon.model import Document, OffsetMap, RawDocument, document_id

    key = f"ecbplus:{record['id']}"
    try:
        return clean.clean(RawDocument(source=key, source_key=key, text=record["text"],
                                       outlet=f"ecb-{record['id']}"))
    except InputError:
        text = record["text"]
        return Document(id=document_id(key, text), source=key, source_key=key, text=text,
                        raw_text=text, offsets=OffsetMap(((0, 0, len(text)),)),
                        outlet=f"ecb-{record['id']}")


def _wanted(topic: int, topics: str) -> bool:
    return topics == "all" or (topic % 2 == 1) == (topics == "odd")


def run(records: list[dict[str, Any]], topics: str) -> dict[str, Any]:
    from rashomon import embed, stories
    from rashomon.check import check_claim
    from rashomon.settings import load_settings
    from rashomon.store.sqlite import SQLiteStore

    settings = load_settings()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    documents = [_document(r) for r in records]
    vectors = embed.embed([stories.lede_text(d) for d in documents],
                          batch_size=settings.embed_batch_size)
    gold_of = {d.id: r["story"] for d, r in zip(documents, records, strict=True)}
    first: dict[str, tuple[str, dict[str, Any]]] = {}
    for document, record in zip(documents, records, strict=True):
        first.setdefault(record["story"], (document.id, record))
    scored: list[tuple[int, int, int, bool]] = []  # topic, right, returned, first right
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "check.db") as store:
        for document, vector in zip(documents, vectors, strict=True):
            store.put_document(document)
            store.put_embedding(document.id, embed.MODEL_NAME, vector)
            stories.assign_stories(store, [document], vector[None, :], model=embed.MODEL_NAME)
        timings["ingest_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        for story, (doc_id, record) in sorted(first.items()):
            claim = claim_of(record["text"])
            if claim is None or not _wanted(record["topic"], topics):
                continue
            results = [r for r in check_claim(store, claim, settings, limit=TOP + 1)
                       if r.document != doc_id][:TOP]
            right = sum(gold_of[r.document] == story for r in results)
            first_right = bool(results) and gold_of[results[0].document] == story
            scored.append((record["topic"], right, len(results), first_right))
            if right < len(results) or not results:
                others = sorted({gold_of[r.document] for r in results} - {story})
                print(f"{story}: {right}/{len(results)} from its story; others {others}; "
                      f"claim {claim[:70]!r}", file=sys.stderr)
        timings["check_s"] = round(time.perf_counter() - start, 1)
    figures: dict[str, Any] = {}
    for split, parity in (("", None), ("_odd", 1), ("_even", 0)):
        part = [s for s in scored if parity is None or s[0] % 2 == parity]
        returned = sum(s[2] for s in part)
        figures[f"top5_share{split}"] = round(sum(s[1] for s in part) / returned, 4) if returned else 0.0
        figures[f"top1{split}"] = round(sum(s[3] for s in part) / len(part), 4) if part else 0.0
        figures[f"answered{split}"] = round(sum(s[2] > 0 for s in part) / len(part), 4) if part else 0.0
        figures[f"claims{split}"] = len(part)
    return {**figures, "topics": topics, **timings}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="ECB+-shaped JSONL: id, topic, story, text")
    parser.add_argument("--topics", choices=("odd", "even", "all"), default="all")
    parser.add_argument("--floors", help="bench/floors.json: fail below the recorded floors")
    args = parser.parse_args(argv)
    records = [json.loads(line) for line in Path(args.path).read_text().splitlines() if line]
    figures = run(records, args.topics)
    key = "check" if args.topics == "all" else f"check_{args.topics}"
    failed = below_floors(figures, Path(args.floors), key) if args.floors else []
    print(json.dumps(figures))
    return exit_code(failed)


if __name__ == "__main__":
    sys.exit(main())
