"""What each command's ``--help`` says beyond its options: a summary, a description, examples.

Kept apart from the commands so the words can be read and edited in one
place, and so that ``storyfacts --help`` can list every command from here
without importing any of them (the commands are loaded only when run: see
:mod:`storyfacts.cli.group`). Every command has an entry
(tests/test_help_pages.py checks it), and the examples are commands that run.
This module imports nothing.
"""

from __future__ import annotations

__all__ = ["COMPLETION", "DESCRIPTION", "PAGES", "TOP"]

#: What ``storyfacts --help`` says first.
DESCRIPTION = (
    "Turn a news story into a checked, structured record, and export it. "
    "Every command works on the bundled dataset when given no input."
)

#: The top level's examples.
TOP = """\
storyfacts export                     every format, into ./storyfacts-out/
storyfacts export -f xlsx -o story.xlsx
storyfacts validate story.xlsx        after an editor's changes
storyfacts COMMAND --help             what a command does, with examples
"""

#: How to turn on shell completion, at the end of ``storyfacts --help``.
COMPLETION = """\
Commands, options, format names and paths complete in bash, zsh and fish.
For bash, add this line to ~/.bashrc (zsh: zsh_source, ~/.zshrc):
  eval "$(_STORYFACTS_COMPLETE=bash_source storyfacts)"
Fish and the details: docs/cli.md.
"""

#: Each command's one-line summary (in ``storyfacts --help``), description and examples.
PAGES: dict[str, tuple[str, str, str]] = {
    "validate": (
        "check datasets or edited workbooks and list every problem",
        """\
Check datasets (JSON) or edited workbooks (.xlsx) and list every problem,
each with its JSON path or cell. For a workbook, notes (what the reader
did on its own) and whether it was edited since export follow.
Exit code 0 when every file is valid, 1 when any is invalid, 2 when one
cannot be read.""",
        """\
storyfacts validate                   the bundled dataset
storyfacts validate story.json edited.xlsx
storyfacts validate --json story.json > problems.json
""",
    ),
    "export": (
        "export a dataset to one or more formats",
        """\
Export a dataset to one or more formats (storyfacts formats lists them).
One format goes to -o PATH itself; several go into the directory -o names
(./storyfacts-out/ by default), written in worker processes, as many at once
as there are CPUs (-j). Every export is all or nothing: a failure or Ctrl-C
leaves nothing partial, and an existing file stays as it was.""",
        """\
storyfacts export                     every built-in format
storyfacts export big.json -j 1       one format after another, in one process
storyfacts export story.json -f xlsx -o story.xlsx
storyfacts export -f csv,ics -o exports/
storyfacts export -f json -o - | jq .title
storyfacts export -f csv -O formulas=keep -O bom=true
""",
    ),
    "import": (
        "read an edited workbook back into a validated dataset JSON file",
        """\
Read an edited workbook back into a dataset JSON file. Nothing is written
unless the whole workbook is valid: otherwise every problem is listed by
sheet and cell, and the exit code is 1.""",
        """\
storyfacts import story.xlsx -o story.json
storyfacts import story.xlsx | jq '.statements | length'
""",
    ),
    "reanchor": (
        "find every evidence passage again after article bodies were edited",
        """\
Find every evidence passage of DATASET again in its article's current
body. Exact, unambiguous results are applied (-o writes the dataset with
them); anything approximate, ambiguous or lost is listed for a person.
Exit code 0 when every passage was anchored or moved, 1 when any needs a
person.""",
        """\
storyfacts reanchor story.json --from story-before.json -o story.json
storyfacts reanchor story.json --old-body body-before.txt --json
""",
    ),
    "new": (
        "draft a starter dataset or workbook from an article's text",
        """\
Draft a starter record from a news article: direct quotes and their
speakers, date phrases resolved against the publication date, and
candidate entities, each marked as a draft for an editor to confirm. See
docs/new-story.md.""",
        """\
storyfacts new article.txt --published 2023-03-22 -o story.xlsx
storyfacts new article.txt --published 2023-03-22 \\
    --url https://example.org/a --known earlier.json -o story.json
""",
    ),
    "formats": (
        "list the export formats",
        """\
List the export formats, built-in and from plugins: the name to give -f,
the extension (a trailing / marks a directory), what it is for and each
option it takes as -O KEY=VALUE.""",
        """\
storyfacts formats
storyfacts formats --long             with media types and plugins
storyfacts formats --json | jq '.[].name'
""",
    ),
    "plugins": (
        "list installed plugins and any that failed",
        """\
List the plugins that are loaded, where each comes from (its distribution
and version) and its hooks, then any plugin that failed and why.
STORYFACTS_LOAD_PLUGINS and STORYFACTS_BLOCK_PLUGINS choose which load.""",
        """\
storyfacts plugins
storyfacts plugins --json
STORYFACTS_BLOCK_PLUGINS=markdown storyfacts plugins
""",
    ),
    "schema": (
        "print the dataset JSON Schema",
        """\
Print the JSON Schema (Draft 2020-12) that every dataset follows.""",
        """\
storyfacts schema > storyfacts.schema.json
""",
    ),
    "merge": (
        "merge datasets into one corpus, joining records that are the same",
        """\
Merge datasets into one corpus. Records with the same id (or entities
with the same Wikidata id) are joined; every conflict is listed by
record, and nothing is written unless all of them are resolved. See
docs/corpus.md.""",
        """\
storyfacts merge putin-xi.json ioc-board.json -o corpus.json
storyfacts merge a.json b.json -o corpus.json --keep-first
storyfacts merge a.json b.json -o corpus/   JSON Lines, one record a line
""",
    ),
    "split": (
        "split a corpus into one closed dataset per article",
        """\
Split a corpus into one dataset per article, each holding everything its
records refer to, written as DIR/ARTICLE-ID.json. See docs/corpus.md.""",
        """\
storyfacts split corpus.json -o stories/   one ARTICLE-ID.json per article
""",
    ),
}
