"""The fact sheet: who the story names, what they said and decided, and when.

Everything is in dataset order except the timeline, which is in date order,
so the same dataset always gives the same sheet. Dates say only as much as is
known: ``2023-04`` is "April 2023", never "1 April 2023".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from storyfacts import (
    Claim,
    Country,
    Dataset,
    Decision,
    Event,
    Group,
    Organization,
    PartialDate,
    Person,
    Place,
    Quote,
)

__all__ = ["render", "say_date", "say_span"]

# Spelled out rather than taken from the locale, so every machine writes the same sheet.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def render(dataset: Dataset) -> str:
    """The fact sheet of ``dataset`` as Markdown text, ending with a newline."""
    sheet = _Sheet(dataset)
    blocks = [f"# {_text(dataset.title)}", *sheet.sections()]
    blocks.append(
        f"_Fact sheet of storyfacts dataset `{dataset.id}`, last changed "
        f"{say_date(_day(dataset.modified))}._"
    )
    return "\n\n".join(blocks) + "\n"


def say_date(date: PartialDate) -> str:
    """A date in words, only as precise as it is known: "2023", "April 2023", "22 March 2023"."""
    if date.precision == "week" or "-W" in date.value:
        year, week = date.value.split("-W")
        return f"week {int(week)} of {year}"
    year, month, day = date.value.split("-") + [""] * (2 - date.value.count("-"))
    if date.precision == "year" or not month:
        return year
    if date.precision == "month" or not day:
        return f"{MONTHS[int(month) - 1]} {year}"
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def say_span(start: PartialDate, end: PartialDate | None) -> str:
    """A date or a range of dates in words, sharing the month and year where they agree."""
    if end is None or end.value == start.value:
        return say_date(start)
    first, last = say_date(start).split(" "), say_date(end).split(" ")
    if start.precision == end.precision == "day":
        if first[1:] == last[1:]:
            return f"{first[0]}–{say_date(end)}"
        if first[2] == last[2]:
            return f"{' '.join(first[:2])} – {say_date(end)}"
    return f"{say_date(start)} – {say_date(end)}"


def _day(timestamp: str) -> PartialDate:
    return PartialDate(value=timestamp[:10], precision="day")


def _text(value: str) -> str:
    """User text made safe for Markdown: one line, markup characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _link(label: str, url: str | None) -> str:
    if not url:
        return _text(label)
    return f"[{_text(label)}]({url.replace('(', '%28').replace(')', '%29').replace(' ', '%20')})"


def _notes(*dates: PartialDate | None) -> str:
    """The story's own words for dates, and whether they were inferred, in brackets."""
    notes = [f"“{_text(d.phrase)}”" for d in dates if d is not None and d.phrase]
    if any(d is not None and d.inferred for d in dates):
        notes.append("inferred")
    return f" ({', '.join(dict.fromkeys(notes))})" if notes else ""


def _list(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


class _Sheet:
    """Looks up names by id while the sections are written."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.names = {a.id: a.headline for a in dataset.articles}
        self.names |= {e.id: e.name for e in dataset.entities}
        self.names |= {s.id: s.summary for s in dataset.statements}
        self.names |= {s.id: s.title for s in dataset.sources}

    def name(self, id: str | None) -> str:
        return _text(self.names.get(id, id)) if id else ""

    def sections(self) -> Iterator[str]:
        parts = [
            ("The story", self.story()),
            ("People", self.people()),
            ("Organisations", self.organisations()),
            ("Quotes", self.quotes()),
            ("Claims and positions", self.claims()),
            ("Decisions", self.decisions()),
            ("Timeline", self.timeline()),
            ("Also mentioned", self.mentioned()),
            ("Sources", self.sources()),
        ]
        for heading, body in parts:
            if body:
                yield f"## {heading}\n\n{body}"

    def story(self) -> str:
        return _list(
            f"**{_link(a.headline, a.url)}**, {self.name(a.publisher)}, "
            f"{say_date(a.published)}{_notes(a.published)}"
            for a in self.dataset.articles
        )

    def _entity(self, entity: Person | Organization, facts: list[str]) -> str:
        aliases = f" ({', '.join(_text(a) for a in entity.aliases)})" if entity.aliases else ""
        if not facts and entity.description:
            facts = [_text(entity.description)]
        return f"**{_text(entity.name)}**{aliases}" + (f" — {'; '.join(facts)}" if facts else "")

    def people(self) -> str:
        return _list(
            self._entity(p, [_text(r) for r in p.roles or []])
            for p in self.dataset.entities
            if isinstance(p, Person)
        )

    def organisations(self) -> str:
        def facts(org: Organization) -> list[str]:
            out = [org.kind.replace("_", " ")] if org.kind else []
            if org.parent:
                out.append(f"part of {self.name(org.parent)}")
            if org.country:
                out.append(f"based in {self.name(org.country)}")
            return out

        return _list(
            self._entity(o, facts(o)) for o in self.dataset.entities if isinstance(o, Organization)
        )

    def quotes(self) -> str:
        blocks = []
        for quote in self.dataset.statements:
            if not isinstance(quote, Quote):
                continue
            by = self.name(quote.speaker)
            if quote.medium:
                by += f" ({_text(quote.medium)})"
            if quote.reported_by:
                by += f", reported by {self.name(quote.reported_by)}"
            if quote.date:
                by += f", {say_date(quote.date)}{_notes(quote.date)}"
            blocks.append(f"> “{_text(quote.text)}”\n>\n> — {by}")
        return "\n\n".join(blocks)

    def claims(self) -> str:
        def line(claim: Claim) -> str:
            notes = (
                [f"according to {self.name(claim.attributed_to)}"] if claim.attributed_to else []
            )
            if claim.date:
                notes.append(say_date(claim.date) + _notes(claim.date))
            return _text(claim.summary) + (f" — {', '.join(notes)}" if notes else "")

        return _list(line(c) for c in self.dataset.statements if isinstance(c, Claim))

    def decisions(self) -> str:
        def line(decision: Decision) -> str:
            notes = []
            if decision.date:
                notes.append(f"decided {say_date(decision.date)}{_notes(decision.date)}")
            if decision.effective:
                notes.append(
                    f"takes effect {say_date(decision.effective)}{_notes(decision.effective)}"
                )
            votes = [
                f"{count} {label}"
                for count, label in (
                    (decision.votes_for, "for"),
                    (decision.votes_against, "against"),
                    (decision.votes_abstaining, "abstaining"),
                )
                if count is not None
            ]
            if votes:
                notes.append("vote: " + ", ".join(votes))
            text = f"**{self.name(decision.decided_by)}**: {_text(decision.decision)}"
            return text + (f" — {'; '.join(notes)}" if notes else "")

        return _list(line(d) for d in self.dataset.statements if isinstance(d, Decision))

    def timeline(self) -> str:
        events = [e for e in self.dataset.entities if isinstance(e, Event)]
        dated = sorted(
            ((e.start.earliest(), e.start.latest(), e.name), e.start, e)
            for e in events
            if e.start is not None
        )
        lines = []
        for _, start, event in dated:
            where = [_text(event.venue)] if event.venue else []
            where += [self.name(event.location)] if event.location else []
            details = "; ".join(filter(None, [", ".join(where), event.status]))
            lines.append(
                f"**{say_span(start, event.end)}**{_notes(start, event.end)} — "
                f"{_text(event.name)}" + (f" ({details})" if details else "")
            )
        undated = [
            _text(e.name) + (f" ({e.status})" if e.status else "") for e in events if not e.start
        ]
        if undated:
            lines.append("Not yet dated: " + ", ".join(undated))
        return _list(lines)

    def mentioned(self) -> str:
        groups: dict[str, list[str]] = {"Countries": [], "Places": [], "Groups": []}
        for entity in self.dataset.entities:
            label = {Country: "Countries", Place: "Places", Group: "Groups"}.get(type(entity))
            if label:
                groups[label].append(_text(entity.name))
        return _list(f"{label}: {', '.join(names)}" for label, names in groups.items() if names)

    def sources(self) -> str:
        lines = []
        for number, source in enumerate(self.dataset.sources, start=1):
            about = [_text(source.publisher)] if source.publisher else []
            if source.published:
                about.append(say_date(source.published))
            lines.append(
                f"{number}. {_link(source.title, source.url)}"
                + (f" — {', '.join(about)}" if about else "")
            )
        return "\n".join(lines)
