"""The `rashomon` command. Thin: each command validates its options and calls the library.

Exit codes (documented in the README, in docs/failure-modes.md and in `rashomon --help`):
  0    every input was analysed
  1    some inputs failed (each named on stderr); the others were analysed and reported
  2    usage error: an unknown option, a bad value, no input
  3    nothing could be done: the store or the settings file is unusable, every input failed,
       no story asked for exists, or the machine refused (a full disk, a report path that
       cannot be written)
  4    an internal error (a bug): one line on stderr asking for a report; the traceback with
       --debug or RASHOMON_DEBUG=1
  130  interrupted (Ctrl-C)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from rashomon import __version__
from rashomon.errors import ConfigError, RashomonError, SettingsFileError, StoreError
from rashomon.settings import Settings, embed_runtime, load_settings

if TYPE_CHECKING:
    # rich is imported where it draws: `rashomon report --json` prints no table or bar
    from rich.console import Console

    from rashomon.model import Analysis
    from rashomon.store import Store

__all__ = [
    "EXIT_FAILED_INPUTS",
    "EXIT_INTERNAL_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_NOTHING_DONE",
    "EXIT_OK",
    "EXIT_USAGE",
    "cli",
    "main",
]

EXIT_OK = 0
EXIT_FAILED_INPUTS = 1
EXIT_USAGE = 2
EXIT_NOTHING_DONE = 3
EXIT_INTERNAL_ERROR = 4
EXIT_INTERRUPTED = 130

F = TypeVar("F", bound=Callable[..., Any])


def _default_db() -> str:
    from rashomon.store import DEFAULT_DB

    return os.environ.get("RASHOMON_DB", str(DEFAULT_DB))


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def store_options(func: F) -> F:
    """Options shared by the commands that read or write the store."""
    func = click.option(
        "--db", "db", metavar="PATH|URL", default=None,
        help="Store of documents, annotations and stories: a SQLite file, or a PostgreSQL "
        "database as postgresql://USER@HOST:PORT/DB [default: ./rashomon.db, or $RASHOMON_DB].",
    )(func)
    func = click.option(
        "--config", "config", metavar="FILE", type=click.Path(dir_okay=False),
        help="TOML file of settings laid over the defaults (see README, Settings).",
    )(func)
    return func


def report_options(func: F) -> F:
    """Where a report goes: `--json` on stdout, `--out` to a file (analyze and report)."""
    func = click.option(
        "--out", "out", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
        help="Also write the report to FILE: Markdown for .md, JSON for .json, a standalone "
        "page for .html (one file, works offline).",
    )(func)
    func = click.option("--json", "as_json", is_flag=True,
                        help="Print the report as one JSON document on stdout.")(func)
    return func


def input_options(func: F) -> F:
    """Options shared by the commands that read inputs."""
    func = click.option(
        "--max-document-bytes", type=click.IntRange(min=1), metavar="N",
        help="Refuse documents larger than N bytes [default: 2000000].",
    )(func)
    func = click.option(
        "--published", metavar="YYYY-MM-DD", callback=_check_date,
        help="Publication date of plain-text inputs that do not give one.",
    )(func)
    func = click.option(
        "--outlet", metavar="NAME", help="Outlet of plain-text inputs that do not name one."
    )(func)
    return func


def scale_options(func: F) -> F:
    """Where the per-document stage runs: local worker processes, or a Dask cluster."""
    func = click.option(
        "--dask", "dask", metavar="local[:N] | tcp://HOST:PORT",
        help="Run the per-document stage on Dask workers: a local cluster of N worker "
        "processes, or the workers of the scheduler at tcp://HOST:PORT (see README, When one "
        "machine is not enough).",
    )(func)
    func = click.option(
        "--workers", type=click.IntRange(min=1), metavar="N",
        help="Run the per-document stage (parse, annotate, embed) in N processes; 1 runs it "
        "in this one [default: the number of cores].",
    )(func)
    return func


def _runner_or_exit(workers: int | None, dask: str | None) -> Any:
    """The runner the options ask for (`rashomon.runners`), made before the store is opened:
    a Dask scheduler that does not answer is one line and exit 3, with nothing written."""
    from rashomon.runners import LocalProcesses, cores

    if dask is None:
        return LocalProcesses(workers or cores())
    if workers is not None:
        raise click.UsageError("--workers and --dask: give one (--dask local:N for N workers)")
    from rashomon.runners.cluster import ClusterError, DaskRunner, parse_spec

    try:
        parse_spec(dask)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--dask") from None
    try:
        return DaskRunner(dask)
    except ClusterError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_NOTHING_DONE)


def _settings_or_exit(config: str | None, max_document_bytes: int | None = None) -> Settings:
    """The settings, or one line on stderr: exit code 2 for a bad value (a usage error), 3 when
    the settings file itself is missing or unreadable. The embedding runtime, a setting of the
    environment (`$RASHOMON_EMBED_RUNTIME`), is checked with them, before any work."""
    try:
        settings = load_settings(config, max_document_bytes=max_document_bytes)
        embed_runtime()
        return settings
    except SettingsFileError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_NOTHING_DONE)
    except ConfigError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_USAGE)


def _existing_store_or_exit(db: str | None) -> str:
    """The store location, or one line and exit code 3 when it is a path to no file: reading
    commands must not leave an empty store behind a mistyped path."""
    location = db or _default_db()
    if "://" not in location and not Path(location).exists():
        click.echo(f"error: no store at {location}; add documents with `rashomon ingest`",
                   err=True)
        sys.exit(EXIT_NOTHING_DONE)
    return location


def _check_out_suffix(out: Path | None) -> None:
    if out is not None and out.suffix.lower() not in _OUT_SUFFIXES:
        raise click.BadParameter(f"{out}: the report file must end in .md, .json or .html",
                                 param_hint="--out")


_OUT_SUFFIXES = (".md", ".markdown", ".json", ".html", ".htm")


def _needs_analysis(*, as_json: bool, out: Path | None, quiet: bool) -> bool:
    """Whether the report asked for needs more than its JSON text: a page or Markdown file,
    or the terminal's report."""
    writes_other = out is not None and out.suffix.lower() != ".json"
    return writes_other or not (as_json or quiet)


def _emit_report(analysis: Any, *, as_json: bool, out: Path | None, quiet: bool,
                 json_text: str | None = None) -> int:
    """Write the report to --out (by its suffix) and print it; 0, or 3 when --out cannot be
    written (one line naming the file and the reason). `json_text`: the JSON report, when
    known already (`analysis` is then needed only for what `_needs_analysis` says)."""
    from rashomon import render

    writes_json = as_json or (out is not None and out.suffix.lower() == ".json")
    if json_text is None:
        json_text = render.dumps(analysis) if writes_json else ""
    if out is not None:
        suffix = out.suffix.lower()
        if suffix == ".json":
            text = json_text
        elif suffix in (".html", ".htm"):
            text = render.to_html(analysis)
        else:
            text = render.to_markdown(analysis)
        try:
            _write_atomically(out, text)
        except OSError as error:
            click.echo(f"error: cannot write the report to {out}: "
                       f"{error.strerror or error}", err=True)
            return EXIT_NOTHING_DONE
    if as_json:
        sys.stdout.write(f"{json_text}\n")
    elif not quiet:
        from rich.console import Console

        render.print_report(analysis, Console())
    return EXIT_OK


def _stdin_for(inputs: Sequence[str]) -> Any:
    """Standard input as bytes, only when an input is `-` (CI runs with no stdin at all)."""
    return sys.stdin.buffer if "-" in inputs and sys.stdin is not None else None


def _echo_failures(result: Any) -> None:
    for failure in result.failures:
        click.echo(f"skipped {failure}", err=True)


def _exit_code(result: Any) -> int:
    """3 when no input became a document, 1 when some failed, else 0."""
    if not result.input_documents:
        return EXIT_NOTHING_DONE
    return EXIT_FAILED_INPUTS if result.failures else EXIT_OK


class _BarProgress:
    """The pipeline's progress hook drawn as a rich progress bar on stderr."""

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self._bar = Progress(
            "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
            TimeRemainingColumn(), console=console, transient=True,
        )
        self._task = self._bar.add_task("analysing", total=None)

    def __enter__(self) -> _BarProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def total(self, count: int) -> None:
        self._bar.update(self._task, total=count)

    def advance(self, count: int = 1) -> None:
        self._bar.advance(self._task, count)


def _write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that a failure never leaves a half-written report."""
    import tempfile  # here: most commands write no file

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        # mkstemp makes the file private (0600); a report is meant to be shared like any file
        # the user writes, so it gets the mode the umask gives a new file
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _debugging(ctx: click.Context) -> bool:
    return bool(ctx.params.get("debug")) or os.environ.get("RASHOMON_DEBUG", "") not in ("", "0")


class _Guarded(click.Group):
    """The command group, with every failure turned into one line and a documented exit code.

    Expected failures (`RashomonError`, and `OSError`: a full disk, an unwritable report path)
    say what went wrong and exit 3; anything else is a bug: one line that says so and asks for
    a report, exit 4, and the traceback only when asked for (--debug, RASHOMON_DEBUG=1).
    Click's own exits and usage errors pass through.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except RashomonError as error:
            if _debugging(ctx):
                traceback.print_exc()
            click.echo(f"error: {error}", err=True)
            ctx.exit(EXIT_NOTHING_DONE)
        except OSError as error:
            # the machine, not rashomon: a full disk, a report path that cannot be written
            if _debugging(ctx):
                traceback.print_exc()
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"error: {where}{error.strerror or error}", err=True)
            ctx.exit(EXIT_NOTHING_DONE)
        except Exception as error:  # noqa: BLE001 - the last line of defence is the point
            if _debugging(ctx):
                traceback.print_exc()
            hint = "" if _debugging(ctx) else "; --debug shows the traceback"
            click.echo(f"internal error: {type(error).__name__}: {str(error)[:200]} (a bug in "
                       f"rashomon {__version__}: please report it, with the command that gave "
                       f"it{hint})", err=True)
            ctx.exit(EXIT_INTERNAL_ERROR)


@click.group(
    cls=_Guarded,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit codes: 0 all inputs analysed; 1 some inputs failed, the rest analysed; "
    "2 usage error; 3 nothing could be done (store, settings file, every input failed, no such "
    "story, --out not writable); 4 internal error (a bug: please report it); 130 interrupted.",
)
@click.version_option(__version__, prog_name="rashomon")
@click.option("--debug", is_flag=True, envvar="RASHOMON_DEBUG",
              help="On an internal error, print the traceback [or RASHOMON_DEBUG=1].")
def cli(debug: bool) -> None:
    """Rashomon reads many outlets' coverage of the same events and shows who claims what,
    who corroborates, who contradicts or denies, and how each outlet tells it."""
    _show_warnings()


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@store_options
@report_options
@input_options
@scale_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no terminal report.")
def analyze(
    inputs: Sequence[str], db: str | None, config: str | None, as_json: bool, out: Path | None,
    outlet: str | None, published: str | None, max_document_bytes: int | None, quiet: bool,
    workers: int | None, dask: str | None,
) -> None:
    """Analyse INPUT... and report on the stories they belong to.

    INPUT is a text, HTML, JSON or JSONL file, an RSS/Atom feed, a directory (read recursively;
    hidden files, READMEs and sidecars skipped), an http(s) URL, or - for standard input. A text
    or HTML file may carry metadata in a sidecar NAME.meta.json ({"outlet", "published",
    "title", "url", "author"}).

    Documents, annotations and stories are kept in the store (--db), so running the same inputs
    again changes nothing, and the report covers every stored document of those stories.
    """
    from rich.console import Console

    _check_out_suffix(out)
    err = Console(stderr=True)
    settings = _settings_or_exit(config, max_document_bytes)
    with _runner_or_exit(workers, dask) as runner:
        exit_code = _run_analyze(
            inputs, db=db or _default_db(), settings=settings, as_json=as_json, out=out,
            outlet=outlet, published=published, quiet=quiet, err=err, runner=runner,
        )
    sys.exit(exit_code)


def _run_analyze(
    inputs: Sequence[str], *, db: str, settings: Settings, as_json: bool, out: Path | None,
    outlet: str | None, published: str | None, quiet: bool, err: Console, runner: Any = None,
) -> int:
    from rashomon import pipeline
    from rashomon.store import open_store

    show_bar = not quiet and sys.stderr.isatty()
    stdin = _stdin_for(inputs)
    try:
        with open_store(db) as store:
            # a Progress in all but name: pipeline (and its heavy imports) loads only when run
            progress: Any = _BarProgress(err) if show_bar else None
            with progress or contextlib.nullcontext():
                result = pipeline.analyze(inputs, store=store, settings=settings, outlet=outlet,
                                          published=published, stdin=stdin, progress=progress,
                                          runner=runner)
    except RashomonError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_NOTHING_DONE
    _echo_failures(result)
    written = _emit_report(result.analysis, as_json=as_json, out=out, quiet=quiet)
    return written or _exit_code(result)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@store_options
@click.option("--json", "as_json", is_flag=True,
              help="Print the stories touched as one JSON document on stdout.")
@input_options
@scale_options
def ingest(
    inputs: Sequence[str], db: str | None, config: str | None, as_json: bool,
    outlet: str | None, published: str | None, max_document_bytes: int | None,
    workers: int | None, dask: str | None,
) -> None:
    """Add INPUT... to the store and attach each new document to a story.

    The ingest half of `analyze`, without the report: each new document joins the story it
    reports (or starts one), near-duplicates (syndicated copies, light rewrites) are marked, and
    one line per story touched is printed: id, size, documents added, title. Inputs are read as
    by `analyze`; documents already stored change nothing.
    """
    settings = _settings_or_exit(config, max_document_bytes)
    with _runner_or_exit(workers, dask) as runner:
        exit_code = _run_ingest(inputs, db=db or _default_db(), settings=settings,
                                as_json=as_json, outlet=outlet, published=published,
                                runner=runner)
    sys.exit(exit_code)


def _run_ingest(
    inputs: Sequence[str], *, db: str, settings: Settings, as_json: bool, outlet: str | None,
    published: str | None, runner: Any = None,
) -> int:
    import json

    from rashomon import pipeline
    from rashomon.store import open_store

    stdin = _stdin_for(inputs)
    try:
        with open_store(db) as store:
            result = pipeline.ingest(inputs, store=store, settings=settings, outlet=outlet,
                                     published=published, stdin=stdin, runner=runner)
            added = set(result.added)
            duplicates = store.near_duplicates(result.input_documents)
            touched: dict[str, list[str]] = {}
            for doc_id in result.input_documents:
                story_id = store.story_of(doc_id)
                if story_id is not None:
                    touched.setdefault(story_id, []).append(doc_id)
            rows = {row.id: row for row in store.list_stories()}
    except RashomonError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_NOTHING_DONE
    _echo_failures(result)
    summary: list[dict[str, Any]] = [
        {"story": story_id, "title": rows[story_id].title, "size": rows[story_id].size,
         "added": [d for d in docs if d in added], "documents": docs,
         "near_duplicates": {d: duplicates[d][0] for d in docs if d in duplicates}}
        for story_id, docs in touched.items() if story_id in rows
    ]
    if as_json:
        sys.stdout.write(json.dumps({"stories": summary, "added": len(added),
                                     "unchanged": len(result.unchanged),
                                     "failed": [str(f) for f in result.failures]}) + "\n")
    else:
        for item in summary:
            dup = f", {len(item['near_duplicates'])} near-duplicate" if item["near_duplicates"] else ""
            click.echo(f"{item['story']}  {item['size']} docs (+{len(item['added'])}{dup})  "
                       f"{item['title'] or '(untitled)'}")
        recovered = (f", {len(result.recovered)} stored by an interrupted run placed now"
                     if result.recovered else "")
        click.echo(f"{len(added)} added, {len(result.unchanged)} already stored, "
                   f"{len(result.failures)} failed{recovered}")
    return _exit_code(result)


@cli.command(name="check")
@click.argument("claim", metavar="CLAIM")
@store_options
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON document.")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True,
              metavar="N", help="Show at most N documents.")
def check_command(claim: str, db: str | None, config: str | None, as_json: bool,
                  limit: int) -> None:
    """List the stored articles that support CLAIM, refute it, or only report it.

    Candidates come from the stories that share the claim's rarest terms (never the whole
    store); each is scored by the stance model, best first, with the sentences closest to the
    claim. Prints outlet, stance, score and the words; --json for scripts.
    """
    import json

    from rashomon.check import check_claim
    from rashomon.store import open_store

    if not claim.strip():
        raise click.BadParameter("the claim is empty", param_hint="CLAIM")
    settings = _settings_or_exit(config, None)
    location = _existing_store_or_exit(db)
    try:
        with open_store(location) as store:
            if store.term_document_count() == 0:
                click.echo(f"error: the store at {location} is empty; add documents with "
                           "`rashomon ingest`", err=True)
                sys.exit(EXIT_NOTHING_DONE)
            results = check_claim(store, claim, settings, limit=limit)
    except RashomonError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_NOTHING_DONE)
    if as_json:
        sys.stdout.write(json.dumps({"claim": claim, "results": [
            {"document": r.document, "story": r.story, "outlet": r.outlet, "title": r.title,
             "stance": r.stance, "score": r.score, "claim": r.claim,
             "probabilities": dict(r.probabilities),
             "spans": [{"start": s.start, "end": s.end, "text": w}
                       for s, w in zip(r.spans, r.words, strict=True)]}
            for r in results]}) + "\n")
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table("Outlet", "Stance", "Score", "Words", title=f"Check: {escape(claim)}")
    for r in results:
        table.add_row(escape(r.outlet), r.stance, f"{r.score:.2f}", escape(r.words[0]))
    Console().print(table)
    if not results:
        click.echo("no stored article speaks of this claim")


@cli.command(name="report")
@click.argument("story_ids", nargs=-1, required=True, metavar="STORY_ID...")
@store_options
@report_options
@click.option("-q", "--quiet", is_flag=True, help="No terminal report (with --out).")
def report_command(story_ids: Sequence[str], db: str | None, config: str | None, as_json: bool,
                   out: Path | None, quiet: bool) -> None:
    """Print stored stories again: the report `analyze` prints, read from the store.

    STORY_ID is an id listed by `rashomon stories` (an id merged into another story stands for
    that story). Nothing is analysed again: each story's analysis was stored by the ingest that
    last changed it. A story whose stored analysis is missing or out of date (an ingest stopped
    before it, or the settings that shape it changed) is analysed now and stored, with a note.
    """
    _check_out_suffix(out)
    settings = _settings_or_exit(config, None)
    location = _existing_store_or_exit(db)
    sys.exit(_run_report(story_ids, db=location, settings=settings, as_json=as_json, out=out,
                         quiet=quiet))


def _run_report(story_ids: Sequence[str], *, db: str, settings: Settings, as_json: bool,
                out: Path | None, quiet: bool) -> int:
    from rashomon.store import open_store

    def note(story_id: str) -> None:
        click.echo(f"note: story {story_id}: its stored analysis was missing or out of date; "
                   "analysed now and stored", err=True)

    unknown: list[str] = []
    try:
        with open_store(db) as store:
            live = store.story_members()
            wanted: list[str] = []
            for story_id in story_ids:
                try:
                    resolved = store.resolve_story(story_id)
                except RashomonError:
                    resolved = None
                if resolved is None or resolved not in live:
                    unknown.append(story_id)
                elif resolved not in wanted:
                    wanted.append(resolved)
            for story_id in unknown:
                click.echo(f"error: no story {story_id} in {db}; `rashomon stories` lists them",
                           err=True)
            if not wanted:
                return EXIT_NOTHING_DONE
            analysis, json_text = _report_of(store, wanted, settings, note, as_json=as_json,
                                             out=out, quiet=quiet)
    except RashomonError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_NOTHING_DONE
    written = _emit_report(analysis, as_json=as_json, out=out, quiet=quiet, json_text=json_text)
    return written or (EXIT_FAILED_INPUTS if unknown else EXIT_OK)


def _report_of(store: Store, story_ids: Sequence[str], settings: Settings,
               note: Callable[[str], None], *, as_json: bool, out: Path | None,
               quiet: bool) -> tuple[Analysis | None, str | None]:
    """The stories' analysis (None when not needed) and their JSON report (None when not
    known yet).

    One story's JSON report alone is the text kept with its analysis, when that is current
    (`rashomon.render.stored`): no object of the analysis is built. Otherwise the analysis is
    read; one story's JSON report rendered from it is then kept for the next time.
    """
    from rashomon.render import stored
    from rashomon.story_stage import read_stories

    if len(story_ids) != 1 or _needs_analysis(as_json=as_json, out=out, quiet=quiet):
        return read_stories(store, story_ids, settings, on_stale=note), None
    # the key asked for before anything is read: what is kept below is kept only with it
    key = stored.current_key(store, story_ids[0], settings)
    text = stored.read(store, story_ids[0], key)
    if text is not None:
        return None, text
    stale: list[str] = []

    def noted(story_id: str) -> None:
        stale.append(story_id)
        note(story_id)

    analysis = read_stories(store, story_ids, settings, on_stale=noted)
    from rashomon import render

    text = render.dumps(analysis)
    if not stale:  # a story analysed now kept its report with its analysis
        with contextlib.suppress(StoreError):  # a store this process may not write
            stored.keep(store, story_ids[0], key, text)
    return analysis, text


@cli.command(name="stories")
@store_options
@click.option("--json", "as_json", is_flag=True, help="Print the stories as one JSON document.")
@click.option("--history", is_flag=True,
              help="Also list every recorded merge of two stories and move of a document from "
              "one story to another, with when it happened, oldest first.")
def list_stories(db: str | None, config: str | None, as_json: bool, history: bool) -> None:
    """List the stories in the store: id, size, first and last dates, outlets, title.

    A story keeps its id as it grows; a story merged into another (a later article bridged
    them) is listed under the id it was merged into. A document placed early can be moved to
    another story once later documents show it belongs there; --history lists those moves and
    the merges.
    """
    import json

    from rashomon.store import open_store

    location = _existing_store_or_exit(db)
    _settings_or_exit(config)
    try:
        with open_store(location) as store:
            rows = store.list_stories()
            events = store.story_history() if history else []
    except RashomonError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_NOTHING_DONE)
    if as_json:
        listing: dict[str, object] = {"stories": [
            {"id": r.id, "title": r.title, "size": r.size, "first_published": r.first_published,
             "last_published": r.last_published, "outlets": list(r.outlets),
             "created_at": r.created_at} for r in rows]}
        if history:
            listing["history"] = [
                {"kind": e.kind, "at": e.at, "from": e.from_story, "into": e.into_story,
                 "document": e.doc_id, "run": e.run_id} for e in events]
        sys.stdout.write(json.dumps(listing) + "\n")
        return
    for r in rows:
        dates = "–".join(dict.fromkeys(d for d in (r.first_published, r.last_published) if d))
        click.echo(f"{r.id}  {r.size:>3} docs  {dates or 'undated':<21}  "
                   f"{', '.join(r.outlets) or '-'}  {r.title or '(untitled)'}")
    if not rows:
        click.echo("no stories yet: add documents with `rashomon ingest INPUT...`")
    if history and rows and not events:
        click.echo("no merges or moves recorded")
    for e in events:
        what = f"moved {e.doc_id}" if e.kind == "move" else "merged"
        click.echo(f"{e.at}  {what}: {e.from_story} -> {e.into_story}")


@cli.command()
@store_options
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="Address to listen on. Any address other than a loopback one (127.0.0.1, "
              "::1, localhost) requires a token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--token", envvar="RASHOMON_TOKEN", metavar="TOKEN",
              help="Access token (16+ printable ASCII characters besides spaces; default "
              "$RASHOMON_TOKEN): the API then needs 'Authorization: Bearer TOKEN', the pages a "
              "sign-in with it.")
def serve(db: str | None, config: str | None, host: str, port: int, token: str | None) -> None:
    """Serve the store over HTTP: the browser app and the JSON API (under /api).

    The pages list the stories (search by title words, sort by date or size) and show each
    story: its brief, contested claims side by side, quote variants as word diffs, timeline,
    outlets with their framing, and the sources with every citation highlighted on click.
    The API (schema at /api/openapi.json) serves stories, documents, entities and timelines,
    and adds documents (POST /api/documents). Binds 127.0.0.1 unless --host says otherwise.
    """
    from rashomon.serve import BindRefused
    from rashomon.serve import serve as run_server

    settings = _settings_or_exit(config, None)
    location = _existing_store_or_exit(db)
    try:
        run_server(location, settings=settings, host=host, port=port, token=token)
    except BindRefused as error:
        raise click.UsageError(str(error)) from None
    except RashomonError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_NOTHING_DONE)


class _LogLines(logging.Handler):
    """The library's log records on stderr: ``warning: ...`` for a file with invalid bytes, and
    a server's ``error: ...`` with its traceback."""

    def emit(self, record: logging.LogRecord) -> None:
        line = f"{record.levelname.lower()}: {record.getMessage()}"
        if record.exc_info:
            line += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        click.echo(line, err=True)


def _show_warnings() -> None:
    logger = logging.getLogger("rashomon")
    if not any(isinstance(handler, _LogLines) for handler in logger.handlers):
        logger.addHandler(_LogLines(logging.WARNING))


def main() -> None:
    """Entry point of the `rashomon` script and of `python -m rashomon`."""
    cli(prog_name="rashomon")
