"""Score attribution (who said what) on data in PolNeAR's layout.

    python bench/attribution.py ../shared/eval/polnear/dev [--limit N] [--predictions OUT.jsonl]
                                [--floors bench/floors.json] [--span-model FILE] [--nouns]

`DIR/text/NAME.txt` is an article, `DIR/attributions/NAME_ANNOTATOR.ann` its brat standoff
annotation (`T` lines ``Source|Cue|Content|Attribution START END[;START END] text``, `E` lines
tying one Source, Cue and Content into an attribution); where an article has several annotators'
files the first in sorted order is the gold. Each text is parsed as it is (no cleaning: the
offsets point into the raw file) and goes through `entities.extract_mentions` and
`attribution.extract_attributions`.

Scoring. Tokens are runs of word characters, taken by position in the text. A predicted span
matches a gold span when they share at least half the tokens of the longer one (every role);
pairs are matched one to one, best overlap first. Per role (content, source, cue): precision,
recall and F1, overlap and exact: `*_f1_exact` counts a span as right only when it covers exactly
the gold tokens (quote marks and punctuation at the ends do not count). An attribution is right when its
content matches and its source matches (where the gold has no source, any speaker counts);
`source_accuracy` is the share of matched contents whose source is right;
`attribution_f1_exact` asks both content and source to be exact. A quote that we split
around its cue (two attributions sharing one cue span) is scored as one attribution with a
discontinuous content, as PolNeAR annotates it (a partial quote inside the reported clause that
shares its cue is left out: the clause already holds its words).

Prints a progress line and a per-role table on stderr (--predictions writes every prediction and
every missed gold attribution, for error analysis), and one JSON line last on stdout. With --floors, exits 1 when a figure falls below its floor under
the key `polnear_dev` (or --floors-key).
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gate import below_floors, exit_code  # bench/gate.py, beside this script

_WORD = re.compile(r"\w+")
Fragments = tuple[tuple[int, int], ...]


# ---------------------------------------------------------------------------------------------
# Gold


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    content: Fragments | None
    source: Fragments | None
    cue: Fragments | None


def parse_ann(text: str) -> list[GoldAttribution]:
    """The attributions of one brat standoff file (E lines whose type starts "Attribution")."""
    spans: dict[str, Fragments] = {}
    events: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            label_and_offsets = parts[1].split(" ", 1)
            if len(label_and_offsets) < 2:
                continue
            fragments = []
            for piece in label_and_offsets[1].split(";"):
                start, end = piece.split()
                fragments.append((int(start), int(end)))
            spans[parts[0]] = tuple(fragments)
        elif line.startswith("E"):
            parts = line.split("\t")
            if len(parts) >= 2:
                events.append(parts[1].split())
    found = []
    for args in events:
        if not args or not args[0].startswith("Attribution"):
            continue
        roles: dict[str, Fragments] = {}
        for arg in args[1:]:
            role, _, ref = arg.partition(":")
            role = role.rstrip("0123456789")  # brat numbers repeated roles: Content2
            if role in ("Content", "Source", "Cue") and ref in spans and role not in roles:
                roles[role] = spans[ref]
        found.append(GoldAttribution(roles.get("Content"), roles.get("Source"), roles.get("Cue")))
    return found


def load_articles(root: Path, limit: int | None = None) -> list[tuple[str, Path, Path]]:
    """(name, text path, gold .ann path) for each article with a gold file, sorted by name."""
    texts = sorted((root / "text").glob("*.txt"))
    ann_files = sorted((root / "attributions").glob("*.ann"))
    articles = []
    for text in texts:
        prefix = text.stem + "_"
        ann = next((a for a in ann_files if a.name.startswith(prefix)
                    and "_" not in a.stem[len(prefix):]), None)
        if ann is not None:
            articles.append((text.stem, text, ann))
    return articles[:limit] if limit else articles


# ---------------------------------------------------------------------------------------------
# Matching


class Tokens:
    """The word tokens of one text, by position."""

    def __init__(self, text: str) -> None:
        matches = list(_WORD.finditer(text))
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]

    def of(self, fragments: Fragments | None) -> frozenset[int]:
        """Indices of the tokens a span touches."""
        if not fragments:
            return frozenset()
        found: set[int] = set()
        for start, end in fragments:
            first = bisect.bisect_right(self.ends, start)  # first token ending after start
            last = bisect.bisect_left(self.starts, end)  # tokens starting before end
            found.update(range(first, last))
        return frozenset(found)


def overlap(a: frozenset[int], b: frozenset[int]) -> float:
    """Shared tokens over the longer span's tokens (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / max(len(a), len(b))


def spans_match(a: frozenset[int], b: frozenset[int]) -> bool:
    """At least half of the longer span's tokens are shared."""
    return bool(a and b) and 2 * len(a & b) >= max(len(a), len(b))


def match_one_to_one(
    predicted: Sequence[frozenset[int]], gold: Sequence[frozenset[int]]
) -> dict[int, int]:
    """Predicted index -> gold index, each used once, best overlap first."""
    pairs = []
    for p, pred in enumerate(predicted):
        for g, want in enumerate(gold):
            if spans_match(pred, want):
                pairs.append((-overlap(pred, want), p, g))
    pairs.sort()
    taken_p: set[int] = set()
    taken_g: set[int] = set()
    matched = {}
    for _, p, g in pairs:
        if p not in taken_p and g not in taken_g:
            matched[p] = g
            taken_p.add(p)
            taken_g.add(g)
    return matched


@dataclass(slots=True)
class Count:
    """True positives against the predicted and gold totals."""

    right: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, right: int, predicted: int, gold: int) -> None:
        self.right += right
        self.predicted += predicted
        self.gold += gold

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.predicted + self.gold
        return 2 * self.right / total if total else 0.0


@dataclass(frozen=True, slots=True)
class Predicted:
    content: Fragments
    source: Fragments | None
    cue: Fragments | None
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Score:
    content: Count = field(default_factory=Count)
    content_exact: Count = field(default_factory=Count)
    source: Count = field(default_factory=Count)
    source_exact: Count = field(default_factory=Count)
    cue: Count = field(default_factory=Count)
    cue_exact: Count = field(default_factory=Count)
    attribution: Count = field(default_factory=Count)
    attribution_exact: Count = field(default_factory=Count)
    source_right: int = 0
    contents_matched: int = 0

    def figures(self) -> dict[str, Any]:
        return {
            "content_f1": round(self.content.f1, 4),
            "content_f1_exact": round(self.content_exact.f1, 4),
            "source_f1": round(self.source.f1, 4),
            "source_f1_exact": round(self.source_exact.f1, 4),
            "cue_f1": round(self.cue.f1, 4),
            "cue_f1_exact": round(self.cue_exact.f1, 4),
            "attribution_f1": round(self.attribution.f1, 4),
            "attribution_f1_exact": round(self.attribution_exact.f1, 4),
            "source_accuracy": round(self.source_right / self.contents_matched, 4)
            if self.contents_matched else 0.0,
            "n_gold": self.attribution.gold,
            "n_pred": self.attribution.predicted,
        }

    def table(self) -> str:
        rows = [("content", self.content), ("content exact", self.content_exact),
                ("source", self.source), ("source exact", self.source_exact),
                ("cue", self.cue), ("cue exact", self.cue_exact),
                ("attribution", self.attribution), ("attrib. exact", self.attribution_exact)]
        lines = [f"{'role':<14} {'P':>6} {'R':>6} {'F1':>6} {'right':>6} {'pred':>6} {'gold':>6}"]
        for name, count in rows:
            lines.append(f"{name:<14} {count.precision:6.3f} {count.recall:6.3f} {count.f1:6.3f} "
                         f"{count.right:6d} {count.predicted:6d} {count.gold:6d}")
        return "\n".join(lines)


def _unique(spans: Iterable[frozenset[int]]) -> list[frozenset[int]]:
    return list(dict.fromkeys(s for s in spans if s))


def score_article(
    text: str, gold: Sequence[GoldAttribution], predicted: Sequence[Predicted], score: Score
) -> list[dict[str, Any]]:
    """Add one article's counts to `score`; return a record per prediction and per missed gold."""
    tokens = Tokens(text)
    gold_content = [tokens.of(g.content) for g in gold]
    pred_content = [tokens.of(p.content) for p in predicted]
    matched = match_one_to_one(pred_content, gold_content)
    score.content.add(len(matched), len(predicted), len(gold))
    exact = sum(1 for p, g in matched.items() if pred_content[p] == gold_content[g])
    score.content_exact.add(exact, len(predicted), len(gold))
    records = []
    right = exact_right = 0
    for p, pred in enumerate(predicted):
        record: dict[str, Any] = {**pred.info, "content": [list(f) for f in pred.content],
                                  "cue": _texts(text, pred.cue),
                                  "content_text": " … ".join(text[s:e] for s, e in pred.content)}
        g = matched.get(p)
        if g is None:
            record["result"] = "spurious"
        else:
            want = gold[g]
            source_ok = want.source is None or spans_match(tokens.of(pred.source),
                                                           tokens.of(want.source))
            score.contents_matched += 1
            score.source_right += source_ok
            right += source_ok
            exact_right += source_ok and pred_content[p] == gold_content[g] and (
                want.source is None or tokens.of(pred.source) == tokens.of(want.source))
            record["result"] = "right" if source_ok else "wrong_source"
            record["gold_content"] = _texts(text, want.content)
            record["gold_source"] = _texts(text, want.source)
            record["gold_cue"] = _texts(text, want.cue)
        records.append(record)
    score.attribution.add(right, len(predicted), len(gold))
    score.attribution_exact.add(exact_right, len(predicted), len(gold))
    found = set(matched.values())
    for g, want in enumerate(gold):
        if g not in found:
            records.append({"result": "missed", "gold_content": _texts(text, want.content),
                            "gold_source": _texts(text, want.source),
                            "gold_cue": _texts(text, want.cue),
                            "gold_offsets": [list(f) for f in want.content or ()],
                            "gold_cue_offsets": [list(f) for f in want.cue or ()]})
    for role in ("source", "cue"):
        gold_spans = _unique(tokens.of(getattr(g, role)) for g in gold)
        pred_spans = _unique(tokens.of(getattr(p, role)) for p in predicted)
        hits = match_one_to_one(pred_spans, gold_spans)
        getattr(score, role).add(len(hits), len(pred_spans), len(gold_spans))
        exact = sum(1 for p, g in hits.items() if pred_spans[p] == gold_spans[g])
        getattr(score, f"{role}_exact").add(exact, len(pred_spans), len(gold_spans))
    return records


def _texts(text: str, fragments: Fragments | None) -> str | None:
    return None if fragments is None else " … ".join(text[s:e] for s, e in fragments)


# ---------------------------------------------------------------------------------------------
# The pipeline


def predictions_for(attributions: Iterable[Any]) -> list[Predicted]:
    """Our attributions as PolNeAR sees them: contents sharing one cue form one attribution."""
    groups: dict[Any, list[Any]] = {}
    for attribution in attributions:
        key = (attribution.cue.start, attribution.cue.end) if attribution.cue else attribution.id
        groups.setdefault(key, []).append(attribution)
    found = []
    for members in groups.values():
        # A partial quote inside the reported clause it belongs to is the same words again.
        members = [a for a in members if not any(
            b is not a and b.content.contains(a.content) and b.content != a.content
            for b in members)] or members
        first = members[0]
        content = tuple(sorted({(a.content.start, a.content.end) for a in members}))
        speaker = first.speaker.span
        found.append(Predicted(
            content,
            ((speaker.start, speaker.end),) if speaker is not None else None,
            ((first.cue.start, first.cue.end),) if first.cue else None,
            {"kind": first.kind, "stance": first.stance, "speaker": first.speaker.text,
             "speaker_name": first.speaker.name, "medium": first.medium},
        ))
    return found


def article_documents(articles: Sequence[tuple[str, Path, Path]]) -> list[Any]:
    """One `Document` per article, its text read as it is on disk (the gold offsets count
    every character)."""
    from rashomon.model import Document, OffsetMap, document_id

    documents = []
    for name, text_path, _ in articles:
        # newline="" keeps \r\n as two characters: the gold offsets count them.
        with text_path.open(encoding="utf-8", newline="") as handle:
            text = handle.read()
        key = str(text_path)
        documents.append(Document(
            id=document_id(key, text), source=key, source_key=key, text=text, raw_text=text,
            title=name, offsets=OffsetMap(((0, 0, len(text)),)),
        ))
    return documents


def evaluate(
    root: Path, *, limit: int | None = None, batch: int = 8, span_model: Any = None,
    nouns: bool = False,
) -> tuple[Score, list[dict[str, Any]]]:
    """Score every article of `root`; `span_model` replaces the shipped boundary model;
    `nouns` adds the opt-in noun-cue tagger's attributions."""
    from rashomon.attribution import extract_attributions
    from rashomon.entities import extract_mentions
    from rashomon.nlp import parse

    articles = load_articles(root, limit)
    if not articles:
        raise SystemExit(f"{root}: no text/*.txt with a matching attributions/*.ann")
    documents = article_documents(articles)
    score = Score()
    records: list[dict[str, Any]] = []
    started = time.monotonic()
    for offset in range(0, len(documents), batch):
        chunk = documents[offset : offset + batch]
        for (name, _, ann), (document, parsed) in zip(articles[offset : offset + batch],
                                                      parse(chunk), strict=True):
            mentions = extract_mentions(document, parsed)
            found = extract_attributions(document, parsed, mentions, span_model=span_model,
                                         nouns=nouns)
            gold = parse_ann(ann.read_text(encoding="utf-8"))
            for record in score_article(document.text, gold, predictions_for(found), score):
                records.append({"article": name, **record})
        done = min(offset + batch, len(documents))
        if sys.stderr.isatty() or done == len(documents):  # one line in a CI log
            print(f"\r{done}/{len(documents)} articles, {time.monotonic() - started:.0f}s",
                  end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return score, records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("data", type=Path, help="folder with text/ and attributions/")
    parser.add_argument("--limit", type=int, help="score only the first N articles")
    parser.add_argument("--predictions", type=Path,
                        help="write one JSON line per prediction and per missed gold attribution")
    parser.add_argument("--floors", type=Path, help="JSON file of recorded floors to gate on")
    parser.add_argument("--floors-key", default="polnear_dev",
                        help="key of the floors in that file (default: polnear_dev)")
    parser.add_argument("--span-model", type=Path,
                        help="a boundary model JSON to use instead of the shipped one (e.g. "
                        "src/rashomon/data/attribution_spans_contextual.json)")
    parser.add_argument("--nouns", action="store_true",
                        help="add the opt-in noun-cue tagger's attributions (nouns=True)")
    args = parser.parse_args(argv)
    if not (args.data / "text").is_dir() or not (args.data / "attributions").is_dir():
        parser.error(f"{args.data}: expected text/ and attributions/ there")
    started = time.monotonic()
    span_model = None
    if args.span_model:
        from rashomon.attribution.spans import load_span_model

        span_model = load_span_model(args.span_model)
        if span_model is None:
            parser.error(f"{args.span_model}: no such file")
    score, records = evaluate(args.data, limit=args.limit, span_model=span_model,
                              nouns=args.nouns)
    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(score.table(), file=sys.stderr)
    print(f"{time.monotonic() - started:.1f}s", file=sys.stderr)
    figures = score.figures()
    failed = below_floors(figures, args.floors, args.floors_key) if args.floors else []
    print(json.dumps(figures))
    return exit_code(failed)


if __name__ == "__main__":
    sys.exit(main())
