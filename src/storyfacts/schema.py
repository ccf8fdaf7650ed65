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
import rfc3986_validator  # type: ignore[import-untyped]
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from referencing.jsonschema import DRAFT202012

from . import _resources

__all__ = ["LARGEST_WHOLE_NUMBER", "SCHEMA_VERSION", "registry", "schema", "validator"]

SCHEMA_VERSION = "1.0"

#: The ``maximum`` of every whole-number field: 15 digits, the most a
#: spreadsheet holds exactly (and well inside what every JSON reader does), so
#: every export can write any valid dataset.
LARGEST_WHOLE_NUMBER = 10**15 - 1


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


_LEAP = re.compile(r"^(.*T(\d\d):(\d\d)):60(\.\d+)?(Z|([+-])(\d\d):(\d\d))$")


def _date_time(instance: object) -> bool:
    # As jsonschema-rs reads RFC 3339: 't' and 'z' may be lower case, and a
    # leap second (second 60) is allowed at 23:59 UTC only, after the offset.
    # rfc3339-validator refuses lower case and every leap second, so it checks
    # the upper-cased text with a leap second read as second 59.
    if not isinstance(instance, str):
        return True
    text = instance.upper()
    leap = _LEAP.match(text)
    if leap:
        hour, minute = int(leap.group(2)), int(leap.group(3))
        if leap.group(6):
            sign = 1 if leap.group(6) == "+" else -1
            total = hour * 60 + minute - sign * (int(leap.group(7)) * 60 + int(leap.group(8)))
            hour, minute = divmod(total % (24 * 60), 60)
        if (hour, minute) != (23, 59):
            return False
        text = f"{leap.group(1)}:59{leap.group(4) or ''}{leap.group(5)}"
    return bool(rfc3339_validator.validate_rfc3339(text))


def _uri(instance: object) -> bool:
    # rfc3986-validator's pattern ends in "$", which lets a final line break
    # through; no URI holds whitespace or control characters at all.
    if not isinstance(instance, str):
        return True
    if any(c.isspace() or ord(c) < 32 for c in instance):
        return False
    return bool(rfc3986_validator.validate_rfc3986(instance, rule="URI"))


def format_checker() -> FormatChecker:
    """The Draft 2020-12 format checker, with date-time and uri read as jsonschema-rs reads them."""
    checker: FormatChecker = copy.deepcopy(Draft202012Validator.FORMAT_CHECKER)
    checker.checks("date-time")(_date_time)
    checker.checks("uri")(_uri)
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
