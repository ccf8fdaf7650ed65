"""The storyfacts model in schema.org terms: one JSON-LD node per record.

:class:`StoryGraph` turns each article, entity, statement and source into a
schema.org node; the ``jsonld`` exporter writes the nodes out. See
docs/formats/jsonld.md for the mapping and the reasons behind it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .model import (
    Article,
    Claim,
    Country,
    Dataset,
    Decision,
    Entity,
    Event,
    Group,
    Organization,
    PartialDate,
    Person,
    Place,
    Quote,
    Record,
    Relation,
    Source,
    Statement,
)

Node = dict[str, Any]

SCHEMA = "https://schema.org/"

#: The whole context. Links become IRIs rather than strings, and days are
#: typed schema:Date (a month, week or year is left untyped: see _date).
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


class StoryGraph:
    """Turns each record of a dataset into its schema.org node."""

    def __init__(self, dataset: Dataset, base: str) -> None:
        self.base = base
        self.kinds = {entity.id: entity.type for entity in dataset.entities}
        self.names = {entity.id: entity.name for entity in dataset.entities}
        # A relation is a Role node that another node points at (schema.org's
        # Role pattern), so that node must know of it before it is written.
        self.roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for statement in dataset.statements:
            if isinstance(statement, Relation):
                holder, prop, _ = self.role_link(statement)
                self.roles[holder][prop].append(statement.id)
        self.mentions = _mentions(dataset)

    def ref(self, record_id: str) -> Node:
        return {"@id": self.base + record_id}

    def agent(self, record_id: str) -> Node:
        """Who acts: a reference, but a country acting is its state, a GovernmentOrganization.

        schema.org's author, organizer, member, memberOf and attendee take a
        Person or an Organization; a Country is a Place, so the country that
        organises or speaks is given as the organisation of its state, serving
        the country.
        """
        if self.kinds.get(record_id) != "country":
            return self.ref(record_id)
        return {
            "@id": f"{self.base}{record_id}/state",
            "@type": "GovernmentOrganization",
            "name": f"State of {self.names[record_id]}",
            "areaServed": self.ref(record_id),
        }

    def node(self, record: Record) -> Node:
        """The node for one record."""
        match record:
            case Article():
                return self.article(record)
            case Quote():
                return self.quote(record)
            case Claim():
                return self.claim(record)
            case Decision():
                return self.decision(record)
            case Relation():
                return self.relation(record)
            case Source():
                return self.source(record)
            case _:
                return self.entity(record)

    # Articles and sources ----------------------------------------------------

    def article(self, article: Article) -> Node:
        node: Node = {
            "@id": self.base + article.id,
            "@type": "NewsArticle",
            # A headline the dataset wrote is only a name: it is not the published one.
            ("name" if article.headline_supplied else "headline"): article.headline,
            "url": article.url,
            "datePublished": _date(article.published),
            "inLanguage": article.language,
            "publisher": self.ref(article.publisher),
            "articleBody": article.body,
        }
        _put(node, "mentions", [self.ref(i) for i in self.mentions.get(article.id, [])])
        _put(node, "citation", [self.ref(i) for i in _date_sources(article.published)])
        return node

    def source(self, source: Source) -> Node:
        node: Node = {"@id": self.base + source.id, "@type": "CreativeWork", "name": source.title}
        _put(node, "url", source.url)
        if source.publisher is not None:
            node["publisher"] = {
                "@id": f"{self.base}{source.id}/publisher",
                "@type": "Organization",
                "name": source.publisher,
            }
        _put(node, "datePublished", _date(source.published))
        _put(node, "description", source.note)
        return node

    # Entities ----------------------------------------------------------------

    def entity(self, entity: Entity) -> Node:
        node: Node = {
            "@id": self.base + entity.id,
            "@type": _entity_type(entity),
            "name": entity.name,
        }
        _put(node, "alternateName", entity.aliases)
        _put(node, "description", entity.description)
        if entity.wikidata is not None:
            node["sameAs"] = f"https://www.wikidata.org/wiki/{entity.wikidata}"
        match entity:
            case Person():
                _put(node, "jobTitle", entity.roles)
                _put(node, "nationality", self._ref(entity.nationality))
            case Organization():
                _put(node, "parentOrganization", self._ref(entity.parent))
                _put(node, "location", self._ref(entity.country))
            case Country():
                if entity.iso_code is not None:
                    node["identifier"] = {
                        "@id": f"{self.base}{entity.id}/iso-3166-1",
                        "@type": "PropertyValue",
                        "propertyID": "ISO 3166-1 alpha-2",
                        "value": entity.iso_code,
                    }
            case Place():
                _put(node, "containedInPlace", self._ref(entity.country))
            case Event():
                self._event_facts(node, entity)
            case Group():
                _put(node, "member", [self.agent(i) for i in entity.members or []])
        for prop, role_ids in self.roles.get(entity.id, {}).items():
            _put(node, prop, [*_as_list(node.get(prop)), *(self.ref(i) for i in role_ids)])
        sources = [*(entity.sources or [])]
        if isinstance(entity, Event):
            sources += [*_date_sources(entity.start), *_date_sources(entity.end)]
        _put(node, "subjectOf", [self.ref(i) for i in dict.fromkeys(sources)])
        return node

    def _event_facts(self, node: Node, event: Event) -> None:
        _put(node, "startDate", _date(event.start))
        _put(node, "endDate", _date(event.end))
        if event.venue is not None:
            venue: Node = {
                "@id": f"{self.base}{event.id}/venue",
                "@type": "Place",
                "name": event.venue,
            }
            _put(venue, "containedInPlace", self._ref(event.location))
            node["location"] = venue
        else:
            _put(node, "location", self._ref(event.location))
        _put(node, "organizer", None if event.organizer is None else self.agent(event.organizer))
        if event.kind not in UNSCHEDULED_KINDS:
            _put(node, "eventStatus", EVENT_STATUS.get(event.status or ""))

    # Statements --------------------------------------------------------------

    def quote(self, quote: Quote) -> Node:
        node: Node = {
            "@id": self.base + quote.id,
            "@type": "Quotation",
            "text": quote.text,
            "creator": self.agent(quote.speaker),
            "description": quote.summary,
        }
        _put(node, "dateCreated", _date(quote.date))
        _put(node, "about", [self.ref(i) for i in quote.about or []])
        _put(node, "isPartOf", [self.ref(i) for i in _articles(quote)])
        if quote.medium is not None or quote.reported_by is not None:
            # The words come from a work (the joint statement) by the speaker; an agency
            # that only reported it publishes a report of it, not the work itself.
            work: Node = {"@id": f"{self.base}{quote.id}/source", "@type": "CreativeWork"}
            _put(work, "name", quote.medium)
            work["author"] = self.agent(quote.speaker)
            if quote.reported_by is not None:
                work["subjectOf"] = {
                    "@id": f"{self.base}{quote.id}/report",
                    "@type": "CreativeWork",
                    "publisher": self.agent(quote.reported_by),
                }
            node["isBasedOn"] = work
        self._cite(node, quote)
        return node

    def claim(self, claim: Claim) -> Node:
        node: Node = {
            "@id": self.base + claim.id,
            "@type": "Claim",
            "text": claim.summary,
            "author": self.agent(claim.subject),
            "keywords": claim.stance,
        }
        about = [] if claim.object is None else [self.ref(claim.object)]
        if claim.object_text is not None:
            about.append(
                {
                    "@id": f"{self.base}{claim.id}/object",
                    "@type": "Thing",
                    "name": claim.object_text,
                }
            )
        about.extend(self.ref(i) for i in claim.about or [])
        _put(node, "about", about)
        appearance: list[Node] = [self.ref(i) for i in _articles(claim)]
        if claim.attributed_to is not None:
            # A person the story cites said it (author); an agency or outlet published it.
            said = "author" if self.kinds.get(claim.attributed_to) == "person" else "publisher"
            appearance.append(
                {
                    "@id": f"{self.base}{claim.id}/source",
                    "@type": "CreativeWork",
                    said: self.agent(claim.attributed_to),
                }
            )
        _put(node, "appearance", appearance)
        _put(node, "dateCreated", _date(claim.date))
        self._cite(node, claim)
        return node

    def decision(self, decision: Decision) -> Node:
        node: Node = {
            "@id": self.base + decision.id,
            "@type": "CreativeWork",
            "genre": "decision",
            "description": decision.summary,
            "text": decision.decision,
            "author": self.agent(decision.decided_by),
        }
        _put(node, "about", [self.ref(i) for i in decision.about or []])
        _put(node, "dateCreated", _date(decision.date))
        if decision.effective is not None:
            # schema.org's own notation for "from this date on", such as "2015-11/..".
            node["temporalCoverage"] = f"{decision.effective.value}/.."
        counts = (decision.votes_for, decision.votes_against, decision.votes_abstaining)
        _put(
            node,
            "interactionStatistic",
            [
                {
                    "@id": f"{self.base}{decision.id}/{part}",
                    "@type": "InteractionCounter",
                    "name": name,
                    "interactionType": SCHEMA + "VoteAction",
                    "userInteractionCount": count,
                }
                for (part, name), count in zip(VOTES, counts, strict=True)
                if count is not None
            ],
        )
        self._cite(node, decision, "citation", decision.effective)
        return node

    def relation(self, relation: Relation) -> Node:
        _, prop, value = self.role_link(relation)
        kind = "OrganizationRole" if prop in ("member", "memberOf") else "Role"
        agents = ("member", "memberOf", "organizer", "attendee")
        target = self.agent(value) if prop in agents else self.ref(value)
        node: Node = {"@id": self.base + relation.id, "@type": kind, prop: target}
        _put(node, "roleName", relation.role or ("host" if relation.relation == "hosts" else None))
        node["description"] = relation.summary
        self._cite(node, relation, "subjectOf")
        return node

    def role_link(self, relation: Relation) -> tuple[str, str, str]:
        """(holder, property, value): the holder points at the Role, the Role at the value."""
        subject, obj = relation.subject, relation.object
        kind = self.kinds.get(subject)
        match relation.relation:
            case "member_of":
                return obj, "member", subject
            case "role_in":
                return subject, "memberOf", obj
            case "hosts" | "organizes":
                return obj, "organizer", subject
            case "participates_in":
                return obj, "attendee", subject
            case "located_in":
                located = {
                    "event": "location",
                    "organization": "location",
                    "group": "location",
                    "person": "homeLocation",
                }
                return subject, located.get(kind or "", "containedInPlace"), obj
            case _:  # part_of
                parts = {
                    "event": "superEvent",
                    "organization": "parentOrganization",
                    "group": "parentOrganization",
                    "person": "memberOf",
                }
                return subject, parts.get(kind or "", "containedInPlace"), obj

    def _cite(
        self, node: Node, statement: Statement, prop: str = "citation", *dates: PartialDate | None
    ) -> None:
        sources = [*(statement.sources or []), *_date_sources(statement.date)]
        for date in dates:
            sources += _date_sources(date)
        _put(node, prop, [self.ref(i) for i in dict.fromkeys(sources)])

    def _ref(self, record_id: str | None) -> Node | None:
        return None if record_id is None else self.ref(record_id)


def _entity_type(entity: Entity) -> str:
    match entity:
        case Organization():
            return ORGANIZATION_TYPES.get(entity.kind or "", "Organization")
        case Event():
            return "SportsEvent" if entity.kind == "sports_event" else "Event"
        case Group():
            # The one schema.org type for a body of agents acting together; a
            # group can then be the creator of a quote or the author of a claim.
            return "Organization"
        case _:
            return {"person": "Person", "country": "Country", "place": "Place"}[entity.type]


def _mentions(dataset: Dataset) -> dict[str, list[str]]:
    """The entity ids each article mentions, in dataset order: those its evidence names.

    An entity no passage names (France, as the host country of Paris 2024) is
    in the graph, linked from what the story does name (Paris is in France),
    but the article does not mention it. Decisions and relations are not
    mentions: a decision is a work of its own, and a relation a Role node.
    """
    out: dict[str, list[str]] = {article.id: [] for article in dataset.articles}
    for entity in dataset.entities:
        for article_id in _articles(entity):
            if article_id in out:
                out[article_id].append(entity.id)
    return out


def _articles(record: Entity | Statement) -> list[str]:
    return list(dict.fromkeys(item.article for item in record.evidence or []))


def _date(date: PartialDate | None) -> str | Node | None:
    """A day as a schema:Date (the context types it); a month, week or year as plain text.

    schema.org's Date is a whole day (ISO 8601 YYYY-MM-DD), so ``2023-04`` or
    ``2023-W11`` typed Date would claim a day; a value object keeps it untyped.
    """
    if date is None:
        return None
    return date.value if date.precision == "day" else {"@value": date.value}


def _date_sources(date: PartialDate | None) -> list[str]:
    return [] if date is None or date.source is None else [date.source]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _put(node: Node, prop: str, value: Any) -> None:
    """Set a property unless there is nothing to say; a single item stands alone."""
    if value is None or value == []:
        return
    node[prop] = value[0] if isinstance(value, list) and len(value) == 1 else value
