"""Writing several formats at once, each in a worker process forked after loading.

``storyfacts export`` loads and checks a dataset once; writing it out is
then one independent job per format, and the workbook alone takes most of
the time (27 of 40 s at 100,000 statements, before it was made a third
faster). :func:`.pool.write_in_lanes` forks ``jobs`` workers, each writing
one format after another as the parent hands them out, so that the wall time
is the load and the longest lane rather than the load and every format.

Why fork, and only fork: a forked worker starts with the loaded dataset in
its memory, shared copy-on-write with the parent, so nothing is pickled or
read again. :func:`can_fork` says no on Windows, which has no fork, on macOS,
where system libraries may crash or hang in a forked child (so CPython starts
processes there by spawn), and in a process running more than one thread (a
lock held by another thread at the fork stays held forever in the child),
or in any thread but the main one; the command then writes the formats one
after another, as with ``-j 1``.

The order: the costliest format first (:attr:`Exporter.cost`), so that it is
not left for last, and the json export straight after the workbook. The
workbook stores the SHA-256 of the canonical JSON as its fingerprint, which
the json export computes as it writes: the workbook's worker asks the parent
for it (:func:`storyfacts.canonical.fetched`) and gets it from the json
worker, rather than serialising the whole dataset again (1.5 s at 100,000
statements). It asks after surveying the dataset (4 s there), by which time
the json export is done.

A worker tells the parent, over a pipe, how far it is, each temporary path
it creates, that it wants the fingerprint, and how its export ended; the
parent draws the progress (:class:`storyfacts.progress.Board`) and prints
the outcome, and a worker never writes to the terminal. Ctrl-C reaches every
process of the terminal's foreground group, SIGTERM or SIGHUP perhaps only
the parent, which passes SIGTERM on: each worker unwinds as a sequential
export does, removing its temporary output, and the parent waits for them
all before saying nothing partial was left. A worker that dies without a
word (killed, or a crash in C code) is an error for its format, and the
parent removes the temporary paths it had reported. A parent that dies
without a word (``kill -9``, the out-of-memory killer) takes its workers
with it: each is sent SIGTERM and unwinds as above
(:mod:`storyfacts.lanes.lifeline`).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from ..contract import Exporter

__all__ = ["Lane", "can_fork", "default_jobs", "in_order", "memory_allows"]

#: The format whose export computes the hash of the canonical JSON, and the
#: one that stores it (see the module's docstring).
HASHES, FINGERPRINTS = "json", "xlsx"


@attrs.frozen
class Lane:
    """One format to write: its exporter, where to, and the options that are its own."""

    exporter: Exporter
    target: Path
    options: Mapping[str, str] = attrs.field(factory=dict)


def default_jobs() -> int:
    """How many workers to use unless told: one per CPU, as many as memory allows.

    One per CPU this process may run on (fewer than the machine's in a
    container). A forked worker ends up with its own copy of most of the
    pages of the dataset it reads (reference counts are written in every
    object read), so each worker is counted as needing as much memory as
    this process holds now, the dataset loaded: workers are only started as
    the memory available takes them, and where it takes fewer than two the
    formats are written one after another, as with ``-j 1``, rather than
    pushing the machine into swap or its out-of-memory killer.
    """
    try:
        cpus = len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not Linux
        cpus = os.cpu_count() or 1
    return min(cpus, memory_allows())


def memory_allows(meminfo: str = "/proc/meminfo", statm: str = "/proc/self/statm") -> int:
    """How many workers the memory available has room for, each the size of this process.

    Read from Linux's ``MemAvailable`` and this process's resident size;
    where either cannot be read (not Linux), memory sets no limit.
    """
    try:
        lines = Path(meminfo).read_text(encoding="ascii").splitlines()
        available = next(
            int(line.split()[1]) * 1024 for line in lines if line.startswith("MemAvailable:")
        )
        resident = int(Path(statm).read_text(encoding="ascii").split()[1])
        resident *= os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, StopIteration):
        return sys.maxsize
    return max(1, available // max(resident, 1))


def can_fork() -> bool:
    """Whether workers can be forked safely here (see the module's docstring)."""
    return (
        hasattr(os, "fork")
        and sys.platform != "darwin"
        and threading.active_count() == 1
        # A worker is told of its parent's death when the forking thread ends
        # (see .lifeline): the main thread's end is the process's.
        and threading.current_thread() is threading.main_thread()
    )


def in_order(lanes: Sequence[Lane]) -> list[Lane]:
    """The lanes in the order their workers start: costliest first, json after the workbook.

    Formats of equal cost keep the order they were given in.
    """
    from ..plugins import builtin_formats

    ordered = sorted(lanes, key=lambda lane: -lane.exporter.cost)
    names = [lane.exporter.name for lane in ordered]
    builtin = builtin_formats()
    if HASHES in names and FINGERPRINTS in names and {HASHES, FINGERPRINTS} <= set(builtin):
        hashing = ordered.pop(names.index(HASHES))
        workbook = [lane.exporter.name for lane in ordered].index(FINGERPRINTS)
        ordered.insert(workbook + 1, hashing)
    return ordered
