"""The hidden Lists sheet's formulas: what the id stack says, and what it stores at export."""

from __future__ import annotations

import re
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

import storyfacts
from storyfacts import kinds
from storyfacts.workbook.layout import ADDED_IDS, ID_COLUMNS, ID_STACK

TITLES = ("Sheet", "Rows", "Rows before", "Ids of every sheet")


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The Lists sheet of the bundled dataset's workbook, formulas and stored values both."""
    path = tmp_path_factory.mktemp("lists") / "story.xlsx"
    storyfacts.export(storyfacts.load_bundled(), "xlsx", path)
    formulas = openpyxl.load_workbook(path)["Lists"]
    return formulas, openpyxl.load_workbook(path, data_only=True)["Lists"]


def _columns(sheet: Any) -> dict[str, str]:
    header = [cell.value for cell in sheet[1]]
    return {title: get_column_letter(header.index(title) + 1) for title in TITLES}


def test_a_sheet_takes_its_rows_down_to_its_last_id() -> None:
    """Rows are counted to the last non-empty id cell, not by COUNTA, so a gap hides nothing."""
    formula = ID_COLUMNS.rows_formula(ID_STACK.index("person"), 1094)
    cells = "People!$A$2:$A$1095"
    assert formula == f'=SUMPRODUCT(MAX(({cells}<>"")*(ROW({cells})-1)))'
    assert "COUNTA" not in formula


def test_an_empty_id_cell_is_stacked_as_empty_text() -> None:
    """The stacked id is INDEX(...)&"": an empty cell gives "", never the 0 of an empty cell."""
    formula = ID_COLUMNS.id_formula()
    index = re.search(r'INDEX\(CHOOSE\(.*\)\)&""\)$', formula)
    assert index, formula
    assert formula.startswith("=IF(ROW()-1>")
    # Only functions Excel 2007 and every LibreOffice know.
    assert set(re.findall(r"([A-Z]+)\(", formula)) == {"IF", "ROW", "INDEX", "CHOOSE", "COUNTIF"}


def test_stacked_rows_and_their_stored_values(lists: Any) -> None:
    """Each stacked sheet's formulas read its id cells down to the stack's last row, and each
    formula is stored with its value at export (what LibreOffice shows until it recomputes)."""
    sheet, values = lists
    bundled = storyfacts.load_bundled()
    column = _columns(sheet)
    last = sheet.max_row
    counts = dict.fromkeys(ID_STACK, 0)
    for record in bundled.records():
        counts[kinds.kind_of_record(record)] += 1
    assert last == 1 + sum(counts.values()) + ADDED_IDS
    before = 0
    for place, kind in enumerate(ID_STACK):
        row = 2 + place
        title = values[f"{column['Sheet']}{row}"].value
        cells = f"{title}!$A$2:$A${last}"
        assert sheet[f"{column['Rows']}{row}"].value == (
            f'=SUMPRODUCT(MAX(({cells}<>"")*(ROW({cells})-1)))'
        )
        assert values[f"{column['Rows']}{row}"].value == counts[kind]
        assert values[f"{column['Rows before']}{row}"].value == before
        before += counts[kind]
    ids = [values[f"{column['Ids of every sheet']}{row}"].value for row in range(2, last + 1)]
    stacked = [
        r.id for kind in ID_STACK for r in bundled.records() if kinds.kind_of_record(r) == kind
    ]
    assert ids[: len(stacked)] == stacked
    assert set(ids[len(stacked) :]) <= {None, ""}
    formulas = {sheet[f"{column['Ids of every sheet']}{row}"].value for row in range(2, last + 1)}
    assert formulas == {ID_COLUMNS.id_formula()}


def test_the_formulas_hold_no_dataset_text(lists: Any) -> None:
    """The Lists sheet's formulas name sheets and cells only, never an id or a value."""
    sheet, _ = lists
    ids = {r.id for r in storyfacts.load_bundled().records()}
    formulas = [c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas
    for formula in formulas:
        for text in re.findall(r'"([^"]*)"', formula):
            assert text in ("", "<"), formula
        assert not ids & set(re.findall(r"[a-z0-9-]{4,}", formula)), formula


def test_rows_formula_is_bounded_by_the_stack() -> None:
    """However many records, a sheet's id cells are read only as far as the stack reaches."""
    formula = ID_COLUMNS.rows_formula(0, 5)
    assert formula.count("$A$2:$A$6") == 2
