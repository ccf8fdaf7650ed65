"""The reader's own sheet parser gives every cell the value and type openpyxl's parser gives.

storyfacts reads sheet parts with expat callbacks (storyfacts.workbook.sheet_part)
instead of openpyxl's WorkSheetParser, for speed; these tests hold the two to the
same answers on the cells editors and spreadsheet programs write: numbers cast
to int or float, styled dates, shared, inline and rich strings (phonetic runs
left out), booleans, errors, ISO dates, formula strings, and plain, shared,
array formulas, cells without references, and rows with gaps.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.text import Text
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

import storyfacts
from storyfacts.workbook import archive, rows
from storyfacts.workbook.string_parts import parse_strings

_STRINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<sst xmlns="{SHEET_MAIN_NS}" count="6" uniqueCount="6">'
    "<si><t>plain</t></si>"
    '<si><t xml:space="preserve">  spaced  </t></si>'
    "<si><r><t>rich </t></r><r><rPr><b/></rPr><t>bold</t></r></si>"
    '<si><t>base</t><rPh sb="0" eb="1"><t>phonetic</t></rPh></si>'
    "<si><t/></si>"
    "<si><t>x_x005F_x000D_y &amp; &lt;z&gt; \u0436\u4e2d</t></si>"
    "</sst>"
)

_ROWS = (
    '<row r="2"><c r="A2" s="{date}"><v>45007</v></c><c r="B2"><v>42</v></c>'
    '<c r="C2"><v>0.8</v></c><c r="D2"><v>1E3</v></c><c r="F2" t="s"><v>2</v></c></row>'
    '<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="s"><v>1</v></c>'
    '<c r="C3" t="s"><v>3</v></c><c r="D3" t="s"><v>4</v></c><c r="E3" t="s"><v>5</v></c></row>'
    '<row r="5"><c r="A5" t="b"><v>1</v></c><c r="B5" t="b"><v>0</v></c>'
    '<c r="C5" t="e"><v>#N/A</v></c><c r="D5" t="str"><v>text result</v></c>'
    '<c r="E5" t="d"><v>2023-03-22T00:00:00</v></c><c r="F5"><v></v></c><c r="G5"/></row>'
    '<row r="6"><c r="A6" t="inlineStr"><is><t>inline</t></is></c>'
    '<c r="B6" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>'
    '<c r="C6" t="inlineStr"><is><t xml:space="preserve"> a\nb </t></is></c>'
    '<c r="D6" t="inlineStr"/><c r="E6" t="inlineStr"><is/></c></row>'
    '<row r="7"><c r="A7"><f>TRUE()</f><v>1</v></c><c r="B7" t="b"><f>FALSE()</f><v>0</v></c>'
    '<c r="C7"><f t="shared" ref="C7:C8" si="0">A7+1</f><v>2</v></c>'
    '<c r="D7"><f t="array" ref="D7">SUM(B2:C2)</f><v>1</v></c>'
    '<c r="E7" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>'
    '<row r="8"><c r="C8"><f t="shared" si="0"/><v>3</v></c></row>'
    '<row><c><v>1</v></c><c><v>2</v></c><c r="E9"><v>5</v></c><c><v>6</v></c></row>'
    '<row r="10" spans="1:3" ht="20" customHeight="1"><c r="C10" s="{date}"><v>45007.5</v></c>'
    '<c r="B10"><v>7</v></c></row>'
    '<row r="11"/>'
)


def _plain(value: Any) -> Any:
    """A formula object as its text, so the two readers' answers compare."""
    return getattr(value, "text", value)


def _openpyxl_rows(sheet: Any) -> Iterator[tuple[int, tuple[tuple[Any, str], ...]]]:
    """What openpyxl's own parser gives, padded as openpyxl's read-only rows are."""
    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            last = max((cell["column"] for cell in cells), default=0)
            row = sheet._get_row(cells, 1, last) if last else ()
            yield number, tuple((_plain(c.value), c.data_type) for c in row)


def _ours(sheet: Any) -> Iterator[tuple[int, tuple[tuple[Any, str], ...]]]:
    for number, row in rows.stored_rows(sheet):
        yield number, tuple((_plain(c.value), c.data_type) for c in row)


@pytest.fixture
def crafted(tmp_path: Path) -> Path:
    """A workbook whose first sheet holds the cells above, and the shared strings above."""
    book = openpyxl.Workbook()
    book.active["A1"] = dt.date(2023, 3, 22)
    base = tmp_path / "base.xlsx"
    book.save(base)
    with zipfile.ZipFile(base) as old:
        sheet = old.read("xl/worksheets/sheet1.xml").decode()
        date_style = re.search(r'<c r="A1"[^>]* s="(\d+)"', sheet)
        assert date_style is not None
        cells = _ROWS.format(date=date_style.group(1))
        sheet = re.sub(r"</row>", "</row>" + cells, sheet, count=1)
        path = tmp_path / "crafted.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
            for name in old.namelist():
                data = old.read(name)
                if name == "xl/worksheets/sheet1.xml":
                    data = sheet.encode()
                elif name == "[Content_Types].xml":
                    data = data.replace(
                        b"</Types>",
                        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                        b"</Types>",
                    )
                elif name == "xl/_rels/workbook.xml.rels":
                    data = data.replace(
                        b"</Relationships>",
                        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
                        b'officeDocument/2006/relationships/sharedStrings" '
                        b'Target="sharedStrings.xml"/></Relationships>',
                    )
                new.writestr(name, data)
            new.writestr("xl/sharedStrings.xml", _STRINGS)
    return path


def test_crafted_cells_read_as_openpyxl_reads_them(crafted: Path) -> None:
    book = archive.open_workbook(crafted)
    try:
        sheet = book.worksheets[0]
        ours = list(_ours(sheet))
        theirs = list(_openpyxl_rows(sheet))
    finally:
        book.close()
    assert ours == theirs
    by_number = dict(ours)
    # The cases are really there: a styled date, each kind of string, formulas.
    assert by_number[2][0] == (dt.datetime(2023, 3, 22), "d")
    assert by_number[2][3] == (1000.0, "n")
    assert by_number[2][5] == ("rich bold", "s")
    assert by_number[3][2] == ("base", "s")
    assert by_number[6][1] == ("inline", "s")
    assert by_number[7][0] == ("=TRUE()", "f")
    assert by_number[8][2] == ("=A8+1", "f")
    assert [value for value, _ in by_number[9]] == [1, 2, None, None, 5, 6]
    assert 11 in by_number and by_number[11] == ()


def test_shared_strings_read_as_text_content(crafted: Path) -> None:
    """The same strings, in the same order, as openpyxl's Text.content of each item."""
    tag = f"{{{SHEET_MAIN_NS}}}si"
    with zipfile.ZipFile(crafted) as part_source:
        with part_source.open("xl/sharedStrings.xml") as source:
            theirs = [Text.from_tree(n).content for _, n in iterparse(source) if n.tag == tag]
        with part_source.open("xl/sharedStrings.xml") as source:
            ours = parse_strings(source)
    assert ours == theirs
    assert ours[1] == "  spaced  " and ours[4] == "" and ours[5].startswith("x_x005F_x000D_y &")


def test_exported_workbook_reads_as_openpyxl_reads_it(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """Every sheet of an export, the very hidden one too, cell for cell."""
    path = storyfacts.export(bundled, "xlsx", tmp_path / "story.xlsx")
    book = archive.open_workbook(path)
    try:
        assert "veryHidden" in {sheet.sheet_state for sheet in book.worksheets}
        for sheet in book.worksheets:
            assert list(_ours(sheet)) == list(_openpyxl_rows(sheet)), sheet.title
    finally:
        book.close()


@pytest.mark.parametrize(
    "xml",
    [
        '<!DOCTYPE x [<!ENTITY big "boom">]><worksheet xmlns="{ns}"><sheetData/></worksheet>',
        '<worksheet xmlns="{ns}"><sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData>',
        '<worksheet xmlns="{ns}"><sheetData><row r="1"><c r="A1"><v>&bad;</v></c></row>',
    ],
)
def test_entities_and_broken_xml_are_errors(xml: str) -> None:
    """An entity declaration is refused, as defusedxml does; broken XML is a ParseError."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    from storyfacts.workbook.sheet_part import parse_rows

    source = _Bytes(xml.format(ns=SHEET_MAIN_NS).encode())
    book = openpyxl.Workbook()
    book._date_formats = set()
    book._timedelta_formats = set()
    with pytest.raises((DefusedXmlException, ParseError)):
        list(parse_rows(source, "People", [], book))


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int) -> bytes:
        chunk, self.data = self.data[:size], self.data[size:]
        return chunk


_CELL_VALUES = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.text(alphabet="_x0Dd5F \t\n&<>\"'", max_size=16),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.none(),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_CELL_VALUES, min_size=1, max_size=6), min_size=1, max_size=6))
def test_any_cells_openpyxl_writes_read_as_openpyxl_reads_them(
    rows_written: list[list[Any]],
) -> None:
    """Whatever openpyxl writes (shared strings, numbers, booleans, dates), the two agree."""
    book = openpyxl.Workbook()
    for row in rows_written:
        book.active.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cells.xlsx"
        book.save(path)
        opened = archive.open_workbook(path)
        try:
            sheet = opened.worksheets[0]
            assert list(_ours(sheet)) == list(_openpyxl_rows(sheet))
        finally:
            opened.close()


# Reads the workbook at argv[1] with lxml hidden (an import of it fails) or as
# installed, and prints what reading found.
_READ = """
import json, sys
if sys.argv[2] == "hide-lxml":
    sys.modules["lxml"] = None
from storyfacts.workbook import read
reading = read(sys.argv[1])
print(json.dumps([reading.data, [str(p) for p in reading.problems], reading.edited], default=str))
"""


def test_reading_is_the_same_with_and_without_lxml(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """An edited workbook with problems reads the same whether lxml can be imported or not."""
    path = storyfacts.export(bundled, "xlsx", tmp_path / "story.xlsx")
    book = openpyxl.load_workbook(path)
    people = book["People"]
    people["B2"] = "=1+1"
    people["C2"] = dt.date(2023, 3, 22)
    book.save(path)
    found = {
        mode: subprocess.run(
            [sys.executable, "-c", _READ, str(path), mode],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for mode in ("hide-lxml", "as-installed")
    }
    problems = json.loads(found["hide-lxml"])[1]
    assert any("People!B2" in problem for problem in problems)
    assert found["hide-lxml"] == found["as-installed"]
