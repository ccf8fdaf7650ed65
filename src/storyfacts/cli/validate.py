"""``storyfacts validate``: check datasets or edited workbooks and list every problem."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .console import print_json
from .failures import INVALID, OK, USAGE
from .group import command

if TYPE_CHECKING:
    from ..errors import Problem


@command("validate")
@click.argument(
    "paths",
    nargs=-1,
    type=click.Path(path_type=Path),
    metavar="[PATH]...",
    help="dataset JSON files or .xlsx workbooks (default: the bundled dataset)",
)
@click.option("--json", "as_json", is_flag=True, help="print the result as JSON")
def validate(paths: tuple[Path, ...], as_json: bool) -> int:
    from .. import loading
    from ..errors import InputError, printable
    from ..progress import Progress

    # A large file takes seconds to check: a terminal says which one is being checked.
    progress = Progress()
    results: list[dict[str, Any]] = []
    worst = OK
    for path in paths or (loading.bundled_path(),):
        workbook = path.suffix.lower() in loading.WORKBOOK_SUFFIXES
        try:
            with progress.phase(f"checking {printable(str(path))}"):
                problems, notes, edited = _check(path, workbook=workbook)
        except InputError as error:
            results.append(
                {"path": str(path), "valid": False, "error": error.reason, "problems": []}
            )
            worst = USAGE
            if not as_json:
                print(f"storyfacts: {error}", file=sys.stderr)
            continue
        result: dict[str, Any] = {
            "path": str(path),
            "valid": not problems,
            "problems": [p.to_dict() for p in problems],
        }
        if workbook:
            result |= {"notes": notes, "edited": edited}
        results.append(result)
        if problems:
            worst = max(worst, INVALID)
        if not as_json:
            _print_problems(path, problems)
            for note in notes:
                print(f"  note: {note}")
            if edited is not None:
                print(f"  {'edited since it was exported' if edited else 'unchanged since export'}")
    if as_json:
        print_json(results)
    return worst


def _check(path: Path, *, workbook: bool) -> tuple[list[Problem], list[str], bool | None]:
    """Every problem in the file; for a workbook, also its notes and whether it was edited."""
    from .. import loading

    if not workbook:
        return loading.validate(path), [], None
    from ..workbook import read as read_workbook

    reading = read_workbook(path)
    return reading.problems, [str(note) for note in reading.notes], reading.edited


def _print_problems(path: Path, problems: list[Problem]) -> None:
    from ..errors import printable

    # A file name can hold ESC or a line break: echoed escaped, it can neither
    # drive the terminal nor forge a "valid" line.
    shown = printable(str(path))
    if not problems:
        print(f"{shown}: valid")
        return
    noun = "problem" if len(problems) == 1 else "problems"
    print(f"{shown}: {len(problems)} {noun}")
    for problem in problems:
        print(f"  {problem}")
