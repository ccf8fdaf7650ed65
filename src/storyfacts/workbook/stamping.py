"""Stamping the zip entries of a written workbook with one time and the same attributes.

XlsxWriter copies each part into the zip from a temporary file, so an entry
records that file's time (XlsxWriter sets 31 January 1980), its permissions
and the system that wrote it (Unix or Windows). :func:`restamp` rewrites
those fields in place, in each entry's local header and in the central
directory, so every entry carries the dataset's modified time and the same
bytes come out on every platform. Nothing is recompressed: the fields are
outside what the checksums cover.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

__all__ = ["restamp"]

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
#: Unix, zip version 2.0; and a plain file readable by all, as FixedTimeZip writes.
_MADE_BY = (3 << 8) | 20
_ATTRIBUTES = 0o100644 << 16


def restamp(path: Path, date_time: tuple[int, int, int, int, int, int]) -> None:
    """Give every entry of the zip at ``path`` the time ``date_time`` and the same attributes."""
    year, month, day, hour, minute, second = date_time
    dos_date = (year - 1980) << 9 | month << 5 | day
    dos_time = hour << 11 | minute << 5 | second // 2
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
        central = archive.start_dir  # where the central directory starts
    with path.open("r+b") as file:
        for info in entries:
            file.seek(info.header_offset)
            if file.read(4) != _LOCAL:
                raise ValueError(f"{path}: no local header for {info.filename}")
            file.seek(info.header_offset + 10)
            file.write(struct.pack("<HH", dos_time, dos_date))
        file.seek(central)
        for info in entries:
            start = file.tell()
            head = file.read(46)
            if head[:4] != _CENTRAL:
                raise ValueError(f"{path}: no central directory entry for {info.filename}")
            names, extra, comment = struct.unpack("<HHH", head[28:34])
            file.seek(start + 4)
            file.write(struct.pack("<H", _MADE_BY))
            file.seek(start + 12)
            file.write(struct.pack("<HH", dos_time, dos_date))
            file.seek(start + 38)
            file.write(struct.pack("<I", _ATTRIBUTES))
            file.seek(start + 46 + names + extra + comment)
