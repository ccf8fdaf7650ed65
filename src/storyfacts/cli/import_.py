"""``storyfacts import``: read an edited workbook back into a validated dataset JSON file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .console import write_text
from .failures import INVALID, OK
from .group import command


@command("import")
@click.argument(
    "workbook",
    type=click.Path(path_type=Path),
    metavar="WORKBOOK",
    help="an .xlsx workbook storyfacts exported",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="where to write the dataset JSON (default: standard output)",
)
def import_(workbook: Path, output: Path | None) -> int:
    from .. import loading
    from ..errors import InvalidDatasetError, printable
    from ..progress import Progress

    # A large workbook takes a while to read: a terminal says what is going on.
    progress = Progress()
    if workbook.suffix.lower() in loading.WORKBOOK_SUFFIXES:
        from ..workbook import read as read_workbook

        with progress.phase(f"reading and checking {printable(str(workbook))}"):
            reading = read_workbook(workbook)
        if reading.problems:
            raise InvalidDatasetError(reading.problems, workbook)
        # What the reader did on its own, such as evidence re-anchored after an edit.
        for note in reading.notes:
            print(f"note: {note}", file=sys.stderr)
        with progress.phase("building the dataset"):
            dataset = loading.load(reading.data)
    else:
        with progress.phase(f"reading and checking {printable(str(workbook))}"):
            dataset = loading.load(workbook)
    with progress.phase("writing JSON"):
        text = loading.dumps(dataset)
    if output is None:
        sys.stdout.write(text)
        return OK
    if not write_text(output, text):
        return INVALID
    print(printable(str(output)))
    return OK
