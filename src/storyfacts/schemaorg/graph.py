"""The story as schema.org nodes: one JSON-LD node per article, entity, statement and source.

Each fact is written once. A relation is a Role node (relations.py); where an
entity's own field says the same thing (an event's organiser, a place's
country), the Role alone carries it, since it also carries the summary and
the sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model import (
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
from ..records_by_id import RecordsById
from . import dates
from .agents import Agents
from .backlinks import Mentions, Roles, articles_of
from .relations import AGENT_PROPERTIES, link
from .terms import EVENT_STATUS, SCHEMA, UNSCHEDULED_KINDS, VOTES, entity_type

Node = dict[str, Any]

#: Whoever relays a claim in person (Putin, telling of China's support; a group's
#: members) is the author of the work it appears in; an agency, an outlet or a
#: state publishes it.
RELAYED = {"person": "author", "group": "author"}


class StoryGraph:
    """Turns each record of a dataset into its schema.org node."""

    def __init__(self, dataset: Dataset, base: str) -> None:
        self.base = base
        # References are followed through a compact index of positions, not a
        # dict of every id: what the graph keeps grows by a few bytes a record.
        self.agents = Agents(base, RecordsById(dataset.entities))
        self.kind = self.agents.kind
        # The holder of a Role points at it, and an article at what it mentions,
        # so each must know of them before it is written (backlinks.py).
        self.roles = Roles(self.agents.entities, dataset.statements, self.kind)
        self.mentions = Mentions(dataset.articles, dataset.entities)
        self.sources = RecordsById(dataset.sources)

    def ref(self, record_id: str) -> Node:
        return {"@id": self.base + record_id}

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
        node_id = self.base + article.id
        node: Node = {
            "@id": node_id,
            "@type": "NewsArticle",
            # A headline the dataset wrote is only a name: it is not the published one.
            ("name" if article.headline_supplied else "headline"): article.headline,
            "url": article.url,
            "datePublished": dates.value(article.published),
            "inLanguage": article.language,
            "publisher": self.ref(article.publisher),
            "articleBody": article.body,
        }
        _put(node, "mentions", [self.ref(i) for i in self.mentions.of(article.id)])
        # schema.org's citation is "a reference to another creative work": a source
        # that is the article itself (the same url: the seed story, whose date is
        # inferred from its own words) is not cited by it. The note that the date
        # was inferred, a work of its own, cites it instead.
        sources = dates.sources(article.published)
        itself = [i for i in sources if self._is_the_article(i, article)]
        _put(node, "citation", [self.ref(i) for i in sources if i not in itself])
        notes = _notes(node_id, ("datePublished", article.published))
        for note in notes:
            _put(note, "citation", [self.ref(i) for i in itself])
        _put(node, "subjectOf", notes)
        return node

    def _is_the_article(self, source_id: str, article: Article) -> bool:
        source = self.sources.get(source_id)
        return source is not None and source.url is not None and source.url == article.url

    def source(self, source: Source) -> Node:
        node_id = self.base + source.id
        node: Node = {"@id": node_id, "@type": "CreativeWork", "name": source.title}
        _put(node, "url", source.url)
        if source.publisher is not None:
            node["publisher"] = {
                "@id": f"{node_id}/publisher",
                "@type": "Organization",
                "name": source.publisher,
            }
        _put(node, "datePublished", dates.value(source.published))
        _put(node, "description", source.note)
        _put(node, "subjectOf", _notes(node_id, ("datePublished", source.published)))
        return node

    # Entities ----------------------------------------------------------------

    def entity(self, entity: Entity) -> Node:
        node_id = self.base + entity.id
        node: Node = {"@id": node_id, "@type": entity_type(entity), "name": entity.name}
        _put(node, "alternateName", entity.aliases)
        _put(node, "description", entity.description)
        if entity.wikidata is not None:
            node["sameAs"] = f"https://www.wikidata.org/wiki/{entity.wikidata}"
        links = _Links(self, node, entity.id)
        match entity:
            case Person():
                _put(node, "jobTitle", entity.roles)
                links.write("nationality", [entity.nationality])
            case Organization():
                links.write("parentOrganization", [entity.parent])
                links.write("location", [entity.country])
            case Country():
                if entity.iso_code is not None:
                    node["identifier"] = {
                        "@id": f"{node_id}/iso-3166-1",
                        "@type": "PropertyValue",
                        "propertyID": "ISO 3166-1 alpha-2",
                        "value": entity.iso_code,
                    }
            case Place():
                links.write("containedInPlace", [entity.country])
            case Event():
                self._event_facts(node, entity, links)
            case Group():
                # The members the dataset knows; the list need not be complete.
                links.write("itemListElement", entity.members or [])
        links.write_the_rest()
        sources = [*(entity.sources or [])]
        notes: list[Node] = []
        if isinstance(entity, Event):
            sources += [*dates.sources(entity.start), *dates.sources(entity.end)]
            notes = _notes(node_id, ("startDate", entity.start), ("endDate", entity.end))
        _put(node, "subjectOf", [*(self.ref(i) for i in dict.fromkeys(sources)), *notes])
        return node

    def _event_facts(self, node: Node, event: Event, links: _Links) -> None:
        _put(node, "startDate", dates.value(event.start))
        _put(node, "endDate", dates.value(event.end))
        if event.venue is not None:
            venue: Node = {
                "@id": f"{node['@id']}/venue",
                "@type": "Place",
                "name": event.venue,
            }
            _put(
                venue,
                "containedInPlace",
                None if event.location is None else self.ref(event.location),
            )
            links.write("location", [], first=[venue])
        else:
            links.write("location", [event.location])
        links.write("organizer", [event.organizer], agents=True)
        if event.kind not in UNSCHEDULED_KINDS:
            _put(node, "eventStatus", EVENT_STATUS.get(event.status or ""))

    # Statements --------------------------------------------------------------

    def quote(self, quote: Quote) -> Node:
        node_id = self.base + quote.id
        node: Node = {
            "@id": node_id,
            "@type": "Quotation",
            "text": quote.text,
        }
        _put(node, "creator", self.agents.of(quote.speaker))
        node["description"] = quote.summary
        _put(node, "dateCreated", dates.value(quote.date))
        _put(node, "about", [self.ref(i) for i in quote.about or []])
        _put(node, "isPartOf", [self.ref(i) for i in articles_of(quote)])
        if quote.medium is not None or quote.reported_by is not None:
            # The words come from a work (the joint statement) by the speaker; an agency
            # that only reported it publishes a report of it, not the work itself.
            work: Node = {"@id": f"{node_id}/source", "@type": "CreativeWork"}
            _put(work, "name", quote.medium)
            _put(work, "author", self.agents.of(quote.speaker))
            if quote.reported_by is not None:
                report: Node = {"@id": f"{node_id}/report", "@type": "CreativeWork"}
                _put(report, "publisher", self.agents.of(quote.reported_by))
                work["subjectOf"] = report
            node["isBasedOn"] = work
        self._cite(node, quote)
        _put(node, "subjectOf", _notes(node_id, ("dateCreated", quote.date)))
        return node

    def claim(self, claim: Claim) -> Node:
        node_id = self.base + claim.id
        node: Node = {"@id": node_id, "@type": "Claim", "text": claim.summary}
        if self.kind(claim.subject) == "event":
            # An event holds no pen: the claim was made at it (a forum's resolution).
            node["recordedAt"] = self.ref(claim.subject)
        else:
            _put(node, "author", self.agents.of(claim.subject))
        node["keywords"] = claim.stance
        about = [] if claim.object is None else [self.ref(claim.object)]
        if claim.object_text is not None:
            about.append({"@id": f"{node_id}/object", "@type": "Thing", "name": claim.object_text})
        about.extend(self.ref(i) for i in claim.about or [])
        _put(node, "about", about)
        appearance: list[Node] = [self.ref(i) for i in articles_of(claim)]
        if claim.attributed_to is not None:
            said = RELAYED.get(self.kind(claim.attributed_to) or "", "publisher")
            work: Node = {"@id": f"{node_id}/source", "@type": "CreativeWork"}
            _put(work, said, self.agents.of(claim.attributed_to))
            appearance.append(work)
        _put(node, "appearance", appearance)
        _put(node, "dateCreated", dates.value(claim.date))
        self._cite(node, claim)
        _put(node, "subjectOf", _notes(node_id, ("dateCreated", claim.date)))
        return node

    def decision(self, decision: Decision) -> Node:
        node: Node = {
            "@id": self.base + decision.id,
            "@type": "CreativeWork",
            "genre": "decision",
            "description": decision.summary,
            "text": decision.decision,
        }
        _put(node, "author", self.agents.of(decision.decided_by))
        _put(node, "about", [self.ref(i) for i in decision.about or []])
        _put(node, "dateCreated", dates.value(decision.date))
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
        _put(
            node,
            "subjectOf",
            _notes(
                node["@id"],
                ("dateCreated", decision.date),
                ("temporalCoverage", decision.effective),
            ),
        )
        return node

    def relation(self, relation: Relation) -> Node:
        found = link(relation, self.kind)
        if found is None:
            return self._statement(relation)
        value = (
            self.agents.of(found.value)
            if found.prop in AGENT_PROPERTIES
            else [self.ref(found.value)]
        )
        node: Node = {"@id": self.base + relation.id, "@type": found.role_type}
        _put(node, found.prop, value)
        _put(node, "roleName", relation.role or ("host" if relation.relation == "hosts" else None))
        node["description"] = relation.summary
        # A Role has no property for when it was stated: its startDate and
        # endDate would say the membership or office began or ended then. The
        # story's statement of it, a Statement the Role is subjectOf, was made then.
        _put(node, "subjectOf", [*self._sources(relation), *self._stated(relation)])
        return node

    def _stated(self, relation: Relation) -> list[Node]:
        """The statement of a relation that the story made on its date, if it has one."""
        if relation.date is None:
            return []
        node_id = f"{self.base}{relation.id}/statement"
        node: Node = {
            "@id": node_id,
            "@type": "Statement",
            "dateCreated": dates.value(relation.date),
        }
        _put(node, "subjectOf", _notes(node_id, ("dateCreated", relation.date)))
        return [node]

    def _statement(self, relation: Relation) -> Node:
        """A relation no schema.org property can state, as the story's statement of it."""
        node: Node = {
            "@id": self.base + relation.id,
            "@type": "Statement",
            "text": relation.summary,
            "mainEntity": self.ref(relation.subject),
            "about": self.ref(relation.object),
        }
        _put(
            node, "keywords", [relation.relation.replace("_", " "), *filter(None, [relation.role])]
        )
        _put(node, "dateCreated", dates.value(relation.date))
        self._cite(node, relation)
        _put(node, "subjectOf", _notes(node["@id"], ("dateCreated", relation.date)))
        return node

    def _cite(
        self, node: Node, statement: Statement, prop: str = "citation", *more: PartialDate | None
    ) -> None:
        _put(node, prop, self._sources(statement, *more))

    def _sources(self, statement: Statement, *more: PartialDate | None) -> list[Node]:
        """The statement's sources and those of its dates, each once."""
        sources = [*(statement.sources or []), *dates.sources(statement.date)]
        for date in more:
            sources += dates.sources(date)
        return [self.ref(i) for i in dict.fromkeys(sources)]


class _Links:
    """Writes an entity's links to other records, each fact once: a Role, or else a direct link."""

    def __init__(self, graph: StoryGraph, node: Node, holder: str) -> None:
        self.graph = graph
        self.node = node
        self.roles = graph.roles.of(holder)
        self.written: set[str] = set()

    def write(
        self,
        prop: str,
        values: Iterable[str | None],
        *,
        agents: bool = False,
        first: Iterable[Node] = (),
    ) -> None:
        """``prop``: ``first``, then each value no Role states, then the Roles."""
        roles = self.roles.get(prop, [])
        stated = {node["@id"] for _, value in roles for node in self._nodes(value, agents)}
        direct = [*first]
        for value in values:
            if value is not None:
                direct += [n for n in self._nodes(value, agents) if n["@id"] not in stated]
        _put(self.node, prop, [*direct, *(self.graph.ref(i) for i, _ in roles)])
        self.written.add(prop)

    def _nodes(self, value: str, agents: bool) -> list[Node]:
        # Compared by node id, so that a Role naming Putin also covers a group
        # organiser whose members, Putin among them, act for it.
        return self.graph.agents.of(value) if agents else [self.graph.ref(value)]

    def write_the_rest(self) -> None:
        """The Roles of properties the entity itself has no field for (Putin's office)."""
        for prop in self.roles:
            if prop not in self.written:
                self.write(prop, [])


def _notes(node_id: str, *held: tuple[str, PartialDate | None]) -> list[Node]:
    return [note for prop, date in held if (note := dates.inferred_note(node_id, prop, date))]


def _put(node: Node, prop: str, value: Any) -> None:
    """Set a property unless there is nothing to say; a single item stands alone."""
    if value is None or value == []:
        return
    node[prop] = value[0] if isinstance(value, list) and len(value) == 1 else value
