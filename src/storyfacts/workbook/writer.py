"""Writing a dataset as an editor's workbook, streaming and reproducibly.

The sheets, in order: About (what the workbook is and what every column
means), one sheet per kind of record, Evidence, a hidden Lists sheet
holding the values each dropdown offers, and a very hidden sheet of the
article bodies as exported (:mod:`~storyfacts.workbook.bodies`), which lets
the reader re-anchor evidence after an editor changes a body. Rows go straight to disk through
openpyxl's write-only mode, so memory stays flat however large the dataset;
:func:`~storyfacts.workbook.survey.survey` has checked every value first, so
nothing fails half-way. Every timestamp comes from ``dataset.modified``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from ..model import Dataset
from ..tables import Cell, Column
from . import styles
from .about import fingerprint, write_about
from .archive import FixedTimeZip, utc_time, zip_time
from .bodies import write_bodies
from .layout import (
    ADDED_IDS,
    HEADER_ROW,
    ID_COLUMNS,
    ID_STACK,
    LISTS,
    MAX_ROWS,
    ORDER,
    choice_list,
    choice_lists,
)
from .safety import set_text, text_cell
from .survey import SheetPlan, Survey, sheet_rows, survey

__all__ = ["write_workbook"]

#: Excel refuses a hyperlink longer than this, and more than this many on a sheet.
MAX_LINK_LENGTH = 2_079
MAX_LINKS_PER_SHEET = 65_530

#: The first day Excel and LibreOffice agree on as a date cell.
FIRST_DATE_CELL = dt.date(1900, 3, 1)

Advance = Callable[[int], None]
#: Kinds of column whose text wraps; so does the frozen first column.
_WRAPPED = ("text", "list", "refs")
#: At most this many cells per sheet get a note saying their text continues
#: below the row's height: the notes are held in memory until the sheet is
#: saved, so memory stays bounded however many long texts a dataset has.
MAX_CONTINUATION_NOTES = 1_000


def _no_progress(count: int) -> None:
    return None


def write_workbook(dataset: Dataset, path: str | Path, advance: Advance = _no_progress) -> None:
    """Write ``dataset`` as a workbook at ``path``; ``advance(n)`` reports records written.

    Raises :class:`~storyfacts.workbook.safety.UnwritableDatasetError`, before
    writing anything, when a value cannot go in a workbook.
    """
    plan = survey(dataset)
    moment = _moment(dataset)
    workbook = Workbook(write_only=True)
    try:
        workbook.properties.creator = "storyfacts"
        workbook.properties.title = dataset.title
        workbook.properties.identifier = dataset.id
        workbook.properties.created = workbook.properties.modified = moment
        write_about(workbook, dataset, fingerprint(dataset), plan)
        for sheet_plan in plan.sheets:
            _write_sheet(workbook, dataset, sheet_plan, plan, advance)
        _write_lists(workbook, plan)
        write_bodies(workbook, dataset.articles)
        with FixedTimeZip(Path(path), zip_time(moment)) as archive:
            ExcelWriter(workbook, archive).save()
    finally:
        _discard_spill_files(workbook)


def _discard_spill_files(workbook: Any) -> None:
    """Close and remove what openpyxl's write-only sheets hold, when saving did not.

    Each sheet streams its rows into a temporary ``openpyxl.*`` file in
    TMPDIR, which openpyxl removes only after a successful save or at
    interpreter exit. After a failure or an interrupt the sheets' row
    generators, left open, would write to closed files when collected and
    print "Exception ignored" tracebacks, and a long-lived process would keep
    the files (about 100 MB at 100,000 statements) until it exits.
    """
    from openpyxl.worksheet import _writer as sheet_writer

    for sheet in workbook.worksheets:
        for generator in (getattr(sheet, "_rows", None), getattr(sheet._writer, "xf", None)):
            if generator is not None:
                with contextlib.suppress(Exception):  # it can only fail writing to a closed file
                    generator.close()
        spill = getattr(sheet._writer, "out", None)
        if isinstance(spill, str) and spill in sheet_writer.ALL_TEMP_FILES:
            sheet_writer.ALL_TEMP_FILES.remove(spill)
            Path(spill).unlink(missing_ok=True)


def _moment(dataset: Dataset) -> dt.datetime:
    """When the dataset was last modified, in UTC: every timestamp in the workbook."""
    try:
        return utc_time(dataset.modified_datetime())
    except ValueError:
        # Validation refuses the year 0000 (RFC 3339 allows it, Python does
        # not); an export told not to check (check=False) still writes.
        return dt.datetime.min


def _write_sheet(
    workbook: Any, dataset: Dataset, sheet_plan: SheetPlan, plan: Survey, advance: Advance
) -> None:
    table = sheet_plan.table
    sheet = workbook.create_sheet(table.title)
    columns = (*table.columns, ORDER)
    last = get_column_letter(len(columns))
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    styles.fit_to_page_width(sheet)
    for index, width in enumerate(sheet_plan.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.column_dimensions[last].hidden = True
    sheet.row_dimensions[HEADER_ROW].height = styles.HEADER_HEIGHT
    _declare_extent(sheet, f"A{HEADER_ROW}:{last}{HEADER_ROW + sheet_plan.rows}")
    sheet.append([_header(sheet, column) for column in columns])
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(sheet_plan.rows, 1)}"
    for index, column in enumerate(table.columns, start=1):
        _add_validation(sheet, column, get_column_letter(index), plan)
    links = [0]
    makers = [_ColumnCells(sheet, column, links, i == 0) for i, column in enumerate(table.columns)]
    wrapped = [i for i, column in enumerate(table.columns) if i == 0 or column.kind in _WRAPPED]
    counts = table.name != "evidence"
    notes = 0
    for number, row in enumerate(sheet_rows(dataset, table), start=HEADER_ROW + 1):
        cells = [make(value) for make, value in zip(makers, row.cells, strict=True)]
        lines = 1
        for i in wrapped:
            if not isinstance(text := row.cells[i], str):
                continue
            needed = styles.text_lines(text, sheet_plan.widths[i])
            lines = max(lines, needed)
            if needed > styles.MAX_DATA_LINES and notes < MAX_CONTINUATION_NOTES:
                notes += 1
                cells[i] = makers[i].continued(text, needed)
        styles.append_row(
            sheet, number, [*cells, row.order], styles.row_height(lines, styles.MAX_DATA_LINES)
        )
        if counts:
            advance(1)


def _declare_extent(sheet: Any, extent: str) -> None:
    """Write the sheet's size at its top, as openpyxl's write-only mode does not.

    Readers (openpyxl among them) otherwise parse the whole sheet once just to
    learn its size before reading it.
    """
    sheet.calculate_dimension = lambda: extent


def _header(sheet: Any, column: Column) -> WriteOnlyCell:
    cell = text_cell(sheet, column.title)
    cell.font = styles.HEADER_FONT
    cell.fill = styles.REQUIRED_FILL if column.required else styles.OPTIONAL_FILL
    cell.alignment = styles.HEADER_ALIGNMENT
    cell.border = styles.HEADER_BORDER
    if column.description:
        text = column.description
        if column.kind in _WRAPPED:
            text += (
                f" A row shows up to {styles.MAX_DATA_LINES} lines; a cell with a note saying "
                "(continues) holds more."
            )
        note = Comment(text, "storyfacts", width=300, height=110)
        cell.comment = note
    return cell


class _ColumnCells:
    """Turns one column's values into styled cells.

    Styling a cell costs a lookup in the workbook's style tables, so each
    kind of cell is styled once per column and reused for every row: a
    write-only sheet writes a row's cells out before ``append`` returns.
    Hyperlinks are the exception, each needing its own cell.
    """

    def __init__(self, sheet: Any, column: Column, links: list[int], frozen: bool) -> None:
        self.sheet = sheet
        self.column = column
        self.links = links
        wraps = frozen or column.kind in _WRAPPED
        self.alignment = alignment = styles.WRAPPED if wraps else styles.BODY
        self.font = styles.ID_FONT if column.kind == "id" else None
        self.text = self._styled(alignment, font=self.font)
        self.number = self._styled(styles.NUMBER_ALIGNMENT)
        self.boolean = self._styled(styles.BOOLEAN_ALIGNMENT, number_format=styles.BOOLEAN_FORMAT)
        self.date = self._styled(styles.DATE_ALIGNMENT, number_format=styles.DATE_FORMAT)

    def continued(self, text: str, lines: int) -> WriteOnlyCell:
        """A cell whose text runs past the row's height, with a note saying it continues.

        The row shows the first lines only; without a sign an editor would
        take them for the whole text. The note is beside the value, never in it.
        """
        cell = self._styled(self.alignment, font=self.font)
        set_text(cell, text)
        cell.comment = Comment(
            f"(continues) This cell holds about {lines} lines of text; the row shows the first "
            f"{styles.MAX_DATA_LINES}. Select the cell to read all of it in the formula bar, "
            "or make the row taller.",
            "storyfacts",
            width=300,
            height=90,
        )
        return cell

    def _styled(self, alignment: Any, **style: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet)
        cell.alignment = alignment
        for name, value in style.items():
            if value is not None:
                setattr(cell, name, value)
        return cell

    def __call__(self, value: Cell) -> Any:
        if value is None:
            return None
        if isinstance(value, bool):
            self.boolean.value = value
            return self.boolean
        if isinstance(value, int | float):
            self.number.value = value
            return self.number
        if self.column.kind == "date" and _is_date_cell(value):
            self.date.value = dt.date.fromisoformat(value)
            return self.date
        if self.column.kind == "url" and _linkable(value) and self.links[0] < MAX_LINKS_PER_SHEET:
            self.links[0] += 1
            cell = text_cell(self.sheet, value)
            cell.alignment = self.alignment
            cell.hyperlink = value
            cell.font = styles.LINK_FONT
            return cell
        set_text(self.text, value)
        return self.text


def _is_date_cell(value: str) -> bool:
    """Whether a date's value is written as a date cell rather than as text.

    Only a whole date is a date cell; a month or a year alone stays text,
    since a date cell would invent a day. So does a date before 1 March 1900,
    which Excel's calendar gets wrong or cannot show.
    """
    return len(value) == len("YYYY-MM-DD") and dt.date.fromisoformat(value) >= FIRST_DATE_CELL


def _linkable(url: str) -> bool:
    return len(url) <= MAX_LINK_LENGTH


def _add_validation(sheet: Any, column: Column, letter: str, plan: Survey) -> None:
    choices = choice_list(column)
    if choices is None:
        return
    strict = bool(choices.enum)
    if strict:
        formula = choices.enum_range()
    elif _stacked_before(plan, choices.last + 1) > MAX_ROWS - HEADER_ROW:
        return  # more ids than a column holds: no dropdown rather than a wrong one
    else:
        formula = ID_COLUMNS.list_formula(choices)
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle=column.title[:32],
        error=(
            "Choose one of the values in the list."
            if strict
            else "This is not the id of a record that can go here. Choose one from the list, "
            "or add the record first."
        ),
    )
    validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{MAX_ROWS}")
    sheet.data_validations.append(validation)


def _stacked_before(plan: Survey, place: int) -> int:
    """How many ids the sheets stacked before ``place`` in :data:`ID_STACK` held at export."""
    return sum(plan.kinds.get(kind, 0) for kind in ID_STACK[:place])


def _write_lists(workbook: Any, plan: Survey) -> None:
    """The hidden Lists sheet: each enumeration's values, and every id stacked by formulas.

    The formulas read the id columns of the data sheets, so the dropdowns
    offer what the sheets hold now, including rows added after export (up
    to :data:`ADDED_IDS` more than were exported). They are the workbook's
    only formulas, and hold no text from the dataset.
    """
    sheet = workbook.create_sheet(LISTS)
    sheet.sheet_state = "hidden"
    enums = [choices for choices in choice_lists() if choices.enum]
    stack = ID_COLUMNS
    for letter in (*(c.letter for c in enums), stack.sheet, stack.ids):
        sheet.column_dimensions[letter].width = 30
    titles = [*(c.title for c in enums), "Sheet", "Ids", "Ids before", "Ids of every sheet"]
    rows = min(_stacked_before(plan, len(ID_STACK)) + ADDED_IDS, MAX_ROWS - HEADER_ROW)
    # Declared before the first row is written, where openpyxl writes it.
    _declare_extent(sheet, f"A{HEADER_ROW}:{stack.ids}{HEADER_ROW + rows}")
    sheet.append([text_cell(sheet, title) for title in titles])
    ids = stack.id_formula()
    sheet_titles = stack.titles()
    for index in range(rows):
        cells: list[Any] = [
            None if index >= len(c.enum) else text_cell(sheet, c.enum[index]) for c in enums
        ]
        if index < len(ID_STACK):
            cells += [
                text_cell(sheet, sheet_titles[index]),
                stack.count_formula(index),
                stack.before_formula(index),
            ]
        else:
            cells += [None, None, None]
        cells.append(ids)
        sheet.append(cells)
