"""The canonical JSON exporter: lossless, loads back as the same dataset."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import hookimpl
from ..exporting import ExportContext, Exporter
from ..loading import dumps
from ..model import Dataset


def write(dataset: Dataset, path: Path, context: ExportContext) -> None:
    path.write_text(dumps(dataset), encoding="utf-8", newline="\n")
    context.advance(context.total)


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(
        Exporter(
            name="json",
            extension=".json",
            media_type="application/json",
            description="The canonical dataset as JSON: lossless, and loads back as it was.",
            write=write,
        )
    )
