"""Train the shipped stance model on FNC-1-shaped data.

    python bench/train_stance.py ../shared/eval/fnc1 --out src/rashomon/data/stance_model.json

Reads DIR like `bench/stance.py` (same features, same embeddings), first cross-validates by Body
ID (5 folds, the figures recorded in the model as what to expect on unseen bodies), then trains
one model on every pair of DIR and writes it as JSON with the command, the data's hash and those
figures inside. Fixed seed and sorted inputs: the same data gives the same file.
A model trained on DIR must never be scored on DIR: `bench/stance.py` refuses to, by the hash.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from stance import SEED, body_folds, cross_validate, featurize, figures, read_fnc


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="a folder with bodies.csv and stances.csv")
    parser.add_argument("--out", type=Path, required=True, help="where to write the model JSON")
    parser.add_argument("--folds", type=int, default=5, help="folds for the recorded figures")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("RASHOMON_THREADS", "2")),
                        help="torch threads for the embeddings (default 2)")
    args = parser.parse_args(argv)

    import torch
    from threadpoolctl import threadpool_limits

    from rashomon.stance import FEATURE_NAMES, train_model

    torch.set_num_threads(max(1, args.threads))
    started = time.perf_counter()
    pairs = read_fnc(args.directory)
    gold = [s for _, _, s in pairs.rows]
    if not all(gold):
        raise SystemExit(f"{args.directory}/stances.csv: every pair needs a gold Stance to train on")
    rows = featurize(pairs)
    cv = figures(gold, cross_validate(rows, gold, body_folds(pairs, args.folds), args.folds))
    meta = {
        "command": "python bench/train_stance.py DIR --out PATH",
        "data": args.directory.name,
        "data_sha256": pairs.digest,
        "pairs": len(gold),
        "bodies": len(pairs.bodies),
        "seed": SEED,
        "cross_validated": {"folds": args.folds, "by": "Body ID", **cv},
    }
    with threadpool_limits(limits=1):  # as in bench/stance.py: faster on two busy cores
        model = train_model(rows, gold, features=FEATURE_NAMES, seed=SEED, meta=meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(model.to_json(), separators=(",", ":"), sort_keys=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text) // 1024} KB) in {time.perf_counter() - started:.0f}s",
          file=sys.stderr)
    print(json.dumps({"out": str(args.out), **meta}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
