"""Checking a dataset: the JSON Schema first, then what a schema cannot say.

:func:`problems` returns every problem found, each with the JSON path of the
offending value and one sentence a person can act on, sorted by path.

Large valid datasets take a fast path: ``jsonschema-rs`` answers "valid or
not" quickly, and the detailed report from ``jsonschema`` is built only when
the answer is "not valid", and then only over the records the fast one found
wrong (see ``_failing_parts``). A differential test keeps the two in
agreement, and the report the same as one read from the whole dataset.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

import attrs
import jsonschema_rs
import orjson

from . import kinds
from . import schema as _schema
from .errors import Problem, excerpt, json_path, sort_problems
from .integrity import semantic_problems, shorten
from .suggestions import close_match

if TYPE_CHECKING:
    # jsonschema itself is imported only to describe invalid data (schema.validator).
    import jsonschema

__all__ = ["problems", "schema_problems", "semantic_problems", "storage_problems"]

Parts = tuple[str | int, ...]


def problems(data: Any) -> list[Problem]:
    """Every problem in ``data`` (plain JSON data), sorted by path."""
    unstorable, data = storage_problems(data)
    found = schema_problems(data)
    found.extend(semantic_problems(data))
    if unstorable:
        # A value taken out (see storage_problems) is reported once, as unstorable.
        taken = {p.path for p in unstorable}
        found = [p for p in found if p.path not in taken]
    return sort_problems([*found, *unstorable])


# What no file can hold ----------------------------------------------------

#: orjson, which writes JSON and JSON-LD, holds integers in 64 bits; the schema
#: allows at most 15 digits, so anything past this is refused either way.
_LEAST_INT, _MOST_INT = -(2**63), 2**64 - 1


# Control characters that neither a calendar (RFC 5545 text, 3.3.11) nor a
# workbook (XML 1.0) can hold, and that mean nothing in a story: C0 but TAB, LF
# and CR, and DEL; and the non-characters U+FFFE and U+FFFF, which XML 1.0
# excludes too. Refused here, every export agrees with validation, and so does
# the workbook reader (workbook.safety refuses the same in a cell).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# How orjson writes them: \u00XX, or \b and \f, DEL and the non-characters as
# they are (in UTF-8). A literal backslash before u, b or f in text also
# matches; the walk then finds nothing.
_SERIALISED_CONTROLS = (b"\\u00", b"\\b", b"\\f", b"\x7f", "\ufffe".encode(), "\uffff".encode())

_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 0x1B: "ESC", 0x7F: "DEL"}


def storage_problems(data: Any) -> tuple[list[Problem], Any]:
    """Values that cannot be written out at all, and the data without the worst of them.

    Text holding a lone surrogate (which JSON escapes allow) cannot be stored
    as UTF-8; text holding a control character (see ``_CONTROL``) cannot go in
    a calendar or a workbook; an integer past 64 bits cannot be written by the
    JSON writers, and one of more than 4,300 digits cannot even be printed by
    Python, so it would break the schema validator's messages. Such integers
    are replaced by ``None`` in the data returned, for the other checks to run on.

    orjson serialises the data at C speed and refuses surrogates and large
    integers; only when it does, or its output holds an escaped control
    character, is the data walked to name each place.
    """
    try:
        serialised = orjson.dumps(data)
    except TypeError:
        pass
    else:
        if not any(mark in serialised for mark in _SERIALISED_CONTROLS):
            return [], data
    out: list[Problem] = []
    oversized: list[Parts] = []
    stack: list[tuple[Any, Parts]] = [(data, ())]
    while stack:
        value, parts = stack.pop()
        if isinstance(value, str):
            if not _encodable(value):
                out.append(_surrogate_problem(parts, "text"))
            control = _CONTROL.search(value)
            if control:
                out.append(_control_problem(parts, control))
        elif type(value) is int and not _LEAST_INT <= value <= _MOST_INT:
            out.append(
                Problem(
                    json_path(parts),
                    f"{_describe_value(value)[:1].upper()}{_describe_value(value)[1:]} is too "
                    f"large to store; whole numbers go up to {_schema.LARGEST_WHOLE_NUMBER:,}.",
                    code="too-large",
                )
            )
            oversized.append(parts)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and not _encodable(key):
                    out.append(_surrogate_problem((*parts, key), "key"))
                stack.append((item, (*parts, key)))
        elif isinstance(value, list):
            stack.extend((v, (*parts, i)) for i, v in enumerate(value))
    return out, _without(data, oversized)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _surrogate_problem(parts: Parts, what: str) -> Problem:
    return Problem(
        json_path(parts),
        f"This {what} holds a lone surrogate (an unpaired \\ud800-\\udfff escape), "
        "which no file can store as UTF-8; remove or correct it.",
        code="bad-text",
    )


def _control_problem(parts: Parts, found: re.Match[str]) -> Problem:
    code = ord(found.group())
    if code >= 0xFFFE:
        return Problem(
            json_path(parts),
            f"This text holds the non-character U+{code:04X} at position {found.start()}, "
            "which no workbook can hold (XML excludes it); remove it.",
            code="control-character",
        )
    name = f" ({_CONTROL_NAMES[code]})" if code in _CONTROL_NAMES else ""
    return Problem(
        json_path(parts),
        f"This text holds the control character U+{code:04X}{name} at position "
        f"{found.start()}, which no calendar or workbook can hold; remove it "
        "(tabs and line breaks are fine).",
        code="control-character",
    )


def _without(data: Any, places: list[Parts]) -> Any:
    """``data`` with the value at each place replaced by ``None``, copying only what changes."""
    if not places:
        return data
    if () in places:
        return None
    heads: dict[Any, list[Parts]] = {}
    for parts in places:
        heads.setdefault(parts[0], []).append(parts[1:])
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    for head, rests in heads.items():
        copy[head] = _without(copy[head], rests)
    return copy


# The schema ---------------------------------------------------------------


@cache
def _fast_validator() -> Any:
    return jsonschema_rs.Draft202012Validator(_schema.schema(), validate_formats=True)


def is_schema_valid(data: Any) -> bool:
    """Whether ``data`` satisfies the schema, answered by the fast validator."""
    try:
        return bool(_fast_validator().is_valid(data))
    except (ValueError, RecursionError):
        # jsonschema-rs refuses values that are not JSON (say, a tuple);
        # let the detailed validator say what is wrong.
        return False


def schema_problems(data: Any) -> list[Problem]:
    """Problems the JSON Schema finds, in words."""
    if is_schema_valid(data):
        return []
    try:
        found = [
            (prefix, error)
            for prefix, validator, part in _failing_parts(data)
            for error in validator.iter_errors(part)
        ]
    except RecursionError:
        return [Problem("$", "The data is nested too deeply to be a dataset.", code="too-deep")]
    out: list[Problem] = []
    for prefix, error in found:
        out.extend(
            attrs.evolve(p, message=p.message[:1].upper() + p.message[1:])
            for p in _describe(error, prefix)
        )
    if not out:
        # The two validators read some corner of a format differently. The
        # fast one has the last word, so the verdict never depends on which
        # one ran: report what it found, in its own words.
        out = [
            Problem(json_path(e.instance_path), f"{shorten(e.message, 200)}.", code="invalid")
            for e in _fast_validator().iter_errors(data)
        ]
    return out


#: The dataset's lists of records; the schema says nothing of a list as a
#: whole (no minItems, no uniqueItems), so each record is checked on its own.
_SECTIONS = tuple(section.name for section in kinds.SECTIONS)


def _failing_parts(data: Any) -> list[tuple[Parts, Any, Any]]:
    """The parts of invalid ``data`` to describe in detail: (path, validator, value).

    The detailed validator (jsonschema) takes minutes over 100,000 records,
    so it reads only what the fast one found wrong: each record holding an
    error, against the schema of its list's items, and, for an error outside
    the records, the top level with its lists of records left empty. Its
    findings there are the very ones it would make reading the whole
    dataset, as an error in one record depends on nothing outside it; the
    work grows with the problems, not with the data.
    """
    whole: list[tuple[Parts, Any, Any]] = [((), _schema.validator(), data)]
    if not isinstance(data, dict) or not all(
        isinstance(data[section], list) for section in _SECTIONS if section in data
    ):
        return whole
    try:
        paths = dict.fromkeys(
            tuple(e.instance_path[:2]) for e in _fast_validator().iter_errors(data)
        )
    except (ValueError, RecursionError):
        return whole  # not JSON data: the detailed validator reads it all
    parts: list[tuple[Parts, Any, Any]] = []
    if any(len(p) < 2 for p in paths):
        top = {k: [] if k in _SECTIONS else v for k, v in data.items()}
        parts.append(((), _schema.validator(), top))
    for path in (p for p in paths if len(p) == 2):
        section, index = path
        if section not in _SECTIONS or type(index) is not int:
            return whole  # not a record: never expected, and never wrong to read it all
        parts.append((path, _record_validator(str(section)), data[str(section)][index]))
    return parts


@cache
def _record_validator(section: str) -> Any:
    # Shares the dataset validator's registry, so "#/$defs/..." resolves as before.
    return _schema.validator().evolve(schema=_schema.schema()["properties"][section]["items"])


def _describe(error: jsonschema.ValidationError, prefix: Parts = ()) -> Iterator[Problem]:
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
            f"Expected {_kind_phrase(subschema.get('type'))} here, found {_describe_value(value)}.",
            code="wrong-type",
        )
    elif kind == "enum":
        options = ", ".join(str(o) for o in subschema.get("enum", []))
        hint = close_match(value, [str(o) for o in subschema.get("enum", [])])
        yield Problem(
            where,
            f"{_describe_value(value)} is not an allowed value{hint}; choose one of: {options}.",
            code="not-allowed",
        )
    elif kind == "const":
        if parts == ("schema_version",):
            message = (
                f"Schema version {_echo(value)} is not supported; "
                f"this storyfacts reads version {_schema.SCHEMA_VERSION}."
            )
        else:
            message = f"Expected {subschema.get('const')!r} here, found {_describe_value(value)}."
        yield Problem(where, message, code="not-allowed")
    elif kind == "pattern":
        title = str(subschema.get("title", "value")).lower()
        rule = subschema.get("description", f"it must match {subschema.get('pattern')}")
        yield Problem(
            where, f"{_describe_value(value)} is not a valid {title}. {rule}", code="bad-form"
        )
    elif kind == "format":
        fmt = subschema.get("format")
        yield Problem(
            where,
            f"{_describe_value(value)} is not a valid {_FORMAT_WORDS.get(str(fmt), fmt)}.",
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
            f"{_describe_value(value)} is too small; "
            f"the least allowed is {subschema.get('minimum')}.",
            code="too-small",
        )
    elif kind == "maximum":
        yield Problem(
            where,
            f"{_describe_value(value)[:1].upper()}{_describe_value(value)[1:]} is too large; "
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
        return _describe_value(value).removeprefix("the number ")
    return _describe_value(value)


# About 60 decimal digits, like the excerpt of a text.
_LONGEST_ECHOED_NUMBER = 200


def _describe_value(value: Any) -> str:
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
