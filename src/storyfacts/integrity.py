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

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from . import kinds
from .date_checks import date_problems, event_order_problems, is_real_date, modified_problems
from .errors import Problem, excerpt, json_path
from .id_index import KIND_NAMES, UNKNOWN, IdIndex, Kinds
from .passages import SearchBudget, evidence_problems
from .reference_layout import FIELD, ITEM_FIELD, ITEMS, SUB_FIELD, fields, values_at
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
    yield from _located(data)


def _located(data: Any) -> list[tuple[Parts, str, str, dict[str, Any]]]:
    """What :func:`records` yields, as a list: each section's way of telling a
    record's kind is looked up once, not once per record."""
    found: list[tuple[Parts, str, str, dict[str, Any]]] = []
    if not isinstance(data, dict):
        return found
    for section in kinds.SECTIONS:
        items = data.get(section.name)
        if not isinstance(items, list):
            continue
        name = section.name
        if not section.typed:
            kind = section.category
            definition = section.definition_of(kind)
            found.extend(
                ((name, i), kind, definition, record)
                for i, record in enumerate(items)
                if isinstance(record, dict)
            )
            continue
        # As Section.kind_of and definition_of say, in one dict lookup a record.
        definitions = {k.name: k.definition for k in section.kinds}
        shared = section.shared
        for i, record in enumerate(items):
            if isinstance(record, dict):
                tag = record.get("type")
                if isinstance(tag, str):
                    found.append(((name, i), tag, definitions.get(tag, shared), record))
                else:
                    found.append(((name, i), "", shared, record))
    return found


def semantic_problems(data: Any) -> list[Problem]:
    """Problems the schema cannot see: ids, references, evidence and dates.

    Safe to call on data that failed the schema: whatever is malformed is
    skipped here, since the schema already reported it.
    """
    found = _located(data)
    bodies = {
        r["id"]: r["body"]
        for _, kind, _, r in found
        if kind == "article" and isinstance(r.get("id"), str) and isinstance(r.get("body"), str)
    }
    check = IntegrityCheck(bodies)
    check.header(data)
    # Every id is known before any reference is read, so none waits.
    check.index_all(found)
    for parts, kind, definition, record in found:
        check.check(parts, kind, definition, record)
    return check.finish()


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
        self._ids = IdIndex()
        # id -> kind code, read inline by the checks.
        self._index = self._ids.kinds
        #: Ids given twice, reported when the first places are looked up (finish).
        self._duplicates: list[tuple[Parts, str, str | None]] = []
        self._bodies = bodies
        self._deferred: DeferredStore = [] if deferred is None else deferred
        self._budget = SearchBudget()

    def header(self, data: Any) -> None:
        """Check the dataset's top level (its ``modified`` time)."""
        self.problems.extend(modified_problems(data))

    def index(self, parts: Parts, kind: str, record: dict[str, Any]) -> None:
        """Add a record's id to the index, or note it as a duplicate."""
        rid = record.get("id")
        if isinstance(rid, str) and not self._ids.add(rid, kind, parts):
            self._duplicates.append((parts, rid, self.place))

    def index_all(self, located: list[tuple[Parts, str, str, dict[str, Any]]]) -> None:
        """:meth:`index` each of ``(path, kind, definition, record)``, in order."""
        duplicates = self._ids.add_all(located)
        self._report_duplicates([(parts, rid, self.place) for parts, rid in duplicates])

    def _report_duplicates(self, duplicates: list[tuple[Parts, str, str | None]]) -> None:
        first = self._ids.first_places(rid for _, rid, _ in duplicates)
        self.problems.extend(
            Problem(
                json_path((*parts, "id")),
                f"The id {excerpt(rid)} is already used by {json_path(first[rid])}; "
                "ids must be unique in the dataset.",
                code="duplicate-id",
                location=place,
            )
            for parts, rid, place in duplicates
        )

    def _kind(self, rid: str) -> str | None:
        code = self._index.get(rid)
        return None if code is None else KIND_NAMES[code]

    def check(self, parts: Parts, kind: str, definition: str, record: dict[str, Any]) -> None:
        """Check one record (already indexed): its references, dates and evidence."""
        out = self.problems
        refer = self._refer
        # The kind code of an id in the index, UNKNOWN when it is not there (yet).
        known = self._index.get
        # Each check below first asks, inline, whether the value is plainly
        # fine (a known id of an allowed kind, a real date, evidence found at
        # its offsets), which nearly every value is; only otherwise is the
        # check called, with its path built, to say what is wrong. The inline
        # test only skips values on which the check would find nothing.
        refs, dates = fields(definition)
        get = record.get
        for how, head, field, rest, allowed, codes in refs:
            # Most records lack most optional fields: look before walking.
            value = get(head)
            if value is None:
                continue
            if how == FIELD:
                if type(value) is not str or known(value, UNKNOWN) not in codes:
                    refer((*parts, head), value, allowed)
            elif how == ITEMS:
                if isinstance(value, list):
                    for i, item in enumerate(value):
                        if type(item) is not str or known(item, UNKNOWN) not in codes:
                            refer((*parts, head, i), item, allowed)
            elif how == ITEM_FIELD:
                if isinstance(value, list):
                    for i, item in enumerate(value):
                        if isinstance(item, dict) and field in item:
                            target = item[field]
                            code = known(target, UNKNOWN) if type(target) is str else UNKNOWN
                            if code not in codes:
                                refer((*parts, head, i, field), target, allowed)
            elif how == SUB_FIELD:
                if isinstance(value, dict) and field in value:
                    target = value[field]
                    code = known(target, UNKNOWN) if type(target) is str else UNKNOWN
                    if code not in codes:
                        refer((*parts, head, field), target, allowed)
            else:
                for where, item in values_at(value, rest, (*parts, head)):
                    refer(where, item, allowed)
        for head, rest in dates:
            value = get(head)
            if value is None:
                continue
            if not rest:
                if isinstance(value, dict) and not is_real_date(value):
                    out.extend(date_problems((*parts, head), value))
                continue
            for where, date in values_at(value, rest, (*parts, head)):
                if isinstance(date, dict) and not is_real_date(date):
                    out.extend(date_problems(where, date))
        evidence = get("evidence")
        if isinstance(evidence, list):
            bodies = self._bodies
            for i, item in enumerate(evidence):
                if not isinstance(item, dict):
                    continue
                # Plainly right (whole-number offsets, its text at them, no
                # prefix or suffix to check): neither _whole_number_problems
                # nor evidence_problems would have anything to say about it.
                start, end, article, text = (
                    item.get("start"),
                    item.get("end"),
                    item.get("article"),
                    item.get("text"),
                )
                if (
                    type(start) is int
                    and type(end) is int
                    and type(article) is str
                    and type(text) is str
                    and "prefix" not in item
                    and "suffix" not in item
                ):
                    body = bodies.get(article)
                    if (
                        body is not None
                        and 0 <= start < end <= len(body)
                        and end - start == len(text)
                        and body.startswith(text, start)
                    ):
                        continue
                out.extend(_whole_number_problems((*parts, "evidence", i), item, _OFFSETS))
                out.extend(self._evidence_problems((*parts, "evidence", i), item))
        if kind == "decision":
            out.extend(_whole_number_problems(parts, record, _VOTES))
        elif kind == "quote":
            out.extend(_quote_problems(parts, record))
        elif kind == "event":
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
        """Settle the duplicate ids and the references that waited; return every problem found."""
        self._report_duplicates(self._duplicates)
        self._duplicates = []
        suggestions = IdSuggestions(Kinds(self._index))
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
