"""The dataset as tables: one per kind of record, with columns from the schema.

The CSV and workbook exporters write these tables, and the workbook reader
reads them back, so both directions share one layout. Each table's columns
come from the JSON Schema: a scalar property is one column, a partial date is
five (``start``, ``start_precision``, ``start_phrase``, ``start_source``,
``start_inferred``), a list of texts or ids is one column holding one item
per line, and evidence lives in a table of its own that points back to the
record it supports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain, islice
from keyword import iskeyword
from typing import Any, Literal

import attrs

from . import schema as _schema
from .integrity import REFERENCES
from .model import Dataset

__all__ = [
    "EVIDENCE",
    "TABLES",
    "Column",
    "Table",
    "cells",
    "flatten",
    "records_by_table",
    "rows",
    "unflatten",
]

Kind = Literal[
    "id", "text", "url", "ref", "refs", "list", "enum", "integer", "boolean", "date", "precision"
]

#: Lists in one cell hold one item per line.
LIST_SEPARATOR = "\n"


@attrs.frozen
class Column:
    """One column of a table: where its value lives in a record, and what it means."""

    name: str
    title: str
    description: str
    kind: Kind
    path: tuple[str, ...]
    required: bool = False
    enum: tuple[str, ...] = ()
    #: For references: the record kinds the value may point to.
    targets: tuple[str, ...] = ()


@attrs.frozen
class Table:
    """One kind of record as a table."""

    name: str
    title: str
    description: str
    #: The dataset list the records come from: articles, entities, statements, sources.
    section: str
    #: The record ``type`` this table holds, for entities and statements.
    type: str | None
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


_DATE_PARTS: tuple[tuple[str, str, Kind], ...] = (
    ("", "value", "date"),
    ("_precision", "precision", "precision"),
    ("_phrase", "phrase", "text"),
    ("_source", "source", "ref"),
    ("_inferred", "inferred", "boolean"),
)


def _columns(
    definition: str, skip: frozenset[str], targets: Mapping[str, tuple[str, ...]]
) -> tuple[Column, ...]:
    required = set(_schema.required_of(definition))
    out: list[Column] = []
    date_props = _schema.properties_of("PartialDate")
    every = _schema.properties_of(definition)
    # Editors read left to right: the id and name first, then what is
    # particular to this kind of record, then the fields all records share.
    own = [n for n in _schema.definition(definition).get("properties", {}) if n in every]
    leading = [n for n in ("id", "name", "summary") if n in every]
    order = list(dict.fromkeys([*leading, *own, *every]))
    for name in order:
        prop = every[name]
        if name in skip:
            continue
        title, description = prop.get("title", name), prop.get("description", "")
        ref = prop.get("$ref", "")
        is_required = name in required
        if (
            prop.get("type") == "object"
            or ref == "#/$defs/PartialDate"
            or "value" in prop.get("properties", {})
        ):
            for suffix, part, part_kind in _DATE_PARTS:
                sub = date_props[part]
                out.append(
                    Column(
                        name=name + suffix,
                        # "Start", "Start precision", "Start phrase", "Start source", ...
                        title=title if not suffix else f"{title} {suffix[1:]}",
                        description=description if not suffix else sub["description"],
                        kind=part_kind,
                        path=(name, part),
                        required=is_required and part in ("value", "precision"),
                        enum=tuple(sub.get("enum", ())),
                        targets=("source",) if part == "source" else (),
                    )
                )
            continue
        kind: Kind
        if prop.get("type") == "array":
            items = _schema.resolve(prop.get("items", {}))
            kind = "refs" if items.get("title") == "Reference" else "list"
        elif prop.get("enum"):
            kind = "enum"
        elif prop.get("type") in ("integer", "boolean"):
            kind = prop["type"]
        elif name == "id":
            kind = "id"
        elif prop.get("format") == "uri":
            kind = "url"
        elif prop.get("title") == "Reference" or ref == "#/$defs/Ref" or name in targets:
            kind = "ref"
        else:
            kind = "text"
        out.append(
            Column(
                name=name,
                title=title,
                description=description,
                kind=kind,
                path=(name,),
                required=is_required,
                enum=tuple(prop.get("enum", ())),
                targets=targets.get(name, ()),
            )
        )
    return tuple(out)


def _targets(kind: str) -> dict[str, tuple[str, ...]]:
    found = {field: tuple(sorted(allowed)) for field, allowed in REFERENCES.get(kind, {}).items()}
    if kind not in ("article", "source"):
        found["sources"] = ("source",)
    return found


def _table(name: str, title: str, definition: str, section: str, type_: str | None) -> Table:
    kind = type_ or definition.lower()
    skip = frozenset({"evidence", "type"})
    return Table(
        name=name,
        title=title,
        description=_schema.definition(definition).get("description", ""),
        section=section,
        type=type_,
        columns=_columns(definition, skip, _targets(kind)),
    )


def _build() -> tuple[Table, ...]:
    return (
        _table("articles", "Articles", "Article", "articles", None),
        _table("people", "People", "Person", "entities", "person"),
        _table("organizations", "Organizations", "Organization", "entities", "organization"),
        _table("countries", "Countries", "Country", "entities", "country"),
        _table("places", "Places", "Place", "entities", "place"),
        _table("events", "Events", "Event", "entities", "event"),
        _table("groups", "Groups", "Group", "entities", "group"),
        _table("quotes", "Quotes", "Quote", "statements", "quote"),
        _table("claims", "Claims", "Claim", "statements", "claim"),
        _table("decisions", "Decisions", "Decision", "statements", "decision"),
        _table("relations", "Relations", "Relation", "statements", "relation"),
        _table("sources", "Sources", "Source", "sources", None),
    )


def _evidence_table() -> Table:
    props = _schema.properties_of("Evidence")
    record = Column(
        name="record",
        title="Record",
        description="Id of the entity or statement this passage supports.",
        kind="ref",
        path=("record",),
        required=True,
        targets=("entity", "statement"),
    )
    columns = [record]
    for name in ("article", "start", "end", "text"):
        prop = props[name]
        kind: Kind = (
            "ref" if name == "article" else "integer" if name in ("start", "end") else "text"
        )
        columns.append(
            Column(
                name=name,
                title=prop["title"],
                description=prop["description"],
                kind=kind,
                path=(name,),
                required=True,
                targets=("article",) if name == "article" else (),
            )
        )
    return Table(
        name="evidence",
        title="Evidence",
        description=_schema.definition("Evidence")["description"],
        section="evidence",
        type=None,
        columns=tuple(columns),
    )


TABLES: tuple[Table, ...] = _build()
EVIDENCE: Table = _evidence_table()


# Records to cells ------------------------------------------------------------

Cell = str | int | bool | None
#: Flattens a batch of records into rows of one table.
RowBuilder = Callable[[Iterable[Any]], list[list[Cell]]]
#: How many records :func:`rows` flattens at a time.
BATCH = 1000


def _attribute(target: str, name: str) -> str:
    """Python source reading the attribute ``name`` of ``target``."""
    if name.isidentifier() and not iskeyword(name):
        return f"{target}.{name}"
    return f"getattr({target}, {name!r})"


def _cell_source(column: Column, dates: dict[str, str]) -> str:
    """The expression for one cell of the record ``r``, as Python source."""
    value = _attribute("r", column.path[0])
    if len(column.path) == 2:
        # A date is read once per record, into a variable its other parts reuse.
        date = dates.get(column.path[0])
        part = column.path[1]
        if date is None:
            date = dates[column.path[0]] = f"date{len(dates)}"
            return f"None if ({date} := {value}) is None else {_attribute(date, part)}"
        return f"None if {date} is None else {_attribute(date, part)}"
    if column.kind in ("refs", "list"):
        return f"None if (items := {value}) is None else SEPARATOR.join(items)"
    return value


def _compile(table: Table) -> RowBuilder:
    """The function that flattens records into rows of ``table``: one generated comprehension.

    Generated because it is the cheapest way Python has to read a dozen
    attributes of each of a million records: the interpreter specialises the
    comprehension's attribute reads, where a closure or a ``getattr`` per
    cell took more than twice as long, most of a CSV export's time.
    """
    dates: dict[str, str] = {}
    cells = ", ".join(_cell_source(column, dates) for column in table.columns)
    source = f"def rows(records):\n    return [[{cells}] for r in records]\n"
    namespace: dict[str, Any] = {"SEPARATOR": LIST_SEPARATOR}
    exec(compile(source, f"<rows of {table.name}>", "exec"), namespace)
    built: RowBuilder = namespace["rows"]
    return built


def _evidence_rows_of(records: Iterable[Any]) -> list[list[Cell]]:
    return [
        [record.id, item.article, item.start, item.end, item.text]
        for record in records
        for item in record.evidence or ()
    ]


_BUILDERS: dict[str, RowBuilder] = {
    **{table.name: _compile(table) for table in TABLES},
    EVIDENCE.name: _evidence_rows_of,
}


def flatten(table: Table, records: Iterable[Any]) -> list[list[Cell]]:
    """The rows of ``table`` for ``records``, in their order: one plain value (or ``None``) a cell.

    For :data:`EVIDENCE` the records are entities and statements, each giving
    one row per evidence passage.
    """
    return _BUILDERS[table.name](records)


def records(dataset: Dataset, table: Table) -> Iterator[Any]:
    """The records of ``dataset`` that belong in ``table``, in dataset order."""
    if table.name == EVIDENCE.name:
        raise ValueError("evidence rows come from evidence_rows()")
    items: list[Any] = getattr(dataset, table.section)
    if table.type is None:
        yield from items
    else:
        yield from (r for r in items if table.type == r.TYPE)


def records_by_table(dataset: Dataset) -> dict[str, list[Any]]:
    """The records of every table in :data:`TABLES`, in dataset order, sorted in one pass."""
    by_type: dict[str, list[Any]] = defaultdict(list)
    for record in chain(dataset.entities, dataset.statements):
        by_type[record.TYPE].append(record)
    return {
        table.name: getattr(dataset, table.section)
        if table.type is None
        else by_type.get(table.type, [])
        for table in TABLES
    }


def cells(table: Table, record: Any) -> list[Cell]:
    """The row of ``table`` for one record: one plain value (or ``None``) per column."""
    if table.name == EVIDENCE.name:
        raise ValueError("evidence rows come from evidence_rows()")
    return flatten(table, (record,))[0]


def _rows_in_batches(table: Table, records: Iterable[Any]) -> Iterator[list[Cell]]:
    remaining = iter(records)
    while batch := list(islice(remaining, BATCH)):
        yield from flatten(table, batch)


def rows(dataset: Dataset, table: Table) -> Iterator[list[Cell]]:
    """Every row of ``table`` for ``dataset``, in dataset order."""
    if table.name == EVIDENCE.name:
        return evidence_rows(dataset)
    return _rows_in_batches(table, records(dataset, table))


def evidence_rows(dataset: Dataset) -> Iterator[list[Cell]]:
    """One row per evidence passage: the record it supports, then the passage."""
    return _rows_in_batches(EVIDENCE, chain(dataset.entities, dataset.statements))


# Cells to records --------------------------------------------------------------


def unflatten(table: Table, values: Mapping[str, Any]) -> dict[str, Any]:
    """Build a record's plain JSON data from one row's values, keyed by column name.

    Values must already be JSON types (text, whole numbers, booleans);
    ``None`` or a missing key means the field is absent. List columns are
    split on line breaks. Evidence is not included: see :func:`attach_evidence`.
    """
    out: dict[str, Any] = {}
    for column in table.columns:
        value = values.get(column.name)
        if value is None or value == "":
            continue
        if column.kind in ("refs", "list") and isinstance(value, str):
            value = [item for item in value.split(LIST_SEPARATOR) if item != ""]
        if len(column.path) == 2:
            out.setdefault(column.path[0], {})[column.path[1]] = value
        else:
            out[column.name] = value
    if table.type is not None:
        ordered = {"id": out.pop("id")} if "id" in out else {}
        out = {**ordered, "type": table.type, **out}
    return out


def attach_evidence(
    records_by_id: Mapping[str, dict[str, Any]], evidence: list[Mapping[str, Any]]
) -> list[str]:
    """Append evidence rows to the records they support; return ids not found."""
    missing: list[str] = []
    for row in evidence:
        target = records_by_id.get(row.get("record"))  # type: ignore[arg-type]
        if target is None:
            missing.append(str(row.get("record")))
            continue
        target.setdefault("evidence", []).append(
            {k: row.get(k) for k in ("article", "start", "end", "text")}
        )
    return missing
