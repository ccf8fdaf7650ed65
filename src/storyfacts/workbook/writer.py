"""Writing a dataset as an editor's workbook, streaming and reproducibly.

The sheets, in order: About (what the workbook is and what every column
means), one sheet per kind of record, Evidence, a hidden Lists sheet
holding the values each dropdown offers (:mod:`~storyfacts.workbook.lists`),
and a very hidden sheet of the article bodies as exported
(:mod:`~storyfacts.workbook.bodies`), which lets the reader re-anchor
evidence after an editor changes a body.

XlsxWriter writes the workbook in its constant-memory mode: each row goes
to a temporary file as soon as the next one starts, so memory stays flat
however large the dataset. It writes the same cells as openpyxl's
write-only mode in about 60% of the time (see benchmarks/README.md), and
never through lxml, so the bytes are the same whatever is installed. Its
temporary files live in a directory of this export's own, removed however
the export ends. :func:`~storyfacts.workbook.survey.survey` has checked
every value first, so nothing fails half-way. Every timestamp, in the
workbook's properties and on its zip entries
(:mod:`~storyfacts.workbook.stamping`), comes from ``dataset.modified``, so
the bytes depend on the dataset alone.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.exceptions import FileCreateError

from ..model import Dataset
from ..tables import Column
from . import styles
from .about import fingerprint, write_about
from .archive import utc_time, zip_time
from .bodies import write_bodies
from .layout import HEADER_ROW, ORDER
from .lists import add_validation, write_lists
from .row_cells import WRAPPED, RowCells
from .stamping import restamp
from .survey import SheetPlan, Survey, order, sheet_rows, survey
from .worksheet import Sheet

__all__ = ["write_workbook"]

#: The first moment a workbook's properties are stamped with (a zip entry's first date).
FIRST_MOMENT = dt.datetime(1980, 1, 1)

Advance = Callable[[int], None]
#: At most this many cells per sheet get a note saying their text continues
#: below the row's height: notes are held in memory until the workbook is
#: saved, so memory stays bounded however many long texts a dataset has.
MAX_CONTINUATION_NOTES = 1_000
#: Row and column numbers in XlsxWriter count from 0: the header row's index.
_TOP = HEADER_ROW - 1


def _no_progress(count: int) -> None:
    return None


def write_workbook(dataset: Dataset, path: str | Path, advance: Advance = _no_progress) -> None:
    """Write ``dataset`` as a workbook at ``path``; ``advance(n)`` reports records written.

    Raises :class:`~storyfacts.workbook.safety.UnwritableDatasetError`, before
    writing anything, when a value cannot go in a workbook.
    """
    plan = survey(dataset)
    spill = tempfile.mkdtemp(prefix="storyfacts-xlsx-")
    try:
        workbook = Workbook(
            str(path),
            {
                "constant_memory": True,
                "tmpdir": spill,
                "use_zip64": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        workbook.worksheet_class = Sheet
        moment = _moment(dataset)
        workbook.set_properties({"title": dataset.title, "author": "storyfacts", "created": moment})
        looks = styles.Looks(workbook)
        write_about(workbook, looks, dataset, fingerprint(dataset), plan)
        for sheet_plan in plan.sheets:
            _write_sheet(workbook, looks, dataset, sheet_plan, plan, advance)
        write_lists(workbook, dataset, plan)
        write_bodies(workbook, dataset.articles)
        try:
            workbook.close()
        except FileCreateError as error:
            # XlsxWriter wraps the OSError (a full disk, a missing directory).
            cause = error.args[0] if error.args else None
            raise (cause if isinstance(cause, OSError) else error) from None
        restamp(Path(path), zip_time(moment))
    finally:
        _close_spill_files(locals().get("workbook"))
        shutil.rmtree(spill, ignore_errors=True)


def _close_spill_files(workbook: Any) -> None:
    """Close each sheet's temporary file, which XlsxWriter leaves open when saving fails."""
    for sheet in getattr(workbook, "worksheets_objs", ()):
        handle = getattr(sheet, "row_data_fh", None)
        if handle is not None and not handle.closed:
            handle.close()


def _moment(dataset: Dataset) -> dt.datetime:
    """When the dataset was last modified, in UTC: the workbook's created and modified time.

    XlsxWriter writes the year with as many digits as it has, so a time
    before 1980 (which zip cannot say either) is stamped 1 January 1980;
    About's *Last modified* keeps the exact time.
    """
    try:
        return max(utc_time(dataset.modified_datetime()), FIRST_MOMENT)
    except ValueError:
        # Validation refuses the year 0000 (RFC 3339 allows it, Python does
        # not); an export told not to check (check=False) still writes.
        return FIRST_MOMENT


def _write_sheet(
    workbook: Any,
    looks: styles.Looks,
    dataset: Dataset,
    sheet_plan: SheetPlan,
    plan: Survey,
    advance: Advance,
) -> None:
    table = sheet_plan.table
    sheet = workbook.add_worksheet(table.title)
    columns = (*table.columns, ORDER)
    last = len(columns) - 1
    sheet.freeze_panes(HEADER_ROW, 1)
    sheet.repeat_rows(_TOP)
    styles.fit_to_page_width(sheet)
    for index, width in enumerate(sheet_plan.widths):
        hidden = {"hidden": True} if index == last else {}
        sheet.set_column(index, index, width, None, hidden)
    sheet.set_row(_TOP, styles.HEADER_HEIGHT)
    for index, column in enumerate(columns):
        _write_header(sheet, looks, index, column)
    sheet.autofilter(_TOP, 0, _TOP + max(sheet_plan.rows, 1), last)
    for index, column in enumerate(table.columns):
        add_validation(sheet, column, index, plan)
    row_cells = RowCells(sheet, looks, table.columns)
    makers = row_cells.columns
    wrapped = [i for i, maker in enumerate(makers) if maker.wraps]
    counts = table.name != "evidence"
    notes = 0
    widths = sheet_plan.widths
    # Text up to this long takes one line in its column, however wide its characters.
    short = [styles.usable_width(width) / 2 for width in widths]
    for row_index, (cells, place) in enumerate(sheet_rows(dataset, table), start=HEADER_ROW):
        lines = 1
        for i in wrapped:
            if not isinstance(text := cells[i], str) or (
                len(text) <= short[i] and "\n" not in text
            ):
                continue
            needed = styles.text_lines(text, widths[i])
            lines = max(lines, needed)
            if needed > styles.MAX_DATA_LINES and notes < MAX_CONTINUATION_NOTES:
                notes += 1
                makers[i].note_continues(row_index, needed)
        if lines > 1:
            sheet.set_row(row_index, styles.row_height(lines, styles.MAX_DATA_LINES))
        # The header row has a cell in every column: the sheet spans them all
        # already, so column 0 stands for the row's first, whichever it is.
        sheet.put_row(row_index, partial(row_cells.xml, row_index, cells, order(place)), 0, last)
        if counts:
            advance(1)


def _write_header(sheet: Any, looks: styles.Looks, index: int, column: Column) -> None:
    look = styles.REQUIRED_HEADER if column.required else styles.OPTIONAL_HEADER
    sheet.put_text(_TOP, index, column.title, looks[look])
    if column.description:
        text = column.description
        if column.kind in WRAPPED:
            text += (
                f" A row shows up to {styles.MAX_DATA_LINES} lines; a cell with a note saying "
                "(continues) holds more."
            )
        sheet.write_comment(
            _TOP, index, text, {"author": "storyfacts", "width": 300, "height": 110}
        )
