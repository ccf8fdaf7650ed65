"""Reading input files within bounds: what is read, and how much.

A dataset file or an article's text is read whole into memory, so what can be read is
capped: :data:`DEFAULT_MAX_INPUT_BYTES` unless ``STORYFACTS_MAX_INPUT_BYTES``
says otherwise (a number of bytes, or with a ``K``, ``M`` or ``G`` suffix,
binary). A regular file over the limit is refused before a byte is read, so a
huge sparse file costs nothing; a pipe is read up to one byte past the limit.
Devices (``/dev/zero``, ``/dev/urandom``), sockets and other special files
are refused outright: none of them holds a dataset, and some never end.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import InputError

__all__ = [
    "DEFAULT_MAX_INPUT_BYTES",
    "MAX_INPUT_ENV",
    "lines",
    "max_input_bytes",
    "opened",
    "read",
    "reading",
]

MAX_INPUT_ENV = "STORYFACTS_MAX_INPUT_BYTES"
#: 1 GiB: a 1,000,000-statement dataset (about 1.05 GB as JSON, the largest
#: the benchmarks use) still fits. Reading and parsing the 105 MB
#: 100,000-statement file peaked at 470 MB resident (measured), so a file at
#: the limit needs about 5 GB before validation: a bound, not a target.
DEFAULT_MAX_INPUT_BYTES = 1 << 30

_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def max_input_bytes() -> int:
    """The largest input file storyfacts reads, in bytes."""
    value = os.environ.get(MAX_INPUT_ENV)
    if value is None or not value.strip():
        return DEFAULT_MAX_INPUT_BYTES
    match = _SIZE.match(value)
    if not match:
        raise InputError(
            MAX_INPUT_ENV, f"is {value!r}; give a number of bytes, such as 2000000000 or 2G"
        )
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def _too_large(opening: str, limit: int) -> str:
    return (
        f"{opening} more than the {_human(limit)} storyfacts reads; "
        f"set {MAX_INPUT_ENV} to raise the limit"
    )


def _human(count: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= factor:
            return f"{count / factor:,.1f} {unit}".replace(".0 ", " ")
    return f"{count:,} bytes"


def _refused_kind(mode: int) -> str | None:
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        return "a special file"
    return None


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """An operating system's refusal to read ``path``, as an :class:`InputError` naming it."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror or error})") from None


def read(path: Path, what: str = "a dataset file") -> bytes:
    """The bytes of the input file at ``path``, refusing what is not a file or is too large.

    Raises :class:`~storyfacts.errors.InputError` with the reason; ``what``
    names what the file should have been (``"an article's text"``).
    """
    limit = max_input_bytes()
    with reading(path):
        # Look before opening: opening a FIFO with no writer would wait.
        mode = path.stat().st_mode
        kind = _refused_kind(mode)
        if kind:
            raise InputError(path, f"is {kind}, not {what}")
        with path.open("rb") as source:
            size = os.fstat(source.fileno()).st_size
            if stat.S_ISREG(mode) and size > limit:
                raise InputError(path, _too_large(f"is {_human(size)},", limit))
            # Read what the file holds, not the limit: read(limit + 1) reserves
            # a whole GiB of address space up front, which a memory-capped
            # process (ulimit -v) does not have to give.
            data = source.read(size + 1 if stat.S_ISREG(mode) else limit + 1)
            if stat.S_ISREG(mode) and len(data) > size:  # it grew while read
                data += source.read(limit + 1 - len(data))
    if len(data) > limit:
        raise InputError(path, _too_large("holds", limit))
    return data


def opened(path: Path, what: str = "a dataset file") -> BinaryIO:
    """``path`` opened for reading in binary, refusing what is not a file.

    For a file read as a stream, in pieces: its size is not capped, as what
    is held in memory at once is bounded by the reader. Raises
    :class:`~storyfacts.errors.InputError` as :func:`read` does.
    """
    with reading(path):
        mode = path.stat().st_mode
        kind = _refused_kind(mode)
        if kind:
            raise InputError(path, f"is {kind}, not {what}")
        return path.open("rb")


def lines(path: Path, what: str = "a dataset file") -> Iterator[tuple[int, int, bytes]]:
    """(number from 1, offset in bytes, bytes without the line feed) of each line of a file.

    The file may be of any size; a line longer than :func:`max_input_bytes`
    raises :class:`~storyfacts.errors.InputError`, so memory stays bounded
    whatever the file holds.
    """
    limit = max_input_bytes()
    with opened(path, what) as source:
        offset = 0
        number = 0
        while True:
            try:
                raw = source.readline(limit + 1)
            except OSError as error:
                raise InputError(path, f"cannot be read ({error.strerror or error})") from None
            if not raw:
                return
            number += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                raise InputError(path, _too_large(f"line {number} holds", limit))
            yield number, offset, raw[:-1] if raw.endswith(b"\n") else raw
            offset += len(raw)
