"""Where things are in a storyfacts workbook: the sheets, the header row, the dropdown lists.

The writer and the reader both work from these names, so a workbook written
by one version is read by the same rules. The columns themselves come from
:mod:`storyfacts.tables`, shared with the CSV exporter.
"""

from __future__ import annotations

import itertools

import attrs
from openpyxl.utils import get_column_letter

from .. import kinds
from ..tables import EVIDENCE, TABLES, Column, Table

__all__ = [
    "ABOUT",
    "ADDED_IDS",
    "DATA_TABLES",
    "HEADER_ROW",
    "ID_COLUMNS",
    "ID_STACK",
    "LISTS",
    "MAX_ROWS",
    "ORDER",
    "ChoiceList",
    "IdStack",
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


#: The kinds of record whose ids the dropdowns offer, in the order the Lists
#: sheet stacks their sheets' id columns: the sheet order, except that each
#: reference column's kinds are made neighbours, so its dropdown is one run
#: of the stack (places and countries for a location; countries, people,
#: organisations and groups for a speaker).
ID_STACK: tuple[str, ...] = ()  # set below, once the dropdowns are known
#: Rows of the stacked ids kept beyond the ids exported, for records editors add.
ADDED_IDS = 1_000


@attrs.frozen
class ChoiceList:
    """The values one dropdown offers: an enumeration, or the ids of some kinds of record."""

    title: str
    enum: tuple[str, ...] = ()
    targets: frozenset[str] = frozenset()
    #: The column of the Lists sheet that holds an enumeration's values, such as ``"C"``.
    letter: str = ""
    #: For ids: the first and last place in :data:`ID_STACK` of the kinds offered.
    first: int = 0
    last: int = 0

    def enum_range(self) -> str:
        """The cells of the Lists sheet an enumeration's dropdown offers."""
        last = HEADER_ROW + len(self.enum)
        return f"{LISTS}!${self.letter}${HEADER_ROW + 1}:${self.letter}${last}"


def _key(column: Column) -> tuple[tuple[str, ...], frozenset[str]] | None:
    if column.kind in ("enum", "precision") and column.enum:
        return column.enum, frozenset()
    if column.kind == "ref" and column.targets:
        return (), kinds.expand(column.targets)
    return None


def _build() -> dict[tuple[tuple[str, ...], frozenset[str]], ChoiceList]:
    found: dict[tuple[tuple[str, ...], frozenset[str]], ChoiceList] = {}
    letters = 0
    for table in DATA_TABLES:
        for column in table.columns:
            key = _key(column)
            if key is None or key in found:
                continue
            enum, targets = key
            if enum:
                letters += 1
                found[key] = ChoiceList(column.title, enum, letter=get_column_letter(letters))
            else:
                places = [ID_STACK.index(kind) for kind in targets]
                title = "Ids of " + ", ".join(sorted(targets))
                found[key] = ChoiceList(title, targets=targets, first=min(places), last=max(places))
    return found


def _stack_order(runs: list[frozenset[str]]) -> tuple[str, ...]:
    """The kinds in sheet order, reordered within each section so each of ``runs`` is a run.

    Sections stay in sheet order; within each, its kinds are tried in every
    order (at most 720, for the six kinds of entity) until each run's part in
    the section is contiguous and sits at the end that faces the run's other
    sections.
    """
    sections: dict[str, list[str]] = {}
    for table in DATA_TABLES:
        if table.kind:
            sections.setdefault(table.section, []).append(table.kind)
    order: list[str] = []
    for kinds_in_section in sections.values():
        section = set(kinds_in_section)
        order += next(
            (
                list(candidate)
                for candidate in itertools.permutations(kinds_in_section)
                if all(_fits(list(candidate), run, section, order) for run in runs)
            ),
            kinds_in_section,
        )
    if not all(_is_run(order, run) for run in runs):
        raise AssertionError("no order of the sheets makes every dropdown's kinds neighbours")
    return tuple(order)


def _fits(candidate: list[str], run: frozenset[str], section: set[str], before: list[str]) -> bool:
    inside = run & section
    if not inside:
        return True
    places = sorted(candidate.index(kind) for kind in inside)
    if places[-1] - places[0] != len(places) - 1:
        return False
    if run & set(before) and places[0] != 0:
        return False  # the run comes from the sections before: it must start this one
    later = run - section - set(before)
    return not later or places[-1] == len(candidate) - 1


def _is_run(order: list[str], kinds: frozenset[str]) -> bool:
    places = sorted(order.index(kind) for kind in kinds)
    return places[-1] - places[0] == len(places) - 1


ID_STACK = _stack_order(
    sorted(
        {k[1] for t in DATA_TABLES for c in t.columns if (k := _key(c)) and not k[0]}, key=sorted
    )
)
_CHOICES = _build()
_TABLE_OF_KIND = {table.kind: table for table in DATA_TABLES if table.kind}


@attrs.frozen
class IdStack:
    """Where the Lists sheet stacks the id columns, and the formulas that keep it live.

    Columns, from the first after the enumerations: each stacked sheet's
    title, how many of its rows the stack takes (down to its last id), how
    many rows the sheets before it take, and the stacked ids themselves, one
    formula a row. Every formula reads only the sheets' id columns, so an
    id an editor adds, renames or deletes shows in the dropdowns at once.

    A sheet's rows are counted down to its last id, not by counting its ids
    (``COUNTA``): an id cell an editor leaves blank between records would
    otherwise shorten the run and hide the sheet's last id. The blank cell
    itself is stacked as empty text (``&""``), never as the 0 a spreadsheet
    makes of an empty cell, so a dropdown offers it as an empty line.
    """

    #: The Lists columns of the sheet titles, rows taken, rows before and the ids.
    sheet: str
    rows: str
    before: str
    ids: str

    def titles(self) -> tuple[str, ...]:
        return tuple(_TABLE_OF_KIND[kind].title for kind in ID_STACK)

    def rows_formula(self, place: int, room: int) -> str:
        """How many rows below its header the stacked sheet at ``place`` takes: to its last id.

        Its id cells are looked at down to ``room`` rows below the header,
        as many as the stack holds, so the work is bounded by the stack and
        not by the sheet's million rows. ``SUMPRODUCT`` makes Excel and
        LibreOffice alike compute the comparison for every cell without an
        array formula (both have it since their first versions); an empty
        sheet takes 0 rows.
        """
        title = _sheet_name(ID_STACK[place])
        cells = f"{title}!$A${HEADER_ROW + 1}:$A${HEADER_ROW + room}"
        return f'=SUMPRODUCT(MAX(({cells}<>"")*(ROW({cells})-{HEADER_ROW})))'

    def before_formula(self, place: int) -> str:
        """How many rows the stacked sheets before ``place`` take."""
        if place == 0:
            return "=0"
        row = HEADER_ROW + place
        return f"={self.before}{row}+{self.rows}{row}"

    def id_formula(self) -> str:
        """The formula of every row of the stacked ids (it reads its own row number).

        Row r shows place r - 1 of the stack: the sheet holding it is the
        last whose rows-before is below that (COUNTIF, so sheets taking no
        rows are passed over), and its row there is r less the rows before
        it. An empty id cell shows as empty text (``&""``), not as 0. Rows
        past the last sheet's last id show nothing.
        """
        first, last = HEADER_ROW + 1, HEADER_ROW + len(ID_STACK)
        before = f"${self.before}${first}:${self.before}${last}"
        total = f"${self.before}${last}+${self.rows}${last}"
        which = f'COUNTIF({before},"<"&(ROW()-{HEADER_ROW}))'
        columns = ",".join(f"{_sheet_name(kind)}!A:A" for kind in ID_STACK)
        return (
            f'=IF(ROW()-{HEADER_ROW}>{total},"",'
            f'INDEX(CHOOSE({which},{columns}),ROW()-INDEX({before},{which}))&"")'
        )

    def list_formula(self, choices: ChoiceList) -> str:
        """The list a reference dropdown offers: the run of the stack holding its kinds.

        A run whose sheets take no rows (every such record deleted) is the
        one empty cell just past the stack's last id, since a list must have
        a cell and the cell at the run's place holds the next sheet's id.
        Excel takes at most 255 characters here; this is about 140.
        """
        start = f"{LISTS}!${self.before}${HEADER_ROW + 1 + choices.first}"
        end = HEADER_ROW + 1 + choices.last
        last = HEADER_ROW + len(ID_STACK)
        size = f"{LISTS}!${self.before}${end}+{LISTS}!${self.rows}${end}-{start}"
        past = f"{LISTS}!${self.before}${last}+{LISTS}!${self.rows}${last}"
        return (
            f"OFFSET({LISTS}!${self.ids}${HEADER_ROW + 1},IF({size}>0,{start},{past}),0,"
            f"MAX(1,{size}),1)"
        )


def choice_lists() -> tuple[ChoiceList, ...]:
    """Every list on the Lists sheet, in column order."""
    return tuple(_CHOICES.values())


def choice_list(column: Column) -> ChoiceList | None:
    """The dropdown list of a column, or ``None`` for a column without one."""
    key = _key(column)
    return None if key is None else _CHOICES[key]


def _sheet_name(kind: str) -> str:
    """The title of the sheet of ``kind``, as a formula names it (quoted only when it must be)."""
    title = _TABLE_OF_KIND[kind].title
    return title if title.isalpha() else "'" + title.replace("'", "''") + "'"


def _id_stack() -> IdStack:
    after = sum(1 for choices in _CHOICES.values() if choices.enum)
    letters = [get_column_letter(after + i) for i in range(1, 5)]
    return IdStack(*letters)


#: The stacked ids on the Lists sheet.
ID_COLUMNS = _id_stack()
