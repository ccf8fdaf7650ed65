"""Merging datasets into one corpus: the same record met twice is joined, never half-dropped.

Records are matched by id; an entity is also matched, across datasets, by an
explicit same-as: the same Wikidata id under another id. What a match does:

* An article, statement or source must be the very same record in every
  dataset that has it; the same id with other content is a collision.
* An entity's two sides are joined field by field. A field only one side has
  is kept; lists (aliases, roles, evidence, sources, members) are unioned,
  each side's order kept (see :func:`_union`); a ``draft`` mark stays only when every side is a
  draft (confirming a record means removing the mark). Two different values
  of any other field (two names, two descriptions) are a conflict.
* Two different kinds under one id (a person and a place) are a collision.

The corpus holds each section's records in the order they are first met,
dataset by dataset.

Collisions always stop the merge. Conflicts stop it too, unless
``conflicts="first"`` is chosen: then the first dataset's value stands, a
name that lost becomes an alias (so it is still found), and each decision is
returned as a note, naming the record, the field, both values and both
datasets. A same-as join keeps the first id and rewrites every reference to
the other id in the later dataset (a note says so), so ids already in the
corpus stay as they are.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

import attrs

from .. import kinds
from ..errors import InvalidDatasetError, Problem, excerpt, sort_problems
from ..model import Dataset
from .records import records, renamed

__all__ = ["MergeError", "MergeReport", "merge", "merge_report"]

Policy = Literal["fail", "first"]
POLICIES: tuple[str, ...] = ("fail", "first")

#: The codes of a merge's problems and notes.
COLLISION, CONFLICT, KEPT_FIRST, SAME_AS = (
    "merge-collision",
    "merge-conflict",
    "merge-kept-first",
    "merge-same-as",
)


class MergeError(InvalidDatasetError):
    """The datasets do not merge; ``problems`` names each record, field and dataset."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"The datasets do not merge: {count} {noun}."]
        lines += [f"  {p}" for p in self.problems[:50]]
        if count > 50:
            lines.append(f"  ... and {count - 50} more.")
        self.args = ("\n".join(lines),)


@attrs.frozen
class MergeReport:
    """A merged corpus, and a note on each decision the merge took; see :func:`merge_report`."""

    dataset: Dataset
    notes: list[Problem]


@attrs.define
class _Held:
    """A record in the corpus being built, and where it was seen."""

    section: str
    record: dict[str, Any]
    seen_in: list[str]


def merge(
    *datasets: object,
    names: Sequence[str] | None = None,
    id: str | None = None,
    title: str | None = None,
    conflicts: Policy = "fail",
) -> Dataset:
    """One corpus of every record of ``datasets``; see :mod:`storyfacts.corpus.merging`.

    Each dataset is anything :func:`storyfacts.load` takes. ``names`` labels
    them in problems (default: a path as given, else ``#1``, ``#2``...). The
    corpus takes ``id`` and ``title`` from the first dataset unless given,
    and the latest ``modified`` of all. Raises :class:`MergeError` listing
    every collision and (under ``conflicts="fail"``) every conflict.
    """
    return merge_report(*datasets, names=names, id=id, title=title, conflicts=conflicts).dataset


def merge_report(
    *datasets: object,
    names: Sequence[str] | None = None,
    id: str | None = None,
    title: str | None = None,
    conflicts: Policy = "fail",
) -> MergeReport:
    """As :func:`merge`, with the notes on what the merge decided."""
    from ..convert import converter
    from ..loading import load

    if conflicts not in POLICIES:
        raise ValueError(f"conflicts must be one of {', '.join(POLICIES)}, not {conflicts!r}.")
    if not datasets:
        raise ValueError("merge() needs at least one dataset.")
    labels = list(names) if names is not None else [_label(d, i) for i, d in enumerate(datasets)]
    if len(labels) != len(datasets):
        raise ValueError(f"{len(labels)} names for {len(datasets)} datasets.")
    loaded = [load(d) for d in datasets]  # type: ignore[arg-type]
    builder = _Builder(conflicts)
    for dataset, label in zip(loaded, labels, strict=True):
        builder.add(converter.unstructure(dataset), label)
    if builder.problems:
        raise MergeError(builder.problems)
    first = loaded[0]
    data: dict[str, Any] = {
        "schema_version": first.schema_version,
        "id": id if id is not None else first.id,
        "title": title if title is not None else first.title,
        "modified": max(loaded, key=lambda d: d.modified_datetime()).modified,
    }
    for section in kinds.SECTIONS:
        data[section.name] = [h.record for h in builder.held.values() if h.section == section.name]
    return MergeReport(load(data), sort_problems(builder.notes))


def _label(dataset: object, index: int) -> str:
    from ..loading import source_kind

    return str(dataset) if source_kind(dataset) == "path" else f"#{index + 1}"


def _key(value: Any) -> str:
    """A value's identity for unioning lists: equal JSON, equal key."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _union(first: list[Any], second: list[Any]) -> list[Any]:
    """Both lists' items once each, each list's order kept where the other allows.

    A new item goes just after the item that precedes it in ``second``; one
    before every shared item goes before the first of them, and a list with
    no shared item is appended. So a list and any part of it (the evidence of
    an entity, split into stories) merge back to the whole, in order.
    """
    out = list(first)
    keys = [_key(v) for v in out]
    present = set(keys)
    theirs = [_key(v) for v in second]
    shared = next((k for k in theirs if k in present), None)
    cursor = len(out) if shared is None else keys.index(shared)
    for key, value in zip(theirs, second, strict=True):
        if key in present:
            cursor = keys.index(key) + 1
        else:
            keys.insert(cursor, key)
            out.insert(cursor, value)
            present.add(key)
            cursor += 1
    return out


class _Builder:
    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.held: dict[str, _Held] = {}
        self.same_as: dict[str, str] = {}  # Wikidata id -> the corpus id that has it
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []

    def add(self, data: dict[str, Any], label: str) -> None:
        new_ids = self._same_as_joins(data, label)
        for section, index, record in records(data):
            renamed(section, record, new_ids)
            record["id"] = new_ids.get(record["id"], record["id"])
            where = f"$.{section}[{index}]"
            held = self.held.get(record["id"])
            if held is None:
                self.held[record["id"]] = _Held(section, record, [label])
            else:
                self._join(held, section, record, label, where)
        for held_id, held in self.held.items():
            wikidata = held.record.get("wikidata")
            if held.section == "entities" and isinstance(wikidata, str):
                self.same_as.setdefault(wikidata, held_id)

    def _same_as_joins(self, data: dict[str, Any], label: str) -> dict[str, str]:
        """Ids of this dataset's entities to rewrite: each to the corpus id of its Wikidata id.

        Only entities from earlier datasets are matched: within one dataset,
        two ids are two records by its author's choice.
        """
        new_ids: dict[str, str] = {}
        for index, entity in enumerate(data.get("entities") or ()):
            owner = self.same_as.get(entity.get("wikidata") or "")
            if owner is None or owner == entity["id"] or entity["id"] in self.held:
                continue
            new_ids[entity["id"]] = owner
            self.notes.append(
                Problem(
                    f"$.entities[{index}].id",
                    f"Entity {entity['id']!r} is {owner!r} of "
                    f"{', '.join(self.held[owner].seen_in)} "
                    f"(both Wikidata {entity['wikidata']}): joined as {owner!r}, and this "
                    "dataset's references to it rewritten.",
                    SAME_AS,
                    label,
                )
            )
        return new_ids

    def _join(
        self, held: _Held, section: str, record: dict[str, Any], label: str, where: str
    ) -> None:
        mine = held.record
        both = f"{', '.join(held.seen_in)} and {label}"
        if label not in held.seen_in:
            held.seen_in.append(label)
        kind = kinds.kind_of_data(section, record) or section
        theirs = kinds.kind_of_data(held.section, mine) or held.section
        if kind != theirs or section != held.section:
            self._problem(
                where,
                f"Id {record['id']!r} names a {theirs} in {both.replace(' and ' + label, '')} "
                f"and a {kind} in {label}; give one of them another id.",
                COLLISION,
                label,
            )
            return
        if section != "entities":
            if mine != record:
                fields = [f for f in {**mine, **record} if mine.get(f) != record.get(f)]
                self._problem(
                    where,
                    f"{kind.capitalize()} {record['id']!r} differs between {both} "
                    f"(in {', '.join(fields)}); a {kind} must be the same record everywhere.",
                    COLLISION,
                    label,
                )
            return
        self._join_entity(mine, record, label, both, where, kind)

    def _join_entity(
        self, mine: dict[str, Any], record: dict[str, Any], label: str, both: str, where: str,
        kind: str,
    ) -> None:  # fmt: skip
        if "draft" in mine and "draft" not in record:
            del mine["draft"]  # confirmed on one side: confirmed in the corpus
        for field, theirs in record.items():
            ours = mine.get(field)
            if field == "draft" or ours == theirs:
                continue
            if ours is None:
                mine[field] = theirs
            elif isinstance(ours, list) and isinstance(theirs, list):
                mine[field] = _union(ours, theirs)
            else:
                self._conflict(mine, field, theirs, label, both, f"{where}.{field}", kind)

    def _conflict(
        self, mine: dict[str, Any], field: str, theirs: Any, label: str, both: str, where: str,
        kind: str,
    ) -> None:  # fmt: skip
        ours = mine[field]
        for inner, one, other in _differences(ours, theirs, ()):
            named = ".".join((field, *inner))
            said = f"{kind.capitalize()} {mine['id']!r} has two values of {named} in {both}: "
            said += f"{_shown(one)} and {_shown(other)}"
            at = ".".join((where, *inner))
            if self.policy == "fail":
                self._problem(
                    at,
                    f"{said}; make them agree, or merge with conflicts='first' to keep the first.",
                    CONFLICT,
                    label,
                )
            elif field == "name" and isinstance(theirs, str):
                mine["aliases"] = _union(mine.get("aliases") or [], [theirs])
                said += f"; kept {_shown(one)}, and {_shown(other)} as an alias"
                self.notes.append(Problem(at, said + ".", KEPT_FIRST, label))
            else:
                self.notes.append(Problem(at, f"{said}; kept {_shown(one)}.", KEPT_FIRST, label))

    def _problem(self, where: str, message: str, code: str, label: str) -> None:
        self.problems.append(Problem(where, message, code, label))


def _differences(ours: Any, theirs: Any, path: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """(path within the value, ours, theirs) for each leaf where two values differ.

    A date that differs only in its source is reported as ``start.source``,
    not as two long objects cut short.
    """
    if not (isinstance(ours, dict) and isinstance(theirs, dict)):
        return [(path, ours, theirs)]
    found = []
    for key in {**ours, **theirs}:
        if ours.get(key) != theirs.get(key):
            found += _differences(ours.get(key), theirs.get(key), (*path, key))
    return found


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    return excerpt(value) if isinstance(value, str) else excerpt(_key(value))
