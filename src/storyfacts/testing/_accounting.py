"""Whether an exporter accounts for every field of the model: it writes it, or says why not.

An exporter that declares ``Exporter(omitted={...})`` promises that it
writes every field of the model except those it lists, each with a reason.
The promise is checked by taking a dataset in which every optional field is
set (:func:`full_data`), removing one field at a time from every record that
holds it, and exporting again: a field the exporter writes changes the
output, one it leaves out does not. A field added to the model in a later
storyfacts is checked the moment it exists, so no format drops it silently.
"""

from __future__ import annotations

import copy
import functools
import json
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from .. import kinds, model, references
from .. import schema as _schema
from ..contract import ExportContext, Exporter
from ..loading import dump, load
from ._datasets import make_dataset

__all__ = ["Accounting", "account", "full_data", "model_attributes", "omission_keys"]

#: Model classes whose attributes are accounted for, beside the kinds of record.
PARTS = ("Dataset", "PartialDate", "Evidence", "Draft")
#: Sample values for text held to a pattern, which the filler cannot make up.
SAMPLES = {"^Q[1-9][0-9]*$": "Q42", "^[A-Z]{2}$": "FR", "^[a-z0-9]+(-[a-z0-9]+)*$": "filled"}


def model_attributes() -> list[tuple[str, str]]:
    """(definition, field) for every attribute of every model class that holds data."""
    sections = {s.name for s in kinds.SECTIONS}
    found = []
    for name in (*(k.definition for k in kinds.KINDS), *PARTS):
        for field in attrs.fields(getattr(model, name)):
            if name == "Dataset" and field.name in sections:
                continue  # the sections are the records themselves
            found.append((name, field.name))
    return found


def omission_keys() -> frozenset[str]:
    """Every key ``omitted`` may use: ``"Person"``, ``"Person.aliases"`` or ``"*.aliases"``."""
    attributes = model_attributes()
    return frozenset(
        {f"{d}.{f}" for d, f in attributes}
        | {d for d, _ in attributes}
        | {f"*.{f}" for _, f in attributes}
    )


def is_omitted(declared: Mapping[str, str], definition: str, field: str) -> bool:
    """Whether the class, the attribute, or the attribute on every class (``*.field``) is listed."""
    return any(key in declared for key in (definition, f"{definition}.{field}", f"*.{field}"))


@functools.cache
def _full_data() -> str:
    data: dict[str, Any] = dump(make_dataset(12))
    for kind in kinds.KINDS:
        _fill(data, kind)
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
    load(data)  # still valid: raises otherwise
    return json.dumps(data)


def full_data() -> dict[str, Any]:
    """A valid dataset, as plain data, in which every optional field of every kind is set."""
    found: dict[str, Any] = json.loads(_full_data())
    return found


def _fill(data: dict[str, Any], kind: kinds.Kind) -> None:
    """Set every optional field of ``kind`` on at least one of its records in ``data``."""
    records = [r for r in data[kind.section] if kinds.kind_of_data(kind.section, r) == kind.name]
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
    dates' sources); an id named only here shows whether this field is written.
    """
    text = json.dumps(record)
    ids = [
        r["id"]
        for section in kinds.SECTIONS
        for r in data[section.name]
        if kinds.kind_of_data(section.name, r) in allowed and r["id"] != record.get("id")
    ]
    return sorted(ids, key=lambda i: f'"{i}"' in text)


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
    records = {k.definition for k in kinds.KINDS}
    for kind in kinds.KINDS:
        for record in changed[kind.section]:
            if kinds.kind_of_data(kind.section, record) != kind.name:
                continue
            if definition == kind.definition:
                record.pop(field, None)
            elif definition not in records:
                for item in _nested(record, definition):
                    item.pop(field, None)
    return changed


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


def _output(exporter: Exporter, data: dict[str, Any], target: Path) -> bytes:
    """What ``exporter`` writes for ``data`` at ``target`` (each file's name and bytes, for a
    directory), removed once read so that a hundred exports take the room of one."""
    if not exporter.directory:
        try:
            exporter.write(load(data), target, ExportContext())
            return target.read_bytes()
        finally:
            target.unlink(missing_ok=True)
    target.mkdir()
    try:
        exporter.write(load(data), target, ExportContext())
        return b"".join(
            p.relative_to(target).as_posix().encode() + b"\0" + p.read_bytes()
            for p in sorted(target.rglob("*"))
            if p.is_file()
        )
    finally:
        shutil.rmtree(target)


def changes(
    exporter: Exporter, folder: Path, chosen: Callable[[str, str], bool]
) -> Iterator[tuple[str, bool]]:
    """For each chosen optional field, ``"Definition.field"`` and whether removing it changes
    what ``exporter`` writes for :func:`full_data`."""
    data = full_data()
    extension = "" if exporter.directory else exporter.extension
    baseline = _output(exporter, data, folder / f"baseline{extension}")
    for number, (definition, field) in enumerate(model_attributes()):
        if _optional(definition, field) and chosen(definition, field):
            reduced = _without(data, definition, field)
            written = _output(exporter, reduced, folder / f"without-{number}{extension}")
            yield f"{definition}.{field}", written != baseline


@attrs.frozen
class Accounting:
    """How an exporter's declared omissions compare with what it writes."""

    #: Keys of ``omitted`` that name nothing in the model.
    unknown: tuple[str, ...]
    #: Fields not declared omitted whose removal changes nothing written.
    silent: tuple[str, ...]
    #: Fields declared omitted (by their own key) whose removal changes what is written.
    carried: tuple[str, ...]


def account(exporter: Exporter, declared: Mapping[str, str], folder: Path) -> Accounting:
    """Export :func:`full_data` with each optional field removed in turn, into ``folder``."""
    known = omission_keys()
    unknown = tuple(key for key in declared if key not in known)
    silent: list[str] = []
    carried: list[str] = []
    folder.mkdir(parents=True, exist_ok=True)
    for name, differs in changes(exporter, folder, lambda d, f: True):
        definition, field = name.split(".")
        if not is_omitted(declared, definition, field):
            if not differs:
                silent.append(name)
        elif name in declared and differs:
            carried.append(name)
    return Accounting(unknown, tuple(silent), tuple(carried))
