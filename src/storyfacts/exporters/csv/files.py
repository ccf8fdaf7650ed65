"""Writing the tables as RFC 4180 files, a batch of rows at a time."""

from __future__ import annotations

import contextlib
import csv
import gc
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cells import (
    FREE_TEXT,
    Cells,
    analyst_table,
    day_columns,
    neutralised,
    spelled,
    with_days,
)
from .options import CsvOptions

if TYPE_CHECKING:
    from ...model import Dataset
    from ...tables import Cell, Table

__all__ = ["BUFFER", "CHUNK", "LINE_END", "write_tables"]

LINE_END = "\r\n"
#: How many records to flatten and write at once; progress is reported after each batch.
CHUNK = 1000
#: Bytes to buffer per file.
BUFFER = 1 << 18

Rows = list[list["Cell"]]


def _batches(records: Iterable[Any]) -> Iterator[list[Any]]:
    remaining = iter(records)
    while batch := list(islice(remaining, CHUNK)):
        yield batch


def _write_table(
    path: Path,
    table: Table,
    batches: Iterable[Rows],
    options: CsvOptions,
    advance: Callable[[int], None] | None,
) -> None:
    days = day_columns(table)
    table = analyst_table(table)
    # Only free text can start with a formula character: ids, references,
    # dates and enums are held to patterns by the schema, and numbers are numbers.
    text = [i for i, c in enumerate(table.columns) if c.kind in FREE_TEXT]
    flags = [i for i, c in enumerate(table.columns) if c.kind == "boolean"]
    if not options.neutralise:
        text = []
    encoding = "utf-8-sig" if options.bom else "utf-8"
    with path.open("w", buffering=BUFFER, encoding=encoding, newline="") as f:
        writer = csv.writer(f, lineterminator=LINE_END)
        writer.writerow([c.name for c in table.columns])
        for rows in batches:
            if not rows:  # evidence of a batch of records that have none
                continue
            columns: list[Cells] = list(zip(*rows, strict=True))
            if days:
                columns = with_days(columns, days)
            for i in text:
                columns[i] = neutralised(columns[i])
            for i in flags:
                columns[i] = spelled(columns[i])
            writer.writerows(zip(*columns, strict=True))
            if advance is not None:
                advance(len(rows))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, if it runs, until the block ends.

    The export makes millions of short-lived lists and no reference cycles,
    so the collector has nothing to find; its passes over the lists cost a
    tenth of the export, and every so often one of them walks the whole
    dataset as well, which at 100,000 statements takes half a second.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def write_tables(
    dataset: Dataset, path: Path, options: CsvOptions, advance: Callable[[int], None]
) -> None:
    """Write every table of ``dataset`` into the directory ``path``, one file each."""
    from ... import tables

    with _collector_paused():
        held = tables.records_by_table(dataset)
        for table in tables.TABLES:
            rows = map(partial(tables.flatten, table), _batches(held[table.name]))
            _write_table(path / f"{table.name}.csv", table, rows, options, advance)
        supported = _batches(tables.with_evidence(dataset))
        evidence = map(partial(tables.flatten, tables.EVIDENCE), supported)
        _write_table(path / f"{tables.EVIDENCE.name}.csv", tables.EVIDENCE, evidence, options, None)
        records = tables.RECORDS
        _write_table(
            path / f"{records.name}.csv", records, tables.record_rows(dataset), options, None
        )
        for link in tables.LINKS:
            owners = chain.from_iterable(getattr(dataset, s) for s in tables.link_sections(link))
            rows = map(partial(tables.link_rows, link), _batches(owners))
            _write_table(path / f"{link.name}.csv", link, rows, options, None)
