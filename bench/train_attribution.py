"""Train the cue tagger that adds attributions where the rules plateau (PolNeAR train only).

    python bench/train_attribution.py ../shared/eval/polnear/train \
        --out src/rashomon/data/attribution_tagger.json [--parses /tmp/polnear_train.spacy]

Parses DIR (PolNeAR's layout, as `bench/attribution.py` reads it; --parses keeps the parses in
a spaCy DocBin outside the repository, as `bench/train_attribution_spans.py` does), and for every verb the
tagger could propose (`rashomon.attribution.tagger.verb_proposals`) records its features and a
label: 1 when the verb lies in a gold cue and the content built for it matches that cue's gold
content (at least half the tokens of the longer span, as the benchmark matches). A logistic
model (scikit-learn, needed to train only) is fitted on the articles but the last fifth; the
threshold is the highest within CLOSE_ENOUGH of the best content F1 of rules + tagger on that
last fifth; then the model is refitted on every article and written as JSON, with this command,
the data's hash, the threshold and the held-out figures inside. Sorted inputs and a fixed seed:
the same data gives the same file. The dev and test parts are never read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from attribution import (  # bench/attribution.py, beside this script
    Score,
    Tokens,
    predictions_for,
    score_article,
    spans_match,
)

SEED = 13
HELD_OUT = 0.2
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
# The threshold is the highest whose held-out content F1 is this close to the best one: below
# it PolNeAR rewards verbs of action ("accepted the timetable") that a reader would not call
# a statement, for a gain within the noise.
CLOSE_ENOUGH = 0.005
# Features seen fewer times than this carry noise, not signal, and would bloat the file.
MIN_COUNT = 2
# Inverse L2 strength (scikit-learn's C), chosen on the held-out fifth among 0.25, 0.5, 1.
REGULARISATION = 0.5


def data_digest(articles: Sequence[tuple[str, Path, Path]]) -> str:
    """SHA-256 over every text and gold file, in sorted order."""
    digest = hashlib.sha256()
    for name, text, ann in articles:
        digest.update(name.encode())
        digest.update(text.read_bytes())
        digest.update(ann.read_bytes())
    return digest.hexdigest()


def verb_examples(row: Any) -> list[tuple[list[str], int]]:
    """(features, label) for each proposal the tagger could make in one article: 1 when its
    verb lies in a gold cue whose content matches the proposal's."""
    from rashomon.attribution.context import context_for
    from rashomon.attribution.tagger import verb_features, verb_proposals

    _, document, parsed, mentions, gold = row
    ctx = context_for(document, parsed, mentions)
    tokens = Tokens(document.text)
    examples = []
    for token in parsed:
        cued = [g for g in gold if g.cue is not None and g.content is not None
                and any(s <= token.idx < e for s, e in g.cue)]
        for proposal in verb_proposals(ctx, token):
            content = tokens.of((proposal.content,))
            label = any(spans_match(content, tokens.of(g.content)) for g in cued)
            examples.append((verb_features(proposal), int(label)))
    return examples


def fit(examples: Sequence[tuple[list[str], int]], threshold: float) -> Any:
    """A logistic model over the features seen at least MIN_COUNT times."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from rashomon.attribution.tagger import Logistic

    counts: dict[str, int] = {}
    for features, _ in examples:
        for feature in set(features):
            counts[feature] = counts.get(feature, 0) + 1
    kept = [{f: 1.0 for f in features if counts[f] >= MIN_COUNT} for features, _ in examples]
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(kept)
    labels = [label for _, label in examples]
    model = LogisticRegression(C=REGULARISATION, max_iter=2000, random_state=SEED)
    model.fit(matrix, labels)
    weights = {name: round(float(w), 4) for name, w in
               zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
               if abs(w) >= 1e-3}
    return Logistic(dict(sorted(weights.items())), round(float(model.intercept_[0]), 4),
                    threshold)


def held_out_score(rows: Sequence[Any], model: Any) -> dict[str, Any]:
    """Rules + tagger on `rows`, scored as the benchmark scores."""
    from rashomon.attribution import extract_attributions

    score = Score()
    for _, document, parsed, mentions, gold in rows:
        # Without the boundary model (trained after this one, on its output): the threshold
        # is chosen on the candidates as the rules and the tagger leave them.
        found = extract_attributions(document, parsed, mentions, tagger=model is not None,
                                     model=model, spans=False)
        score_article(document.text, gold, predictions_for(found), score)
    return score.figures()


def main(argv: Sequence[str] | None = None) -> int:
    return run_trainer(__doc__, train, argv)


def run_trainer(doc: str | None, train: Callable[[Sequence[Any], dict[str, Any]], Any],
                argv: Sequence[str] | None) -> int:
    """The command line of a trainer of cue weights (this one's, the noun model's): parse
    PolNeAR train (or read the parses kept), `train`, write the model's JSON."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("data", type=Path, help="PolNeAR train: a folder with text/ and "
                        "attributions/")
    parser.add_argument("--out", type=Path, required=True, help="where to write the model JSON")
    parser.add_argument("--parses", type=Path,
                        help="a spaCy DocBin of the parses: read when present, else written")
    args = parser.parse_args(argv)
    if "dev" in args.data.parts or "test" in args.data.parts:
        parser.error(f"{args.data}: train on PolNeAR's training part only")

    import torch

    torch.set_num_threads(1)  # a shared machine: the parse is the slow part, one thread is fair
    started = time.perf_counter()
    from train_attribution_spans import parsed_articles  # beside this script

    rows, digest = parsed_articles(args.data, args.parses)
    print(f"parsed {len(rows)} articles in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    model = train(rows, {"data": args.data.name, "data_sha256": digest})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(model.to_json(), separators=(",", ":"), sort_keys=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text) // 1024} KB, threshold {model.cue.threshold}) in "
          f"{time.perf_counter() - started:.0f}s", file=sys.stderr)
    return 0


def train(rows: Sequence[Any], about: dict[str, Any]) -> Any:
    """Fit on all but the last fifth, choose the threshold there, refit on every article."""
    from rashomon.attribution.tagger import Logistic, TaggerModel

    verbs = [verb_examples(row) for row in rows]
    cut = len(rows) - max(1, int(len(rows) * HELD_OUT))
    trial = fit([e for article in verbs[:cut] for e in article], 1.0)
    tried = {}
    for threshold in THRESHOLDS:
        model = TaggerModel(Logistic(trial.weights, trial.bias, threshold))
        tried[threshold] = held_out_score(rows[cut:], model)
        print(f"threshold {threshold}: {json.dumps(tried[threshold])}", file=sys.stderr)
    rules = held_out_score(rows[cut:], None)
    print(f"rules alone: {json.dumps(rules)}", file=sys.stderr)
    top = max(tried[t]["content_f1"] for t in THRESHOLDS)
    best = max(t for t in THRESHOLDS if tried[t]["content_f1"] >= top - CLOSE_ENOUGH)
    meta = {
        "command": "python bench/train_attribution.py DIR --out PATH",
        **about,
        "articles": len(rows),
        "verb_examples": sum(len(e) for e in verbs),
        "positives": sum(label for article in verbs for _, label in article),
        "seed": SEED,
        "held_out": {"articles": len(rows) - cut, "rules": rules, "rules_and_tagger": tried[best]},
    }
    model = TaggerModel(fit([e for article in verbs for e in article], best), meta)
    return model


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.exit(main())
