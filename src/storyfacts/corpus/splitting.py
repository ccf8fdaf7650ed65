"""Splitting a corpus into one closed dataset per story (article).

A story's dataset starts from what belongs to its article: the article, the
statements whose first evidence is in it, and the entities whose first
evidence is in it. It then takes everything those records refer to, followed
transitively through the schema's references (``x-refers-to``): speakers,
subjects, statements quoted ``about``, sources, and any other article an
evidence cites, with what that article refers to (its publisher). So each
part validates on its own. A record that belongs to no article (an entity
with no evidence that nothing names, a source nothing cites) goes with the
first article, so that nothing is lost.

Records keep their corpus order and the corpus's header (``id``, ``title``,
``modified``, ``schema_version``), as ``docs/scaling.md`` asks of a
partition. Merging the parts gives back the corpus's records and header; the
order of records within a section is then the order they first appear in
the parts (see docs/corpus.md).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from .. import kinds
from ..model import Dataset
from .records import Located, ids_named, records

__all__ = ["Stories", "split"]


def split(corpus: object) -> dict[str, Dataset]:
    """One closed dataset per article of ``corpus``, keyed by article id in corpus order.

    ``corpus`` is anything :func:`storyfacts.load` takes. Raises
    :class:`ValueError` for a corpus with records but no article, which has
    no story to split by.
    """
    from ..convert import converter
    from ..loading import load

    data: dict[str, Any] = converter.unstructure(load(corpus))  # type: ignore[arg-type]
    located = list(records(data))
    articles = [record["id"] for section, _, record in located if section == "articles"]
    if not articles:
        if located:
            raise ValueError("A corpus with no article cannot be split into stories.")
        return {}
    stories = Stories(data, located)
    parts = {article: stories.closure({article}) for article in articles}
    reached = set().union(*parts.values())
    leftovers = [r["id"] for _, _, r in located if r["id"] not in reached]
    if leftovers:
        parts[articles[0]] |= stories.closure({articles[0]}, leftovers)
    return {article: load(stories.part({article}, ids)) for article, ids in parts.items()}


class Stories:
    """The corpus's records, and each one as a given group of stories holds it.

    A group is a set of article ids: one article for :func:`split`, many for
    a partition of a distributed export (:mod:`storyfacts.distributed`).
    A reference to an id the corpus does not hold is not followed: the
    group's dataset then fails validation, naming it.
    """

    def __init__(self, data: dict[str, Any], located: list[Located]) -> None:
        self.data = data
        self.position = {record["id"]: n for n, (_, _, record) in enumerate(located)}
        self.by_id = {record["id"]: (section, record) for section, _, record in located}
        self._named: dict[str, tuple[str, ...]] = {}
        self._named_bare: dict[str, tuple[str, ...]] = {}
        # A record belongs to the article of its first evidence.
        self.owner: dict[str, str] = {}
        self.owned: dict[str, list[str]] = {
            r["id"]: [r["id"]] for s, _, r in located if s == "articles"
        }
        for section, _, record in located:
            evidence = record.get("evidence")
            if section != "articles" and evidence:
                article = evidence[0]["article"]
                if article in self.owned:
                    self.owner[record["id"]] = article
                    self.owned[article].append(record["id"])

    def view(self, record_id: str, articles: Collection[str]) -> dict[str, Any]:
        """The record as the stories of ``articles`` hold it.

        An entity that another story owns keeps only its evidence in these
        articles: a shared entity would otherwise bring every article that
        mentions it into every story that names it. Its owner's story keeps
        all of it, and merging the stories unions the evidence back in order.
        """
        section, record = self.by_id[record_id]
        owner = self.owner.get(record_id)
        if (
            section != "entities"
            or owner is None
            or owner in articles
            or not record.get("evidence")
        ):
            return record
        trimmed = {key: value for key, value in record.items() if key != "evidence"}
        here = [item for item in record["evidence"] if item["article"] in articles]
        if here:
            trimmed["evidence"] = here
        return trimmed

    def closure(self, articles: Collection[str], start: Iterable[str] | None = None) -> set[str]:
        """``start`` (by default, what ``articles`` own) and all it refers to, transitively."""
        group = articles if isinstance(articles, set | frozenset) else frozenset(articles)
        if start is None:
            start = [owned for article in group for owned in self.owned[article]]
        found = {record_id for record_id in start if record_id in self.by_id}
        waiting = list(found)
        while waiting:
            for target in self._targets(waiting.pop(), group):
                if target not in found and target in self.by_id:
                    found.add(target)
                    waiting.append(target)
        return found

    def _targets(self, record_id: str, group: Collection[str]) -> tuple[str, ...]:
        """What the record refers to as ``group``'s stories hold it (see :meth:`view`).

        Remembered per record: a shared entity is reached from many groups,
        and reading references through the schema is the cost of a closure.
        Only a trimmed entity's evidence depends on the group.
        """
        section, record = self.by_id[record_id]
        owner = self.owner.get(record_id)
        whole = self._named.get(record_id)
        if whole is None:
            whole = self._named[record_id] = tuple(ids_named(section, record))
        if section != "entities" or owner is None or owner in group or not record.get("evidence"):
            return whole
        bare = self._named_bare.get(record_id)
        if bare is None:
            without = {key: value for key, value in record.items() if key != "evidence"}
            bare = self._named_bare[record_id] = tuple(ids_named(section, without))
        here = tuple(item["article"] for item in record["evidence"] if item["article"] in group)
        return bare + here

    def part(self, articles: Collection[str], ids: set[str]) -> dict[str, Any]:
        """The dataset of the stories of ``articles`` holding ``ids``, as plain data."""
        part: dict[str, Any] = {
            key: self.data[key]
            for key in ("schema_version", "id", "title", "modified")
            if key in self.data
        }
        for each in kinds.SECTIONS:
            part[each.name] = []
        group = articles if isinstance(articles, set | frozenset) else frozenset(articles)
        for record_id in sorted(ids, key=self.position.__getitem__):
            section = self.by_id[record_id][0]
            # Not copied: loading builds new records, and nothing here changes the data.
            part[section].append(self.view(record_id, group))
        return part
