"""The ``storyfacts merge`` and ``storyfacts split`` commands (see docs/corpus.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli.console import say_nothing_written
from ..cli.group import command

__all__ = ["merge", "split"]

OK, INVALID = 0, 1

_FILE = click.Path(path_type=Path)


@command("merge")
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    type=_FILE,
    metavar="DATASET...",
    help="dataset JSON files or workbooks",
)
@click.option(
    "-o",
    "--output",
    type=_FILE,
    required=True,
    metavar="PATH",
    help="the corpus: one JSON file (.json), or else a directory of JSON Lines files",
)
@click.option(
    "--id", "corpus_id", metavar="ID", help="the corpus id (default: the first dataset's)"
)
@click.option("--title", metavar="TEXT", help="the corpus title (default: the first's)")
@click.option(
    "--keep-first",
    is_flag=True,
    help="resolve two values of one field by keeping the first dataset's, and list each "
    "decision (a name that lost becomes an alias)",
)
def merge(
    paths: tuple[Path, ...],
    output: Path,
    corpus_id: str | None,
    title: str | None,
    keep_first: bool,
) -> int:
    from ..exporting import export
    from .merging import merge_report

    report = merge_report(
        *paths,
        names=[str(p) for p in paths],
        id=corpus_id,
        title=title,
        conflicts="first" if keep_first else "fail",
    )
    for note in report.notes:
        print(f"storyfacts: note: {note}", file=sys.stderr)
    if output.suffix.lower() == ".json":
        export(report.dataset, "json", output)
    else:
        from .lines import dump_lines

        try:
            dump_lines(report.dataset, output)
        except OSError as error:
            say_nothing_written(output, error)
            return INVALID
    print(output)
    return OK


@command("split")
@click.argument(
    "corpus",
    type=_FILE,
    metavar="CORPUS",
    help="the corpus: a JSON file or a JSON Lines directory",
)
@click.option(
    "-o", "--output", type=_FILE, required=True, metavar="DIR", help="the directory to write"
)
def split(corpus: Path, output: Path) -> int:
    from .. import loading
    from ..atomic import replace_atomically
    from .splitting import split as split_corpus

    try:
        parts = split_corpus(corpus)
    except ValueError as error:  # a corpus with no article
        print(f"storyfacts: {corpus}: {error}", file=sys.stderr)
        return INVALID
    try:
        with replace_atomically(output, directory=True) as temp:
            for article, dataset in parts.items():
                (temp / f"{article}.json").write_text(
                    loading.dumps(dataset), encoding="utf-8", newline="\n"
                )
    except OSError as error:
        say_nothing_written(output, error)
        return INVALID
    print(output)
    print(f"  {len(parts)} stories", file=sys.stderr)
    return OK
