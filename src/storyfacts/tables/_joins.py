"""Tables that exist to be joined through: every id with its table, and each list of ids as rows.

A reference that may point into several tables (a quote's ``speaker`` may be
a person, an organisation, a country or a group) has one table to point at:
``records``. A list of references (a group's ``members``, what a statement is
``about``, the ``sources`` of any record) is one cell in its record's row,
which no join can use; a *link table* holds it as rows instead, one per id,
with the owner's id, the id's place in the list, and the id itself, each
owner and id a foreign key. The link tables are found in the schema (every
``x-refers-to`` on a list, through :mod:`storyfacts.references`), so a list
of references added to the schema gets its table without a change here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import islice
from typing import Any

import attrs

from .. import kinds, references
from ..model import Dataset
from ._layout import TABLES, Column, Table
from ._rows import BATCH, Cell

__all__ = ["LINKS", "RECORDS", "Maker", "link_maker", "record_rows", "registry_rows"]

#: The ``records`` table: every record's id and the table that holds it.
RECORDS = Table(
    name="records",
    title="Records",
    description="Every record in the dataset and the table that holds it: the target of "
    "references that may point into more than one table.",
    section="records",
    type=None,
    columns=(
        Column(
            name="id",
            title="Id",
            description="Id of the record, unique in the dataset.",
            kind="id",
            path=("id",),
            required=True,
        ),
        Column(
            name="table",
            title="Table",
            description="Name of the table that holds the record.",
            kind="enum",
            path=("table",),
            required=True,
            enum=tuple(t.name for t in TABLES),
        ),
    ),
)

_TABLE_OF_KIND = {table.kind: table.name for table in TABLES}


def registry_rows(section: kinds.Section, records: Iterable[Any]) -> list[list[Cell]]:
    """The rows of :data:`RECORDS` for records of ``section``, in their order."""
    if section.typed:
        return [[record.id, _TABLE_OF_KIND[record.TYPE]] for record in records]
    table = _TABLE_OF_KIND[section.category]
    return [[record.id, table] for record in records]


def record_rows(dataset: Dataset) -> Iterator[list[list[Cell]]]:
    """The rows of :data:`RECORDS`, in dataset order, in batches of :data:`BATCH`."""
    for section in kinds.SECTIONS:
        remaining = iter(getattr(dataset, section.name))
        while batch := list(islice(remaining, BATCH)):
            yield registry_rows(section, batch)


# Link tables -----------------------------------------------------------------------


@attrs.frozen
class _Link:
    """One list of references as a table, and where its rows come from."""

    table: Table
    #: The list field of the owning records, such as ``members``.
    field: str
    #: The kinds of record that have the list.
    owners: frozenset[str]


def _lists() -> dict[str, dict[str, frozenset[str]]]:
    """Each list of references on a record, by field: the kinds that have it, and its targets."""
    found: dict[str, dict[str, frozenset[str]]] = {}
    for kind in kinds.KINDS:
        for reference in references.references(kind.definition):
            # (field, *) is a list of ids on the record itself; evidence's
            # (evidence, *, article) has a table of its own.
            if len(reference.path) == 2 and reference.path[1] == references.EACH:
                found.setdefault(reference.path[0], {})[kind.name] = reference.targets
    return found


def _owner_word(owners: Iterable[str]) -> str:
    """What the owners are in one word: their kind, their section's category, or ``record``."""
    named = [kinds.kind(name) for name in owners]
    if len(named) == 1:
        return named[0].name
    sections = {kind.section for kind in named}
    if len(sections) == 1:
        return kinds.section(sections.pop()).category
    return "record"


def _link(field: str, targets_by_owner: dict[str, frozenset[str]]) -> _Link:
    owner = _owner_word(targets_by_owner)
    # The column for one id of a list: members -> member, sources -> source, about -> about.
    item = field.removesuffix("s") if field.endswith("s") and not field.endswith("ss") else field
    assert len({owner, item, "position"}) == 3, f"link table for {field} needs distinct columns"
    targets = frozenset().union(*targets_by_owner.values())
    table = Table(
        name=f"{owner}_{field}",
        title=f"{owner.capitalize()} {field}",
        description=f"The {field} list of each {owner} as rows, one per id in the list's "
        f"order, to join on without splitting the {field} cell.",
        section="links",
        type=None,
        columns=(
            Column(
                name=owner,
                title=owner.capitalize(),
                description=f"Id of the {owner} whose {field} list holds the id.",
                kind="ref",
                path=("id",),
                required=True,
                targets=tuple(sorted(targets_by_owner)),
            ),
            Column(
                name="position",
                title="Position",
                description="Place of the id in the list, counted from 1.",
                kind="integer",
                path=("position",),
                required=True,
            ),
            Column(
                name=item,
                title=item.capitalize(),
                description=f"One id from the {owner}'s {field} list.",
                kind="ref",
                path=(field, references.EACH),
                required=True,
                targets=tuple(sorted(targets)),
            ),
        ),
        key=(owner, "position"),
    )
    return _Link(table, field, frozenset(targets_by_owner))


_LINKS: dict[str, _Link] = {
    link.table.name: link for link in (_link(f, o) for f, o in _lists().items())
}
#: One table per list of references in the schema, in schema order.
LINKS: tuple[Table, ...] = tuple(link.table for link in _LINKS.values())


#: Makes rows of one table from a batch of records.
Maker = Callable[[Iterable[Any]], list[list[Cell]]]


@cache
def link_maker(table: Table, section: kinds.Section, spelled: bool = False) -> Maker:
    """The function making ``table``'s rows from records of ``section``: one comprehension.

    Generated, as the rows of the record tables are (see ``_rows``), so that
    the list is read as an attribute, not through a call, from each of the
    records, most of which have none. ``spelled``: the position as text, as
    ``csv.writer`` spells it, for a writer that joins the cells itself.
    """
    link = _LINKS[table.name]
    owners = link.owners.intersection(k.name for k in section.kinds)
    if not owners:
        return lambda records: []
    assert link.field.isidentifier()
    # Some kinds of the section may have no such list: only the owners' records are read.
    owned = "r.TYPE in OWNERS and " if len(owners) < len(section.kinds) else ""
    # Always a whole number here, which an f-string spells as str() does, without a call.
    position = "f'{position}'" if spelled else "position"
    source = (
        "def rows(records):\n"
        f"    return [[r.id, {position}, item] for r in records if {owned}(items := r.{link.field})"
        " for position, item in enumerate(items, 1)]\n"
    )
    namespace: dict[str, Any] = {"OWNERS": frozenset(owners)}
    exec(compile(source, f"<rows of {table.name}>", "exec"), namespace)
    made: Maker = namespace["rows"]
    return made
