"""The canonical JSON exporter: lossless, loads back as the same dataset.

The output is byte for byte ``storyfacts.dumps(dataset)``, written record by
record so that memory does not grow with the dataset (:mod:`storyfacts.canonical`,
which the workbook's fingerprint hashes too). A JSON Lines corpus is read as
it is written (:func:`write_corpus`), one record at a time, never loaded whole.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import hookimpl
from ..contract import ExportContext, Exporter

if TYPE_CHECKING:
    from ..model import Dataset
    from ..streaming import CorpusReader


def write(dataset: Dataset, path: Path, context: ExportContext) -> None:
    from ..canonical import chunks

    with path.open("wb") as out:
        for chunk in chunks(dataset, context.advance):
            out.write(chunk)


def write_corpus(corpus: CorpusReader, path: Path, context: ExportContext) -> None:
    """A JSON Lines corpus, read one record at a time, as the canonical JSON of it loaded whole."""
    from ..canonical import chunks

    with path.open("wb") as out:
        for chunk in chunks(corpus.dataset_header(), context.advance, corpus.structured):
            out.write(chunk)


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(
        Exporter(
            name="json",
            extension=".json",
            media_type="application/json",
            description="The canonical dataset as JSON: lossless, and loads back as it was.",
            write=write,
            write_corpus=write_corpus,
            streams=True,
            omitted={},  # lossless: every field is written
        )
    )
