"""Reading a stored story, next to the code on another branch, on ~1,000 public articles.

    python bench/serve_speed.py --ecbplus ../shared/eval/ecbplus/docs.jsonl \\
        --polnear ../shared/eval/polnear/train/text --polnear-limit 228 --work /tmp/serve-speed

Two copies of the code are measured in the same run: this working tree's `src/` and the `src/`
of a git ref (`--base`, default ``main``, exported with `git archive` into the work folder).
Each builds its own store from the same inputs (ECB+ records, then the first N PolNeAR texts),
once: a store in the work folder is reused by later runs, as building one takes a while; the
ingest's wall and CPU time are recorded when it is built (both ingests run side by side, each
on one thread, so their CPU times are the figures to compare). Then, each in a fresh process:

- ``story_page``: the first GET of the largest story's page (`/stories/ID`) from the app;
- ``api_story``: the first GET of that story's JSON report from the API (`/api/stories/ID`);
- ``check``: the first GET of `/check` with a claim (the largest story's first headline);
- ``check_warm``: the same with the embedding and stance models loaded first, as
  `rashomon serve` loads them while it starts;
- ``report``: `pipeline.report` of that story rendered as JSON (the analysis read back into
  objects, as several stories or a page need it), and the whole ``rashomon report ID --json``
  process where the code has that command: ``report_process`` once, in the environment as
  given (with ``PYTHONDONTWRITEBYTECODE=1`` every process compiles the package again; wall and
  ``_cpu``, the process's and its children's), and ``report_process_cached``, the best of
  three after one to warm up, with bytecode kept in the work folder as an installed package
  keeps it: what a user waits for.

Every probe reads a copy of the store as its ingest left it (``NAME-built.db``, kept when the
store is built): a request may fill the store (the first `/check` keeps the embeddings of its
candidates' sentences, the slowest part of it), and a later run measuring that store would
measure a second request. A work folder from before that copy was kept measures the store itself,
and says so.

Times are seconds, wall and CPU (``_cpu``: this process's own CPU time, the steadier figure on a
shared machine), after imports and app creation, which every server does once; the ratios are
this tree's figure over the base's. Prints a table on stderr and one JSON line last.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh process per measurement, with the code under test on PYTHONPATH.
_PROBE = r"""
import json, sys, time
from rashomon.settings import load_settings
from rashomon.store import open_store
db, what, story, claim = sys.argv[1:5]
settings = load_settings()
if what == "report":
    from rashomon import pipeline, render
    with open_store(db) as store:
        started, cpu = time.perf_counter(), time.process_time()
        text = render.dumps(pipeline.report(store, [story], settings))
else:
    from fastapi.testclient import TestClient
    from rashomon.serve import create_app
    client = TestClient(create_app(db, settings), base_url="http://127.0.0.1")
    if what == "check_warm":  # the models loaded first, as `rashomon serve` does as it starts
        client.app.state.service.warm_up()
    path = {"story_page": f"/stories/{story}", "api_story": f"/api/stories/{story}"}.get(
        what, "/check")
    params = {"claim": claim} if path == "/check" else {}
    started, cpu = time.perf_counter(), time.process_time()
    answer = client.get(path, params=params)
    assert answer.status_code == 200, (answer.status_code, answer.text[:300])
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}))
"""

MEASURES = ("story_page", "api_story", "check", "check_warm", "report")


def _env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src), "OMP_NUM_THREADS": "1",
            "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def _inputs(args: argparse.Namespace, work: Path) -> list[str]:
    """The ECB+ records and the first N PolNeAR texts, copied into the work folder (never into
    the repository)."""
    folder = work / "inputs"
    if not folder.exists():
        (folder / "polnear").mkdir(parents=True)
        (folder / "ecbplus.jsonl").write_bytes(Path(args.ecbplus).read_bytes())
        for path in sorted(Path(args.polnear).glob("*.txt"))[: args.polnear_limit]:
            (folder / "polnear" / path.name).write_bytes(path.read_bytes())
    return [str(folder / "ecbplus.jsonl"), str(folder / "polnear")]


def _base_src(ref: str, work: Path) -> Path:
    target = work / f"base-{ref.replace('/', '_')}"
    if not (target / "src" / "rashomon").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"


def _build(codes: dict[str, Path], inputs: list[str], work: Path) -> dict[str, dict[str, float]]:
    """Each code's store, built side by side once (wall and CPU seconds recorded)."""
    record = work / "builds.json"
    builds: dict[str, dict[str, float]] = (
        json.loads(record.read_text()) if record.exists() else {})
    running = {}
    for name, src in codes.items():
        if name in builds and (work / f"{name}.db").exists():
            continue
        (work / f"{name}.db").unlink(missing_ok=True)
        log = (work / f"{name}-ingest.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "rashomon", "ingest", *inputs, "--db", str(work / f"{name}.db")],
            env=_env(src), stdout=log, stderr=subprocess.STDOUT)
        running[name] = (process, time.perf_counter())
    for name, (process, started) in running.items():
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"{name} ingest failed: see {work}/{name}-ingest.log")
        builds[name] = {"wall": time.perf_counter() - started,
                        "cpu": usage.ru_utime + usage.ru_stime,
                        "max_rss_mb": usage.ru_maxrss / 1024}
        _keep_as_built(work / f"{name}.db")
    record.write_text(json.dumps(builds))
    return builds


def _built(db: Path) -> Path:
    return db.with_name(f"{db.stem}-built.db")


def _copy_store(source: Path, target: Path) -> None:
    """`source` and its write-ahead log (a store is whole only with it) copied to `target`."""
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    if Path(f"{source}-wal").exists():
        shutil.copyfile(f"{source}-wal", f"{target}-wal")


def _keep_as_built(db: Path) -> None:
    """A copy of the store as its ingest left it, for every probe to start from."""
    _copy_store(db, _built(db))


def _as_built(db: Path) -> Path:
    """A fresh copy of the store as built, for one probe; the store itself (with a note) when
    the work folder has no such copy."""
    if not _built(db).exists():
        print(f"note: no {_built(db).name} in the work folder: measuring {db.name} itself, "
              "which earlier runs may have filled (the first /check's embeddings)",
              file=sys.stderr)
        return db
    probe = db.with_name(f"{db.stem}-probe.db")
    _copy_store(_built(db), probe)
    return probe


def _largest_story(db: Path) -> tuple[str, str]:
    """The largest story's id and its first headline (read with sqlite, as both schemas share
    these tables)."""
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        story, = connection.execute(
            "SELECT story_id FROM story_documents GROUP BY story_id"
            " ORDER BY COUNT(*) DESC, story_id LIMIT 1").fetchone()
        text, = connection.execute(
            "SELECT d.text FROM story_documents sd JOIN documents d ON d.id = sd.doc_id"
            " WHERE sd.story_id = ? ORDER BY d.rowid LIMIT 1", (story,)).fetchone()
    return str(story), text.strip().splitlines()[0][:200]


def _probe(src: Path, db: Path, what: str, story: str, claim: str) -> dict[str, float]:
    """Wall and CPU seconds of one request (or report) in a fresh process."""
    answer = subprocess.run([sys.executable, "-c", _PROBE, str(db), what, story, claim],
                            env=_env(src), capture_output=True, text=True, check=False)
    if answer.returncode:
        raise SystemExit(f"{what} failed for {src}: {answer.stderr[-2000:]}")
    found: dict[str, float] = json.loads(answer.stdout.strip().splitlines()[-1])
    return found


def _report_process(src: Path, db: Path, story: str, *, bytecode: Path | None = None
                    ) -> tuple[float, float] | None:
    """Wall and CPU seconds of the whole `rashomon report ID --json` process, where the code
    has the command. `bytecode`: a folder where Python keeps the compiled package (else the
    environment decides)."""
    env = _env(src)
    if bytecode is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "rashomon", "report", story, "--db",
                                str(db), "--json"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    return seconds, usage.ru_utime + usage.ru_stime


def _cached_report_process(src: Path, db: Path, story: str, bytecode: Path
                           ) -> tuple[float, float] | None:
    """The best wall and CPU seconds of three report processes, after one that warms up."""
    runs = [_report_process(src, db, story, bytecode=bytecode) for _ in range(4)][1:]
    if any(run is None for run in runs):
        return None
    return min(r[0] for r in runs if r), min(r[1] for r in runs if r)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ecbplus", required=True, help="ECB+ docs.jsonl")
    parser.add_argument("--polnear", required=True, help="a PolNeAR text/ folder")
    parser.add_argument("--polnear-limit", type=int, default=228)
    parser.add_argument("--base", default="main", help="git ref measured beside this tree")
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "serve-speed"))
    parser.add_argument("--build-only", action="store_true", help="build the stores and stop")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    # the tree's store is built from a copy of its code, so that editing it meanwhile is safe
    snapshot = work / "tree-src"
    if not (work / "tree.db").exists():
        shutil.rmtree(snapshot, ignore_errors=True)
        shutil.copytree(ROOT / "src", snapshot)
    builds = _build({"base": _base_src(args.base, work), "tree": snapshot},
                    _inputs(args, work), work)
    codes = {"base": _base_src(args.base, work), "tree": ROOT / "src"}
    if args.build_only:
        print(json.dumps({"builds": builds}))
        return
    story, claim = _largest_story(work / "tree.db")
    if _largest_story(work / "base.db")[0] != story:
        raise SystemExit("the two stores grouped the articles differently")
    figures: dict[str, dict[str, float | None]] = {}
    for name, src in codes.items():
        db = work / f"{name}.db"
        figures[name] = {}
        for what in MEASURES:
            found = _probe(src, _as_built(db), what, story, claim)
            figures[name][what] = found["seconds"]
            figures[name][f"{what}_cpu"] = found["cpu"]
        once = _report_process(src, _as_built(db), story)
        figures[name]["report_process"] = once[0] if once else None
        figures[name]["report_process_cpu"] = once[1] if once else None
        cached = _cached_report_process(src, _as_built(db), story, work / f"pycache-{name}")
        figures[name]["report_process_cached"] = cached[0] if cached else None
        figures[name]["report_process_cached_cpu"] = cached[1] if cached else None
        figures[name]["ingest_wall"] = builds[name]["wall"]
        figures[name]["ingest_cpu"] = builds[name]["cpu"]
    ratios = {what: (figures["tree"][what] or 0) / base
              for what, base in figures["base"].items() if base}
    print(f"{'':18}{'base':>10}{'tree':>10}{'ratio':>8}", file=sys.stderr)
    for what in figures["tree"]:
        base, tree = figures["base"][what], figures["tree"][what]
        print(f"{what:18}{base if base is not None else float('nan'):>10.3f}"
              f"{tree if tree is not None else float('nan'):>10.3f}"
              f"{ratios.get(what, float('nan')):>8.3f}", file=sys.stderr)
    print(json.dumps({"story": story, "documents": _count(work / "tree.db"),
                      "base": figures["base"], "tree": figures["tree"], "ratios": ratios,
                      "builds": builds}))


def _count(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0])


if __name__ == "__main__":
    main()
