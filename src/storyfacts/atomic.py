"""Atomic writes: every export goes through :func:`replace_atomically`.

The output is written to a temporary file or directory beside the target and
moved into place only when it is complete. A failure leaves no partial
output, and an existing file at the target stays byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["replace_atomically"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def replace_atomically(target: str | Path, *, directory: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; move it to ``target`` if the block succeeds.

    With ``directory=True`` the temporary path is an empty directory, and an
    existing directory at ``target`` is replaced as a whole. The parent
    directory of ``target`` is created when missing.
    """
    target = Path(target)
    if target.exists() and target.is_dir() != directory:
        expected = "a directory" if directory else "a file"
        raise IsADirectoryError(
            f"{target} exists and is not {expected}; choose another output path"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}."
    if directory:
        temp = Path(tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=target.parent))
    else:
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
        os.close(handle)
        temp = Path(name)
    try:
        yield temp
        if directory:
            _set_tree_mode(temp)
            _replace_directory(temp, target)
        else:
            temp.chmod(0o666 & ~_umask())
            with temp.open("rb+") as f:
                os.fsync(f.fileno())
            temp.replace(target)
    except BaseException:
        if directory:
            shutil.rmtree(temp, ignore_errors=True)
        else:
            temp.unlink(missing_ok=True)
        raise


def _set_tree_mode(root: Path) -> None:
    mask = _umask()
    root.chmod(0o777 & ~mask)
    for path in root.rglob("*"):
        path.chmod((0o777 if path.is_dir() else 0o666) & ~mask)


def _replace_directory(temp: Path, target: Path) -> None:
    if not target.exists():
        temp.replace(target)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    backup.rmdir()
    target.replace(backup)
    try:
        temp.replace(target)
    except BaseException:
        backup.replace(target)
        raise
    shutil.rmtree(backup, ignore_errors=True)
