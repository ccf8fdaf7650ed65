"""The schema says what refers to what and which fields are dates; every check follows it.

These tests go through every reference and every date the schema declares,
for every kind of record, so a field added to the schema is tested here the
moment it exists.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from storyfacts import dump, kinds, references, validation
from storyfacts import schema as _schema
from storyfacts.errors import json_path
from storyfacts.exporters.csv import descriptor
from storyfacts.tables import TABLES
from storyfacts.testing import make_dataset
from storyfacts.workbook.layout import choice_list

EACH = references.EACH


def _all_properties() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (name, key, prop)
        for name, node in _schema.schema()["$defs"].items()
        for key, prop in node.get("properties", {}).items()
    ]


def test_every_id_of_another_record_says_what_it_refers_to() -> None:
    """A property holding ids of other records carries x-refers-to, naming known kinds."""
    for owner, key, prop in _all_properties():
        items = prop.get("items", {})
        holds_ids = prop.get("$ref") == "#/$defs/Ref" or items.get("$ref") == "#/$defs/Ref"
        annotated = prop.get(references.ANNOTATION)
        assert holds_ids == (annotated is not None), f"{owner}.{key}: add x-refers-to"
        if annotated is not None:
            unknown = set(annotated) - kinds.NAMES - set(kinds.CATEGORIES)
            assert not unknown, f"{owner}.{key} refers to unknown kinds {unknown}"


def _put(record: dict[str, Any], path: tuple[str, ...], value: Any) -> tuple[str | int, ...]:
    """Set ``value`` at ``path`` in ``record``, making what is missing; return the concrete path."""
    parts: list[str | int] = []
    here: Any = record
    for step, after in zip(path, [*path[1:], None], strict=True):
        if step == EACH:
            if not here:
                here.append({} if after not in (None, EACH) else None)
            index = 0
            parts.append(index)
            if after is None:
                here[index] = value
            else:
                here = here[index]
            continue
        parts.append(step)
        if after is None:
            here[step] = value
        else:
            if not isinstance(here.get(step), (dict, list)):
                here[step] = [] if after == EACH else {"value": "2024", "precision": "year"}
            here = here[step]
    return tuple(parts)


def _first_record(data: dict[str, Any], kind: kinds.Kind) -> tuple[int, dict[str, Any]]:
    for index, record in enumerate(data[kind.section]):
        if kinds.kind_of_data(kind.section, record) == kind.name:
            return index, record
    raise AssertionError(f"the generated dataset has no {kind.name}")


def _cases(what: str) -> list[tuple[kinds.Kind, tuple[str, ...]]]:
    found = []
    for kind in kinds.KINDS:
        if what == "references":
            found += [(kind, ref.path) for ref in references.references(kind.definition)]
        else:
            found += [(kind, path) for path in references.dates(kind.definition)]
    return found


def _id(case: tuple[kinds.Kind, tuple[str, ...]]) -> str:
    return f"{case[0].name}.{'.'.join(case[1])}"


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    data: dict[str, Any] = dump(make_dataset(12))
    return data


@pytest.mark.parametrize("case", _cases("references"), ids=_id)
def test_every_reference_is_checked(
    generated: dict[str, Any], case: tuple[kinds.Kind, tuple[str, ...]]
) -> None:
    """An id that names no record is reported at its path, for every reference of every kind."""
    kind, path = case
    data = copy.deepcopy(generated)
    index, record = _first_record(data, kind)
    parts = _put(record, path, "no-such-record")
    where = json_path((kind.section, index, *parts))
    found = [p for p in validation.problems(data) if p.path == where]
    assert [p.code for p in found] == ["dangling-reference"], found


@pytest.mark.parametrize("case", _cases("dates"), ids=_id)
def test_every_date_is_checked(
    generated: dict[str, Any], case: tuple[kinds.Kind, tuple[str, ...]]
) -> None:
    """An impossible date and a precision mismatch are reported, for every date of every kind."""
    kind, path = case
    for value, precision, code in (
        ("2023-02-30", "day", "bad-date"),
        ("2023", "day", "precision-mismatch"),
    ):
        data = copy.deepcopy(generated)
        index, record = _first_record(data, kind)
        parts = _put(record, path, {"value": value, "precision": precision})
        where = json_path((kind.section, index, *parts, "value"))
        codes = [p.code for p in validation.problems(data) if p.path == where]
        assert code in codes, (where, codes)


def test_reference_columns_dropdowns_and_foreign_keys_follow_the_schema() -> None:
    """Each single reference is a ref column with a dropdown and a foreign key; lists are refs."""
    package = descriptor(make_dataset(4))
    resources = {r["name"]: r for r in package["resources"]}
    for table in TABLES:
        refs = references.references(kinds.kind(table.kind).definition)
        keys = {fk["fields"] for fk in resources[table.name]["schema"].get("foreignKeys", [])}
        for ref in refs:
            if ref.path[0] == "evidence":
                continue  # evidence has a table of its own
            name = "_".join(ref.path[:-1] if ref.path[-1] == EACH else ref.path)
            column = table.column(name)
            assert kinds.expand(column.targets) == ref.targets, (table.name, name)
            if ref.path[-1] == EACH:
                assert column.kind == "refs"
            else:
                assert column.kind == "ref"
                assert name in keys, (table.name, name)
                dropdown = choice_list(column)
                assert dropdown is not None and dropdown.targets == ref.targets
