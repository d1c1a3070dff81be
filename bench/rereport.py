"""How much a second report of the same stories costs next to the first, in one process.

    python bench/rereport.py examples/
    python bench/rereport.py ../shared/eval/ecbplus/docs.jsonl --limit 120

Every input document but the last is ingested into a throwaway store; the stories they touch
are reported once (`first`: nothing of them embedded yet) and again (`second`: the same
stories, unchanged). Then the held-back document is ingested and its stories reported
(`grown`: a story that gained one article, as a story that grows by one article a day does).
Each report is timed on its own, with the texts given to the embedding model and the time
spent there; ingest and model loading are left out. The figures to read are the ratios to the
first report, made side by side in the same run: these machines are noisy. `same_output` says
whether the second report's JSON equals the first's.

`--limit N` keeps the first N records of each JSON Lines input (a corpus such as ECB+'s is
one file). torch runs on one thread, as the CLI does on a shared machine. Prints a table on
stderr and one JSON line last.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path


def _limited(inputs: list[str], limit: int | None, tmp: Path) -> list[str]:
    """The inputs, each JSON Lines file cut to its first `limit` records (copied into tmp)."""
    if not limit:
        return inputs
    kept = []
    for number, item in enumerate(inputs):
        path = Path(item)
        if path.suffix in (".jsonl", ".ndjson") and path.is_file():
            with path.open(encoding="utf-8") as source:
                lines = [line for _, line in zip(range(limit), source, strict=False)]
            path = tmp / f"{number}-{path.name}"
            path.write_text("".join(lines), encoding="utf-8")
        kept.append(str(path))
    return kept


class _Counted:
    """`rashomon.embed.embed` itself, counting the texts it is given and the time it takes."""

    def __init__(self, embed):  # type: ignore[no-untyped-def]
        self.embed = embed
        self.texts = 0
        self.seconds = 0.0

    def __call__(self, texts, **options):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        vectors = self.embed(texts, **options)
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return vectors


def _timed_report(store, story_ids, settings, counted):  # type: ignore[no-untyped-def]
    from rashomon import pipeline, render

    counted.texts, counted.seconds = 0, 0.0
    started = time.perf_counter()
    analysis = pipeline.report(store, story_ids, settings)
    seconds = time.perf_counter() - started
    return {"s": round(seconds, 3), "embedded_texts": counted.texts,
            "embed_s": round(counted.seconds, 3)}, render.to_json(analysis)


def _stories_of(store, doc_ids) -> list[str]:  # type: ignore[no-untyped-def]
    found: list[str] = []
    for doc_id in doc_ids:
        story_id = store.story_of(doc_id)
        if story_id is not None and story_id not in found:
            found.append(story_id)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="what `rashomon analyze` reads")
    parser.add_argument("--limit", type=int, default=None,
                        help="keep the first N records of each JSON Lines input")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import torch

    torch.set_num_threads(1)
    from rashomon import embed, pipeline
    from rashomon.ingest import iter_raw
    from rashomon.model import RawDocument
    from rashomon.nlp import load_nlp
    from rashomon.settings import load_settings
    from rashomon.store import open_store

    load_nlp()
    embed.load_embedder()
    settings = load_settings()
    # every report's embeddings go through the module attribute: count them there
    counted = _Counted(embed.embed)
    embed.embed = counted  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        inputs = _limited(args.inputs, args.limit, Path(tmp))
        items = list(iter_raw(inputs, settings, outlet=None, published=None, stdin=None))
        raws = [item for item in items if isinstance(item, RawDocument)]
        if len(raws) < 2:
            parser.error("give at least two documents")
        with open_store(str(Path(tmp) / "bench.db")) as store:
            ingested = pipeline.ingest_raw(raws[:-1], store=store, settings=settings)
            story_ids = _stories_of(store, ingested.input_documents)
            first, first_json = _timed_report(store, story_ids, settings, counted)
            second, second_json = _timed_report(store, story_ids, settings, counted)
            grown_in = pipeline.ingest_raw(raws[-1:], store=store, settings=settings)
            grown_ids = _stories_of(store, grown_in.input_documents)
            grown, _ = _timed_report(store, grown_ids, settings, counted)
            grown_size = sum(store.story_size(s) for s in grown_ids)
    figures = {
        "documents": len(raws),
        "stories": len(story_ids),
        "first": first,
        "second": second,
        "grown": grown,
        "second_to_first_ratio": round(second["s"] / first["s"], 3),
        "second_to_first_embed_ratio": round(second["embed_s"] / first["embed_s"], 3)
        if first["embed_s"] else None,
        "grown_story_documents": grown_size,
        "same_output": first_json == second_json,
    }
    print(f"{'report':10}{'seconds':>10}{'embedded':>10}{'embed s':>10}", file=sys.stderr)
    for name, row in (("first", first), ("second", second), ("grown", grown)):
        print(f"{name:10}{row['s']:>10}{row['embedded_texts']:>10}{row['embed_s']:>10}",
              file=sys.stderr)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
