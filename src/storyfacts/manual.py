"""What each command's ``--help`` says beyond its options: a description and examples.

Kept apart from the parser so the words can be read and edited in one place;
:func:`describe` puts them on the parsers. Every command has an entry
(tests/test_help_pages.py checks it), and the examples are commands that run.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

__all__ = ["PAGES", "TOP", "describe"]

#: The top level's examples.
TOP = """\
examples:
  storyfacts export                     every format, into ./storyfacts-out/
  storyfacts export -f xlsx -o story.xlsx
  storyfacts validate story.xlsx        after an editor's changes
  storyfacts COMMAND --help             what a command does, with examples
"""

#: Each command's description and examples.
PAGES: dict[str, tuple[str, str]] = {
    "validate": (
        """\
Check datasets (JSON) or edited workbooks (.xlsx) and list every problem,
each with its JSON path or cell. For a workbook, notes (what the reader
did on its own) and whether it was edited since export follow.
Exit code 0 when every file is valid, 1 when any is invalid, 2 when one
cannot be read.""",
        """\
examples:
  storyfacts validate                   the bundled dataset
  storyfacts validate story.json edited.xlsx
  storyfacts validate --json story.json > problems.json
""",
    ),
    "export": (
        """\
Export a dataset to one or more formats (storyfacts formats lists them).
One format goes to -o PATH itself; several go into the directory -o names
(./storyfacts-out/ by default). Every export is all or nothing: a failure
or Ctrl-C leaves nothing partial, and an existing file stays as it was.""",
        """\
examples:
  storyfacts export                     every built-in format
  storyfacts export story.json -f xlsx -o story.xlsx
  storyfacts export -f csv,ics -o exports/
  storyfacts export -f json -o - | jq .title
  storyfacts export -f csv -O formulas=keep -O bom=true
""",
    ),
    "import": (
        """\
Read an edited workbook back into a dataset JSON file. Nothing is written
unless the whole workbook is valid: otherwise every problem is listed by
sheet and cell, and the exit code is 1.""",
        """\
examples:
  storyfacts import story.xlsx -o story.json
  storyfacts import story.xlsx | jq '.statements | length'
""",
    ),
    "reanchor": (
        "",
        """\
examples:
  storyfacts reanchor story.json --from story-before.json -o story.json
  storyfacts reanchor story.json --old-body body-before.txt --json
""",
    ),
    "new": (
        "",
        """\
examples:
  storyfacts new article.txt --published 2023-03-22 -o story.xlsx
  storyfacts new article.txt --published 2023-03-22 \\
      --url https://example.org/a --known earlier.json -o story.json
""",
    ),
    "formats": (
        """\
List the export formats, built-in and from plugins: the name to give -f,
the extension (a trailing / marks a directory), what it is for and each
option it takes as -O KEY=VALUE.""",
        """\
examples:
  storyfacts formats
  storyfacts formats --long             with media types and plugins
  storyfacts formats --json | jq '.[].name'
""",
    ),
    "plugins": (
        """\
List the plugins that are loaded, where each comes from (its distribution
and version) and its hooks, then any plugin that failed and why.
STORYFACTS_LOAD_PLUGINS and STORYFACTS_BLOCK_PLUGINS choose which load.""",
        """\
examples:
  storyfacts plugins
  storyfacts plugins --json
  STORYFACTS_BLOCK_PLUGINS=markdown storyfacts plugins
""",
    ),
    "schema": (
        """\
Print the JSON Schema (Draft 2020-12) that every dataset follows.""",
        """\
examples:
  storyfacts schema > storyfacts.schema.json
""",
    ),
    # merge and split describe themselves (storyfacts.corpus.commands).
    "merge": (
        "",
        """\
examples:
  storyfacts merge putin-xi.json ioc-board.json -o corpus.json
  storyfacts merge a.json b.json -o corpus.json --keep-first
  storyfacts merge a.json b.json -o corpus/   JSON Lines, one record a line
""",
    ),
    "split": (
        "",
        """\
examples:
  storyfacts split corpus.json -o stories/   one ARTICLE-ID.json per article
""",
    ),
}


def describe(parser: argparse.ArgumentParser, commands: Mapping[str, Any]) -> None:
    """Give the top level and each command its description (unless it has one) and examples."""
    parser.epilog = TOP
    for name, command in commands.items():
        description, examples = PAGES.get(name, ("", ""))
        if description and not command.description:
            command.description = description
        if examples:
            command.epilog = examples
