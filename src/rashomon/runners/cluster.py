"""The per-document stage on the workers of a Dask cluster (`rashomon ingest --dask ...`).

``local`` or ``local:N`` starts a Dask LocalCluster of N worker processes on this machine (one
thread each; N defaults to the number of cores) for the run; ``tcp://HOST:PORT`` connects to a
running scheduler (`dask scheduler`) whose workers (`dask worker tcp://HOST:PORT`) have rashomon
and its models installed. Each batch is one task, a few per worker handed out ahead; results are
collected in the batches' order (`rashomon.runners` says why), each as soon as it and those
before it are done.

A worker that dies mid-run loses only the tasks it held: the scheduler runs them again on
another worker, and since the parent stores a batch only when its task's result arrives, once,
nothing is lost or stored twice. A task that kills its worker again and again (Dask gives up
after `distributed.scheduler.allowed-failures`, 3) fails its batch's documents, one line each.

Models are loaded once per worker process: the stage's loaders are cached per process, and a
worker's first task loads them (`start_worker`).
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from distributed.diagnostics.plugin import WorkerPlugin

from rashomon.errors import RashomonError
from rashomon.runners import (
    AHEAD, InProcess, cores, embed_chunk, end_with, failed_batch, gathered, run_batch,
    start_worker, text_chunks,
)

if TYPE_CHECKING:
    import numpy as np

    from rashomon.model import Document
    from rashomon.pipeline import BatchResult
    from rashomon.settings import Settings

__all__ = ["CONNECT_SECONDS", "ClusterError", "DaskRunner", "EndWithIngest", "parse_spec"]

# How long a scheduler address is given to answer before the run is refused.
CONNECT_SECONDS = 10

_LOCAL = re.compile(r"local(?::(\d+))?")


class ClusterError(RashomonError):
    """The Dask cluster cannot be reached or started."""


def parse_spec(spec: str) -> tuple[str | None, int]:
    """``local[:N]`` -> (None, N); a scheduler address -> (address, 0). A bad value raises
    ValueError with the reason."""
    local = _LOCAL.fullmatch(spec.strip())
    if local is not None:
        count = int(local.group(1)) if local.group(1) else cores()
        if count < 1:
            raise ValueError("local:N needs N of 1 or more")
        return None, count
    if re.fullmatch(r"(tcp|tls|ws|wss|inproc|ucx)://\S+", spec.strip()):
        return spec.strip(), 0
    raise ValueError(f"{spec!r} is neither local, local:N nor a scheduler address "
                     "(tcp://HOST:PORT)")


def _stage_task(documents: Sequence[Document], settings: Settings) -> BatchResult:
    """One batch on a Dask worker; the worker's first task readies it (`start_worker`)."""
    global _STARTED
    if not _STARTED:
        start_worker()
        _STARTED = True
    return run_batch(documents, settings)


_STARTED = False


class EndWithIngest(WorkerPlugin):
    """A worker plugin for a LocalCluster's workers: each worker process ends itself once the
    ingesting process is gone. Its nannies live in that process, so an ingest killed with
    SIGKILL cannot stop its worker processes, and each would hold the models (600 MB) and go
    on sending heartbeats to a scheduler that no longer exists.

    Given to the workers when they start (`LocalCluster(plugins=...)`), so no moment of the
    run, the cluster's start included, leaves them behind.
    """

    name = "rashomon-end-with-ingest"

    def __init__(self, parent: int) -> None:
        self.parent = parent

    def setup(self, worker: Any) -> None:
        end_with(self.parent)


class DaskRunner:
    """The per-document stage on a Dask cluster: a LocalCluster started here, or a running
    scheduler's workers. Connects when made: a scheduler that does not answer raises
    `ClusterError` before anything is read or written."""

    def __init__(self, spec: str) -> None:
        address, count = parse_spec(spec)
        from distributed import Client, LocalCluster

        self._cluster: Any = None
        self._client: Any = None
        try:
            if address is None:
                self._cluster = LocalCluster(
                    n_workers=count, threads_per_worker=1, processes=True,
                    dashboard_address=None,
                    plugins=(EndWithIngest(os.getpid()),))  # type: ignore[no-untyped-call]
                self._client = Client(self._cluster)  # type: ignore[no-untyped-call]
            else:
                self._client = Client(address, timeout=CONNECT_SECONDS)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as error:
            self.close()
            where = "a local Dask cluster could not start" if address is None else (
                f"no Dask scheduler answers at {address}")
            raise ClusterError(f"{where}: {error}") from None

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def client(self) -> Any:
        """The `distributed.Client` (tests kill a worker through it)."""
        return self._client

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def _workers(self) -> int:
        return max(1, len(self._client.scheduler_info().get("workers", {})))

    def embed(self, texts: Sequence[str], settings: Settings) -> np.ndarray:
        chunks = text_chunks(texts, self._workers())
        if len(chunks) <= 1:
            return InProcess().embed(texts, settings)
        futures = self._client.map(
            embed_chunk, [[texts[row] for row in rows] for rows in chunks],
            [settings.embed_batch_size] * len(chunks), pure=False)
        try:
            return gathered(texts, chunks, iter(self._client.gather(futures)))
        except Exception:  # noqa: BLE001 - the workers failed: embedded here, only slower
            return InProcess().embed(texts, settings)

    def run(self, batches: Sequence[Sequence[Document]],
            settings: Settings) -> Iterator[BatchResult]:
        client = self._client
        waiting = iter(batches)
        ahead: deque[tuple[Any, Sequence[Document]]] = deque()

        def submit() -> None:
            batch = next(waiting, None)
            if batch is not None:
                ahead.append((client.submit(_stage_task, list(batch), settings, pure=False),
                              batch))

        for _ in range(self._workers() * AHEAD):
            submit()
        while ahead:
            future, batch = ahead.popleft()
            try:
                result = future.result()  # results go back in the batches' order
            except Exception as error:  # noqa: BLE001 - the batch's failure, not the run's
                result = failed_batch(batch, error)
            future.release()
            submit()
            yield result
