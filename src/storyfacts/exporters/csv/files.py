"""Writing the tables as RFC 4180 files, in one pass over each section of the dataset.

Every table's file is open at once. The records of each section are read in
batches, in dataset order; each batch gives rows to the table of each record's
kind, to ``evidence``, to ``records`` and to the link tables. Each file's rows
are therefore in dataset order, and the records need be read only once, as a
stream (a JSON Lines corpus) or from a :class:`~storyfacts.Dataset`.
"""

from __future__ import annotations

import contextlib
import csv
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cells import analyst_table, row_maker
from .options import CsvOptions

if TYPE_CHECKING:
    from ...kinds import Section
    from ...model import Dataset

__all__ = ["BUFFER", "CHUNK", "LINE_END", "write_sections", "write_tables"]

LINE_END = "\r\n"
#: How many records to read, spell and write at once; progress is reported after each batch.
#: Each batch is read several times (its tables' rows, evidence, records, link tables), and
#: the export is bound by memory more than by instructions: a batch this small is still in
#: the processor's cache when it is read again, where 1,000 records were not.
CHUNK = 250
#: Bytes to buffer per file. Every file's buffer is written to in turn, batch after batch;
#: seventeen buffers of 64 KiB stay in cache where seventeen of 256 KiB pushed the batch out.
BUFFER = 1 << 16

#: Writes the rows of one batch: the ``writerows`` of a table's csv.writer.
WriteRows = Callable[[Iterable[Any]], None]


def _batches(records: Iterable[Any]) -> Iterator[list[Any]]:
    remaining = iter(records)
    while batch := list(islice(remaining, CHUNK)):
        yield batch


class _Files:
    """Every table's file, open, with its header written."""

    def __init__(self, stack: contextlib.ExitStack, path: Path, options: CsvOptions) -> None:
        from .package import written_tables

        encoding = "utf-8-sig" if options.bom else "utf-8"
        self.writers: dict[str, WriteRows] = {}
        for table in written_tables():
            f = stack.enter_context(
                (path / f"{table.name}.csv").open(
                    "w", buffering=BUFFER, encoding=encoding, newline=""
                )
            )
            writer = csv.writer(f, lineterminator=LINE_END)
            writer.writerow([c.name for c in analyst_table(table).columns])
            self.writers[table.name] = writer.writerows


def _section_writer(
    section: Section, files: _Files, options: CsvOptions
) -> Callable[[list[Any]], None]:
    """What writes one batch of ``section``'s records into every table it gives rows to."""
    from ... import kinds, tables

    neutralise = options.neutralise
    of_kind = {t.kind: t for t in tables.TABLES if t.section == section.name}
    # Each kind's table: the function spelling its rows, and its file's writerows.
    made = {
        kind: (row_maker(table, neutralise), files.writers[table.name])
        for kind, table in of_kind.items()
    }
    evidence: list[tuple[Callable[[Iterable[Any]], list[Any]], WriteRows]] = []
    if section in kinds.EVIDENCED:
        evidence.append(
            (row_maker(tables.EVIDENCE, neutralise), files.writers[tables.EVIDENCE.name])
        )
    registry = files.writers[tables.RECORDS.name]
    links = [(tables.link_maker(link, section), files.writers[link.name]) for link in tables.LINKS]

    def write(batch: list[Any]) -> None:
        if section.typed:
            by_kind: defaultdict[str, list[Any]] = defaultdict(list)
            for record in batch:
                by_kind[record.TYPE].append(record)
            for kind, records in by_kind.items():
                rows, writerows = made[kind]
                writerows(rows(records))
        else:
            ((rows, writerows),) = made.values()
            writerows(rows(batch))
        for rows, writerows in evidence:
            writerows(rows(batch))
        registry(tables.registry_rows(section, batch))
        for link_rows, writerows in links:
            writerows(link_rows(batch))

    return write


def write_sections(
    sections: Iterable[tuple[Section, Iterable[Any]]],
    path: Path,
    options: CsvOptions,
    advance: Callable[[int], None],
) -> None:
    """Write every table into the directory ``path`` from each section's records, in order.

    ``sections`` gives each section of the dataset, in dataset order, with its
    records (model objects) in order: a list, or a stream read as it goes.
    """
    from ... import collector

    # The export makes millions of short-lived lists and no reference cycles,
    # so the collector has nothing to find; its passes cost a tenth of the
    # export, and at 100,000 statements one of them walked the whole dataset.
    with collector.paused(), contextlib.ExitStack() as stack:
        files = _Files(stack, path, options)
        for section, records in sections:
            write = _section_writer(section, files, options)
            for batch in _batches(records):
                write(batch)
                advance(len(batch))


def write_tables(
    dataset: Dataset, path: Path, options: CsvOptions, advance: Callable[[int], None]
) -> None:
    """Write every table of ``dataset`` into the directory ``path``, one file each."""
    from ... import kinds

    sections = ((section, getattr(dataset, section.name)) for section in kinds.SECTIONS)
    write_sections(sections, path, options, advance)
