"""A trained boundary model: where each content the rules found starts and ends.

The rules find most of PolNeAR's contents (half-token overlap) but miss the exact words of about
a quarter of those they find: "about" or "to" kept before a reported object ("expressed concern
| about the plan"), a frame phrase kept after it ("... | in an interview on Sunday"), a clause cut
short by the parse. Those are habits of the annotators that a parse feature shows better than a
rule states them.

For every content the rules or the cue tagger found (but quotations: their marks say where the
words start and end), this step lists the word tokens within
`WINDOW` tokens of each of its two ends (in its paragraph), scores each as the true start (and
each as the true end) with a logistic model over features of the parse (the word, its tag and
dependency, its neighbours, how it hangs from the cue, how far it lies from the rules' bound),
and moves a bound to the model's choice when the model trusts that choice above the rules' own
by the threshold recorded with the weights. Speakers, cues, medium and stance stay the rules'.

A model trained with `--contextual` also weighs what the packaged MiniLM encoder reads at each
token (`contextual`: its state and its neighbour's, frozen, the encoder run only on the
sentences a bound may move in): two vectors of 768 weights added to the parse features' sum.
When that encoder cannot load, such a model moves no bound (the rules' stand).

The model was trained on PolNeAR's training part only (`bench/train_attribution_spans.py`): a
token is labelled 1 when it is the first (or last) word of the gold content that the rules'
content matches. Weights are JSON maps from feature to weight, with the training command, the
data's hash and the held-out figures inside; nothing is fetched at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rashomon.attribution.context import Candidate, Context, inside_quote
from rashomon.attribution.finders.reported import char_bounds
from rashomon.attribution.tagger import Logistic

if TYPE_CHECKING:
    from spacy.tokens import Token

    from rashomon.attribution.contextual import TokenStates

__all__ = [
    "CONTEXTUAL_SPAN_MODEL_PATH", "DEFAULT_SPAN_MODEL_PATH", "SpanModel", "WINDOW", "bound_options", "context_indices",
    "end_features", "end_vector", "load_span_model", "options", "refinable", "refine",
    "start_features", "start_vector", "word_bounds",
]

DEFAULT_SPAN_MODEL_PATH = (
    Path(__file__).resolve().parent.parent / "data" / "attribution_spans.json"
)
# The same model with MiniLM's states beside the parse features (`--contextual`): not the
# default, since on PolNeAR dev it costs one right source (a gated floor); pass it as
# `span_model=load_span_model(CONTEXTUAL_SPAN_MODEL_PATH)` or to `bench/attribution.py
# --span-model`.
CONTEXTUAL_SPAN_MODEL_PATH = DEFAULT_SPAN_MODEL_PATH.with_name(
    "attribution_spans_contextual.json")

# How far from the rules' bound a bound may move, in tokens: on PolNeAR's training part 93% of
# the contents found whose bounds are wrong have both true bounds this close.
WINDOW = 12


@dataclass(frozen=True, slots=True)
class SpanModel:
    """`start` and `end` score a token as the first or last word of a content; a bound moves
    when the best token beats the rules' token by at least `margin` in probability.
    `meta`: how it was trained (command, data and its hash, held-out figures)."""

    start: Logistic
    end: Logistic
    margin: float
    meta: dict[str, Any] = field(default_factory=dict)
    # Weights over the MiniLM states (`start_vector`, `end_vector`) added to the feature
    # weights' sum, or None for a model of parse features only.
    start_context: np.ndarray | None = field(default=None, compare=False)
    end_context: np.ndarray | None = field(default=None, compare=False)

    @property
    def contextual(self) -> bool:
        return self.start_context is not None and self.end_context is not None

    def to_json(self) -> dict[str, Any]:
        data = {"start": self.start.to_json(), "end": self.end.to_json(),
                "margin": self.margin, "meta": self.meta}
        if self.start_context is not None and self.end_context is not None:
            data["start_context"] = [round(float(w), 5) for w in self.start_context]
            data["end_context"] = [round(float(w), 5) for w in self.end_context]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SpanModel:
        contexts = [np.asarray(data[key], dtype=np.float32) if key in data else None
                    for key in ("start_context", "end_context")]
        return cls(Logistic.from_json(data["start"]), Logistic.from_json(data["end"]),
                   float(data["margin"]), dict(data.get("meta", {})), *contexts)


@cache
def load_span_model(path: Path = DEFAULT_SPAN_MODEL_PATH) -> SpanModel | None:
    """The shipped model, or None when the file is absent (the rules' bounds then stand)."""
    if not path.is_file():
        return None
    return SpanModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def _is_word(token: Token) -> bool:
    return not token.is_space and any(ch.isalnum() or ch == "_" for ch in token.text)


def word_bounds(ctx: Context, content: tuple[int, int]) -> tuple[int, int] | None:
    """Indices of the first and last tokens holding a word inside a character span."""
    span = ctx.parsed.char_span(*content, alignment_mode="expand")
    if span is None:
        return None
    words = [t.i for t in span if _is_word(t)]
    return (words[0], words[-1]) if words else None


def options(ctx: Context, anchor: int, low: int, high: int) -> list[int]:
    """Word tokens from `low` to `high` (clipped to the document) in `anchor`'s paragraph."""
    doc = ctx.parsed
    paragraph = ctx.paragraph_of(doc[anchor].idx)
    return [i for i in range(max(0, low), min(len(doc) - 1, high) + 1)
            if _is_word(doc[i]) and ctx.paragraph_of(doc[i].idx) == paragraph]


def _distance(offset: int) -> str:
    if abs(offset) <= 3:
        return str(offset)
    bucket = "4-6" if abs(offset) <= 6 else "7+"
    return ("-" if offset < 0 else "+") + bucket


def _shared(token: Token, cue: Token | None, kind: str, offset: int) -> list[str]:
    """What a start and an end feature set both hold: the token, its offset, the cue."""
    distance = _distance(offset)
    features = [
        "d=" + distance, "kind=" + kind, "kind_d=" + kind + "|" + distance,
        "w=" + token.lower_, "pos=" + token.pos_, "tag=" + token.tag_, "dep=" + token.dep_,
        "dep_head=" + token.dep_ + "|" + token.head.pos_,
    ]
    if cue is None:
        features.append("cue=none")
        return features
    side = "after" if token.i > cue.i else "before"
    features.append("cue_side=" + side)
    features.append("cue_d=" + _distance(token.i - cue.i))
    if token.head.i == cue.i:
        features.append("head_is_cue|" + token.dep_)
    if cue.is_ancestor(token):
        features.append("under_cue")
    return features


def start_features(
    ctx: Context, token: Token, rule: int, cue: Token | None, kind: str
) -> list[str]:
    """Named features of `token` as the first word of a content whose rules' start is `rule`."""
    doc = ctx.parsed
    features = _shared(token, cue, kind, token.i - rule)
    before = doc[token.i - 1] if token.i > 0 else None
    if before is None or "\n" in before.text or token.is_sent_start:
        features.append("opens_sentence")
    if before is not None:
        features += ["prev=" + before.lower_, "prev_pos=" + before.pos_,
                     "prev_pos_pos=" + before.pos_ + "|" + token.pos_,
                     "prev_w=" + before.lower_ + "|" + token.lower_]
    if token.left_edge.i == token.i:
        features.append("own_left_edge")
    if token.head.left_edge.i == token.i:
        features.append("head_left_edge|" + token.head.dep_)
    if cue is not None:
        for child in cue.children:
            if child.left_edge.i == token.i:
                features.append("opens_cue_child=" + child.dep_)
        if token.i == cue.i + 1:
            features.append("right_after_cue")
    features.append("in_quote=" + str(inside_quote(ctx, token)))
    return features


def end_features(
    ctx: Context, token: Token, rule: int, cue: Token | None, kind: str
) -> list[str]:
    """Named features of `token` as the last word of a content whose rules' end is `rule`."""
    doc = ctx.parsed
    features = _shared(token, cue, kind, token.i - rule)
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if after is None or "\n" in after.text or after.is_sent_start:
        features.append("closes_sentence")
    if after is not None:
        features += ["next=" + after.lower_, "next_pos=" + after.pos_,
                     "next_dep=" + after.dep_, "pos_next_pos=" + token.pos_ + "|" + after.pos_,
                     "w_next=" + token.lower_ + "|" + after.lower_]
        following = doc[after.i + 1] if after.i + 1 < len(doc) else None
        if after.is_punct and following is not None:
            features.append("next2=" + after.lower_ + "|" + following.lower_)
    if token.right_edge.i == token.i:
        features.append("own_right_edge")
    if token.head.right_edge.i == token.i:
        features.append("head_right_edge|" + token.head.dep_)
    if cue is not None:
        for child in cue.children:
            if child.right_edge.i == token.i:
                features.append("closes_cue_child=" + child.dep_)
    features.append("in_quote=" + str(inside_quote(ctx, token)))
    return features


def start_vector(states: TokenStates, i: int) -> np.ndarray:
    """MiniLM's view of token i as a first word: its state and the state of the token before."""
    return np.concatenate([states.of(i), states.of(i - 1)])


def end_vector(states: TokenStates, i: int) -> np.ndarray:
    """MiniLM's view of token i as a last word: its state and the state of the token after."""
    return np.concatenate([states.of(i), states.of(i + 1)])


def _probability(model: Logistic, features: Sequence[str], context: float) -> float:
    total = model.bias + sum(model.weights.get(f, 0.0) for f in features) + context
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))


def _best(
    model: Logistic, scored: Sequence[tuple[int, list[str], float]], rule: int, margin: float
) -> int:
    """The token the model trusts above the rules' own by `margin`, else the rules' token.
    Each scored token: its index, its features and what its MiniLM state adds (0 without)."""
    probabilities = {i: _probability(model, features, context)
                     for i, features, context in scored}
    choice = max(probabilities, key=lambda i: (probabilities[i], -abs(i - rule)))
    if choice != rule and probabilities[choice] - probabilities.get(rule, 0.0) >= margin:
        return choice
    return rule


def refinable(candidate: Candidate) -> bool:
    """Whether the model may move a candidate's bounds: not a quotation's, whose marks say
    where the words start and end. (PolNeAR takes a partial quote's whole clause, which the
    reported-speech candidate already holds; the quote stays its own attribution, and the
    seeds' quotes, variants and media hang on its exact words.)"""
    return candidate.quote is None


Bounds = tuple[int, int, list[int], list[int]]


def bound_options(ctx: Context, candidate: Candidate) -> Bounds | None:
    """The rules' first and last word of a candidate's content, and the tokens the model weighs
    as its first and as its last word; None when the content holds no word."""
    bounds = word_bounds(ctx, candidate.content)
    if bounds is None:
        return None
    first, last = bounds
    return (first, last, options(ctx, first, first - WINDOW, min(last, first + WINDOW)),
            options(ctx, last, max(first, last - WINDOW), last + WINDOW))


def context_indices(found: Sequence[Bounds]) -> set[int]:
    """Every token whose MiniLM state `start_vector` and `end_vector` read for these bounds."""
    indices: set[int] = set()
    for _, _, starts, ends in found:
        for i in (*starts, *ends):
            indices.update((i - 1, i, i + 1))
    return indices


def refine(ctx: Context, candidates: Sequence[Candidate], model: SpanModel) -> None:
    """Move each candidate's content bounds where the model is sure the rules' are wrong.
    A model with MiniLM weights whose encoder cannot load leaves every bound alone."""
    doc = ctx.parsed
    found = [(c, bound_options(ctx, c)) for c in candidates if refinable(c)]
    moving = [(c, b) for c, b in found if b is not None]
    states = None
    if model.contextual and moving:
        from rashomon.attribution.contextual import load_encoder, token_states

        encoder = load_encoder()
        if encoder is None:
            return
        states = token_states(ctx, context_indices([b for _, b in moving]), encoder)
    for candidate, (first, last, start_options, end_options) in moving:
        cue, kind = candidate.cue_token, candidate.kind
        starts = [(i, start_features(ctx, doc[i], first, cue, kind),
                   _context(model.start_context, states, start_vector, i))
                  for i in start_options]
        ends = [(i, end_features(ctx, doc[i], last, cue, kind),
                 _context(model.end_context, states, end_vector, i))
                for i in end_options]
        new_first = _best(model.start, starts, first, model.margin)
        new_last = _best(model.end, ends, last, model.margin)
        if (new_first, new_last) == (first, last) or new_first > new_last:
            continue
        if cue is not None and new_first <= cue.i <= new_last and not (
                first <= cue.i <= last):
            continue  # a content never swallows its own cue
        chars = char_bounds(ctx, new_first, new_last)
        if chars is None:
            continue
        # A bound the model leaves keeps the rules' characters (their quote marks, their trim).
        start = candidate.content[0] if new_first == first else chars[0]
        end = candidate.content[1] if new_last == last else chars[1]
        if start < end:
            candidate.content = (start, end)


def _context(
    weights: np.ndarray | None, states: TokenStates | None,
    vector: Callable[[TokenStates, int], np.ndarray], i: int,
) -> float:
    """What token i's MiniLM view adds to its score (0 for a model of parse features only)."""
    if weights is None or states is None:
        return 0.0
    return float(weights @ vector(states, i))
