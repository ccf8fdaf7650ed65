"""A storyfacts plugin: the ``markdown`` format, a fact sheet an editor can paste into a draft.

Installing this package is all it takes: storyfacts finds the plugin through
the ``storyfacts`` entry point in its ``pyproject.toml``, and then
``storyfacts export -f markdown`` writes the sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from storyfacts import Dataset, ExportContext, Exporter, hookimpl

from .factsheet import render

__all__ = ["render", "write"]
__version__ = "0.1.0"


def write(dataset: Dataset, path: Path, context: ExportContext) -> None:
    """Write the fact sheet of ``dataset`` to ``path`` as UTF-8 Markdown."""
    path.write_text(render(dataset), encoding="utf-8", newline="\n")
    context.advance(context.total)


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(
        Exporter(
            name="markdown",
            extension=".md",
            media_type="text/markdown",
            description="A Markdown fact sheet of the story, for pasting into a draft.",
            write=write,
        )
    )
