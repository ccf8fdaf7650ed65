"""Records of a dataset as plain data, and the ids they refer to, read from the schema.

Merging and splitting work on a dataset's dumped form: a record is a dict,
and where it names other records comes from :mod:`storyfacts.references`
(the schema's ``x-refers-to``), so a reference field added to the schema is
followed here with no change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .. import kinds, references

__all__ = ["Located", "ids_named", "records", "renamed"]

#: (section, index in the section, the record as plain data)
Located = tuple[str, int, dict[str, Any]]


def records(data: Mapping[str, Any]) -> Iterator[Located]:
    """Every record of a dumped dataset, section by section in dataset order."""
    for section in kinds.SECTIONS:
        for index, record in enumerate(data.get(section.name) or ()):
            yield section.name, index, record


def _definition(section: str, record: Mapping[str, Any]) -> str:
    found = kinds.section(section)
    return found.definition_of(found.kind_of(record))


def _at(value: Any, path: tuple[str, ...], change: Callable[[str], str] | None) -> Iterator[str]:
    """The ids at ``path`` below ``value``; with ``change``, each is replaced by what it returns."""
    if not path:
        return
    head, rest = path[0], path[1:]
    if head == references.EACH:
        items: list[Any] = value if isinstance(value, list) else []
        for position, item in enumerate(items):
            if rest:
                yield from _at(item, rest, change)
            elif isinstance(item, str):
                yield item
                if change is not None:
                    items[position] = change(item)
        return
    if not isinstance(value, dict) or head not in value:
        return
    if rest:
        yield from _at(value[head], rest, change)
    elif isinstance(value[head], str):
        yield value[head]
        if change is not None:
            value[head] = change(value[head])


def ids_named(section: str, record: Mapping[str, Any]) -> Iterator[str]:
    """The ids of every record this one refers to, in schema order, repeats included."""
    for reference in references.references(_definition(section, record)):
        yield from _at(record, reference.path, None)


def renamed(section: str, record: dict[str, Any], new_ids: Mapping[str, str]) -> None:
    """Make every reference in ``record`` that names a key of ``new_ids`` name its value instead."""
    for reference in references.references(_definition(section, record)):
        for _ in _at(record, reference.path, lambda old: new_ids.get(old, old)):
            pass
