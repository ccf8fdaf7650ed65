"""A data sheet's row as the XML of its cells, built in one piece.

XlsxWriter keeps each cell written in a table and writes it out when the
next row starts, one ``write`` to the sheet's temporary file a cell, each
going through a text file that resets its decoder; at 100,000 statements
that was most of the workbook's time. The writer builds a data row's cells
here instead, as the XML XlsxWriter writes for them, and hands the row to
:meth:`~storyfacts.workbook.worksheet.Sheet.put_row` as one string
(tests/test_workbook_export_rows.py compares the two, cell kind by cell kind).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from ..tables import Cell, Column
from . import styles
from .worksheet import number_text, stored_text, text_cell

__all__ = ["MAX_LINKS_PER_SHEET", "WRAPPED", "ColumnCells", "RowCells"]

#: Excel refuses a hyperlink longer than this, and more than this many on a sheet.
MAX_LINK_LENGTH = 2_079
MAX_LINKS_PER_SHEET = 65_530
#: The first day Excel and LibreOffice agree on as a date cell.
FIRST_DATE_CELL = dt.date(1900, 3, 1)
#: Kinds of column whose text wraps; so does the frozen first column.
WRAPPED = ("text", "list", "refs")
#: Kinds of column whose values are not all text.
_NOT_TEXT = ("date", "url", "integer", "number", "boolean")
#: Date cells remembered per column: a dataset's dates repeat, and the cache
#: is emptied when full, so memory stays flat.
_DATES_KEPT = 4_096


class Links:
    """How many hyperlinks a sheet has: past Excel's limit, a URL stays plain text."""

    def __init__(self) -> None:
        self.count = 0


class RowCells:
    """The cells of a data sheet's rows: each column's, then the hidden order column's."""

    def __init__(self, sheet: Any, looks: styles.Looks, columns: tuple[Column, ...]) -> None:
        self.sheet = sheet
        links = Links()
        self.columns = [
            ColumnCells(sheet, looks, column, index, links, index == 0)
            for index, column in enumerate(columns)
        ]
        self._makers = [column.xml for column in self.columns]
        #: The order column comes last.
        self.last = len(columns)
        self.order = f'<c r="{xl_col_to_name(self.last)}'
        self.number = looks[styles.NUMBER]

    def xml(self, row: int, cells: list[Cell], order: int) -> str:
        """Row ``row`` (from 0) holding ``cells`` and, in the order column, ``order``."""
        number = str(row + 1)
        parts = [
            make(row, number, value)
            for make, value in zip(self._makers, cells, strict=True)
            if value is not None
        ]
        style = self.sheet._style(row, self.last, self.number)
        parts.append(f'{self.order}{number}"{style}><v>{order}</v></c>')
        return "".join(parts)


class ColumnCells:
    """One column's values as cells, each kind of cell with its one format.

    A format's style number is looked up as its first cell is built, not
    before: XlsxWriter numbers the formats in the order cells first use
    them, and the bytes must be the same.
    """

    def __init__(
        self,
        sheet: Any,
        looks: styles.Looks,
        column: Column,
        index: int,
        links: Links,
        frozen: bool,
    ) -> None:
        self.sheet = sheet
        self.column = column
        self.index = index
        self.links = links
        self.letter = f'<c r="{xl_col_to_name(index)}'
        wraps = frozen or column.kind in WRAPPED
        self.wraps = wraps
        if column.kind == "id":
            self.text = looks[styles.ID]
        else:
            self.text = looks[styles.WRAPPED if wraps else styles.BODY]
        self.link = looks[styles.WRAPPED_LINK if wraps else styles.LINK]
        self.number = looks[styles.NUMBER]
        self.boolean = looks[styles.BOOLEAN]
        self.date = looks[styles.DATE]
        self.dates = column.kind == "date"
        self.urls = column.kind == "url"
        self._serials: dict[str, str] = {}
        #: What follows a plain text cell's reference: its format's style
        #: attribute (once its first cell has given it one), its kind, its tags.
        self._text_style = ""
        if column.kind not in _NOT_TEXT:
            self.xml = self._text_xml  # type: ignore[method-assign]

    def note_continues(self, row: int, lines: int) -> None:
        """Note on a cell whose text runs past the row's height that it continues.

        The row shows the first lines only; without a sign an editor would
        take them for the whole text. The note is beside the value, never in it.
        """
        self.sheet.write_comment(
            row,
            self.index,
            f"(continues) This cell holds about {lines} lines of text; the row shows the first "
            f"{styles.MAX_DATA_LINES}. Select the cell to read all of it in the formula bar, "
            "or make the row taller.",
            {"author": "storyfacts", "width": 300, "height": 90},
        )

    def _text_xml(self, row: int, number: str, value: bool | int | float | str) -> str:
        # Most cells of a text column: text with nothing to escape, in its one format.
        if (
            not isinstance(value, str)
            or not value
            # Nothing to escape: no control character or non-character (all
            # unprintable; a quick scan), no XML markup, no _xHHHH_.
            or not value.isprintable()
            or "&" in value
            or "<" in value
            or ">" in value
            or "_x" in value
            or value[0].isspace()  # which takes xml:space="preserve"
            or value[-1].isspace()
        ):
            return ColumnCells.xml(self, row, number, value)
        style = self._text_style
        if not style:
            style = self._text_style = (
                f'{self.sheet._style(row, self.index, self.text)} t="inlineStr"><is><t>'
            )
        return f'{self.letter}{number}"{style}{value}</t></is></c>'

    def xml(self, row: int, number: str, value: bool | int | float | str) -> str:
        """The cell holding ``value`` in row ``row`` (from 0; ``number`` is its number from 1).

        Empty text is no cell at all, as XlsxWriter writes it without a value.
        """
        sheet, col = self.sheet, self.index
        if isinstance(value, bool):
            style = sheet._style(row, col, self.boolean)
            return f'{self.letter}{number}"{style} t="b"><v>{1 if value else 0}</v></c>'
        if isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                # XlsxWriter's own refusal, which only an unchecked export meets.
                raise TypeError(f"{value} is not a number a workbook cell can hold")
            style = sheet._style(row, col, self.number)
            return f'{self.letter}{number}"{style}><v>{number_text(value)}</v></c>'
        if self.dates and (serial := self._serial(value)):
            style = sheet._style(row, col, self.date)
            return f'{self.letter}{number}"{style}><v>{serial}</v></c>'
        if self.urls and _linkable(value) and self.links.count < MAX_LINKS_PER_SHEET:
            self.links.count += 1
            sheet.link(row, col, value, self.link)
            return text_cell(f'{self.letter}{number}"{sheet._style(row, col, self.link)}', value)
        if not value:
            return ""
        start = f'{self.letter}{number}"{sheet._style(row, col, self.text)}'
        return text_cell(start, stored_text(value))

    def _serial(self, value: str) -> str:
        """A date's value as the number of its date cell, as XlsxWriter writes it; empty for
        a date that stays text.

        Only a whole date is a date cell; a month or a year alone stays text,
        since a date cell would invent a day. So does a date before 1 March
        1900, which Excel's calendar gets wrong or cannot show.
        """
        serial = self._serials.get(value)
        if serial is None:
            if len(self._serials) >= _DATES_KEPT:
                self._serials.clear()
            serial = ""
            if len(value) == len("YYYY-MM-DD"):
                date = dt.date.fromisoformat(value)
                if date >= FIRST_DATE_CELL:
                    serial = number_text(self.sheet._convert_date_time(date))
            self._serials[value] = serial
        return serial


def _linkable(url: str) -> bool:
    """Whether a URL becomes a hyperlink: a web address within Excel's length (UTF-16 units)."""
    return url.startswith(("http://", "https://")) and len(url.encode("utf-16-le")) <= 2 * (
        MAX_LINK_LENGTH
    )
