"""Learn the verb cues the lexicon lacks from PolNeAR's training part (and nothing else).

    python bench/train_attribution_cues.py ../shared/eval/polnear/train \
        --out src/rashomon/data/attribution_cues.json [--parses /tmp/polnear_train.spacy]

Parses DIR (PolNeAR's layout, as `bench/attribution.py` reads it; --parses keeps the parses in
a spaCy DocBin outside the repository, as `bench/train_attribution_spans.py` does). For every
verb that takes a clause (a `ccomp` child) and is not in the hand lexicon
(`rashomon.attribution.cues.HAND_CUES`), counts per lemma how often the verb lies in a gold cue
of an attribution with a content ("gold") and how often it does not ("other"). A lemma is kept
when it is a gold cue at least MIN_COUNT times and PRECISION = gold / (gold + other) is at
least MIN_PRECISION: a verb PolNeAR's annotators mark in most of its uses with a clause is
reporting, one they mark now and then is mostly a deed.

The pair (MIN_COUNT, MIN_PRECISION) is chosen on the last fifth of the articles with counts
from the rest: the whole stage as shipped (rules, cue tagger, boundary model) is scored there
with each pair's list, and the pair kept is the strictest (highest precision, then count) whose
content F1 is within CLOSE_ENOUGH of the best and whose attribution F1 is above the hand
lexicon's (a list so strict that it adds nothing the tagger does not already find is no list),
since a cue that is not speech makes wrong findings downstream. Then the lemmas are counted on every article and written as JSON, with
this command, the data's hash, the pair and the held-out figures inside. Sorted inputs, no
randomness: the same data gives the same file. The dev and test parts are never read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from attribution import (  # bench/attribution.py, beside this script
    Score,
    predictions_for,
    score_article,
)
from train_attribution_spans import parsed_articles  # beside this script

HELD_OUT = 0.2
MIN_COUNTS = (3, 5, 10)
MIN_PRECISIONS = (0.5, 0.6, 0.7, 0.8)
# The pair kept is the strictest whose held-out content F1 is this close to the best one.
CLOSE_ENOUGH = 0.002

Counts = dict[str, tuple[int, int]]


def lemma_counts(rows: Sequence[Any]) -> Counts:
    """(gold, other) per lemma of a verb that takes a clause and the hand lexicon lacks."""
    from rashomon.attribution.cues import HAND_CUES, cue_for, use_cues

    use_cues(HAND_CUES)
    gold: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for _, _, parsed, _, attributions in rows:
        cues = [f for a in attributions if a.cue is not None and a.content is not None
                for f in a.cue]
        for token in parsed:
            if token.pos_ != "VERB" or not any(c.dep_ == "ccomp" for c in token.children):
                continue
            if cue_for(token) is not None:
                continue
            lemma = token.lemma_.lower()
            if any(start <= token.idx < end for start, end in cues):
                gold[lemma] += 1
            else:
                other[lemma] += 1
    return {lemma: (gold[lemma], other[lemma]) for lemma in sorted(gold)}


def kept(counts: Counts, min_count: int, min_precision: float) -> list[str]:
    """The lemmas gold often and precisely enough, sorted."""
    return sorted(lemma for lemma, (gold, other) in counts.items()
                  if gold >= min_count and gold / (gold + other) >= min_precision)


def stage_score(rows: Sequence[Any], lemmas: Sequence[str]) -> dict[str, Any]:
    """The whole stage (rules, tagger, boundary model) on `rows` with `lemmas` as learned cues."""
    from rashomon.attribution import extract_attributions
    from rashomon.attribution.cues import HAND_CUES, Cue, use_cues

    use_cues([*HAND_CUES, *(Cue(lemma, "assertion", clause_only=True) for lemma in lemmas)])
    score = Score()
    for _, document, parsed, mentions, gold in rows:
        found = extract_attributions(document, parsed, mentions)
        score_article(document.text, gold, predictions_for(found), score)
    return score.figures()


def choose(rows: Sequence[Any]) -> tuple[tuple[int, float], dict[str, Any]]:
    """The pair chosen on the last fifth, and what was tried there."""
    cut = len(rows) - max(1, int(len(rows) * HELD_OUT))
    counts = lemma_counts(rows[:cut])
    held_out = rows[cut:]
    lexicon_only = stage_score(held_out, [])
    print(f"hand lexicon: {json.dumps(lexicon_only)}", file=sys.stderr)
    tried: dict[tuple[int, float], dict[str, Any]] = {}
    for min_count in MIN_COUNTS:
        for min_precision in MIN_PRECISIONS:
            lemmas = kept(counts, min_count, min_precision)
            tried[min_count, min_precision] = {"lemmas": len(lemmas),
                                               **stage_score(held_out, lemmas)}
            print(f"{min_count} {min_precision}: {json.dumps(tried[min_count, min_precision])}",
                  file=sys.stderr)
    top = max(figures["content_f1"] for figures in tried.values())
    adding = [pair for pair, figures in tried.items()
              if figures["content_f1"] >= top - CLOSE_ENOUGH
              and figures["attribution_f1"] > lexicon_only["attribution_f1"]]
    if not adding:
        raise SystemExit("no list of learned cues does better than the hand lexicon")
    best = max(adding, key=lambda pair: (pair[1], pair[0]))
    return best, {"articles": len(held_out), "hand_lexicon": lexicon_only,
                  "learned": tried[best],
                  "tried": {f"{c} {p}": f for (c, p), f in sorted(tried.items())}}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("data", type=Path, help="PolNeAR train: a folder with text/ and "
                        "attributions/")
    parser.add_argument("--out", type=Path, required=True, help="where to write the cue JSON")
    parser.add_argument("--parses", type=Path,
                        help="a spaCy DocBin of the parses: read when present, else written")
    args = parser.parse_args(argv)
    if "dev" in args.data.parts or "test" in args.data.parts:
        parser.error(f"{args.data}: train on PolNeAR's training part only")

    import torch

    torch.set_num_threads(1)  # a shared machine
    started = time.perf_counter()
    rows, digest = parsed_articles(args.data, args.parses)
    print(f"parsed {len(rows)} articles in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    (min_count, min_precision), held_out = choose(rows)
    counts = lemma_counts(rows)
    lemmas = kept(counts, min_count, min_precision)
    data = {
        "verbs": {lemma: list(counts[lemma]) for lemma in lemmas},
        "meta": {
            "command": "python bench/train_attribution_cues.py DIR --out PATH",
            "data": args.data.name, "data_sha256": digest, "articles": len(rows),
            "counted": "verbs with a ccomp child outside the hand lexicon: [gold cue, other]",
            "min_count": min_count, "min_precision": min_precision, "held_out": held_out,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(lemmas)} verbs (at least {min_count} gold, precision "
          f"{min_precision}) in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.exit(main())
