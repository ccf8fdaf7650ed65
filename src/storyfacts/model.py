"""The storyfacts data model: attrs classes mirroring the JSON Schema.

The schema is the source of truth for shapes; these classes are how Python
code works with a dataset once it has been validated. Optional fields default
to ``None`` (an absent field stays absent when the dataset is dumped again).
Entities and statements are tagged unions: each class knows its ``type``.

Every assignment to a field is counted (:mod:`storyfacts.edits`), and so is
every change to a :class:`~storyfacts.edits.WatchedList`, the list that
:func:`storyfacts.load` and a new ``Dataset``'s empty sections are: that is
how a dataset found valid is known to be unchanged since. Building a record,
or a new dataset's empty sections, is not an edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import ClassVar

import attrs

from .edits import watched
from .fieldtypes import checked_fields
from .ids import id_from_name
from .partial_dates import PartialDate, modified_moment
from .schema import SCHEMA_VERSION

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


@attrs.define(kw_only=True, field_transformer=checked_fields)
class Draft:
    """Marks a record proposed from an article's text that no person has confirmed yet.

    ``rule`` names the drafting rule that proposed it and ``confidence`` (0 to
    1) says how sure that rule is. Confirming the record means removing it.
    """

    rule: str
    confidence: float


@attrs.define(kw_only=True, field_transformer=checked_fields)
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


@attrs.define(kw_only=True, field_transformer=checked_fields)
class Article:
    """A news story with its full body text."""

    id: str
    headline: str
    #: True when the dataset wrote the headline (the published one is not on record).
    headline_supplied: bool | None = None
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


@attrs.define(kw_only=True, field_transformer=checked_fields)
class _EntityFields:
    TYPE: ClassVar[str]

    # ``name`` comes first so that an id can be made from it; a dump still
    # writes ``id`` first.
    name: str
    id: str = attrs.field(
        default=attrs.Factory(lambda self: id_from_name(self.name), takes_self=True)
    )
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


@attrs.define(kw_only=True, field_transformer=checked_fields)
class Person(_EntityFields):
    """A person the story names."""

    TYPE: ClassVar[str] = "person"
    roles: list[str] | None = None
    nationality: str | None = None


@attrs.define(kw_only=True, field_transformer=checked_fields)
class Organization(_EntityFields):
    """An organisation, body or agency."""

    TYPE: ClassVar[str] = "organization"
    kind: str | None = None
    parent: str | None = None
    country: str | None = None


@attrs.define(kw_only=True, field_transformer=checked_fields)
class Country(_EntityFields):
    """A sovereign state."""

    TYPE: ClassVar[str] = "country"
    iso_code: str | None = None


@attrs.define(kw_only=True, field_transformer=checked_fields)
class Place(_EntityFields):
    """A city, venue or other location."""

    TYPE: ClassVar[str] = "place"
    country: str | None = None


@attrs.define(kw_only=True, field_transformer=checked_fields)
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


@attrs.define(kw_only=True, field_transformer=checked_fields)
class Group(_EntityFields):
    """A named group of entities, such as "Western countries"."""

    TYPE: ClassVar[str] = "group"
    members: list[str] | None = None


Entity = Person | Organization | Country | Place | Event | Group

ENTITY_TYPES: dict[str, type[Entity]] = {
    cls.TYPE: cls for cls in (Person, Organization, Country, Place, Event, Group)
}


# Statements ---------------------------------------------------------------


@attrs.define(kw_only=True, field_transformer=checked_fields)
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


@attrs.define(kw_only=True, field_transformer=checked_fields)
class Quote(_StatementFields):
    """Words someone said or wrote, verbatim."""

    TYPE: ClassVar[str] = "quote"
    text: str
    speaker: str
    reported_by: str | None = None
    medium: str | None = None
    about: list[str] | None = None


@attrs.define(kw_only=True, field_transformer=checked_fields)
class Claim(_StatementFields):
    """A claim or position: a subject takes a stance on an object."""

    TYPE: ClassVar[str] = "claim"
    subject: str
    stance: str
    object: str | None = None
    object_text: str | None = None
    about: list[str] | None = None
    attributed_to: str | None = None


@attrs.define(kw_only=True, field_transformer=checked_fields)
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


@attrs.define(kw_only=True, field_transformer=checked_fields)
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


@attrs.define(kw_only=True, field_transformer=checked_fields)
class Source:
    """An external source cited for a fact the story does not state itself."""

    id: str
    title: str
    url: str | None = None
    publisher: str | None = None
    published: PartialDate | None = None
    note: str | None = None


Record = Article | Entity | Statement | Source


def modified_text(value: str | dt.datetime | dt.date) -> str:
    """A ``modified`` timestamp as the dataset keeps it: RFC 3339 text, in UTC for a ``datetime``.

    Text is kept as given (:func:`storyfacts.validate` checks it); an aware
    ``datetime`` becomes ``2023-03-22T10:00:00Z``; a ``date`` is its midnight
    in UTC. A ``datetime`` without a time zone is refused, since the instant
    it means depends on a time zone it does not say.
    """
    if isinstance(value, dt.datetime):
        if value.utcoffset() is None:
            raise ValueError(
                f"Dataset.modified needs a datetime with a time zone, not {value.isoformat()!r}; "
                "give one such as datetime.now(datetime.UTC)."
            )
        moment = value.astimezone(dt.UTC)
        fraction = f".{moment.microsecond:06d}".rstrip("0") if moment.microsecond else ""
        return f"{moment:%Y-%m-%dT%H:%M:%S}{fraction}Z"
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00Z"
    return value  # text as given; any other type is refused by the field's type check


def _now() -> str:
    return modified_text(dt.datetime.now(dt.UTC).replace(microsecond=0))


@attrs.define(kw_only=True, field_transformer=checked_fields)
class Dataset:
    """The whole record: articles, entities, statements and the sources cited."""

    schema_version: str = SCHEMA_VERSION
    id: str
    title: str
    modified: str = attrs.field(factory=lambda: _now(), converter=modified_text)
    articles: list[Article] = attrs.field(factory=watched)
    entities: list[Entity] = attrs.field(factory=watched)
    statements: list[Statement] = attrs.field(factory=watched)
    sources: list[Source] = attrs.field(factory=watched)

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
        Works for every valid dataset: validation refuses a time that no
        datetime can hold in UTC (see :func:`modified_moment`).
        """
        return modified_moment(self.modified)
