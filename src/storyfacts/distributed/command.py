"""The command line's distributed export: ``storyfacts export CORPUS -f csv -o DIR --scheduler S``.

The command line only parses its options and calls :func:`run`, which
prints what a person needs: each part written, how many were up to date,
where the manifest is, and each partition that failed, by index.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from .. import plugins
from ..errors import printable
from .engine import DistributedExportError, export

__all__ = ["run"]

#: Exit codes, as the command line's.
OK, INVALID, USAGE = 0, 1, 2


def run(
    corpus: Path | None,
    formats: Sequence[str],
    output: str,
    *,
    scheduler: str,
    partitions: int | None = None,
    options: Mapping[str, str] | None = None,
    quiet: bool = False,
) -> int:
    """Export ``corpus`` (default: the bundled dataset) in partitions; return the exit code.

    ``options`` are ``-O KEY=VALUE`` pairs, each given to the formats that
    declare it, as ``storyfacts export`` does.
    """
    from ..loading import bundled_path

    known = plugins.exporters()
    per_format = {
        name: {k: v for k, v in (options or {}).items() if k in known[name].options}
        for name in formats
        if name in known
    }
    try:
        report = export(
            corpus if corpus is not None else bundled_path(),
            list(formats),
            output,
            scheduler=scheduler,
            partitions=partitions,
            options=per_format,
        )
    except ValueError as error:  # a scheduler or count the engine refuses
        print(f"storyfacts: error: {error}", file=sys.stderr)
        return USAGE
    except DistributedExportError as error:
        print(f"storyfacts: {error}", file=sys.stderr)
        return INVALID
    if not quiet:
        for name in report.written:
            print(printable(str(Path(output) / name)))
        count = len(report.written)
        print(
            f"{count} part{'' if count == 1 else 's'} written, {len(report.skipped)} up to date; "
            f"manifest: {printable(str(report.manifest))}"
        )
    return OK
