"""The workbook exporter: an Excel workbook for editors, which storyfacts reads back.

The workbook itself is built by :mod:`storyfacts.workbook`; see
``docs/workbooks.md`` for what editors find in it and what they may change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import hookimpl
from ..contract import ExportContext, Exporter

if TYPE_CHECKING:
    from ..model import Dataset


#: What this format leaves out, and why: declared as the exporter's ``omitted``,
#: which the conformance kit holds to what the export writes.
OMITTED: dict[str, str] = {}


def write(dataset: Dataset, path: Path, context: ExportContext) -> None:
    from ..workbook.writer import write_workbook

    write_workbook(dataset, path, context.advance)


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(
        Exporter(
            name="xlsx",
            extension=".xlsx",
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            description="An Excel workbook for editors: dropdowns, notes on every column, "
            "and checked cell by cell when read back.",
            write=write,
            cost=10,
            streams=True,
            omitted=OMITTED,
        )
    )
