"""Where the per-document stage of an ingest runs: this process, local worker processes, Dask.

The per-document stage (`pipeline.document_stage`: embed the lede, parse, annotate) needs
nothing but a batch of documents and the settings, and gives the same result in any process;
it is most of an ingest's CPU. A runner takes the batches of one ingest, keeps its workers busy
with the next few, and hands back each batch's result in the batches' order, as soon as it and
those before it are done. The store writes, the story placement and the story-level stage stay
in the process that runs the ingest; since they see the documents in input order whatever ran
them, the store, the stories and every report are the same as the serial path's (a store keeps
its documents in the order they were written, and a story lists them so). A batch done early
waits for the ones before it: at most `AHEAD` batches per worker are held.

- `InProcess`: here, batch after batch (`--workers 1`, today's serial path);
- `LocalProcesses`: N worker processes of this machine (`--workers N`);
- `rashomon.runners.cluster.DaskRunner`: the workers of a Dask cluster (`--dask`).

Models are loaded once per worker process (`nlp.load_nlp` and `embed.load_embedder` are cached
per process), never shipped. A batch whose worker fails as a whole (the process died, the task
could not run) is each of its documents' failure, one line each; the others go on.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Protocol

from rashomon.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from rashomon.model import Document
    from rashomon.pipeline import BatchResult
    from rashomon.settings import Settings

__all__ = [
    "AHEAD", "InProcess", "LocalProcesses", "Runner", "cores", "embed_chunk", "failed_batch",
    "gathered", "run_batch", "start_worker", "text_chunks",
]

# Batches handed out per worker ahead of the one whose result is awaited, so that a worker
# seldom waits for a slower one's batch to be collected; more would only hold more documents
# and results in memory.
AHEAD = 3
# Texts embedded by a worker at a time: fewer would leave its same-length batches part empty.
EMBED_CHUNK_MIN = 256
# How often a worker process looks whether the process it works for is still there.
PARENT_CHECK_SECONDS = 1.0


class Runner(Protocol):
    """Runs the per-document stage over batches; yields each batch's result, in their order.
    Also embeds the texts the story-level stage will ask for (`embed`), on the same workers."""

    def run(self, batches: Sequence[Sequence[Document]],
            settings: Settings) -> Iterator[BatchResult]: ...

    def embed(self, texts: Sequence[str], settings: Settings) -> np.ndarray: ...


def embed_chunk(texts: Sequence[str], batch_size: int) -> np.ndarray:
    """`embed.embed` as a worker's task."""
    from rashomon import embed

    return embed.embed(texts, batch_size=batch_size)


def text_chunks(texts: Sequence[str], workers: int) -> list[list[int]]:
    """Row numbers of `texts` cut into chunks for `workers` workers: by length first, so that
    each chunk's texts fill the embedder's same-length batches, and a few chunks per worker,
    so that none waits long for the last one."""
    order = sorted(range(len(texts)), key=lambda row: (len(texts[row]), row))
    size = max(EMBED_CHUNK_MIN, -(-len(order) // (workers * AHEAD)))
    return [order[start : start + size] for start in range(0, len(order), size)]


def gathered(texts: Sequence[str], chunks: Sequence[Sequence[int]],
             vectors: Iterator[np.ndarray]) -> np.ndarray:
    """The chunks' vectors back in the order of `texts`."""
    import numpy as np

    from rashomon import embed

    out = np.empty((len(texts), embed.EMBEDDING_DIM), dtype=np.float32)
    for rows, chunk in zip(chunks, vectors, strict=True):
        out[list(rows)] = chunk
    return out


def cores() -> int:
    """The cores this process may run on (the default number of workers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def start_worker(parent: int | None = None) -> None:
    """Ready a worker process: one thread for torch and ONNX Runtime (the workers share the cores), and the
    models loaded now, once, rather than in the first batch. With `parent` (the ingesting
    process's id), the worker ends itself when that process is gone."""
    import torch

    if parent is not None:
        end_with(parent)

    from rashomon import embed, nlp

    torch.set_num_threads(1)
    os.environ["OMP_NUM_THREADS"] = "1"  # ONNX Runtime's threads (`rashomon.embed_onnx`)
    nlp.load_nlp()
    embed.load_embedder()


def end_with(parent: int) -> None:
    """End this process, from a thread watching, once the process `parent` is gone."""
    threading.Thread(target=_end_with, args=(parent,), daemon=True,
                     name="rashomon-end-with").start()


def _end_with(parent: int) -> None:
    """End this process once `parent` is gone: an ingest killed with SIGKILL cannot stop its
    workers, and each holds the models (600 MB); the pool's own pipes do not tell them."""
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # alive, and someone else's now: the id was reused
            os._exit(1)


def run_batch(documents: Sequence[Document], settings: Settings) -> BatchResult:
    """`pipeline.document_stage` as a worker's task (importable by name in any process)."""
    from rashomon.pipeline import document_stage

    return document_stage(documents, settings)


def failed_batch(documents: Sequence[Document], error: BaseException) -> BatchResult:
    """A batch whose task failed as a whole: each of its documents fails, naming why."""
    from rashomon.pipeline import BatchResult

    reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return BatchResult((), tuple(InputError(d.source, f"worker failed: {reason}")
                                 for d in documents))


class InProcess:
    """The per-document stage in this process, batch after batch."""

    def run(self, batches: Sequence[Sequence[Document]],
            settings: Settings) -> Iterator[BatchResult]:
        for batch in batches:
            yield run_batch(batch, settings)

    def embed(self, texts: Sequence[str], settings: Settings) -> np.ndarray:
        return embed_chunk(texts, settings.embed_batch_size)


class LocalProcesses:
    """The per-document stage in `workers` processes of this machine (started with
    forkserver: a clean process each, not a copy of this one's threads and open store).

    The pool starts on the first run with more than one batch (a small ingest is not worth
    loading the models again in each worker) and stops with `close`.
    """

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalProcesses:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing

            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("forkserver"),
                initializer=start_worker, initargs=(os.getpid(),))
        return self._pool

    def embed(self, texts: Sequence[str], settings: Settings) -> np.ndarray:
        chunks = text_chunks(texts, self.workers)
        if self._pool is None or len(chunks) <= 1:  # no pool started for this ingest's batches
            return InProcess().embed(texts, settings)
        try:
            return gathered(texts, chunks, self._executor().map(
                embed_chunk, [[texts[row] for row in rows] for rows in chunks],
                [settings.embed_batch_size] * len(chunks)))
        except Exception:  # noqa: BLE001 - the workers failed: embedded here, only slower
            return InProcess().embed(texts, settings)

    def run(self, batches: Sequence[Sequence[Document]],
            settings: Settings) -> Iterator[BatchResult]:
        if self.workers == 1 or len(batches) <= 1:
            yield from InProcess().run(batches, settings)
            return
        pool = self._executor()
        waiting = iter(batches)
        ahead: deque[tuple[Future[BatchResult], Sequence[Document]]] = deque()

        def submit() -> None:
            batch = next(waiting, None)
            if batch is not None:
                ahead.append((pool.submit(run_batch, list(batch), settings), batch))

        for _ in range(self.workers * AHEAD):
            submit()
        while ahead:
            future, batch = ahead.popleft()
            error = future.exception()  # waits for it: results go back in the batches' order
            submit()
            yield failed_batch(batch, error) if error is not None else future.result()
