"""Round trips through a real spreadsheet program: LibreOffice opens each workbook and saves it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

import libreoffice_calc
import storyfacts
from storyfacts.workbook import read

pytestmark = libreoffice_calc.NEEDED

FORMULA_LIKE = ["=1+1", '=HYPERLINK("http://evil.example","click")', "+1", "-2", "@SUM(A1)"]


def _resave(workbook: Path, directory: Path) -> Path:
    """Open ``workbook`` in headless LibreOffice and save it as .xlsx again."""
    out = directory / "resaved"
    resaved = libreoffice_calc.resave(workbook, out, directory / "profile")
    assert resaved.exists(), f"LibreOffice wrote nothing to {out}"
    return resaved


def test_bundled_dataset_survives_libreoffice(tmp_path: Path, bundled: storyfacts.Dataset) -> None:
    """The bundled workbook, saved again by LibreOffice, reads back as the same dataset."""
    workbook = storyfacts.export(bundled, "xlsx", tmp_path / "story.xlsx")
    resaved = _resave(workbook, tmp_path)
    assert resaved.read_bytes() != workbook.read_bytes()
    reading = read(resaved)
    assert reading.problems == []
    assert reading.edited is False
    assert storyfacts.load(resaved) == bundled


def _tricky(seed_data: dict[str, Any]) -> dict[str, Any]:
    """The bundled data with text and values a spreadsheet program is most likely to change."""
    data = seed_data
    entities = data["entities"]
    entities[0]["name"] = "Владимир Путин"
    entities[0]["aliases"] = ["Путин", "普京", "V. Putin", *FORMULA_LIKE]
    entities[1]["name"] = "习近平"
    entities[1]["description"] = ("Си Цзиньпин 习近平 Xi Jinping — " * 1200)[:32_767]
    # Not "_x005F_x0041_": LibreOffice 7 decodes an escaped escape twice and loses it.
    entities[2]["description"] = "_x0041_ stays, tabs\tstay, and  spaces  too "
    for statement, text in zip(data["statements"], FORMULA_LIKE, strict=False):
        statement["summary"] = text
    dates = [
        {"value": "2024", "precision": "year", "phrase": "next year", "inferred": True},
        {"value": "2023-04", "precision": "month", "phrase": "from April", "inferred": False},
        {"value": "2023-03-22", "precision": "day"},
        {"value": "1899-12-31", "precision": "day"},
    ]
    for source, date in zip(data["sources"], dates, strict=False):
        source["published"] = date
    decision = next(s for s in data["statements"] if s["type"] == "decision")
    decision["votes_for"] = 10**15 - 1
    decision["votes_against"] = 0
    data["statements"].reverse()
    return data


def test_tricky_values_survive_libreoffice(tmp_path: Path, seed_data: dict[str, Any]) -> None:
    """Formula-like text, three scripts, a full cell, every precision and big numbers survive."""
    dataset = storyfacts.load(_tricky(seed_data))
    workbook = storyfacts.export(dataset, "xlsx", tmp_path / "tricky.xlsx")
    resaved = _resave(workbook, tmp_path)
    assert read(resaved).problems == []
    assert storyfacts.dumps(storyfacts.load(resaved)) == storyfacts.dumps(dataset)


def test_libreoffice_keeps_formula_like_text_as_text(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """After LibreOffice saves it, text that looks like a formula is still a string cell."""
    dataset = storyfacts.load(_tricky(seed_data))
    resaved = _resave(storyfacts.export(dataset, "xlsx", tmp_path / "tricky.xlsx"), tmp_path)
    book = openpyxl.load_workbook(resaved)
    texts = {
        cell.value: cell.data_type
        for name in ("Quotes", "Claims", "People")
        for row in book[name].iter_rows()
        for cell in row
        if cell.value in FORMULA_LIKE
    }
    assert set(texts) == set(FORMULA_LIKE)
    assert set(texts.values()) == {"s"}
    formulas = {
        str(cell.value)
        for sheet in book.worksheets
        if sheet.title != "Lists"
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }
    # LibreOffice writes booleans as the formulas TRUE() and FALSE(); nothing else.
    assert formulas == {"=TRUE()", "=FALSE()"}
    # The Lists sheet's own formulas read id columns; no text from the dataset is in them.
    for row in book["Lists"].iter_rows():
        for cell in row:
            if cell.data_type == "f":
                assert not any(text in str(cell.value) for text in FORMULA_LIKE[:2])


def _check_dropdown(book: Any, sheet: str, cell: str, column: str) -> None:
    """Add a Check sheet whose ``column`` shows, once computed, each entry of a dropdown's list.

    Each cell is ``INDEX`` of the dropdown's own list formula, so whoever
    computes the sheet computes exactly what the dropdown offers.
    """
    formula = next(
        v.formula1 for v in book[sheet].data_validations.dataValidation if cell in v.sqref
    )
    check = book["Check"] if "Check" in book.sheetnames else book.create_sheet("Check")
    check[f"{column}1"] = f"=ROWS({formula})"
    for i in range(2, 202):
        check[f"{column}{i}"] = f'=IF({i - 1}>{column}$1,"",INDEX({formula},{i - 1}))'


def test_dropdowns_offer_a_row_added_after_export(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """After LibreOffice saves the workbook, a person an editor adds is offered in dropdowns."""
    workbook = storyfacts.export(bundled, "xlsx", tmp_path / "story.xlsx")
    resaved = _resave(workbook, tmp_path)
    book = openpyxl.load_workbook(resaved)
    book["People"].append(["anna-editor", "Anna Editor"])
    _check_dropdown(book, "Quotes", "D2", "A")  # the speaker
    _check_dropdown(book, "Evidence", "A2", "B")  # the record
    (tmp_path / "edited").mkdir()
    edited = tmp_path / "edited" / "story.xlsx"
    book.save(edited)
    (tmp_path / "computed").mkdir()
    computed = openpyxl.load_workbook(_resave(edited, tmp_path / "computed"), data_only=True)
    check = computed["Check"]
    speakers = [c.value for c in check["A"][1:] if c.value]
    records = [c.value for c in check["B"][1:] if c.value]
    agents = {"country", "group", "organization", "person"}
    assert set(speakers) == {e.id for e in bundled.entities if e.type in agents} | {"anna-editor"}
    assert len(speakers) == check["A1"].value
    # Rows of a sheet in order, the new one last among the people.
    people = [e.id for e in bundled.entities if e.type == "person"]
    assert speakers[speakers.index(people[0]) :][: len(people) + 1] == [*people, "anna-editor"]
    everything = {r.id for r in (*bundled.entities, *bundled.statements)}
    assert set(records) == everything | {"anna-editor"}
