"""Running a partitioned export on a scheduler: in this process, a local process pool, or Dask.

The driver (this module) reads the corpus, checks it as a whole, cuts it
into partitions (:mod:`.partitioning`) and hands them, a few at a time, to
the scheduler, which runs :func:`.parts.export_partition` on each. Only a
partition's JSON bytes and the format names cross to a worker; the worker
looks exporters up by name in its own plugin manager, so a third-party
exporter works once it is installed in the workers' environment.

Schedulers:

- ``"synchronous"``: one partition after another in this process; needs no Dask.
- ``"processes"``: Dask's local process pool (``dask.compute(scheduler="processes")``).
- ``"distributed"``: a ``dask.distributed.LocalCluster`` started for the
  export and closed after it.
- an address such as ``"tcp://10.0.0.5:8786"``: an existing cluster.
- ``client=``: a ``dask.distributed.Client`` the caller already has.

A partition whose export raises is retried: by Dask's scheduler
(``retries=``) on a distributed client, by this driver on the local
schedulers, which have no retries of their own. A partition that is not
valid is not retried (it would fail the same way), and one that still fails
is reported by partition in :class:`DistributedExportError`, after the
manifest has listed every part that was written.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import attrs

from .. import __version__, plugins
from ..errors import InputError, StoryfactsError
from .manifest import read_manifest, up_to_date, write_manifest
from .partitioning import Partition, plan
from .parts import export_partition
from .reading import read_corpus

__all__ = ["SCHEDULERS", "DistributedExportError", "ExportReport", "export"]

#: The schedulers named by a word; anything with ``://`` is a cluster's address.
SCHEDULERS = ("synchronous", "processes", "distributed")

#: The extra that brings Dask, for the message when it is missing.
INSTALL = "pip install 'storyfacts[dask]'"

Task = tuple[int, bytes, list[str]]
Outcome = tuple[int, dict[str, Any] | None, str | None]


class DistributedExportError(StoryfactsError):
    """Some partitions could not be exported; ``failures`` maps each one's index to why."""

    def __init__(self, failures: Mapping[int, str], manifest: Path) -> None:
        self.failures = dict(sorted(failures.items()))
        self.manifest = manifest
        count = len(self.failures)
        lines = [
            f"{count} partition{'s' if count != 1 else ''} could not be exported; "
            f"{manifest} lists the parts that were written, and a rerun exports only the rest."
        ]
        lines += [f"  partition {index:05d}: {why}" for index, why in self.failures.items()]
        super().__init__("\n".join(lines))


@attrs.frozen
class ExportReport:
    """What a distributed export did."""

    manifest: Path
    #: Part paths (relative to the output directory) written by this run, in order.
    written: list[str]
    #: Part paths already up to date, left as they were.
    skipped: list[str]
    #: Seconds each exported partition took on its worker, by index.
    seconds: dict[int, float]
    #: Each worker's peak resident memory as it reported it (KiB on Linux), by partition.
    peak_rss: dict[int, int]
    #: What each partition held, by index: records by section.
    records: dict[int, dict[str, int]]


def export(
    corpus: object,
    formats: Sequence[str] | str,
    out: str | Path,
    *,
    client: Any = None,
    scheduler: str = "processes",
    workers: int | None = None,
    partitions: int | None = None,
    options: Mapping[str, Mapping[str, str]] | None = None,
    retries: int = 2,
) -> ExportReport:
    """Export ``corpus`` to each of ``formats`` as part files under ``out``, with a manifest.

    ``corpus`` is a JSON Lines corpus directory, a dataset file, plain data
    or a :class:`~storyfacts.Dataset`; ``formats`` names exporters (built-in
    or from plugins), as a list or comma-separated. ``options`` maps a format
    to its exporter options. ``partitions`` is how many buckets the articles
    are hashed into (by default one per 50,000 statements); ``workers`` the
    size of a local pool or cluster. Parts land at ``out/FORMAT/part-NNNNN``
    with ``out/manifest.json`` listing them. Raises
    :class:`DistributedExportError` if a partition still fails after
    ``retries`` more tries, and :class:`~storyfacts.InvalidDatasetError` if the
    corpus fails its corpus-wide checks (nothing is exported then).
    """
    names = [formats] if isinstance(formats, str) else list(formats)
    names = [name.strip().lower() for each in names for name in each.split(",") if name.strip()]
    if not names:
        raise ValueError("Name at least one format.")
    names = list(dict.fromkeys(names))
    chosen = {name: dict((options or {}).get(name, {})) for name in names}
    for name in names:
        plugins.exporter(name).check_options(chosen[name])
    if retries < 0:
        raise ValueError(f"retries must be 0 or more, not {retries}.")
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise InputError(target, "is not a directory; a distributed export writes a directory")
    run = _runner(client, scheduler, workers, retries)  # fails early when Dask is missing
    cut = plan(read_corpus(corpus), partitions)
    target.mkdir(parents=True, exist_ok=True)
    previous = read_manifest(target)

    entries: dict[int, dict[str, Any]] = {}
    kept: dict[int, dict[str, dict[str, Any]]] = {}

    def tasks() -> Iterator[Task]:
        # Each partition is cut only now, while workers export the ones before it.
        for partition in cut.partitions():
            index = partition.index
            entries[index] = _entry(partition)
            kept[index] = {}
            stale = []
            for name in names:
                part = up_to_date(
                    previous,
                    target,
                    count=cut.count,
                    options=chosen,
                    index=index,
                    input_sha256=partition.sha256,
                    format=name,
                )
                if part is None:
                    stale.append(name)
                else:
                    kept[index][name] = part
            if stale:
                yield index, partition.payload, stale

    done: dict[int, dict[str, Any]] = {}
    failures: dict[int, str] = {}
    for index, result, error in run(tasks(), names, str(target), chosen):
        if error is not None:
            failures[index] = error
        elif result is not None and "problems" in result:
            failures[index] = "not valid: " + "; ".join(result["problems"])
        elif result is not None:
            done[index] = result

    written: list[str] = []
    skipped: list[str] = []
    for index, entry in entries.items():
        new = {part["format"]: part for part in done.get(index, {}).get("parts", [])}
        for name in names:
            if name in kept[index]:
                entry["parts"].append(kept[index][name])
                skipped.append(kept[index][name]["path"])
            elif name in new:
                entry["parts"].append(new[name])
                written.append(new[name]["path"])
    manifest = {
        "storyfacts": __version__,
        "corpus": {**cut.header, "records": cut.counts},
        "partition_count": cut.count,
        "formats": {name: {"options": chosen[name]} for name in names},
        "partitions": [entries[index] for index in sorted(entries)],
    }
    _remove_stale(previous, target, manifest)
    path = write_manifest(target, manifest)
    if failures:
        raise DistributedExportError(failures, path)
    return ExportReport(
        manifest=path,
        written=sorted(written),
        skipped=sorted(skipped),
        seconds={i: r["seconds"] for i, r in sorted(done.items())},
        peak_rss={i: r["peak_rss"] for i, r in sorted(done.items())},
        records={i: e["records"] for i, e in sorted(entries.items())},
    )


def _entry(partition: Partition) -> dict[str, Any]:
    return {
        "index": partition.index,
        "articles": list(partition.articles),
        "input_sha256": partition.sha256,
        "records": partition.records,
        "owned": partition.owned,
        "parts": [],
    }


def _remove_stale(previous: dict[str, Any] | None, out: Path, manifest: dict[str, Any]) -> None:
    """Remove parts an earlier export listed that this one no longer has (a partition emptied)."""
    import shutil

    if previous is None:
        return
    now = {part["path"] for entry in manifest["partitions"] for part in entry["parts"]}
    for entry in previous.get("partitions", []):
        for part in entry.get("parts", []) if isinstance(entry, dict) else []:
            name = part.get("path") if isinstance(part, dict) else None
            if not isinstance(name, str) or name in now:
                continue
            path = out / name
            # Only what the manifest's own naming makes, inside out.
            if not path.resolve().is_relative_to(out.resolve()) or not path.name.startswith(
                "part-"
            ):
                continue
            # A partition whose export failed this time keeps its old files
            # out of the manifest; they are rewritten by the next run.
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists() or path.is_symlink():
                path.unlink(missing_ok=True)


Runner = Callable[[Iterable[Task], list[str], str, dict[str, dict[str, str]]], Iterator[Outcome]]


def _runner(client: Any, scheduler: str, workers: int | None, retries: int) -> Runner:
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be 1 or more, not {workers}.")
    if client is None and scheduler == "synchronous":
        here = contextlib.nullcontext(lambda batch: [_attempt(*task) for task in batch])
        return _local(retries, here, 1)
    if client is None and scheduler not in SCHEDULERS and "://" not in scheduler:
        raise ValueError(
            f"Unknown scheduler {scheduler!r}: use synchronous, processes, distributed "
            "or a cluster's address such as tcp://host:8786."
        )
    if importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None:
        raise StoryfactsError(f"A distributed export needs Dask: {INSTALL}")
    from . import dask_scheduling

    if client is None and scheduler == "processes":
        count = workers or dask_scheduling.cpu_count()
        # Two partitions a process in each batch, so that few wait at its end.
        return _local(retries, dask_scheduling.process_pool(count), 2 * count)
    return dask_scheduling.on_cluster(client, scheduler, workers, retries)


def _attempt(
    index: int, payload: bytes, formats: list[str], out: str, options: dict[str, dict[str, str]]
) -> Outcome:
    """One try at a partition, its failure caught so that the others go on."""
    try:
        return index, export_partition(index, payload, formats, out, options), None
    except Exception as error:
        return index, None, _reason(error)


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _local(
    retries: int,
    pool: AbstractContextManager[Callable[[list[Any]], list[Outcome]]],
    width: int,
) -> Runner:
    """A runner for the local schedulers: batches of ``width`` partitions, failed ones retried."""

    def run(
        tasks: Iterable[Task], formats: list[str], out: str, options: dict[str, dict[str, str]]
    ) -> Iterator[Outcome]:
        pending = iter(tasks)
        with pool as run_batch:
            while batch := [
                (index, payload, stale, out, options)
                for index, payload, stale in _take(pending, width)
            ]:
                for attempt in range(retries + 1):
                    outcomes = run_batch(batch)
                    again = []
                    for (index, result, error), task in zip(outcomes, batch, strict=True):
                        if error is None or attempt == retries:
                            yield index, result, error
                        else:
                            again.append(task)
                    if not again:
                        break
                    batch = again

    return run


def _take(iterator: Iterator[Task], count: int) -> list[Task]:
    taken = []
    for task in iterator:
        taken.append(task)
        if len(taken) == count:
            break
    return taken
