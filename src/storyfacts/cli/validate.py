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
    from .. import _resources
    from ..errors import InputError, printable
    from ..progress import Progress

    # A large file takes seconds to check: a terminal says which one is being checked.
    progress = Progress()
    results: list[dict[str, Any]] = []
    worst = OK
    for path in paths or (_resources.seed_path(),):
        workbook = path.suffix.lower() in WORKBOOK_SUFFIXES
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


#: The suffixes storyfacts.loading reads as workbooks (WORKBOOK_SUFFIXES there;
#: a test keeps the two in step). Named here so that checking a JSON file
#: does not import storyfacts.loading.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls")


def _check(path: Path, *, workbook: bool) -> tuple[list[Problem], list[str], bool | None]:
    """Every problem in the file; for a workbook, also its notes and whether it was edited."""
    if not workbook:
        return _dataset_problems(path), [], None
    from ..workbook import read as read_workbook

    reading = read_workbook(path)
    return reading.problems, [str(note) for note in reading.notes], reading.edited


def _dataset_problems(path: Path) -> list[Problem]:
    """What storyfacts.validate(path) returns, importing only what checking the file needs.

    A dataset file and a JSON Lines corpus are checked as streams, as
    storyfacts.validate checks them, but without importing storyfacts.loading
    and what loading a dataset needs besides (the model's converter, the
    fingerprints of storyfacts.validity): a few MiB of the process's peak
    memory, which a 10 MB file cannot amortise. Anything else (a file of
    unusual shape, a path that is not a file) goes to storyfacts.validate.
    """
    if path.is_dir():
        from ..corpus.lines import is_lines_corpus

        if is_lines_corpus(path):
            from ..streaming.corpus import corpus_problems

            return corpus_problems(path)
    elif path.is_file():
        from ..streaming.document import document_problems

        found = document_problems(path)
        if found is not None:
            return found
    from .. import loading

    return loading.validate(path)


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
