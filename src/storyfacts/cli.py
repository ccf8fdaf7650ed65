"""The ``storyfacts`` command line.

Exit codes: 0 success; 1 invalid data or a failed export; 2 a usage error or
a file that cannot be read; 130 after Ctrl-C, 143 after SIGTERM (128 plus the
signal's number), with nothing partial left behind.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from .manual import describe
from .usage import Parser, bare

if TYPE_CHECKING:
    from .errors import Problem
    from .exporting import Exporter
    from .model import Dataset

# Each command imports what it needs when it runs: `storyfacts --help` and
# `--version` import nothing beyond argparse, and `formats` does not pay for
# the validators or the writers' libraries (tests/test_startup.py keeps it so).

OK, INVALID, USAGE = 0, 1, 2
DEFAULT_OUTPUT = "storyfacts-out"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="storyfacts",
        description="Turn a news story into a checked, structured record, and export it. "
        "Every command works on the bundled dataset when given no input.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"storyfacts {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=Parser, metavar="COMMAND"
    )

    validate = commands.add_parser(
        "validate", help="check datasets or edited workbooks and list every problem"
    )
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="dataset JSON files or .xlsx workbooks (default: the bundled dataset)",
    )
    validate.add_argument("--json", action="store_true", help="print the result as JSON")
    validate.set_defaults(run=_validate)

    export_ = commands.add_parser("export", help="export a dataset to one or more formats")
    export_.add_argument(
        "dataset",
        nargs="?",
        type=Path,
        metavar="DATASET",
        help="a dataset JSON file or workbook (default: the bundled dataset)",
    )
    export_.add_argument(
        "-f",
        "--format",
        action="append",
        dest="formats",
        metavar="FORMAT",
        help="a format name, in any case (storyfacts formats lists them); repeat or separate "
        "with commas (default: every built-in format)",
    )
    export_.add_argument(
        "-o",
        "--output",
        metavar="PATH",  # kept as typed: a trailing '/' says "a directory"
        help="the output file for one format (its extension must be the format's; a name "
        "ending in / is a directory to put it in), or a directory for several "
        f"(default: ./{DEFAULT_OUTPUT}/); '-' writes one single-file format to standard output",
    )
    export_.add_argument(
        "-O",
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an exporter option, such as -O formulas=keep for csv",
    )
    export_.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    export_.add_argument(
        "--scheduler",
        metavar="SCHEDULER",
        help="export in partitions on Dask (pip install 'storyfacts[dask]'): processes (a local "
        "pool), distributed (a local cluster), a cluster's address such as tcp://HOST:8786, or "
        "synchronous (this process); -o is then a directory of part files and manifest.json "
        "(docs/scaling.md)",
    )
    export_.add_argument(
        "--partitions",
        type=int,
        metavar="N",
        help="with --scheduler: how many partitions (default: one per 50,000 statements)",
    )
    export_.add_argument(
        "--strict-plugins",
        action="store_true",
        help="export nothing if any plugin failed to load (also STORYFACTS_STRICT_PLUGINS=1)",
    )
    export_.set_defaults(run=_export)

    import_ = commands.add_parser(
        "import", help="read an edited workbook back into a validated dataset JSON file"
    )
    import_.add_argument(
        "workbook", type=Path, metavar="WORKBOOK", help="an .xlsx workbook storyfacts exported"
    )
    import_.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="where to write the dataset JSON (default: standard output)",
    )
    import_.set_defaults(run=_import)

    reanchor = commands.add_parser(
        "reanchor",
        help="find every evidence passage again after article bodies were edited",
        description="Find every evidence passage of DATASET again in its article's current "
        "body. Exact, unambiguous results are applied (-o writes the dataset with them); "
        "anything approximate, ambiguous or lost is listed for a person. Exit code 0 when "
        "every passage was anchored or moved, 1 when any needs a person.",
    )
    reanchor.add_argument("dataset", type=Path, metavar="DATASET")
    before = reanchor.add_mutually_exclusive_group()
    before.add_argument(
        "--from",
        dest="old_dataset",
        type=Path,
        metavar="OLD_DATASET",
        help="the dataset before the edit: offsets are mapped through the change of each body",
    )
    before.add_argument(
        "--old-body",
        type=Path,
        metavar="FILE",
        help="a UTF-8 text file holding the body before the edit (with --article when the "
        "dataset has several articles)",
    )
    reanchor.add_argument("--article", metavar="ID", help="the article --old-body belongs to")
    reanchor.add_argument(
        "-o", "--output", type=Path, metavar="PATH", help="write the re-anchored dataset JSON here"
    )
    reanchor.add_argument("--json", action="store_true", help="print the statuses as JSON")
    reanchor.set_defaults(run=_reanchor)

    new = commands.add_parser(
        "new",
        help="draft a starter dataset or workbook from an article's text",
        description="Draft a starter record from a news article: direct quotes and their "
        "speakers, date phrases resolved against the publication date, and candidate "
        "entities, each marked as a draft for an editor to confirm. See docs/new-story.md.",
    )
    new.add_argument("article", type=Path, metavar="ARTICLE.txt", help="the article's text")
    new.add_argument(
        "--published", required=True, metavar="DATE", help="publication date, YYYY-MM-DD"
    )
    new.add_argument("--url", metavar="URL", help="where the article was published")
    new.add_argument("--publisher", metavar="NAME", help="who published it")
    new.add_argument("--headline", metavar="TEXT", help="the headline (default: first sentence)")
    new.add_argument("--language", default="en", metavar="TAG", help="BCP 47 tag (default: en)")
    new.add_argument(
        "--known",
        nargs="+",
        action="extend",
        default=[],
        type=Path,
        metavar="DATASET",
        help="datasets whose entities (names and aliases) the draft should reuse",
    )
    new.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="PATH",
        help="story.json for a dataset, story.xlsx for an editor's workbook",
    )
    new.set_defaults(run=_new)

    formats = commands.add_parser("formats", help="list the export formats")
    formats.add_argument("--json", action="store_true", help="print the list as JSON")
    formats.add_argument(
        "-l", "--long", action="store_true", help="add each format's media type and plugin"
    )
    formats.set_defaults(run=_formats)

    plugins_ = commands.add_parser("plugins", help="list installed plugins and any that failed")
    plugins_.add_argument("--json", action="store_true", help="print the list as JSON")
    plugins_.set_defaults(run=_plugins)

    schema = commands.add_parser("schema", help="print the dataset JSON Schema")
    schema.set_defaults(run=_schema)

    from .corpus.commands import add_commands as add_corpus_commands

    add_corpus_commands(commands)  # merge, split
    describe(parser, commands.choices)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if bare(parser, argv):
        return USAGE
    args = parser.parse_args(argv)
    from .errors import (
        InputError,
        InvalidDatasetError,
        OptionError,
        StoryfactsError,
        UnknownFormatError,
    )
    from .interruption import Stopped, signals_unwind

    try:
        with signals_unwind():
            code: int = args.run(args)
    except (UnknownFormatError, OptionError) as error:
        print(f"storyfacts: {error}", file=sys.stderr)
        return USAGE
    except InputError as error:
        print(f"storyfacts: {error}", file=sys.stderr)
        return USAGE
    except InvalidDatasetError as error:
        print(f"storyfacts: {error}", file=sys.stderr)
        return INVALID
    except StoryfactsError as error:
        print(f"storyfacts: {error}", file=sys.stderr)
        return INVALID
    except BrokenPipeError:
        # The reader went away (`storyfacts formats | head`): stop quietly, as
        # the Python documentation recommends, without a traceback at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return INVALID
    except Stopped as stop:
        print(
            f"storyfacts: stopped by {stop.name}; nothing partial was left behind.", file=sys.stderr
        )
        return 128 + stop.signum
    except KeyboardInterrupt:
        print("storyfacts: interrupted; nothing partial was left behind.", file=sys.stderr)
        return 130
    return code


def _print_json(value: Any, stream: TextIO | None = None) -> None:
    from . import jsonfile

    (stream or sys.stdout).write(jsonfile.dumps(value))


def _validate(args: argparse.Namespace) -> int:
    from . import loading
    from .errors import InputError

    paths: list[Path] = args.paths or [loading.bundled_path()]
    results: list[dict[str, Any]] = []
    worst = OK
    for path in paths:
        notes: list[str] = []
        edited: bool | None = None
        try:
            if path.suffix.lower() in loading.WORKBOOK_SUFFIXES:
                from .workbook import read as read_workbook

                reading = read_workbook(path)
                problems = reading.problems
                notes = [str(note) for note in reading.notes]
                edited = reading.edited
            else:
                problems = loading.validate(path)
        except InputError as error:
            results.append(
                {"path": str(path), "valid": False, "error": error.reason, "problems": []}
            )
            worst = USAGE
            if not args.json:
                print(f"storyfacts: {error}", file=sys.stderr)
            continue
        result: dict[str, Any] = {
            "path": str(path),
            "valid": not problems,
            "problems": [p.to_dict() for p in problems],
        }
        if path.suffix.lower() in loading.WORKBOOK_SUFFIXES:
            result |= {"notes": notes, "edited": edited}
        results.append(result)
        if problems:
            worst = max(worst, INVALID)
        if not args.json:
            _print_problems(path, problems)
            for note in notes:
                print(f"  note: {note}")
            if edited is not None:
                print(f"  {'edited since it was exported' if edited else 'unchanged since export'}")
    if args.json:
        _print_json(results)
    return worst


def _print_problems(path: Path, problems: list[Problem]) -> None:
    from .errors import printable

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


def _options(pairs: list[str]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(_usage(f"option {pair!r} must look like KEY=VALUE"))
        options[key.strip()] = value
    return options


def _usage(message: str) -> int:
    print(f"storyfacts: error: {message}", file=sys.stderr)
    return USAGE


def _export(args: argparse.Namespace) -> int:
    from . import loading, plugins
    from .errors import ExportError, UnknownFormatError
    from .exporting import export, output_name
    from .progress import progress_reporter
    from .targets import mismatch, nothing_left_behind

    # Format names are lower case (contract.NAME), so -f CSV can only mean csv.
    names = [n.strip().lower() for f in args.formats or [] for n in f.split(",") if n.strip()]
    names = list(dict.fromkeys(names)) or plugins.builtin_formats()
    known = plugins.exporters()
    if _report_plugin_failures(strict=args.strict_plugins or plugins.strict()):
        return INVALID
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UnknownFormatError(unknown[0], list(known))
    options = _options(args.option)
    for key in options:
        if not any(key in known[n].options for n in names):
            offered = "; ".join(
                f"{n}: {', '.join(sorted(known[n].options))}" for n in names if known[n].options
            )
            return _usage(
                f"no selected format has an option {key!r}"
                + (f" (options: {offered})" if offered else "")
            )
    to_stdout = args.output == "-"
    if args.partitions is not None and args.scheduler is None:
        return _usage("--partitions goes with --scheduler")
    if args.scheduler is not None:
        if to_stdout:
            return _usage("--scheduler writes a directory of part files, not standard output")
        from .distributed.command import run as export_in_partitions

        return export_in_partitions(
            args.dataset,
            names,
            args.output or DEFAULT_OUTPUT,
            scheduler=args.scheduler,
            partitions=args.partitions,
            options=options,
            quiet=args.quiet,
        )
    if to_stdout and (len(names) != 1 or known[names[0]].directory):
        return _usage("-o - takes exactly one format that writes a single file")
    if args.output is not None and not to_stdout:
        wrong = mismatch(args.output, [known[n] for n in names], known)
        if wrong:
            return _usage(wrong)
    dataset = loading.load(args.dataset)
    if to_stdout:
        return _export_to_stdout(dataset, known[names[0]], options)
    # One format goes to -o itself, unless -o ends in '/' ("into this directory").
    single = len(names) == 1 and args.output is not None and not args.output.endswith("/")
    folder = Path(args.output or DEFAULT_OUTPUT)
    written: list[Path] = []
    failed: list[ExportError] = []
    with nothing_left_behind(folder.parent if single else folder):
        for name in names:
            exporter = known[name]
            target = folder if single else folder / output_name(dataset, exporter)
            with progress_reporter(f"{name:>6}", quiet=args.quiet) as progress:
                try:
                    own = {k: v for k, v in options.items() if k in exporter.options}
                    written.append(
                        export(dataset, name, target, options=own, progress=progress, check=False)
                    )
                except ExportError as error:
                    failed.append(error)
    if not args.quiet:
        from .errors import printable

        for path in written:
            print(printable(str(path)))
    for failure in failed:
        print(f"storyfacts: {failure}", file=sys.stderr)
    return INVALID if failed else OK


def _export_to_stdout(dataset: Dataset, exporter: Exporter, options: dict[str, str]) -> int:
    from .atomic import written_to
    from .errors import ExportError
    from .exporting import export

    sys.stdout.flush()
    try:
        with written_to(sys.stdout.buffer) as temp:
            export(dataset, exporter.name, temp, options=options, check=False)
    except ExportError as error:
        failure = ExportError(error.format, "standard output", error.reason)
        print(f"storyfacts: {failure}", file=sys.stderr)
        return INVALID
    return OK


def _import(args: argparse.Namespace) -> int:
    from . import loading
    from .errors import InvalidDatasetError

    if args.workbook.suffix.lower() in loading.WORKBOOK_SUFFIXES:
        from .workbook import read as read_workbook

        reading = read_workbook(args.workbook)
        if reading.problems:
            raise InvalidDatasetError(reading.problems, args.workbook)
        # What the reader did on its own, such as evidence re-anchored after an edit.
        for note in reading.notes:
            print(f"note: {note}", file=sys.stderr)
        dataset = loading.load(reading.data)
    else:
        dataset = loading.load(args.workbook)
    text = loading.dumps(dataset)
    if args.output is None:
        sys.stdout.write(text)
        return OK
    if not _write_text(args.output, text):
        return INVALID
    from .errors import printable

    print(printable(str(args.output)))
    return OK


def _write_text(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` atomically, or say in one line why nothing was written."""
    from .atomic import os_reason, replace_atomically
    from .errors import printable

    try:
        with replace_atomically(path) as temp:
            temp.write_text(text, encoding="utf-8", newline="\n")
    except OSError as error:  # a full disk, a read-only directory, a directory in the way
        print(
            f"storyfacts: Writing {printable(str(path))} failed, and nothing was written: "
            f"{os_reason(error)}",
            file=sys.stderr,
        )
        return False
    return True


def _reanchor(args: argparse.Namespace) -> int:
    from . import jsonfile, reanchoring
    from .errors import InputError

    old: dict[str, str] | None = None
    if args.old_dataset is not None:
        old = reanchoring.old_bodies(args.old_dataset)
    elif args.old_body is not None:
        ids = list(reanchoring.old_bodies(args.dataset))
        article = args.article or (ids[0] if len(ids) == 1 else None)
        if article not in ids:
            raise SystemExit(_usage(f"say which article --old-body is, with --article: {ids}"))
        try:
            old = {article: args.old_body.read_text(encoding="utf-8")}
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(args.old_body, f"cannot be read as UTF-8 text ({error})") from None
    result = reanchoring.reanchor(args.dataset, old)
    if args.json:
        _print_json([p.to_dict() for p in result.passages])
    else:
        for passage in result.passages:
            print(passage)
        waiting = len(result.needs_a_person)
        print(f"{len(result.passages) - waiting} placed, {waiting} need a person.")
    if args.output is not None and not _write_text(args.output, jsonfile.dumps(result.data)):
        return INVALID
    return INVALID if result.needs_a_person else OK


def _new(args: argparse.Namespace) -> int:
    from . import input_files
    from .drafting import DraftingError, draft
    from .errors import InputError
    from .exporting import export

    suffix = args.output.suffix.lower()
    if suffix not in (".json", ".xlsx"):
        return _usage(f"-o {args.output}: write a .json dataset or an .xlsx workbook")
    raw = input_files.read(args.article, "an article's text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            args.article, f"is not valid UTF-8 (byte {error.start}); save it as UTF-8"
        ) from None
    try:
        dataset = draft(
            text,
            published=args.published,
            url=args.url,
            publisher=args.publisher,
            headline=args.headline,
            known=args.known,
            language=args.language,
        )
    except DraftingError as error:
        where = args.article if error.field == "text" else f"--{error.field}"
        return _usage(f"{where}: {error.message}")
    export(dataset, "xlsx" if suffix == ".xlsx" else "json", args.output)
    from .drafting.dates import RULES as DATE_RULES
    from .errors import printable

    drafted = [r for r in [*dataset.entities, *dataset.statements] if r.draft is not None]
    dates = sum(1 for r in drafted if r.draft is not None and r.draft.rule in DATE_RULES)
    quotes = sum(1 for r in drafted if r.type == "quote")
    print(printable(str(args.output)))
    print(
        f"  {len(drafted)} drafted records to confirm: {quotes} quotes, {dates} dates "
        f"(as events), {len(drafted) - quotes - dates} entities",
        file=sys.stderr,
    )
    if args.url is None:
        print(
            f"  note: no --url given; the article's URL is a placeholder under "
            f"{_placeholder()}: correct it.",
            file=sys.stderr,
        )
    return OK


def _placeholder() -> str:
    from .drafting import PLACEHOLDER_HOST

    return PLACEHOLDER_HOST


def _formats(args: argparse.Namespace) -> int:
    from . import plugins
    from .listing import format_entries, format_table, table_width

    found = list(plugins.exporters().values())
    if args.json:
        _print_json(format_entries(found))
        return _strict_exit()
    sys.stdout.write(format_table(found, width=table_width(), long=args.long))
    return _warn_failures()


def _plugins(args: argparse.Namespace) -> int:
    from . import plugins

    loaded = plugins.plugins()
    failures = plugins.failures()
    if args.json:
        _print_json(
            {"plugins": [p.to_dict() for p in loaded], "failures": [f.to_dict() for f in failures]}
        )
        return _strict_exit()
    for plugin in loaded:
        origin = (
            f"built-in, storyfacts {__version__}"
            if plugin.builtin
            else (
                f"{plugin.distribution} {plugin.version}" if plugin.distribution else "registered"
            )
        )
        print(f"{plugin.name} ({origin}): {', '.join(plugin.hooks)}")
    return _warn_failures(stream=sys.stdout)


def _warn_failures(stream: TextIO | None = None) -> int:
    """List plugin failures; under STORYFACTS_STRICT_PLUGINS any failure makes the exit 1."""
    from . import plugins

    for failure in plugins.failures():
        print(f"failed: {_one_line(failure)}", file=stream or sys.stderr)
    return _strict_exit()


def _strict_exit() -> int:
    from . import plugins

    return INVALID if plugins.strict() and plugins.failures() else OK


def _report_plugin_failures(*, strict: bool) -> bool:
    """Warn about each plugin failure on one line; True when strict mode makes that an error."""
    from . import plugins

    found = plugins.failures()
    kind = "error" if strict else "warning"
    for failure in found:
        print(f"storyfacts: {kind}: {_one_line(failure)}", file=sys.stderr)
    if found and strict:
        print("storyfacts: nothing was exported: strict plugin mode is on.", file=sys.stderr)
    return bool(found) and strict


def _one_line(failure: object) -> str:
    return " ".join(str(failure).split())


def _schema(args: argparse.Namespace) -> int:
    import json

    from .schema import schema

    sys.stdout.write(json.dumps(schema(), indent=2, ensure_ascii=False) + "\n")
    return OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
