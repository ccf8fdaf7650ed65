"""``datapackage.json``: the Frictionless Data Package (v1, Table Schema) describing the tables.

Every field's type, constraints and foreign keys come from the table layout,
and with it from the JSON Schema: nothing here names a column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cells import FREE_TEXT, TEXT_PREFIX, analyst_table
from .files import LINE_END
from .options import CsvOptions

if TYPE_CHECKING:
    from ...model import Dataset
    from ...tables import Column, Table

__all__ = ["PACKAGE", "descriptor", "header_of", "write_package", "written_tables"]

#: The file describing the tables.
PACKAGE = "datapackage.json"


def written_tables() -> tuple[Table, ...]:
    """Every table the CSV export writes, in the order the package lists them."""
    from ... import tables

    return (*tables.TABLES, tables.EVIDENCE, tables.RECORDS, *tables.LINKS)


def _pattern(definition: str, prop: str | None = None) -> str:
    """A JSON Schema pattern as Table Schema wants it: anchored implicitly, not with ^ and $."""
    from ...schema import definition as schema_definition

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
    from ... import kinds, tables

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
        from ...tables import LIST_SEPARATOR

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
    from ...tables import RECORDS

    out = []
    for column in table.columns:
        # A list cell holds several ids, which Table Schema cannot check as a key.
        if column.kind != "ref":
            continue
        targets = _tables_of(column.targets)
        resource = targets[0] if len(targets) == 1 else RECORDS.name
        out.append({"fields": column.name, "reference": {"resource": resource, "fields": "id"}})
    return out


def _resource(table: Table, options: CsvOptions) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(c, options) for c in analyst_table(table).columns],
        "missingValues": [""],
    }
    if any(c.kind == "id" for c in table.columns):
        schema["primaryKey"] = ["id"]
    elif table.key:
        schema["primaryKey"] = list(table.key)
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
    package = _described(header_of(dataset), options or CsvOptions())
    package["sources"] = [_source(a.headline, a.url) for a in dataset.articles]
    return package


def header_of(dataset: Dataset) -> dict[str, Any]:
    """What the package says of the dataset as a whole: its top level without the records."""
    return {
        "id": dataset.id,
        "title": dataset.title,
        "modified": dataset.modified,
        "schema_version": dataset.schema_version,
    }


def _described(header: Mapping[str, Any], options: CsvOptions) -> dict[str, Any]:
    """The package for a dataset with this header (``id``, ``title``...), ``sources`` empty."""
    return {
        "profile": "tabular-data-package",
        "name": header.get("id"),
        "title": header.get("title"),
        "created": header.get("modified"),
        "sources": [],
        "storyfacts:schemaVersion": header.get("schema_version"),
        "storyfacts:formulas": "neutralised" if options.neutralise else "kept",
        "storyfacts:bom": options.bom,
        "resources": [_resource(table, options) for table in written_tables()],
    }


def _source(headline: Any, url: Any) -> dict[str, Any]:
    return {"title": headline, "path": url}


#: Where the sources go in the package's bytes: json.dumps(indent=2) writes
#: an empty list on one line. A string in the package cannot hold this, as
#: its quotes would be escaped.
_NO_SOURCES = b'\n  "sources": [],\n'


def write_package(
    path: Path,
    header: Mapping[str, Any],
    articles: Iterable[tuple[Any, Any]],
    options: CsvOptions,
) -> None:
    """Write ``datapackage.json`` at ``path``, one source (headline, url) of ``articles`` at a time.

    The bytes are those of ``json.dumps(descriptor(...), indent=2,
    ensure_ascii=False)`` and a newline, for a corpus whose articles are
    read as a stream and never held together. orjson writes them (see
    :func:`storyfacts.jsonfile.nested`): json's own indenting encoder is pure
    Python, and took about 7 ms at 10,000 statements.
    """
    from ...jsonfile import nested

    before, after = nested(_described(header, options), 0).split(_NO_SOURCES)
    with path.open("wb") as f:
        f.write(before)
        separator = b'\n  "sources": [\n    '
        empty = True
        for headline, url in articles:
            f.write(separator + nested(_source(headline, url), 4))
            separator, empty = b",\n    ", False
        f.write(_NO_SOURCES if empty else b"\n  ],\n")
        f.write(after + b"\n")
