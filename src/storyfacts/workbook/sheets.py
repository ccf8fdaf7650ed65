"""Reading one data sheet: its header row mapped to columns, its rows to values.

Columns are found by their header text (the title, or the field name; case
and spacing do not matter), so editors may reorder, hide or add columns.
Blank rows are skipped. What a cell holds is converted to its column's kind
by :mod:`storyfacts.workbook.cells`; what cannot be converted is kept as a
:class:`CellProblem` until the reader knows the record's JSON path.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import Any

import attrs
from openpyxl.utils import get_column_letter

from ..tables import Column, Table
from .cells import CellError, convert, is_blank
from .inflation import Inflation
from .layout import HEADER_ROW, ORDER
from .rows import stored_rows

__all__ = ["CellProblem", "SheetReading", "SheetRecord", "read_sheet"]


@attrs.frozen
class CellProblem:
    """A cell that could not be read, before its record's JSON path is known."""

    column: Column
    location: str
    code: str
    message: str


@attrs.define
class SheetRecord:
    """One non-blank row: its values by column name, and where its cells are."""

    table: Table
    row: int
    values: dict[str, Any]
    order: int | None
    letters: dict[str, str]
    problems: list[CellProblem]

    def location(self, name: str | None = None) -> str:
        """The cell of column ``name`` in this row (``Quotes!C12``), or the whole row.

        Without ``name``, the row's first column: the id (for evidence, the record).
        """
        letter = self.letters.get(name or self.table.columns[0].name)
        if letter is None:
            return f"{self.table.title}!{self.row}:{self.row}"
        return f"{self.table.title}!{letter}{self.row}"


@attrs.define
class SheetReading:
    """What one sheet holds, and what is wrong with its header."""

    records: list[SheetRecord] = attrs.field(factory=list)
    #: Columns the header lacks or has twice: (code, location, message).
    header_problems: list[tuple[str, str, str]] = attrs.field(factory=list)
    #: Headers that are not storyfacts columns, and order cells that were not read.
    notes: list[tuple[str, str]] = attrs.field(factory=list)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


_HEADER = attrs.evolve(ORDER, kind="text")


def _header_text(cell: Any) -> str:
    value = getattr(cell, "value", None)
    try:
        return str(convert(value, getattr(cell, "data_type", "s"), _HEADER) or "")
    except CellError:
        return ""


def read_sheet(sheet: Any, table: Table, inflation: Inflation | None = None) -> SheetReading:
    """Read every record row of ``sheet``, which holds ``table``.

    The text of the cells read counts against ``inflation``, when given.
    """
    reading = SheetReading()
    stored = stored_rows(sheet)
    # Closed however reading ends, so the sheet's part is closed with it.
    with contextlib.closing(stored):
        rows: Iterator[tuple[int, tuple[Any, ...]]] = stored
        first = next(rows, None)
        header: tuple[Any, ...] = ()
        if first is not None and first[0] == HEADER_ROW:
            header = first[1]
        elif first is not None:
            rows = itertools.chain([first], rows)
        positions = _map_header(header, table, reading)
        letters = {name: get_column_letter(i + 1) for name, i in positions.items()}
        for number, row in rows:
            cells = {name: row[i] for name, i in positions.items() if i < len(row)}
            if inflation is not None:
                values = (getattr(cell, "value", None) for cell in cells.values())
                length = sum(len(value) for value in values if isinstance(value, str))
                inflation.count_text(f"{sheet.title}!{number}:{number}", length)
            if all(is_blank(getattr(cells.get(c.name), "value", None)) for c in table.columns):
                continue
            reading.records.append(_record(table, number, cells, letters, reading))
    return reading


def _map_header(header: tuple[Any, ...], table: Table, reading: SheetReading) -> dict[str, int]:
    lookup: dict[str, Column] = {}
    for known in (*table.columns, ORDER):
        lookup.setdefault(_normal(known.title), known)
        lookup.setdefault(_normal(known.name), known)
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = _header_text(cell)
        if not text.strip():
            continue
        where = f"{table.title}!{get_column_letter(index + 1)}{HEADER_ROW}"
        column = lookup.get(_normal(text))
        if column is None:
            reading.notes.append(
                (where, f"The column {text!r} is not a storyfacts column; its cells are ignored.")
            )
        elif column.name in positions:
            first = get_column_letter(positions[column.name] + 1)
            reading.header_problems.append(
                (
                    "duplicate-column",
                    where,
                    f"The column {column.title!r} appears twice (first in column {first}); "
                    "delete one of them.",
                )
            )
        else:
            positions[column.name] = index
    for column in table.columns:
        if column.name not in positions:
            reading.header_problems.append(
                (
                    "missing-column",
                    f"{table.title}!{HEADER_ROW}:{HEADER_ROW}",
                    f"The column {column.title!r} is missing from the header row; put it back "
                    "(hide it if you do not want to see it).",
                )
            )
    return positions


def _record(
    table: Table,
    number: int,
    cells: dict[str, Any],
    letters: dict[str, str],
    reading: SheetReading,
) -> SheetRecord:
    record = SheetRecord(table, number, {}, None, letters, [])
    raw = {
        name: (getattr(c, "value", None), getattr(c, "data_type", "n")) for name, c in cells.items()
    }
    for column in table.columns:
        if column.name not in raw:
            continue
        value, data_type = raw[column.name]
        precision = None
        if column.kind == "date":
            precision_cell = raw.get(f"{column.path[0]}_precision", (None, "n"))
            precision = precision_cell[0] if isinstance(precision_cell[0], str) else None
        try:
            record.values[column.name] = convert(value, data_type, column, precision)
        except CellError as error:
            record.problems.append(
                CellProblem(column, record.location(column.name), error.code, error.message)
            )
    if ORDER.name in raw:
        try:
            order = convert(*raw[ORDER.name], ORDER)
        except CellError:
            order = None
            reading.notes.append(
                (
                    record.location(ORDER.name),
                    "The dataset order is not a number; the row goes last.",
                )
            )
        record.order = order if isinstance(order, int) and not isinstance(order, bool) else None
    return record
