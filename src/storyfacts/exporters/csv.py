"""The CSV exporter: one RFC 4180 table per kind of record, and a Frictionless data package.

The tables and their columns are those of :mod:`storyfacts.tables`, which the
workbook shares, plus ``records.csv``: every id with the table that holds it,
so a reference that may point into several tables has one foreign key target.
``datapackage.json`` (Data Package v1, Table Schema) describes every table.

Text a spreadsheet would evaluate as a formula gets a leading ``'`` unless the
user asks for ``-O formulas=keep``; see ``docs/formats/csv.md``.
"""

from __future__ import annotations

import contextlib
import csv
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache, partial
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs

from .. import hookimpl
from ..contract import ExportContext, Exporter
from ..errors import OptionError

if TYPE_CHECKING:
    from ..model import Dataset
    from ..tables import Cell, Column, Table

# The table layout (and with it the model and the schema) is imported when a
# dataset is written, not when the exporter is listed (`storyfacts formats`):
# hence `from .. import tables` inside functions, and records_table() below.

__all__ = [
    "PACKAGE",
    "CsvOptions",
    "analyst_table",
    "descriptor",
    "parse_options",
    "records_table",
    "write",
]

#: What this format leaves out, and why (see tests/test_field_accounting.py).
OMITTED: dict[str, str] = {}

#: The file describing the tables.
PACKAGE = "datapackage.json"
LINE_END = "\r\n"
#: A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_START = "=+-@\t\r"
#: The prefix that keeps a spreadsheet from evaluating a cell. Text that already
#: starts with it gets one more, so stripping one prefix always restores the text.
TEXT_PREFIX = "'"
_STARTS = frozenset(FORMULA_START + TEXT_PREFIX)
#: The kinds of column that hold free text, the only ones neutralised.
FREE_TEXT = frozenset({"text", "list"})
#: How many records to flatten and write at once; progress is reported after each batch.
CHUNK = 1000
#: Bytes to buffer per file.
BUFFER = 1 << 18


@cache
def records_table() -> Table:
    """The ``records`` table: every record's id and the table that holds it."""
    from .. import tables

    return tables.Table(
        name="records",
        title="Records",
        description="Every record in the dataset and the table that holds it: the target of "
        "references that may point into more than one table.",
        section="records",
        type=None,
        columns=(
            tables.Column(
                name="id",
                title="Id",
                description="Id of the record, unique in the dataset.",
                kind="id",
                path=("id",),
                required=True,
            ),
            tables.Column(
                name="table",
                title="Table",
                description="Name of the table that holds the record.",
                kind="enum",
                path=("table",),
                required=True,
                enum=tuple(t.name for t in tables.TABLES),
            ),
        ),
    )


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


def _day_columns(table: Table) -> list[tuple[int, int]]:
    """For each date: the index of its value column and of its precision column."""
    names = {c.path: i for i, c in enumerate(table.columns)}
    return [
        (names[(c.path[0], "value")], i)
        for i, c in enumerate(table.columns)
        if c.kind == "precision"
    ]


@cache
def _bounds(value: str, precision: str) -> tuple[str, str]:
    from ..model import PartialDate

    # The value and precision come from a PartialDate's own cells, so they are one of its kinds.
    date = PartialDate(value=value, precision=cast("Any", precision))
    return date.earliest().isoformat(), date.latest().isoformat()


def _with_days(columns: list[Cells], days: list[tuple[int, int]]) -> list[Cells]:
    """The columns with each date's earliest and latest day inserted after its precision."""
    for value_at, precision_at in reversed(days):
        pairs = [
            (None, None) if value is None else _bounds(str(value), str(precision))
            for value, precision in zip(columns[value_at], columns[precision_at], strict=True)
        ]
        earliest, latest = (list(side) for side in zip(*pairs, strict=True))
        columns[precision_at + 1 : precision_at + 1] = [earliest, latest]
    return columns


# Options ---------------------------------------------------------------------


@attrs.frozen
class CsvOptions:
    """What the user chose with ``-O``: formula neutralisation and a byte-order mark."""

    neutralise: bool = True
    bom: bool = False


#: Each option: the attribute of :class:`CsvOptions` it sets, and its values.
_CHOICES: dict[str, tuple[str, dict[str, bool]]] = {
    "formulas": ("neutralise", {"neutralise": True, "keep": False}),
    "bom": ("bom", {"false": False, "true": True}),
}


def _allowed(key: str) -> str:
    return "|".join(_CHOICES[key][1])


def parse_options(options: Mapping[str, str]) -> CsvOptions:
    """Read the user's ``-O`` options; raise :class:`OptionError` naming any bad one."""
    chosen: dict[str, bool] = {}
    for key, value in sorted(options.items()):
        if key not in _CHOICES:
            known = ", ".join(f"{k}={_allowed(k)}" for k in sorted(_CHOICES))
            raise OptionError("csv", key, f"no such option; its options are {known}")
        attribute, values = _CHOICES[key]
        choice = values.get(value.strip().lower())
        if choice is None:
            raise OptionError(
                "csv", key, f"{key}={value!r} is not allowed; use {key}={_allowed(key)}"
            )
        chosen[attribute] = choice
    return CsvOptions(**chosen)


# Tables ------------------------------------------------------------------------


Rows = list[list["Cell"]]
Cells = Sequence["Cell"]


def _batches(records: Iterable[Any]) -> Iterator[list[Any]]:
    remaining = iter(records)
    while batch := list(islice(remaining, CHUNK)):
        yield batch


def _registry_rows(dataset: Dataset) -> Iterator[Rows]:
    from .. import kinds, tables

    table_of_kind = {table.kind: table.name for table in tables.TABLES}
    for section in kinds.SECTIONS:
        table = table_of_kind[section.category] if not section.typed else None
        for batch in _batches(getattr(dataset, section.name)):
            if table is None:
                yield [[record.id, table_of_kind[record.TYPE]] for record in batch]
            else:
                yield [[record.id, table] for record in batch]


def _neutralised(cells: Cells) -> Cells:
    """One text column with the cells a spreadsheet would take for formulas prefixed."""
    # Gathering first characters in C keeps the common case, no formulas, cheap.
    texts = filter(None, cast("Sequence[str | None]", cells))
    if _STARTS.isdisjoint(map(itemgetter(0), texts)):
        return cells
    return [
        TEXT_PREFIX + cell if isinstance(cell, str) and cell[:1] in _STARTS else cell
        for cell in cells
    ]


def _spelled(flags: Cells) -> Cells:
    """One yes/no column as the data package declares it: ``true`` or ``false``.

    An absent flag is written ``false`` (``inferred`` left out means not
    inferred), so pandas reads a bool column, not NaN beside True.
    """
    return ["true" if flag else "false" for flag in flags]


def _write_table(
    path: Path,
    table: Table,
    batches: Iterable[Rows],
    options: CsvOptions,
    advance: Callable[[int], None] | None,
) -> None:
    days = _day_columns(table)
    table = analyst_table(table)
    # Only free text can start with a formula character: ids, references,
    # dates and enums are held to patterns by the schema, and numbers are numbers.
    text = [i for i, c in enumerate(table.columns) if c.kind in FREE_TEXT]
    flags = [i for i, c in enumerate(table.columns) if c.kind == "boolean"]
    if not options.neutralise:
        text = []
    encoding = "utf-8-sig" if options.bom else "utf-8"
    with path.open("w", buffering=BUFFER, encoding=encoding, newline="") as f:
        writer = csv.writer(f, lineterminator=LINE_END)
        writer.writerow([c.name for c in table.columns])
        for rows in batches:
            if not rows:  # evidence of a batch of records that have none
                continue
            columns: list[Cells] = list(zip(*rows, strict=True))
            if days:
                columns = _with_days(columns, days)
            for i in text:
                columns[i] = _neutralised(columns[i])
            for i in flags:
                columns[i] = _spelled(columns[i])
            writer.writerows(zip(*columns, strict=True))
            if advance is not None:
                advance(len(rows))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, if it runs, until the block ends.

    The export makes millions of short-lived lists and no reference cycles,
    so the collector has nothing to find; its passes over the lists cost a
    tenth of the export, and every so often one of them walks the whole
    dataset as well, which at 100,000 statements takes half a second.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def write(dataset: Dataset, path: Path, context: ExportContext) -> None:
    """Write every table, ``records.csv`` and ``datapackage.json`` into the directory ``path``."""
    options = parse_options(context.options)
    with _collector_paused():
        _write_tables(dataset, path, options, context.advance)
    from ..jsonfile import nested

    # The bytes json.dumps(indent=2, ensure_ascii=False) gives, written by
    # orjson: json's indenting encoder is pure Python, and took about 7 ms at
    # 10,000 statements of the few tens csv spends beyond csv.writer's own.
    package = descriptor(dataset, options)
    (path / PACKAGE).write_bytes(nested(package, 0) + b"\n")


def _write_tables(
    dataset: Dataset, path: Path, options: CsvOptions, advance: Callable[[int], None]
) -> None:
    from .. import tables

    held = tables.records_by_table(dataset)
    for table in tables.TABLES:
        rows = map(partial(tables.flatten, table), _batches(held[table.name]))
        _write_table(path / f"{table.name}.csv", table, rows, options, advance)
    supported = _batches(tables.with_evidence(dataset))
    evidence = map(partial(tables.flatten, tables.EVIDENCE), supported)
    _write_table(path / f"{tables.EVIDENCE.name}.csv", tables.EVIDENCE, evidence, options, None)
    records = records_table()
    _write_table(path / f"{records.name}.csv", records, _registry_rows(dataset), options, None)


# The data package ------------------------------------------------------------------


def _pattern(definition: str, prop: str | None = None) -> str:
    """A JSON Schema pattern as Table Schema wants it: anchored implicitly, not with ^ and $."""
    from ..schema import definition as schema_definition

    node = schema_definition(definition)
    found: str = (node["properties"][prop] if prop else node)["pattern"]
    return found.removeprefix("^").removesuffix("$")


@cache
def _patterns() -> dict[str, str]:
    """The pattern of each kind of column that the schema holds to one."""
    id_ = _pattern("Id")
    return {
        "id": id_,
        "ref": id_,
        "refs": f"{id_}(\\n{id_})*",
        "date": _pattern("PartialDate", "value"),
    }


def _tables_of(targets: Iterable[str]) -> list[str]:
    """The tables a reference may point into, given the record kinds it allows."""
    from .. import kinds, tables

    allowed = kinds.expand(targets)
    return [table.name for table in tables.TABLES if table.kind in allowed]


def _field(column: Column, options: CsvOptions) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "title": column.title,
        "description": column.description,
        "type": {
            "integer": "integer",
            "number": "number",
            "boolean": "boolean",
            "day": "date",
        }.get(column.kind, "string"),
    }
    if column.kind == "url":
        field["format"] = "uri"
    if column.kind == "boolean":
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
    if column.kind in ("refs", "list"):
        from ..tables import LIST_SEPARATOR

        field["storyfacts:itemSeparator"] = LIST_SEPARATOR
    if options.neutralise and column.kind in FREE_TEXT:
        field["storyfacts:formulaPrefix"] = TEXT_PREFIX
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.kind in _patterns():
        constraints["pattern"] = _patterns()[column.kind]
    if constraints:
        field["constraints"] = constraints
    return field


def _foreign_keys(table: Table) -> list[dict[str, Any]]:
    out = []
    for column in table.columns:
        # A list cell holds several ids, which Table Schema cannot check as a key.
        if column.kind != "ref":
            continue
        targets = _tables_of(column.targets)
        resource = targets[0] if len(targets) == 1 else records_table().name
        out.append({"fields": column.name, "reference": {"resource": resource, "fields": "id"}})
    return out


def _resource(table: Table, options: CsvOptions) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(c, options) for c in analyst_table(table).columns],
        "missingValues": [""],
    }
    if any(c.kind == "id" for c in table.columns):
        schema["primaryKey"] = ["id"]
    foreign_keys = _foreign_keys(table)
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return {
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        # With -O bom=true the files start with a byte-order mark, which is
        # not text: Frictionless and most readers of utf-8 skip it.
        "encoding": "utf-8",
        "dialect": {
            "delimiter": ",",
            "doubleQuote": True,
            "header": True,
            "lineTerminator": LINE_END,
            "quoteChar": '"',
        },
        "schema": schema,
    }


def descriptor(dataset: Dataset, options: CsvOptions | None = None) -> dict[str, Any]:
    """The ``datapackage.json`` for ``dataset`` exported with ``options``."""
    from .. import tables

    options = options or CsvOptions()
    return {
        "profile": "tabular-data-package",
        "name": dataset.id,
        "title": dataset.title,
        "created": dataset.modified,
        "sources": [{"title": a.headline, "path": a.url} for a in dataset.articles],
        "storyfacts:schemaVersion": dataset.schema_version,
        "storyfacts:formulas": "neutralised" if options.neutralise else "kept",
        "storyfacts:bom": options.bom,
        "resources": [
            _resource(table, options)
            for table in (*tables.TABLES, tables.EVIDENCE, records_table())
        ],
    }


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(
        Exporter(
            name="csv",
            extension=".csv",
            media_type="text/csv",
            description="One CSV table per kind of record, described by a Frictionless "
            "datapackage.json.",
            write=write,
            streams=True,
            directory=True,
            options={
                "formulas": "neutralise (default) prefixes text a spreadsheet would evaluate "
                "with ' ; keep writes it as is",
                "bom": "true starts each CSV with a UTF-8 byte-order mark for Excel; "
                "false (default) does not",
            },
        )
    )
