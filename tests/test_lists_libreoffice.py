"""Reference dropdowns after an editor leaves gaps, computed by a real spreadsheet program."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

import libreoffice_calc
import storyfacts
from storyfacts import kinds
from storyfacts.workbook.layout import DATA_TABLES, choice_list

pytestmark = libreoffice_calc.NEEDED

#: The dropdowns checked, by the name of the sheet added to compute each: (sheet, cell).
DROPDOWNS = {
    "speaker": ("Quotes", "D2"),  # organisations among others
    "record": ("Evidence", "A2"),  # every kind but articles and sources
    "article": ("Evidence", "B2"),  # articles alone: the first sheet stacked
}


def _computed(workbook: Path, directory: Path) -> Any:
    """``workbook`` opened, computed and saved by headless LibreOffice, read with its values.

    openpyxl saves formulas without their values, so LibreOffice computes
    every formula of the workbook when it opens it, as Excel would.
    """
    computed = libreoffice_calc.resave(workbook, directory / "computed", directory / "profile")
    return openpyxl.load_workbook(computed, data_only=True)


def _add_check(book: Any, name: str, sheet: str, cell: str) -> None:
    """A sheet ``name`` whose column A shows each entry of the dropdown of ``sheet``!``cell``.

    Each cell is ``INDEX`` of the dropdown's own list formula, so LibreOffice
    computes exactly what the dropdown offers; A1 is how many entries it has.
    """
    formula = next(
        v.formula1 for v in book[sheet].data_validations.dataValidation if cell in v.sqref
    )
    check = book.create_sheet(name)
    check["A1"] = f"=ROWS({formula})"
    for i in range(2, 202):
        check[f"A{i}"] = f'=IF({i - 1}>A$1,"#end",INDEX({formula},{i - 1}))'


def _kinds_offered(book: Any, sheet: str, cell: str) -> frozenset[str]:
    """The kinds of record whose ids the dropdown at ``sheet``!``cell`` is meant to offer."""
    title = book[sheet].cell(1, book[sheet][cell].column).value
    table = next(t for t in DATA_TABLES if t.title == sheet)
    choices = choice_list(next(c for c in table.columns if c.title == title))
    assert choices is not None and choices.targets, (sheet, cell)
    return choices.targets


def _offered(computed: Any, name: str) -> list[Any]:
    column = computed[name]["A"]
    entries = [c.value for c in column[1:]]
    assert "#end" in entries, "the check sheet is too short for the dropdown"
    offered = entries[: entries.index("#end")]
    assert len(offered) == column[0].value
    return offered


def test_gaps_in_id_columns_show_no_0_and_hide_no_id(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """An id cell blanked mid-sheet, a blank row and a record added after a gap, once computed:
    every dropdown offers every id and no '0' (a blank is at most an empty entry), and one
    whose records are all gone offers nothing rather than the next sheet's first id."""
    workbook = storyfacts.export(bundled, "xlsx", tmp_path / "story.xlsx")
    book = openpyxl.load_workbook(workbook)
    offers = {name: _kinds_offered(book, *place) for name, place in DROPDOWNS.items()}
    organizations = book["Organizations"]
    blanked = organizations["A5"].value
    organizations["A5"].value = None  # an editor deletes a record's id
    places = book["Places"]
    emptied = places["A3"].value
    for cell in places[3]:
        cell.value = None  # a whole row left blank between records
    countries = book["Countries"]
    countries.cell(countries.max_row + 2, 1, "atlantis")  # added after a blank row
    articles = book["Articles"]
    articles["A2"].value = None  # the only id of a sheet gone
    for name, (sheet, cell) in DROPDOWNS.items():
        _add_check(book, name, sheet, cell)
    (tmp_path / "edited").mkdir()
    edited = tmp_path / "edited" / "story.xlsx"
    book.save(edited)

    computed = _computed(edited, tmp_path)

    gone = {blanked, emptied, bundled.articles[0].id}
    assert {"organization", "place", "country"} <= offers["record"]
    assert offers["article"] == {"article"}
    for name in DROPDOWNS:
        offered = _offered(computed, name)
        assert 0 not in offered and "0" not in offered, name
        expected = {r.id for r in bundled.records() if kinds.kind_of_record(r) in offers[name]}
        expected -= gone
        if "country" in offers[name]:
            expected.add("atlantis")
        ids = [value for value in offered if value not in ("", None)]
        assert sorted(ids) == sorted(expected), name
    assert _offered(computed, "article") in ([""], [None])
    stacked = [row[-1] for row in computed["Lists"].iter_rows(min_row=2, values_only=True)]
    assert 0 not in stacked and "0" not in stacked


def test_an_unedited_workbook_offers_its_ids_as_stored(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """Computed afresh, the stack gives back exactly the values stored with it at export."""
    workbook = storyfacts.export(bundled, "xlsx", tmp_path / "story.xlsx")
    lists = openpyxl.load_workbook(workbook, data_only=True)["Lists"]
    stored = [list(row) for row in lists.iter_rows(values_only=True)]
    book = openpyxl.load_workbook(workbook)  # saving drops the stored values
    (tmp_path / "edited").mkdir()
    book.save(tmp_path / "edited" / "story.xlsx")
    computed = _computed(tmp_path / "edited" / "story.xlsx", tmp_path)
    recomputed = [list(row) for row in computed["Lists"].iter_rows(values_only=True)]
    assert len(recomputed) == len(stored)
    for before, after in zip(stored, recomputed, strict=True):
        assert [v if v != "" else None for v in before] == [v if v != "" else None for v in after]
