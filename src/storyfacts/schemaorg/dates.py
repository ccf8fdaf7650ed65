"""Partial dates in schema.org: the value, the source it came from, and whether it was inferred."""

from __future__ import annotations

from typing import Any

from ..model import PartialDate

Node = dict[str, Any]


def value(date: PartialDate | None) -> str | Node | None:
    """A day as a schema:Date (the context types it); a month, week or year as plain text.

    schema.org's Date is a whole day (ISO 8601 YYYY-MM-DD), so ``2023-04`` or
    ``2023-W11`` typed Date would claim a day; a value object keeps it untyped.
    """
    if date is None:
        return None
    return date.value if date.precision == "day" else {"@value": date.value}


def sources(date: PartialDate | None) -> list[str]:
    """The id of the source a date was resolved from, if any."""
    return [] if date is None or date.source is None else [date.source]


def inferred_note(node_id: str, prop: str, date: PartialDate | None) -> Node | None:
    """A ``Comment`` saying that the date ``prop`` holds was inferred, or ``None``.

    schema.org has no term for how a date was found, and no property of a
    CreativeWork or an Event takes a PropertyValue, so the flag is a Comment
    that the node is ``subjectOf``: a consumer finds it by its id,
    ``<node id>/<property>-inferred``, and reads it as text.
    """
    if date is None or not date.inferred:
        return None
    return {
        "@id": f"{node_id}/{prop}-inferred",
        "@type": "Comment",
        "name": f"{prop} inferred",
        "text": f"{prop}: {date.value} was inferred, not read directly from a source.",
    }
