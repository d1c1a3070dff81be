"""Stance: does a text agree with a claim, deny it, only report it, or speak of something else?

The four classes are FNC-1's: ``agree``, ``disagree``, ``discuss``, ``unrelated``. No NLI model
can be had offline, so the stance is read from features we compute ourselves and a small
gradient-boosted classifier trained on labelled pairs (`bench/train_stance.py`):

- ``lexical``: TF-IDF cosine of the claim with the body and with its best-matching sentences,
  word, bigram and idf-weighted coverage of the claim's words, in the body and in its lede;
- ``embedding``: MiniLM cosine of the claim with the body's sentences (best, top three, lede,
  centroid) and where in the body the best match sits;
- ``refute``: refuting and denial words (the cue lexicon's denial verbs among them) in the whole
  body, in the lede and in the sentences that match the claim best, and in the claim itself, so
  that "X is a hoax" agreeing with a body that calls X a hoax can be told from a denial;
- ``polarity``: negation in the claim against negation in its best-matching sentences;
- ``hedge``: hedging and reporting words ("reportedly", "according to", "claims"), question marks
  and quotes: the marks of a body that only reports a claim (``discuss``);
- ``confirm``: words that vouch for a claim ("confirmed", "announced", "revealed");
- ``numbers``: the claim's numbers found or missing in the body.

The body's length is left out on purpose: it let the trees tell FNC-1's bodies apart more than
it told stances apart (cross-validated, it cost 0.4 FNC points), and it would make a short
stored article look unlike anything the model has seen.

A "body" is any text: a news article for the FNC-1 bench, a stored document for
`rashomon check`. Texts come from strangers, so both are bounded (`MAX_BODY_CHARS`,
`MAX_SENTENCES`) before any work.

The model ships as JSON (`data/stance_model.json`): the trees of the classifier as flat arrays,
with the command, data hash and figures of the training run recorded beside them. Prediction is
plain numpy, so scikit-learn is needed to train only.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from rashomon import terms
from rashomon.claims import negation

__all__ = [
    "FEATURE_GROUPS",
    "FEATURE_NAMES",
    "Idf",
    "MAX_BODY_CHARS",
    "MAX_SENTENCES",
    "MODEL_PATH",
    "PreparedText",
    "STANCE_LABELS",
    "StanceModel",
    "document_frequencies",
    "idf_from",
    "lexicons",
    "load_model",
    "pair_features",
    "prepare_text",
    "split_sentences",
    "stem",
    "surface_words",
    "tokens",
    "train_model",
    "with_vectors",
]

STANCE_LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
MODEL_PATH = Path(__file__).parent / "data" / "stance_model.json"

# Beyond a few thousand words an article's stance has long been set; these bound the work one
# stranger's text can cause.
MAX_BODY_CHARS = 30_000
MAX_SENTENCES = 80
MAX_CLAIM_CHARS = 600
# How many of the body's best-matching sentences the local cues are read from.
TOP_SENTENCES = 3
LEDE_SENTENCES = 3
# A sentence this close to the claim (embedding cosine, or TF-IDF cosine) speaks of it.
RELEVANT_SIMILARITY = 0.5
RELEVANT_TFIDF = 0.25

# -- words ---------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*\d|\d")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
# A sentence ends at . ! ? (and a closing quote) before a space and an upper-case letter, a digit
# or a quote, or at a line break.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])|\s*\n\s*")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from rashomon.terms import spacy_stop_words

    # The common stop words (`terms.STOP_WORDS`) with spaCy's longer list, which the model was
    # trained with. Negations are stance, not noise: they stay in for the cue features, out of
    # the overlap.
    return terms.STOP_WORDS | frozenset(w.lower() for w in spacy_stop_words()) | {"just"}


def stem(word: str) -> str:
    """A light suffix strip, so that "leaked" meets "leaks" and "claims" meets "claim"."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def surface_words(text: str) -> list[str]:
    """Lower-cased content words and numbers of a text, stop words out, "'s" dropped.

    These are the words the store's term index holds (`stories.key_terms` normalises alike).
    """
    stop = _stop_words()
    found = []
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if word in stop or (len(word) < 2 and not word.isdigit()):
            continue
        found.append(word.replace("’", "'").removesuffix("'s"))
    return found


def tokens(text: str) -> list[str]:
    """`surface_words`, lightly stemmed: what the overlap and TF-IDF features count."""
    return [stem(word) for word in surface_words(text)]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of a text's sentences (stripped, empty ones dropped), at most `MAX_SENTENCES`."""
    spans = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    found = []
    for s, e in spans:
        piece = text[s:e]
        stripped = piece.strip()
        if len(stripped) < 2:
            continue
        lead = len(piece) - len(piece.lstrip())
        found.append((s + lead, s + lead + len(stripped)))
        if len(found) == MAX_SENTENCES:
            break
    return found


# -- cue lexicons --------------------------------------------------------------------------------
# Written for this module from what the words mean, not learned from any data set: the classifier
# learns how much each group counts, never which topic words to trust.


def _denial_lemmas() -> frozenset[str]:
    from rashomon.attribution import CUES

    return frozenset(cue.lemma for cue in CUES if cue.stance == "denial")


def _word_forms(lemmas: Sequence[str]) -> frozenset[str]:
    forms = set()
    for lemma in lemmas:
        forms |= {lemma, lemma + "s", lemma + "d", lemma + "ed", lemma + "ing"}
        if lemma.endswith("e"):
            forms |= {lemma[:-1] + "ing", lemma + "d"}
        if lemma.endswith("y"):
            forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return frozenset(forms)


_REFUTE_WORDS = (
    "fake fakes faked hoax hoaxes fraud fraudulent false falsely untrue bogus myth myths debunk "
    "debunked debunks debunking denial denials prank pranks satire satirical fabricated "
    "fabrication fiction fictional nonsense baseless unfounded misleading incorrect wrong "
    "retract retracted retraction lie lies lied doubt doubts doubtful skeptical sceptical "
    "spoof parody photoshopped doctored scam conspiracy erroneous inaccurate"
).split()
_REFUTE_PHRASES = re.compile(
    r"\b(?:not true|no evidence|no truth|not real|made up|turned out|in fact|actually not|"
    r"no proof|nothing to do with|did not happen|never happened|is not|was not|wasn't|isn't|"
    r"no such|contrary to|far from)\b",
    re.IGNORECASE,
)
_HEDGE_WORDS = (
    "reportedly allegedly alleged alleges claim claims claimed claiming purportedly purported "
    "rumor rumors rumored rumour rumours rumoured unconfirmed unverified apparently may might "
    "could possibly perhaps possible speculation speculated speculate believed appears appear "
    "seems seem supposedly unclear suggests suggested suggesting report reports reported "
    "according sources source says said told insists"
).split()
_HEDGE_PHRASES = re.compile(
    r"\b(?:according to|if true|yet to|not yet|has not been confirmed|could not be|"
    r"cannot be verified|it is unclear|it's unclear|is said to|are said to|it is believed|"
    r"reports say|report says|we don't know|remains to be seen)\b",
    re.IGNORECASE,
)
_CONFIRM_WORDS = (
    "confirmed confirms confirm official officially announced announces announce revealed "
    "reveals verified proven proves proof indeed true truly definitely certainly statement "
    "evidence shows showed footage video photos"
).split()


@lru_cache(maxsize=1)
def lexicons() -> dict[str, frozenset[str]]:
    """The refuting, hedging and confirming words, built once (the denial cues are read from
    the attribution package: a server builds them as it starts, `Service.warm_up`)."""
    return {
        "refute": frozenset(_REFUTE_WORDS) | _word_forms(sorted(_denial_lemmas())),
        "hedge": frozenset(_HEDGE_WORDS),
        "confirm": frozenset(_CONFIRM_WORDS),
    }


def _cue_counts(text: str) -> tuple[int, int, int, int]:
    """Refuting, hedging and confirming words in a text, and its negations."""
    lex = lexicons()
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    refute = sum(w in lex["refute"] for w in words) + len(_REFUTE_PHRASES.findall(text))
    hedge = sum(w in lex["hedge"] for w in words) + len(_HEDGE_PHRASES.findall(text))
    confirm = sum(w in lex["confirm"] for w in words)
    negations = sum(1 for _ in _negations(text))
    return refute, hedge, confirm, negations


def _negations(text: str) -> list[str]:
    found = []
    rest = text
    while (match := negation(rest)) is not None:
        found.append(match.group())
        rest = rest[match.end() :]
    return found


# -- prepared texts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedText:
    """A claim or a body made ready for scoring: sentences, words, cue counts, vectors.

    `vectors` holds one unit-length embedding per sentence (a claim is one sentence); computing
    them is the caller's choice of batch, so many bodies can be embedded in one pass.
    """

    text: str
    sentences: tuple[tuple[int, int], ...]
    sentence_tokens: tuple[tuple[str, ...], ...]
    cues: tuple[tuple[int, int, int, int], ...]
    vectors: np.ndarray = field(repr=False)

    def sentence(self, index: int) -> str:
        start, end = self.sentences[index]
        return self.text[start:end]


def prepare_text(text: str, *, claim: bool = False) -> PreparedText:
    """Bound, split and count a text; its `vectors` are empty until `with_vectors`."""
    text = text[: MAX_CLAIM_CHARS if claim else MAX_BODY_CHARS]
    sentences = [(0, len(text))] if claim else split_sentences(text)
    if not sentences:
        sentences = [(0, len(text))]
    pieces = [text[s:e] for s, e in sentences]
    return PreparedText(
        text=text,
        sentences=tuple(sentences),
        sentence_tokens=tuple(tuple(tokens(p)) for p in pieces),
        cues=tuple(_cue_counts(p) for p in pieces),
        vectors=np.zeros((0, 0), dtype=np.float32),
    )


def with_vectors(prepared: PreparedText, vectors: np.ndarray) -> PreparedText:
    """The same text with one embedding per sentence."""
    if len(vectors) != len(prepared.sentences):
        raise ValueError(f"{len(vectors)} vectors for {len(prepared.sentences)} sentences")
    return PreparedText(prepared.text, prepared.sentences, prepared.sentence_tokens,
                        prepared.cues, np.asarray(vectors, dtype=np.float32))


# -- features ------------------------------------------------------------------------------------

FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "lexical": (
        "tfidf_body", "tfidf_best", "tfidf_top3", "cover_body", "cover_lede", "cover_idf",
        "cover_bigram", "cover_best",
    ),
    "embedding": ("emb_best", "emb_top3", "emb_lede", "emb_centroid", "emb_best_position"),
    "refute": (
        "refute_body", "refute_lede", "refute_top", "refute_claim", "refute_claim_x_top",
        "refute_claim_x_body", "refute_relevant", "refute_relevant_share",
    ),
    "polarity": ("neg_claim", "neg_top", "neg_mismatch"),
    "hedge": ("hedge_body", "hedge_lede", "hedge_top", "hedge_claim", "question_claim",
              "quotes_body", "hedge_relevant"),
    "confirm": ("confirm_body", "confirm_lede", "confirm_top"),
    "numbers": ("numbers_claim", "numbers_found", "numbers_missing"),
}
FEATURE_NAMES: tuple[str, ...] = tuple(n for names in FEATURE_GROUPS.values() for n in names)

Idf = Callable[[str], float]


def _tfidf(counts: Mapping[str, float], idf: Idf) -> dict[str, float]:
    return {w: (1.0 + math.log(c)) * idf(w) for w, c in counts.items() if c > 0}


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _count(words: Sequence[str]) -> dict[str, float]:
    counts: dict[str, float] = {}
    for w in words:
        counts[w] = counts.get(w, 0.0) + 1.0
    return counts


def _bigrams(words: Sequence[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(words))


def _rate(count: float, n: int) -> float:
    """Cues per sentence, squashed: a long body should not outweigh a short one on count alone."""
    return math.log1p(count) / math.log1p(max(n, 1))


def pair_features(claim: PreparedText, body: PreparedText, idf: Idf) -> np.ndarray:
    """The features of one (claim, body) pair, in `FEATURE_NAMES` order."""
    claim_words = list(claim.sentence_tokens[0])
    claim_set = set(claim_words)
    claim_vec = _tfidf(_count(claim_words), idf)
    n = len(body.sentences)
    body_words = [w for s in body.sentence_tokens for w in s]
    body_set = set(body_words)
    lede_set = {w for s in body.sentence_tokens[:LEDE_SENTENCES] for w in s}

    sentence_tfidf = [_cosine(claim_vec, _tfidf(_count(s), idf)) for s in body.sentence_tokens]
    if body.vectors.size and claim.vectors.size:
        sims = body.vectors @ claim.vectors[0]
    else:
        sims = np.zeros(n, dtype=np.float32)
    # The best-matching sentences: by embedding and TF-IDF together, so a paraphrase and an
    # exact echo both count.
    combined = np.asarray(sentence_tfidf) + sims
    top = [int(i) for i in np.argsort(-combined, kind="stable")[:TOP_SENTENCES]]
    best = top[0]
    ordered_tfidf = sorted(sentence_tfidf, reverse=True)
    ordered_sims = np.sort(sims)[::-1]

    idf_total = sum(idf(w) for w in sorted(claim_set)) or 1.0  # sorted: sums repeat exactly
    claim_bigrams = _bigrams(claim_words)
    body_bigrams = set()
    for s in body.sentence_tokens:
        body_bigrams |= _bigrams(s)

    lexical = [
        _cosine(claim_vec, _tfidf(_count(body_words), idf)),
        ordered_tfidf[0] if ordered_tfidf else 0.0,
        float(np.mean(ordered_tfidf[:3])) if ordered_tfidf else 0.0,
        len(claim_set & body_set) / max(len(claim_set), 1),
        len(claim_set & lede_set) / max(len(claim_set), 1),
        sum(idf(w) for w in sorted(claim_set & body_set)) / idf_total,
        len(claim_bigrams & body_bigrams) / max(len(claim_bigrams), 1),
        len(claim_set & set(body.sentence_tokens[best])) / max(len(claim_set), 1),
    ]
    if body.vectors.size:
        centroid = body.vectors.mean(axis=0)
        norm = float(np.linalg.norm(centroid)) or 1.0
        claim_v = claim.vectors[0] if claim.vectors.size else np.zeros(body.vectors.shape[1])
        embedding = [
            float(ordered_sims[0]),
            float(np.mean(ordered_sims[:3])),
            float(np.max(sims[:LEDE_SENTENCES])),
            float(centroid @ claim_v) / norm,
            best / max(n - 1, 1),
        ]
    else:
        embedding = [0.0, 0.0, 0.0, 0.0, best / max(n - 1, 1)]

    def total(index: int, which: Sequence[int]) -> float:
        return float(sum(body.cues[i][index] for i in which))

    everything = range(n)
    # Sentences that speak of the claim at all: where a denial or a hedge bears on it.
    relevant = [i for i in range(n) if sims[i] >= RELEVANT_SIMILARITY or
                sentence_tfidf[i] >= RELEVANT_TFIDF] or [best]
    lede = range(min(n, LEDE_SENTENCES))
    c_refute, c_hedge, _, c_neg = claim.cues[0]
    refute_top = total(0, top)
    refute_body = total(0, everything)
    refute = [
        _rate(refute_body, n),
        math.log1p(total(0, lede)),
        math.log1p(refute_top),
        float(c_refute),
        float(c_refute > 0) * math.log1p(refute_top),
        float(c_refute > 0) * _rate(refute_body, n),
        math.log1p(total(0, relevant)),
        sum(body.cues[i][0] > 0 for i in relevant) / len(relevant),
    ]
    neg_top = total(3, top)
    polarity = [float(c_neg), math.log1p(neg_top), float((c_neg > 0) != (body.cues[best][3] > 0))]
    quotes = sum(body.text.count(q) for q in ('"', "“", "”"))
    hedge = [
        _rate(total(1, everything), n),
        math.log1p(total(1, lede)),
        math.log1p(total(1, top)),
        float(c_hedge),
        float("?" in claim.text),
        _rate(quotes / 2, n),
        sum(body.cues[i][1] > 0 for i in relevant) / len(relevant),
    ]
    confirm = [
        _rate(total(2, everything), n),
        math.log1p(total(2, lede)),
        math.log1p(total(2, top)),
    ]
    claim_numbers = {m.group().replace(",", "") for m in _NUMBER.finditer(claim.text)}
    body_numbers = {m.group().replace(",", "") for m in _NUMBER.finditer(body.text)}
    numbers = [
        float(len(claim_numbers)),
        float(len(claim_numbers & body_numbers)),
        float(len(claim_numbers - body_numbers)),
    ]
    row = lexical + embedding + refute + polarity + hedge + confirm + numbers
    return np.asarray(row, dtype=np.float64)


def document_frequencies(texts: Sequence[PreparedText]) -> tuple[dict[str, int], int]:
    """Each word's document frequency over some bodies, and their number (for `idf_from`)."""
    df: dict[str, int] = {}
    for text in texts:
        for word in {w for s in text.sentence_tokens for w in s}:
            df[word] = df.get(word, 0) + 1
    return df, len(texts)


def idf_from(df: Mapping[str, int], total: int) -> Idf:
    """Smoothed idf: a word no document holds gets the highest weight."""

    def idf(word: str) -> float:
        return math.log((1 + total) / (1 + df.get(word, 0))) + 1.0

    return idf


# -- the classifier ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StanceModel:
    """Gradient-boosted trees over `FEATURE_NAMES`, one tree per class and round, as flat arrays.

    Each tree is ``(feature, threshold, left, right, value)`` node arrays; a node with
    ``feature < 0`` is a leaf holding `value`. `baseline` is the raw score every sum starts from.
    `features` names the columns the trees index, a subset of `FEATURE_NAMES`.
    """

    labels: tuple[str, ...]
    features: tuple[str, ...]
    baseline: np.ndarray
    trees: tuple[tuple[tuple[np.ndarray, ...], ...], ...]  # [round][class] -> node arrays
    meta: Mapping[str, Any] = field(default_factory=dict)

    def columns(self) -> list[int]:
        """Where this model's features sit in a full `pair_features` row."""
        index = {name: i for i, name in enumerate(FEATURE_NAMES)}
        return [index[name] for name in self.features]

    def raw_scores(self, rows: np.ndarray) -> np.ndarray:
        """The trees' summed scores, one row per pair and one column per class."""
        x = np.asarray(rows, dtype=np.float64)[:, self.columns()]
        scores = np.tile(self.baseline, (len(x), 1))
        for round_trees in self.trees:
            for k, (feat, thresh, left, right, value) in enumerate(round_trees):
                node = np.zeros(len(x), dtype=np.int64)
                active = feat[node] >= 0
                while active.any():
                    rows_at = np.nonzero(active)[0]
                    here = node[rows_at]
                    go_left = x[rows_at, feat[here]] <= thresh[here]
                    node[rows_at] = np.where(go_left, left[here], right[here])
                    active = feat[node] >= 0
                scores[:, k] += value[node]
        return scores

    def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        """Class probabilities: the softmax of the raw scores."""
        logits = self.raw_scores(rows)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probabilities: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return probabilities

    def predict(self, rows: np.ndarray) -> list[str]:
        """The most probable class of each pair."""
        if len(rows) == 0:
            return []
        return [self.labels[i] for i in np.argmax(self.predict_proba(rows), axis=1)]

    def to_json(self) -> dict[str, Any]:
        def rounded(values: np.ndarray) -> list[float | int]:
            # leaf values to 6 significant digits, zeros written as 0
            return [float(f"{v:.6g}") if v else 0 for v in values]

        def exact(values: np.ndarray) -> list[float | int]:
            # thresholds in full: a rounded one can fall on the other side of a feature's value
            return [float(v) if v else 0 for v in values]

        return {
            "labels": list(self.labels),
            "features": list(self.features),
            "baseline": rounded(self.baseline),
            "trees": [
                [
                    {"feature": feat.tolist(), "threshold": exact(thresh),
                     "left": left.tolist(), "right": right.tolist(), "value": rounded(value)}
                    for feat, thresh, left, right, value in round_trees
                ]
                for round_trees in self.trees
            ],
            "meta": dict(self.meta),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StanceModel:
        trees = tuple(
            tuple(
                (
                    np.asarray(t["feature"], dtype=np.int64),
                    np.asarray(t["threshold"], dtype=np.float64),
                    np.asarray(t["left"], dtype=np.int64),
                    np.asarray(t["right"], dtype=np.int64),
                    np.asarray(t["value"], dtype=np.float64),
                )
                for t in round_trees
            )
            for round_trees in data["trees"]
        )
        unknown = set(data["features"]) - set(FEATURE_NAMES)
        if unknown:
            raise ValueError(f"stance model uses unknown features {sorted(unknown)}")
        return cls(
            labels=tuple(data["labels"]),
            features=tuple(data["features"]),
            baseline=np.asarray(data["baseline"], dtype=np.float64),
            trees=trees,
            meta=data.get("meta", {}),
        )


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> StanceModel:
    """The shipped stance model (or the one at `path`), read once per process."""
    location = Path(path) if path else MODEL_PATH
    try:
        data = json.loads(location.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{location}: no stance model; train one with bench/train_stance.py"
        ) from None
    return StanceModel.from_json(data)


# Trees and rounds: enough for a dozen informative features, small enough to ship as JSON.
TRAIN_ROUNDS = 150
TRAIN_LEAVES = 15


def _tree_arrays(nodes: np.ndarray) -> tuple[np.ndarray, ...]:
    """One fitted tree as our node arrays; what a node does not use is zeroed, so the JSON is small."""
    leaf = nodes["is_leaf"] == 1
    return (
        np.where(leaf, -1, nodes["feature_idx"]).astype(np.int64),
        np.where(leaf, 0.0, nodes["num_threshold"]).astype(np.float64),
        np.where(leaf, 0, nodes["left"]).astype(np.int64),
        np.where(leaf, 0, nodes["right"]).astype(np.int64),
        np.where(leaf, nodes["value"], 0.0).astype(np.float64),
    )


def train_model(
    rows: np.ndarray,
    labels: Sequence[str],
    *,
    features: Sequence[str] = FEATURE_NAMES,
    seed: int = 0,
    meta: Mapping[str, Any] | None = None,
) -> StanceModel:
    """Fit gradient-boosted trees on labelled pairs and keep them as a `StanceModel`.

    Classes are weighted by the inverse square root of their frequency: the rare ``disagree``
    matters as much as ``unrelated`` to macro-F1, and a full inverse weighting trades away too
    much precision on it. scikit-learn is imported here only: prediction does not need it.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier  # type: ignore[import-untyped]

    missing = set(STANCE_LABELS) - set(labels)
    if missing:
        raise ValueError(f"training pairs lack the classes {sorted(missing)}")
    columns = [FEATURE_NAMES.index(name) for name in features]
    x = np.asarray(rows, dtype=np.float64)[:, columns]
    y = np.asarray([STANCE_LABELS.index(label) for label in labels])
    counts = np.bincount(y, minlength=len(STANCE_LABELS)).astype(np.float64)
    weights = (counts.max() / counts) ** 0.5
    classifier = HistGradientBoostingClassifier(
        max_iter=TRAIN_ROUNDS, max_leaf_nodes=TRAIN_LEAVES, learning_rate=0.08,
        min_samples_leaf=20, l2_regularization=1.0, early_stopping=False, random_state=seed,
    )
    classifier.fit(x, y, sample_weight=weights[y])
    trees = tuple(
        tuple(_tree_arrays(p.nodes) for p in round_predictors)
        for round_predictors in classifier._predictors
    )
    return StanceModel(
        labels=STANCE_LABELS,
        features=tuple(features),
        baseline=np.asarray(classifier._baseline_prediction, dtype=np.float64).ravel(),
        trees=trees,
        meta=dict(meta or {}),
    )
