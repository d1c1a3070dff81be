"""Speed and memory of `analyze` next to the bare spaCy pipeline on the same texts, same run.

    python bench/speed.py ../shared/eval/polnear/train/text --limit 200
    python bench/speed.py ../shared/eval/polnear/train/text --limit 200 --attribution

With --compare-torch, one more child runs the ingest with the embeddings on torch
(`RASHOMON_EMBED_RUNTIME=torch`) and the JSON line gets a `torch` part: its CPU seconds, its
embedding's, and their ratios to the default runtime's.

With --attribution, one more child process parses the texts (`nlp.parse`) and runs the
attribution stage (`extract_attributions`, entities found beforehand and left out) on each
parse, timing the two apart; the JSON line then carries `attribution_seconds`,
`parse_seconds` and `attribution_to_parse_ratio` (attribution seconds / parse seconds: the
attribution stage should cost no more than the parse it runs on, a ratio at most 1).

Each mode runs in a fresh child process, so its peak memory (max RSS) is its own. Model loading
is timed apart and left out of the rates. These machines are noisy: read the ratio, which
compares two runs made side by side, rather than the absolute rates.

Where the time goes: the ingest's CPU seconds (`time.process_time`, which other work on a
shared machine disturbs less than wall time) are charged to the stage running when they were
spent: read and clean, parse, mentions, attribution, claims, the document's timeline, lede
embedding, the store write, near-duplicates, story placement, and the story-level stage (dating
undated documents, entity linking, timeline linking, claims' context, align, carried facts,
brief, framing, its reads and its write). A stage called inside another is charged apart, under
both names (`story-level/align/embed`: the embedding align asks for). Each stage's seconds are
also given as a ratio to the bare spaCy pipeline's CPU seconds on the same texts, and
`story_level_factor` is the ingest's CPU over the ingest's CPU without the story-level stage.
Prints a table, then one JSON line last.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import inspect
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def _texts(directory: Path, limit: int | None) -> list[Path]:
    files = sorted(p for p in directory.rglob("*.txt") if p.is_file())
    return files[:limit] if limit else files


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StageClock:
    """CPU seconds charged to the innermost stage running: each wrapped call is a stage, and
    the seconds spent in a stage called inside another are that inner stage's alone."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self._stack: list[str] = []
        self._mark = time.process_time()

    def reset(self) -> None:
        self.spent.clear()
        self._mark = time.process_time()

    def flush(self) -> None:
        """Charge the seconds since the last stage ended (to "other")."""
        self._charge()

    def _charge(self) -> None:
        now = time.process_time()
        key = "/".join(self._stack) or "other"
        self.spent[key] = self.spent.get(key, 0.0) + now - self._mark
        self._mark = now

    def enter(self, name: str) -> None:
        self._charge()
        self._stack.append(name)

    def leave(self) -> None:
        self._charge()
        self._stack.pop()

    def wrap(self, owner: Any, attribute: str, name: str) -> None:
        """Replace `owner.attribute` (a function, or a generator function, whose every step is
        then timed) by the same, timed as stage `name`."""
        func = getattr(owner, attribute)
        clock = self
        if inspect.isgeneratorfunction(func):
            def stepped(*args: Any, **kwargs: Any) -> Iterator[Any]:
                clock.enter(name)
                try:
                    steps = func(*args, **kwargs)
                finally:
                    clock.leave()
                while True:
                    clock.enter(name)
                    try:
                        item = next(steps)
                    except StopIteration:
                        return
                    finally:
                        clock.leave()
                    yield item
            setattr(owner, attribute, stepped)
            return

        def timed(*args: Any, **kwargs: Any) -> Any:
            clock.enter(name)
            try:
                return func(*args, **kwargs)
            finally:
                clock.leave()
        setattr(owner, attribute, timed)


def _clock_stages() -> StageClock:
    """A clock on every stage of the ingest (see the module docstring)."""
    from rashomon import (
        align, attribution, brief, claims, dedup, embed, entities, framing, nlp, pipeline,
        stories, story_stage, story_view, timeline,
    )
    from rashomon.store.sqlite import SQLiteStore

    clock = StageClock()
    stages: list[tuple[Any, str, str]] = [
        (pipeline, "_clean_all", "read+clean"),
        (nlp, "parse", "parse"),
        (entities, "extract_mentions", "mentions"),
        (attribution, "extract_attributions", "attribution"),
        (claims, "extract_claims", "claims"),
        (pipeline, "_ingest_timeline", "timeline"),
        (embed, "embed", "embed"),
        (SQLiteStore, "put_analyzed", "store-write"),
        (dedup, "mark_near_duplicates", "near-duplicates"),
        (stories, "assign_stories", "placement"),
        (story_stage, "refresh_stories", "story-level"),
        (story_stage, "_date_undated", "date-undated"),
        (SQLiteStore, "load_annotations_of", "read-annotations"),
        (entities, "link_entities", "link-entities"),
        (timeline, "link_events", "link-timeline"),
        (claims, "attach_context", "claim-context"),
        (align, "align_story", "align"),
        (story_view, "story_views", "slices"),
        (brief, "carried_facts", "carried-facts"),
        (brief, "brief_of", "brief"),
        (framing, "framings_of", "framing"),
        (SQLiteStore, "put_story_analysis", "store-story"),
    ]
    for owner, attribute, name in stages:
        clock.wrap(owner, attribute, name)
    return clock


def _run_spacy(paths: list[str]) -> dict[str, float]:
    from rashomon.nlp import load_nlp

    started = time.perf_counter()
    nlp = load_nlp()
    load_seconds = time.perf_counter() - started
    texts = [Path(p).read_text(encoding="utf-8", errors="replace") for p in paths]
    started, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
            "load_seconds": load_seconds, "peak_mb": _peak_rss_mb()}


def _run_analyze(paths: list[str], embed_runtime: str | None = None) -> dict[str, Any]:
    import os

    if embed_runtime is not None:
        os.environ["RASHOMON_EMBED_RUNTIME"] = embed_runtime
    from rashomon import embed, pipeline
    from rashomon.nlp import load_nlp
    from rashomon.settings import load_settings
    from rashomon.store import open_store

    started = time.perf_counter()
    load_nlp()
    embed.load_embedder()
    load_seconds = time.perf_counter() - started
    settings = load_settings()
    clock = _clock_stages()
    with tempfile.TemporaryDirectory() as tmp:
        with open_store(str(Path(tmp) / "bench.db")) as store:
            clock.reset()
            started, cpu = time.perf_counter(), time.process_time()
            result = pipeline.ingest(paths, store=store, settings=settings)
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
            clock.flush()
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "load_seconds": load_seconds,
            "peak_mb": _peak_rss_mb(), "documents": len(result.added),
            "failed": len(result.failures), "stages": clock.spent}


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


def _in_child(target: str, paths: list[str], *extra: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(globals()[target], (paths, *extra))


def _story_level_factor(run: dict[str, Any]) -> float:
    story_level = sum(v for k, v in run["stages"].items() if k.startswith("story-level"))
    return round(run["cpu_seconds"] / max(run["cpu_seconds"] - story_level, 1e-9), 3)


def _compared(default: dict[str, Any], other: dict[str, Any], name: str) -> dict[str, Any]:
    """The ingest on another embedding runtime beside the default's, in CPU seconds."""
    def embedding(run: dict[str, Any]) -> float:
        return sum(v for k, v in run["stages"].items() if k.endswith("embed"))

    return {
        f"{name}_cpu_s": round(other["cpu_seconds"], 2),
        f"{name}_embed_cpu_s": round(embedding(other), 2),
        f"{name}_story_level_factor": _story_level_factor(other),
        "default_embed_cpu_s": round(embedding(default), 2),
        f"cpu_ratio_{name}_to_default": round(other["cpu_seconds"] / default["cpu_seconds"], 3),
        f"embed_cpu_ratio_{name}_to_default": round(
            embedding(other) / max(embedding(default), 1e-9), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="directory of .txt articles")
    parser.add_argument("--limit", type=int, default=None, help="use the first N files only")
    parser.add_argument("--attribution", action="store_true",
                        help="also time the attribution stage apart from the parse it runs on")
    parser.add_argument("--compare-torch", action="store_true",
                        help="also ingest with the embeddings on torch "
                             "(RASHOMON_EMBED_RUNTIME=torch), in another child, same run")
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
    figures["spacy_cpu_s"] = round(spacy_run["cpu_seconds"], 2)
    figures["analyze_cpu_s"] = round(analyze_run["cpu_seconds"], 2)
    figures["cpu_ratio_spacy_to_analyze"] = round(
        spacy_run["cpu_seconds"] / analyze_run["cpu_seconds"], 3)
    stages = analyze_run["stages"]
    story_level = sum(v for k, v in stages.items() if k.startswith("story-level"))
    figures["stage_cpu_s"] = {k: round(v, 2) for k, v in
                              sorted(stages.items(), key=lambda kv: -kv[1])}
    figures["stage_to_spacy"] = {k: round(v / spacy_run["cpu_seconds"], 3) for k, v in
                                 sorted(stages.items(), key=lambda kv: -kv[1])}
    figures["story_level_cpu_s"] = round(story_level, 2)
    figures["story_level_factor"] = _story_level_factor(analyze_run)
    if args.compare_torch:
        figures["torch"] = _compared(analyze_run, _in_child("_run_analyze", paths, "torch"),
                                     "torch")
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
    print(f"\n{'stage (CPU s)':40}{'seconds':>10}{'/ spaCy':>10}", file=sys.stderr)
    for name, spent in figures["stage_cpu_s"].items():
        print(f"{name:40}{spent:>10}{figures['stage_to_spacy'][name]:>10}", file=sys.stderr)
    print(f"{'ingest total':40}{figures['analyze_cpu_s']:>10}"
          f"{round(1 / figures['cpu_ratio_spacy_to_analyze'], 3):>10}", file=sys.stderr)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
