"""``storyfacts reanchor``: find every evidence passage again after bodies were edited."""

from __future__ import annotations

from pathlib import Path

import click

from .console import print_json, write_text
from .failures import INVALID, OK
from .group import command

_FILE = click.Path(path_type=Path)


@command("reanchor")
@click.argument(
    "dataset", type=_FILE, metavar="DATASET", help="the dataset whose bodies were edited"
)
@click.option(
    "--from",
    "old_dataset",
    type=_FILE,
    metavar="OLD_DATASET",
    help="the dataset before the edit: offsets are mapped through the change of each body",
)
@click.option(
    "--old-body",
    type=_FILE,
    metavar="FILE",
    help="a UTF-8 text file holding the body before the edit (with --article when the "
    "dataset has several articles)",
)
@click.option("--article", metavar="ID", help="the article --old-body belongs to")
@click.option(
    "-o", "--output", type=_FILE, metavar="PATH", help="write the re-anchored dataset JSON here"
)
@click.option("--json", "as_json", is_flag=True, help="print the statuses as JSON")
def reanchor(
    dataset: Path,
    old_dataset: Path | None,
    old_body: Path | None,
    article: str | None,
    output: Path | None,
    as_json: bool,
) -> int:
    from .. import jsonfile, reanchoring
    from ..errors import InputError

    if old_dataset is not None and old_body is not None:
        raise click.UsageError("give --from or --old-body, not both")
    old: dict[str, str] | None = None
    if old_dataset is not None:
        old = reanchoring.old_bodies(old_dataset)
    elif old_body is not None:
        ids = list(reanchoring.old_bodies(dataset))
        chosen = article or (ids[0] if len(ids) == 1 else None)
        if chosen not in ids:
            raise click.UsageError(f"say which article --old-body is, with --article: {ids}")
        try:
            old = {chosen: old_body.read_text(encoding="utf-8")}
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(old_body, f"cannot be read as UTF-8 text ({error})") from None
    result = reanchoring.reanchor(dataset, old)
    if as_json:
        print_json([p.to_dict() for p in result.passages])
    else:
        for passage in result.passages:
            print(passage)
        waiting = len(result.needs_a_person)
        print(f"{len(result.passages) - waiting} placed, {waiting} need a person.")
    if output is not None and not write_text(output, jsonfile.dumps(result.data)):
        return INVALID
    return INVALID if result.needs_a_person else OK
