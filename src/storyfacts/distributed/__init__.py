"""Exporting a corpus too big for one machine: partitions by article, mapped over Dask workers.

See docs/scaling.md. :func:`export` reads a corpus (a JSON Lines directory
or a dataset file), checks what only the whole corpus can tell (ids unique,
references that name a record), cuts it into partitions that are closed
datasets, and exports each with storyfacts' own exporters on the chosen
scheduler, writing ``OUT/FORMAT/part-NNNNN`` files and ``OUT/manifest.json``.

Dask is an optional extra (``pip install 'storyfacts[dask]'``); only
:mod:`.dask_scheduling` imports it, and only when a Dask scheduler is asked
for. The ``synchronous`` scheduler runs the same partitions in this process,
with no Dask: it is the single-process reference a cluster's parts equal.
"""

from __future__ import annotations

from .engine import SCHEDULERS, DistributedExportError, ExportReport, export
from .manifest import MANIFEST
from .partitioning import STATEMENTS_PER_PARTITION, Partition, Plan, bucket_of, plan
from .parts import checksum, export_partition, part_name
from .reading import CorpusRecords, read_corpus

__all__ = [
    "MANIFEST",
    "SCHEDULERS",
    "STATEMENTS_PER_PARTITION",
    "CorpusRecords",
    "DistributedExportError",
    "ExportReport",
    "Partition",
    "Plan",
    "bucket_of",
    "checksum",
    "export",
    "export_partition",
    "part_name",
    "plan",
    "read_corpus",
]
