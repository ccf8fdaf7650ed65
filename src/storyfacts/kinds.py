"""The vocabulary of record kinds and the dataset sections that hold them, read from the schema.

A dataset has four sections (``articles``, ``entities``, ``statements``,
``sources``); each holds records of one or more kinds. Articles and sources
are kinds of their own; entities and statements carry a ``type`` naming
their kind (``person``, ``quote``, ...). References may also name a whole
section's category (``entity``, ``statement``), which stands for all of its
kinds.

Everything here comes from the JSON Schema: the sections are the dataset's
array properties, a typed section's kinds are the ``if``/``then`` branches of
its definition, and each kind's plural (the name of its table and sheet) is
its definition's ``x-plural`` annotation. This is the one place storyfacts
knows the kinds; every other module asks here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from . import schema as _schema

__all__ = [
    "CATEGORIES",
    "EVIDENCED",
    "KINDS",
    "NAMES",
    "SECTIONS",
    "Kind",
    "Section",
    "count",
    "expand",
    "kind",
    "kind_of_data",
    "kind_of_record",
    "section",
]


@attrs.frozen
class Kind:
    """One kind of record: ``person``, ``quote``, ``article``."""

    #: The kind as a reference or a record's ``type`` names it, such as ``person``.
    name: str
    #: The schema definition (and model class) of its records, such as ``Person``.
    definition: str
    #: The plural, as the title of its table and sheet, such as ``People``.
    plural: str
    #: The dataset section that holds its records, such as ``entities``.
    section: str
    #: Whether its records carry a ``type`` field naming the kind.
    typed: bool


@attrs.frozen
class Section:
    """One of the dataset's lists of records."""

    #: The dataset field, such as ``entities``.
    name: str
    #: The schema definition of its records, such as ``Entity``.
    definition: str
    #: The section's records in one word, such as ``entity``; for a section
    #: of one kind, that kind's name.
    category: str
    #: The kinds it holds, in schema order.
    kinds: tuple[Kind, ...]
    #: Whether its records carry a ``type`` field naming their kind.
    typed: bool
    #: For a typed section, the definition of the fields its kinds share,
    #: such as ``EntityFields``; otherwise its records' own definition.
    shared: str

    def definition_of(self, kind: str) -> str:
        """The definition a record of ``kind`` follows; the shared fields for an unknown kind."""
        return _DEFINITION_OF.get((self.name, kind), self.shared)

    def kind_of(self, record: Mapping[str, Any]) -> str:
        """The kind of one record of this section as plain data; ``""`` when it has none."""
        if not self.typed:
            return self.category
        found = record.get("type")
        return found if isinstance(found, str) else ""


def _definition_name(ref: str) -> str:
    return ref.removeprefix("#/$defs/")


def _branches(definition: dict[str, Any]) -> list[tuple[str, str]]:
    """(type, definition) for each ``if type is X then Y`` branch of a tagged union."""
    found = []
    for part in definition.get("allOf", []):
        const = part.get("if", {}).get("properties", {}).get("type", {}).get("const")
        then = part.get("then", {}).get("$ref")
        if isinstance(const, str) and isinstance(then, str):
            found.append((const, _definition_name(then)))
    return found


def _build() -> tuple[Section, ...]:
    sections = []
    for name, prop in _schema.schema()["properties"].items():
        ref = prop.get("items", {}).get("$ref") if prop.get("type") == "array" else None
        if not isinstance(ref, str):
            continue
        definition = _definition_name(ref)
        branches = _branches(_schema.definition(definition))
        typed = bool(branches)
        if not typed:
            branches = [(definition.lower(), definition)]
        kinds = tuple(
            Kind(
                name=kind,
                definition=target,
                plural=_schema.definition(target)["x-plural"],
                section=name,
                typed=typed,
            )
            for kind, target in branches
        )
        shared = definition
        if typed:
            shared = _definition_name(_schema.definition(kinds[0].definition)["allOf"][0]["$ref"])
        sections.append(Section(name, definition, definition.lower(), kinds, typed, shared))
    return tuple(sections)


#: The dataset's sections, in dataset order.
SECTIONS: tuple[Section, ...] = _build()
#: Every kind, in dataset order: by section, then in schema order within it.
KINDS: tuple[Kind, ...] = tuple(k for s in SECTIONS for k in s.kinds)
#: The name of every kind.
NAMES: frozenset[str] = frozenset(k.name for k in KINDS)
#: A category a reference may name, and the kinds it stands for.
CATEGORIES: dict[str, tuple[str, ...]] = {
    s.category: tuple(k.name for k in s.kinds) for s in SECTIONS if s.typed
}
#: The sections whose records carry evidence, in dataset order.
EVIDENCED: tuple[Section, ...] = tuple(
    s for s in SECTIONS if all("evidence" in _schema.properties_of(k.definition) for k in s.kinds)
)

_BY_NAME = {k.name: k for k in KINDS}
_DEFINITION_OF = {(k.section, k.name): k.definition for k in KINDS}
_BY_DEFINITION = {k.definition: k for k in KINDS}
_SECTION_BY_NAME = {s.name: s for s in SECTIONS}


def kind(name: str) -> Kind:
    """The kind called ``name``; raises :class:`KeyError` for an unknown one."""
    return _BY_NAME[name]


def section(name: str) -> Section:
    """The section called ``name``, such as ``entities``."""
    return _SECTION_BY_NAME[name]


def expand(names: Iterable[str]) -> frozenset[str]:
    """Kinds named directly or through a category (``entity`` stands for every entity kind)."""
    return frozenset(k for name in names for k in CATEGORIES.get(name, (name,)))


def kind_of_record(record: object) -> str:
    """The kind of a model record (a :class:`~storyfacts.model.Person`, ...): ``person``."""
    # Each model class is named after its schema definition.
    return _BY_DEFINITION[type(record).__name__].name


def kind_of_data(section_name: str, record: Mapping[str, Any]) -> str:
    """The kind of a record of ``section_name`` as plain data; ``""`` when it names none."""
    return _SECTION_BY_NAME[section_name].kind_of(record)


def count(dataset: object) -> int:
    """How many records a :class:`~storyfacts.model.Dataset` holds in all its sections."""
    return sum(len(getattr(dataset, s.name)) for s in SECTIONS)
