"""A sheet's rows as stored, each with its number, within the bounds of a spreadsheet.

openpyxl's read-only sheets fill every gap between stored rows with empty
rows, so one row numbered 2,000,000,000 in a 73 KB file costs two billion
empty rows. :func:`stored_rows` gives only the rows a sheet stores, and
refuses at once a row or column no spreadsheet has (past row 1,048,576 or
column XFD) and rows out of order, which no spreadsheet program writes.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import Any

from openpyxl.utils import column_index_from_string
from openpyxl.worksheet._reader import WorkSheetParser

from .layout import MAX_ROWS

__all__ = ["MAX_COLUMNS", "SheetExtentError", "stored_rows"]

#: The most columns a worksheet holds: A to XFD (Excel and LibreOffice alike).
MAX_COLUMNS = 16_384

_COORDINATE = re.compile(r"^\$?([A-Za-z]+)\$?([0-9]+)$")
# More characters than any row number or column name has, checked before parsing one.
_LONGEST = 12


class SheetExtentError(Exception):
    """A sheet names a row or cell outside what a spreadsheet has; the file is not sound."""

    def __init__(self, sheet: str, where: str, reason: str) -> None:
        self.location = f"{sheet}!{where}"
        super().__init__(
            f"{self.location} {reason}; the file is damaged or was not written "
            "by a spreadsheet program"
        )


def _refuse_cell(sheet: str, coordinate: str) -> SheetExtentError:
    shown = coordinate if len(coordinate) <= _LONGEST else coordinate[:_LONGEST] + "…"
    return SheetExtentError(
        sheet, shown, f"is outside a sheet, which has rows 1 to {MAX_ROWS:,} and columns A to XFD"
    )


class _BoundedParser(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's sheet parser, checking each row and cell number before it is used."""

    def __init__(self, source: Any, title: str, **options: Any) -> None:
        super().__init__(source, **options)
        self.title = title

    def parse_row(self, row: Any) -> tuple[int, list[dict[str, Any]]]:
        text = row.get("r")
        if text is not None and len(text) > _LONGEST:
            raise SheetExtentError(self.title, f"{text[:_LONGEST]}…", "is not a row number")
        number, cells = super().parse_row(row)
        if not 1 <= number <= MAX_ROWS:
            raise SheetExtentError(
                self.title, f"{number}:{number}", f"is outside a sheet's rows, 1 to {MAX_ROWS:,}"
            )
        return number, cells

    def parse_cell(self, element: Any) -> dict[str, Any]:
        coordinate = element.get("r")
        if coordinate:
            match = _COORDINATE.match(coordinate)
            if match is None or len(match.group(1)) > 3 or len(match.group(2)) > 7:
                raise _refuse_cell(self.title, coordinate)
            column = column_index_from_string(match.group(1).upper())
            if column > MAX_COLUMNS or not 1 <= int(match.group(2)) <= MAX_ROWS:
                raise _refuse_cell(self.title, coordinate)
        cell: dict[str, Any] = super().parse_cell(element)
        if cell["column"] > MAX_COLUMNS:  # a cell without a reference, counted along its row
            raise _refuse_cell(self.title, f"{cell['row']}:{cell['row']}")
        return cell


def stored_rows(sheet: Any) -> Generator[tuple[int, tuple[Any, ...]], None, None]:
    """Each row ``sheet`` (an openpyxl read-only sheet) stores: its number and its cells.

    The cells run from column A to the row's last stored cell, empty ones
    filled in; rows the sheet does not store are skipped, not filled in.
    Raises :class:`SheetExtentError` naming the sheet and cell at the first
    number out of bounds.
    """
    workbook = sheet.parent
    # The same source and options openpyxl's own row reading uses.
    with sheet._get_source() as source:
        parser = _BoundedParser(
            source,
            sheet.title,
            shared_strings=sheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        previous = 0
        for number, cells in parser.parse():
            if number <= previous:
                raise SheetExtentError(
                    sheet.title, f"{number}:{number}", f"comes after row {previous}, out of order"
                )
            previous = number
            last = max((cell["column"] for cell in cells), default=0)
            yield number, (sheet._get_row(cells, 1, last) if last else ())
