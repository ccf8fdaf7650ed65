"""The words of a schema error: what jsonschema found, as one sentence a person can act on."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import schema as _schema
from .errors import Problem, excerpt, json_path
from .integrity import shorten
from .suggestions import close_match

if TYPE_CHECKING:
    import jsonschema

__all__ = ["describe_error", "describe_value"]

Parts = tuple[str | int, ...]


def describe_error(error: jsonschema.ValidationError, prefix: Parts = ()) -> Iterator[Problem]:
    """The problems one jsonschema error stands for, at their paths below ``prefix``."""
    parts: Parts = (*prefix, *error.absolute_path)
    where = json_path(parts)
    kind = str(error.validator)
    subschema = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    if kind == "required":
        for name in _required_missing(error):
            yield Problem(
                json_path((*parts, name)),
                f"The required field {excerpt(name)} is missing.",
                code="required",
            )
    elif kind == "dependentRequired" and isinstance(value, dict):
        dependencies = error.validator_value if isinstance(error.validator_value, dict) else {}
        for given, needed in dependencies.items():
            for name in needed if given in value else ():
                if name not in value:
                    yield Problem(
                        json_path((*parts, name)),
                        f"{given!r} is given without {name!r}: give both, or leave both out "
                        "to have them found from the text.",
                        code="required",
                    )
    elif kind in ("additionalProperties", "unevaluatedProperties"):
        allowed = set(_allowed_fields(subschema))
        extra = sorted(k for k in value if k not in allowed) if isinstance(value, dict) else []
        # With nothing left over, the fields were rejected only because another
        # check failed inside them; that failure is reported on its own.
        for name in extra:
            hint = close_match(name, allowed)
            yield Problem(
                json_path((*parts, name)),
                f"Unknown field {excerpt(name)}{hint}; remove it or check its spelling.",
                code="unknown-field",
            )
    elif kind == "type":
        yield Problem(
            where,
            f"Expected {_kind_phrase(subschema.get('type'))} here, found {describe_value(value)}.",
            code="wrong-type",
        )
    elif kind == "enum":
        options = ", ".join(str(o) for o in subschema.get("enum", []))
        hint = close_match(value, [str(o) for o in subschema.get("enum", [])])
        yield Problem(
            where,
            f"{describe_value(value)} is not an allowed value{hint}; choose one of: {options}.",
            code="not-allowed",
        )
    elif kind == "const":
        if parts == ("schema_version",):
            message = (
                f"Schema version {_echo(value)} is not supported; "
                f"this storyfacts reads version {_schema.SCHEMA_VERSION}."
            )
        else:
            message = f"Expected {subschema.get('const')!r} here, found {describe_value(value)}."
        yield Problem(where, message, code="not-allowed")
    elif kind == "pattern":
        title = str(subschema.get("title", "value")).lower()
        rule = subschema.get("description", f"it must match {subschema.get('pattern')}")
        yield Problem(
            where, f"{describe_value(value)} is not a valid {title}. {rule}", code="bad-form"
        )
    elif kind == "format":
        fmt = subschema.get("format")
        yield Problem(
            where,
            f"{describe_value(value)} is not a valid {_FORMAT_WORDS.get(str(fmt), fmt)}.",
            code="bad-format",
        )
    elif kind == "minLength":
        yield Problem(where, "This text must not be empty.", code="empty")
    elif kind == "maxLength":
        yield Problem(
            where,
            f"This text is longer than {subschema.get('maxLength')} characters.",
            code="too-long",
        )
    elif kind == "minItems":
        n = subschema.get("minItems")
        yield Problem(where, f"This list needs at least {n} item{'s' if n != 1 else ''}.", "empty")
    elif kind == "minimum":
        yield Problem(
            where,
            f"{describe_value(value)} is too small; "
            f"the least allowed is {subschema.get('minimum')}.",
            code="too-small",
        )
    elif kind == "maximum":
        yield Problem(
            where,
            f"{describe_value(value)[:1].upper()}{describe_value(value)[1:]} is too large; "
            f"the most allowed is {subschema.get('maximum'):,}.",
            code="too-large",
        )
    elif kind == "uniqueItems":
        yield Problem(where, "This list has the same item more than once.", code="duplicate-item")
    elif kind == "anyOf" and all(c.validator == "required" for c in error.context or []):
        names = [str(n) for c in error.context or [] for n in _listed(c.validator_value)]
        yield Problem(
            where,
            f"Give at least one of these fields: {', '.join(dict.fromkeys(names))}.",
            code="required",
        )
    else:
        yield Problem(where, shorten(error.message, 200), code="invalid")


_FORMAT_WORDS = {
    "date-time": "date and time (RFC 3339, such as 2023-03-22T10:00:00Z)",
    "date": "date (YYYY-MM-DD)",
    "uri": "URL",
}

_REQUIRED = re.compile(r"^'(.*)' is a required property$", re.S)


def _required_missing(error: jsonschema.ValidationError) -> list[str]:
    match = _REQUIRED.match(error.message)
    if match:
        return [match.group(1)]
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [str(n) for n in _listed(error.validator_value) if n not in instance]


def _listed(value: object) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _allowed_fields(subschema: dict[str, Any]) -> list[str]:
    names: list[str] = list(subschema.get("properties", {}))
    for part in subschema.get("allOf", []):
        ref = part.get("$ref", "") if isinstance(part, dict) else ""
        if ref.startswith("#/$defs/"):
            names.extend(_schema.properties_of(ref.removeprefix("#/$defs/")))
    return names


def _kind_phrase(kind: Any) -> str:
    words = {
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "object": "an object",
        "array": "a list",
        "null": "null",
    }
    if isinstance(kind, list):
        return " or ".join(words.get(str(k), str(k)) for k in kind)
    return words.get(str(kind), str(kind))


def _echo(value: Any) -> str:
    """A value as written in a message: text quoted, a number as it is, else described."""
    if isinstance(value, str):
        return excerpt(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return describe_value(value).removeprefix("the number ")
    return describe_value(value)


# About 60 decimal digits, like the excerpt of a text.
_LONGEST_ECHOED_NUMBER = 200


def describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"the text {excerpt(value)}"
    if isinstance(value, int) and value.bit_length() > _LONGEST_ECHOED_NUMBER:
        # Python will not even write out an integer of more than 4,300 digits.
        return f"a whole number of about {int(value.bit_length() * math.log10(2)) + 1:,} digits"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
