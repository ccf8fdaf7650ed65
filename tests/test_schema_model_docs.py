"""The schema, the model, the seed data and the docs agree, and stay agreeing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from storyfacts import model
from storyfacts import schema as _schema

ROOT = Path(__file__).resolve().parent.parent


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "generate_data_model", ROOT / "docs" / "generate_data_model.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_data_model"] = module
    spec.loader.exec_module(module)
    return module


def _all_properties() -> list[tuple[str, str, dict[str, Any]]]:
    found = [("Dataset", k, v) for k, v in _schema.schema()["properties"].items()]
    for name, node in _schema.schema()["$defs"].items():
        found += [(name, k, v) for k, v in node.get("properties", {}).items()]
    return found


def test_every_property_has_a_title_and_description() -> None:
    """Titles and descriptions become headers, docs and help, so none may be missing."""
    missing = []
    for owner, key, prop in _all_properties():
        if key == "type" and set(prop) <= {"const", "$ref"}:
            continue  # the discriminator restated per type; described in *Fields
        if not prop.get("title") or not prop.get("description"):
            missing.append(f"{owner}.{key}")
    assert missing == []


def test_data_model_doc_is_generated_from_the_schema() -> None:
    """docs/data-model.md is exactly what the generator makes from today's schema."""
    expected = _generator().render()
    actual = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert actual == expected, "run: python docs/generate_data_model.py"


def test_every_schema_property_is_in_the_data_model_doc() -> None:
    """Each property appears in the section of its definition."""
    doc = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    sections = {block.split("\n", 1)[0].strip(): block for block in doc.split("\n## ")[1:]}
    for owner, key, prop in _all_properties():
        if key == "type" and set(prop) <= {"const", "$ref"}:
            continue
        heading = "Dataset (top level)" if owner == "Dataset" else owner
        assert f"| `{key}` |" in sections[heading], f"{owner}.{key} is not documented"


CLASSES = {
    "Article": model.Article,
    "Person": model.Person,
    "Organization": model.Organization,
    "Country": model.Country,
    "Place": model.Place,
    "Event": model.Event,
    "Group": model.Group,
    "Quote": model.Quote,
    "Claim": model.Claim,
    "Decision": model.Decision,
    "Relation": model.Relation,
    "Source": model.Source,
    "Evidence": model.Evidence,
    "PartialDate": model.PartialDate,
}


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_model_fields_match_schema_properties(name: str) -> None:
    """Each attrs class has exactly the schema's properties (type is the class itself)."""
    fields = [f.name for f in attrs.fields(CLASSES[name])]
    properties = [p for p in _schema.properties_of(name) if p != "type"]
    assert sorted(fields) == sorted(properties)


# Optional in the data, but always present in a loaded object: loading fills
# evidence offsets in from the text (storyfacts.passages.fill_offsets).
FILLED_IN_ON_LOADING = {"Evidence": {"start", "end"}}


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_model_required_fields_match_schema(name: str) -> None:
    """Fields without a default, or with one made from other fields, are the required ones."""
    no_default = {
        f.name
        for f in attrs.fields(CLASSES[name])
        # An entity's id is required in the data all the same: it is made
        # from the name only when a record is built without one.
        if f.default is attrs.NOTHING or getattr(f.default, "takes_self", False)
    }
    required = set(_schema.required_of(name)) - {"type"}
    assert no_default == required | FILLED_IN_ON_LOADING.get(name, set())


def test_dataset_top_level_matches_schema() -> None:
    """The Dataset class carries exactly the schema's top-level properties."""
    fields = {f.name for f in attrs.fields(model.Dataset)}
    assert fields == set(_schema.schema()["properties"])


def test_type_enumerations_match_model() -> None:
    """The entity and statement types in the schema are the model's classes."""
    assert set(_schema.definition("EntityType")["enum"]) == set(model.ENTITY_TYPES)
    assert set(_schema.definition("StatementType")["enum"]) == set(model.STATEMENT_TYPES)
