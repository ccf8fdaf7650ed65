"""The vocabulary of record kinds comes from the schema and agrees with the model."""

from __future__ import annotations

import ast
from pathlib import Path

import attrs

import storyfacts
from storyfacts import kinds, model
from storyfacts import schema as _schema
from storyfacts.tables import TABLES


def test_sections_are_the_datasets_lists_of_records() -> None:
    """Every array of records at the top of the schema is a section, in the model's order."""
    lists = [
        f.name
        for f in attrs.fields(model.Dataset)
        if f.metadata["storyfacts.expected"].listed  # the fields that hold lists
    ]
    assert [s.name for s in kinds.SECTIONS] == lists
    assert lists == ["articles", "entities", "statements", "sources"]


def test_typed_kinds_are_the_schemas_type_enumerations() -> None:
    """The entity and statement kinds are the schema's enums and the model's tagged classes."""
    assert kinds.CATEGORIES["entity"] == tuple(_schema.definition("EntityType")["enum"])
    assert kinds.CATEGORIES["statement"] == tuple(_schema.definition("StatementType")["enum"])
    assert set(kinds.CATEGORIES["entity"]) == set(model.ENTITY_TYPES)
    assert set(kinds.CATEGORIES["statement"]) == set(model.STATEMENT_TYPES)


def test_every_kind_has_a_model_class_named_after_its_definition() -> None:
    """kind_of_record relies on each model class being named after its schema definition."""
    for kind in kinds.KINDS:
        cls = getattr(model, kind.definition)
        assert getattr(cls, "TYPE", kind.name) == kind.name


def test_kind_of_every_bundled_record() -> None:
    """Each record of the seed has the kind its section or type says."""
    dataset = storyfacts.load_bundled()
    for section in kinds.SECTIONS:
        for record in getattr(dataset, section.name):
            found = kinds.kind_of_record(record)
            assert kinds.kind(found).section == section.name
            assert found == (record.TYPE if section.typed else section.category)
    assert kinds.count(dataset) == len(list(dataset.records()))


def test_expand_spells_out_categories() -> None:
    """``entity`` stands for every entity kind; a kind stands for itself."""
    assert kinds.expand(["entity", "source"]) == frozenset({*model.ENTITY_TYPES, "source"})
    assert kinds.expand(["quote"]) == frozenset({"quote"})


def test_one_table_per_kind_named_by_its_plural() -> None:
    """The tables (and sheets) follow the kinds, titled by the schema's x-plural."""
    assert [(t.kind, t.title) for t in TABLES] == [(k.name, k.plural) for k in kinds.KINDS]
    assert [k.name for k in kinds.EVIDENCED[0].kinds] == list(kinds.CATEGORIES["entity"])


def _literal_lists_of_kinds(path: Path) -> list[str]:
    """Tuple, list and set literals in a module that spell out two or more kinds or sections."""
    words = kinds.NAMES | {s.name for s in kinds.SECTIONS} | set(kinds.CATEGORIES)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            named = [
                e.value
                for e in node.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str) and e.value in words
            ]
            if len(named) >= 2:
                found.append(f"{path.name}:{node.lineno}: {named}")
    return found


def test_no_module_but_kinds_lists_the_kinds() -> None:
    """Only storyfacts.kinds spells out kinds or sections; every other module asks it."""
    source = Path(kinds.__file__).parent
    found = [
        place
        for path in sorted(source.rglob("*.py"))
        if path.name != "kinds.py"
        for place in _literal_lists_of_kinds(path)
    ]
    assert found == []
