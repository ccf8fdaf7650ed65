"""The layout of the tables: their columns, derived from the JSON Schema."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from .. import kinds, references
from .. import schema as _schema

__all__ = ["EVIDENCE", "LIST_SEPARATOR", "TABLES", "Column", "Kind", "Table"]

Kind = Literal[
    "id",
    "text",
    "url",
    "ref",
    "refs",
    "list",
    "enum",
    "integer",
    "number",
    "boolean",
    "date",
    "precision",
    #: A whole day as YYYY-MM-DD (the CSV's typed bounds of a partial date).
    "day",
]

#: Lists in one cell hold one item per line.
LIST_SEPARATOR = "\n"


# Hashes are cached: tables and columns are keys of the exporters' caches,
# and hashing a table hashes each of its columns.
@attrs.frozen(cache_hash=True)
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


@attrs.frozen(cache_hash=True)
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
    #: The kind of record this table holds (see :mod:`storyfacts.kinds`);
    #: empty for a table of something else, such as evidence.
    kind: str = ""
    #: The columns that together tell its rows apart, for a table whose rows have no id.
    key: tuple[str, ...] = ()

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


def _targets(prop: dict[str, Any]) -> tuple[str, ...]:
    """The kinds a reference column may name, from the schema's x-refers-to; () for others."""
    found = references.targets(prop)
    return tuple(sorted(found)) if found is not None else ()


def _draft_columns(prop: dict[str, object]) -> list[Column]:
    """A draft as two columns: the rule (clearing it confirms the record) and its confidence."""
    parts = _schema.properties_of("Draft")
    return [
        Column(
            name="draft",
            title=str(prop.get("title", "Draft")),
            description=str(prop.get("description", "")),
            kind="text",
            path=("draft", "rule"),
        ),
        Column(
            name="draft_confidence",
            title=parts["confidence"]["title"],
            description=parts["confidence"]["description"],
            kind="number",
            path=("draft", "confidence"),
        ),
    ]


def _columns(definition: str, skip: frozenset[str]) -> tuple[Column, ...]:
    required = set(_schema.required_of(definition))
    out: list[Column] = []
    date_props = _schema.properties_of("PartialDate")
    every = _schema.properties_of(definition)
    # Editors read left to right: the id and name first, then what is
    # particular to this kind of record, then the fields all records share.
    own = [n for n in _schema.definition(definition).get("properties", {}) if n in every]
    dates = {path[0] for path in references.dates(definition) if len(path) == 1}
    leading = [n for n in ("id", "name", "summary") if n in every]
    order = list(dict.fromkeys([*leading, *own, *every]))
    for name in order:
        prop = every[name]
        if name in skip:
            continue
        title, description = prop.get("title", name), prop.get("description", "")
        is_required = name in required
        if "rule" in prop.get("properties", {}):  # a Draft
            out.extend(_draft_columns(prop))
            continue
        if name in dates:
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
                        targets=_targets(sub),
                    )
                )
            continue
        kind: Kind
        targets = _targets(prop)
        if prop.get("type") == "array":
            kind = "refs" if targets else "list"
        elif prop.get("enum"):
            kind = "enum"
        elif prop.get("type") in ("integer", "boolean"):
            kind = prop["type"]
        elif name == "id":
            kind = "id"
        elif prop.get("format") == "uri":
            kind = "url"
        elif targets:
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
                targets=targets,
            )
        )
    return tuple(out)


def _table(kind: kinds.Kind) -> Table:
    skip = frozenset({"evidence", "type"})
    return Table(
        name=kind.plural.lower(),
        title=kind.plural,
        description=_schema.definition(kind.definition).get("description", ""),
        section=kind.section,
        type=kind.name if kind.typed else None,
        columns=_columns(kind.definition, skip),
        kind=kind.name,
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
        targets=tuple(section.category for section in kinds.EVIDENCED),
    )
    columns = [record]
    required = set(_schema.required_of("Evidence"))
    for name in ("article", "start", "end", "text", "prefix", "suffix"):
        prop = props[name]
        targets = _targets(prop)
        kind: Kind = "ref" if targets else "integer" if prop.get("type") == "integer" else "text"
        columns.append(
            Column(
                name=name,
                title=prop["title"],
                description=prop["description"],
                kind=kind,
                path=(name,),
                required=name in required,
                targets=targets,
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


#: One table per kind of record, in dataset order.
TABLES: tuple[Table, ...] = tuple(_table(kind) for kind in kinds.KINDS)
EVIDENCE: Table = _evidence_table()
