"""Which schema.org property states a relation, in schema.org's Role pattern.

A relation ("Russia is a member of the SCO") becomes a Role node with the
relation's own id: the holder points at the Role with a property, and the
Role repeats that property to point at the other party (SCO ``member`` →
Role ``member`` → Russia), carrying the relation's summary and sources.

Each rule below is a property whose schema.org domain takes the holder and
whose range takes the value. A relation no rule fits (a group "located in"
a city: no schema.org property runs from a set of things to a place) is a
``Statement`` instead, so that no triple breaks the vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ..model import Relation

#: What a record of each kind is, in the classes schema.org's domains and ranges
#: name: a Country is a Place, a SportsEvent an Event, a group an ItemList.
AS_THING = {
    "person": "Person",
    "organization": "Organization",
    "country": "Place",
    "place": "Place",
    "event": "Event",
    "group": "ItemList",
}
#: What it is as the value of a property that takes an agent (agents.py): a
#: country is its state; a group, only its members, so no one value.
AS_AGENT = {"person": "Person", "organization": "Organization", "country": "Organization"}

#: Properties whose value is an agent, so a country there is written as its state.
AGENT_PROPERTIES = frozenset({"member", "memberOf", "organizer", "attendee"})


@attrs.frozen
class Rule:
    relation: str
    #: Which side of the relation holds the property: "subject" or "object".
    holder: str
    prop: str
    #: The schema.org classes the property's domainIncludes and rangeIncludes name.
    domain: frozenset[str]
    range: frozenset[str]

    def fits(self, holder: str | None, value: str | None) -> bool:
        table = AS_AGENT if self.prop in AGENT_PROPERTIES else AS_THING
        fitting_value = "Thing" in self.range or table.get(value or "") in self.range
        return AS_THING.get(holder or "") in self.domain and fitting_value


def _rule(relation: str, holder: str, prop: str, domain: str, range_: str) -> Rule:
    return Rule(relation, holder, prop, frozenset(domain.split()), frozenset(range_.split()))


#: In order: the first rule that fits is taken (an organisation part of another
#: is its parentOrganization, not a memberOf).
RULES = (
    # A group is an ItemList, so whatever belongs to it is one of its elements.
    _rule("member_of", "object", "itemListElement", "ItemList", "Thing"),
    _rule("part_of", "object", "itemListElement", "ItemList", "Thing"),
    _rule("member_of", "object", "member", "Organization", "Person Organization"),
    _rule("role_in", "subject", "memberOf", "Person Organization", "Organization"),
    _rule("hosts", "object", "organizer", "Event", "Person Organization"),
    _rule("organizes", "object", "organizer", "Event", "Person Organization"),
    _rule("participates_in", "object", "attendee", "Event", "Person Organization"),
    _rule("located_in", "subject", "location", "Event Organization", "Place"),
    _rule("located_in", "subject", "homeLocation", "Person", "Place"),
    _rule("located_in", "subject", "containedInPlace", "Place", "Place"),
    _rule("part_of", "subject", "superEvent", "Event", "Event"),
    _rule("part_of", "subject", "parentOrganization", "Organization", "Organization"),
    _rule("part_of", "subject", "memberOf", "Person", "Organization"),
    _rule("part_of", "subject", "containedInPlace", "Place", "Place"),
)


@attrs.frozen
class Link:
    """A relation as holder ``prop`` → Role ``prop`` → value (record ids)."""

    holder: str
    prop: str
    value: str

    @property
    def role_type(self) -> str:
        return "OrganizationRole" if self.prop in ("member", "memberOf") else "Role"


def link(relation: Relation, kind: Callable[[str], str | None]) -> Link | None:
    """How the Role pattern writes ``relation``, or ``None`` when no schema.org property fits.

    ``kind`` gives the kind of entity an id names, or ``None`` for any other id.
    """
    subject, obj = kind(relation.subject), kind(relation.object)
    for rule in RULES:
        if rule.relation != relation.relation:
            continue
        if rule.holder == "subject" and rule.fits(subject, obj):
            return Link(relation.subject, rule.prop, relation.object)
        if rule.holder == "object" and rule.fits(obj, subject):
            return Link(relation.object, rule.prop, relation.subject)
    return None
