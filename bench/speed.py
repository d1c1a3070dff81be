"""Speed and memory of `analyze` next to the bare spaCy pipeline on the same texts, same run.

    python bench/speed.py ../shared/eval/polnear/train/text --limit 200
    python bench/speed.py ../shared/eval/polnear/train/text --limit 200 --attribution

With --attribution, one more child process parses the texts (`nlp.parse`) and runs the
attribution stage (`extract_attributions`, entities found beforehand and left out) on each
parse, timing the two apart; the JSON line then carries `attribution_seconds`,
`parse_seconds` and `attribution_to_parse_ratio` (attribution seconds / parse seconds: the
attribution stage should cost no more than the parse it runs on, a ratio at most 1).

Each mode runs in a fresh child process, so its peak memory (max RSS) is its own. Model loading
is timed apart and left out of the rates. These machines are noisy: read the ratio, which
compares two runs made side by side, rather than the absolute rates.
Prints a table, then one JSON line last.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path


def _texts(directory: Path, limit: int | None) -> list[Path]:
    files = sorted(p for p in directory.rglob("*.txt") if p.is_file())
    return files[:limit] if limit else files


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_spacy(paths: list[str]) -> dict[str, float]:
    from rashomon.nlp import load_nlp

    started = time.perf_counter()
    nlp = load_nlp()
    load_seconds = time.perf_counter() - started
    texts = [Path(p).read_text(encoding="utf-8", errors="replace") for p in paths]
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return {"seconds": time.perf_counter() - started, "load_seconds": load_seconds,
            "peak_mb": _peak_rss_mb()}


def _run_analyze(paths: list[str]) -> dict[str, float]:
    from rashomon import embed, pipeline
    from rashomon.nlp import load_nlp
    from rashomon.settings import load_settings
    from rashomon.store import open_store

    started = time.perf_counter()
    load_nlp()
    embed.load_embedder()
    load_seconds = time.perf_counter() - started
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        with open_store(str(Path(tmp) / "bench.db")) as store:
            started = time.perf_counter()
            result = pipeline.ingest(paths, store=store, settings=settings)
            seconds = time.perf_counter() - started
    return {"seconds": seconds, "load_seconds": load_seconds, "peak_mb": _peak_rss_mb(),
            "documents": len(result.added), "failed": len(result.failures)}


def _run_attribution(paths: list[str]) -> dict[str, float]:
    from rashomon.attribution import extract_attributions
    from rashomon.attribution.spans import load_span_model
    from rashomon.attribution.tagger import load_model
    from rashomon.entities import extract_mentions
    from rashomon.model import Document, OffsetMap, document_id
    from rashomon.nlp import load_nlp, parse

    load_nlp()
    load_model()  # the tagger's weights, read once, like the model: not the stage's cost
    load_span_model()  # and the boundary model's
    documents = []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        documents.append(Document(
            id=document_id(path, text), source=path, source_key=path, text=text, raw_text=text,
            offsets=OffsetMap(((0, 0, len(text)),)),
        ))
    started = time.perf_counter()
    parsed = list(parse(documents))
    parse_seconds = time.perf_counter() - started
    mentions = [extract_mentions(document, doc) for document, doc in parsed]
    attributions = 0
    started = time.perf_counter()
    for (document, doc), found in zip(parsed, mentions, strict=True):
        attributions += len(extract_attributions(document, doc, found))
    return {"attribution_seconds": time.perf_counter() - started, "parse_seconds": parse_seconds,
            "attributions": attributions}


def _in_child(target: str, paths: list[str]) -> dict[str, float]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(globals()[target], (paths,))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="directory of .txt articles")
    parser.add_argument("--limit", type=int, default=None, help="use the first N files only")
    parser.add_argument("--attribution", action="store_true",
                        help="also time the attribution stage apart from the parse it runs on")
    args = parser.parse_args(argv)
    if not args.directory.is_dir():
        parser.error(f"{args.directory}: not a directory")
    paths = [str(p) for p in _texts(args.directory, args.limit)]
    if not paths:
        parser.error(f"{args.directory}: no .txt files")
    words = sum(len(Path(p).read_text(encoding="utf-8", errors="replace").split()) for p in paths)
    spacy_run = _in_child("_run_spacy", paths)
    analyze_run = _in_child("_run_analyze", paths)
    n = len(paths)
    figures = {
        "articles": n,
        "words": words,
        "spacy_articles_per_s": round(n / spacy_run["seconds"], 2),
        "spacy_words_per_s": round(words / spacy_run["seconds"], 1),
        "spacy_peak_mb": round(spacy_run["peak_mb"], 1),
        "analyze_articles_per_s": round(n / analyze_run["seconds"], 2),
        "analyze_words_per_s": round(words / analyze_run["seconds"], 1),
        "analyze_peak_mb": round(analyze_run["peak_mb"], 1),
        "analyze_failed": analyze_run["failed"],
        "speed_ratio_analyze_to_spacy": round(spacy_run["seconds"] / analyze_run["seconds"], 3),
        "memory_ratio_analyze_to_spacy": round(analyze_run["peak_mb"] / spacy_run["peak_mb"], 3),
        "model_load_s": {"spacy": round(spacy_run["load_seconds"], 2),
                         "analyze": round(analyze_run["load_seconds"], 2)},
    }
    if args.attribution:
        stage = _in_child("_run_attribution", paths)
        figures["attribution_seconds"] = round(stage["attribution_seconds"], 2)
        figures["parse_seconds"] = round(stage["parse_seconds"], 2)
        figures["attribution_to_parse_ratio"] = round(
            stage["attribution_seconds"] / stage["parse_seconds"], 3)
        figures["attributions"] = stage["attributions"]
    print(f"{'':24}{'articles/s':>12}{'words/s':>12}{'peak MB':>10}", file=sys.stderr)
    for name in ("spacy", "analyze"):
        print(f"{name:24}{figures[f'{name}_articles_per_s']:>12}{figures[f'{name}_words_per_s']:>12}"
              f"{figures[f'{name}_peak_mb']:>10}", file=sys.stderr)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
