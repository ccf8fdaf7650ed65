"""Every format accounts for every field: it carries it, or says why it leaves it out.

For each optional field of the model, the test removes it from every record
of its kind and exports again: an exporter that carries the field writes
something else. A field that makes no difference must be listed in the
exporter module's ``OMITTED``, with the reason its format documentation gives.
A field added to the schema and the model is tested here the moment it
exists, so no format drops it without a sound.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from storyfacts import dump, kinds, load, model, plugins, references
from storyfacts import schema as _schema
from storyfacts.contract import ExportContext, Exporter
from storyfacts.testing import make_dataset

#: Model classes whose attributes are accounted for, beside the kinds of record.
PARTS = ("Dataset", "PartialDate", "Evidence", "Draft")
#: Sample values for text held to a pattern, which the filler cannot make up.
SAMPLES = {"^Q[1-9][0-9]*$": "Q42", "^[A-Z]{2}$": "FR", "^[a-z0-9]+(-[a-z0-9]+)*$": "filled"}
FORMATS = ("json", "csv", "jsonld", "ics", "xlsx")


def omitted(exporter: Exporter) -> dict[str, str]:
    """The exporter's declared omissions: ``"Definition"`` or ``"Definition.field"`` to a reason."""
    found: dict[str, str] = getattr(sys.modules[exporter.write.__module__], "OMITTED", {})
    return found


def is_omitted(declared: dict[str, str], definition: str, field: str) -> bool:
    """Whether the class, the attribute, or the attribute on every class (``*.field``) is listed."""
    return any(key in declared for key in (definition, f"{definition}.{field}", f"*.{field}"))


def model_attributes() -> list[tuple[str, str]]:
    """(definition, field) for every attribute of every model class that holds data."""
    found = []
    for name in (*(k.definition for k in kinds.KINDS), *PARTS):
        for field in attrs.fields(getattr(model, name)):
            if name == "Dataset" and field.name in {s.name for s in kinds.SECTIONS}:
                continue  # the sections are the records themselves
            found.append((name, field.name))
    return found


def _sample(data: dict[str, Any], record: dict[str, Any], name: str, prop: dict[str, Any]) -> Any:
    """A valid value for an absent optional property, made from its schema."""
    allowed = references.targets(prop)
    if allowed is not None:
        ids = _unmentioned(data, record, allowed)
        return ids[:1] if prop.get("type") == "array" else ids[0]
    if prop.get("properties", {}).keys() >= {"value", "precision"}:
        return {"value": "2024-05-01", "precision": "day", "phrase": "on 1 May"}
    if prop.get("type") == "object":
        parts = prop.get("properties", {})
        return {key: _sample(data, record, key, parts[key]) for key in prop.get("required", [])}
    if name == "evidence":
        return [next(e for r in data["entities"] for e in r.get("evidence", []))]
    if prop.get("enum"):
        return prop["enum"][0]
    if prop.get("type") == "array":
        return [f"Filled {name}"]
    if prop.get("type") in ("integer", "number"):
        return 1
    if prop.get("type") == "boolean":
        return True
    if prop.get("format") == "uri":
        return f"https://example.org/{name}"
    if "pattern" in prop:
        return SAMPLES[prop["pattern"]]
    return f"Filled {name}"


def _unmentioned(
    data: dict[str, Any], record: dict[str, Any], allowed: frozenset[str]
) -> list[str]:
    """Ids of the allowed kinds, those the record does not name anywhere first.

    An exporter may merge ids from several fields (a record's sources and its
    dates' sources); an id named only here shows whether this field is carried.
    """
    text = json.dumps(record)
    ids = [
        r["id"]
        for section in kinds.SECTIONS
        for r in data[section.name]
        if kinds.kind_of_data(section.name, r) in allowed and r["id"] != record.get("id")
    ]
    return sorted(ids, key=lambda i: f'"{i}"' in text)


@pytest.fixture(scope="module")
def full_data() -> dict[str, Any]:
    """A valid dataset in which every optional field of every kind is set at least once."""
    data: dict[str, Any] = dump(make_dataset(12))
    for kind in kinds.KINDS:
        records = [
            r for r in data[kind.section] if kinds.kind_of_data(kind.section, r) == kind.name
        ]
        required = set(_schema.required_of(kind.definition))
        # Fields of which one must be given (a claim's object or object_text)
        # are set on every record, so that removing one leaves it valid.
        alternatives = {
            name
            for choice in _schema.definition(kind.definition).get("anyOf", [])
            for name in choice.get("required", [])
        }
        props = _schema.properties_of(kind.definition)
        for record in records:
            for name in sorted(alternatives - record.keys()):
                record[name] = _sample(data, record, name, props[name])
        for name, prop in props.items():
            if name in required or name == "type":
                continue
            if not any(name in r for r in records):
                records[0][name] = _sample(data, records[0], name, prop)
            elif prop.get("type") == "array" and references.targets(prop) is not None:
                # A list of ids gets one the record names nowhere else.
                first = next(r for r in records if name in r)
                extra = _unmentioned(data, first, references.targets(prop) or frozenset())[0]
                if extra not in first[name]:
                    first[name].append(extra)
    # Evidence may say which occurrence it means by the words around it: the
    # real words of the article, so that any check of them passes.
    bodies = {article["id"]: article["body"] for article in data["articles"]}
    item = next(
        e
        for e in _nested(data["statements"], "Evidence")
        if 0 < e["start"] and e["end"] < len(bodies[e["article"]])
    )
    body = bodies[item["article"]]
    item["prefix"] = body[max(0, item["start"] - 12) : item["start"]]
    item["suffix"] = body[item["end"] : item["end"] + 12]
    load(data)  # still valid
    return data


def _looks_like(value: Any, definition: str) -> bool:
    """Whether an object inside a record is one of ``definition`` (a date, evidence, a draft)."""
    node = _schema.definition(definition)
    return (
        isinstance(value, dict)
        and set(node.get("required", [])) <= value.keys()
        and value.keys() <= node.get("properties", {}).keys()
    )


def _nested(value: Any, definition: str) -> list[dict[str, Any]]:
    """Every object of ``definition`` inside ``value``, at any depth."""
    found = []
    stack = [value]
    while stack:
        item = stack.pop()
        if _looks_like(item, definition):
            found.append(item)
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _without(data: dict[str, Any], definition: str, field: str) -> dict[str, Any]:
    """``data`` with ``field`` removed wherever a ``definition`` holds it."""
    changed = copy.deepcopy(data)
    for kind in kinds.KINDS:
        for record in changed[kind.section]:
            if kinds.kind_of_data(kind.section, record) != kind.name:
                continue
            if definition == kind.definition:
                record.pop(field, None)
            elif definition not in {k.definition for k in kinds.KINDS}:
                for item in _nested(record, definition):
                    item.pop(field, None)
    return changed


def _output(exporter: Exporter, data: dict[str, Any], folder: Path, name: str) -> bytes:
    target = folder / name
    if exporter.directory:
        target.mkdir()
    exporter.write(load(data), target, ExportContext())
    if not exporter.directory:
        return target.read_bytes()
    return b"".join(p.name.encode() + p.read_bytes() for p in sorted(target.iterdir()))


def test_the_full_dataset_sets_every_optional_field(full_data: dict[str, Any]) -> None:
    """Each optional field the tests remove is present somewhere, so removing it can matter."""
    for kind in kinds.KINDS:
        records = [
            r for r in full_data[kind.section] if kinds.kind_of_data(kind.section, r) == kind.name
        ]
        for name in _schema.properties_of(kind.definition):
            assert any(name in r for r in records), f"{kind.definition}.{name} is never set"


def _optional(definition: str, field: str) -> bool:
    """Whether a field may be left out of the data: it has a default and the schema allows it.

    A default alone is not enough: an entity's id is made from its name and a
    Dataset's schema_version and modified have defaults when a record is
    built in Python, but the data must carry them.
    """
    if attrs.fields_dict(getattr(model, definition))[field].default is attrs.NOTHING:
        return False
    required = (
        _schema.schema()["required"] if definition == "Dataset" else _schema.required_of(definition)
    )
    return field not in required


def _changes_output(
    exporter: Exporter,
    data: dict[str, Any],
    folder: Path,
    chosen: Callable[[str, str], bool],
) -> dict[str, bool]:
    """For each chosen optional field, whether removing it changes what ``exporter`` writes."""
    baseline = _output(exporter, data, folder, "baseline")
    found = {}
    for number, (definition, field) in enumerate(model_attributes()):
        if _optional(definition, field) and chosen(definition, field):
            reduced = _without(data, definition, field)
            found[f"{definition}.{field}"] = (
                _output(exporter, reduced, folder, f"without-{number}") != baseline
            )
    return found


@pytest.mark.parametrize("format_name", FORMATS)
def test_every_field_is_carried_or_omitted_with_a_reason(
    format_name: str, full_data: dict[str, Any], tmp_path: Path
) -> None:
    """Removing a field the exporter does not list as omitted changes what it writes."""
    exporter = plugins.exporter(format_name)
    declared = omitted(exporter)
    changed = _changes_output(
        exporter, full_data, tmp_path, lambda d, f: not is_omitted(declared, d, f)
    )
    silent = [name for name, differs in changed.items() if not differs]
    assert not silent, (
        f"{silent}: "
        f"{format_name} drops these without a word: map each one, or list it in OMITTED "
        "with the reason its format documentation gives"
    )


@pytest.mark.parametrize("format_name", FORMATS)
def test_a_field_listed_as_omitted_is_really_left_out(
    format_name: str, full_data: dict[str, Any], tmp_path: Path
) -> None:
    """Removing a field the exporter lists as omitted leaves what it writes as it was."""
    declared = omitted(plugins.exporter(format_name))
    changed = _changes_output(
        plugins.exporter(format_name), full_data, tmp_path, lambda d, f: f"{d}.{f}" in declared
    )
    carried = [name for name, differs in changed.items() if differs]
    assert not carried, (
        f"{carried}: {format_name} writes these although OMITTED says it leaves them out: "
        "remove them from OMITTED and regenerate the format docs"
    )


@pytest.mark.parametrize("format_name", FORMATS)
def test_omissions_name_real_fields_and_give_a_reason(format_name: str) -> None:
    """Each entry of OMITTED is a model class or attribute, with a one-line reason."""
    attributes = {f"{d}.{f}" for d, f in model_attributes()} | {d for d, _ in model_attributes()}
    attributes |= {f"*.{f}" for _, f in model_attributes()}
    for key, reason in omitted(plugins.exporter(format_name)).items():
        assert key in attributes, f"{format_name} omits {key!r}, which the model does not have"
        assert reason.strip() and "\n" not in reason


def _doc_generator() -> Any:
    path = Path(__file__).resolve().parent.parent / "docs" / "generate_format_docs.py"
    spec = importlib.util.spec_from_file_location("generate_format_docs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_format_docs_tables_are_generated() -> None:
    """The CSV column table and the lists of omissions in the format docs are up to date."""
    generator = _doc_generator()
    for relative, blocks in generator.BLOCKS.items():
        path = generator.DOCS / relative
        text = path.read_text(encoding="utf-8")
        assert generator.render(text, blocks) == text, "run: python docs/generate_format_docs.py"
