"""Checks beyond the JSON Schema: what a schema cannot say about a dataset.

Ids are unique across the dataset; every reference names an existing record
of a kind the field allows; evidence text really is at its offsets; quotes
appear in their evidence; partial dates are real dates in their precision
(see :mod:`storyfacts.date_checks`); events do not end before they start; whole
numbers are written as whole numbers. These run on plain data, safely on
data that failed the schema.

:class:`IntegrityCheck` takes the records one at a time, in dataset order,
so that a corpus too big for memory can be checked as a stream
(:mod:`storyfacts.streaming`); :func:`semantic_problems` runs it over a
whole dataset held in memory. Both give the same problems.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from . import kinds, references
from .date_checks import date_problems, event_order_problems, is_real_date, modified_problems
from .errors import Problem, excerpt, json_path
from .passages import SearchBudget, evidence_problems
from .schema import LARGEST_WHOLE_NUMBER
from .suggestions import IdSuggestions, hint

__all__ = ["IntegrityCheck", "semantic_problems", "shorten"]

Parts = tuple[str | int, ...]
#: A reference to an id not yet seen: where it stands, the id, the kinds it may name,
#: and the location its problem would carry (a corpus's file and line).
Deferred = tuple[Parts, str, frozenset[str], str | None]


class DeferredStore(Protocol):
    """Where references wait for their ids: a list, or a file (see storyfacts.streaming)."""

    def append(self, item: Deferred, /) -> None: ...

    def __iter__(self) -> Iterator[Deferred]: ...


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def records(data: Any) -> Iterator[tuple[Parts, str, str, dict[str, Any]]]:
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


def semantic_problems(data: Any) -> list[Problem]:
    """Problems the schema cannot see: ids, references, evidence and dates.

    Safe to call on data that failed the schema: whatever is malformed is
    skipped here, since the schema already reported it.
    """
    found = list(records(data))
    bodies = {
        r["id"]: r["body"]
        for _, kind, _, r in found
        if kind == "article" and isinstance(r.get("id"), str) and isinstance(r.get("body"), str)
    }
    check = IntegrityCheck(bodies)
    check.header(data)
    # Every id is known before any reference is read, so none waits.
    for parts, kind, _, record in found:
        check.index(parts, kind, record)
    for parts, kind, definition, record in found:
        check.check(parts, kind, definition, record)
    return check.finish()


# The index keeps one int per id: its kind, its section and its place there.
_SECTION_NAMES = tuple(section.name for section in kinds.SECTIONS)
_KIND_NAMES = ("", *sorted(kinds.NAMES))  # "": a kind storyfacts does not know
_KIND_CODE = {name: code for code, name in enumerate(_KIND_NAMES)}
_KIND_BITS, _SECTION_BITS = 8, 4
_KIND_MASK = (1 << _KIND_BITS) - 1
#: No kind's code: what the inline tests read for an id not in the index.
_UNKNOWN = _KIND_MASK


Path = tuple[str, ...]
_EACH: Path = (references.EACH,)


@functools.cache
def _fields(
    definition: str,
) -> tuple[
    tuple[tuple[str, Path, frozenset[str], frozenset[int]], ...], tuple[tuple[str, Path], ...]
]:
    """A definition's references (first field, rest of path, kinds and their codes in the
    index) and dates (field, rest)."""
    refs = tuple(
        (ref.path[0], ref.path[1:], ref.targets, frozenset(_KIND_CODE[k] for k in ref.targets))
        for ref in references.references(definition)
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


def _packed(kind: str, parts: Parts) -> int:
    section, index = parts
    return (
        (int(index) << (_KIND_BITS + _SECTION_BITS))
        | (_SECTION_NAMES.index(str(section)) << _KIND_BITS)
        | _KIND_CODE.get(kind, 0)
    )


def _place(packed: int) -> Parts:
    section = (packed >> _KIND_BITS) & ((1 << _SECTION_BITS) - 1)
    return _SECTION_NAMES[section], packed >> (_KIND_BITS + _SECTION_BITS)


class _Kinds(Mapping[str, str]):
    """The index read as id -> kind, as :class:`IdSuggestions` asks."""

    def __init__(self, index: dict[str, int]) -> None:
        self._index = index

    def __getitem__(self, rid: str) -> str:
        return _KIND_NAMES[self._index[rid] & _KIND_MASK]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


class IntegrityCheck:
    """The integrity checks, fed one record at a time in dataset order.

    :meth:`index` records each id (its kind and first place, one int in an
    index: the only memory that grows with the records); :meth:`check`
    checks a record; :meth:`finish` returns every problem. A reference to an
    id not yet indexed waits in ``deferred`` (a list, or anything that can
    be appended to and read back in order, such as a file) until
    :meth:`finish`, when every id is known. ``bodies`` gives each article's
    body by id, for the evidence; every article must be checked (indexed)
    before any evidence that cites it.
    """

    def __init__(
        self,
        bodies: Mapping[str, str],
        deferred: DeferredStore | None = None,
    ) -> None:
        self.problems: list[Problem] = []
        #: The location a reference that waits will carry (a corpus's file and line).
        self.place: str | None = None
        self._index: dict[str, int] = {}
        self._bodies = bodies
        self._deferred: DeferredStore = [] if deferred is None else deferred
        self._budget = SearchBudget()

    def header(self, data: Any) -> None:
        """Check the dataset's top level (its ``modified`` time)."""
        self.problems.extend(modified_problems(data))

    def index(self, parts: Parts, kind: str, record: dict[str, Any]) -> None:
        """Add a record's id to the index, or report it as a duplicate."""
        rid = record.get("id")
        if not isinstance(rid, str):
            return
        first = self._index.get(rid)
        if first is not None:
            self.problems.append(
                Problem(
                    json_path((*parts, "id")),
                    f"The id {excerpt(rid)} is already used by {json_path(_place(first))}; "
                    "ids must be unique in the dataset.",
                    code="duplicate-id",
                )
            )
        else:
            self._index[rid] = _packed(kind, parts)

    def _kind(self, rid: str) -> str | None:
        packed = self._index.get(rid)
        return None if packed is None else _KIND_NAMES[packed & _KIND_MASK]

    def check(self, parts: Parts, kind: str, definition: str, record: dict[str, Any]) -> None:
        """Check one record (already indexed): its references, dates and evidence."""
        out = self.problems
        refer = self._refer
        # The kind code of an id in the index, _UNKNOWN when it is not there (yet).
        known = self._index.get
        # Each check below first asks, inline, whether the value is plainly
        # fine (a known id of an allowed kind, a real date, evidence found at
        # its offsets), which nearly every value is; only otherwise is the
        # check called, with its path built, to say what is wrong. The inline
        # test only skips values on which the check would find nothing.
        refs, dates = _fields(definition)
        for head, rest, allowed, codes in refs:
            # Most records lack most optional fields: look before walking.
            value = record.get(head)
            if value is None:
                continue
            if not rest:
                if type(value) is not str or known(value, _UNKNOWN) & _KIND_MASK not in codes:
                    refer((*parts, head), value, allowed)
            elif rest == _EACH and isinstance(value, list):
                for i, item in enumerate(value):
                    if type(item) is not str or known(item, _UNKNOWN) & _KIND_MASK not in codes:
                        refer((*parts, head, i), item, allowed)
            elif len(rest) == 2 and rest[0] == references.EACH and isinstance(value, list):
                # A field of each object in a list, such as each evidence passage's article.
                field = rest[1]
                for i, item in enumerate(value):
                    if isinstance(item, dict) and field in item:
                        target = item[field]
                        code = known(target, _UNKNOWN) if type(target) is str else _UNKNOWN
                        if code & _KIND_MASK not in codes:
                            refer((*parts, head, i, field), target, allowed)
            else:
                for where, item in _values_at(value, rest, (*parts, head)):
                    refer(where, item, allowed)
        for head, rest in dates:
            value = record.get(head)
            if value is None:
                continue
            for where, date in _values_at(value, rest, (*parts, head)):
                if isinstance(date, dict) and not is_real_date(date):
                    out.extend(date_problems(where, date))
        evidence = record.get("evidence")
        if isinstance(evidence, list):
            for i, item in enumerate(evidence):
                if isinstance(item, dict) and not _is_found(item, self._bodies):
                    out.extend(_whole_number_problems((*parts, "evidence", i), item, _OFFSETS))
                    out.extend(self._evidence_problems((*parts, "evidence", i), item))
        if kind == "decision":
            out.extend(_whole_number_problems(parts, record, _VOTES))
        if kind == "quote":
            out.extend(_quote_problems(parts, record))
        if kind == "event":
            out.extend(event_order_problems(parts, record))

    def _refer(self, parts: Parts, value: Any, allowed: frozenset[str]) -> None:
        if not isinstance(value, str):
            return
        kind = self._kind(value)
        if kind is None:
            # Not seen yet: it may come later in the stream.
            self._deferred.append((parts, value, allowed, self.place))
        else:
            self._wrong_kind(parts, value, kind, allowed, self.place)

    def _wrong_kind(
        self, parts: Parts, value: str, kind: str, allowed: frozenset[str], place: str | None
    ) -> None:
        # A record of unknown kind has its type reported already; do not pile on.
        if kind not in allowed and kind in kinds.NAMES:
            self.problems.append(
                Problem(
                    json_path(parts),
                    f"{excerpt(value)} is {_a(kind)}, "
                    f"but this field must refer to {_a(_or_list(allowed))}.",
                    code="wrong-reference",
                    location=place,
                )
            )

    def _evidence_problems(self, parts: Parts, item: dict[str, Any]) -> list[Problem]:
        article = item.get("article")
        body = self._bodies.get(article) if isinstance(article, str) else None
        if body is None:
            return []
        return evidence_problems(parts, item, body, self._budget)

    def finish(self) -> list[Problem]:
        """Settle the references that waited, and return every problem found."""
        suggestions = IdSuggestions(_Kinds(self._index))
        for parts, value, allowed, place in self._deferred:
            kind = self._kind(value)
            if kind is not None:
                self._wrong_kind(parts, value, kind, allowed, place)
                continue
            meant = hint(suggestions.suggest(value, allowed))
            self.problems.append(
                Problem(
                    json_path(parts),
                    f"No record has the id {excerpt(value)}{meant}; "
                    f"refer to an existing {_or_list(allowed)}.",
                    code="dangling-reference",
                    location=place,
                )
            )
        return self.problems


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _or_list(allowed: frozenset[str]) -> str:
    names = sorted(allowed)
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


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


def _is_found(item: dict[str, Any], bodies: Mapping[str, str]) -> bool:
    """Whether an evidence passage is plainly right: whole-number offsets, its text at them.

    When it is, and it gives no context (prefix or suffix) to check, neither
    :func:`_whole_number_problems` nor :func:`evidence_problems` has anything
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
