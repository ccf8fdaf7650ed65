"""The CSV exporter: one RFC 4180 table per kind of record, and a Frictionless data package.

The tables and their columns are those of :mod:`storyfacts.tables`, which the
workbook shares, plus ``records.csv``: every id with the table that holds it,
so a reference that may point into several tables has one foreign key target.
``datapackage.json`` (Data Package v1, Table Schema) describes every table.

Text a spreadsheet would evaluate as a formula gets a leading ``'`` unless the
user asks for ``-O formulas=keep``; see ``docs/formats/csv.md``.

The exporter is in six parts: :mod:`.options` (what ``-O`` chooses),
:mod:`.cells` (how a value is spelled in a cell), :mod:`.lines` (a batch of
rows joined into text, byte for byte what ``csv.writer`` writes),
:mod:`.files` (writing the RFC 4180 files), :mod:`.package` (the data
package describing them) and :mod:`.corpus` (a JSON Lines corpus, read and
written as a stream).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ... import hookimpl
from ...contract import ExportContext, Exporter
from .cells import analyst_table
from .corpus import write_corpus
from .options import CsvOptions, parse_options
from .package import PACKAGE, descriptor

if TYPE_CHECKING:
    from ...model import Dataset
    from ...tables import Table

# The table layout (and with it the model and the schema) is imported when a
# dataset is written, not when the exporter is listed (`storyfacts formats`):
# hence the imports inside functions here and in the parts.

__all__ = [
    "PACKAGE",
    "CsvOptions",
    "analyst_table",
    "descriptor",
    "parse_options",
    "records_table",
    "write",
    "write_corpus",
]

#: What this format leaves out, and why: declared as the exporter's ``omitted``,
#: which the conformance kit holds to what the export writes.
OMITTED: dict[str, str] = {}


def records_table() -> Table:
    """The ``records`` table: every record's id and the table that holds it."""
    from ...tables import RECORDS

    return RECORDS


def write(dataset: Dataset, path: Path, context: ExportContext) -> None:
    """Write every table, ``records.csv`` and ``datapackage.json`` into the directory ``path``."""
    from .files import write_tables
    from .package import header_of, write_package

    options = parse_options(context.options)
    write_tables(dataset, path, options, context.advance)
    articles = ((article.headline, article.url) for article in dataset.articles)
    write_package(path / PACKAGE, header_of(dataset), articles, options)


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(
        Exporter(
            name="csv",
            extension=".csv",
            media_type="text/csv",
            description="One CSV table per kind of record, described by a Frictionless "
            "datapackage.json.",
            write=write,
            write_corpus=write_corpus,
            streams=True,
            directory=True,
            omitted=OMITTED,
            options={
                "formulas": "neutralise (default) prefixes text a spreadsheet would evaluate "
                "with ' ; keep writes it as is",
                "bom": "true starts each CSV with a UTF-8 byte-order mark for Excel; "
                "false (default) does not",
            },
        )
    )
