"""The workbook exporter: what an editor finds in the workbook, and what it refuses to write."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

import storyfacts
from storyfacts import tables
from storyfacts.workbook import UnwritableDatasetError, survey, write_workbook

SHEETS = [
    "About",
    "Articles",
    "People",
    "Organizations",
    "Countries",
    "Places",
    "Events",
    "Groups",
    "Quotes",
    "Claims",
    "Decisions",
    "Relations",
    "Sources",
    "Evidence",
    "Lists",
]
ENTITY_KINDS = {"person", "organization", "country", "place", "event", "group"}
STATEMENT_KINDS = {"quote", "claim", "decision", "relation"}


def _export(dataset: storyfacts.Dataset, directory: Path, name: str = "story.xlsx") -> Path:
    return storyfacts.export(dataset, "xlsx", directory / name)


def _open(path: Path) -> Any:
    return openpyxl.load_workbook(path)


def _letter(table: tables.Table, name: str) -> str:
    return get_column_letter([c.name for c in table.columns].index(name) + 1)


def _dimension(sheet: Any, column: int) -> Any:
    """The column dimension covering ``column`` (from 1): a writer may give neighbours one."""
    return next(d for d in sheet.column_dimensions.values() if d.min <= column <= d.max)


def _widths(sheet: Any) -> dict[int, float]:
    """Each column's width, by column number from 1."""
    return {
        column: d.width
        for d in sheet.column_dimensions.values()
        for column in range(d.min, d.max + 1)
    }


def _kind(record: Any) -> str:
    if isinstance(record, storyfacts.Article):
        return "article"
    if isinstance(record, storyfacts.Source):
        return "source"
    return str(record.type)


def test_xlsx_is_a_registered_streaming_format() -> None:
    """The xlsx exporter is listed with its extension and media type, and says it streams."""
    found = {e.name: e for e in storyfacts.formats()}["xlsx"]
    assert found.extension == ".xlsx"
    assert found.media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert found.streams is True


def test_sheets_one_per_kind_of_record(tmp_path: Path, bundled: storyfacts.Dataset) -> None:
    """About first, one sheet per kind of record with one row per record, evidence, hidden lists,
    and the bodies as exported, very hidden."""
    book = _open(_export(bundled, tmp_path))
    assert book.sheetnames == [*SHEETS, "Exported bodies"]
    assert book["Lists"].sheet_state == "hidden"
    assert book["Exported bodies"].sheet_state == "veryHidden"
    assert [book[name].sheet_state for name in SHEETS[:-1]] == ["visible"] * (len(SHEETS) - 1)
    bodies = list(book["Exported bodies"].iter_rows(values_only=True))
    assert bodies == [("Article", "Body as exported")] + [(a.id, a.body) for a in bundled.articles]
    kinds = [_kind(r) for r in bundled.records()]
    expected = {
        "Articles": len(bundled.articles),
        "People": kinds.count("person"),
        "Quotes": kinds.count("quote"),
        "Sources": len(bundled.sources),
        "Evidence": sum(len(r.evidence or ()) for r in [*bundled.entities, *bundled.statements]),
    }
    for name, count in expected.items():
        assert book[name].max_row == count + 1, name


def test_about_explains_every_sheet_and_column(tmp_path: Path, bundled: storyfacts.Dataset) -> None:
    """The About sheet gives the story, each sheet's meaning and every column's schema text."""
    about = _open(_export(bundled, tmp_path))["About"]
    text = "\n".join(str(c.value) for row in about.iter_rows() for c in row if c.value is not None)
    assert bundled.title in text
    schema = storyfacts.json_schema()["$defs"]
    assert schema["Quote"]["description"] in text
    for table in (*tables.TABLES, tables.EVIDENCE):
        assert table.title in text
        for column in table.columns:
            assert column.title in text and column.description in text, column.name
    assert "One of: supports, opposes, welcomes" in text


def test_about_holds_schema_version_and_fingerprint(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """The About sheet stores the schema version and the SHA-256 of the canonical JSON."""
    about = _open(_export(bundled, tmp_path))["About"]
    values = {row[0].value: row[1].value for row in about.iter_rows(max_col=2) if row[0].value}
    digest = hashlib.sha256(storyfacts.dumps(bundled).encode("utf-8")).hexdigest()
    assert values["Schema version"] == storyfacts.SCHEMA_VERSION
    assert values["Fingerprint"] == f"sha256:{digest}"
    assert values["Dataset id"] == bundled.id
    assert values["Last modified"] == bundled.modified


def test_header_row_is_frozen_styled_and_filtered(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """Each data sheet freezes its header and id column, styles the header and filters every row."""
    book = _open(_export(bundled, tmp_path))
    for table in (*tables.TABLES, tables.EVIDENCE):
        sheet = book[table.title]
        last = get_column_letter(len(table.columns) + 1)
        assert sheet.freeze_panes == "B2"
        assert sheet.auto_filter.ref == f"A1:{last}{max(sheet.max_row, 2)}"
        headers = [c.value for c in sheet[1]]
        assert headers == [c.title for c in table.columns] + ["Dataset order"]
        assert all(c.font.bold for c in sheet[1])
        fills = {
            c.required: sheet.cell(1, i + 1).fill.fgColor.rgb for i, c in enumerate(table.columns)
        }
        assert len(set(fills.values())) == len(fills)  # required and optional look different
        widths = _widths(sheet)
        assert len(widths) == len(headers)
        # Excel stores a width of n characters as n and the cell padding (n.71).
        assert all(5 < width <= 63 for width in widths.values())
        assert _dimension(sheet, len(headers)).hidden is True


def test_every_font_is_named_as_the_body_font(tmp_path: Path, bundled: storyfacts.Dataset) -> None:
    """Header, id, title and link fonts name the body's face, so no reader falls back to serif."""
    with zipfile.ZipFile(_export(bundled, tmp_path)) as archive:
        xml = archive.read("xl/styles.xml").decode()
    fonts = re.findall(r"<font>(.*?)</font>", re.search(r"<fonts[^>]*>(.*)</fonts>", xml)[1])
    assert len(fonts) > 1  # the body font and the styled ones
    assert all(re.search(r'<name val="\w+" ?/>', font) for font in fonts), fonts
    book = _open(tmp_path / "story.xlsx")
    claims = book["Claims"]
    cells = [claims["A1"], claims["A2"], book["About"]["A1"], book["Articles"]["C2"]]
    cells += [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    # Every cell's font is the body's (the notes' own font, Tahoma, is named too).
    assert {cell.font.name for cell in cells if cell.value is not None} == {"Calibri"}


def test_frozen_first_column_is_capped_and_wraps(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """The frozen column stays narrow: a long id wraps and its row grows to show it."""
    from storyfacts.workbook.survey import MAX_ID_WIDTH

    book = _open(_export(bundled, tmp_path))
    longest = {}
    for title in ("Claims", "Evidence"):
        sheet = book[title]
        assert int(_widths(sheet)[1]) == MAX_ID_WIDTH + 2
        cells = [row[0] for row in sheet.iter_rows(min_row=2) if row[0].value]
        assert all(cell.alignment.wrap_text for cell in cells)
        longest[title] = max(cells, key=lambda cell: len(cell.value))
    claim = longest["Claims"]
    assert len(claim.value) > MAX_ID_WIDTH * 1.15  # it needs two lines, and gets them
    assert book["Claims"].row_dimensions[claim.row].height >= 30


def test_text_past_the_row_height_says_it_continues(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """A body longer than a row shows carries a (continues) note; its value is untouched."""
    articles = _open(_export(bundled, tmp_path))["Articles"]
    table = tables.TABLES[0]
    body = articles[f"{_letter(table, 'body')}2"]
    assert body.value == bundled.articles[0].body
    assert body.comment is not None and body.comment.text.startswith("(continues)")
    assert body.alignment.wrap_text and body.font.name == "Calibri"
    headline = articles[f"{_letter(table, 'headline')}2"]
    assert headline.comment is None  # short text has no note
    assert "(continues)" in articles[f"{_letter(table, 'body')}1"].comment.text


def test_dates_and_booleans_keep_clear_of_the_next_column(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """Dates are left-aligned and booleans centred, not right-aligned against the next text."""
    articles = _open(_export(bundled, tmp_path))["Articles"]
    table = tables.TABLES[0]
    published = articles[f"{_letter(table, 'published')}2"]
    assert published.is_date and published.alignment.horizontal == "left"
    inferred = articles[f"{_letter(table, 'published_inferred')}2"]
    assert isinstance(inferred.value, bool) and inferred.alignment.horizontal == "center"


def test_long_text_wraps_and_urls_are_links(tmp_path: Path, bundled: storyfacts.Dataset) -> None:
    """Text columns wrap, and a URL cell is a live hyperlink to that URL."""
    articles = _open(_export(bundled, tmp_path))["Articles"]
    table = tables.TABLES[0]
    body = articles[f"{_letter(table, 'body')}2"]
    assert body.value == bundled.articles[0].body
    assert body.alignment.wrap_text is True
    url = articles[f"{_letter(table, 'url')}2"]
    assert url.hyperlink.target == bundled.articles[0].url


def test_exact_dates_are_date_cells_and_partial_dates_text(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """A day is a real date cell formatted yyyy-mm-dd; a month or a year alone stays text."""
    event = next(e for e in seed_data["entities"] if e["type"] == "event")
    event["start"] = {"value": "2023-04", "precision": "month", "phrase": "from April"}
    event["end"] = {"value": "2024", "precision": "year"}
    dataset = storyfacts.load(seed_data)
    book = _open(_export(dataset, tmp_path))
    published = book["Articles"][f"{_letter(tables.TABLES[0], 'published')}2"]
    assert published.value == dt.datetime(2023, 3, 22)
    assert published.number_format == "yyyy-mm-dd"
    events = book["Events"]
    table = next(t for t in tables.TABLES if t.name == "events")
    assert events[f"{_letter(table, 'start')}2"].value == "2023-04"
    assert events[f"{_letter(table, 'start_precision')}2"].value == "month"
    assert events[f"{_letter(table, 'end')}2"].value == "2024"
    assert events[f"{_letter(table, 'end')}2"].data_type == "s"


_RANGE = re.compile(r"=?(\w+)!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)")
_RUN = re.compile(
    r"OFFSET\(Lists!\$[A-Z]+\$2,IF\((?P<size>Lists!\$(?P<before>[A-Z]+)\$(?P<end>\d+)\+"
    r"Lists!\$(?P<rows>[A-Z]+)\$(?P=end)-Lists!\$(?P=before)\$(?P<start>\d+))>0,"
    r"Lists!\$(?P=before)\$(?P=start),Lists!\$(?P=before)\$(?P<last>\d+)\+Lists!\$(?P=rows)\$(?P=last)\),0,"
    r"MAX\(1,(?P=size)\),1\)"
)


def _stacked_ids(book: Any) -> tuple[list[str], dict[int, tuple[int, int]]]:
    """The ids the Lists sheet's formulas stack, read from the sheets as they are now.

    Checks the formulas say what the stack means: each sheet takes the rows
    of its id column down to its last id (looking as far down as the stack
    has rows), each "before" adds up the rows above it, and every
    row of the stacked ids has the same formula, choosing among the sheets in
    the order the table lists them. Returns the ids and, by Lists row, the
    (ids before, count) of that row's sheet.
    """
    lists = book["Lists"]
    header = [cell.value for cell in lists[1]]
    sheet, count, before, ids = (
        get_column_letter(header.index(title) + 1)
        for title in ("Sheet", "Rows", "Rows before", "Ids of every sheet")
    )
    stacked: list[str] = []
    runs: dict[int, tuple[int, int]] = {}
    titles: list[str] = []
    row = 2
    while (title := lists[f"{sheet}{row}"].value) is not None:
        titles.append(title)
        cells = f"{title}!$A$2:$A${lists.max_row}"
        assert lists[f"{count}{row}"].value == f'=SUMPRODUCT(MAX(({cells}<>"")*(ROW({cells})-1)))'
        expected = "=0" if row == 2 else f"={before}{row - 1}+{count}{row - 1}"
        assert lists[f"{before}{row}"].value == expected
        found = [c.value for c in book[title]["A"][1:] if c.value is not None]
        runs[row] = (len(stacked), len(found))
        stacked += found
        row += 1
    formulas = [c.value for c in lists[ids][1:]]
    assert len(set(formulas)) == 1 and len(formulas) >= len(stacked)
    assert re.findall(r"(\w+)!A:A", formulas[0]) == titles
    return stacked, runs


def _list_values(book: Any, formula: str) -> list[str]:
    """What a dropdown's list formula offers, given what the sheets hold now."""
    plain = _RANGE.fullmatch(formula)
    if plain:
        sheet, column, first, _, last = plain.groups()
        cells = book[sheet][f"{column}{first}:{column}{last}"]
        return [row[0].value for row in cells if row[0].value is not None]
    run = _RUN.fullmatch(formula)
    assert run, formula
    stacked, runs = _stacked_ids(book)
    start, _ = runs[int(run["start"])]
    end = sum(runs[int(run["end"])])
    return stacked[start:end]


def _kind_order() -> list[str]:
    return [t.kind for t in (*tables.TABLES, tables.EVIDENCE) if t.kind]


def test_dropdowns_offer_enum_values_and_existing_ids(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """Every enumerated and reference column has a dropdown of exactly the values it accepts."""
    book = _open(_export(bundled, tmp_path))
    kinds = {r.id: _kind(r) for r in bundled.records()}
    stack = ["article", "place", "country", "person", "organization", "group", "event"]
    stack += ["quote", "claim", "decision", "relation", "source"]
    checked = 0
    for table in (*tables.TABLES, tables.EVIDENCE):
        sheet = book[table.title]
        for index, column in enumerate(table.columns):
            if column.kind not in ("enum", "precision", "ref"):
                continue
            letter = get_column_letter(index + 1)
            found = [v for v in sheet.data_validations.dataValidation if f"{letter}2" in v.sqref]
            assert len(found) == 1, (table.name, column.name)
            validation = found[0]
            assert validation.type == "list"
            assert f"{letter}1048576" in str(validation.sqref)  # new rows get it too
            offered = _list_values(book, validation.formula1)
            if column.enum:
                assert offered == list(column.enum)
                assert (validation.errorStyle or "stop") == "stop"  # stop is the default
            else:
                targets = set(column.targets)
                targets |= ENTITY_KINDS if "entity" in targets else set()
                targets |= STATEMENT_KINDS if "statement" in targets else set()
                # Grouped by sheet, in the order the Lists sheet stacks them.
                expected = sorted(
                    (rid for rid, kind in kinds.items() if kind in targets),
                    key=lambda rid: stack.index(kinds[rid]),
                )
                assert offered == expected, (table.name, column.name)
                assert validation.errorStyle == "warning"
            checked += 1
    assert checked > 30


def test_dropdowns_offer_rows_added_after_export(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """A record an editor adds, renames or deletes is offered as it is now, not as exported."""
    book = _open(_export(bundled, tmp_path))
    speaker = next(
        v.formula1 for v in book["Quotes"].data_validations.dataValidation if "D2" in v.sqref
    )
    before = _list_values(book, speaker)
    book["People"].append(["anna-editor", "Anna Editor"])
    book["Groups"]["A2"] = "renamed-group"
    first_country = book["Countries"]["A2"].value
    book["Countries"]["A2"] = None
    book["Countries"].move_range("A3:A100", rows=-1)
    after = _list_values(book, speaker)
    assert "anna-editor" in after and "anna-editor" not in before
    assert "renamed-group" in after
    assert first_country in before and first_country not in after
    evidence = next(
        v.formula1 for v in book["Evidence"].data_validations.dataValidation if "A2" in v.sqref
    )
    assert "anna-editor" in _list_values(book, evidence)


def test_the_only_formulas_are_the_lists_sheet_s_own(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """Data sheets hold no formula; the Lists sheet's formulas read id columns and hold no text.

    Text from the dataset that looks like a formula is a string cell wherever it goes.
    """
    seed_data["entities"][0]["name"] = "=SUM(A1)"
    seed_data["statements"][0]["summary"] = '=HYPERLINK("http://evil.example","click")'
    path = _export(storyfacts.load(seed_data), tmp_path)
    book = _open(path)
    for sheet in book.worksheets:
        formulas = [c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        if sheet.title != "Lists":
            assert formulas == [], sheet.title
            continue
        assert len(formulas) > len(list(storyfacts.load(seed_data).records()))
        for formula in formulas:
            assert "SUM(" not in formula and "HYPERLINK" not in formula, formula
            # No text in them but the empty text and the comparison COUNTIF takes.
            assert set(re.findall(r'"[^"]*"', formula)) <= {'""', '"<"'}, formula


def test_export_is_byte_identical_and_dated_by_the_dataset(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """Two exports are byte for byte the same; every timestamp is the dataset's modified time."""
    first = _export(bundled, tmp_path, "one.xlsx").read_bytes()
    second = _export(bundled, tmp_path, "two.xlsx").read_bytes()
    assert first == second
    modified = dt.datetime(2026, 11, 27, 0, 0, 0)
    assert bundled.modified == "2026-11-27T00:00:00Z"
    with zipfile.ZipFile(tmp_path / "one.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {modified.timetuple()[:6]}
    properties = _open(tmp_path / "one.xlsx").properties
    assert (properties.created, properties.modified) == (modified, modified)


@pytest.mark.parametrize(
    ("modified", "stamp"),
    [
        ("2108-01-01T00:00:00Z", (2107, 12, 31, 23, 59, 58)),
        ("9999-12-31T23:59:59Z", (2107, 12, 31, 23, 59, 58)),
        ("1979-12-31T23:59:59Z", (1980, 1, 1, 0, 0, 0)),
        ("0001-01-01T00:00:00Z", (1980, 1, 1, 0, 0, 0)),
    ],
)
def test_a_modified_time_zip_cannot_say_is_exported(
    tmp_path: Path, seed_data: dict[str, Any], modified: str, stamp: tuple[int, ...]
) -> None:
    """A valid time past 2107 or before 1980 is exported: zip entries get the nearest stamp."""
    seed_data["modified"] = modified
    dataset = storyfacts.load(seed_data)
    path = _export(dataset, tmp_path)
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {stamp}
    assert storyfacts.load(path).modified == modified


FORMULA_LIKE = ["=1+1", '=HYPERLINK("http://evil.example","click")', "+1", "-2", "@SUM(A1)", "#N/A"]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_is_stored_as_text(
    tmp_path: Path, seed_data: dict[str, Any], text: str
) -> None:
    """Text that a spreadsheet would run is a plain string cell, and reads back unchanged."""
    seed_data["statements"][0]["summary"] = text
    seed_data["entities"][0]["aliases"] = [text, "Putin"]
    dataset = storyfacts.load(seed_data)
    path = _export(dataset, tmp_path)
    book = _open(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                # The Lists sheet's own formulas (see the test above) are the only ones.
                assert cell.data_type != "f" or sheet.title == "Lists", cell.coordinate
                if cell.data_type == "f":
                    assert text not in cell.value
    cell = book["Quotes"]["B2"]
    assert (cell.value, cell.data_type) == (text, "s")
    back = storyfacts.load(path)
    assert back.statements[0].summary == text
    assert back.entities[0].aliases == [text, "Putin"]


def test_ooxml_escape_lookalikes_are_kept(tmp_path: Path, seed_data: dict[str, Any]) -> None:
    """Text that looks like an OOXML escape (_x0041_) is escaped, so it reads back literally."""
    seed_data["statements"][0]["summary"] = "_x0041_ and _x005F_x0041_ and _x_"
    path = _export(storyfacts.load(seed_data), tmp_path)
    assert storyfacts.load(path).statements[0].summary == "_x0041_ and _x005F_x0041_ and _x_"


def _refused(
    dataset: storyfacts.Dataset, target: Path, *, check: bool = True
) -> UnwritableDatasetError:
    with pytest.raises(UnwritableDatasetError) as caught:
        storyfacts.export(dataset, "xlsx", target, check=check)
    assert isinstance(caught.value, storyfacts.ExportError)
    return caught.value


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("bell \x07 here", "control character U+0007"),
        ("half \ud83d pair", "lone surrogate U+D83D"),
        ("x" * 32_768, "32,768 characters long"),
        ("😀" * 16_384, "32,768 characters long"),
    ],
)
def test_values_a_workbook_cannot_hold_are_refused_before_writing(
    tmp_path: Path, bundled: storyfacts.Dataset, text: str, words: str
) -> None:
    """Control characters, lone surrogates, over-long text: named by record and cell; no file."""
    quote = bundled.statements[3]
    assert quote.type == "quote"
    quote.summary = text
    target = tmp_path / "story.xlsx"
    target.write_bytes(b"the editor's earlier workbook")
    # Validation refuses lone surrogates first; check=False reaches the writer's own guard.
    error = _refused(bundled, target, check=False)
    problem = next(p for p in error.problems if p.path == "$.statements[3].summary")
    # Quotes are the first statements, so statements[3] is the fourth quote: row 5.
    assert problem.location == "Quotes!B5"
    assert words in problem.message
    assert quote.id in problem.message and "Summary" in problem.message
    assert quote.id in str(error) and "nothing was written" in str(error)
    assert target.read_bytes() == b"the editor's earlier workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.xlsx"]


def test_a_list_item_with_a_line_break_is_refused(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """An item with a line break would split in a one-item-per-line cell, so it is refused."""
    # The schema forbids such items too; this is the workbook's own guard.
    person = bundled.entities[0]
    assert isinstance(person, storyfacts.Person)
    person.aliases = ["Putin", "Vladimir\nVladimirovich"]
    assert storyfacts.validate(bundled) != []
    error = _refused(bundled, tmp_path / "story.xlsx", check=False)
    [problem] = error.problems
    assert problem.path == "$.entities[0].aliases"
    assert problem.location == f"People!{_letter(tables.TABLES[1], 'aliases')}2"
    assert "line break in item 2" in problem.message and "Aliases" in problem.message


def test_longest_text_and_biggest_exact_number_are_written(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """32,767 characters (astral ones count twice) and 15-digit numbers fit; one more does not."""
    bundled.statements[3].summary = "😀" * 16_383 + "x"
    decision = next(s for s in bundled.statements if s.type == "decision")
    decision.votes_for = 10**15 - 1
    assert _export(bundled, tmp_path).exists()
    decision.votes_for = 10**15
    # Validation refuses past 15 digits first; check=False reaches the writer's own guard.
    error = _refused(bundled, tmp_path / "big.xlsx", check=False)
    assert [p.code for p in error.problems] == ["unwritable"]
    assert "more than 15 digits" in error.problems[0].message
    assert not (tmp_path / "big.xlsx").exists()


def test_a_sheet_past_the_row_limit_is_refused(
    tmp_path: Path, bundled: storyfacts.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet needing more rows than a worksheet has names the first record that does not fit."""
    monkeypatch.setattr(survey, "MAX_ROWS", 5)  # four records below the header
    error = _refused(bundled, tmp_path / "story.xlsx")
    quotes = next(p for p in error.problems if p.location == "Quotes")
    assert quotes.code == "too-many-rows"
    assert quotes.path == "$.statements[4]"
    assert repr(bundled.statements[4].id) in quotes.message
    assert not (tmp_path / "story.xlsx").exists()


def _grown(bundled: storyfacts.Dataset, copies: int) -> storyfacts.Dataset:
    """The bundled dataset with each entity and statement repeated under new ids."""
    data = storyfacts.dump(bundled)
    for section in ("entities", "statements"):
        originals = data[section]
        data[section] = originals + [
            {**record, "id": f"{record['id']}-copy-{n}"}
            for n in range(copies)
            for record in originals
        ]
    return storyfacts.load(data)


def _peak_bytes(dataset: storyfacts.Dataset, path: Path) -> int:
    tracemalloc.start()
    try:
        write_workbook(dataset, path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_dataset_grows(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    """Writing eight times the records takes about the same memory beyond the dataset itself."""
    small, large = _grown(bundled, 4), _grown(bundled, 32)
    assert len(large.statements) == 8 * len(small.statements) - 7 * len(bundled.statements)
    small_peak = _peak_bytes(small, tmp_path / "small.xlsx")
    large_peak = _peak_bytes(large, tmp_path / "large.xlsx")
    assert large_peak < 1.25 * small_peak, (small_peak, large_peak)


def test_progress_counts_every_record(tmp_path: Path, bundled: storyfacts.Dataset) -> None:
    """Progress reports rise one record at a time and end at the number of records."""
    seen: list[tuple[int, int]] = []
    storyfacts.export(
        bundled, "xlsx", tmp_path / "story.xlsx", progress=lambda d, t: seen.append((d, t))
    )
    total = len(list(bundled.records()))
    assert seen[-1] == (total, total)
    assert [done for done, _ in seen] == list(range(1, total + 1))


def test_storyfacts_cell_writer_writes_what_xlsxwriter_writes(
    tmp_path: Path, seed_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lean cell writer of workbook/worksheet.py gives XlsxWriter's own bytes.

    (The data rows, built whole, are compared in test_workbook_export_rows.py.)
    """
    from xlsxwriter.worksheet import Worksheet

    from storyfacts.workbook.worksheet import Sheet

    seed_data["statements"][0]["summary"] = "<r><t>x & y</t></r>"
    seed_data["statements"][1]["summary"] = "  leading, _x0041_ and trailing\r\n "
    seed_data["entities"][0]["description"] = 'a quote " a line\n < > & _x005F_x0041_'
    dataset = storyfacts.load(seed_data)
    lean, plain = tmp_path / "lean.xlsx", tmp_path / "plain.xlsx"
    write_workbook(dataset, lean)
    # Every cell a sheet holds goes to XlsxWriter's own cell writer.
    monkeypatch.setattr(Sheet, "_cell_xml", lambda self, row, col, cell: None)
    monkeypatch.setattr(Sheet, "_write_formula", Worksheet._write_formula)
    write_workbook(dataset, plain)
    assert lean.read_bytes() == plain.read_bytes()
    back = storyfacts.load(lean)
    assert back.statements[0].summary == "<r><t>x & y</t></r>"
    assert back.entities[0].description == 'a quote " a line\n < > & _x005F_x0041_'


def test_a_number_needing_17_digits_reads_back_exactly(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """A draft's confidence of 0.1 + 0.2 is not rounded to 16 digits on its way through."""
    seed_data["entities"][0]["draft"] = {"rule": "names", "confidence": 0.1 + 0.2}
    path = _export(storyfacts.load(seed_data), tmp_path)
    draft = storyfacts.load(path).entities[0].draft
    assert draft is not None and draft.confidence == 0.1 + 0.2 != 0.3
