"""How a value is spelled in a CSV cell: formulas neutralised, flags spelled, dates given days.

Each function works on one whole column of a batch of rows, not cell by
cell: a column is one list, and the common case (no formula, no date) costs
one pass in C over it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

import attrs

if TYPE_CHECKING:
    from ...tables import Cell, Column, Table

__all__ = [
    "FORMULA_START",
    "FREE_TEXT",
    "TEXT_PREFIX",
    "Cells",
    "analyst_table",
    "day_columns",
    "neutralised",
    "spelled",
    "with_days",
]

Cells = Sequence["Cell"]

#: A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_START = "=+-@\t\r"
#: The prefix that keeps a spreadsheet from evaluating a cell. Text that already
#: starts with it gets one more, so stripping one prefix always restores the text.
TEXT_PREFIX = "'"
_STARTS = frozenset(FORMULA_START + TEXT_PREFIX)
#: The kinds of column that hold free text, the only ones neutralised.
FREE_TEXT = frozenset({"text", "list"})


def neutralised(cells: Cells) -> Cells:
    """One text column with the cells a spreadsheet would take for formulas prefixed."""
    # Gathering first characters in C keeps the common case, no formulas, cheap.
    texts = filter(None, cast("Sequence[str | None]", cells))
    if _STARTS.isdisjoint(map(itemgetter(0), texts)):
        return cells
    return [
        TEXT_PREFIX + cell if isinstance(cell, str) and cell[:1] in _STARTS else cell
        for cell in cells
    ]


def spelled(flags: Cells) -> Cells:
    """One yes/no column as the data package declares it: ``true`` or ``false``.

    An absent flag is written ``false`` (``inferred`` left out means not
    inferred), so pandas reads a bool column, not NaN beside True.
    """
    return ["true" if flag else "false" for flag in flags]


# Typed days beside each date ----------------------------------------------------

#: Each date's ISO text (``2023-04``) cannot be typed as a date, so beside it
#: the CSV gives the first and the last day it can mean, which analysts'
#: tools (duckdb, pandas, Frictionless) read as dates.
_BOUNDS = (
    ("_earliest", "earliest", "The first day the date can mean (1 April for 2023-04)."),
    ("_latest", "latest", "The last day the date can mean (30 April for 2023-04)."),
)


@cache
def analyst_table(table: Table) -> Table:
    """The table as the CSV writes it: after each date's precision, its earliest and latest day."""
    columns: list[Column] = []
    for column in table.columns:
        columns.append(column)
        if column.kind == "precision":
            name = column.path[0]
            value = next(c for c in table.columns if c.path == (name, "value"))
            columns.extend(
                attrs.evolve(
                    value,
                    name=name + suffix,
                    title=f"{value.title} {word}",
                    description=description,
                    kind="day",
                    path=(name, word),
                    required=False,
                    enum=(),
                    targets=(),
                )
                for suffix, word, description in _BOUNDS
            )
    return attrs.evolve(table, columns=tuple(columns))


def day_columns(table: Table) -> list[tuple[int, int]]:
    """For each date: the index of its value column and of its precision column."""
    names = {c.path: i for i, c in enumerate(table.columns)}
    return [
        (names[(c.path[0], "value")], i)
        for i, c in enumerate(table.columns)
        if c.kind == "precision"
    ]


@cache
def _bounds(value: str, precision: str) -> tuple[str, str]:
    from ...model import PartialDate

    # The value and precision come from a PartialDate's own cells, so they are one of its kinds.
    date = PartialDate(value=value, precision=cast("Any", precision))
    return date.earliest().isoformat(), date.latest().isoformat()


def with_days(columns: list[Cells], days: list[tuple[int, int]]) -> list[Cells]:
    """The columns with each date's earliest and latest day inserted after its precision."""
    for value_at, precision_at in reversed(days):
        pairs = [
            (None, None) if value is None else _bounds(str(value), str(precision))
            for value, precision in zip(columns[value_at], columns[precision_at], strict=True)
        ]
        earliest, latest = (list(side) for side in zip(*pairs, strict=True))
        columns[precision_at + 1 : precision_at + 1] = [earliest, latest]
    return columns
