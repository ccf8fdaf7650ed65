"""The one JSON Schema of a storyfacts dataset, and validators built from it.

References resolve through a local :class:`referencing.Registry` that holds
the bundled schema; any other URI is refused, so validation never touches the
network.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import referencing
import referencing.exceptions
import rfc3339_validator  # type: ignore[import-untyped]
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from referencing.jsonschema import DRAFT202012

from . import _resources

__all__ = ["SCHEMA_VERSION", "registry", "schema", "validator"]

SCHEMA_VERSION = "1.0"


@cache
def schema() -> dict[str, Any]:
    """Return the dataset schema (Draft 2020-12) as a dict. Do not mutate it."""
    with _resources.schema_path().open(encoding="utf-8") as f:
        loaded: dict[str, Any] = json.load(f)
    return loaded


def _refuse(uri: str) -> referencing.Resource[Any]:
    raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]


@cache
def registry() -> referencing.Registry[Any]:
    """A registry holding the bundled schema; it never retrieves anything remote."""
    resource = DRAFT202012.create_resource(schema())
    empty: referencing.Registry[Any] = referencing.Registry(retrieve=_refuse)  # type: ignore[call-arg]
    found: referencing.Registry[Any] = empty.with_resource(schema()["$id"], resource)
    return found


_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns are ECMA-262 regular expressions, where "$" matches
    # only at the very end; Python's "$" also matches before a final newline.
    return re.compile(_UNESCAPED_DOLLAR.sub(r"\\Z", pattern))


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _date_time(instance: object) -> bool:
    # RFC 3339 allows a leap second (23:59:60), as jsonschema-rs does;
    # rfc3339-validator refuses it, so a leap second is checked as second 59.
    if not isinstance(instance, str):
        return True
    return bool(rfc3339_validator.validate_rfc3339(re.sub(r"(T\d\d:\d\d):60", r"\1:59", instance)))


def format_checker() -> FormatChecker:
    """The default Draft 2020-12 format checker, with RFC 3339 leap seconds allowed."""
    checker: FormatChecker = copy.deepcopy(Draft202012Validator.FORMAT_CHECKER)
    checker.checks("date-time")(_date_time)
    return checker


#: Draft 2020-12 with ECMA-262 semantics for ``pattern``, so that this
#: validator and the fast one (jsonschema-rs) always agree.
DatasetValidator = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"pattern": _pattern}
)


@cache
def validator() -> Draft202012Validator:
    """A Draft 2020-12 validator for whole datasets, with format checking on."""
    found: Draft202012Validator = DatasetValidator(
        schema(), registry=registry(), format_checker=format_checker()
    )
    return found


def definition(name: str) -> dict[str, Any]:
    """Return the schema's ``$defs`` entry called ``name``."""
    found: dict[str, Any] = schema()["$defs"][name]
    return found


def resolve(fragment: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` (``#/$defs/X``) and merge in the referring schema's own keys."""
    ref = fragment.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
        return fragment
    merged = dict(definition(ref.removeprefix("#/$defs/")))
    merged.update({k: v for k, v in fragment.items() if k != "$ref"})
    return merged


def properties_of(name: str) -> dict[str, dict[str, Any]]:
    """All properties a ``$defs`` entry allows, including those it takes through ``allOf``.

    Each property comes with its ``$ref`` resolved, so ``title`` and
    ``description`` are always at hand.
    """
    node = definition(name)
    props: dict[str, dict[str, Any]] = {}
    for part in node.get("allOf", []):
        ref = part.get("$ref", "")
        if ref.startswith("#/$defs/"):
            props.update(properties_of(ref.removeprefix("#/$defs/")))
    for key, value in node.get("properties", {}).items():
        if key in props:
            merged = dict(props[key])
            merged.update(value)
            props[key] = merged
        else:
            props[key] = resolve(value)
    return props


def required_of(name: str) -> list[str]:
    """The required properties of a ``$defs`` entry, including those it takes through ``allOf``."""
    node = definition(name)
    out: list[str] = []
    for part in node.get("allOf", []):
        ref = part.get("$ref", "")
        if ref.startswith("#/$defs/"):
            out.extend(required_of(ref.removeprefix("#/$defs/")))
    out.extend(node.get("required", []))
    return list(dict.fromkeys(out))
