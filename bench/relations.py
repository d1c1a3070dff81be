"""Score the cross-outlet findings against judgments made by hand, on public multi-outlet data.

    python bench/relations.py ../shared/eval/ecbplus/docs.jsonl [--topics all|odd|even]
        [--report-topics all|odd|even] [--cache DIR] [--judgments bench/judgments] [--todo OUT.jsonl] [--floors bench/floors.json]

No data set scores contradictions, denials, divergences, corroborations, quote variants or brief
sentences, so they are judged by reading the articles (rules: bench/README.md and
../shared/JUDGING.md) and the verdicts are kept in the repository, one JSON object per line in
`bench/judgments/*.jsonl` -- ids, offsets, verdict and reason, never article text.

The run: each ECB+ record (topics 1-35 only; every record its own outlet, ``ecb-<record id>``,
since ECB+ articles come from different publishers) goes through the real pipeline
(`pipeline.ingest_raw` into a SQLite store, then `pipeline.report` one story at a time). Every
relation and every brief sentence reported is a *finding*, named by a stable key:

- a relation: ``KIND|doc:start-end|doc:start-end...`` -- its kind and its evidence spans, sorted;
- a brief sentence: ``brief|`` + the first 16 hex of the SHA-256 of its text.

A judgment names a finding by that key. A relation whose evidence moved a little (a boundary
change) still meets its judgment when it is of the same kind over the same documents and each
of its spans overlaps a judged span of the same document; a brief sentence must be word for word
the one judged.

What it prints, per kind: findings reported, judged among them (right / debatable / wrong, or
true / misleading / wrong for brief sentences), precision (right / judged: debatable is never
right), and the *sample* still to judge. The sample follows JUDGING.md: every finding of a kind
when it has at most 60, otherwise 60 chosen uniformly by a fixed seed (the 60 with the smallest
seeded hash of their key, so that one finding more or less changes the sample by one);
`--todo FILE` writes the sampled findings not yet judged, each with its spans and their
surroundings, for a judge to read (the file holds article text: keep it out of the repository).
The *recall guard*, per kind: of the findings judged right in round ``before`` (today's output
when the judging began), the share still reported. One JSON line last; `--floors` gates on the
``relations`` key of bench/floors.json (precision, recall guard and sample coverage per kind).

`--topics` chooses the records ingested (a store of its own); `--report-topics` keeps the store
of all records and reports only the stories whose articles are mostly of odd (or even) topics:
half the work, for choosing a rule on odd topics and checking it on even ones. Figures of such
a run cover those stories only (the floors are recorded for all topics).

The store is kept in `--cache` (default: a temporary directory) under a name made of the
records and of the source of every per-document stage, so a change to the story-level stages
(align, brief, framing) re-reports without re-ingesting, and any other code change ingests anew.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gate import below_floors, exit_code  # bench/gate.py, beside this script

SAMPLE_SIZE = 60
SAMPLE_SEED = 20261202
RELATION_VERDICTS = ("right", "debatable", "wrong")
BRIEF_VERDICTS = ("true", "misleading", "wrong")
# Source that only the story-level stages read: a change here needs a new report, not a new
# ingest. Everything else under src/rashomon shapes what is stored and keys the cached store.
STORY_LEVEL_SOURCES = ("align", "brief", "framing", "render", "serve", "check", "stance",
                       "story_stage")
CONTEXT_CHARS = 400


@dataclass(frozen=True)
class Finding:
    """One reported relation or brief sentence, named by its stable key."""

    key: str
    kind: str
    story: str
    spans: tuple[tuple[str, int, int], ...]
    explanation: str
    section: str | None = None
    score: float | None = None


@dataclass
class Tally:
    reported: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    sample: list[Finding] = field(default_factory=list)
    sample_judged: int = 0


# -- keys and matching -------------------------------------------------------------------------


def span_label(doc: str, start: int, end: int) -> str:
    return f"{doc}:{start}-{end}"


def parse_span(label: str) -> tuple[str, int, int]:
    doc, _, offsets = label.rpartition(":")
    start, _, end = offsets.partition("-")
    return doc, int(start), int(end)


def relation_key(kind: str, spans: Iterable[tuple[str, int, int]]) -> str:
    return "|".join([kind, *sorted(span_label(*s) for s in spans)])


def brief_key(text: str) -> str:
    return "brief|" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _overlaps(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def _inside_a_reported_finding(row: dict[str, Any], findings: Sequence[Finding]) -> bool:
    """Whether every evidence span of a judged finding overlaps a span of one reported finding
    of its kind."""
    spans = [parse_span(s) for s in row["key"].split("|")[1:]]
    return any(all(any(_overlaps(s, f) for f in finding.spans) for s in spans)
               for finding in findings)


class Judgments:
    """Every verdict of the judgment files, found by key or by overlapping evidence."""

    def __init__(self, rows: Sequence[dict[str, Any]]) -> None:
        self.rows = list(rows)
        self.by_key: dict[str, dict[str, Any]] = {}
        self.by_docs: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = defaultdict(list)
        for row in self.rows:
            self.by_key[row["key"]] = row  # a later line overrides an earlier one
            if row["kind"] != "brief":
                spans = tuple(parse_span(s) for s in row["key"].split("|")[1:])
                self.by_docs[(row["kind"], frozenset(s[0] for s in spans))].append(
                    {**row, "_spans": spans})

    @classmethod
    def load(cls, folder: Path) -> Judgments:
        rows: list[dict[str, Any]] = []
        for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else ():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                verdicts = BRIEF_VERDICTS if row.get("kind") == "brief" else RELATION_VERDICTS
                if row.get("verdict") not in verdicts or not row.get("key"):
                    raise SystemExit(f"{path}:{number}: a judgment needs a key and a verdict "
                                     f"in {verdicts}")
                rows.append(row)
        return cls(rows)

    def find(self, finding: Finding) -> dict[str, Any] | None:
        exact = self.by_key.get(finding.key)
        if exact is not None or finding.kind == "brief":
            return exact
        docs = frozenset(s[0] for s in finding.spans)
        for row in self.by_docs.get((finding.kind, docs), ()):
            if all(any(_overlaps(s, j) for j in row["_spans"]) for s in finding.spans):
                return row
        return None

    def recall_guard(self, findings: Sequence[Finding]) -> tuple[Counter[str], Counter[str]]:
        """Per kind, the findings judged right in the first round (`before`) and how many of
        them are still reported: by their own key or evidence, or inside a wider group of the
        same kind (a right group that gained a member still says what it said; the wider
        group's own verdict is the sample's business)."""
        # a key judged again later counts by its latest verdict
        right_before = [row for row in self.rows if self.by_key[row["key"]] is row
                        and row.get("round", "before") == "before"
                        and row["verdict"] in ("right", "true")]
        by_kind: dict[str, list[Finding]] = defaultdict(list)
        matched: set[str] = set()
        for finding in findings:
            by_kind[finding.kind].append(finding)
            row = self.find(finding)
            if row is not None:
                matched.add(row["key"])
        still = Counter[str]()
        for row in right_before:
            if row["key"] in matched or (row["kind"] != "brief" and
                                         _inside_a_reported_finding(row, by_kind[row["kind"]])):
                still[row["kind"]] += 1
        return Counter(row["kind"] for row in right_before), still


# -- the run -----------------------------------------------------------------------------------


def read_records(path: Path, topics: str) -> list[dict[str, Any]]:
    records = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            topic = int(record["topic"])
            if topic > 35:  # topics 36-45 are kept back: never read past the public part
                continue
            if topics == "odd" and topic % 2 == 0 or topics == "even" and topic % 2 == 1:
                continue
            records.append(record)
    return records


def _source_digest(records: Sequence[dict[str, Any]]) -> str:
    import rashomon

    digest = hashlib.sha256()
    for record in records:
        digest.update(json.dumps([record["id"], record["text"]]).encode("utf-8"))
    package = Path(rashomon.__file__).parent
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if path.is_file() and path.suffix in (".py", ".json", ".toml") and \
                relative.parts[0].removesuffix(".py") not in STORY_LEVEL_SOURCES:
            digest.update(str(relative).encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _raw_documents(path: Path, records: Sequence[dict[str, Any]]) -> list[Any]:
    from rashomon.model import RawDocument

    return [RawDocument(source=f"{path}#{r['id']}", source_key=f"ecbplus:{r['id']}",
                        text=r["text"], outlet=f"ecb-{r['id']}") for r in records]


def _topic_of(document: Any) -> int:
    """The ECB+ topic of a stored record: its id ("ecbplus:12_3ecb") starts with it."""
    return int(document.source_key.partition(":")[2].split("_")[0])


def _stories_of_topics(store: Any, story_ids: Sequence[str], topics: str) -> list[str]:
    """The stories whose articles are mostly of odd (or even) topics; all for "all"."""
    if topics == "all":
        return list(story_ids)
    wanted = 1 if topics == "odd" else 0
    chosen = []
    for story_id in story_ids:
        documents = store.get_documents(store.story_documents(story_id))
        parities = [_topic_of(d) % 2 == wanted for d in documents]
        if parities and 2 * sum(parities) > len(parities):
            chosen.append(story_id)
    return chosen


def run_pipeline(path: Path, records: Sequence[dict[str, Any]], cache: Path,
                 report_topics: str = "all") -> Any:
    """Ingest (or reuse the cached store), then report every story (or those of odd or even
    topics); the merged Analysis."""
    from rashomon import pipeline, story_stage
    from rashomon.settings import load_settings
    from rashomon.store import open_store

    settings = load_settings()
    db = cache / f"relations-{_source_digest(records)}.db"
    fresh = not db.exists()
    partial = db.with_suffix(".partial")
    if fresh:
        partial.unlink(missing_ok=True)
    started = time.perf_counter()
    with open_store(str(partial if fresh else db)) as store:
        if fresh:
            result = pipeline.ingest_raw(_raw_documents(path, records), store=store,
                                         settings=settings)
            print(f"ingested {len(result.added)} documents, {len(result.failures)} refused "
                  f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        ingest_s = time.perf_counter() - started
        story_ids = _stories_of_topics(
            store, [row.id for row in store.list_stories() if row.size], report_topics)
        started = time.perf_counter()
        if fresh:
            analysis = pipeline.report(store, story_ids, settings)
        else:
            # a kept store holds analyses made by the code of its day: the story-level stage
            # runs again, so that a change to align, brief or framing is what gets scored
            analysis = story_stage.combine(
                story_stage.refresh_stories(store, story_ids, settings))
        report_s = time.perf_counter() - started
    if fresh:
        partial.rename(db)  # only a finished ingest is reused
    print(f"reported {len(story_ids)} stories in {report_s:.0f} s", file=sys.stderr)
    return analysis, {"ingest_s": round(ingest_s, 1), "report_s": round(report_s, 1)}


def findings_of(analysis: Any) -> list[Finding]:
    story_of = {doc: story.id for story in analysis.stories for doc in story.documents}
    found: list[Finding] = []
    for relation in analysis.relations:
        spans = tuple((s.doc, s.start, s.end) for s in relation.evidence)
        found.append(Finding(relation_key(relation.kind, spans), relation.kind,
                             story_of.get(spans[0][0], "") if spans else "", spans,
                             relation.explanation, score=relation.score))
    for brief in analysis.briefs:
        for sentence in brief.sentences:
            spans = tuple((s.doc, s.start, s.end) for s in sentence.citations)
            found.append(Finding(brief_key(sentence.text), "brief", brief.story, spans,
                                 sentence.text, sentence.section))
    # one finding per key: two relations over the same spans are one thing to judge
    return list({f.key: f for f in found}.values())


def _draw(finding: Finding) -> str:
    return hashlib.sha256(f"{SAMPLE_SEED}|{finding.key}".encode("utf-8")).hexdigest()


def sample(findings: Sequence[Finding]) -> list[Finding]:
    """Every finding when at most SAMPLE_SIZE, else a uniform sample fixed by a seed.

    The sample is the SAMPLE_SIZE findings whose seeded hash of their key is smallest: as
    uniform as drawing with a seeded generator, and stable. A drawn sample moves entirely when
    one finding of thousands comes or goes (every index shifts); this one changes by that one
    finding, so a run whose last bits of floating point tip one pairing the other way (thread
    counts, see rashomon.embed) asks for no new judgments.
    """
    ordered = sorted(findings, key=lambda f: f.key)
    if len(ordered) <= SAMPLE_SIZE:
        return ordered
    return sorted(sorted(ordered, key=_draw)[:SAMPLE_SIZE], key=lambda f: f.key)


def score(findings: Sequence[Finding], judgments: Judgments) -> tuple[dict[str, Any], list[Finding]]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    by_kind: dict[str, list[Finding]] = defaultdict(list)
    reported_rows: set[int] = set()
    for finding in findings:
        by_kind[finding.kind].append(finding)
        tallies[finding.kind].reported += 1
        row = judgments.find(finding)
        if row is not None:
            tallies[finding.kind].verdicts[row["verdict"]] += 1
            reported_rows.add(id(row))
    todo: list[Finding] = []
    for kind, kind_findings in by_kind.items():
        for finding in sample(kind_findings):
            if judgments.find(finding) is None:
                todo.append(finding)
            else:
                tallies[kind].sample_judged += 1
            tallies[kind].sample.append(finding)
    before_right, still = judgments.recall_guard(findings)
    figures: dict[str, Any] = {}
    for kind in sorted(set(tallies) | set(before_right)):
        tally = tallies[kind]
        judged = sum(tally.verdicts.values())
        right = tally.verdicts["right"] + tally.verdicts["true"]
        figures[kind] = {
            "reported": tally.reported,
            "judged": judged,
            **{v: tally.verdicts[v] for v in (BRIEF_VERDICTS if kind == "brief"
                                               else RELATION_VERDICTS)},
            # a kind that reports nothing shows nothing wrong: 1.0 (the recall guard is what
            # catches a kind that stops finding what it found); reported but unjudged: None
            "precision": round(right / judged, 4) if judged else
            (1.0 if tally.reported == 0 else None),
            "sample": len(tally.sample),
            "sample_judged": tally.sample_judged,
            "sample_coverage": round(tally.sample_judged / len(tally.sample), 4)
            if tally.sample else 1.0,
            "right_before": before_right[kind],
            "recall_guard": round(min(still[kind], before_right[kind]) / before_right[kind], 4)
            if before_right[kind] else None,
        }
    return figures, todo


# -- output ------------------------------------------------------------------------------------


def _context(text: str, start: int, end: int) -> dict[str, Any]:
    return {"before": text[max(0, start - CONTEXT_CHARS):start], "span": text[start:end],
            "after": text[end:end + CONTEXT_CHARS]}


def write_todo(path: Path, todo: Sequence[Finding], analysis: Any) -> None:
    documents = {d.id: d for d in analysis.documents}
    with path.open("w", encoding="utf-8") as out:
        for finding in todo:
            spans = [{"doc": doc, "start": start, "end": end,
                      "outlet": documents[doc].outlet if doc in documents else None,
                      "published": documents[doc].published if doc in documents else None,
                      **_context(documents[doc].text if doc in documents else "", start, end)}
                     for doc, start, end in finding.spans]
            out.write(json.dumps({"key": finding.key, "kind": finding.kind,
                                  "story": finding.story, "section": finding.section,
                                  "explanation": finding.explanation, "spans": spans},
                                 ensure_ascii=False) + "\n")


def write_findings(path: Path, findings: Sequence[Finding], analysis: Any,
                   judgments: Judgments) -> None:
    """Every finding with its score, the ECB+ records of its spans (their topics say odd or
    even: a rule is chosen on one and checked on the other) and its verdict when judged."""
    records = {d.id: d.source_key.partition(":")[2] for d in analysis.documents}
    with path.open("w", encoding="utf-8") as out:
        for finding in sorted(findings, key=lambda f: f.key):
            row = judgments.find(finding)
            out.write(json.dumps({
                "key": finding.key, "kind": finding.kind, "story": finding.story,
                "score": finding.score, "section": finding.section,
                "records": sorted({records.get(doc, "") for doc, _, _ in finding.spans}),
                "verdict": row["verdict"] if row else None,
                "reason": row.get("reason") if row else None,
                "explanation": finding.explanation}, ensure_ascii=False) + "\n")


def write_documents(folder: Path, analysis: Any) -> None:
    """Each document's cleaned text, for judges who read a finding in its whole article."""
    folder.mkdir(parents=True, exist_ok=True)
    for document in analysis.documents:
        (folder / f"{document.id}.txt").write_text(
            f"outlet: {document.outlet}\npublished: {document.published}\n"
            f"title: {document.title}\n\n{document.text}", encoding="utf-8")


def _print_table(figures: dict[str, Any]) -> None:
    print(f"{'kind':24}{'reported':>9}{'judged':>8}{'right':>7}{'debat':>7}{'wrong':>7}"
          f"{'prec':>7}{'todo':>6}{'guard':>7}", file=sys.stderr)
    for kind, row in figures.items():
        right = row.get("right", row.get("true", 0))
        debatable = row.get("debatable", row.get("misleading", 0))
        todo = row["sample"] - row["sample_judged"]
        print(f"{kind:24}{row['reported']:>9}{row['judged']:>8}{right:>7}{debatable:>7}"
              f"{row['wrong']:>7}{row['precision'] if row['precision'] is not None else '-':>7}"
              f"{todo:>6}{row['recall_guard'] if row['recall_guard'] is not None else '-':>7}",
              file=sys.stderr)


def flat_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """`kind.figure` names, as bench/floors.json records them."""
    return {f"{kind}.{name}": value for kind, row in figures.items() for name, value in row.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", type=Path, help="ECB+ docs.jsonl (topics 1-35 are read)")
    parser.add_argument("--topics", choices=("all", "odd", "even"), default="all")
    parser.add_argument("--report-topics", choices=("all", "odd", "even"), default="all",
                        help="report only the stories of odd or even topics (same store)")
    parser.add_argument("--cache", type=Path, help="folder to keep the ingested store in")
    parser.add_argument("--judgments", type=Path,
                        default=Path(__file__).parent / "judgments",
                        help="folder of *.jsonl judgment files (default: bench/judgments)")
    parser.add_argument("--todo", type=Path,
                        help="write the sampled findings not yet judged here (holds article text)")
    parser.add_argument("--documents", type=Path,
                        help="write every document's cleaned text into this folder, for judges")
    parser.add_argument("--findings", type=Path,
                        help="write every finding (key, kind, story, score, records, verdict "
                             "when judged, explanation) here")
    parser.add_argument("--floors", type=Path, help="JSON file of recorded floors to gate on")
    args = parser.parse_args(argv)
    if not args.records.is_file():
        parser.error(f"{args.records}: no such file")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    records = read_records(args.records, args.topics)
    judgments = Judgments.load(args.judgments)
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        analysis, timings = run_pipeline(args.records, records, cache, args.report_topics)
    findings = findings_of(analysis)
    figures, todo = score(findings, judgments)
    if args.todo:
        write_todo(args.todo, todo, analysis)
    if args.documents:
        write_documents(args.documents, analysis)
    if args.findings:
        write_findings(args.findings, findings, analysis, judgments)
    _print_table(figures)
    summary = {"topics": args.topics, "report_topics": args.report_topics, "documents": len(analysis.documents),
               "stories": len(analysis.stories), "findings": len(findings),
               "judgments": len(judgments.rows), "todo": len(todo), **timings,
               "kinds": figures}
    print(json.dumps(summary))
    if args.floors:
        return exit_code(below_floors(flat_figures(figures), args.floors, "relations"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
