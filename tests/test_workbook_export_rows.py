"""The writer's quick paths give what the plain ones give: the same bytes, the same widths.

A data row is built as one string (workbook/row_cells.py) and the survey
stops measuring a column once it is as wide as it gets (workbook/survey.py);
each is compared here with the path it replaced.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from xlsxwriter import Workbook

import storyfacts
from storyfacts import tables
from storyfacts.tables import Column
from storyfacts.workbook import row_cells as row_cells_module
from storyfacts.workbook import styles as looks_of
from storyfacts.workbook import survey
from storyfacts.workbook.row_cells import RowCells
from storyfacts.workbook.worksheet import Sheet

_COLUMNS = (
    Column(name="id", title="Id", description="", kind="id", path=("id",)),
    Column(name="text", title="Text", description="", kind="text", path=("text",)),
    Column(name="when", title="When", description="", kind="date", path=("when",)),
    Column(name="url", title="Url", description="", kind="url", path=("url",)),
    Column(name="count", title="Count", description="", kind="integer", path=("count",)),
    Column(name="ok", title="Ok", description="", kind="boolean", path=("ok",)),
    Column(name="enum", title="Enum", description="", kind="enum", path=("enum",)),
)

#: Rows meeting every kind of cell, and every way text is escaped or kept.
_ROWS: list[list[Any]] = [
    ["a", "plain", "2023-03-22", "https://example.org/a", 3, True, "day"],
    ["b", "<r><t>x & y</t></r>", "2023-03", "ftp://example.org", 0.1 + 0.2, False, None],
    ["c", "  leading, _x0041_ and trailing\r\n ", "1899-12-31", "not a link", -7, None, ""],
    ["d", 'a quote " a line\n < > & _x005F_x0041_', "2024", None, 10**15 - 1, True, "\x01"],
    [None, "", "2023-03-22", "https://example.org/" + "x" * 3000, 1.5, False, "\t"],
    ["f", "中文 wide\ttext", "2000-02-29", "http://example.org/f", 0, True, "=SUM(A1)"],
]


def _formats(workbook: Any) -> looks_of.Looks:
    return looks_of.Looks(workbook)


def _reference_cell(sheet: Any, looks: Any, row: int, col: int, value: Any) -> None:
    """A cell as the writer wrote it before rows were built whole: through XlsxWriter."""
    column = _COLUMNS[col]
    wraps = col == 0 or column.kind in ("text", "list", "refs")
    text = (
        looks[looks_of.ID]
        if column.kind == "id"
        else looks[looks_of.WRAPPED if wraps else looks_of.BODY]
    )
    if isinstance(value, bool):
        sheet._write_boolean(row, col, value, looks[looks_of.BOOLEAN])
    elif isinstance(value, int | float):
        sheet._write_number(row, col, value, looks[looks_of.NUMBER])
    elif (
        column.kind == "date"
        and len(value) == 10
        and dt.date.fromisoformat(value) >= dt.date(1900, 3, 1)
    ):
        sheet._write_datetime(row, col, dt.date.fromisoformat(value), looks[looks_of.DATE])
    elif (
        column.kind == "url"
        and value.startswith(("http://", "https://"))
        and len(value) <= 2079
        and sheet.hlink_count < row_cells_module.MAX_LINKS_PER_SHEET
    ):
        link = looks[looks_of.WRAPPED_LINK if wraps else looks_of.LINK]
        sheet.write_url(row, col, value, link, value)
    else:
        sheet.put_text(row, col, value, text)


def _workbook(path: Path, whole_rows: bool, rows: list[list[Any]]) -> bytes:
    """A one-sheet workbook of ``rows`` (with an order column) and their heights and notes."""
    workbook = Workbook(
        str(path),
        {"constant_memory": True, "tmpdir": str(path.parent), "strings_to_urls": False},
    )
    workbook.worksheet_class = Sheet
    workbook.set_properties({"created": dt.datetime(2024, 1, 2, 3, 4, 5)})
    looks = _formats(workbook)
    sheet = workbook.add_worksheet("Rows")
    sheet.set_row(0, 33)
    sheet.put_text(0, 0, "Header", looks[looks_of.REQUIRED_HEADER])
    row_cells = RowCells(sheet, looks, _COLUMNS)
    last = len(_COLUMNS)
    for row, cells in enumerate(rows, start=1):
        if row % 2:
            sheet.set_row(row, 15 * (row + 1))
        if row == 3:
            row_cells.columns[1].note_continues(row, 20)
        if whole_rows:
            first = next(i for i, v in enumerate(cells) if v is not None and v != "")
            sheet.put_row(row, partial(row_cells.xml, row, cells, row), first, last)
            continue
        for col, value in enumerate(cells):
            if value is not None:
                _reference_cell(sheet, looks, row, col, value)
        sheet._write_number(row, last, row, looks[looks_of.NUMBER])
    workbook.close()
    with zipfile.ZipFile(path) as archive:
        return b"".join(
            archive.read(name)
            for name in sorted(archive.namelist())
            if name.startswith(("xl/worksheets/", "xl/styles", "xl/drawings", "xl/comments"))
        )


@pytest.mark.parametrize("count", [1, 2, len(_ROWS)])
def test_a_row_built_whole_is_what_xlsxwriter_writes_cell_by_cell(
    tmp_path: Path, count: int
) -> None:
    """Every kind of cell, escaped text, row heights, notes and links: the same parts.

    One row alone checks the last row of a sheet, which XlsxWriter writes on
    saving: its new formats take their style numbers then, and its height
    stays known, which places a note.
    """
    rows = _ROWS[:count]
    whole = _workbook(tmp_path / "whole.xlsx", True, rows)
    plain = _workbook(tmp_path / "plain.xlsx", False, rows)
    assert whole == plain
    assert b'<hyperlink ref="D2"' in whole and b't="b"' in whole


def test_a_sheet_past_the_link_limit_writes_plain_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past Excel's limit of links a sheet, a URL is text, as the cell-by-cell path wrote it."""
    monkeypatch.setattr(row_cells_module, "MAX_LINKS_PER_SHEET", 2)
    rows = [["r", None, None, f"https://example.org/{n}", None, None, None] for n in range(4)]
    whole = _workbook(tmp_path / "whole.xlsx", True, rows)
    assert whole == _workbook(tmp_path / "plain.xlsx", False, rows)
    assert whole.count(b"<hyperlink ") == 2


def _measured_widths(dataset: storyfacts.Dataset, table: tables.Table) -> tuple[int, ...]:
    """Each column's width measured on every value, as the survey measured before its shortcut."""
    widths = [survey._header_width(column.title) for column in table.columns]
    for cells, _ in survey.sheet_rows(dataset, table):
        for i, value in enumerate(cells):
            if isinstance(value, str):
                widths[i] = max(widths[i], survey._text_width(value))
            elif isinstance(value, int) and not isinstance(value, bool):
                widths[i] = max(widths[i], len(str(value)))
    return tuple(
        survey._FIXED_WIDTHS.get(
            column.kind,
            min(
                max(width, survey.MIN_WIDTH),
                survey.MAX_ID_WIDTH if index == 0 else survey.MAX_WIDTH,
            ),
        )
        + 2
        for index, (column, width) in enumerate(zip(table.columns, widths, strict=True))
    )


def test_widths_stop_being_measured_only_once_settled(seed_data: dict[str, Any]) -> None:
    """A column at its widest early, wide characters late, a narrow column, a row measured
    cell by cell: the full measure."""
    entities = seed_data["entities"]
    entities[0]["description"] = "x" * 200  # the column is as wide as it gets at once
    entities.append({**entities[1], "id": "an-id-far-longer-than-the-frozen-column-allows"})
    entities[-1]["description"] = "中" * 40  # wide characters after the widest
    entities[-1]["name"] = "Ünïcode ümlauts and 中文 side by side, wider than most names"
    # A row with this much text is checked and measured cell by cell.
    seed_data["statements"][2]["summary"] = "long " * 4_000
    dataset = storyfacts.load(seed_data)
    plan = survey.survey(dataset)
    for sheet_plan in plan.sheets:
        table = sheet_plan.table
        assert sheet_plan.widths[:-1] == _measured_widths(dataset, table), table.title
    people = next(p for p in plan.sheets if p.table.title == "People")
    assert people.widths[0] == survey.MAX_ID_WIDTH + 2
    assert survey.MAX_WIDTH + 2 in people.widths


@pytest.mark.parametrize("formula", ['="a"&"b"', '="a\r\nb\rc"'])
def test_a_sheet_s_rows_are_copied_as_xlsxwriter_copies_them(tmp_path: Path, formula: str) -> None:
    """The rows' temporary file goes into the sheet as XlsxWriter puts it, even holding a CR.

    XlsxWriter reads it back as text, which turns a carriage return into a
    line feed; the byte copy leaves such a file to it.
    """

    def sheet_part(path: Path, worksheet_class: Any) -> bytes:
        workbook = Workbook(str(path), {"constant_memory": True, "tmpdir": str(tmp_path)})
        workbook.worksheet_class = worksheet_class
        sheet = workbook.add_worksheet("Rows")
        for row in range(3):
            sheet.write_formula(row, 0, formula, None, "ab")
            sheet.write_string(row, 1, "text é 中")
        workbook.close()
        with zipfile.ZipFile(path) as archive:
            return archive.read("xl/worksheets/sheet1.xml")

    from xlsxwriter.worksheet import Worksheet

    ours = sheet_part(tmp_path / "ours.xlsx", Sheet)
    assert ours == sheet_part(tmp_path / "theirs.xlsx", Worksheet)
    assert "text é 中".encode() in ours
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ours.xlsx", "theirs.xlsx"]


def test_a_row_past_the_sheet_s_last_is_refused(tmp_path: Path) -> None:
    """put_row checks the bounds XlsxWriter checks for each cell (the survey refuses first)."""
    workbook = Workbook(str(tmp_path / "rows.xlsx"), {"constant_memory": True})
    workbook.worksheet_class = Sheet
    sheet = workbook.add_worksheet("Rows")
    sheet.put_text(0, 0, "Header")
    with pytest.raises(IndexError, match="outside a sheet"):
        sheet.put_row(1_048_576, lambda: '<c r="A1048577"/>', 0, 0)
    with pytest.raises(IndexError, match="outside a sheet"):
        sheet.put_row(1, lambda: '<c r="XFE2"/>', 0, 16_384)
    workbook.close()
