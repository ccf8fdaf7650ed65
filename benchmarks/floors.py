"""What each exporter is measured against: its raw-library floor and its peers.

A contender writes the *same content* storyfacts wrote. That content is read
back from storyfacts' own output before any clock starts (csv.reader for CSV
tables, openpyxl's read-only mode for a workbook, ``json.loads`` for JSON and
JSON-LD, the icalendar parser for a calendar), so the floor is the raw
library writing already-flattened rows, while storyfacts' time includes its
own flattening of the dataset. See ``benchmarks/README.md`` for why that is the
fair comparison.

* **floor**: the library a hand-written exporter would use, in its fastest
  mode: ``csv.writer``; openpyxl in write-only mode; ``json.dumps``; the
  icalendar package building and serialising the same events.
* **peer**: what a user would otherwise pick for the same job: tablib and
  pandas, for the CSV tables and the workbook.

Contenders write plainly, without storyfacts' temporary file, fsync and
rename, which counts against storyfacts.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Contender", "contenders", "openpyxl_read", "read_workbook_rows"]

Rows = list[list[Any]]


@dataclass(frozen=True)
class Contender:
    """One way of writing the same content; ``write(path)`` makes ``path``.

    ``prime()`` reads storyfacts' output, which can take as long as the
    export; call it before timing ``write`` (which would otherwise prime
    itself on its first call).
    """

    name: str
    role: str  # "floor" or "peer"
    write: Callable[[Path], None]
    prime: Callable[[], object]


def contenders(format_name: str, output: Path) -> list[Contender]:
    """The floor and peers for ``format_name``, to write the content at ``output``.

    Nothing is read until one of them is primed. Empty for a format this
    module does not know (a third-party plugin's).
    """
    build = _BUILDERS.get(format_name)
    if build is None:
        return []
    lineup = _LINEUPS[format_name]()

    @functools.cache
    def built() -> list[Contender]:
        made = build(output)
        assert [(c.name, c.role) for c in made] == lineup, "lineup out of step with builder"
        return made

    def write(index: int) -> Callable[[Path], None]:
        return lambda path: built()[index].write(path)

    return [Contender(name, role, write(index), built) for index, (name, role) in enumerate(lineup)]


def _ready(output: Path) -> Callable[[], object]:
    return lambda: output


# JSON and JSON-LD -----------------------------------------------------------


def _json_layout(raw: bytes) -> dict[str, Any]:
    """The json.dumps arguments that reproduce the layout of ``raw``."""
    text = raw.decode("utf-8-sig")
    lines = text.split("\n", 2)
    indent: int | None = None
    if len(lines) > 1 and text[:1] in "[{" and lines[0].strip() in ("{", "["):
        indent = len(lines[1]) - len(lines[1].lstrip(" ")) or None
    compact = indent is None and '": ' not in text[:4096] and '", ' not in text[:4096]
    return {
        "indent": indent,
        "ensure_ascii": text.isascii() and "\\u" in text,
        "separators": (",", ":") if compact else None,
    }


def _json(output: Path) -> list[Contender]:
    raw = output.read_bytes()
    document = json.loads(raw)
    layout = _json_layout(raw)
    newline = "\n" if raw.endswith(b"\n") else ""

    def write(path: Path) -> None:
        path.write_text(json.dumps(document, **layout) + newline, encoding="utf-8")

    return [Contender("json.dumps", "floor", write, _ready(output))]


# CSV ------------------------------------------------------------------------


@dataclass(frozen=True)
class _CsvFiles:
    """The tables (and any other files) of a CSV export, relative to its root."""

    tables: dict[str, Rows]
    others: dict[str, Any]
    lineterminator: str
    encoding: str


def _read_csv(output: Path) -> _CsvFiles:
    files = sorted(p for p in output.rglob("*") if p.is_file()) if output.is_dir() else [output]
    root = output if output.is_dir() else output.parent
    tables: dict[str, Rows] = {}
    others: dict[str, Any] = {}
    terminator, encoding = "\r\n", "utf-8"
    for path in files:
        name = path.relative_to(root).as_posix()
        raw = path.read_bytes()
        if path.suffix == ".csv":
            encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
            first_line = raw.split(b"\n", 1)[0]
            terminator = "\r\n" if first_line.endswith(b"\r") else "\n"
            with path.open(encoding=encoding, newline="") as f:
                tables[name] = [list(row) for row in csv.reader(f)]
        elif path.suffix == ".json":
            others[name] = json.loads(raw)
        else:
            others[name] = raw
    return _CsvFiles(tables, others, terminator, encoding)


def _csv(output: Path) -> list[Contender]:
    files = _read_csv(output)
    directory = output.is_dir()

    def place(path: Path, name: str) -> Path:
        # A directory export is written into the directory it names, as
        # storyfacts writes into the empty directory it is handed.
        if not directory:
            return path
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_others(path: Path) -> None:
        for name, content in files.others.items():
            target = place(path, name)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(
                    json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
                )

    def with_csv_writer(path: Path) -> None:
        for name, rows in files.tables.items():
            with place(path, name).open("w", encoding=files.encoding, newline="") as f:
                csv.writer(f, lineterminator=files.lineterminator).writerows(rows)
        write_others(path)

    def with_tablib(path: Path) -> None:
        import tablib  # type: ignore[import-untyped]

        for name, rows in files.tables.items():
            table = tablib.Dataset(*rows[1:], headers=rows[0] if rows else None)
            with place(path, name).open("w", encoding=files.encoding, newline="") as f:
                f.write(table.export("csv", lineterminator=files.lineterminator))
        write_others(path)

    def with_pandas(path: Path) -> None:
        import pandas  # type: ignore[import-untyped]

        for name, rows in files.tables.items():
            frame = pandas.DataFrame(rows[1:], columns=rows[0] if rows else None)
            frame.to_csv(
                place(path, name),
                index=False,
                encoding=files.encoding,
                lineterminator=files.lineterminator,
            )
        write_others(path)

    ready = _ready(output)
    return [
        Contender("csv.writer", "floor", with_csv_writer, ready),
        Contender("tablib", "peer", with_tablib, ready),
        Contender("pandas", "peer", with_pandas, ready),
    ]


# Workbooks ------------------------------------------------------------------


def read_workbook_rows(path: Path) -> list[tuple[str, Rows]]:
    """Every sheet of a workbook as (title, rows of cell values)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [
            (sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
            for sheet in book.worksheets
        ]
    finally:
        book.close()


def _rectangular(rows: Rows) -> Rows:
    """Rows padded with empty cells to the widest, as tablib and pandas require."""
    width = max((len(row) for row in rows), default=0)
    return [row + [None] * (width - len(row)) for row in rows]


def openpyxl_read(path: Path) -> None:
    """Read every cell value of a workbook with openpyxl's read-only iteration."""
    read_workbook_rows(path)


def _xlsx(output: Path) -> list[Contender]:
    sheets = [(title, _rectangular(rows)) for title, rows in read_workbook_rows(output)]

    def with_openpyxl(path: Path) -> None:
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        for title, rows in sheets:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        book.save(path)

    def with_tablib(path: Path) -> None:
        import tablib

        book = tablib.Databook(
            [
                tablib.Dataset(*rows[1:], headers=rows[0] if rows else None, title=title)
                for title, rows in sheets
            ]
        )
        path.write_bytes(book.export("xlsx"))

    def with_pandas(path: Path) -> None:
        import pandas

        with pandas.ExcelWriter(path) as writer:
            for title, rows in sheets:
                frame = pandas.DataFrame(rows[1:], columns=rows[0] if rows else None)
                frame.to_excel(writer, sheet_name=title, index=False)

    ready = _ready(output)
    return [
        Contender("openpyxl write-only", "floor", with_openpyxl, ready),
        Contender("tablib", "peer", with_tablib, ready),
        Contender(f"pandas ({pandas_excel_engine()})", "peer", with_pandas, ready),
    ]


def pandas_excel_engine() -> str:
    """The engine pandas picks for .xlsx by default (xlsxwriter when installed)."""
    import pandas

    engine = pandas.get_option("io.excel.xlsx.writer")
    if engine != "auto":
        return str(engine)
    try:
        import xlsxwriter  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return "openpyxl"
    return "xlsxwriter"


# iCalendar ------------------------------------------------------------------

Property = tuple[str, Any, dict[str, str]]


def _plain_value(value: Any) -> Any:
    """A parsed property as the Python value an exporter would hand to icalendar."""
    if hasattr(value, "dt"):
        moment: dt.date = value.dt
        return moment
    if hasattr(value, "cats"):
        return [str(c) for c in value.cats]
    if isinstance(value, str):
        return str(value)
    return value


def _properties(component: Any) -> list[Property]:
    return [
        (name, _plain_value(value), dict(getattr(value, "params", {})))
        for name, value in component.property_items(recursive=False)
        if name not in ("BEGIN", "END")
    ]


def _ics(output: Path) -> list[Contender]:
    import icalendar

    parsed = icalendar.Calendar.from_ical(output.read_bytes())
    head = _properties(parsed)
    events = [(sub.name, _properties(sub)) for sub in parsed.subcomponents]
    kinds = {"VEVENT": icalendar.Event, "VTIMEZONE": icalendar.Timezone}

    def with_icalendar(path: Path) -> None:
        calendar = icalendar.Calendar()
        for name, value, params in head:
            calendar.add(name, value, parameters=params)
        for kind, properties in events:
            component = kinds.get(kind or "", icalendar.Event)()
            for name, value, params in properties:
                component.add(name, value, parameters=params)
            calendar.add_component(component)
        path.write_bytes(calendar.to_ical())

    return [Contender("icalendar", "floor", with_icalendar, _ready(output))]


#: Who each format is measured against, known before anything is read.
_LINEUPS: dict[str, Callable[[], list[tuple[str, str]]]] = {
    "json": lambda: [("json.dumps", "floor")],
    "jsonld": lambda: [("json.dumps", "floor")],
    "csv": lambda: [("csv.writer", "floor"), ("tablib", "peer"), ("pandas", "peer")],
    "xlsx": lambda: [
        ("openpyxl write-only", "floor"),
        ("tablib", "peer"),
        (f"pandas ({pandas_excel_engine()})", "peer"),
    ],
    "ics": lambda: [("icalendar", "floor")],
}

_BUILDERS: dict[str, Callable[[Path], list[Contender]]] = {
    "json": _json,
    "jsonld": _json,
    "csv": _csv,
    "xlsx": _xlsx,
    "ics": _ics,
}
