"""The schema.org terms the graph uses: the context, the types of entities, event statuses.

Which term stands for what, with the reasons, is in docs/formats/jsonld.md;
tests/test_export_jsonld.py holds every triple written to the domain and
range that schema.org release 30.0 gives its property.
"""

from __future__ import annotations

from typing import Any

from ..model import Entity, Event, Group, Organization

SCHEMA = "https://schema.org/"

#: The whole context. Links become IRIs rather than strings, and days are
#: typed schema:Date (a month, week or year is left untyped: see dates.py).
CONTEXT: dict[str, Any] = {
    "@vocab": SCHEMA,
    "dateCreated": {"@type": "Date"},
    "datePublished": {"@type": "Date"},
    "endDate": {"@type": "Date"},
    "eventStatus": {"@type": "@id"},
    "interactionType": {"@type": "@id"},
    "sameAs": {"@type": "@id"},
    "startDate": {"@type": "Date"},
    "url": {"@type": "@id"},
}

#: schema.org has EventStatusType values for these only. It defines
#: EventScheduled as "taking place or has taken place on the startDate as
#: scheduled", which covers ongoing and completed events; a proposed event has
#: no schedule at all, so it gets no status rather than a false one.
EVENT_STATUS = {
    "scheduled": SCHEMA + "EventScheduled",
    "ongoing": SCHEMA + "EventScheduled",
    "completed": SCHEMA + "EventScheduled",
    "postponed": SCHEMA + "EventPostponed",
    "cancelled": SCHEMA + "EventCancelled",
}

#: Events that were never scheduled (an invasion), so no EventStatusType is true of them.
UNSCHEDULED_KINDS = frozenset({"conflict"})

ORGANIZATION_TYPES = {
    "news_agency": "NewsMediaOrganization",
    "publisher": "NewsMediaOrganization",
    "sports_body": "SportsOrganization",
    "sports_federation": "SportsOrganization",
    "athletes_body": "SportsOrganization",
    "government": "GovernmentOrganization",
    "intergovernmental": "GovernmentOrganization",
}

VOTES = (
    ("votes-for", "votes for"),
    ("votes-against", "votes against"),
    ("votes-abstaining", "abstentions"),
)


def entity_type(entity: Entity) -> str:
    """The schema.org type of an entity's node."""
    match entity:
        case Organization():
            return ORGANIZATION_TYPES.get(entity.kind or "", "Organization")
        case Event():
            return "SportsEvent" if entity.kind == "sports_event" else "Event"
        case Group():
            # A set the story names ("Western countries", "Russian and Belarusian
            # athletes"), not a body: an Organization would claim an institution.
            # An ItemList is schema.org's collection of things of any sort, and
            # its itemListElement holds the members the dataset knows.
            return "ItemList"
        case _:
            return {"person": "Person", "country": "Country", "place": "Place"}[entity.type]
