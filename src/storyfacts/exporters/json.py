"""The canonical JSON exporter: lossless, loads back as the same dataset.

The output is byte for byte ``storyfacts.dumps(dataset)``, written record by
record so that memory does not grow with the dataset. orjson serialises each
record; its ``OPT_INDENT_2`` layout is the one ``json.dumps(indent=2,
ensure_ascii=False)`` gives, several times faster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .. import hookimpl
from ..contract import ExportContext, Exporter

if TYPE_CHECKING:
    from ..model import Dataset

_BATCH = 2000


def _scalar(value: Any) -> bytes:
    import orjson

    return orjson.dumps(value)


def _records(items: list[Any]) -> Iterator[bytes]:
    # cattrs is imported when a dataset is written, not when the exporter is
    # listed (`storyfacts formats`).
    from ..convert import converter
    from ..jsonfile import nested

    for record in items:
        # Each record sits four spaces deep in the whole document.
        yield b"    " + nested(converter.unstructure(record), 4)


def _section(out: BinaryIO, name: str, items: list[Any], context: ExportContext) -> None:
    out.write(b'  "' + name.encode() + b'": ')
    if not items:
        out.write(b"[]")
        return
    out.write(b"[\n")
    batch: list[bytes] = []
    first = True
    for chunk in _records(items):
        batch.append(chunk)
        if len(batch) == _BATCH:
            out.write((b"" if first else b",\n") + b",\n".join(batch))
            context.advance(len(batch))
            first, batch = False, []
    if batch:
        out.write((b"" if first else b",\n") + b",\n".join(batch))
        context.advance(len(batch))
    out.write(b"\n  ]")


def write(dataset: Dataset, path: Path, context: ExportContext) -> None:
    from .. import kinds

    with path.open("wb") as out:
        out.write(b"{\n")
        for name in ("schema_version", "id", "title", "modified"):
            out.write(b'  "' + name.encode() + b'": ' + _scalar(getattr(dataset, name)) + b",\n")
        sections = [section.name for section in kinds.SECTIONS]
        for number, name in enumerate(sections):
            _section(out, name, getattr(dataset, name), context)
            out.write(b",\n" if number < len(sections) - 1 else b"\n")
        out.write(b"}\n")


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(
        Exporter(
            name="json",
            extension=".json",
            media_type="application/json",
            description="The canonical dataset as JSON: lossless, and loads back as it was.",
            write=write,
            streams=True,
        )
    )
