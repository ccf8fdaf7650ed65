"""storyfacts-quotes: every quote in a story, with who said it, as plain text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from storyfacts import Dataset, ExportContext, Exporter, Quote, hookimpl


def write_quotes(dataset: Dataset, path: Path, context: ExportContext) -> None:
    """Write each quote as a paragraph: the words, then who said them."""
    names = {entity.id: entity.name for entity in dataset.entities}
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for record in dataset.records():
            if isinstance(record, Quote):
                out.write(f"“{record.text}”\n    — {names[record.speaker]}\n\n")
            context.advance()


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(
        Exporter(
            name="quotes",
            extension=".txt",
            media_type="text/plain",
            description="Every quote in the story with who said it, as plain text.",
            write=write_quotes,
            streams=True,
        )
    )
