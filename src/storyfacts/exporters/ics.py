"""The iCalendar exporter: the story's dated events as an RFC 5545 calendar.

Every event entity with a ``start`` becomes one all-day VEVENT; events with no
start are left out. A date known only to the month or the year covers the
whole month or year, and says so in its SUMMARY, its DESCRIPTION and an
``X-STORYFACTS-*-PRECISION`` property, rather than pretending to a day nobody
published. Something that begins and goes on (an ongoing event, a policy or a
conflict, with no end) is one entry on its first possible day, named as its
start, not a span. A partial or inferred date makes the entry TENTATIVE. See
``docs/formats/ics.md`` for where each property comes from.

The `icalendar` package builds each component, escaping and typing its values;
its lines are folded by :mod:`storyfacts.exporters.ics_lines`, at the places
icalendar folds them; this module decides what goes in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, hookimpl
from ..contract import ExportContext, Exporter
from ..errors import json_path
from .ics_lines import serialised

if TYPE_CHECKING:
    # The model and icalendar are imported when a calendar is written, not
    # when the exporter is listed (`storyfacts formats`).
    import icalendar

    from ..model import Dataset, Event, Evidence, PartialDate, Record
    from ..records_by_id import RecordsById

__all__ = ["calendar_of", "dated_events", "event_uid", "is_open_ended"]

PRODID = f"-//storyfacts//storyfacts {__version__}//EN"

# RFC 5545 has three event statuses. "postponed" fits none of them (the dates
# may no longer hold, yet nothing was called off), so it gets no STATUS and
# shows only among the CATEGORIES.
STATUSES = {
    "proposed": "TENTATIVE",
    "scheduled": "CONFIRMED",
    "ongoing": "CONFIRMED",
    "completed": "CONFIRMED",
    "cancelled": "CANCELLED",
}

ONE_DAY = dt.timedelta(days=1)

# Kinds of event that begin and go on: without an end, the calendar shows when
# they began, not a block that would read as their whole length.
OPEN_ENDED_KINDS = frozenset({"policy", "conflict"})

_BY_NAME = "A calendar holds events; this appears in one only by name, as an event's "
_NOT_AN_EVENT = "A statement is not a calendar entry."

#: What iCalendar leaves out, and why: a model class, or one attribute of it.
#: Declared as the exporter's ``omitted``: the conformance kit fails for any
#: other field an export drops (tests/test_plugins.py runs it on every built-in),
#: and docs/formats/ics.md lists these (docs/generate_format_docs.py).
OMITTED: dict[str, str] = {
    "Dataset.schema_version": "A storyfacts detail with no iCalendar property.",
    "Article.language": "An event's description cites the article by publisher, headline, "
    "date and URL only.",
    "Article.body": "The evidence passages are quoted; the whole body is not.",
    "Person": _BY_NAME + "organiser or an article's publisher.",
    "Organization": _BY_NAME + "organiser, location or an article's publisher.",
    "Country": _BY_NAME + "location.",
    "Group": _BY_NAME + "organiser.",
    "Place.aliases": "LOCATION names the place once, by its name.",
    "Place.description": "LOCATION names the place; the description is the place's, "
    "not the event's.",
    "Place.wikidata": "iCalendar has no property for an identifier of a location.",
    "Place.evidence": "Only the event's own evidence is quoted.",
    "Place.sources": "Only the sources of the event's dates are cited.",
    "Event.aliases": "SUMMARY gives the event's name.",
    "Event.wikidata": "iCalendar has no property for an event's external identifier.",
    "Event.sources": "Only the sources of the event's dates are cited.",
    "Quote": _NOT_AN_EVENT,
    "Claim": _NOT_AN_EVENT,
    "Decision": _NOT_AN_EVENT,
    "Relation": _NOT_AN_EVENT,
    "Source.publisher": "A date's source is cited by its title and URL.",
    "Source.published": "A date's source is cited by its title and URL.",
    "Source.note": "A date's source is cited by its title and URL.",
    "Evidence.prefix": "A passage is quoted with its offsets, which already say where it is.",
    "Evidence.suffix": "As for `Evidence.prefix`.",
    "*.draft": "A calendar entry is the event as the dataset gives it, confirmed or not.",
    "Draft": "As for `*.draft`.",
}


def event_uid(dataset: Dataset, event: Event) -> str:
    """The VEVENT's UID: stable for as long as the dataset and event keep their ids."""
    return f"{event.id}@{dataset.id}.storyfacts"


def dated_events(dataset: Dataset) -> list[tuple[int, Event]]:
    """Every event with a start, with its index among the entities, by start and then id."""
    from ..model import Event

    found = [
        (index, entity)
        for index, entity in enumerate(dataset.entities)
        if isinstance(entity, Event) and entity.start is not None
    ]
    return sorted(found, key=lambda item: (_span(item[1], item[0])[0], item[1].id))


def calendar_of(
    dataset: Dataset, on_event: Callable[[], None] = lambda: None, *, events: bool = True
) -> icalendar.Calendar:
    """The dataset's dated events as a calendar; ``on_event`` is called after each one.

    With ``events=False``, only the calendar's own properties.
    """
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    # icalendar writes NAME and X-WR-CALNAME unescaped unless told they are TEXT.
    calendar.add("NAME", icalendar.vText(dataset.title))
    calendar.add("X-WR-CALNAME", icalendar.vText(dataset.title))
    if not events:
        return calendar
    records = _records(dataset)
    stamp = _stamp(dataset)
    for index, event in dated_events(dataset):
        calendar.add_component(_vevent(dataset, event, index, records, stamp))
        on_event()
    return calendar


def write(dataset: Dataset, path: Path, context: ExportContext) -> None:
    # Written event by event, so memory does not grow with the calendar: the
    # header is the empty calendar without its END line, and each VEVENT is
    # serialised exactly as it would be inside the whole calendar.
    end = b"END:VCALENDAR\r\n"
    header = calendar_of(dataset, events=False).to_ical()
    if not header.endswith(end):  # icalendar changed how it ends a calendar
        raise RuntimeError(
            f"an iCalendar calendar should end with {end!r}; it ends {header[-40:]!r}"
        )
    records = _records(dataset)
    stamp = _stamp(dataset)
    with path.open("wb") as out:
        out.write(header[: -len(end)])
        for index, event in dated_events(dataset):
            out.write(serialised(_vevent(dataset, event, index, records, stamp)))
            context.advance()
        out.write(end)
    # The records that give no VEVENT (articles, other entities, statements,
    # sources) were gone through all the same, to find and describe the events.
    context.advance(max(0, context.total - context.done))


def _records(dataset: Dataset) -> RecordsById[Record]:
    """The records an event links to (its organiser, place, articles and sources) by id.

    Statements are left out: no link from an event or its evidence names one.
    Kept in 8 to 16 bytes a record, where a dict takes 27 to 40 (8 MiB rather than
    about 60 at 1,000,000 statements, for the dict also held statements).
    """
    from ..model import Record
    from ..records_by_id import RecordsById

    return RecordsById[Record](dataset.articles, dataset.entities, dataset.sources)


def _vevent(
    dataset: Dataset,
    event: Event,
    index: int,
    records: RecordsById[Record],
    stamp: dt.datetime,
) -> icalendar.Event:
    import icalendar

    start = _start(event)
    first, after_last = _span(event, index)
    note = _precision_note(start, event.end, open_ended=is_open_ended(event))
    name = event.name
    if is_open_ended(event):
        after_last = first + ONE_DAY
        name = f"{event.name} begins"
    vevent = icalendar.Event()
    vevent.add("UID", event_uid(dataset, event))
    vevent.add("DTSTAMP", stamp)
    vevent.add("DTSTART", first)
    vevent.add("DTEND", after_last)
    vevent.add("SUMMARY", f"{name} ({note})" if note else name)
    vevent.add("DESCRIPTION", _description(event, note, first, after_last, records))
    location = _location(event, records)
    if location:
        vevent.add("LOCATION", location)
    url = _url(event, records)
    if url:
        vevent.add("URL", url)
    categories = [word.replace("_", " ") for word in (event.kind, event.status) if word]
    if categories:
        vevent.add("CATEGORIES", categories)
    status = STATUSES.get(event.status or "")
    if status == "CONFIRMED" and not _dates_are_known(event):
        status = "TENTATIVE"  # a day nobody published, or one worked out, is not confirmed
    if status:
        vevent.add("STATUS", status)
    if start.precision != "day":
        vevent.add("X-STORYFACTS-START-PRECISION", start.precision)
    if event.end is not None and event.end.precision != "day":
        vevent.add("X-STORYFACTS-END-PRECISION", event.end.precision)
    return vevent


def is_open_ended(event: Event) -> bool:
    """Whether the event begins and goes on: no end, and ongoing, a policy or a conflict."""
    return event.end is None and (
        event.status == "ongoing" or (event.kind or "") in OPEN_ENDED_KINDS
    )


def _dates_are_known(event: Event) -> bool:
    """Whether every date of the event is a published day, not a partial or inferred one."""
    dates = [d for d in (event.start, event.end) if d is not None]
    return all(d.precision == "day" and not d.inferred for d in dates)


def _stamp(dataset: Dataset) -> dt.datetime:
    """``modified`` in UTC, to the second: DTSTAMP has no fractions of a second."""
    try:
        # Reads lower-case t and z, and a leap second as second 59: a DTSTAMP
        # one second early is still a faithful timestamp.
        modified = dataset.modified_datetime()
    except ValueError:
        raise ValueError(
            f"$.modified: {dataset.modified!r} cannot be written as an iCalendar DTSTAMP"
        ) from None
    return modified.astimezone(dt.UTC).replace(microsecond=0)


def _start(event: Event) -> PartialDate:
    if event.start is None:  # dated_events() lets only dated events through
        raise ValueError(f"event {event.id!r} has no start, so it has no place in a calendar")
    return event.start


def _span(event: Event, index: int) -> tuple[dt.date, dt.date]:
    """The first day and the day after the last: every day the dates can mean.

    A DATE-valued DTEND is exclusive (RFC 5545, 3.6.1), hence the day after.
    """
    start = _start(event)
    last = event.end or start
    try:
        return start.earliest(), last.latest() + ONE_DAY
    except (ValueError, OverflowError):
        field = "end" if event.end is not None else "start"
        raise ValueError(
            f"{json_path(('entities', index, field))}: the event cannot be written as "
            f"iCalendar dates (from {start} to {last}); iCalendar dates run from "
            "0001-01-01, and the day after an event must be no later than 9999-12-31"
        ) from None


def _precision_note(
    start: PartialDate, end: PartialDate | None, *, open_ended: bool = False
) -> str | None:
    """Words saying which dates are known only to the month or year, if any."""
    if end is None or end.precision == start.precision:
        if start.precision == "day":
            return None
        noun = "start" if open_ended else "date" if end is None else "dates"
        return f"{noun} known to the {start.precision} only"
    partial = [
        (label, date) for label, date in (("start", start), ("end", end)) if date.precision != "day"
    ]
    return "; ".join(f"{label} known to the {date.precision} only" for label, date in partial)


def _description(
    event: Event,
    note: str | None,
    first: dt.date,
    after_last: dt.date,
    records: RecordsById[Record],
) -> str:
    start = _start(event)
    paragraphs = [event.description] if event.description else []
    when = f"When: {start}" if event.end is None else f"When: {start} to {event.end}"
    if is_open_ended(event):
        when = f"When: from {start}, with no end given"
        on = first.isoformat()
        when += (
            f" ({note}; this entry marks the start on {on}, the first day it can mean)"
            if note
            else f" (this entry marks the start, on {on})"
        )
    elif note:
        last = after_last - ONE_DAY
        when += f" ({note}; this entry covers {first.isoformat()} to {last.isoformat()})"
    lines = [when + "."]
    lines.extend(
        _date_line(label, date, records)
        for label, date in (("Start", start), ("End", event.end))
        if date is not None and (date.phrase or date.source or date.inferred)
    )
    organizer = _name(records.get(event.organizer)) if event.organizer else None
    if organizer:
        lines.append(f"Organiser: {organizer}.")
    paragraphs.append("\n".join(lines))
    by_article: dict[str, list[Evidence]] = {}
    for item in event.evidence or []:
        by_article.setdefault(item.article, []).append(item)
    for article, passages in by_article.items():
        lines = [f"Evidence in {_article_citation(records.get(article), records)}:"]
        lines.extend(f'- "{item.text}" (characters {item.start}-{item.end})' for item in passages)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _date_line(label: str, date: PartialDate, records: RecordsById[Record]) -> str:
    from ..model import Source

    facts = [f'the story says "{date.phrase}"'] if date.phrase else []
    if date.inferred:
        facts.append("inferred, not stated outright")
    source = records.get(date.source) if date.source else None
    if isinstance(source, Source):
        facts.append(f"source: {source.title}" + (f" <{source.url}>" if source.url else ""))
    return f"{label} {date}: {'; '.join(facts)}."


def _article_citation(article: Record | None, records: RecordsById[Record]) -> str:
    from ..model import Article

    if not isinstance(article, Article):
        return "an unknown article"
    publisher = _name(records.get(article.publisher)) or article.publisher
    if article.headline_supplied:
        # The dataset's own wording must not pass for the publisher's headline.
        return (
            f'{publisher}, article described as "{article.headline}" (published headline '
            f"not on record) ({article.published}) <{article.url}>"
        )
    return f'{publisher}, "{article.headline}" ({article.published}) <{article.url}>'


def _location(event: Event, records: RecordsById[Record]) -> str:
    from ..model import Place

    place = records.get(event.location) if event.location else None
    parts = [event.venue, _name(place)]
    if isinstance(place, Place) and place.country:
        parts.append(_name(records.get(place.country)))
    return ", ".join(dict.fromkeys(part for part in parts if part))


def _url(event: Event, records: RecordsById[Record]) -> str | None:
    """The story's URL when it mentions the event, else where the dates come from."""
    return next((url for url in _url_candidates(event, records) if url), None)


def _url_candidates(event: Event, records: RecordsById[Record]) -> Iterator[str | None]:
    from ..model import Article, Source

    for item in event.evidence or []:
        article = records.get(item.article)
        if isinstance(article, Article):
            yield article.url
    for date in (event.start, event.end):
        source = records.get(date.source) if date and date.source else None
        if isinstance(source, Source):
            yield source.url


def _name(record: Record | None) -> str | None:
    """An entity's name; ``None`` for anything else (validation makes that rare)."""
    from ..model import Entity

    return record.name if isinstance(record, Entity) else None


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(
        Exporter(
            name="ics",
            extension=".ics",
            media_type="text/calendar",
            description="The story's dated events as an iCalendar file, for calendar apps.",
            write=write,
            omitted=OMITTED,
            cost=2,
        )
    )
