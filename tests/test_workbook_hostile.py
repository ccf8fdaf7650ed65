"""Hostile workbooks: each is refused at once with one clear error naming the part or cell."""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import storyfacts
from storyfacts.workbook import archive, inflation, read, rows


@pytest.fixture
def workbook(tmp_path: Path, bundled: storyfacts.Dataset) -> Path:
    """The bundled dataset exported as a workbook."""
    return storyfacts.export(bundled, "xlsx", tmp_path / "story.xlsx")


def _copy_zip(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of ``source`` with each part passed through ``change`` (``None`` drops it)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = change(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
    return target


def _refusal(path: Path) -> str:
    """The one InputError reading ``path`` gives, which must name the file."""
    with pytest.raises(storyfacts.InputError) as caught:
        read(path)
    assert caught.value.source == str(path)
    return str(caught.value)


def test_unknown_compression_method_is_named(workbook: Path, tmp_path: Path) -> None:
    """A part compressed with a method zipfile cannot unpack is named, not a traceback."""
    data = bytearray(workbook.read_bytes())
    with zipfile.ZipFile(workbook) as archive:
        central = archive.start_dir
        for info in archive.infolist():
            if info.filename == "xl/worksheets/sheet2.xml":
                # The method is at offset 8 of the local header, 10 of the directory entry.
                struct.pack_into("<H", data, info.header_offset + 8, 99)
                struct.pack_into("<H", data, central + 10, 99)
            central += 46 + len(info.filename.encode()) + len(info.extra) + len(info.comment)
    path = tmp_path / "method.xlsx"
    path.write_bytes(bytes(data))
    message = _refusal(path)
    assert "part xl/worksheets/sheet2.xml is compressed with zip method 99" in message


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("xl/vbaProject.bin", "application/vnd.ms-office.vbaProject"),
        ("xl/stuff.bin", "application/VND.MS-OFFICE.VBAPROJECT"),
        ("xl/stuff.bin", "Application/Vnd.Ms-Office.ActiveX+xml"),
    ],
)
def test_macros_are_refused_whatever_the_case_of_their_content_type(
    workbook: Path, tmp_path: Path, name: str, content_type: str
) -> None:
    """Content types are case-insensitive, so a macro part in capitals is refused too."""
    override = f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'

    def add(part: str, data: bytes) -> bytes:
        if part != "[Content_Types].xml":
            return data
        return data.replace(b"</Types>", override.encode())

    path = _copy_zip(workbook, tmp_path / "macros.xlsx", add)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(name, b"\x00VBA")
    assert "is a macro-enabled workbook" in _refusal(path)


@pytest.mark.parametrize(
    ("part", "words"),
    [
        ("[Content_Types].xml", "not an Excel workbook: it has no part [Content_Types].xml"),
        ("xl/workbook.xml", "not an Excel workbook: it has no part xl/workbook.xml"),
        (
            "xl/_rels/workbook.xml.rels",
            "not an Excel workbook: it has no part xl/_rels/workbook.xml.rels",
        ),
        (
            "xl/worksheets/sheet3.xml",
            "the part xl/worksheets/sheet3.xml holding the sheet 'People' is missing",
        ),
    ],
)
def test_a_missing_part_is_named(workbook: Path, tmp_path: Path, part: str, words: str) -> None:
    """A workbook missing a part it cannot be read without names that part."""
    path = _copy_zip(workbook, tmp_path / "missing.xlsx", lambda n, d: None if n == part else d)
    assert words in _refusal(path)


def test_cli_import_names_the_missing_part(
    workbook: Path, tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    """`storyfacts import` of a workbook without its workbook part says which part is gone."""
    path = _copy_zip(
        workbook, tmp_path / "missing.xlsx", lambda n, d: None if n == "xl/workbook.xml" else d
    )
    code, _, err = run_cli("import", str(path), "-o", str(tmp_path / "out.json"))
    assert code == 2
    assert "it has no part xl/workbook.xml" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out.json").exists()


def _column(sheet: Any, title: str) -> str:
    """The letter of the column headed ``title`` on ``sheet``."""
    for cell in sheet[1]:
        if cell.value == title:
            return str(cell.column_letter)
    raise KeyError(title)


def _typed(workbook: Path, sheet: str, title: str, value: object) -> tuple[Path, str]:
    """The workbook with ``value`` typed into the first record's cell under ``title``."""
    book = openpyxl.load_workbook(workbook)
    cell = f"{_column(book[sheet], title)}2"
    if isinstance(value, str):
        # As stored: openpyxl's setter would cut text at 32,767 characters.
        book[sheet][cell]._value = value
        book[sheet][cell].data_type = "s"
    else:
        book[sheet][cell] = value
    book.save(workbook)
    return workbook, f"{sheet}!{cell}"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a_x0000_b", "contains the control character U+0000 at position 1"),
        ("_x0001_", "contains the control character U+0001 at position 0"),
        ("ok _xFFFF_", "contains the non-character U+FFFF at position 3"),
        ("_xFFFE_", "contains the non-character U+FFFE at position 0"),
        ("_xD800_", "contains a lone surrogate U+D800"),
        ("x" * 40_000, "is 40,000 characters long; a workbook cell holds at most 32,767"),
    ],
)
def test_the_reader_refuses_what_the_writer_would(workbook: Path, text: str, words: str) -> None:
    """Escaped controls and over-long text are refused at their cell, as the writer refuses them."""
    path, cell = _typed(workbook, "People", "Description", text)
    problems = [p for p in storyfacts.validate(path) if p.location == cell]
    assert len(problems) == 1
    assert problems[0].code == "unwritable"
    assert words in problems[0].message


def test_text_within_the_limit_once_decoded_is_read(workbook: Path) -> None:
    """The limit is on the text a cell stands for: 35,000 stored characters can mean 5,000."""
    path, _ = _typed(workbook, "People", "Description", "_x0041_" * 5_000)
    assert storyfacts.validate(path) == []
    assert storyfacts.load(path).entities[0].description == "A" * 5_000


@pytest.mark.parametrize(
    ("value", "digits"),
    [(10**15, "16"), ("-1234567890123456789", "19"), ("9" * 5_001, "5,001"), (1e300, "301")],
)
def test_a_number_the_writer_would_round_is_refused(
    workbook: Path, bundled: storyfacts.Dataset, value: object, digits: str
) -> None:
    """A whole number of more than 15 digits is refused at its cell without echoing it whole."""
    path, cell = _typed(workbook, "Decisions", "Votes for", value)
    (problem,) = [p for p in storyfacts.validate(path) if p.location == cell]
    assert problem.code == "unwritable"
    assert f"This number has {digits} digits" in problem.message
    assert len(problem.message) < 200


def test_import_writes_no_control_character(
    workbook: Path, tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    """`storyfacts import` of an escaped NUL in a cell fails at that cell and writes nothing."""
    path, cell = _typed(workbook, "People", "Description", "_x0000_")
    target = tmp_path / "dataset.json"
    code, _, err = run_cli("import", str(path), "-o", str(target))
    assert code == 1
    assert f"{cell}: " in err and "U+0000" in err
    assert not target.exists()


def _with_rows(workbook: Path, target: Path, rows: str) -> Path:
    """The workbook with ``rows`` (sheet XML) stored after the People sheet's own rows."""

    def add(part: str, data: bytes) -> bytes:
        if part != "xl/worksheets/sheet3.xml":
            return data
        return data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")

    return _copy_zip(workbook, target, add)


def _row(number: str, cell: str | None) -> str:
    reference = f' r="{cell}"' if cell else ""
    return f'<row r="{number}"><c{reference} t="inlineStr"><is><t>x</t></is></c></row>'


@pytest.mark.parametrize(
    ("rows", "where"),
    [
        (_row("2000000000", "A2000000000"), "People!A2000000000 is outside a sheet"),
        (_row("10000000", "A10000000"), "People!A10000000 is outside a sheet"),
        (_row("1048577", None), "People!1048577:1048577 is outside a sheet's rows"),
        (_row("0", None), "People!0:0 is outside a sheet's rows"),
        (_row("9" * 5_000, None), "People!999999999999… is not a row number"),
        (_row("50", "XFE50"), "People!XFE50 is outside a sheet"),
        (_row("50", "AAAA50"), "People!AAAA50 is outside a sheet"),
        (_row("50", "A" + "9" * 5_000), "People!A99999999999… is outside a sheet"),
        (_row("50", None) + _row("50", None), "People!50:50 comes after row 50, out of order"),
        (_row("60", None) + _row("55", None), "People!55:55 comes after row 60, out of order"),
        (
            '<row r="70">' + '<c r="A70"/>' * 20_000 + "</row>",
            "People!70:70 stores more cells than a row has (16,384)",
        ),
    ],
)
def test_rows_and_columns_past_a_sheet_are_refused_at_once(
    workbook: Path, tmp_path: Path, rows: str, where: str
) -> None:
    """A row or cell number no spreadsheet has is one error naming sheet and cell, not a spin."""
    path = _with_rows(workbook, tmp_path / "far.xlsx", rows)
    assert where in _refusal(path)


def test_the_last_cell_of_a_sheet_is_read(workbook: Path, tmp_path: Path) -> None:
    """XFD1048576, the last cell a sheet has, is within bounds and read without a problem."""
    path = _with_rows(workbook, tmp_path / "last.xlsx", _row("1048576", "XFD1048576"))
    reading = read(path)
    assert reading.problems == []


# Zip bombs: what is unpacked is counted as it is unpacked ---------------------------


def _padded(workbook: Path, target: Path, padding: int, shared: bool) -> Path:
    """The workbook with ``padding`` spaces in its Articles sheet; ``shared``: in every sheet."""

    def change(part: str, data: bytes) -> bytes:
        if part == "xl/worksheets/sheet2.xml":
            return data.replace(b"</worksheet>", b" " * padding + b"</worksheet>")
        if part == "xl/_rels/workbook.xml.rels" and shared:
            # Every data sheet, but not About (sheet1), which must be read first.
            return re.sub(rb"worksheets/sheet(?!1\.)\d+\.xml", b"worksheets/sheet2.xml", data)
        return data

    return _copy_zip(workbook, target, change)


def test_sheets_sharing_one_part_are_refused(workbook: Path, tmp_path: Path) -> None:
    """Every sheet pointing at one part would have it unpacked once per sheet: refused unread."""
    shared = _padded(workbook, tmp_path / "shared.xlsx", 0, shared=True)
    message = _refusal(shared)
    assert "sheets 'Articles' and 'People' are both the part xl/worksheets/sheet2.xml" in message


def test_unpacking_stops_at_the_limit(
    workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What reading unpacks is counted as it goes, whatever the zip declares, up to the limit."""
    padded = _padded(workbook, tmp_path / "padded.xlsx", 2 * 1024**2, shared=False)
    monkeypatch.setattr(inflation, "MAX_INFLATED", 4 * 1024**2)
    assert read(padded).problems == []  # about 2.3 MB in all: within the limit
    monkeypatch.setattr(inflation, "MAX_INFLATED", 1024**2)
    message = _refusal(padded)
    assert "unpacks to more than 1,048,576 bytes while being read" in message
    assert "part xl/worksheets/sheet2.xml" in message and "zip bomb" in message


def test_reading_counts_every_byte_it_unpacks(workbook: Path) -> None:
    """The count covers each part as often as it is read: at least everything the zip holds."""
    counted = inflation.Inflation(workbook)
    archive.inspect(workbook, counted)
    book = archive.open_workbook(workbook, counted)
    try:
        for sheet in book.worksheets:
            for _ in rows.stored_rows(sheet):
                pass
    finally:
        book.close()
    with zipfile.ZipFile(workbook) as plain:
        sheets = sum(
            i.file_size for i in plain.infolist() if i.filename.startswith("xl/worksheets/s")
        )
    assert counted.inflated >= sheets


def test_declared_sizes_past_the_limit_are_refused_before_reading(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zip that says it unpacks to more than reading may unpack is refused unread."""
    monkeypatch.setattr(archive, "MAX_UNCOMPRESSED", 100_000)
    assert "would unpack to" in _refusal(workbook)


def test_a_part_lying_about_its_size_is_refused(tmp_path: Path) -> None:
    """A part that declares 1,000 bytes but inflates to 50 MB is stopped at 1,000 and refused."""
    path = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as made:
        made.writestr("[Content_Types].xml", "<Types/>")
        made.writestr("xl/workbook.xml", "<workbook/>")
        made.writestr("xl/_rels/workbook.xml.rels", "<Relationships/>")
        made.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * 50 * 1024**2)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as made:
        central = made.start_dir
        for info in made.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                # Uncompressed size: offset 22 of the local header, 24 of the directory entry.
                struct.pack_into("<I", data, info.header_offset + 22, 1_000)
                struct.pack_into("<I", data, central + 24, 1_000)
            central += 46 + len(info.filename.encode()) + len(info.extra) + len(info.comment)
    path.write_bytes(bytes(data))
    assert "is damaged and cannot be read" in _refusal(path)


def test_one_shared_string_in_many_cells_stops_at_the_limit(
    workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long shared string unpacks once but is counted in every cell that shows it."""
    monkeypatch.setattr(inflation, "MAX_INFLATED", 4 * 1024**2)
    assert read(workbook).problems == []
    letter = _column(openpyxl.load_workbook(workbook)["People"], "Description")
    cells = "".join(
        f'<row r="{n}"><c r="{letter}{n}" t="s"><v>0</v></c></row>' for n in range(100, 400)
    )
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<si><t>{'Путин ' * 5_000}</t></si></sst>"
    )
    override = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )

    def change(part: str, data: bytes) -> bytes:
        if part == "[Content_Types].xml":
            return data.replace(b"</Types>", override.encode())
        if part == "xl/worksheets/sheet3.xml":
            return data.replace(b"</sheetData>", cells.encode() + b"</sheetData>")
        return data

    path = _copy_zip(workbook, tmp_path / "shared.xlsx", change)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", strings)
    with zipfile.ZipFile(path) as saved:
        assert sum(info.file_size for info in saved.infolist()) < 4 * 1024**2
    message = _refusal(path)
    assert "cells hold more than 4,194,304 characters of text in all" in message
    assert "at People!" in message
