"""Articles per second of `ingest`: serial, in worker processes, and on a Dask LocalCluster.

    python bench/scale_out.py [../shared/eval/ecbplus/docs.jsonl] [--limit 500] [--workers 2]
        [--modes serial,workers,dask] [--db postgresql://USER@HOST:PORT/DB_{mode}]

The same public articles (ECB+, topics 1-35: the first `--limit` of docs.jsonl, written out as
text files, headline first) are ingested three ways, each in a fresh child process and a fresh
store: `serial` (the per-document stage in the ingesting process, `--workers 1`), `workers`
(`--workers N`: N local processes) and `dask` (`--dask local:N`: a Dask LocalCluster of N worker
processes). The store writes, the story placement and the story-level stage run in the
ingesting process in every mode.

What is timed is the ingest itself, on warm processes: the models are loaded in the ingesting
process, in every worker process and on every Dask worker before the clock starts (loading
takes 10-20 s per process, paid once per worker, not per article). Rates are articles over wall
seconds, so they are only comparable within one run of this script: read the ratios. The
store is SQLite in a temporary directory unless `--db` names another (a `{mode}` in it is
replaced by the mode's name, so that each mode gets an empty database of its own).

Prints one JSON line per mode (wall seconds, the ingesting process's CPU seconds and its
workers' CPU seconds during the ingest), then one JSON line last: rates, ratios to serial, CPU
seconds per article, and `idle_machine_ratio_to_serial`, the ratio N idle cores would give,
from the CPU seconds (bounded by the ingesting process on one core, or by all the work shared
over N cores): on a machine shared with other work, more processes also take a larger share of
the cores, which flatters the wall-clock ratio.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_DOCS = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "ecbplus" / "docs.jsonl"


def _write_articles(docs: Path, limit: int, folder: Path) -> list[str]:
    paths = []
    with docs.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= limit:
                break
            record = json.loads(line)
            path = folder / f"{number:05d}.txt"
            path.write_text(record["text"], encoding="utf-8")
            paths.append(str(path))
    return paths


def _warm(mode: str, workers: int) -> Any:
    """The runner for `mode`, its worker processes started and their models loaded."""
    from rashomon import runners

    if mode == "serial":
        return runners.InProcess()
    if mode == "workers":
        from concurrent.futures import wait

        local = runners.LocalProcesses(workers)
        pool = local._executor()  # noqa: SLF001 - a bench starts the pool ahead of the clock
        # one short task per worker: each worker runs its start-up (the models) first
        wait([pool.submit(time.sleep, 2.0) for _ in range(workers)])
        return local
    from rashomon.runners.cluster import DaskRunner

    dask = DaskRunner(f"local:{workers}")
    dask.client.run(runners.start_worker)
    return dask


def run_mode(mode: str, docs: Path, limit: int, workers: int, db: str | None) -> dict[str, Any]:
    from rashomon import embed, nlp, pipeline
    from rashomon.settings import load_settings
    from rashomon.store import open_store

    nlp.load_nlp()
    embed.load_embedder()
    runner = _warm(mode, workers)
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        paths = _write_articles(docs, limit, folder)
        location = db.replace("{mode}", mode) if db else str(Path(tmp) / "scale_out.db")
        with open_store(location) as store:
            workers_cpu = _descendants_cpu()
            started, cpu = time.perf_counter(), time.process_time()
            result = pipeline.ingest(paths, store=store, settings=settings, runner=runner)
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
            workers_cpu = {pid: spent - workers_cpu.get(pid, 0.0)
                           for pid, spent in _descendants_cpu().items()}
            stories = len(store.list_stories())
        # the SQLite file's size (with its write-ahead log), for a plan's database size
        size = sum(Path(location + suffix).stat().st_size for suffix in ("", "-wal")
                   if not db and Path(location + suffix).exists())
    if hasattr(runner, "close"):
        runner.close()
    return {"mode": mode, "workers": 1 if mode == "serial" else workers,
            "articles": len(paths), "added": len(result.added),
            "failed": len(result.failures), "stories": stories,
            "seconds": round(seconds, 1), "ingesting_process_cpu_s": round(cpu_seconds, 1),
            "workers_cpu_s": round(sum(workers_cpu.values()), 1),
            "store_kb_per_article": round(size / 1024 / max(len(result.added), 1), 1),
            "articles_per_s": round(len(paths) / seconds, 3)}


def _descendants_cpu() -> dict[int, float]:
    """CPU seconds (user + system) of each live descendant process: the workers."""
    import psutil  # installed with distributed

    spent = {}
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        spent[child.pid] = times.user + times.system
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", type=Path, nargs="?", default=DEFAULT_DOCS,
                        help="JSONL of articles {text, ...} [default: ECB+ docs.jsonl]")
    parser.add_argument("--limit", type=int, default=500, help="the first N articles")
    parser.add_argument("--workers", type=int, default=2,
                        help="worker processes, and Dask workers [default: 2]")
    parser.add_argument("--modes", default="serial,workers,dask")
    parser.add_argument("--db", help="store URL instead of a temporary SQLite file; "
                        "{mode} in it is replaced by the mode's name")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child run
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_mode(args.one, args.docs, args.limit, args.workers, args.db)))
        return 0
    if not args.docs.is_file():
        parser.error(f"{args.docs}: no such file")
    results: dict[str, dict[str, Any]] = {}
    for mode in args.modes.split(","):
        command = [sys.executable, __file__, str(args.docs), "--one", mode,
                   "--limit", str(args.limit), "--workers", str(args.workers)]
        if args.db:
            command += ["--db", args.db]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return 1
        results[mode] = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(results[mode]), flush=True)
    summary: dict[str, Any] = {"articles": args.limit, "workers": args.workers,
                               "store": args.db or "sqlite (temporary file)",
                               "articles_per_s": {m: r["articles_per_s"] for m, r in results.items()}}
    if "serial" in results:
        serial = results["serial"]["articles_per_s"]
        summary["ratio_to_serial"] = {m: round(r["articles_per_s"] / serial, 3)
                                      for m, r in results.items() if m != "serial"}
        # CPU seconds are what a shared machine disturbs least: the work per article, and
        # the rate N idle cores would give, bounded by the ingesting process (one core) or by
        # all the work shared over N cores, whichever is slower
        serial_cpu = results["serial"]["ingesting_process_cpu_s"]
        summary["cpu_s_per_article"] = {
            m: round((r["ingesting_process_cpu_s"] + r["workers_cpu_s"]) / r["articles"], 3)
            for m, r in results.items()}
        summary["idle_machine_ratio_to_serial"] = {
            m: round(serial_cpu / max(r["ingesting_process_cpu_s"],
                                      (r["ingesting_process_cpu_s"] + r["workers_cpu_s"])
                                      / r["workers"]), 3)
            for m, r in results.items() if m != "serial"}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
