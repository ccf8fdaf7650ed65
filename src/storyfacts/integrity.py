"""Checks beyond the JSON Schema: what a schema cannot say about a dataset.

Ids are unique across the dataset; every reference names an existing record
of a kind the field allows; evidence text really is at its offsets; quotes
appear in their evidence; partial dates are real dates in their precision;
events do not end before they start; whole numbers are written as whole
numbers. These run on plain data, safely on data that failed the schema.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

from . import kinds, references
from .errors import Problem, excerpt, json_path
from .model import PartialDate, modified_moment
from .passages import SearchBudget, evidence_problems
from .schema import LARGEST_WHOLE_NUMBER
from .suggestions import IdSuggestions, hint

__all__ = ["semantic_problems", "shorten"]

Parts = tuple[str | int, ...]


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_DATE_SHAPES = {
    "year": re.compile(r"^\d{4}$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "week": re.compile(r"^\d{4}-W\d{2}$"),
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
}


def _records(data: Any) -> Iterator[tuple[Parts, str, str, dict[str, Any]]]:
    """Yield (path, kind, schema definition, record) for every record that is an object.

    A record whose type is missing or unknown is checked as far as the fields
    its section's records share.
    """
    if not isinstance(data, dict):
        return
    for section in kinds.SECTIONS:
        items = data.get(section.name)
        if not isinstance(items, list):
            continue
        for i, record in enumerate(items):
            if isinstance(record, dict):
                kind = section.kind_of(record)
                yield (section.name, i), kind, section.definition_of(kind), record


Path = tuple[str, ...]
_EACH: Path = (references.EACH,)


@functools.cache
def _fields(
    definition: str,
) -> tuple[tuple[tuple[str, Path, frozenset[str]], ...], tuple[tuple[str, Path], ...]]:
    """A definition's references (first field, rest of path, kinds) and dates (field, rest)."""
    refs = tuple(
        (ref.path[0], ref.path[1:], ref.targets) for ref in references.references(definition)
    )
    dates = tuple((path[0], path[1:]) for path in references.dates(definition))
    return refs, dates


def _values_at(value: Any, path: tuple[str, ...], parts: Parts) -> list[tuple[Parts, Any]]:
    """(path, value) of each value at ``path`` below ``value`` (``*``: each item of a list)."""
    # A loop rather than recursion: most records lack most optional fields,
    # and this runs for every reference of every record.
    found: list[tuple[Parts, Any]] = [(parts, value)]
    for step in path:
        following: list[tuple[Parts, Any]] = []
        for where, value in found:
            if step == references.EACH:
                if isinstance(value, list):
                    following.extend(((*where, i), item) for i, item in enumerate(value))
            elif isinstance(value, dict) and step in value:
                following.append(((*where, step), value[step]))
        if not following:
            return following
        found = following
    return found


def semantic_problems(data: Any) -> list[Problem]:
    """Problems the schema cannot see: ids, references, evidence and dates.

    Safe to call on data that failed the schema: whatever is malformed is
    skipped here, since the schema already reported it.
    """
    out: list[Problem] = _modified_problems(data)
    kind_of_id: dict[str, str] = {}
    first_seen: dict[str, Parts] = {}
    records = list(_records(data))
    for parts, kind, _, record in records:
        rid = record.get("id")
        if not isinstance(rid, str):
            continue
        if rid in first_seen:
            out.append(
                Problem(
                    json_path((*parts, "id")),
                    f"The id {excerpt(rid)} is already used by {json_path(first_seen[rid])}; "
                    "ids must be unique in the dataset.",
                    code="duplicate-id",
                )
            )
        else:
            first_seen[rid] = parts
            kind_of_id[rid] = kind
    bodies = {
        r["id"]: r["body"]
        for _, kind, _, r in records
        if kind == "article" and isinstance(r.get("id"), str) and isinstance(r.get("body"), str)
    }
    ref_check = _reference_checker(kind_of_id, out)
    budget = SearchBudget()
    # Each check below first asks, inline, whether the value is plainly fine
    # (a known id of an allowed kind, a real date, evidence found at its
    # offsets), which nearly every value is; only otherwise is the check
    # called, with its path built, to say what is wrong. The inline test only
    # skips values on which the check would find nothing.
    known = kind_of_id.get
    for parts, kind, definition, record in records:
        # Which fields refer and which hold dates is the schema's to say.
        refs, dates = _fields(definition)
        for head, rest, allowed in refs:
            # Most records lack most optional fields: look before walking.
            value = record.get(head)
            if value is None:
                continue
            if not rest:
                if type(value) is not str or known(value) not in allowed:
                    ref_check((*parts, head), value, allowed)
            elif rest == _EACH and isinstance(value, list):
                for i, item in enumerate(value):
                    if type(item) is not str or known(item) not in allowed:
                        ref_check((*parts, head, i), item, allowed)
            elif len(rest) == 2 and rest[0] == references.EACH and isinstance(value, list):
                # A field of each object in a list, such as each evidence passage's article.
                field = rest[1]
                for i, item in enumerate(value):
                    if isinstance(item, dict) and field in item:
                        target = item[field]
                        if type(target) is not str or known(target) not in allowed:
                            ref_check((*parts, head, i, field), target, allowed)
            else:
                for where, item in _values_at(value, rest, (*parts, head)):
                    ref_check(where, item, allowed)
        for head, rest in dates:
            value = record.get(head)
            if value is None:
                continue
            for where, date in _values_at(value, rest, (*parts, head)):
                if isinstance(date, dict) and not _is_real_date(date):
                    out.extend(_date_problems(where, date))
        evidence = record.get("evidence")
        if isinstance(evidence, list):
            for i, item in enumerate(evidence):
                if isinstance(item, dict) and not _is_found(item, bodies):
                    out.extend(_whole_number_problems((*parts, "evidence", i), item, _OFFSETS))
                    out.extend(_evidence_problems((*parts, "evidence", i), item, bodies, budget))
        if kind == "decision":
            out.extend(_whole_number_problems(parts, record, _VOTES))
        if kind == "quote":
            out.extend(_quote_problems(parts, record))
        if kind == "event":
            out.extend(_event_order_problems(parts, record))
    return out


def _reference_checker(
    kind_of_id: dict[str, str], out: list[Problem]
) -> Callable[[Parts, Any, frozenset[str]], None]:
    suggestions = IdSuggestions(kind_of_id)

    def check(parts: Parts, value: Any, allowed: frozenset[str]) -> None:
        if not isinstance(value, str):
            return
        kind = kind_of_id.get(value)
        if kind is None:
            meant = hint(suggestions.suggest(value, allowed))
            out.append(
                Problem(
                    json_path(parts),
                    f"No record has the id {excerpt(value)}{meant}; "
                    f"refer to an existing {_or_list(allowed)}.",
                    code="dangling-reference",
                )
            )
        # A record of unknown kind has its type reported already; do not pile on.
        elif kind not in allowed and kind in kinds.NAMES:
            out.append(
                Problem(
                    json_path(parts),
                    f"{excerpt(value)} is {_a(kind)}, "
                    f"but this field must refer to {_a(_or_list(allowed))}.",
                    code="wrong-reference",
                )
            )

    return check


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _or_list(allowed: frozenset[str]) -> str:
    names = sorted(allowed)
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


# RFC 3339's shape: only a value of this shape is read here; any other is the
# schema's to refuse (as not a date-time), and is not reported twice.
_RFC_3339 = re.compile(r"^(\d{4})(-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d))$", re.I)
_TIMESTAMPS = "timestamps run from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"


def _modified_problems(data: Any) -> list[Problem]:
    """A valid-looking ``modified`` that no Python datetime can hold in UTC.

    RFC 3339 allows the year 0000 and, with an offset, moments past either end
    of Python's calendar (``9999-12-31T23:59:59-05:00`` is 10000-01-01 in
    UTC). Every export needs the time in UTC (an iCalendar DTSTAMP cannot
    say such a time at all), so refusing it here gives one verdict, and no
    export writes a time other than the one given.
    """
    value = data.get("modified") if isinstance(data, dict) else None
    if not isinstance(value, str):
        return []
    shape = _RFC_3339.match(value)
    if shape is None:
        return []
    try:
        # Read with year 2000 (a leap year, as 0000 is) to check the rest first.
        modified_moment(f"2000{shape.group(2)}")
        if shape.group(1) == "0000":
            reason = "the year 0000 cannot be represented (there is no year 0)"
        else:
            modified_moment(value).astimezone(dt.UTC)
            return []
    except ValueError:
        return []  # not a real date or time: the schema says so
    except OverflowError:
        edge = "after the year 9999" if value[:4] == "9999" else "before the year 0001"
        reason = f"in UTC this falls {edge}, which cannot be represented"
    return [
        Problem(
            "$.modified",
            f"{excerpt(value)}: {reason}; {_TIMESTAMPS}.",
            code="bad-date",
        )
    ]


def _is_real_date(date: dict[str, Any]) -> bool:
    """Whether :func:`_date_problems` finds nothing in ``date``, asked once per value."""
    value, precision = date.get("value"), date.get("precision")
    return type(value) is str and type(precision) is str and _real_date(value, precision)


@functools.lru_cache(maxsize=4096)
def _real_date(value: str, precision: str) -> bool:
    # Datasets repeat a few hundred dates many times over.
    return not _date_problems((), {"value": value, "precision": precision})


def _date_problems(parts: Parts, date: dict[str, Any]) -> list[Problem]:
    value, precision = date.get("value"), date.get("precision")
    if not isinstance(value, str) or precision not in _DATE_SHAPES:
        return []
    if not _DATE_SHAPES[precision].match(value):
        return [
            Problem(
                json_path((*parts, "value")),
                f"{excerpt(value)} does not match precision {precision!r}; write "
                + {"year": "YYYY", "month": "YYYY-MM", "week": "YYYY-Www", "day": "YYYY-MM-DD"}[
                    precision
                ]
                + " or change the precision.",
                code="precision-mismatch",
            )
        ]
    if precision == "week":
        return _week_problems(parts, value)
    pieces = [int(p) for p in value.split("-")]
    if pieces[0] == 0:
        return [
            Problem(
                json_path((*parts, "value")), f"{value!r}: there is no year 0.", code="bad-date"
            )
        ]
    if len(pieces) >= 2 and not 1 <= pieces[1] <= 12:
        return [
            Problem(
                json_path((*parts, "value")),
                f"{value!r} has no month {pieces[1]}.",
                code="bad-date",
            )
        ]
    if len(pieces) == 3 and not 1 <= pieces[2] <= calendar.monthrange(pieces[0], pieces[1])[1]:
        return [
            Problem(
                json_path((*parts, "value")),
                f"{value!r} is not a real date: that month has no day {pieces[2]}.",
                code="bad-date",
            )
        ]
    return []


def _week_problems(parts: Parts, value: str) -> list[Problem]:
    year, week = int(value[:4]), int(value[6:])
    # A year has 53 ISO weeks when 28 December falls in week 53.
    weeks = 0 if year == 0 else dt.date(year, 12, 28).isocalendar().week
    if year == 0 or not 1 <= week <= weeks:
        return [
            Problem(
                json_path((*parts, "value")),
                f"{excerpt(value)} is not a real ISO week: "
                + ("there is no year 0." if year == 0 else f"{year} has weeks 1 to {weeks}."),
                code="bad-date",
            )
        ]
    return []


# The fields the schema types "integer". JSON Schema counts 3.0 and 1e2 as
# integers too, but the model holds Python ints, which 3.0 is not; refusing
# them here gives one verdict: what validates also loads and exports, and a
# dataset loaded and dumped comes back as written. A test keeps these in step
# with the schema.
_OFFSETS = ("start", "end")
_VOTES = ("votes_for", "votes_against", "votes_abstaining")


def _whole_number_problems(
    parts: Parts, record: dict[str, Any], fields: tuple[str, ...]
) -> Iterator[Problem]:
    for field in fields:
        value = record.get(field)
        # Only integral floats in range: the schema reports 2.5 as not a
        # whole number, and -1.0 or 1e20 as out of range.
        if type(value) is float and 0 <= value <= LARGEST_WHOLE_NUMBER and value.is_integer():
            yield Problem(
                json_path((*parts, field)),
                f"Write this whole number without a decimal point or exponent "
                f"({int(value)}, not {value!r}).",
                code="not-whole",
            )


def _is_found(item: dict[str, Any], bodies: dict[str, str]) -> bool:
    """Whether an evidence passage is plainly right: whole-number offsets, its text at them.

    When it is, and it gives no context (prefix or suffix) to check, neither
    :func:`_whole_number_problems` nor :func:`_evidence_problems` has anything
    to say about it.
    """
    start, end, article, text = (
        item.get("start"),
        item.get("end"),
        item.get("article"),
        item.get("text"),
    )
    if type(start) is not int or type(end) is not int or type(article) is not str:
        return False
    if "prefix" in item or "suffix" in item:
        return False
    body = bodies.get(article)
    return body is not None and 0 <= start < end <= len(body) and body[start:end] == text


def _evidence_problems(
    parts: Parts, item: dict[str, Any], bodies: dict[str, str], budget: SearchBudget
) -> list[Problem]:
    article = item.get("article")
    body = bodies.get(article) if isinstance(article, str) else None
    if body is None:
        return []
    return evidence_problems(parts, item, body, budget)


def _quote_problems(parts: Parts, record: dict[str, Any]) -> list[Problem]:
    text, evidence = record.get("text"), record.get("evidence")
    if not isinstance(text, str) or not isinstance(evidence, list):
        return []
    texts = [e.get("text") for e in evidence if isinstance(e, dict)]
    if any(isinstance(t, str) and text in t for t in texts):
        return []
    return [
        Problem(
            json_path((*parts, "text")),
            "The quote text does not appear word for word in any of its evidence; "
            "quote the article exactly.",
            code="quote-mismatch",
        )
    ]


def _event_order_problems(parts: Parts, record: dict[str, Any]) -> list[Problem]:
    start, end = record.get("start"), record.get("end")
    if not isinstance(start, dict) or not isinstance(end, dict):
        return []
    if _date_problems(parts, start) or _date_problems(parts, end):
        return []
    try:
        first = PartialDate(value=start["value"], precision=start["precision"]).earliest()
        last = PartialDate(value=end["value"], precision=end["precision"]).latest()
    except (KeyError, TypeError, ValueError):
        return []
    if last < first:
        return [
            Problem(
                json_path((*parts, "end")),
                f"The event ends ({end['value']}) before it starts ({start['value']}).",
                code="end-before-start",
            )
        ]
    return []
