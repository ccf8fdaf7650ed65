"""Cutting a corpus into partitions by article, each a closed dataset, after one corpus-wide pass.

A partition is a bucket of articles: an article goes to bucket
``sha256(article id) mod count``, so adding a story to the corpus changes
one partition (and those that refer to what changed), and a rerun skips the
rest (see :mod:`storyfacts.distributed.manifest`). A partition holds what its
articles own and the closure of what that refers to, cut as
:func:`storyfacts.split` cuts one story (:class:`storyfacts.corpus.splitting.Stories`):
each partition validates on its own, and a shared entity's copy carries only
the partition's own evidence.

Checks that no partition can make on its own run here, in one pass over the
corpus: every record has an id, no id is used twice, and every reference
names a record somewhere in the corpus. Everything else (the schema, the
evidence offsets) is checked by each worker on its own partition.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from typing import Any

import attrs

from .. import kinds
from ..corpus.records import ids_named
from ..corpus.splitting import Stories
from ..errors import InvalidDatasetError, Problem, json_path
from .reading import CorpusRecords

__all__ = ["STATEMENTS_PER_PARTITION", "Partition", "Plan", "bucket_of", "plan"]

#: The default size of a partition: docs/scaling.md sizes a worker for
#: 50,000 to 100,000 statements.
STATEMENTS_PER_PARTITION = 50_000

_SECTIONS = tuple(section.name for section in kinds.SECTIONS)


def bucket_of(article_id: str, count: int) -> int:
    """The partition an article goes to: stable across runs, machines and Python versions."""
    digest = hashlib.sha256(article_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


@attrs.frozen
class Partition:
    """One partition: the articles it owns and what it holds, counted by section."""

    index: int
    #: The articles this partition owns, in corpus order.
    articles: tuple[str, ...]
    #: Records it holds by section, copies of shared records included.
    records: dict[str, int]
    #: Records it owns by section: over all partitions, every record once.
    owned: dict[str, int]
    #: The partition as a dataset, serialised as compact JSON.
    payload: bytes = attrs.field(repr=False)
    #: sha256 of ``payload``: a rerun skips a part only if its input is unchanged.
    sha256: str


@attrs.define
class Plan:
    """The corpus's header and counts, and its partitions, cut one at a time as they are asked for.

    Cutting a partition (its closure) is the driver's largest cost, so each
    is cut only when the engine asks for it, while workers export the ones
    before it. A record that no article owns (one with no evidence) belongs
    to the first partition made that holds it; the first article's partition
    is made last, and takes as well whatever no partition reached, as
    :func:`storyfacts.split` does, so that every record is in some part.
    """

    header: dict[str, Any]
    counts: dict[str, int]
    count: int
    _stories: Stories = attrs.field(repr=False)
    _groups: dict[int, list[str]] = attrs.field(repr=False)
    _owner: dict[str, int] = attrs.field(repr=False)
    _last: int | None = attrs.field(repr=False)
    _reached: set[str] = attrs.field(repr=False, factory=set)

    @property
    def indices(self) -> list[int]:
        """The partitions that hold anything, in the order they are made."""
        order = sorted(index for index in self._groups if index != self._last)
        return order if self._last is None else [*order, self._last]

    def partitions(self) -> Iterator[Partition]:
        """Every partition, cut and serialised one after another, in :attr:`indices` order."""
        for index in self.indices:
            yield self._partition(index)

    def _partition(self, index: int) -> Partition:
        import orjson

        articles = self._groups[index]
        stories = self._stories
        ids = stories.closure(articles)
        if index == self._last:
            leftovers = [r for r in stories.by_id if r not in self._reached and r not in ids]
            if leftovers:
                ids |= stories.closure(articles, leftovers)
        self._reached |= ids
        data = stories.part(articles, ids)
        records = {section: len(data[section]) for section in _SECTIONS}
        owned = dict.fromkeys(_SECTIONS, 0)
        for record_id in ids:
            if self._owner.setdefault(record_id, index) == index:
                owned[stories.by_id[record_id][0]] += 1
        payload = orjson.dumps(data)
        return Partition(
            index=index,
            articles=tuple(articles),
            records=records,
            owned=owned,
            payload=payload,
            sha256=hashlib.sha256(payload).hexdigest(),
        )


def plan(corpus: CorpusRecords, count: int | None = None) -> Plan:
    """Check the corpus as a whole and prepare to cut it into ``count`` partitions by article.

    Without ``count``, one partition per :data:`STATEMENTS_PER_PARTITION`
    statements. Raises :class:`~storyfacts.errors.InvalidDatasetError` naming
    every record (by file and line for a JSON Lines corpus) whose id is
    missing or taken, or that refers to an id no record has; and
    :class:`ValueError` for a corpus with records but no article.
    """
    _check(corpus)
    data = corpus.data
    located = [(section, index, record) for section, index, record, _ in corpus.records()]
    counts = {section: len(data[section]) for section in _SECTIONS}
    if count is None:
        count = max(1, math.ceil(counts["statements"] / STATEMENTS_PER_PARTITION))
    if count < 1:
        raise ValueError(f"The number of partitions must be 1 or more, not {count}.")
    header = {key: value for key, value in data.items() if key not in _SECTIONS}
    articles = [record["id"] for record in data["articles"]]
    if not articles and located:
        raise ValueError("A corpus with no article cannot be partitioned by article.")
    stories = Stories(data, located)
    groups: dict[int, list[str]] = {}
    owner: dict[str, int] = {}
    for article in articles:
        index = bucket_of(article, count)
        groups.setdefault(index, []).append(article)
        for record_id in stories.owned[article]:
            owner[record_id] = index
    last = bucket_of(articles[0], count) if articles else None
    return Plan(header, counts, count, stories, groups, owner, last)


def _check(corpus: CorpusRecords) -> None:
    """Every id present, and once; every reference to an id the corpus has."""
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for section, index, record, place in corpus.records():
        record_id = record.get("id")
        if not isinstance(record_id, str):
            where = json_path((section, index, "id"))
            problems.append(Problem(where, "A record needs an id, a string.", "required", place))
        elif record_id in first:
            problems.append(
                Problem(
                    json_path((section, index, "id")),
                    f"The id {record_id!r} is taken by {first[record_id]}; ids are unique "
                    "across the corpus.",
                    "duplicate-id",
                    place,
                )
            )
        else:
            # Where to find it, said only if another record takes its id.
            first[record_id] = place or f"$.{section}[{index}]"
    for section, index, record, place in corpus.records():
        for target in ids_named(section, record):
            if target not in first:
                problems.append(
                    Problem(
                        json_path((section, index)),
                        f"No record in the corpus has the id {target!r}.",
                        "unknown-reference",
                        place,
                    )
                )
    if problems:
        raise InvalidDatasetError(problems, corpus.name)
