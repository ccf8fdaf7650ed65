"""Reading an edited workbook back into a dataset, and saying what is wrong, cell by cell.

:func:`read` checks the file before parsing it (see
:mod:`~storyfacts.workbook.archive`), reads the About sheet and every data
sheet, rebuilds the dataset's plain data with :func:`storyfacts.tables.unflatten`
and :func:`~storyfacts.tables.attach_evidence`, validates it, and reports
every problem at once, each with the JSON path it maps to and, as
``location``, the sheet and cell where the editor finds it (``Quotes!C12``).

Records keep their dataset order whatever the editor did to the rows: each
row carries its place in the hidden "Dataset order" column; rows without one
(new rows) go after the others, in sheet order.
"""

from __future__ import annotations

import contextlib
import gc
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import attrs
from defusedxml import DefusedXmlException

from .. import kinds, tables, validation
from ..convert import converter
from ..errors import InputError, Problem, json_path, sort_problems
from ..model import Dataset
from ..schema import SCHEMA_VERSION
from .about import METADATA, fingerprint
from .archive import inspect, open_workbook
from .bodies import BODIES, read_bodies, reanchor_rows
from .cells import CellError, convert
from .edits import edited_modified
from .inflation import Inflation
from .layout import ABOUT, DATA_TABLES, LISTS, ORDER
from .locations import Locator
from .rows import SheetExtentError, stored_rows
from .sheets import SheetRecord, read_sheet

__all__ = ["Note", "WorkbookReading", "read", "read_workbook"]

_SECTIONS = tuple(section.name for section in kinds.SECTIONS)
_EVIDENCED = frozenset(section.name for section in kinds.EVIDENCED)
# What a broken file can make openpyxl raise once the container looked sound.
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ParseError,
    DefusedXmlException,
    KeyError,
    IndexError,
    ValueError,
)


@attrs.frozen
class Note:
    """Something the reader ignored or noticed, which is not an error."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@attrs.frozen
class WorkbookReading:
    """What reading a workbook found."""

    #: The dataset as plain JSON data, as far as it could be read.
    data: dict[str, Any]
    #: Every problem, sorted by JSON path; empty when the workbook holds a valid dataset.
    problems: list[Problem]
    #: What was ignored or noticed: extra columns and sheets, unreadable order cells.
    notes: list[Note]
    #: The schema version the workbook says it follows.
    schema_version: str | None
    #: The fingerprint stored when the workbook was exported.
    fingerprint: str | None
    #: Whether the dataset differs from the one exported; ``None`` when it has problems.
    edited: bool | None


def read_workbook(path: str | Path) -> tuple[dict[str, Any], list[Problem]]:
    """The plain data of a workbook and every problem found: the reader ``storyfacts.load`` uses."""
    reading = read(path)
    return reading.data, reading.problems


def read(path: str | Path) -> WorkbookReading:
    """Read an edited workbook; raise :class:`~storyfacts.errors.InputError` if it is not one."""
    path = Path(path)
    inflation = Inflation(path)
    inspect(path, inflation)
    with warnings.catch_warnings(), _cycles_left_for_later():
        # openpyxl warns about parts it skips (extensions, unknown styles);
        # none of them holds data this reader needs.
        warnings.simplefilter("ignore")
        try:
            book = open_workbook(path, inflation)
        except _BROKEN as error:
            raise InputError(path, f"is damaged and cannot be read ({_say(error)})") from None
        try:
            return _Reader(path, book, inflation).read()
        except SheetExtentError as error:
            raise InputError(path, str(error)) from None
        except _BROKEN as error:
            raise InputError(path, f"is damaged and cannot be read ({_say(error)})") from None
        finally:
            book.close()


@contextlib.contextmanager
def _cycles_left_for_later() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a workbook is read.

    Reading makes millions of small lists, dicts and cells that hold no
    cycles, and the collector would walk them again each time enough were
    made: 18% of the CPU time of reading 100,000 statements back (22.2 s
    -> 18.2 s), 8-10% at 10,000. Reference counting still frees what is
    dropped; a caller that had paused the collector keeps it paused.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _say(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class _Reader:
    def __init__(self, path: Path, book: Any, inflation: Inflation) -> None:
        self.path = path
        self.inflation = inflation
        self.book = book
        self.problems: list[Problem] = []
        self.notes: list[Note] = []
        self.locator = Locator()

    def read(self) -> WorkbookReading:
        meta = self._about()
        version = meta.get("schema_version")
        stored = meta.get("fingerprint")
        data: dict[str, Any] = {k: v for k, v in meta.items() if k != "fingerprint"}
        if version != SCHEMA_VERSION:
            self.problems.append(
                Problem(
                    "$.schema_version",
                    f"This workbook was written for schema version {version!r}; this storyfacts "
                    f"reads version {SCHEMA_VERSION}. Export a new workbook from the dataset.",
                    "schema-version",
                    self.locator.about.get("schema_version", ABOUT),
                )
            )
            return self._result(data, version, stored)
        known = {ABOUT, LISTS, BODIES, *(t.title for t in DATA_TABLES)}
        for name in self.book.sheetnames:
            if name not in known:
                self.notes.append(
                    Note(name, f"The sheet {name!r} is not part of a storyfacts workbook; ignored.")
                )
        by_section: dict[str, list[SheetRecord]] = {s: [] for s in (*_SECTIONS, "evidence")}
        for table in DATA_TABLES:
            by_section[table.section].extend(self._sheet(table))
        for section in _SECTIONS:
            data[section] = self._records(section, by_section[section])
        self._attach_evidence(data, by_section["evidence"])
        moved = reanchor_rows(data, read_bodies(self.book), self.locator.evidence)
        self.notes.extend(Note(where, message) for where, message in moved.notes)
        self.problems.extend(moved.problems)
        skip = {p.location for p in self.problems}
        for problem in validation.problems(data):
            mapped = self.locator.locate(problem)
            if mapped.location is None or mapped.location not in skip:
                self.problems.append(mapped)
        return self._result(data, version, stored)

    def _result(self, data: dict[str, Any], version: Any, stored: Any) -> WorkbookReading:
        problems = sort_problems(self.problems)
        edited = None
        if not problems:
            edited = fingerprint(converter.structure(data, Dataset)) != stored
            if edited:
                data["modified"] = edited_modified(data.get("modified"), self.book.properties)
        return WorkbookReading(
            data=data,
            problems=problems,
            notes=self.notes,
            schema_version=version if isinstance(version, str) else None,
            fingerprint=stored if isinstance(stored, str) else None,
            edited=edited,
        )

    def _about(self) -> dict[str, Any]:
        if ABOUT not in self.book.sheetnames:
            raise InputError(
                self.path,
                "is not a storyfacts workbook: it has no About sheet "
                "(export one with: storyfacts export -f xlsx)",
            )
        labels = {" ".join(label.split()).casefold(): field for field, label in METADATA.items()}
        found: dict[str, Any] = {}
        sheet = self.book[ABOUT]
        text_column = attrs.evolve(ORDER, kind="text")
        for number, row in stored_rows(sheet):
            if len(row) < 2 or not isinstance(row[0].value, str):
                continue
            field = labels.get(" ".join(row[0].value.split()).casefold())
            if field is None or field in found:
                continue
            where = f"{ABOUT}!B{number}"
            self.locator.about[field] = where
            try:
                value = convert(row[1].value, row[1].data_type, text_column)
            except CellError as error:
                self.problems.append(Problem(json_path((field,)), error.message, error.code, where))
                value = None
            found[field] = value
        if "schema_version" not in found:
            raise InputError(
                self.path, "is not a storyfacts workbook: its About sheet gives no schema version"
            )
        return {k: v for k, v in found.items() if v is not None}

    def _sheet(self, table: tables.Table) -> list[SheetRecord]:
        if table.title not in self.book.sheetnames:
            self.problems.append(
                Problem(
                    json_path((table.section,)),
                    f"The sheet {table.title!r} is missing; put it back "
                    "(delete its rows instead to remove its records).",
                    "missing-sheet",
                    table.title,
                )
            )
            return []
        reading = read_sheet(self.book[table.title], table, self.inflation)
        for code, where, message in reading.header_problems:
            self.problems.append(Problem(json_path((table.section,)), message, code, where))
        self.notes.extend(Note(where, message) for where, message in reading.notes)
        return reading.records

    def _records(self, section: str, rows: list[SheetRecord]) -> list[dict[str, Any]]:
        rows = sorted(rows, key=_placement)
        out = []
        for index, row in enumerate(rows):
            self.locator.add_record((section, index), row)
            for problem in row.problems:
                self.problems.append(
                    Problem(
                        json_path((section, index, *problem.column.path)),
                        problem.message,
                        problem.code,
                        problem.location,
                    )
                )
            out.append(tables.unflatten(row.table, row.values))
        return out

    def _attach_evidence(self, data: dict[str, Any], rows: list[SheetRecord]) -> None:
        owners: dict[str, tuple[str, int]] = {}
        kind_of_id: dict[str, str] = {}
        for section in _SECTIONS:
            category = kinds.section(section).category
            for index, record in enumerate(data[section]):
                rid = record.get("id")
                if isinstance(rid, str):
                    kind_of_id.setdefault(rid, record.get("type") or category)
                    if section in _EVIDENCED:
                        owners.setdefault(rid, (section, index))
        rows = sorted(rows, key=_placement)
        attached: list[Mapping[str, Any]] = []
        counts: Counter[str] = Counter()
        for row in rows:
            rid = row.values.get("record")
            if not isinstance(rid, str) or rid not in owners:
                self._orphan(row, rid, kind_of_id)
                parts: tuple[str | int, ...] = ()
            else:
                section, index = owners[rid]
                parts = (section, index, "evidence", counts[rid])
                self.locator.add_evidence(parts, row)
                counts[rid] += 1
                attached.append(row.values)
            for problem in row.problems:
                where = json_path((*parts, *problem.column.path)) if parts else "$"
                self.problems.append(
                    Problem(where, problem.message, problem.code, problem.location)
                )
        records_by_id = {rid: data[s][i] for rid, (s, i) in owners.items()}
        tables.attach_evidence(records_by_id, attached)
        for record in records_by_id.values():
            for i, item in enumerate(record.get("evidence", ())):
                record["evidence"][i] = {k: v for k, v in item.items() if v is not None}

    def _orphan(self, row: SheetRecord, rid: object, kind_of_id: dict[str, str]) -> None:
        if any(problem.column.name == "record" for problem in row.problems):
            return  # the cell's own problem says what is wrong with it
        if rid is None:
            message = (
                "This evidence row names no record: give the id of the entity or statement "
                "it supports, or delete the row."
            )
        elif isinstance(rid, str) and rid in kind_of_id:
            kind = kind_of_id[rid]
            article = "an" if kind[:1] in "aeiou" else "a"
            message = (
                f"{rid!r} is {article} {kind}; evidence rows support entities and statements only."
            )
        else:
            message = f"No entity or statement has the id {rid!r}; correct it or delete the row."
        self.problems.append(Problem("$", message, "dangling-evidence", row.location("record")))


_SHEET_RANK = {table.name: rank for rank, table in enumerate(DATA_TABLES)}


def _placement(row: SheetRecord) -> tuple[int, int, int, int]:
    """Where a row's record goes: by its dataset order, then new rows by sheet and row."""
    if row.order is not None:
        return (0, row.order, _SHEET_RANK[row.table.name], row.row)
    return (1, 0, _SHEET_RANK[row.table.name], row.row)
