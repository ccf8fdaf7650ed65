"""``storyfacts export``: export a dataset to one or more formats.

Every check of the command line (format names, options, where ``-o``
points) is made before the dataset is read, so a usage error reads and
writes nothing. To add an option, add a ``@click.option`` below and a
keyword parameter of the same name to :func:`export`.
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .completion import complete_formats, complete_options
from .console import report_plugin_failures
from .failures import INVALID, OK
from .group import command

if TYPE_CHECKING:
    from ..contract import Exporter
    from ..errors import ExportError
    from ..lanes import Lane
    from ..model import Dataset
    from ..progress import Progress
    from ..streaming import CorpusReader

DEFAULT_OUTPUT = "storyfacts-out"


@command("export")
@click.argument(
    "dataset",
    required=False,
    type=click.Path(path_type=Path),
    metavar="[DATASET]",
    help="a dataset JSON file or workbook (default: the bundled dataset)",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT",
    shell_complete=complete_formats,
    help="a format name, in any case (storyfacts formats lists them); repeat or separate "
    "with commas (default: every built-in format)",
)
@click.option(
    "-o",
    "--output",
    # Kept as typed (a str): a trailing '/' says "a directory".
    type=click.Path(),
    metavar="PATH",
    help="the output file for one format (its extension must be the format's; a name "
    "ending in / is a directory to put it in), or a directory for several "
    f"(default: ./{DEFAULT_OUTPUT}/); '-' writes one single-file format to standard output",
)
@click.option(
    "-O",
    "--option",
    "pairs",
    multiple=True,
    metavar="KEY=VALUE",
    shell_complete=complete_options,
    help="an exporter option, such as -O formulas=keep for csv",
)
@click.option("-q", "--quiet", is_flag=True, help="print nothing on success")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="write up to N formats at once, each in a worker process (default: as many as the "
    "CPUs this process may use, and the memory available has room for; 1: one after another "
    "in this process)",
)
@click.option(
    "--scheduler",
    metavar="SCHEDULER",
    help="export in partitions on Dask (pip install 'storyfacts[dask]'): processes (a local "
    "pool), distributed (a local cluster), a cluster's address such as tcp://HOST:8786, or "
    "synchronous (this process); -o is then a directory of part files and manifest.json "
    "(docs/scaling.md)",
)
@click.option(
    "--partitions",
    type=int,
    metavar="N",
    help="with --scheduler: how many partitions (default: one per 50,000 statements)",
)
@click.option(
    "--strict-plugins",
    is_flag=True,
    help="export nothing if any plugin failed to load (also STORYFACTS_STRICT_PLUGINS=1)",
)
def export(
    dataset: Path | None,
    formats: tuple[str, ...],
    output: str | None,
    pairs: tuple[str, ...],
    quiet: bool,
    jobs: int | None,
    scheduler: str | None,
    partitions: int | None,
    strict_plugins: bool,
) -> int:
    from .. import plugins
    from ..errors import UnknownFormatError
    from ..targets import mismatch

    # Format names are lower case (contract.NAME), so -f CSV can only mean csv.
    names = [n.strip().lower() for f in formats for n in f.split(",") if n.strip()]
    names = list(dict.fromkeys(names)) or plugins.builtin_formats()
    known = plugins.exporters()
    if report_plugin_failures(strict=strict_plugins or plugins.strict()):
        return INVALID
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UnknownFormatError(unknown[0], list(known))
    options = _options(pairs)
    for key in options:
        if not any(key in known[n].options for n in names):
            offered = "; ".join(
                f"{n}: {', '.join(sorted(known[n].options))}" for n in names if known[n].options
            )
            raise click.UsageError(
                f"no selected format has an option {key!r}"
                + (f" (options: {offered})" if offered else "")
            )
    to_stdout = output == "-"
    if partitions is not None and scheduler is None:
        raise click.UsageError("--partitions goes with --scheduler")
    if scheduler is not None:
        if jobs is not None:
            raise click.UsageError("--jobs does not go with --scheduler, which has its own workers")
        if to_stdout:
            raise click.UsageError(
                "--scheduler writes a directory of part files, not standard output"
            )
        from ..distributed.command import run as export_in_partitions

        code: int = export_in_partitions(
            dataset,
            names,
            output or DEFAULT_OUTPUT,
            scheduler=scheduler,
            partitions=partitions,
            options=options,
            quiet=quiet,
        )
        return code
    if to_stdout and (len(names) != 1 or known[names[0]].directory):
        raise click.UsageError("-o - takes exactly one format that writes a single file")
    if output is not None and not to_stdout:
        wrong = mismatch(output, [known[n] for n in names], known)
        if wrong:
            raise click.UsageError(wrong)
    from ..progress import Progress

    progress = Progress(quiet=quiet)
    chosen = [known[n] for n in names]
    loaded = _streamed(dataset, chosen, progress) or _read(dataset, progress)
    if to_stdout:
        return _export_to_stdout(loaded, known[names[0]], options)
    return _export_to_files(loaded, chosen, output, options, progress, jobs)


def _read(path: Path | None, progress: Progress) -> Dataset:
    """Load and check the dataset, showing each phase: reading, then checking, a JSON file."""
    from .. import loading
    from ..errors import InvalidDatasetError, printable

    if path is None:
        return loading.load(None)  # the bundled dataset: read and checked in a blink
    shown = printable(str(path))
    if path.suffix.lower() in loading.WORKBOOK_SUFFIXES or path.is_dir():
        # A workbook or a corpus directory is checked as it is read, cell by cell.
        with progress.phase(f"reading and checking {shown}"):
            return loading.load(path)
    # What load(path) does, in two steps a person can follow; problems name the file.
    try:
        with progress.phase(f"reading {shown}{_size(path)}"):
            data, problems = loading.read(path)
        if problems:
            raise InvalidDatasetError(problems, str(path))
        with progress.phase(f"checking {_records(data):,} records"):
            return loading.load(data)
    except InvalidDatasetError as error:
        raise InvalidDatasetError(error.problems, str(path)) from None


def _records(data: object) -> int:
    """How many records plain data holds in its sections (0 for data of another shape)."""
    from ..kinds import SECTIONS

    if not isinstance(data, dict):
        return 0
    return sum(len(part) for s in SECTIONS if isinstance(part := data.get(s.name), list))


def _size(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError:
        return ""  # reading says why
    return f" ({size / 1e6:,.1f} MB)" if size >= 1e6 else ""


def _streamed(path: Path | None, chosen: list[Exporter], progress: Progress) -> CorpusReader | None:
    """A JSON Lines corpus that every chosen format writes as a stream, checked in one
    streaming pass, to be read one record at a time as it is written (issue 14); ``None``
    for anything to load whole."""
    from ..corpus.lines import is_lines_corpus
    from ..errors import printable

    if path is None or not is_lines_corpus(path):
        return None
    if any(exporter.write_corpus is None for exporter in chosen):
        return None
    from ..streaming import CorpusReader

    with progress.phase(f"checking {printable(str(path))} line by line"):
        return CorpusReader.checked(path)


def _options(pairs: tuple[str, ...]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.UsageError(f"option {pair!r} must look like KEY=VALUE")
        options[key.strip()] = value
    return options


def _export_to_files(
    dataset: Dataset | CorpusReader,
    chosen: list[Exporter],
    output: str | None,
    options: dict[str, str],
    progress: Progress,
    jobs: int | None,
) -> int:
    from ..errors import printable
    from ..exporting import output_name, unchanged
    from ..lanes import Lane, can_fork, default_jobs
    from ..streaming import CorpusReader
    from ..targets import nothing_left_behind

    # One format goes to -o itself, unless -o ends in '/' ("into this directory").
    single = len(chosen) == 1 and output is not None and not output.endswith("/")
    folder = Path(output or DEFAULT_OUTPUT)
    lanes = [
        Lane(
            exporter,
            folder if single else folder / output_name(dataset, exporter),
            {k: v for k, v in options.items() if k in exporter.options},
        )
        for exporter in chosen
    ]
    # One format has nothing to share out: no need to size the machine for it.
    jobs = min(jobs or (default_jobs() if len(lanes) > 1 else 1), len(lanes))
    # A corpus read as a stream is read again for each format: nothing to share.
    shared = nullcontext() if isinstance(dataset, CorpusReader) else unchanged(dataset)
    with nothing_left_behind(folder.parent if single else folder), shared:
        if jobs > 1 and can_fork():
            from ..lanes.pool import write_in_lanes

            outcomes = write_in_lanes(dataset, lanes, jobs, progress.board())
        else:
            outcomes = _one_after_another(dataset, lanes, progress)
    # In the order asked for, whichever finished first.
    written = [o for lane in lanes if isinstance(o := outcomes[lane.exporter.name], Path)]
    failed = [o for lane in lanes if not isinstance(o := outcomes[lane.exporter.name], Path)]
    if not progress.quiet:
        for path in written:
            print(printable(str(path)))
    for failure in failed:
        print(f"storyfacts: {failure}", file=sys.stderr)
    return INVALID if failed else OK


def _one_after_another(
    dataset: Dataset | CorpusReader, lanes: list[Lane], progress: Progress
) -> dict[str, Path | ExportError]:
    """Each format written in this process in turn (``-j 1``, or where workers cannot fork)."""
    from ..errors import ExportError
    from ..exporting import export

    outcomes: dict[str, Path | ExportError] = {}
    for lane in lanes:
        name = lane.exporter.name
        try:
            with progress.bar(f"{name:>6}") as advance:
                outcomes[name] = export(
                    dataset,
                    name,
                    lane.target,
                    options=lane.options,
                    progress=advance,
                    check=False,
                )
        except ExportError as error:
            outcomes[name] = error
    return outcomes


def _export_to_stdout(
    dataset: Dataset | CorpusReader, exporter: Exporter, options: dict[str, str]
) -> int:
    from ..atomic import written_to
    from ..errors import ExportError
    from ..exporting import export

    sys.stdout.flush()
    try:
        with written_to(sys.stdout.buffer) as temp:
            export(dataset, exporter.name, temp, options=options, check=False)
    except ExportError as error:
        failure = ExportError(error.format, "standard output", error.reason)
        print(f"storyfacts: {failure}", file=sys.stderr)
        return INVALID
    return OK
