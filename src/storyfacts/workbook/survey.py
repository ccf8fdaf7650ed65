"""The pass before writing: every value checked, every sheet counted and measured.

The writer streams, so it cannot stop half-way through a sheet when it meets
a value a workbook cannot hold. :func:`survey` walks the dataset once first,
row by row as the writer will, and raises
:class:`~storyfacts.workbook.safety.UnwritableDatasetError` naming every such
value; it also returns what the writer needs to know up front: how many rows
each sheet gets, how wide each column should be, and how many ids each
dropdown offers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import attrs
from openpyxl.utils import get_column_letter

from .. import kinds, tables
from ..errors import Problem, json_path
from ..model import Dataset
from ..tables import EVIDENCE, Cell, Table
from .layout import DATA_TABLES, HEADER_ROW, MAX_ROWS, ORDER
from .safety import UnwritableDatasetError, integer_problem, text_problem
from .styles import display_width

__all__ = ["Place", "SheetPlan", "Survey", "order", "sheet_rows", "survey"]

MIN_WIDTH = 6
MAX_WIDTH = 60
#: The first column (a record's id; on Evidence, the record's) stays frozen on
#: screen as an editor scrolls right, so it is kept narrow; a longer id wraps
#: at its hyphens onto a second line.
MAX_ID_WIDTH = 28
#: Widths for columns whose cells are all about as wide.
_FIXED_WIDTHS = {"date": 11, "boolean": 9, "precision": 10}


@attrs.frozen
class SheetPlan:
    """What the writer needs to know about one data sheet before writing it."""

    table: Table
    rows: int
    #: One width per column, then the width of the order column.
    widths: tuple[int, ...]


@attrs.frozen
class Survey:
    """What the pass before writing found: one plan per data sheet, and records per kind."""

    sheets: tuple[SheetPlan, ...]
    kinds: dict[str, int]


#: Where a row comes from: its record, the record's section and place there,
#: and for an evidence row the passage's place among the record's evidence
#: (-1 for a record's own row). The JSON path and the words naming the row
#: are made from it only for a problem.
Place = tuple[Any, str, int, int]


def sheet_rows(dataset: Dataset, table: Table) -> Iterator[tuple[list[Cell], Place]]:
    """The rows of ``table``'s sheet, in dataset order, each with where it comes from."""
    if table.name == EVIDENCE.name:
        places = _evidence_places(dataset)
    else:
        places = _record_places(dataset, table)
    return zip(tables.rows(dataset, table), places, strict=True)


def order(place: Place) -> int:
    """The row's place in the dataset, from 1 (for evidence, among the record's evidence)."""
    _, _, index, item = place
    return index + 1 if item < 0 else item + 1


def _record_places(dataset: Dataset, table: Table) -> Iterator[Place]:
    # The records tables.rows gives, chosen as it chooses them.
    for index, record in enumerate(getattr(dataset, table.section)):
        if table.type is None or record.TYPE == table.type:
            yield record, table.section, index, -1


def _evidence_places(dataset: Dataset) -> Iterator[Place]:
    for section in kinds.EVIDENCED:
        for index, record in enumerate(getattr(dataset, section.name)):
            for item in range(len(record.evidence or ())):
                yield record, section.name, index, item


def _parts(place: Place) -> tuple[str | int, ...]:
    """The JSON path of a row, as parts."""
    _, section, index, item = place
    return (section, index) if item < 0 else (section, index, "evidence", item)


def _label(place: Place) -> str:
    """A row in words: ``quote 'q1'``, or ``evidence 2 of quote 'q1'``."""
    record, _, _, item = place
    name = f"{kinds.kind_of_record(record)} {record.id!r}"
    return name if item < 0 else f"evidence {item + 1} of {name}"


def survey(dataset: Dataset) -> Survey:
    """Check every value and measure every sheet; raise if any value cannot be written."""
    problems = [
        Problem(json_path((field,)), f"The dataset's {field} {reason}.", "unwritable", "About")
        for field in ("id", "title", "modified")
        if (reason := text_problem(getattr(dataset, field)))
    ]
    plans = [_plan(dataset, table, problems) for table in DATA_TABLES]
    if problems:
        raise UnwritableDatasetError(problems)
    return Survey(tuple(plans), dict(Counter(kinds.kind_of_record(r) for r in dataset.records())))


def _plan(dataset: Dataset, table: Table, problems: list[Problem]) -> SheetPlan:
    letters = [get_column_letter(i) for i in range(1, len(table.columns) + 1)]
    widths = [_header_width(column.title) for column in table.columns]
    # Past its widest, a column's width is settled: the rest of its values
    # are checked but not measured. Columns of a fixed width are never measured.
    widest = [
        0 if column.kind in _FIXED_WIDTHS else MAX_ID_WIDTH if index == 0 else MAX_WIDTH
        for index, column in enumerate(table.columns)
    ]
    lists = [
        column.path[0] if column.kind in ("list", "refs") else None for column in table.columns
    ]
    count = 0
    for count, (cells, place) in enumerate(sheet_rows(dataset, table), start=1):
        number = HEADER_ROW + count
        if number == MAX_ROWS + 1:
            problems.append(
                Problem(
                    json_path(_parts(place)),
                    f"The {table.title} sheet holds at most {MAX_ROWS - HEADER_ROW:,} rows below "
                    f"its header; {_label(place)} and those after it do not fit.",
                    "too-many-rows",
                    table.title,
                )
            )
        for i, value in enumerate(cells):
            if isinstance(value, str):
                reason = text_problem(value)
                if reason is None and (field := lists[i]) is not None:
                    reason = _item_problem(value, getattr(place[0], field))
                if widths[i] < widest[i]:
                    # Most text is one line of ASCII: as wide as it is long
                    # (the cap on a column's width comes at the end).
                    width = (
                        len(value) if value.isascii() and "\n" not in value else _text_width(value)
                    )
                    if width > widths[i]:
                        widths[i] = width
            elif isinstance(value, int) and not isinstance(value, bool):
                reason = integer_problem(value)
                if widths[i] < widest[i]:
                    widths[i] = max(widths[i], len(str(value)))
            else:
                continue
            if reason:
                column = table.columns[i]
                where = f"{table.title}!{letters[i]}{number}" if number <= MAX_ROWS else table.title
                problems.append(
                    Problem(
                        json_path(_parts(place) + column.path),
                        f"{_capital(_label(place))}, {column.title}: the value {reason}.",
                        "unwritable",
                        where,
                    )
                )
    final = tuple(
        _FIXED_WIDTHS.get(column.kind, min(max(width, MIN_WIDTH), widest[index])) + 2
        for index, (column, width) in enumerate(zip(table.columns, widths, strict=True))
    )
    return SheetPlan(table, count, (*final, _header_width(ORDER.title) + 2))


def _item_problem(cell: str, items: list[str]) -> str | None:
    """Why a list cannot be one cell of lines, or ``None``."""
    if cell.count(tables.LIST_SEPARATOR) == len(items) - 1:
        return None  # only the separators between the items: no item holds one
    for number, item in enumerate(items, start=1):
        if tables.LIST_SEPARATOR in item:
            return (
                f"has a line break in item {number}, but a cell holds one item per line; "
                "remove the line break"
            )
    return None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _header_width(title: str) -> int:
    """Wide enough for the header to wrap onto two lines at most."""
    longest_word = max(len(word) for word in title.split())
    return max(longest_word, (len(title) + 1) // 2)


def _text_width(text: str) -> int:
    """How many character widths the longest line of ``text`` needs, up to the widest column."""
    if text.isascii():  # most text: one width per character
        if "\n" not in text:
            return min(len(text), MAX_WIDTH)
        return min(max(map(len, text.split("\n"))), MAX_WIDTH)
    widest = 0
    for line in text.split("\n"):
        # A line far longer than the widest column is as wide as it gets.
        widest = max(widest, display_width(line[: MAX_WIDTH * 2]))
        if widest >= MAX_WIDTH:
            return MAX_WIDTH
    return widest
