"""How a value is spelled in a CSV cell, and the generated functions that spell whole rows.

A cell is spelled as ``docs/formats/csv.md`` says: text a spreadsheet would
take for a formula gets a leading ``'``, a flag is ``true`` or ``false``, and
beside each date come the first and last day it can mean. Each table's rows
are made by one generated list comprehension that reads a record's fields
and spells them in the same expression: as values for ``csv.writer``
(:func:`row_maker`), or as the finished text of each field, quoted as
``csv.writer`` quotes, for :mod:`.lines` to join (:func:`spelled_maker`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, cast

import attrs

if TYPE_CHECKING:
    from ...tables import Cell, Column, Table

__all__ = [
    "DELIMITER",
    "FORMULA_START",
    "FREE_TEXT",
    "LINE_END",
    "NEEDS_QUOTES",
    "QUOTE",
    "QUOTED",
    "TEXT_PREFIX",
    "RowMaker",
    "analyst_table",
    "probed",
    "row_maker",
    "spelled_maker",
]

# The dialect: csv.writer's defaults but for the line end (RFC 4180's CRLF).
DELIMITER = ","
QUOTE = '"'
LINE_END = "\r\n"
#: A field holding one of these is quoted (csv.writer's ``QUOTE_MINIMAL``).
NEEDS_QUOTES = DELIMITER + QUOTE + LINE_END

#: A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_START = "=+-@\t\r"
#: The prefix that keeps a spreadsheet from evaluating a cell. Text that already
#: starts with it gets one more, so stripping one prefix always restores the text.
TEXT_PREFIX = "'"
_STARTS = frozenset(FORMULA_START + TEXT_PREFIX)
#: The character after the last formula start and the prefix (``A``): text that
#: sorts at or after it starts with none of them.
_BELOW = chr(max(map(ord, _STARTS)) + 1)
#: The kinds of column that hold free text, the only ones neutralised.
FREE_TEXT = frozenset({"text", "list"})

#: Makes the rows of one table, already spelled, from a batch of records.
RowMaker = Callable[[Iterable[Any]], list[tuple["Cell", ...]]]


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


class _Days(dict[tuple[str, str], tuple[str, str]]):
    """(value, precision) -> (earliest, latest) day as ISO text, worked out once per date.

    A dict, not ``functools.cache``, so that the common case, a date seen
    before, is a lookup in C and no call. At most :attr:`LIMIT` dates are
    kept, so that a dataset of ever new dates cannot grow it without end.
    """

    LIMIT = 10_000

    def __missing__(self, key: tuple[str, str]) -> tuple[str, str]:
        from ...model import PartialDate

        value, precision = key
        # The value and precision come from a PartialDate's own fields.
        date = PartialDate(value=value, precision=cast("Any", precision))
        found = (date.earliest().isoformat(), date.latest().isoformat())
        if len(self) >= self.LIMIT:
            self.clear()
        self[key] = found
        return found


#: One for every table and both ways of spelling rows: the same date is often in several
#: tables (a 100,000-statement dataset has 6,045 distinct dates, 23,320 counted table by
#: table), and working one out takes microseconds, which a first export paid 23,320 times
#: (0.17 s) when each table had its own.
_DAYS = _Days()


# Generated row makers ----------------------------------------------------------------


def _attribute(target: str, name: str) -> str:
    """Python source reading the attribute ``name`` of ``target``."""
    if name.isidentifier() and not name.startswith("_"):
        return f"{target}.{name}"
    return f"getattr({target}, {name!r})"


def _neutralised(source: str, guarded: bool) -> str:
    """``source``'s value with the text prefix put before a formula start, as Python source.

    Unguarded, the expression takes the value to be text or ``None``, as it
    is in a valid dataset; guarded, it leaves any other value as it is (for
    ``check=False`` on a dataset that is not valid), at the cost of a call.

    Every formula start and the prefix come before ``A`` (``_BELOW``), so
    text that sorts at or after ``"A"`` (most text: it starts with a letter)
    starts with none of them. One comparison tells that, where taking the
    first character makes a new string for any letter beyond Latin-1
    (Cyrillic, Chinese) and then looks it up.
    """
    if guarded:
        checked = f"type(t := {source}) is str and t < BELOW and t[:1] in STARTS"
        return f"(PREFIX + t if {checked} else t)"
    return f"(PREFIX + t if (t := {source}) and t < BELOW and t[0] in STARTS else t)"


#: The kinds of column whose values storyfacts spells itself: never anything to quote.
_OWN = frozenset({"boolean", "day"})
#: The kinds of column whose values may hold a comma, a quote or a line break in a valid
#: dataset (free text, a link, a list one item per line): a spelled cell is quoted here.
QUOTED = frozenset({"text", "url", "list", "refs"})


def _spelled_text(source: str, neutralise: bool) -> str:
    """``source``'s value (text or ``None``) as the text of its CSV field, as Python source.

    Quoted as ``csv.writer`` quotes (``QUOTE_MINIMAL``): when the text holds
    one of :data:`NEEDS_QUOTES`, with each quote doubled. ``None`` is an
    empty field. A value that is not text raises ``TypeError`` (``in`` or
    ``<`` on it), and the batch goes to ``csv.writer`` instead.
    """
    text = "(PREFIX + t if t < BELOW and t[:1] in STARTS else t)" if neutralise else "t"
    first, others = NEEDS_QUOTES[0], NEEDS_QUOTES[1:]
    needs = " or ".join([f"{first!r} in (u := {text})", *(f"{c!r} in u" for c in others)])
    quoted = f"{QUOTE!r} + u.replace({QUOTE!r}, {QUOTE * 2!r}) + {QUOTE!r}"
    return f"('' if (t := {source}) is None else ({quoted} if {needs} else u))"


def _spelled_value(source: str, kind: str) -> str:
    """``source``'s value as the text ``csv.writer`` writes for it, left unquoted, as Python source.

    Text stays as it is and ``None`` is empty; a number is spelled by
    ``str``, as ``csv.writer`` spells it. Such a cell is looked at for
    characters that need quoting after the rows are made (:mod:`.lines`).
    """
    if kind in ("integer", "number"):
        return f"('' if (v := {source}) is None else str(v))"
    return f"('' if (v := {source}) is None else v)"


def _cell_sources(
    columns: Iterable[Column], record: str, neutralise: bool, guarded: bool, spelled: bool = False
) -> str:
    """The cells of one row, read from ``record``, as Python source for a tuple display.

    ``spelled``: each cell as the finished text of its CSV field (see
    :mod:`.lines`), rather than the value ``csv.writer`` is given.
    """
    dates: dict[str, str] = {}
    cells: list[str] = []
    for column in columns:
        field = column.path[0]
        if len(column.path) == 2 and column.path[1] in ("earliest", "latest"):
            if column.path[1] == "latest":
                continue  # made with the earliest, below
            # Both days come from one lookup, kept in a variable: a starred
            # pair would make the row's display a list grown item by item.
            date = dates[field]
            days = f"days_{date}"
            cells.append(
                f"(({days} := NO_DAYS if {date} is None else DAYS[{date}.value, {date}.precision])"
                f"[0])"
            )
            cells.append(f"{days}[1]")
            continue
        if len(column.path) == 2:
            # A date (or a draft) is read once per record, into a variable its parts reuse.
            if field not in dates:
                dates[field] = f"part{len(dates)}"
                read = f"({dates[field]} := {_attribute(record, field)})"
            else:
                read = dates[field]
            part = _attribute(dates[field], column.path[1])
            if column.kind == "boolean":
                cell = f"('true' if {read} is not None and {part} else 'false')"
            else:
                cell = f"(None if {read} is None else {part})"
        elif column.kind in ("refs", "list"):
            cell = f"(None if (items := {_attribute(record, field)}) is None else SEP.join(items))"
        elif column.kind == "boolean":
            cell = f"('true' if {_attribute(record, field)} else 'false')"
        else:
            cell = _attribute(record, field)
        if spelled:
            if column.kind in QUOTED:
                cell = _spelled_text(cell, neutralise and column.kind in FREE_TEXT)
            elif column.kind not in _OWN:
                cell = _spelled_value(cell, column.kind)
        elif neutralise and column.kind in FREE_TEXT:
            cell = _neutralised(cell, guarded)
        cells.append(cell)
    return ", ".join(cells)


def probed(columns: Iterable[Column]) -> tuple[int, ...]:
    """Where in a spelled row the cells are that :mod:`.lines` looks at before writing.

    Every cell but the quoted ones and those storyfacts spells itself: what
    the data holds there (an id, a code, a number) is written as it is, so
    it must hold nothing that needs quoting. In a valid dataset the schema
    sees to that; in any other, such a batch goes to ``csv.writer``.
    """
    return tuple(i for i, c in enumerate(columns) if c.kind not in QUOTED and c.kind not in _OWN)


def _compiled(name: str, source: str, spelled: bool = False) -> RowMaker:
    from ...tables import LIST_SEPARATOR

    namespace: dict[str, Any] = {
        "SEP": LIST_SEPARATOR,
        "PREFIX": TEXT_PREFIX,
        "STARTS": _STARTS,
        "BELOW": _BELOW,
        "DAYS": _DAYS,
        "NO_DAYS": ("", "") if spelled else (None, None),
    }
    exec(compile(source, f"<csv rows of {name}>", "exec"), namespace)
    made: RowMaker = namespace["rows"]
    return made


@cache
def row_maker(table: Table, neutralise: bool) -> RowMaker:
    """The function that makes ``table``'s rows as the CSV writes them, from a list of records.

    Generated, one list comprehension a table, because it is the cheapest way
    Python has to read a dozen attributes of each of a million records and
    spell them: reading, neutralising and typing each cell in one
    expression, with no second pass over the rows, keeps the export close to
    what ``csv.writer`` alone costs (``benchmarks/csv_floor.py``).

    For ``evidence`` the records are those that carry it, each giving a row
    per passage. A batch whose text fields hold something other than text
    (possible only with ``check=False``) is made again by a guarded maker,
    which writes such values as ``csv.writer`` writes them.
    """
    fast = _generated(table, neutralise, guarded=False)
    if not neutralise:
        return fast
    guarded = _generated(table, neutralise, guarded=True)

    def rows(records: Iterable[Any]) -> list[tuple[Cell, ...]]:
        try:
            return fast(records)
        except Exception:  # not text where text belongs; any other fault is raised again
            return guarded(records)

    return rows


def _generated(table: Table, neutralise: bool, guarded: bool, spelled: bool = False) -> RowMaker:
    from ... import tables

    columns = analyst_table(table).columns
    if table.name == tables.EVIDENCE.name:
        record, passage = columns[0], columns[1:]
        assert record.path == ("record",)
        # The record's id, like every id, is looked at before it is written (see probed).
        cells = "r.id, " + _cell_sources(passage, "e", neutralise, guarded, spelled)
        loop = "for r in records for e in r.evidence or ()"
    else:
        cells = _cell_sources(columns, "r", neutralise, guarded, spelled)
        loop = "for r in records"
    # Rows are tuples: one allocation each, where a list is two.
    source = f"def rows(records):\n    return [({cells},) {loop}]\n"
    return _compiled(table.name, source, spelled)


@cache
def spelled_maker(table: Table, neutralise: bool) -> RowMaker:
    """The function that makes ``table``'s rows as the finished text of each CSV field.

    The same generated comprehension as :func:`row_maker`'s, but each cell
    is already what ``csv.writer`` would write for it: quoted where it must
    be, numbers spelled, ``None`` empty. :mod:`.lines` joins such rows into
    the file's text. A record that does not hold what a valid one holds
    raises (``TypeError``), and its batch is written by ``csv.writer``.
    """
    return _generated(table, neutralise, guarded=False, spelled=True)
