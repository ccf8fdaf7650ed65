"""A bound on what reading one workbook may unpack, counted as it is unpacked.

The sizes a zip declares bound each part, but not how often a part is
read: every sheet a workbook lists may point at the same huge part, and
sizes a little under the limits still add up to gigabytes. So each read
of a part through :class:`MeteredZipFile` counts the bytes actually
inflated against one :class:`Inflation` per workbook, and the read stops
with an :class:`~storyfacts.errors.InputError` the moment the total passes
:data:`MAX_INFLATED`. Parsing only ever sees bytes that were counted.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import IO, Any, Literal, cast

from ..errors import InputError

__all__ = ["MAX_INFLATED", "Inflation", "MeteredZipFile"]

#: The most bytes reading one workbook may unpack, all parts and all reads
#: together: 512 MiB. A workbook of 20,000 generated statements unpacks to
#: 50 MB and is read about once, so this is twice what 100,000 statements
#: need, the most docs/scaling.md puts in one workbook.
MAX_INFLATED = 512 * 1024**2

# Each read inflates at most this much before it is counted.
_CHUNK = 1024**2


class Inflation:
    """What reading the workbook at ``path`` has unpacked so far, and the text its cells held.

    Text is counted too because a shared string is unpacked once but may
    fill a million cells: the cells read may hold no more characters than
    the limit, as many as a workbook of inline strings could hold.
    """

    def __init__(self, path: Path, limit: int | None = None) -> None:
        self.path = path
        self.limit = MAX_INFLATED if limit is None else limit
        self.inflated = 0
        self.text = 0

    def count_text(self, where: str, length: int) -> None:
        """Count ``length`` more characters read from the cells at ``where``."""
        self.text += length
        if self.text > self.limit:
            raise InputError(
                self.path,
                f"its cells hold more than {self.limit:,} characters of text in all (the limit "
                f"was passed at {where}); no workbook storyfacts reads is that large, so the "
                "same shared text may be repeated in millions of cells",
            )

    def count(self, part: str, size: int) -> None:
        """Count ``size`` more bytes unpacked from ``part``; refuse past the limit."""
        self.inflated += size
        if self.inflated > self.limit:
            raise InputError(
                self.path,
                f"unpacks to more than {self.limit:,} bytes while being read (the limit was "
                f"passed in part {part}); no workbook storyfacts reads is that large, "
                "so it may be a zip bomb",
            )


class MeteredZipFile(zipfile.ZipFile):
    """A zip opened for reading whose parts count what they inflate against ``inflation``."""

    def __init__(self, path: Path, inflation: Inflation) -> None:
        super().__init__(path)
        self.inflation = inflation

    def open(
        self,
        name: str | zipfile.ZipInfo,
        mode: Literal["r", "w"] = "r",
        pwd: bytes | None = None,
        **options: Any,
    ) -> IO[bytes]:
        part = super().open(name, mode, pwd, **options)
        if mode != "r":
            return part
        filename = name.filename if isinstance(name, zipfile.ZipInfo) else name
        return cast(IO[bytes], _MeteredPart(part, filename, self.inflation))


class _MeteredPart(io.BufferedIOBase):
    """One part being read, inflated a chunk at a time and each chunk counted."""

    def __init__(self, part: IO[bytes], name: str, inflation: Inflation) -> None:
        super().__init__()
        self._part = part
        self._name = name
        self._inflation = inflation

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        wanted = None if size is None or size < 0 else size
        chunks = []
        while wanted is None or wanted > 0:
            chunk = self._part.read(_CHUNK if wanted is None else min(wanted, _CHUNK))
            if not chunk:
                break
            self._inflation.count(self._name, len(chunk))
            chunks.append(chunk)
            if wanted is not None:
                wanted -= len(chunk)
        return b"".join(chunks)

    def read1(self, size: int = -1) -> bytes:
        return self.read(_CHUNK if size < 0 else min(size, _CHUNK))

    def close(self) -> None:
        self._part.close()
        super().close()
