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

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

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

    def __init__(
        self,
        base: str,
        kinds: Mapping[str, str],
        names: Mapping[str, str],
        members: Mapping[str, Sequence[str]],
    ) -> None:
        self.base = base
        self.kinds = kinds
        self.names = names
        self.members = members

    def of(self, record_id: str) -> list[Node]:
        """The nodes that act for ``record_id``: one, or a group's members."""
        return list(self._agents(record_id, frozenset()))

    def _agents(self, record_id: str, seen: frozenset[str]) -> Iterator[Node]:
        kind = self.kinds.get(record_id)
        if kind == "country":
            yield {
                "@id": f"{self.base}{record_id}/state",
                "@type": "GovernmentOrganization",
                "name": f"State of {self.names[record_id]}",
                "areaServed": {"@id": self.base + record_id},
            }
        elif kind == "group":
            seen = seen | {record_id}
            found = [
                agent
                for member in self.members.get(record_id, ())
                if member not in seen and self.kinds.get(member) in ACTS_AS
                for agent in self._agents(member, seen)
            ]
            unique = {agent["@id"]: agent for agent in found}
            yield from (unique.values() if unique else (self._party(record_id),))
        else:
            yield {"@id": self.base + record_id}

    def _party(self, group_id: str) -> Node:
        return {
            "@id": f"{self.base}{group_id}/party",
            "@type": "Organization",
            "name": self.names[group_id],
            "description": "The group acting together, as the story reports it; "
            "not a formal organisation.",
        }
