"""A sheet's part (its XML) read straight into rows of cells, as openpyxl would read them.

openpyxl's read-only rows cost what reading a workbook back costs: each cell
goes through an element tree built by the pure-Python parser defusedxml
installs, then through a dictionary and a cell object. This reads the same
part with expat callbacks that keep only what a cell's value needs, and
gives each cell the value and type openpyxl's ``WorkSheetParser`` gives it:
numbers cast by openpyxl's rule, dates through the workbook's date styles,
shared and inline strings as stored (``Text.content``), booleans, errors,
and formulas (shared ones translated to their cell) with type ``f``.
Elements outside the rows (widths, validations, views) are skipped unread.

As the document type declaration check in
:mod:`~storyfacts.workbook.archive` and defusedxml do, entity declarations
and external references are refused. Row and cell numbers are checked as
they are met (see :mod:`~storyfacts.workbook.rows`), so a row numbered two
billion costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from openpyxl.formula.translate import Translator
from openpyxl.utils import column_index_from_string
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.xml.constants import SHEET_MAIN_NS

from .layout import MAX_ROWS
from .string_parts import TextContent, feed, new_parser

__all__ = [
    "EMPTY",
    "MAX_COLUMNS",
    "SheetExtentError",
    "StoredCell",
    "parse_rows",
]

#: The most columns a worksheet holds: A to XFD (Excel and LibreOffice alike).
MAX_COLUMNS = 16_384

_COORDINATE = re.compile(r"^\$?([A-Za-z]+)\$?([0-9]+)$")
# More characters than any row number or column name has, checked before parsing one.
_LONGEST = 12

_ROW = f"{SHEET_MAIN_NS} row"
_VALUE = f"{SHEET_MAIN_NS} v"
_FORMULA = f"{SHEET_MAIN_NS} f"
_INLINE = f"{SHEET_MAIN_NS} is"


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


class StoredCell:
    """A cell as stored: its value and openpyxl's type letter (``n s b d e f``)."""

    __slots__ = ("data_type", "value")

    def __init__(self, value: Any, data_type: str) -> None:
        self.value = value
        self.data_type = data_type

    def __repr__(self) -> str:
        return f"StoredCell({self.value!r}, {self.data_type!r})"


#: A cell the row does not store, as openpyxl's ``EMPTY_CELL`` reads.
EMPTY = StoredCell(None, "n")


class _Rows:
    """Handlers turning a sheet's ``row`` elements into (number, cells) as openpyxl does.

    Every element of a sheet passes through :meth:`start` and :meth:`end`,
    so they do as little as they can: a cell's attributes are kept as
    expat gives them, and read once the cell ends.
    """

    def __init__(self, title: str, shared_strings: list[str], book: Any) -> None:
        self.title = title
        self.shared_strings = shared_strings
        self.epoch = book.epoch
        self.date_formats = book._date_formats
        self.timedelta_formats = book._timedelta_formats
        self.shared_formulae: dict[str | None, Translator] = {}
        # Column letters already checked, with their numbers.
        self.columns: dict[str, int] = {}
        self.depth = 0
        self.row_depth = 0
        self.row_counter = 0
        self.col_counter = 0
        self.cells: list[tuple[int, StoredCell]] = []
        # The cell being read: its attributes, the text of its first v and
        # f, the attributes of that f, its first inline string.
        self.cell: dict[str, str] | None = None
        self.value: list[str] | None = None
        self.formula: list[str] | None = None
        self.formula_attributes: dict[str, str] = {}
        self.inline: TextContent | None = None
        self.inline_text: str | None = None
        # The text being read (a value or a formula), or None.
        self.buffer: list[str] | None = None
        self.done_rows: list[tuple[int, list[tuple[int, StoredCell]]]] = []

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth = depth = self.depth + 1
        self.buffer = None
        row_depth = self.row_depth
        if not row_depth:
            if name == _ROW:
                self._row(attributes)
                self.row_depth = depth
        elif depth == row_depth + 1:
            self.cell = attributes
            self.value = self.formula = None
            self.inline = None
            self.inline_text = None
        elif self.inline is not None:
            self.inline.start(depth, name)
        elif depth == row_depth + 2 and self.cell is not None:
            if name == _VALUE:
                if self.value is None:
                    self.buffer = self.value = []
            elif name == _INLINE:
                if self.inline_text is None:  # only the first is read, as find() would
                    self.inline = TextContent(depth)
            elif name == _FORMULA and self.formula is None:
                self.buffer = self.formula = []
                self.formula_attributes = attributes

    def text(self, data: str) -> None:
        if self.buffer is not None:
            self.buffer.append(data)
        elif self.inline is not None:
            self.inline.text(data)

    def end(self, name: str) -> None:
        depth = self.depth
        self.depth = depth - 1
        self.buffer = None
        row_depth = self.row_depth
        if not row_depth:
            return
        if depth == row_depth + 1:
            if self.cell is not None:
                if len(self.cells) == MAX_COLUMNS:
                    # Kept cells cost memory; no program writes more than a row holds.
                    where = f"{self.row_counter}:{self.row_counter}"
                    reason = f"stores more cells than a row has ({MAX_COLUMNS:,})"
                    raise SheetExtentError(self.title, where, reason)
                self.cells.append(self._read(self.cell))
            self.cell = None
        elif self.inline is not None:
            inline = self.inline
            if depth == inline.depth:
                self.inline_text = inline.content
                self.inline = None
            else:
                inline.end(depth, name)
        elif depth == row_depth:
            number = self.row_counter
            # Checked after its cells, as openpyxl's parse_row reads them
            # first: a cell out of bounds is the one named.
            if not 1 <= number <= MAX_ROWS:
                where = f"{number}:{number}"
                reason = f"is outside a sheet's rows, 1 to {MAX_ROWS:,}"
                raise SheetExtentError(self.title, where, reason)
            self.done_rows.append((number, self.cells))
            self.cells = []
            self.row_depth = 0

    def done(self) -> Iterator[tuple[int, list[tuple[int, StoredCell]]]]:
        rows, self.done_rows = self.done_rows, []
        return iter(rows)

    def _row(self, attributes: dict[str, str]) -> None:
        text = attributes.get("r")
        if text is None:
            self.row_counter += 1
        else:
            if len(text) > _LONGEST:
                raise SheetExtentError(self.title, f"{text[:_LONGEST]}…", "is not a row number")
            try:
                self.row_counter = int(text)
            except ValueError:
                number = float(text)
                if not number.is_integer():
                    raise ValueError(f"{text} is not a valid row number") from None
                self.row_counter = int(number)
        self.col_counter = 0

    def _column(self, reference: str) -> int:
        """The column of a cell reference; refuses one outside a sheet."""
        letters = reference.rstrip("0123456789")
        digits = reference[len(letters) :]
        column = self.columns.get(letters)
        # Known letters (checked before) and a row number in bounds: most cells.
        if column is not None and 0 < len(digits) <= 7 and 1 <= int(digits) <= MAX_ROWS:
            return column
        match = _COORDINATE.match(reference)
        if match is None or len(match.group(1)) > 3 or len(match.group(2)) > 7:
            raise _refuse_cell(self.title, reference)
        column = int(column_index_from_string(match.group(1).upper()))
        if column > MAX_COLUMNS or not 1 <= int(match.group(2)) <= MAX_ROWS:
            raise _refuse_cell(self.title, reference)
        if "$" in reference:
            # What openpyxl makes of it: its reading of "$A$1" fails.
            return int(coordinate_to_tuple(reference)[1])
        self.columns[letters] = column
        return column

    def _read(self, cell: dict[str, str]) -> tuple[int, StoredCell]:
        """The cell's column and content: openpyxl's ``WorkSheetParser.parse_cell``."""
        data_type = cell.get("t", "n")
        reference = cell.get("r")
        if reference:
            column = self.col_counter = self._column(reference)
        else:
            self.col_counter = column = self.col_counter + 1
            if column > MAX_COLUMNS:  # a cell without a reference, counted along its row
                raise _refuse_cell(self.title, f"{self.row_counter}:{self.row_counter}")
        style: Any = cell.get("s", 0)
        if style:
            style = int(style)
        value: Any = None
        if data_type != "inlineStr" and self.value:
            value = "".join(self.value) or None
        if self.formula is not None:
            data_type = "f"
            value = self._formula(reference)
        elif value is not None:
            if data_type == "n":
                value = _cast_number(value)
                if style in self.date_formats:
                    data_type = "d"
                    try:
                        value = from_excel(
                            value, self.epoch, timedelta=style in self.timedelta_formats
                        )
                    except (OverflowError, ValueError):
                        data_type = "e"
                        value = "#VALUE!"
            elif data_type == "s":
                value = self.shared_strings[int(value)]
            elif data_type == "b":
                value = bool(int(value))
            elif data_type == "str":
                data_type = "s"
            elif data_type == "d":
                value = from_ISO8601(value)
        elif data_type == "inlineStr" and self.inline_text is not None:
            data_type = "s"
            value = self.inline_text
        return column, StoredCell(value, data_type)

    def _formula(self, reference: str | None) -> Any:
        attributes = self.formula_attributes
        kind = attributes.get("t")
        value: Any = "=" + "".join(self.formula or ())
        if kind == "array":
            return ArrayFormula(ref=attributes.get("ref"), text=value)
        if kind == "shared":
            index = attributes.get("si")
            if index in self.shared_formulae:
                return self.shared_formulae[index].translate_formula(reference)
            if value != "=":
                self.shared_formulae[index] = Translator(value, reference)
        elif kind == "dataTable":
            return DataTableFormula(**attributes)
        return value


def _cast_number(value: str) -> int | float:
    """openpyxl's rule: a number with a point or an exponent is a float, others ints."""
    if "." in value or "E" in value or "e" in value:
        return float(value)
    return int(value)


def parse_rows(
    source: IO[bytes], title: str, shared_strings: list[str], book: Any
) -> Iterator[tuple[int, list[tuple[int, StoredCell]]]]:
    """Each ``row`` of a sheet's part: its number and its (column, cell) pairs in stored order.

    ``book`` is the openpyxl workbook, for its epoch and date styles. Raises
    :class:`SheetExtentError` at the first row or cell number out of bounds,
    and ``ParseError`` for XML that is not well formed.
    """
    handler = _Rows(title, shared_strings, book)
    return feed(source, new_parser(handler), handler.done)
