"""Checking a dataset: the JSON Schema first, then what a schema cannot say.

:func:`problems` returns every problem found, each with the JSON path of the
offending value and one sentence a person can act on, sorted by path.

Large valid datasets take a fast path: ``jsonschema-rs`` answers "valid or
not" quickly, and the detailed report from ``jsonschema`` is built only when
the answer is "not valid", and then only over the records the fast one found
wrong (see ``_failing_parts``). A differential test keeps the two in
agreement, and the report the same as one read from the whole dataset.

The same checks run one record at a time for a dataset read as a stream
(:class:`RecordSchema`, and :mod:`storyfacts.streaming`). What no file can
hold is in :mod:`storyfacts.storage`, the words of a schema error in
:mod:`storyfacts.schema_words`, and the checks a schema cannot make in
:mod:`storyfacts.integrity`.
"""

from __future__ import annotations

import contextlib
from functools import cache
from typing import TYPE_CHECKING, Any

import attrs

from . import kinds
from . import schema as _schema
from .errors import Problem, json_path, sort_problems
from .integrity import semantic_problems, shorten
from .storage import storage_problems

if TYPE_CHECKING:
    import jsonschema_rs
else:
    jsonschema_rs = _schema.import_jsonschema_rs()

__all__ = [
    "RecordSchema",
    "problems",
    "schema_problems",
    "semantic_problems",
    "storage_problems",
    "top_level",
]

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
    from .schema_words import describe_error  # words for what is wrong: valid data needs none

    out: list[Problem] = []
    for prefix, error in found:
        out.extend(
            attrs.evolve(p, message=p.message[:1].upper() + p.message[1:])
            for p in describe_error(error, prefix)
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


# One record at a time --------------------------------------------------------


def top_level(data: dict[str, Any]) -> dict[str, Any]:
    """The top level of a dataset with its lists of records emptied, as the schema reads it."""
    return {k: [] if k in _SECTIONS else v for k, v in data.items()}


@cache
def _fast_record_validator(section: str) -> Any:
    definition = _schema.schema()["properties"][section]["items"]
    # The dataset schema's definitions with the records' own at the top, so
    # that "#/$defs/..." resolves as in the whole schema.
    whole = _schema.schema()
    record_schema = {k: whole[k] for k in ("$schema", "$id", "$defs")} | definition
    return jsonschema_rs.Draft202012Validator(record_schema, validate_formats=True)


@cache
def _fast_records_validator(section: str) -> Any:
    # A list of the section's records: one call for a batch of them.
    definition = _schema.schema()["properties"][section]
    whole = _schema.schema()
    return jsonschema_rs.Draft202012Validator(
        {k: whole[k] for k in ("$schema", "$id", "$defs")} | definition, validate_formats=True
    )


@attrs.define
class RecordSchema:
    """The schema checks of a dataset given part by part: its top level, then each record.

    :meth:`finish` gives what :func:`schema_problems` gives for the whole
    dataset: each record is checked against its list's items, as
    ``_failing_parts`` does, and the two corner cases of the whole-dataset
    report (too deep to describe; the fast validator's own words when the
    detailed one finds nothing) are decided over the whole stream.
    """

    found: list[Problem] = attrs.Factory(list)
    #: The fast validator's words for each record the detailed one found nothing in.
    unexplained: list[Problem] = attrs.Factory(list)
    _too_deep: bool = False

    def top(self, data: dict[str, Any]) -> None:
        """Check the top level, ``data`` with its lists of records emptied."""
        if is_schema_valid(data):
            return
        self._describe((), _schema.validator(), _fast_validator(), data)

    def record(self, section: str, index: int, record: Any) -> None:
        """Check one record of ``section`` at ``index``."""
        fast = _fast_record_validator(section)
        try:
            if fast.is_valid(record):
                return
        except (ValueError, RecursionError):
            pass  # not JSON data: the detailed validator says what is wrong
        self._describe((section, index), _record_validator(section), fast, record)

    def all_valid(self, section: str, records: list[Any]) -> bool:
        """Whether every one of these records of ``section`` is valid, asked in one call."""
        try:
            return bool(_fast_records_validator(section).is_valid(records))
        except (ValueError, RecursionError):
            return False  # each record is asked on its own, which says which

    def _describe(self, prefix: Parts, detailed: Any, fast: Any, value: Any) -> None:
        try:
            errors = list(detailed.iter_errors(value))
        except RecursionError:
            self._too_deep = True
            return
        from .schema_words import describe_error  # words for what is wrong: valid data needs none

        found = [
            attrs.evolve(p, message=p.message[:1].upper() + p.message[1:])
            for error in errors
            for p in describe_error(error, prefix)
        ]
        if found:
            self.found.extend(found)
            return
        with contextlib.suppress(ValueError, RecursionError):
            self.unexplained.extend(
                Problem(
                    json_path((*prefix, *e.instance_path)),
                    f"{shorten(e.message, 200)}.",
                    code="invalid",
                )
                for e in fast.iter_errors(value)
            )

    def finish(self) -> list[Problem]:
        """Every schema problem found, as :func:`schema_problems` reports the whole dataset."""
        if self._too_deep:
            return [Problem("$", "The data is nested too deeply to be a dataset.", code="too-deep")]
        return self.found or self.unexplained
