"""The zip container of a workbook: written reproducibly, checked before it is read.

Writing: openpyxl stamps each zip entry with the current time; :class:`FixedTimeZip`
stamps every entry with one given time instead, so the same dataset gives
the same bytes.

Reading: :func:`inspect` looks at the container before any XML is parsed and
refuses, with one :class:`~storyfacts.errors.InputError` naming the file,
anything that is not a plain workbook: not a zip at all, a truncated or
damaged one, a zip bomb (judged from the sizes the zip declares, which
Python's zipfile also enforces while reading), a document type declaration
(the door to XML entity attacks), or macros. Everything read from then on,
by :func:`inspect` and by :func:`open_workbook`, counts what it unpacks
against one :class:`~storyfacts.workbook.inflation.Inflation`, so the work
is bounded however the parts are laid out.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
import zlib
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS

from ..errors import InputError
from ..input_files import reading
from .inflation import MAX_INFLATED, Inflation, MeteredZipFile
from .string_parts import parse_strings

if TYPE_CHECKING:
    from _typeshed import SizedBuffer, StrPath

__all__ = ["FixedTimeZip", "inspect", "open_workbook", "utc_time", "zip_time"]

#: The most entries a workbook may have; a real one has a few dozen.
MAX_ENTRIES = 10_000
#: The most bytes all entries may declare they hold once uncompressed: no
#: more than reading may unpack in all.
MAX_UNCOMPRESSED = MAX_INFLATED
#: An entry larger than this once uncompressed ...
BOMB_SIZE = 16 * 1024**2
#: ... may not be more than this many times its compressed size.
BOMB_RATIO = 200
#: How far into an XML part its root element must start.
PROLOG_LIMIT = 64 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Content types are case-insensitive (RFC 2045), so these are matched in lower case.
_MACRO_TYPES = (b"macroenabled", b"vbaproject", b"application/vnd.ms-office.activex")
#: The parts a workbook cannot be read without.
_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")
#: Workbook programs compress with deflate or store parts as they are.
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_ROOT_START = re.compile(rb"<(?![?!])")


#: The first and last moments a zip entry can be stamped with (its year is 1980 + 0..127).
ZIP_EPOCH = dt.datetime(1980, 1, 1)
ZIP_END = dt.datetime(2107, 12, 31, 23, 59, 58)


def utc_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC without a zone; at the ends of the calendar, the first or last second.

    ``9999-12-31T23:59:59-05:00`` is RFC 3339 but lies past the last moment
    Python can hold in UTC; validation refuses it, an unchecked export clamps.
    """
    if moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:
        edge = dt.datetime.max if moment.year == dt.MAXYEAR else dt.datetime.min
        return edge.replace(microsecond=0)


def zip_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry time for ``moment`` in UTC, which zip can only say from 1980 to 2107.

    A moment outside that range is stamped with the nearest end: the stamp
    is only the file's date in an archive listing, while the exact time is
    in the workbook's properties and on its About sheet.
    """
    utc = min(max(utc_time(moment), ZIP_EPOCH), ZIP_END)
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second - utc.second % 2)


class FixedTimeZip(zipfile.ZipFile):
    """A zip written with every entry stamped ``date_time`` and the same permissions."""

    def __init__(self, file: StrPath | IO[bytes], date_time: tuple[int, int, int, int, int, int]):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.date_time = date_time

    def _entry(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        # The same bytes on every platform: zipfile would record Windows as 0.
        info.create_system = 3
        info.external_attr = 0o644 << 16
        return info

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._entry(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: StrPath,
        arcname: StrPath | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Copy a file in by chunks (openpyxl streams each sheet to a temporary file)."""
        info = self._entry(str(arcname if arcname is not None else filename))
        info.file_size = Path(filename).stat().st_size
        with Path(filename).open("rb") as source, self.open(info, "w") as target:
            shutil.copyfileobj(source, target, 64 * 1024)


def inspect(path: Path, inflation: Inflation | None = None) -> None:
    """Refuse, with one clear :class:`InputError`, a file that is not a safe, plain workbook.

    What it unpacks counts against ``inflation`` (a fresh one when not given).
    """
    with reading(path):
        try:
            with path.open("rb") as handle:
                head = handle.read(8)
        except IsADirectoryError:
            raise InputError(path, "is a directory, not a workbook") from None
    if not head:
        raise InputError(path, "is empty, not a workbook")
    if head == _OLE_MAGIC:
        raise InputError(
            path,
            "is an encrypted workbook or an old-style .xls file; "
            "save it as an unprotected Excel workbook (.xlsx)",
        )
    if not zipfile.is_zipfile(path):
        if head.startswith(_ZIP_MAGIC):
            raise InputError(
                path, "is truncated or damaged: its zip directory is missing; save it again"
            )
        raise InputError(path, "is not an Excel workbook (.xlsx)")
    try:
        with MeteredZipFile(path, inflation or Inflation(path)) as archive:
            _check_entries(path, archive)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
    ) as error:
        raise InputError(path, f"is damaged and cannot be read ({error}); save it again") from None


def _check_entries(path: Path, archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise InputError(path, f"has {len(entries):,} parts, more than a workbook ever has")
    total = sum(info.file_size for info in entries)
    if total > MAX_UNCOMPRESSED:
        raise InputError(
            path,
            f"would unpack to {total:,} bytes, more than the {MAX_UNCOMPRESSED:,} allowed; "
            "it may be a zip bomb",
        )
    for info in entries:
        if info.file_size > BOMB_SIZE and info.file_size > BOMB_RATIO * max(info.compress_size, 1):
            raise InputError(
                path,
                f"part {info.filename} unpacks to {info.file_size:,} bytes from "
                f"{info.compress_size:,}; that is a zip bomb, not a workbook",
            )
    for info in entries:
        if info.compress_type not in _METHODS:
            raise InputError(
                path,
                f"part {info.filename} is compressed with zip method {info.compress_type}, "
                "which no workbook program uses (they use deflate); save it again",
            )
        if info.flag_bits & 0x1:
            raise InputError(
                path, f"part {info.filename} is encrypted; save it as an unprotected workbook"
            )
    names = {info.filename.lower() for info in entries}
    for part in _REQUIRED_PARTS:
        if part.lower() not in names:
            raise InputError(
                path, f"is a zip archive, but not an Excel workbook: it has no part {part}"
            )
    types = archive.read("[Content_Types].xml").lower()
    if any(name.endswith("vbaproject.bin") for name in names) or any(
        marker in types for marker in _MACRO_TYPES
    ):
        raise InputError(
            path,
            "is a macro-enabled workbook; storyfacts does not read those: "
            "save it as a plain Excel workbook (.xlsx) without macros",
        )
    for info in entries:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            _check_prolog(path, archive, info)


def _check_prolog(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a document type declaration: workbooks never need one, entity attacks do."""
    with archive.open(info) as part:
        start = part.read(PROLOG_LIMIT)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        start = start.decode("utf-16", "replace").encode("utf-8")
    root = _ROOT_START.search(_strip_comments(start))
    prolog = start if root is None else _strip_comments(start)[: root.start()]
    if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
        raise InputError(
            path,
            f"part {info.filename} declares a document type (<!DOCTYPE>), which no workbook "
            "needs; it may be an XML entity attack, so it is not read",
        )
    if root is None and len(start) == PROLOG_LIMIT:
        raise InputError(path, f"part {info.filename} does not start like a workbook part")


def _strip_comments(xml: bytes) -> bytes:
    return re.sub(rb"<!--.*?-->", b"", xml, flags=re.S)


def open_workbook(path: Path, inflation: Inflation | None = None) -> Any:
    """Open an inspected workbook read-only, formulas as written, shared strings as stored.

    Every part read, now or when its sheet's rows are read, counts what it
    unpacks against ``inflation`` (a fresh one when not given).

    openpyxl drops every ``x005F_`` from shared strings and leaves other
    ``_xHHHH_`` escapes alone, which loses text; this keeps the stored form so
    the reader decodes both inline and shared strings one way (see
    :func:`~storyfacts.workbook.safety.unescape_text`).
    """
    reader = _StoredStringsReader(
        path, read_only=True, keep_vba=False, data_only=False, keep_links=False
    )
    reader.archive.close()
    reader.archive = MeteredZipFile(path, inflation or Inflation(path))
    reader.read()
    return reader.wb


class _StoredStringsReader(ExcelReader):  # type: ignore[misc]
    def read_worksheets(self) -> None:
        # openpyxl skips a sheet whose part is missing, which would read as
        # a deleted sheet; the file is damaged, so say which part is gone.
        # Two sheets sharing one part never come from a spreadsheet program,
        # and would have the part read (and unpacked) once per sheet.
        holders: dict[str, str] = {}
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                raise InputError(
                    self.archive.filename,
                    f"is damaged: the part {rel.target} holding the sheet {sheet.name!r} "
                    "is missing; save it again",
                )
            if rel.target in holders:
                raise InputError(
                    self.archive.filename,
                    f"is damaged: the sheets {holders[rel.target]!r} and {sheet.name!r} "
                    f"are both the part {rel.target}; save it again",
                )
            holders[rel.target] = sheet.name
            # openpyxl's read-only branch, less one thing: its sheets parse
            # their whole part once more on opening, to learn dimensions
            # the reader never uses (a third of reading a big workbook).
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            rels_path = get_rels_path(rel.target)
            if rels_path in self.valid_files:
                get_dependents(self.archive, rels_path)
            part = _UnmeasuredSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            part.sheet_state = sheet.state
            self.wb._sheets.append(part)

    def read_strings(self) -> None:
        # Read with expat callbacks, as the rows are (see sheet_part): the
        # same text as openpyxl's Text.content, in a fraction of the time.
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        with self.archive.open(part.PartName[1:]) as source:
            self.shared_strings = parse_strings(source)


class _UnmeasuredSheet(ReadOnlyWorksheet):  # type: ignore[misc]
    """A read-only sheet that does not parse its part to learn its dimensions."""

    def _get_size(self) -> None:
        pass
