"""A JSON Lines corpus exported to CSV as a stream, in memory that does not grow with it.

storyfacts hands the exporter a :class:`~storyfacts.streaming.CorpusReader`
for a corpus directory (``header.json``, ``articles.jsonl``, ...; see
docs/corpus.md) it has validated in one streaming pass. Each section's
records are read once, a batch at a time, and go into every table file at
once (:func:`~storyfacts.exporters.csv.files.write_sections`); the articles
are read again for their headlines and links in ``datapackage.json``. No
section is ever held whole: what the export keeps is a batch of records and
a buffer per file. The files are byte for byte those of the same dataset
loaded whole and exported (tests/test_csv_corpus.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .files import write_sections
from .options import parse_options
from .package import PACKAGE, header_of, write_package

if TYPE_CHECKING:
    from ...contract import ExportContext
    from ...streaming import CorpusReader

__all__ = ["write_corpus"]


def write_corpus(corpus: CorpusReader, path: Path, context: ExportContext) -> None:
    """Write the tables and ``datapackage.json`` of a valid corpus into the directory ``path``."""
    from ... import kinds

    options = parse_options(context.options)
    sections = ((section, corpus.structured(section.name)) for section in kinds.SECTIONS)
    write_sections(sections, path, options, context.advance)
    articles = ((article.headline, article.url) for article in corpus.structured("articles"))
    write_package(path / PACKAGE, header_of(corpus.dataset_header()), articles, options)
