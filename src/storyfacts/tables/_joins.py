"""Tables that exist to be joined through: every id with the table that holds it.

A reference that may point into several tables (a quote's ``speaker`` may be
a person, an organisation, a country or a group) has one table to point at:
``records``. The CSV writes it and declares such references foreign keys to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from .. import kinds
from ..model import Dataset
from ._layout import TABLES, Column, Table
from ._rows import BATCH, Cell

__all__ = ["RECORDS", "record_rows"]

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


def record_rows(dataset: Dataset) -> Iterator[list[list[Cell]]]:
    """The rows of :data:`RECORDS`, in dataset order, in batches of :data:`BATCH`."""
    for section in kinds.SECTIONS:
        remaining = iter(getattr(dataset, section.name))
        table = None if section.typed else _TABLE_OF_KIND[section.category]
        while batch := list(islice(remaining, BATCH)):
            if table is None:
                yield [[record.id, _TABLE_OF_KIND[record.TYPE]] for record in batch]
            else:
                yield [[record.id, table] for record in batch]
