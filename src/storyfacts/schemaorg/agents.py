"""Who acts: the Person or Organization nodes that stand for a speaker, author or organiser.

schema.org's ``author``, ``creator``, ``organizer``, ``member``, ``memberOf``
and ``attendee`` take a Person or an Organization. A person or an
organisation is itself; the other kinds that may act are given as agents:

- a country is its state, a ``GovernmentOrganization`` ``{country}/state``
  whose ``areaServed`` is the country (a Country is a Place, which cannot
  speak or organise);
- a group is its members that can act (the parties to the joint statement
  are Putin and Xi, who both wrote it); a group whose members are not known
  acts as one node ``{group}/party``, an ``Organization`` described as the
  group acting together, because schema.org has nothing else that can be an
  author.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Country, Entity, Group
from ..records_by_id import RecordsById

Node = dict[str, Any]

#: How each kind of entity that can act acts; no other kind can.
ACTS_AS = {
    "person": "itself",
    "organization": "itself",
    "country": "its state",
    "group": "its members",
}


class Agents:
    """The agent nodes for the entities of one dataset."""

    def __init__(self, base: str, entities: RecordsById[Entity]) -> None:
        self.base = base
        self.entities = entities

    def kind(self, record_id: str | None) -> str | None:
        """The kind of entity ``record_id`` is, or ``None`` for anything else."""
        entity = self.entities.get(record_id)
        return None if entity is None else entity.TYPE

    def of(self, record_id: str) -> list[Node]:
        """The nodes that act for ``record_id``: one, or a group's members."""
        return list(self._agents(record_id, frozenset()))

    def _agents(self, record_id: str, seen: frozenset[str]) -> Iterator[Node]:
        entity = self.entities.get(record_id)
        if isinstance(entity, Country):
            yield {
                "@id": f"{self.base}{record_id}/state",
                "@type": "GovernmentOrganization",
                "name": f"State of {entity.name}",
                "areaServed": {"@id": self.base + record_id},
            }
        elif isinstance(entity, Group):
            seen = seen | {record_id}
            found = [
                agent
                for member in entity.members or ()
                if member not in seen and self.kind(member) in ACTS_AS
                for agent in self._agents(member, seen)
            ]
            unique = {agent["@id"]: agent for agent in found}
            yield from (unique.values() if unique else (self._party(record_id, entity.name),))
        else:
            yield {"@id": self.base + record_id}

    def _party(self, group_id: str, name: str) -> Node:
        return {
            "@id": f"{self.base}{group_id}/party",
            "@type": "Organization",
            "name": name,
            "description": "The group acting together, as the story reports it; "
            "not a formal organisation.",
        }
