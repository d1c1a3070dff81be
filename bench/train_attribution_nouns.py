"""Train the noun-cue tagger ("his call to ...", "Silva's claim that ...") on PolNeAR train only.

    python bench/train_attribution_nouns.py ../shared/eval/polnear/train \
        --out src/rashomon/data/attribution_nouns.json [--parses /tmp/polnear_train.spacy]

Parses DIR (PolNeAR's layout, as `bench/attribution.py` reads it; --parses keeps the parses in
a spaCy DocBin outside the repository, as the other trainers do), runs the rules and the shipped
verb tagger, and for every noun the noun tagger could propose
(`rashomon.attribution.nouns.noun_proposals`, nouns the rules left alone that name their holder)
records its features and a label: 1 when the noun lies in a gold cue, the content built for it
matches that cue's gold content and the words naming its holder match the gold source (at least
half the tokens of the longer span, as the benchmark matches; any source when the gold has
none). A logistic model (scikit-learn, needed to train only) is fitted on the articles but the
last fifth; the threshold is the highest of THRESHOLDS whose attribution F1 of the whole stage
on that last fifth is within CLOSE_ENOUGH of the best, among those that keep its source
accuracy at least the stage's without nouns (precision first); then the model is refitted on
every article and written as JSON, with this command, the data's hash, the threshold and the
held-out figures inside. Sorted inputs and a fixed seed: the same data gives the same file. The
dev and test parts are never read.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from attribution import Score, Tokens, predictions_for, score_article, spans_match  # beside this
from train_attribution import SEED, fit, run_trainer  # bench/train_attribution.py, beside this script

HELD_OUT = 0.2
THRESHOLDS = (0.2, 0.25, 0.3, 0.4, 0.5, 0.7)
# The threshold is the highest whose held-out attribution F1 is this close to the best one (on
# train's last fifth, 3,200 gold attributions, about one and a half right ones): a noun
# proposed for a gain within the noise is a statement a reader may not have asked for.
CLOSE_ENOUGH = 0.0005

Example = tuple[list[str], int]


def _holder_words(proposal: Any) -> tuple[tuple[int, int], ...]:
    """The characters of the words naming the holder, as the source span."""
    words = list(proposal.holder.subtree)
    first, last = words[0], words[-1]
    return ((first.idx, last.idx + len(last)),)


def noun_examples(row: Any) -> list[Example]:
    """(features, label) for each proposal the noun tagger could make in one article."""
    from rashomon.attribution import _resolved_candidates
    from rashomon.attribution.context import context_for
    from rashomon.attribution.nouns import noun_features, noun_proposals
    from rashomon.attribution.tagger import covered, load_model

    _, document, parsed, mentions, gold = row
    ctx = context_for(document, parsed, mentions)
    candidates, _ = _resolved_candidates(ctx, load_model(), None)
    taken, _ = covered(ctx, candidates)
    tokens = Tokens(document.text)
    examples = []
    for token in parsed:
        if token.i in taken:
            continue
        cued = [g for g in gold if g.cue is not None and g.content is not None
                and any(s <= token.idx < e for s, e in g.cue)]
        for proposal in noun_proposals(ctx, token):
            content = tokens.of((proposal.content,))
            source = tokens.of(_holder_words(proposal))
            label = any(spans_match(content, tokens.of(g.content)) and (
                g.source is None or spans_match(source, tokens.of(g.source))) for g in cued)
            examples.append((noun_features(proposal), int(label)))
    return examples


def held_out_score(rows: Sequence[Any], model: Any) -> dict[str, Any]:
    """The whole stage (rules, verb tagger, boundaries, nouns when `model`) on `rows`."""
    from rashomon.attribution import extract_attributions

    score = Score()
    for _, document, parsed, mentions, gold in rows:
        found = extract_attributions(document, parsed, mentions, nouns=model is not None,
                                     noun_model=model)
        score_article(document.text, gold, predictions_for(found), score)
    return score.figures()


def train(rows: Sequence[Any], about: dict[str, Any]) -> Any:
    """Fit on all but the last fifth, choose the threshold there, refit on every article."""
    from rashomon.attribution.nouns import NounModel
    from rashomon.attribution.tagger import Logistic

    nouns = [noun_examples(row) for row in rows]
    cut = len(rows) - max(1, int(len(rows) * HELD_OUT))
    trial = fit([e for article in nouns[:cut] for e in article], 1.0)
    without = held_out_score(rows[cut:], None)
    print(f"without nouns: {json.dumps(without)}", file=sys.stderr)
    tried = {}
    for threshold in THRESHOLDS:
        tried[threshold] = held_out_score(rows[cut:], NounModel(Logistic(
            trial.weights, trial.bias, threshold)))
        print(f"threshold {threshold}: {json.dumps(tried[threshold])}", file=sys.stderr)
    safe = [t for t in THRESHOLDS
            if tried[t]["source_accuracy"] >= without["source_accuracy"]] or [max(THRESHOLDS)]
    top = max(tried[t]["attribution_f1"] for t in safe)
    best = max(t for t in safe if tried[t]["attribution_f1"] >= top - CLOSE_ENOUGH)
    meta = {
        "command": "python bench/train_attribution_nouns.py DIR --out PATH",
        **about,
        "articles": len(rows),
        "noun_examples": sum(len(e) for e in nouns),
        "positives": sum(label for article in nouns for _, label in article),
        "seed": SEED,
        "held_out": {"articles": len(rows) - cut, "without_nouns": without,
                     "with_nouns": tried[best]},
    }
    return NounModel(fit([e for article in nouns for e in article], best), meta)


def main(argv: Sequence[str] | None = None) -> int:
    return run_trainer(__doc__, train, argv)


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.exit(main())
