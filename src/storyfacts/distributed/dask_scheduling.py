"""The Dask side of a distributed export: the only module of storyfacts that imports Dask.

It is imported when an export asks for a Dask scheduler, never by ``import
storyfacts`` or by any command that does not (tests/test_distributed_imports.py
guards that). Partitions go to the cluster a few at a time, two per worker
thread, so the driver and the workers hold a bounded number of partitions
whatever the size of the corpus.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import dask
from distributed import Client, LocalCluster, as_completed

from .engine import Outcome, Task, _reason, _take
from .parts import export_partition

__all__ = ["cpu_count", "on_cluster", "process_pool"]


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextlib.contextmanager
def process_pool(count: int) -> Iterator[Callable[[list[Any]], list[Outcome]]]:
    """Run batches of attempts on Dask's local process pool of ``count`` processes.

    One pool serves every batch of the export: Dask would otherwise start
    (spawn, and import storyfacts in) a fresh pool for each.
    """
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from .engine import _attempt

    with ProcessPoolExecutor(count, mp_context=get_context("spawn")) as pool:

        def run_batch(batch: list[Any]) -> list[Outcome]:
            attempts = [dask.delayed(_attempt, pure=False)(*task) for task in batch]
            return list(dask.compute(*attempts, scheduler="processes", pool=pool))

        yield run_batch


@contextlib.contextmanager
def _client(client: Client | None, scheduler: str, workers: int | None) -> Iterator[Client]:
    if client is not None:
        yield client
        return
    if scheduler == "distributed":
        with (
            LocalCluster(
                n_workers=workers or 2,
                threads_per_worker=1,
                processes=True,
                # The scheduler always serves HTTP (health, metrics) and takes
                # port 8787 unless told otherwise; another cluster may hold it.
                dashboard_address=":0",
            ) as cluster,
            Client(cluster) as own,
        ):
            yield own
        return
    with Client(scheduler) as own:
        yield own


def on_cluster(
    client: Client | None, scheduler: str, workers: int | None, retries: int
) -> Callable[[Iterable[Task], list[str], str, dict[str, dict[str, str]]], Iterator[Outcome]]:
    """A runner that submits partitions to a Dask cluster, retried by its scheduler."""

    def run(
        tasks: Iterable[Task], formats: list[str], out: str, options: dict[str, dict[str, str]]
    ) -> Iterator[Outcome]:
        with _client(client, scheduler, workers) as cluster:
            threads = sum(cluster.nthreads().values()) or 1
            pending = iter(tasks)
            running: dict[Any, int] = {}

            def submit(task: Task) -> Any:
                index, payload, stale = task
                # Scattered, not put in the task: a partition is megabytes,
                # and the scheduler should hold only its key.
                [data] = cluster.scatter([payload], hash=False)
                future = cluster.submit(
                    export_partition,
                    index,
                    data,
                    stale,
                    out,
                    options,
                    key=f"storyfacts-partition-{index:05d}-{os.urandom(4).hex()}",
                    retries=retries,
                    pure=False,
                )
                running[future] = index
                return future

            queue = as_completed([submit(t) for t in _take(pending, 2 * threads)])
            for future in queue:
                index = running.pop(future)
                if future.status == "error":
                    yield index, None, _reason(future.exception())
                else:
                    yield index, future.result(), None
                future.release()
                for task in _take(pending, 1):
                    queue.add(submit(task))

    return run
