"""Where things are in a storyfacts workbook: the sheets, the header row, the dropdown lists.

The writer and the reader both work from these names, so a workbook written
by one version is read by the same rules. The columns themselves come from
:mod:`storyfacts.tables`, shared with the CSV exporter.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
from openpyxl.utils import get_column_letter

from .. import kinds
from ..model import Dataset
from ..tables import EVIDENCE, TABLES, Column, Table

__all__ = [
    "ABOUT",
    "DATA_TABLES",
    "HEADER_ROW",
    "LISTS",
    "MAX_ROWS",
    "ORDER",
    "ChoiceList",
    "choice_list",
    "choice_lists",
]

#: The first sheet: what the workbook is, and the dataset's id, title, version and fingerprint.
ABOUT = "About"
#: A hidden sheet holding the values each dropdown offers.
LISTS = "Lists"
#: Every data sheet has its column titles in this row; records start below it.
HEADER_ROW = 1
#: The most rows a worksheet holds (Excel and LibreOffice alike).
MAX_ROWS = 1_048_576

#: The tables written as sheets, in sheet order: one per kind of record, then evidence.
DATA_TABLES: tuple[Table, ...] = (*TABLES, EVIDENCE)

#: The last column of every data sheet, hidden: the record's place in the
#: dataset (evidence: its place among the record's evidence). Sorting a sheet
#: therefore never reorders the dataset, and rows added without it go last.
ORDER = Column(
    name="order",
    title="Dataset order",
    description="The record's place in the dataset, counted from 1 (for evidence, its place "
    "among the evidence of its record). Leave it empty for new rows; they go last.",
    kind="integer",
    path=("order",),
)


@attrs.frozen
class ChoiceList:
    """The values one dropdown offers: an enumeration, or the ids of some kinds of record."""

    title: str
    enum: tuple[str, ...] = ()
    targets: frozenset[str] = frozenset()
    #: The column of the Lists sheet that holds the values, such as ``"C"``.
    letter: str = ""

    def values(self, dataset: Dataset) -> Iterator[str]:
        """The values, in dataset order for ids."""
        if self.enum:
            yield from self.enum
            return
        for record in dataset.records():
            if kinds.kind_of_record(record) in self.targets:
                yield record.id

    def count(self, kinds: dict[str, int]) -> int:
        """How many values there are, given how many records of each kind the dataset has."""
        return len(self.enum) if self.enum else sum(kinds.get(k, 0) for k in self.targets)

    def range(self, rows: int) -> str:
        """The formula a list validation uses for these values, given how many there are."""
        last = HEADER_ROW + max(rows, 1)
        return f"{LISTS}!${self.letter}${HEADER_ROW + 1}:${self.letter}${last}"


def _key(column: Column) -> tuple[tuple[str, ...], frozenset[str]] | None:
    if column.kind in ("enum", "precision") and column.enum:
        return column.enum, frozenset()
    if column.kind == "ref" and column.targets:
        return (), kinds.expand(column.targets)
    return None


def _build() -> dict[tuple[tuple[str, ...], frozenset[str]], ChoiceList]:
    found: dict[tuple[tuple[str, ...], frozenset[str]], ChoiceList] = {}
    for table in DATA_TABLES:
        for column in table.columns:
            key = _key(column)
            if key is None or key in found:
                continue
            enum, targets = key
            title = column.title if enum else "Ids of " + ", ".join(sorted(targets))
            found[key] = ChoiceList(
                title=title, enum=enum, targets=targets, letter=get_column_letter(len(found) + 1)
            )
    return found


_CHOICES = _build()


def choice_lists() -> tuple[ChoiceList, ...]:
    """Every list on the Lists sheet, in column order."""
    return tuple(_CHOICES.values())


def choice_list(column: Column) -> ChoiceList | None:
    """The dropdown list of a column, or ``None`` for a column without one."""
    key = _key(column)
    return None if key is None else _CHOICES[key]
