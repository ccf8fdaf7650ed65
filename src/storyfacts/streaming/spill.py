"""Bytes set aside in an unnamed temporary file to save memory, or in memory where it fails.

A check that streams a large file keeps what it must come back to (article
bodies, references waiting for their ids) out of memory. The temporary file
is only a saving: where none can be made (no writable temporary directory)
or it stops taking bytes (a full disk), what comes after is kept in memory
and the check goes on; a validation never fails for want of disk.

Writes are unbuffered, each piece written whole or not at all as far as a
reader is concerned: a piece is readable only once every byte of it is in
the file, so a write that fails half-way loses nothing written before.

The file is made as :func:`tempfile.TemporaryFile` makes it, where Linux
allows, without importing :mod:`tempfile`, which brings :mod:`shutil` (and
with it the bz2 and lzma libraries) and :mod:`random`: about 1 MiB of the
30 MiB that ``storyfacts validate`` may take for a 10 MB file (issue 11).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

__all__ = ["Spill", "unnamed_file"]


def unnamed_file() -> IO[bytes]:
    """A new unbuffered temporary file with no name: ``tempfile.TemporaryFile(buffering=0)``.

    Where ``os.O_TMPFILE`` is known, the file is opened with it in the first
    of tempfile's candidate directories that exists, with the flags tempfile
    uses. Whatever fails there (the directory cannot be written, its file
    system has no unnamed files, the kernel is too old) is left to tempfile
    itself, which then tries the next directory or a named file removed at
    once, and so does a process that has imported tempfile already (its
    ``tempfile.tempdir`` may have been set). ``OSError`` when no file can be made.
    """
    flag = getattr(os, "O_TMPFILE", None)
    if flag is not None and "tempfile" not in sys.modules:
        for directory in _candidate_directories():
            if not Path(directory).is_dir():
                continue
            try:
                # O_CREAT is left out, as O_TMPFILE requires; os.open adds O_CLOEXEC.
                fd = os.open(directory, os.O_RDWR | os.O_EXCL | os.O_NOFOLLOW | flag, 0o600)
            except OSError:
                break
            return os.fdopen(fd, "w+b", buffering=0)
    import tempfile

    return tempfile.TemporaryFile(buffering=0)


def _candidate_directories() -> list[str]:
    # tempfile's own list, in its order, on a POSIX system.
    found = [value for name in ("TMPDIR", "TEMP", "TMP") if (value := os.getenv(name))]
    found += ["/tmp", "/var/tmp", "/usr/tmp"]
    try:
        found.append(str(Path.cwd()))
    except OSError:
        found.append(os.curdir)
    return found


class Spill:
    """An unnamed temporary file that takes pieces of bytes while it can."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None
        try:
            self._file = unnamed_file()
        except OSError:
            self._file = None
        #: Whether pieces still go to the file (it stays open to read those it took).
        self.taking = self._file is not None
        #: Bytes in the file, all of them in whole pieces.
        self.size = 0

    def put(self, piece: bytes) -> int | None:
        """Write ``piece`` at the end of the file: where it starts, or ``None`` if it did not go."""
        if not self.taking or self._file is None:
            return None
        start = self.size
        try:
            self._file.seek(start)
            rest = memoryview(piece)
            while rest:
                written = self._file.write(rest)
                if not written:
                    raise OSError("the temporary file took nothing")
                rest = rest[written:]
        except OSError:
            self.taking = False  # the pieces it took before stay readable
            return None
        self.size += len(piece)
        return start

    def get(self, start: int, length: int) -> bytes:
        """The ``length`` bytes at ``start``: one piece or more in a row that :meth:`put` wrote."""
        if self._file is None or start + length > self.size:
            raise ValueError(f"bytes {start} to {start + length} were never put here")
        self._file.seek(start)
        out = self._file.read(length)
        while len(out) < length:  # a raw read may return less than asked
            more = self._file.read(length - len(out))
            if not more:
                raise OSError("the temporary file is shorter than what was put in it")
            out += more
        return out

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
