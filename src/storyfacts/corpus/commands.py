"""The ``storyfacts merge`` and ``storyfacts split`` commands (see docs/corpus.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_commands"]

OK, INVALID = 0, 1


def add_commands(commands: Any) -> None:
    """Add ``merge`` and ``split`` to the command line's subparsers."""
    merge = commands.add_parser(
        "merge",
        help="merge datasets into one corpus, joining records that are the same",
        description="Merge datasets into one corpus. Records with the same id (or entities "
        "with the same Wikidata id) are joined; every conflict is listed by record, and "
        "nothing is written unless all of them are resolved. See docs/corpus.md.",
    )
    merge.add_argument(
        "paths", nargs="+", type=Path, metavar="DATASET", help="dataset JSON files or workbooks"
    )
    merge.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="PATH",
        help="the corpus: one JSON file (.json), or else a directory of JSON Lines files",
    )
    merge.add_argument("--id", metavar="ID", help="the corpus id (default: the first dataset's)")
    merge.add_argument("--title", metavar="TEXT", help="the corpus title (default: the first's)")
    merge.add_argument(
        "--keep-first",
        action="store_true",
        help="resolve two values of one field by keeping the first dataset's, and list each "
        "decision (a name that lost becomes an alias)",
    )
    merge.set_defaults(run=_merge)

    split = commands.add_parser(
        "split",
        help="split a corpus into one closed dataset per article",
        description="Split a corpus into one dataset per article, each holding everything its "
        "records refer to, written as DIR/ARTICLE-ID.json. See docs/corpus.md.",
    )
    split.add_argument(
        "corpus",
        type=Path,
        metavar="CORPUS",
        help="the corpus: a JSON file or a JSON Lines directory",
    )
    split.add_argument(
        "-o", "--output", type=Path, required=True, metavar="DIR", help="the directory to write"
    )
    split.set_defaults(run=_split)


def _merge(args: argparse.Namespace) -> int:
    from ..exporting import export
    from .merging import merge_report

    report = merge_report(
        *args.paths,
        names=[str(p) for p in args.paths],
        id=args.id,
        title=args.title,
        conflicts="first" if args.keep_first else "fail",
    )
    for note in report.notes:
        print(f"storyfacts: note: {note}", file=sys.stderr)
    if args.output.suffix.lower() == ".json":
        export(report.dataset, "json", args.output)
    else:
        from ..atomic import os_reason
        from .lines import dump_lines

        try:
            dump_lines(report.dataset, args.output)
        except OSError as error:
            print(
                f"storyfacts: Writing {args.output} failed, and nothing was written: "
                f"{os_reason(error)}",
                file=sys.stderr,
            )
            return INVALID
    print(args.output)
    return OK


def _split(args: argparse.Namespace) -> int:
    from .. import loading
    from ..atomic import os_reason, replace_atomically
    from .splitting import split

    try:
        parts = split(args.corpus)
    except ValueError as error:  # a corpus with no article
        print(f"storyfacts: {args.corpus}: {error}", file=sys.stderr)
        return INVALID
    try:
        with replace_atomically(args.output, directory=True) as temp:
            for article, dataset in parts.items():
                (temp / f"{article}.json").write_text(
                    loading.dumps(dataset), encoding="utf-8", newline="\n"
                )
    except OSError as error:
        print(
            f"storyfacts: Writing {args.output} failed, and nothing was written: "
            f"{os_reason(error)}",
            file=sys.stderr,
        )
        return INVALID
    print(args.output)
    print(f"  {len(parts)} stories", file=sys.stderr)
    return OK
