"""A sheet's rows as stored, each with its number, within the bounds of a spreadsheet.

openpyxl's read-only sheets fill every gap between stored rows with empty
rows, so one row numbered 2,000,000,000 in a 73 KB file costs two billion
empty rows. :func:`stored_rows` gives only the rows a sheet stores, and
refuses at once a row or column no spreadsheet has (past row 1,048,576 or
column XFD), a row storing more cells than a row has, and rows out of
order, which no spreadsheet program writes.

The rows are parsed by :mod:`~storyfacts.workbook.sheet_part` (expat
callbacks), not by openpyxl's element-tree parser: reading a workbook of
10,000 statements back took 1.6x openpyxl's own read-only iteration, most
of it that parser (see benchmarks/reading.py).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from .sheet_part import EMPTY, MAX_COLUMNS, SheetExtentError, StoredCell, parse_rows

__all__ = ["MAX_COLUMNS", "SheetExtentError", "StoredCell", "stored_rows"]


def stored_rows(sheet: Any) -> Generator[tuple[int, tuple[StoredCell, ...]], None, None]:
    """Each row ``sheet`` (an openpyxl read-only sheet) stores: its number and its cells.

    The cells run from column A to the row's last stored cell, empty ones
    filled in; rows the sheet does not store are skipped, not filled in.
    Raises :class:`SheetExtentError` naming the sheet and cell at the first
    number out of bounds.
    """
    # The same source (counted by the workbook's Inflation) openpyxl's rows use.
    with sheet._get_source() as source:
        previous = 0
        for number, cells in parse_rows(source, sheet.title, sheet._shared_strings, sheet.parent):
            if number <= previous:
                raise SheetExtentError(
                    sheet.title, f"{number}:{number}", f"comes after row {previous}, out of order"
                )
            previous = number
            if not cells:
                yield number, ()
                continue
            row = [EMPTY] * max(column for column, _ in cells)
            for column, cell in cells:
                row[column - 1] = cell
            yield number, tuple(row)
