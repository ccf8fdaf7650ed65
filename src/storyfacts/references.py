"""Which fields refer to other records, and which hold dates: read from the schema.

A reference property carries the annotation ``x-refers-to`` in
``schemas/dataset.schema.json``, naming the kinds of record (or categories,
such as ``entity``) its ids may point to; a list of references carries it on
the list. A date property is one whose ``$ref`` is ``#/$defs/PartialDate``.
The integrity checks, the table layout (and with it the workbook's dropdowns
and the data package's foreign keys) and the data model reference all read
these from here, so adding such a field to the schema is enough for all of
them to know it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import attrs

from . import kinds
from . import schema as _schema

__all__ = [
    "ANNOTATION",
    "DATE",
    "EACH",
    "Reference",
    "dates",
    "is_date",
    "references",
    "targets",
]

#: The schema keyword naming the kinds a reference may point to.
ANNOTATION = "x-refers-to"
#: The ``$ref`` that makes a property a partial date.
DATE = "#/$defs/PartialDate"
#: In a path, every item of a list.
EACH = "*"

Path = tuple[str, ...]


@attrs.frozen
class Reference:
    """Where in a record ids of other records stand, and what they may name."""

    #: Field names from the record to the id, with :data:`EACH` for every item of a list.
    path: Path
    #: The kinds of record the ids may name, categories spelt out.
    targets: frozenset[str]


def targets(prop: dict[str, Any]) -> frozenset[str] | None:
    """The kinds a property's ids may name, or ``None`` when it is not a reference."""
    found = prop.get(ANNOTATION)
    if found is None:
        found = _schema.resolve(prop).get(ANNOTATION)
    return None if found is None else kinds.expand(found)


def is_date(prop: dict[str, Any]) -> bool:
    """Whether a property, as the schema writes it (``$ref`` not yet followed), is a date."""
    return prop.get("$ref") == DATE


def _properties(name: str) -> dict[str, dict[str, Any]]:
    """A definition's properties with each ``$ref`` kept: the ``$ref`` is what marks a date."""
    return _schema.properties_of(name, follow_refs=False)


def _walk(
    props: dict[str, dict[str, Any]], path: Path, seen: frozenset[str]
) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every property below ``props``, with its path, through objects, lists and ``$ref``."""
    for name, prop in props.items():
        here = (*path, name)
        yield here, prop
        yield from _below(prop, here, seen)


def _below(
    prop: dict[str, Any], path: Path, seen: frozenset[str]
) -> Iterator[tuple[Path, dict[str, Any]]]:
    ref = prop.get("$ref", "")
    if ref.startswith("#/$defs/"):
        name = ref.removeprefix("#/$defs/")
        if name in seen:  # a recursive definition would never end
            return
        seen = seen | {name}
        prop = _schema.definition(name)
        if "properties" in prop or "allOf" in prop:
            yield from _walk(_properties(name), path, seen)
            return
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        items = prop["items"]
        yield (*path, EACH), items
        yield from _below(items, (*path, EACH), seen)


@cache
def references(definition: str) -> tuple[Reference, ...]:
    """Every reference in a record of the schema definition ``definition``, at any depth."""
    found = []
    for path, prop in _walk(_properties(definition), (), frozenset({definition})):
        allowed = prop.get(ANNOTATION)
        if allowed is None:
            continue
        where = (*path, EACH) if _schema.resolve(prop).get("type") == "array" else path
        found.append(Reference(where, kinds.expand(allowed)))
    return tuple(found)


@cache
def dates(definition: str) -> tuple[Path, ...]:
    """The paths of the partial dates in a record of ``definition``, at any depth."""
    walked = _walk(_properties(definition), (), frozenset({definition}))
    return tuple(path for path, prop in walked if is_date(prop))
