"""Score claim/article stance on FNC-1-shaped data: the FNC score and macro-F1.

    python bench/stance.py DIR [--predictions OUT.csv] [--cross-validate K] [--ablation]
        [--model PATH] [--floors bench/floors.json]

DIR holds ``bodies.csv`` (Body ID, articleBody) and ``stances.csv`` (Headline, Body ID, Stance).
The harness never trains on what it scores:
- by default the shipped model (`rashomon/data/stance_model.json`, or ``--model``) scores DIR,
  which must be data it was not trained on;
- with ``--cross-validate K`` it trains K models on Body-ID folds of DIR (every pair of a body in
  one fold) and scores each on the bodies it did not see: the honest figure on the public data;
- ``--ablation`` (with ``--cross-validate``) also reruns the folds without each feature group and
  prints what each group adds.

The reference, computed in the same run: the trivial rule "TF-IDF cosine of headline and body
below a threshold -> unrelated, otherwise discuss", its threshold swept on DIR itself (an
optimistic reference). The official FNC score: +0.25 for a correct ``unrelated``; for a related
pair +0.25 for any related class and +0.75 more for the exact one; given as % of the maximum.
Prints timings and a confusion matrix, then one JSON line last: ``fnc_score``, ``macro_f1``,
``n``, ``f1`` per class and the reference's figures. With ``--floors`` the figures are gated
under the ``fnc1_cv`` key (cross-validated) or ``fnc1`` (shipped model).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from gate import below_floors, exit_code  # bench/gate.py, beside this script

LABELS = ("agree", "disagree", "discuss", "unrelated")
SEED = 20260601

# -- data ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pairs:
    """FNC-1 data: bodies by id, and (headline, body id, stance) rows in file order."""

    bodies: dict[int, str]
    rows: list[tuple[str, int, str]]
    digest: str


def read_fnc(directory: Path) -> Pairs:
    """Read ``bodies.csv`` and ``stances.csv``; the digest covers both files' bytes."""
    digest = hashlib.sha256()
    for name in ("bodies.csv", "stances.csv"):
        digest.update((directory / name).read_bytes())
    csv.field_size_limit(10_000_000)
    with (directory / "bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = {int(r["Body ID"]): r["articleBody"] for r in csv.DictReader(handle)}
    with (directory / "stances.csv").open(encoding="utf-8", newline="") as handle:
        rows = [(r["Headline"], int(r["Body ID"]), r.get("Stance", "")) for r in csv.DictReader(handle)]
    unknown = {s for _, _, s in rows if s and s not in LABELS}
    if unknown:
        raise SystemExit(f"{directory}/stances.csv: unknown stances {sorted(unknown)}; known: {LABELS}")
    missing = {b for _, b, _ in rows if b not in bodies}
    if missing:
        raise SystemExit(f"{directory}: stances name bodies not in bodies.csv: {sorted(missing)[:5]}")
    return Pairs(bodies, rows, digest.hexdigest()[:16])


def featurize(pairs: Pairs, *, batch_size: int = 64) -> np.ndarray:
    """One `pair_features` row per pair: texts prepared once, every sentence embedded once.

    idf comes from DIR's bodies (no labels are read): the words of the collection being scored.
    """
    from rashomon.embed import embed
    from rashomon.stance import (
        document_frequencies,
        idf_from,
        pair_features,
        prepare_text,
        with_vectors,
    )

    body_ids = sorted(pairs.bodies)
    bodies = {b: prepare_text(pairs.bodies[b]) for b in body_ids}
    headlines = sorted({h for h, _, _ in pairs.rows})
    claims = {h: prepare_text(h, claim=True) for h in headlines}
    texts = [bodies[b].sentence(i) for b in body_ids for i in range(len(bodies[b].sentences))]
    texts += headlines
    started = time.perf_counter()
    vectors = embed(texts, batch_size=batch_size)
    print(f"embedded {len(texts)} sentences in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    at = 0
    for b in body_ids:
        n = len(bodies[b].sentences)
        bodies[b] = with_vectors(bodies[b], vectors[at : at + n])
        at += n
    for h in headlines:
        claims[h] = with_vectors(claims[h], vectors[at : at + 1])
        at += 1
    idf = idf_from(*document_frequencies(list(bodies.values())))
    started = time.perf_counter()
    rows = np.vstack([pair_features(claims[h], bodies[b], idf) for h, b, _ in pairs.rows])
    print(f"features of {len(rows)} pairs in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return rows


# -- metrics -------------------------------------------------------------------------------------


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The official FNC-1 score as a percentage of the best possible."""
    got = best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        if g == "unrelated":
            best += 0.25
            got += 0.25 if p == "unrelated" else 0.0
        else:
            best += 1.0
            if p != "unrelated":
                got += 0.25 + (0.75 if p == g else 0.0)
    return 100.0 * got / best if best else 0.0


def per_class_f1(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    scores = {}
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        n_pred = sum(p == label for p in predicted)
        n_gold = sum(g == label for g in gold)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        scores[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return scores


def figures(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    f1 = per_class_f1(gold, predicted)
    return {
        "fnc_score": round(fnc_score(gold, predicted), 2),
        "macro_f1": round(sum(f1.values()) / len(f1), 4),
        "f1": {k: round(v, 4) for k, v in f1.items()},
    }


def confusion(gold: Sequence[str], predicted: Sequence[str]) -> str:
    lines = ["gold \\ predicted " + " ".join(f"{label:>10}" for label in LABELS)]
    for g in LABELS:
        counts = [sum(1 for a, b in zip(gold, predicted, strict=True) if a == g and b == p) for p in LABELS]
        lines.append(f"{g:>17} " + " ".join(f"{c:>10}" for c in counts))
    return "\n".join(lines)


def trivial_rule(rows: np.ndarray, gold: Sequence[str]) -> dict[str, Any]:
    """TF-IDF cosine below a threshold -> unrelated, else discuss; the best threshold on DIR."""
    from rashomon.stance import FEATURE_NAMES

    cosine = rows[:, FEATURE_NAMES.index("tfidf_body")]
    best: tuple[float, float, list[str]] = (-1.0, 0.0, [])
    for threshold in np.arange(0.0, 0.6, 0.01):
        predicted = ["unrelated" if c < threshold else "discuss" for c in cosine]
        score = fnc_score(gold, predicted)
        if score > best[0]:
            best = (score, float(threshold), predicted)
    result = figures(gold, best[2])
    return {"fnc_score": result["fnc_score"], "macro_f1": result["macro_f1"],
            "threshold": round(best[1], 2)}


# -- the two ways of scoring ---------------------------------------------------------------------


def body_folds(pairs: Pairs, k: int, seed: int = SEED) -> list[int]:
    """A fold number per pair: bodies shuffled with a fixed seed and dealt into k folds."""
    body_ids = sorted(pairs.bodies)
    random.Random(seed).shuffle(body_ids)
    fold_of = {b: i % k for i, b in enumerate(body_ids)}
    return [fold_of[b] for _, b, _ in pairs.rows]


def cross_validate(rows: np.ndarray, gold: Sequence[str], folds: Sequence[int], k: int,
                   features: Sequence[str] | None = None) -> list[str]:
    """Out-of-fold predictions: each fold scored by a model trained on the others."""
    from threadpoolctl import threadpool_limits

    from rashomon.stance import FEATURE_NAMES, train_model

    predicted = [""] * len(gold)
    fold_array = np.asarray(folds)
    for fold in range(k):
        train = np.nonzero(fold_array != fold)[0]
        test = np.nonzero(fold_array == fold)[0]
        # one OpenMP thread: on two busy cores more threads made the trees ten times slower
        with threadpool_limits(limits=1):
            model = train_model(rows[train], [gold[i] for i in train],
                                features=features or FEATURE_NAMES, seed=SEED)
        for i, label in zip(test, model.predict(rows[test]), strict=True):
            predicted[i] = label
    return predicted


def ablation(rows: np.ndarray, gold: Sequence[str], folds: Sequence[int], k: int,
             full: dict[str, Any]) -> list[dict[str, Any]]:
    """Cross-validated figures without each feature group, and what the group adds."""
    from rashomon.stance import FEATURE_GROUPS, FEATURE_NAMES

    table = []
    for group, names in FEATURE_GROUPS.items():
        kept = [n for n in FEATURE_NAMES if n not in names]
        without = figures(gold, cross_validate(rows, gold, folds, k, kept))
        table.append({
            "group": group, "without_fnc": without["fnc_score"], "without_macro_f1": without["macro_f1"],
            "adds_fnc": round(full["fnc_score"] - without["fnc_score"], 2),
            "adds_macro_f1": round(full["macro_f1"] - without["macro_f1"], 4),
        })
        print(f"  without {group:<10} FNC {without['fnc_score']:6.2f}  macro-F1 "
              f"{without['macro_f1']:.4f}  (group adds {table[-1]['adds_fnc']:+.2f} / "
              f"{table[-1]['adds_macro_f1']:+.4f})", file=sys.stderr)
    return table


def write_predictions(path: Path, pairs: Pairs, predicted: Sequence[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Headline", "Body ID", "Stance"])
        for (headline, body, _), label in zip(pairs.rows, predicted, strict=True):
            writer.writerow([headline, body, label])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="a folder with bodies.csv and stances.csv")
    parser.add_argument("--predictions", type=Path, help="write Headline,Body ID,Stance here")
    parser.add_argument("--cross-validate", type=int, metavar="K", default=0,
                        help="train K models on Body-ID folds of DIR and score the unseen folds")
    parser.add_argument("--ablation", action="store_true",
                        help="with --cross-validate: what each feature group adds")
    parser.add_argument("--model", type=Path, help="a stance model JSON (default: the shipped one)")
    parser.add_argument("--floors", type=Path, help="fail when a figure drops below bench/floors.json")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("RASHOMON_THREADS", "2")),
                        help="torch threads for the embeddings (default 2)")
    args = parser.parse_args(argv)
    if args.cross_validate == 1 or args.cross_validate < 0:
        parser.error("--cross-validate needs K >= 2")
    if args.ablation and not args.cross_validate:
        parser.error("--ablation needs --cross-validate K")

    import torch

    torch.set_num_threads(max(1, args.threads))
    started = time.perf_counter()
    pairs = read_fnc(args.directory)
    gold = [s for _, _, s in pairs.rows]
    if not all(gold):
        raise SystemExit(f"{args.directory}/stances.csv: every pair needs a gold Stance to be scored")
    model = None
    if not args.cross_validate:
        from rashomon.stance import load_model

        model = load_model(str(args.model) if args.model else None)
        trained_on = model.meta.get("data_sha256")
        if trained_on == pairs.digest:
            raise SystemExit(
                f"the model was trained on {args.directory} (data hash {trained_on}): scoring it "
                "there would score training data; use --cross-validate K for an honest figure"
            )
    rows = featurize(pairs)

    extra: dict[str, Any] = {}
    if args.cross_validate:
        k = args.cross_validate
        folds = body_folds(pairs, k)
        predicted = cross_validate(rows, gold, folds, k)
        mode, key = f"{k}-fold cross-validation by Body ID", "fnc1_cv"
        result = figures(gold, predicted)
        if args.ablation:
            print("ablation (cross-validated, each group left out):", file=sys.stderr)
            extra["ablation"] = ablation(rows, gold, folds, k, result)
    else:
        assert model is not None
        predicted = model.predict(rows)
        mode, key = "the shipped model", "fnc1"
        result = figures(gold, predicted)

    if args.predictions:
        write_predictions(args.predictions, pairs, predicted)
    print(f"{mode}: {len(gold)} pairs, {len(pairs.bodies)} bodies", file=sys.stderr)
    print(confusion(gold, predicted), file=sys.stderr)
    print(f"took {time.perf_counter() - started:.0f}s", file=sys.stderr)
    report = {**result, "n": len(gold), "mode": mode, "data_sha256": pairs.digest,
              "trivial_rule": trivial_rule(rows, gold), **extra}
    print(json.dumps(report))
    if args.floors:
        return exit_code(below_floors(report, args.floors, key))
    return 0


if __name__ == "__main__":
    sys.exit(main())
