"""Bytes set aside in an unnamed temporary file to save memory, or in memory where it fails.

A check that streams a large file keeps what it must come back to (article
bodies, references waiting for their ids) out of memory. The temporary file
is only a saving: where none can be made (no writable temporary directory)
or it stops taking bytes (a full disk), what comes after is kept in memory
and the check goes on; a validation never fails for want of disk.

Writes are unbuffered, each piece written whole or not at all as far as a
reader is concerned: a piece is readable only once every byte of it is in
the file, so a write that fails half-way loses nothing written before.
"""

from __future__ import annotations

import tempfile
from typing import IO

__all__ = ["Spill"]


class Spill:
    """An unnamed temporary file that takes pieces of bytes while it can."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None
        try:
            self._file = tempfile.TemporaryFile(buffering=0)  # noqa: SIM115
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
