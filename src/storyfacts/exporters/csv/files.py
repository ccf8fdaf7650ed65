"""Writing the tables as RFC 4180 files, in one pass over each section of the dataset.

Every table's file is open at once. The records of each section are read in
batches, in dataset order; each batch gives rows to the table of each record's
kind, to ``evidence``, to ``records`` and to the link tables. Each file's rows
are therefore in dataset order, and the records need be read only once, as a
stream (a JSON Lines corpus) or from a :class:`~storyfacts.Dataset`.

A batch's rows are written as one text joined from cells already spelled as
fields (:mod:`.lines`), or, where that cannot be (a record holding what no
valid one holds, possible with ``check=False``), by ``csv.writer``; the
bytes are the same either way.
"""

from __future__ import annotations

import contextlib
import csv
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import lines
from .cells import LINE_END, analyst_table, probed, row_maker, spelled_maker
from .options import CsvOptions

if TYPE_CHECKING:
    from ...kinds import Section
    from ...model import Dataset
    from ...tables import Table

__all__ = ["BUFFER", "CHUNK", "LINE_END", "write_sections", "write_tables"]

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
        self.texts: dict[str, Callable[[str], object]] = {}
        for table in written_tables():
            f = stack.enter_context(
                (path / f"{table.name}.csv").open(
                    "w", buffering=BUFFER, encoding=encoding, newline=""
                )
            )
            writer = csv.writer(f, lineterminator=LINE_END)
            writer.writerow([c.name for c in analyst_table(table).columns])
            self.writers[table.name] = writer.writerows
            self.texts[table.name] = f.write

    def table(self, table: Table, neutralise: bool) -> lines.Put:
        """What writes the rows of a batch of records into ``table``'s file."""
        return self.put(
            table.name,
            spelled_maker(table, neutralise),
            probed(analyst_table(table).columns),
            row_maker(table, neutralise),
        )

    def put(
        self,
        name: str,
        spelled: lines.Maker,
        looked: tuple[int, ...],
        plain: lines.Maker,
    ) -> lines.Put:
        """What writes a batch's rows into table ``name``'s file (see :func:`.lines.putter`)."""
        return lines.putter(spelled, looked, plain, self.texts[name], self.writers[name])


def _section_writer(
    section: Section, files: _Files, options: CsvOptions
) -> Callable[[list[Any]], None]:
    """What writes one batch of ``section``'s records into every table it gives rows to."""
    from ... import kinds, tables

    neutralise = options.neutralise
    of_kind = {t.kind: t for t in tables.TABLES if t.section == section.name}
    made = {kind: files.table(table, neutralise) for kind, table in of_kind.items()}
    evidence = [files.table(tables.EVIDENCE, neutralise)] if section in kinds.EVIDENCED else []
    # A record's id and its table's name: text already, of which the id is read from the data.
    registry = partial(tables.registry_rows, section)
    # The owner's id, the position and an id from the list: the ids are read from the data.
    puts = [
        files.put(tables.RECORDS.name, registry, (0,), registry),
        *(
            files.put(
                link.name,
                tables.link_maker(link, section, spelled=True),
                (0, 2),
                tables.link_maker(link, section),
            )
            for link in tables.LINKS
        ),
    ]

    # An untyped section's records all go to its one table.
    whole = None if section.typed else next(iter(made.values()))

    def write(batch: list[Any]) -> None:
        if whole is None:
            by_kind: defaultdict[str, list[Any]] = defaultdict(list)
            for record in batch:
                by_kind[record.TYPE].append(record)
            for kind, records in by_kind.items():
                made[kind](records)
        else:
            whole(batch)
        for put in evidence:
            put(batch)
        for put in puts:
            put(batch)

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
