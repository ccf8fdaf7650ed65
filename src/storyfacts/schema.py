"""The one JSON Schema of a storyfacts dataset, and validators built from it.

References resolve through a local :class:`referencing.Registry` that holds
the bundled schema; any other URI is refused, so validation never touches the
network.

jsonschema is imported only when a detailed report is wanted (the fast path
answers "valid" without it), and then without compiling the IRI grammars of
``rfc3987_syntax`` that the schema never asks for: see :func:`_import_jsonschema`.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import re
import sys
from collections.abc import Iterator
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from . import _resources

if TYPE_CHECKING:
    import datetime as dt

    import referencing
    from jsonschema import Draft202012Validator, FormatChecker, ValidationError

__all__ = [
    "LARGEST_WHOLE_NUMBER",
    "SCHEMA_VERSION",
    "import_jsonschema_rs",
    "registry",
    "schema",
    "validator",
]

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
    import referencing.exceptions

    raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]


@cache
def registry() -> referencing.Registry[Any]:
    """A registry holding the bundled schema; it never retrieves anything remote."""
    import referencing
    from referencing.jsonschema import DRAFT202012

    resource = DRAFT202012.create_resource(schema())
    empty: referencing.Registry[Any] = referencing.Registry(retrieve=_refuse)  # type: ignore[call-arg]
    found: referencing.Registry[Any] = empty.with_resource(schema()["$id"], resource)
    return found


# The IRI formats jsonschema checks with rfc3987_syntax, whose import compiles
# some 39 lark grammars (1-2 s) whether or not any IRI is ever checked.
_IRI_FORMATS = {"iri": "iri", "iri-reference": "iri_reference"}


def _import_jsonschema() -> None:
    """Import jsonschema with its IRI checks registered lazily rather than at import.

    jsonschema's format module imports rfc3987_syntax, when it is installed
    and the GPL ``rfc3987`` is not, only to register the "iri" and
    "iri-reference" checks. It is hidden for the length of that import, then
    the same two checks are registered on the same format checkers (Draft 7,
    2019-09 and 2020-12, and the class-wide defaults), each importing
    rfc3987_syntax the first time it runs, so every format check jsonschema
    would make is still made, by anyone in the process, and the grammars are
    compiled only for data that has an IRI to check.
    """
    if "jsonschema" in sys.modules:
        return
    import importlib.util

    hide = (
        "rfc3987_syntax" not in sys.modules
        and importlib.util.find_spec("rfc3987") is None
        and importlib.util.find_spec("rfc3987_syntax") is not None
    )
    if hide:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    try:
        import jsonschema
    finally:
        if hide and sys.modules.get("rfc3987_syntax", ...) is None:
            del sys.modules["rfc3987_syntax"]
    if not hide:
        return
    checkers = [
        jsonschema.Draft7Validator.FORMAT_CHECKER,
        jsonschema.Draft201909Validator.FORMAT_CHECKER,
        jsonschema.Draft202012Validator.FORMAT_CHECKER,
    ]
    for name, rule in _IRI_FORMATS.items():
        check = _iri_check(rule)
        for checker in checkers:
            checker.checks(name, raises=ValueError)(check)
        jsonschema.FormatChecker.checkers.setdefault(name, (check, ValueError))


def _iri_check(rule: str) -> Any:
    def check(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        from rfc3987_syntax import is_valid_syntax  # type: ignore[import-untyped]

        return bool(is_valid_syntax(rule, instance))

    check.__name__ = f"is_{rule}"
    return check


def import_jsonschema_rs() -> ModuleType:
    """Import jsonschema_rs (the fast validator) without importing ``email.utils``.

    Its extension module imports ``email.utils`` when it loads, only to turn
    the time it was built at into a datetime (``__build__["info-time"]``),
    and ``email.utils`` brings ``socket``, ``random``, ``urllib.parse`` and
    the mail codecs: about 1 MiB of the 30 MiB that ``storyfacts validate``
    may take for a 10 MB file (issue 11). For the length of that import a
    stand-in answers for ``email.utils``: its ``parsedate_to_datetime``
    computes the same datetime with the same parser (``email._parseaddr``),
    and anything else asked of it is taken from the real module, imported
    then, so a jsonschema_rs that asks more still gets it.
    """
    if "jsonschema_rs" in sys.modules or "email.utils" in sys.modules:
        import jsonschema_rs

        return jsonschema_rs
    with _email_utils_stand_in():
        import jsonschema_rs
    return jsonschema_rs


@contextlib.contextmanager
def _email_utils_stand_in() -> Iterator[None]:
    """``email.utils`` answered, while it lasts, by a stand-in (see import_jsonschema_rs)."""
    stand_in = ModuleType("email.utils")

    def real(name: str) -> Any:
        if sys.modules.get("email.utils") is stand_in:
            del sys.modules["email.utils"]
        return getattr(importlib.import_module("email.utils"), name)

    stand_in.parsedate_to_datetime = _parsedate_to_datetime  # type: ignore[attr-defined]
    stand_in.__getattr__ = real  # type: ignore[method-assign]
    sys.modules["email.utils"] = stand_in
    try:
        yield
    finally:
        if sys.modules.get("email.utils") is stand_in:
            del sys.modules["email.utils"]


def _parsedate_to_datetime(data: str) -> dt.datetime:
    # email.utils.parsedate_to_datetime as Python 3.11 to 3.13 write it.
    import datetime as dt
    from email._parseaddr import _parsedate_tz  # type: ignore[import-not-found]

    parsed: list[Any] | None = _parsedate_tz(data)
    if parsed is None:
        raise ValueError(f'Invalid date value or format "{data}"')
    year, month, day, hour, minute, second, *_, offset = parsed
    moment = (year, month, day, hour, minute, second)
    if offset is None:
        return dt.datetime(*moment)
    return dt.datetime(*moment, tzinfo=dt.timezone(dt.timedelta(seconds=offset)))


_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns are ECMA-262 regular expressions, where "$" matches
    # only at the very end; Python's "$" also matches before a final newline.
    return re.compile(_UNESCAPED_DOLLAR.sub(r"\\Z", pattern))


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_LEAP = re.compile(r"^(.*T(\d\d):(\d\d)):60(\.\d+)?(Z|([+-])(\d\d):(\d\d))$")


def _date_time(instance: object) -> bool:
    # As jsonschema-rs reads RFC 3339: 't' and 'z' may be lower case, and a
    # leap second (second 60) is allowed at 23:59 UTC only, after the offset.
    # rfc3339-validator refuses lower case and every leap second, so it checks
    # the upper-cased text with a leap second read as second 59.
    import rfc3339_validator  # type: ignore[import-untyped]

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
    import rfc3986_validator  # type: ignore[import-untyped]

    if not isinstance(instance, str):
        return True
    if any(c.isspace() or ord(c) < 32 for c in instance):
        return False
    return bool(rfc3986_validator.validate_rfc3986(instance, rule="URI"))


def format_checker() -> FormatChecker:
    """The Draft 2020-12 format checker, with date-time and uri read as jsonschema-rs reads them."""
    import copy

    _import_jsonschema()
    from jsonschema import Draft202012Validator

    checker: FormatChecker = copy.deepcopy(Draft202012Validator.FORMAT_CHECKER)
    checker.checks("date-time")(_date_time)
    checker.checks("uri")(_uri)
    return checker


@cache
def validator() -> Draft202012Validator:
    """A Draft 2020-12 validator for whole datasets, with format checking on.

    Its ``pattern`` has ECMA-262 semantics, so that this validator and the
    fast one (jsonschema-rs) always agree.
    """
    _import_jsonschema()
    from jsonschema import Draft202012Validator, validators

    dataset_validator = validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"pattern": _pattern}
    )
    found: Draft202012Validator = dataset_validator(
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


def properties_of(name: str, *, follow_refs: bool = True) -> dict[str, dict[str, Any]]:
    """All properties a ``$defs`` entry allows, including those it takes through ``allOf``.

    Each property comes with its ``$ref`` resolved, so ``title`` and
    ``description`` are always at hand; ``follow_refs=False`` keeps each
    ``$ref`` as written instead (it is what marks a date, for instance).
    """
    node = definition(name)
    props: dict[str, dict[str, Any]] = {}
    for part in node.get("allOf", []):
        ref = part.get("$ref", "")
        if ref.startswith("#/$defs/"):
            props.update(properties_of(ref.removeprefix("#/$defs/"), follow_refs=follow_refs))
    for key, value in node.get("properties", {}).items():
        if key in props:
            props[key] = {**props[key], **value}
        else:
            props[key] = resolve(value) if follow_refs else dict(value)
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
