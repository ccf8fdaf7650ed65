"""What a worker does with one partition: validate it, export it to each format, checksum the parts.

This module imports no Dask: it is the plain function the engine maps over
partitions, and what a single-process export of a partition runs too, so a
part written on a cluster is the part a laptop writes. Part names are
deterministic: ``FORMAT/part-00042.EXT`` (a directory ``FORMAT/part-00042``
for a format whose output is a directory, such as csv).
"""

from __future__ import annotations

import hashlib
import resource
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["checksum", "export_partition", "part_name"]

_CHUNK = 1 << 20


def part_name(index: int, format: str) -> str:
    """The part's path inside the output directory: ``csv/part-00042``, ``json/part-00042.json``."""
    from .. import plugins

    exporter = plugins.exporter(format)
    suffix = "" if exporter.directory else exporter.extension
    return f"{format}/part-{index:05d}{suffix}"


def checksum(path: Path) -> str:
    """sha256 of a part: of the file, or for a directory, of ``sha256sum``'s lines for its files.

    A directory's lines are ``<sha256>  <relative path>`` for each file,
    sorted by path, each ending in a newline, so ``(cd part && sha256sum
    $(find . -type f | sort))``-style tools can check it by hand.
    """
    if path.is_dir():
        lines = [
            f"{_file_sha256(file)}  {file.relative_to(path).as_posix()}\n"
            for file in sorted(path.rglob("*"), key=lambda p: p.relative_to(path).as_posix())
            if file.is_file()
        ]
        return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
    return _file_sha256(path)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def size(path: Path) -> int:
    if path.is_dir():
        return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())
    return path.stat().st_size


def export_partition(
    index: int,
    payload: bytes,
    formats: Sequence[str],
    out: str,
    options: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """Validate one partition and export it to each of ``formats`` under ``out``.

    Returns ``{"index", "parts": [{"format", "path", "sha256", "bytes"}],
    "seconds", "peak_rss"}``, or, for a partition that is not valid,
    ``{"index", "problems": [...]}``: invalid data is reported, not retried,
    since a retry would find the same problems. Anything else raised (a full
    disk, an exporter that fails) propagates, for the engine to retry.
    """
    from ..errors import InvalidDatasetError
    from ..exporting import export
    from ..loading import load

    started = time.perf_counter()
    try:
        dataset = load(payload)
    except InvalidDatasetError as error:
        return {"index": index, "problems": [str(problem) for problem in error.problems]}
    parts = []
    for format in formats:
        name = part_name(index, format)
        target = Path(out) / name
        own = dict((options or {}).get(format, {}))
        # Validated just above, as a whole: each format need not do it again.
        export(dataset, format, target, options=own, check=False)
        parts.append(
            {"format": format, "path": name, "sha256": checksum(target), "bytes": size(target)}
        )
    return {
        "index": index,
        "parts": parts,
        "seconds": time.perf_counter() - started,
        # The worker process's peak so far, in KiB on Linux (bytes on macOS).
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
