"""The dropdowns: the hidden Lists sheet and the list validation of each column.

An enumeration's dropdown offers the values on the Lists sheet. A reference's
dropdown offers a run of the ids the Lists sheet stacks, by formulas, from
the id column of every sheet (:class:`~storyfacts.workbook.layout.IdStack`),
so it offers what the sheets hold now, including records an editor adds.
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils import column_index_from_string

from .. import kinds
from ..model import Dataset
from ..tables import Column
from .layout import ADDED_IDS, HEADER_ROW, ID_COLUMNS, ID_STACK, LISTS, MAX_ROWS, choice_list
from .layout import choice_lists as all_choice_lists
from .survey import Survey

__all__ = ["add_validation", "write_lists"]

_TOP = HEADER_ROW - 1


def add_validation(sheet: Any, column: Column, index: int, plan: Survey) -> None:
    """Give column ``index`` of ``sheet``, which holds ``column``, its dropdown if it has one."""
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
    sheet.data_validation(
        HEADER_ROW,
        index,
        MAX_ROWS - 1,
        index,
        {
            "validate": "list",
            "source": "=" + formula,
            "ignore_blank": True,
            "error_type": "stop" if strict else "warning",
            "error_title": column.title[:32],
            "error_message": (
                "Choose one of the values in the list."
                if strict
                else "This is not the id of a record that can go here. Choose one from the "
                "list, or add the record first."
            ),
        },
    )


def _stacked_before(plan: Survey, place: int) -> int:
    """How many ids the sheets stacked before ``place`` in :data:`ID_STACK` held at export."""
    return sum(plan.kinds.get(kind, 0) for kind in ID_STACK[:place])


def write_lists(workbook: Any, dataset: Dataset, plan: Survey) -> None:
    """The hidden Lists sheet: each enumeration's values, and every id stacked by formulas.

    The formulas read the id columns of the data sheets, so the dropdowns
    offer what the sheets hold now, including rows added after export (up
    to :data:`ADDED_IDS` more than were exported, blank rows between records
    included). They are the workbook's only formulas, and hold no text from
    the dataset. Each is stored with its value at export, which LibreOffice
    shows until something changes (it does not recompute a workbook it
    opens); Excel recomputes them all. At export every sheet's ids fill its
    rows from the first, so a sheet takes as many rows as it has records.
    """
    sheet = workbook.add_worksheet(LISTS)
    sheet.hide()
    enums = [choices for choices in all_choice_lists() if choices.enum]
    stack = ID_COLUMNS
    for letter in (*(c.letter for c in enums), stack.sheet, stack.ids):
        index = column_index_from_string(letter) - 1
        sheet.set_column(index, index, 30)
    titles = [*(c.title for c in enums), "Sheet", "Rows", "Rows before", "Ids of every sheet"]
    for index, title in enumerate(titles):
        sheet.put_text(_TOP, index, title)
    rows = min(_stacked_before(plan, len(ID_STACK)) + ADDED_IDS, MAX_ROWS - HEADER_ROW)
    ids = stack.id_formula()
    sheet_titles = stack.titles()
    first = len(enums)
    stacked = _stacked_ids(dataset)
    before = 0
    for index in range(rows):
        row = HEADER_ROW + index
        for column, choices in enumerate(enums):
            if index < len(choices.enum):
                sheet.put_text(row, column, choices.enum[index])
        if index < len(ID_STACK):
            sheet.put_text(row, first, sheet_titles[index])
            count = plan.kinds.get(ID_STACK[index], 0)
            sheet.write_formula(row, first + 1, stack.rows_formula(index, rows), None, count)
            sheet.write_formula(row, first + 2, stack.before_formula(index), None, before)
            before += count
        shown = stacked[index] if index < len(stacked) else ""
        sheet.write_formula(row, first + 3, ids, None, shown)


def _stacked_ids(dataset: Dataset) -> list[str]:
    """The ids the stack shows at export: each stacked sheet's ids, in its rows' order."""
    by_kind: dict[str, list[str]] = {kind: [] for kind in ID_STACK}
    for record in dataset.records():
        by_kind[kinds.kind_of_record(record)].append(record.id)
    return [rid for kind in ID_STACK for rid in by_kind[kind]]
