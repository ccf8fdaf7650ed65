"""The storyfacts data model: attrs classes mirroring the JSON Schema.

The schema is the source of truth for shapes; these classes are how Python
code works with a dataset once it has been validated. Optional fields default
to ``None`` (an absent field stays absent when the dataset is dumped again).
Entities and statements are tagged unions: each class knows its ``type``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from typing import ClassVar, Literal

import attrs

__all__ = [
    "Article",
    "Claim",
    "Country",
    "Dataset",
    "Decision",
    "Draft",
    "Entity",
    "Event",
    "Evidence",
    "Group",
    "Organization",
    "PartialDate",
    "Person",
    "Place",
    "Quote",
    "Record",
    "Relation",
    "Source",
    "Statement",
]

Precision = Literal["year", "month", "week", "day"]


@attrs.define(kw_only=True)
class PartialDate:
    """A date known to the year, month, ISO week or day, with the story's phrase and its source."""

    value: str
    precision: Precision
    phrase: str | None = None
    source: str | None = None
    inferred: bool | None = None

    def earliest(self) -> dt.date:
        """The first day the date can mean (``2023-04`` gives 1 April 2023).

        An ISO week (``2023-W13``) starts on its Monday.
        """
        if "W" in self.value:
            year, week = _week(self.value)
            return dt.date.fromisocalendar(year, week, 1)
        year, month, day = _parts(self.value)
        return dt.date(year, month or 1, day or 1)

    def latest(self) -> dt.date:
        """The last day the date can mean (``2023-04`` gives 30 April 2023).

        An ISO week (``2023-W13``) ends on its Sunday.
        """
        if "W" in self.value:
            year, week = _week(self.value)
            return dt.date.fromisocalendar(year, week, 7)
        year, month, day = _parts(self.value)
        month = month or 12
        return dt.date(year, month, day or calendar.monthrange(year, month)[1])

    def as_date(self) -> dt.date | None:
        """The exact date, or ``None`` when only the year or month is known."""
        return self.earliest() if self.precision == "day" else None

    def __str__(self) -> str:
        return self.value


def _week(value: str) -> tuple[int, int]:
    year, _, week = value.partition("-W")
    return int(year), int(week)


def _parts(value: str) -> tuple[int, int | None, int | None]:
    pieces = [int(p) for p in value.split("-")]
    pieces += [0] * (3 - len(pieces))
    return pieces[0], pieces[1] or None, pieces[2] or None


@attrs.define(kw_only=True)
class Draft:
    """Marks a record proposed from an article's text that no person has confirmed yet.

    ``rule`` names the drafting rule that proposed it and ``confidence`` (0 to
    1) says how sure that rule is. Confirming the record means removing it.
    """

    rule: str
    confidence: float


@attrs.define(kw_only=True)
class Evidence:
    """Where in an article a fact is stated: offsets into its body and the exact text.

    Offsets count Unicode code points (``body[start:end] == text``). ``prefix``
    and ``suffix`` are words just before and after the text, kept when they
    were given to say which occurrence is meant. :meth:`Article.evidence`
    finds the offsets from the text.
    """

    article: str
    start: int
    end: int
    text: str
    prefix: str | None = None
    suffix: str | None = None


@attrs.define(kw_only=True)
class Article:
    """A news story with its full body text."""

    id: str
    headline: str
    url: str
    publisher: str
    published: PartialDate
    language: str
    body: str

    def evidence(
        self,
        text: str,
        *,
        prefix: str | None = None,
        suffix: str | None = None,
        near: int | None = None,
    ) -> Evidence:
        """The :class:`Evidence` for a passage of this article, found by its exact text.

        When the text occurs more than once, say which occurrence is meant by
        the words just before it (``prefix``), just after it (``suffix``), or a
        code-point offset it is ``near``. Raises
        :class:`~storyfacts.errors.PassageError`, listing every candidate
        with its surrounding words and offsets, when that still leaves
        several, or naming the closest passage when the text is not there.
        """
        from .anchoring import find
        from .errors import PassageError

        found = find(self.body, text, prefix=prefix, suffix=suffix, near=near)
        if found.start is None or found.end is None or not found.applied:
            raise PassageError(self.id, text, found.status, found.candidates, found.describe())
        return Evidence(
            article=self.id,
            start=found.start,
            end=found.end,
            text=text,
            prefix=prefix,
            suffix=suffix,
        )


# Entities -----------------------------------------------------------------


@attrs.define(kw_only=True)
class _EntityFields:
    TYPE: ClassVar[str]

    id: str
    name: str
    aliases: list[str] | None = None
    description: str | None = None
    wikidata: str | None = None
    evidence: list[Evidence] | None = None
    sources: list[str] | None = None
    draft: Draft | None = None

    @property
    def type(self) -> str:
        """The entity's kind, as the dataset spells it."""
        return self.TYPE


@attrs.define(kw_only=True)
class Person(_EntityFields):
    """A person the story names."""

    TYPE: ClassVar[str] = "person"
    roles: list[str] | None = None
    nationality: str | None = None


@attrs.define(kw_only=True)
class Organization(_EntityFields):
    """An organisation, body or agency."""

    TYPE: ClassVar[str] = "organization"
    kind: str | None = None
    parent: str | None = None
    country: str | None = None


@attrs.define(kw_only=True)
class Country(_EntityFields):
    """A sovereign state."""

    TYPE: ClassVar[str] = "country"
    iso_code: str | None = None


@attrs.define(kw_only=True)
class Place(_EntityFields):
    """A city, venue or other location."""

    TYPE: ClassVar[str] = "place"
    country: str | None = None


@attrs.define(kw_only=True)
class Event(_EntityFields):
    """Something that happens, happened or is planned."""

    TYPE: ClassVar[str] = "event"
    kind: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    location: str | None = None
    venue: str | None = None
    organizer: str | None = None
    status: str | None = None


@attrs.define(kw_only=True)
class Group(_EntityFields):
    """A named group of entities, such as "Western countries"."""

    TYPE: ClassVar[str] = "group"
    members: list[str] | None = None


Entity = Person | Organization | Country | Place | Event | Group

ENTITY_TYPES: dict[str, type[Entity]] = {
    cls.TYPE: cls for cls in (Person, Organization, Country, Place, Event, Group)
}


# Statements ---------------------------------------------------------------


@attrs.define(kw_only=True)
class _StatementFields:
    TYPE: ClassVar[str]

    id: str
    summary: str
    evidence: list[Evidence]
    date: PartialDate | None = None
    sources: list[str] | None = None
    draft: Draft | None = None

    @property
    def type(self) -> str:
        """The statement's kind, as the dataset spells it."""
        return self.TYPE


@attrs.define(kw_only=True)
class Quote(_StatementFields):
    """Words someone said or wrote, verbatim."""

    TYPE: ClassVar[str] = "quote"
    text: str
    speaker: str
    reported_by: str | None = None
    medium: str | None = None
    about: list[str] | None = None


@attrs.define(kw_only=True)
class Claim(_StatementFields):
    """A claim or position: a subject takes a stance on an object."""

    TYPE: ClassVar[str] = "claim"
    subject: str
    stance: str
    object: str | None = None
    object_text: str | None = None
    attributed_to: str | None = None


@attrs.define(kw_only=True)
class Decision(_StatementFields):
    """A decision or vote: who decided what, and when it takes effect."""

    TYPE: ClassVar[str] = "decision"
    decided_by: str
    decision: str
    about: list[str] | None = None
    effective: PartialDate | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstaining: int | None = None


@attrs.define(kw_only=True)
class Relation(_StatementFields):
    """A relation between two entities: membership, role, location or part."""

    TYPE: ClassVar[str] = "relation"
    subject: str
    relation: str
    object: str
    role: str | None = None


Statement = Quote | Claim | Decision | Relation

STATEMENT_TYPES: dict[str, type[Statement]] = {
    cls.TYPE: cls for cls in (Quote, Claim, Decision, Relation)
}


@attrs.define(kw_only=True)
class Source:
    """An external source cited for a fact the story does not state itself."""

    id: str
    title: str
    url: str | None = None
    publisher: str | None = None
    published: PartialDate | None = None
    note: str | None = None


Record = Article | Entity | Statement | Source


@attrs.define(kw_only=True)
class Dataset:
    """The whole record: articles, entities, statements and the sources cited."""

    schema_version: str
    id: str
    title: str
    modified: str
    articles: list[Article] = attrs.field(factory=list)
    entities: list[Entity] = attrs.field(factory=list)
    statements: list[Statement] = attrs.field(factory=list)
    sources: list[Source] = attrs.field(factory=list)

    def records(self) -> Iterator[Record]:
        """Every record with an id, in dataset order."""
        yield from self.articles
        yield from self.entities
        yield from self.statements
        yield from self.sources

    def index(self) -> dict[str, Record]:
        """A mapping from id to record, built afresh on each call."""
        return {record.id: record for record in self.records()}

    def modified_datetime(self) -> dt.datetime:
        """``modified`` as an aware :class:`datetime.datetime`.

        A leap second (``23:59:60``, which RFC 3339 allows) becomes ``23:59:59``.
        """
        text = re.sub(r"(T\d\d:\d\d):60", r"\1:59", self.modified.upper())
        return dt.datetime.fromisoformat(text)
