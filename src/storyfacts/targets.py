"""Where ``storyfacts export -o PATH`` writes, checked before anything is written.

A path says what a person means by its form: ``out.xlsx`` is a workbook,
``out/`` a directory. :func:`mismatch` refuses an ``-o`` whose form
contradicts the formats asked for, with the path or format that was probably
meant, and :func:`nothing_left_behind` removes the directories an export
created when it ends with nothing in them (a bad option value found by the
exporter, a failed plugin), so a usage error leaves no trace.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from .contract import Exporter

__all__ = ["mismatch", "nothing_left_behind"]


def mismatch(output: str, chosen: Sequence[Exporter], known: Mapping[str, Exporter]) -> str | None:
    """Why ``-o output`` cannot take the ``chosen`` formats, or ``None`` when it can."""
    path = Path(output)
    kind = _kind(path)
    if len(chosen) > 1:
        if kind in ("file", "device", "other") or (kind == "missing" and _claimed_by(path, known)):
            what = "is named like a file" if kind == "missing" else "is not a directory"
            such = f" (such as -o {path.with_suffix('')}/)" if kind == "missing" else ""
            return (
                f"-o {output}: several formats ({', '.join(e.name for e in chosen)}) are "
                f"written into a directory, and {output} {what}; give a directory{such} "
                "or one format"
            )
        return None
    if kind in ("device", "other"):
        return None  # written through or refused later, by what it is, not by its name
    exporter = chosen[0]
    if exporter.directory:
        owners = [e for e in _claimed_by(path, known) if not e.directory]
        if owners and kind != "directory":
            return (
                f"-o {output}: {exporter.name} writes a directory, and {output} is named like "
                f"a {owners[0].name} file; give a directory name (such as -o "
                f"{path.with_suffix('')}) or -f {owners[0].name}"
            )
        return None
    if kind == "directory" or output.endswith(("/", os.sep)) or not path.suffix:
        return None  # a directory is refused by the writer; a bare name is taken as meant
    if path.name.lower().endswith(exporter.extension.lower()):
        return None
    right = f"-o {path.name[: -len(path.suffix)]}{exporter.extension}"
    owner_names = [e.name for e in _claimed_by(path, known)]
    meant = f"-f {owner_names[0]}, or {right}" if owner_names else right
    return (
        f"-o {output}: {exporter.name} writes a {exporter.extension} file, and {output} "
        f"does not end in {exporter.extension} (did you mean {meant}?)"
    )


def _claimed_by(path: Path, known: Mapping[str, Exporter]) -> list[Exporter]:
    """The exporters whose extension ends the path's name, the longest extension first."""
    name = path.name.lower()
    found = [e for e in known.values() if name.endswith(e.extension.lower())]
    return sorted(found, key=lambda e: (-len(e.extension), e.directory, e.name))


def _kind(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "other"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "device"
    return "other"


@contextlib.contextmanager
def nothing_left_behind(directory: Path) -> Iterator[None]:
    """Remove the part of ``directory`` that did not exist before, if it ends up empty."""
    created: list[Path] = []
    for folder in (directory, *directory.parents):
        if os.path.lexists(folder):
            break
        created.append(folder)
    try:
        yield
    finally:
        for folder in created:  # the deepest first
            try:
                folder.rmdir()
            except OSError:
                break  # something was written there, or it was never made
