"""The manifest of a distributed export: each partition, its parts, their counts and checksums.

``OUT/manifest.json`` is written last, atomically, and only says what is on
disk: a part is listed once its file is in place. It is deterministic (no
clock, no host names, no timings): two exports of the same corpus to the same
formats give the same manifest, byte for byte. Its fields::

    {"storyfacts": "0.1.0", "corpus": {"id", "title", "modified", "records": {...}},
     "partition_count": 20, "formats": {"csv": {"options": {}}, ...},
     "partitions": [{"index", "articles", "input_sha256", "records", "owned",
                     "parts": [{"format", "path", "sha256", "bytes"}]}]}

``records`` counts what a partition holds by section, copies of shared
records included; ``owned`` what it owns: summed over partitions, ``owned``
gives the corpus's ``records``, every record once. A rerun skips a part when
the storyfacts version, the partition count, the format's options and the
partition's ``input_sha256`` are unchanged and the file on disk still has
the listed ``sha256``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import __version__, jsonfile
from .parts import checksum

__all__ = ["MANIFEST", "Manifest", "read_manifest", "write_manifest"]

MANIFEST = "manifest.json"

Manifest = dict[str, Any]


def read_manifest(out: Path) -> Manifest | None:
    """The manifest a previous export left in ``out``; ``None`` if there is none that reads."""
    with contextlib.suppress(OSError, ValueError):
        found = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(found, dict) and isinstance(found.get("partitions"), list):
            return found
    return None


def up_to_date(
    previous: Manifest | None,
    out: Path,
    *,
    count: int,
    options: Mapping[str, Mapping[str, str]],
    index: int,
    input_sha256: str,
    format: str,
) -> dict[str, Any] | None:
    """The previous entry of a part that needs no new export, or ``None``."""
    if previous is None or previous.get("storyfacts") != __version__:
        return None
    if previous.get("partition_count") != count:
        return None
    before = previous.get("formats", {}).get(format)
    if not isinstance(before, dict) or before.get("options") != dict(options.get(format, {})):
        return None
    for partition in previous["partitions"]:
        if not isinstance(partition, dict) or partition.get("index") != index:
            continue
        if partition.get("input_sha256") != input_sha256:
            return None
        for part in partition.get("parts", []):
            if not isinstance(part, dict) or part.get("format") != format:
                continue
            path = out / str(part.get("path", ""))
            # Only a path the manifest's own naming makes, never one outside out.
            if not path.resolve().is_relative_to(out.resolve()) or not path.exists():
                return None
            return part if checksum(path) == part.get("sha256") else None
    return None


def write_manifest(out: Path, manifest: Manifest) -> Path:
    """Write ``OUT/manifest.json`` all at once."""
    from ..atomic import replace_atomically

    target = out / MANIFEST
    with replace_atomically(target) as temp:
        temp.write_text(jsonfile.dumps(manifest), encoding="utf-8", newline="\n")
    return target
