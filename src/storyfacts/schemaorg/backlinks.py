"""What a node must say about records written after it, kept in a few bytes per link.

The graph is written in dataset order, yet two kinds of node point forward:
an article ``mentions`` the entities its evidence names (entities come after
articles), and the holder of a Role points at it (relations come after
entities). Both are found in one pass before anything is written and kept
as positions in the dataset's own lists, grouped by the node that holds
them in two arrays of 4-byte integers (a compressed sparse row): 4 bytes a
link and 4 an article or entity (and 8 more a link while they are gathered),
where the dicts of lists of id pairs they replace took some 75 bytes a Role
(tracemalloc, 100,000 statements). The nodes themselves are made one at a
time, when written.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import cast

from ..model import Article, Entity, Relation, Statement
from ..records_by_id import RecordsById
from .relations import Link, link


class Grouped:
    """For each of ``owners`` owners, the positions given with it, in the order given."""

    def __init__(self, owners: int, pairs: Iterable[tuple[int, int]]) -> None:
        owner_of, position = array("i"), array("i")
        for owner, at in pairs:
            owner_of.append(owner)
            position.append(at)
        starts = array("i", [0]) * (owners + 1)
        for owner in owner_of:
            starts[owner + 1] += 1
        for owner in range(owners):
            starts[owner + 1] += starts[owner]
        next_free = starts[:-1]
        positions = array("i", [0]) * len(position)
        for owner, at in zip(owner_of, position, strict=True):
            positions[next_free[owner]] = at
            next_free[owner] += 1
        self._starts, self._positions = starts, positions

    def of(self, owner: int | None) -> array[int]:
        if owner is None:
            return array("i")
        return self._positions[self._starts[owner] : self._starts[owner + 1]]


class Mentions:
    """The entities each article mentions, in dataset order: those its evidence names.

    An entity no passage names (France, as the host country of Paris 2024) is
    in the graph, linked from what the story does name (Paris is in France),
    but the article does not mention it. Decisions and relations are not
    mentions: a decision is a work of its own, and a relation a Role node.
    """

    def __init__(self, articles: Sequence[Article], entities: Sequence[Entity]) -> None:
        self._articles = RecordsById(articles)
        self._entities = entities
        self._grouped = Grouped(len(articles), self._pairs())

    def _pairs(self) -> Iterator[tuple[int, int]]:
        for at, entity in enumerate(self._entities):
            for article_id in articles_of(entity):
                article = self._articles.position(article_id)
                if article is not None:
                    yield article, at

    def of(self, article_id: str) -> list[str]:
        """The ids of the entities the article mentions."""
        article = self._articles.position(article_id)
        return [self._entities[at].id for at in self._grouped.of(article)]


class Roles:
    """The Roles each entity holds (relations.py), found before the entity is written."""

    def __init__(
        self,
        entities: RecordsById[Entity],
        statements: Sequence[Statement],
        kind: Callable[[str], str | None],
    ) -> None:
        self._entities = entities
        self._statements = statements
        self._kind = kind
        self._grouped = Grouped(len(entities), self._pairs())

    def _pairs(self) -> Iterator[tuple[int, int]]:
        for at, statement in enumerate(self._statements):
            if isinstance(statement, Relation):
                found = link(statement, self._kind)
                if found is not None:
                    holder = self._entities.position(found.holder)
                    if holder is not None:
                        yield holder, at

    def of(self, holder_id: str) -> dict[str, list[tuple[str, str]]]:
        """Property -> [(relation id, value id)], properties in the order first held."""
        out: dict[str, list[tuple[str, str]]] = {}
        for at in self._grouped.of(self._entities.position(holder_id)):
            # A relation that gave a Role when the roles were found, and still does.
            relation = cast(Relation, self._statements[at])
            found = cast(Link, link(relation, self._kind))
            out.setdefault(found.prop, []).append((relation.id, found.value))
        return out


def articles_of(record: Entity | Statement) -> list[str]:
    """The ids of the articles whose evidence names ``record``, each once, in order."""
    return list(dict.fromkeys(item.article for item in record.evidence or []))
