"""The dataset as tables: one per kind of record, with columns from the schema.

The CSV and workbook exporters write these tables, and the workbook reader
reads them back, so both directions share one layout. Each table's columns
come from the JSON Schema: a scalar property is one column, a partial date is
five (``start``, ``start_precision``, ``start_phrase``, ``start_source``,
``start_inferred``), a list of texts or ids is one column holding one item
per line, and evidence lives in a table of its own that points back to the
record it supports. For joins, :data:`RECORDS` lists every id with its table,
and :data:`LINKS` holds each list of references as rows (see ``_joins``).
"""

from ._joins import LINKS, RECORDS, link_maker, record_rows, registry_rows
from ._layout import EVIDENCE, LIST_SEPARATOR, TABLES, Column, Kind, Table
from ._rows import (
    BATCH,
    Cell,
    RowBuilder,
    attach_evidence,
    cells,
    evidence_rows,
    flatten,
    records,
    records_by_table,
    rows,
    unflatten,
    with_evidence,
)

__all__ = [
    "BATCH",
    "EVIDENCE",
    "LINKS",
    "LIST_SEPARATOR",
    "RECORDS",
    "TABLES",
    "Cell",
    "Column",
    "Kind",
    "RowBuilder",
    "Table",
    "attach_evidence",
    "cells",
    "evidence_rows",
    "flatten",
    "link_maker",
    "record_rows",
    "records",
    "records_by_table",
    "registry_rows",
    "rows",
    "unflatten",
    "with_evidence",
]
