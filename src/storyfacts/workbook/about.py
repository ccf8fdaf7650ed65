"""The About sheet: what the workbook is, how to edit it, and what every column means.

It also holds what the reader needs to know what it is reading: the
dataset's id, title and last-modified time, the schema version, and a
fingerprint of the dataset as exported, each in column B beside its label in
column A.
"""

from __future__ import annotations

from typing import Any

from ..model import Dataset
from ..schema import SCHEMA_VERSION
from ..tables import Column
from . import styles
from .layout import ABOUT, ORDER
from .survey import Survey

__all__ = ["METADATA", "fingerprint", "write_about"]

#: The labels in column A of the About sheet, by the dataset field they hold.
METADATA = {
    "id": "Dataset id",
    "title": "Dataset title",
    "modified": "Last modified",
    "schema_version": "Schema version",
    "fingerprint": "Fingerprint",
}

_WHAT = (
    "The facts recorded from the story, for review: who and what it mentions (people, "
    "organisations, countries, places, events and groups) and what was said and decided "
    "(quotes, claims, decisions and relations), each tied to the exact words of the article "
    "on the Evidence sheet."
)
_HOW = (
    "• One sheet per kind of record, one record per row. The first column is the record's id; "
    "other records refer to it by that id.",
    "• Headers in dark blue are required; light blue ones are optional.",
    "• A cell with a dropdown takes one of the listed values or ids. Cells that hold several "
    "names or ids (such as Aliases, Members, About, Sources) take one per line: Alt+Enter in "
    "Excel, Ctrl+Enter in LibreOffice.",
    "• A full date is a date cell (yyyy-mm-dd). A month, an ISO week or a year alone is text, "
    "such as 2023-04, 2023-W13 or 2024; the precision column beside it says day, week, month "
    "or year.",
    "• To add evidence, type the exact words of the article in Evidence text; Start and End "
    "may stay empty and are filled in when the workbook is read. If the words occur more than "
    "once, add a few words beside them in Text before or Text after. After you edit an "
    "article's Body, every passage is found again; any that cannot be found for certain is "
    "listed by its cell.",
    "• A row with a Draft rule was proposed by storyfacts from the article's text. Check it, "
    "correct it or delete the row; clear its Draft cell to confirm it.",
    "• You may sort and filter rows, reorder, hide or widen columns, add columns of your own "
    "(such as Notes: they are ignored), leave blank rows, add rows for new records and delete "
    "rows to remove records. Sorting does not change the order of the dataset.",
    "• Do not rename sheets or column headers, and do not type formulas: a formula is "
    "reported as an error, never read.",
)
_CHECK = (
    "storyfacts validate THIS-FILE.xlsx lists every problem with its sheet and cell "
    "(such as Quotes!C12). storyfacts import THIS-FILE.xlsx -o dataset.json turns the "
    "workbook back into a checked dataset file."
)


def fingerprint(dataset: Dataset) -> str:
    """``sha256:`` and the hex SHA-256 of ``storyfacts.dumps(dataset)``, computed in chunks."""
    from ..canonical import sha256

    return sha256(dataset)


def write_about(
    workbook: Any, looks: styles.Looks, dataset: Dataset, print_: str, plan: Survey
) -> None:
    """Write the About sheet as the first sheet of ``workbook``; ``print_`` is the fingerprint."""
    sheet = workbook.add_worksheet(ABOUT)
    sheet.hide_gridlines(2)
    styles.fit_to_page_width(sheet)
    widths = (30, 90, 11, 48)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    row = [-1]

    def append(*cells: tuple[str | int, styles.Look]) -> None:
        row[0] += 1
        lines = max(
            (
                styles.text_lines(value, width)
                for (value, _), width in zip(cells, widths, strict=False)
                if isinstance(value, str)
            ),
            default=1,
        )
        height = styles.row_height(lines)
        if height is not None:
            sheet.set_row(row[0], height)
        for column, (value, look) in enumerate(cells):
            if isinstance(value, str):
                sheet.put_text(row[0], column, value, looks[look])
            else:
                sheet.write_number(row[0], column, value, looks[look])

    def section(*titles: str) -> None:
        append()
        append(*((t, styles.SECTION) for t in titles))

    append((dataset.title, styles.TITLE))
    append()
    append(("What this is", styles.LABEL), (_WHAT, styles.WRAPPED))
    append(("How to edit", styles.LABEL), ("\n".join(_HOW), styles.WRAPPED))
    append(("Checking it", styles.LABEL), (_CHECK, styles.WRAPPED))

    section("Dataset", "")
    values = {
        "id": dataset.id,
        "title": dataset.title,
        "modified": dataset.modified,
        "schema_version": SCHEMA_VERSION,
        "fingerprint": print_,
    }
    for field, label in METADATA.items():
        append((label, styles.LABEL), (values[field], styles.WRAPPED))

    section("Sheet", "What it holds", "Rows")
    for sheet_plan in plan.sheets:
        table = sheet_plan.table
        append(
            (table.title, styles.LABEL),
            (table.description, styles.WRAPPED),
            (sheet_plan.rows, styles.NUMBER),
        )

    section("Column", "Meaning", "Required", "Values")
    for sheet_plan in plan.sheets:
        table = sheet_plan.table
        append(
            (f"{table.title} sheet", styles.SUBSECTION_LABEL),
            *(("", styles.SUBSECTION) for _ in range(3)),
        )
        for column in (*table.columns, ORDER):
            hidden = " (hidden)" if column is ORDER else ""
            append(
                (column.title + hidden, styles.WRAPPED),
                (column.description, styles.WRAPPED),
                ("yes" if column.required else "", styles.WRAPPED),
                (_values(column), styles.WRAPPED),
            )


def _values(column: Column) -> str:
    """What a column takes, in an editor's words."""
    if column.enum:
        return "One of: " + ", ".join(column.enum)
    kinds = [*column.targets[:-2], " or ".join(column.targets[-2:])]
    return {
        "id": "Lower-case letters, digits and single hyphens, unique in the dataset",
        "ref": f"The id of {_a(', '.join(kinds))} (dropdown)",
        "refs": f"Ids of {', '.join(kinds)} records, one per line",
        "list": "One per line",
        "url": "A web address starting with http:// or https://",
        "integer": "A whole number",
        "number": "A number, such as 0.8",
        "boolean": "TRUE or FALSE",
        "date": "A date cell (yyyy-mm-dd), or text YYYY-MM, YYYY-Www (ISO week) or YYYY",
    }.get(column.kind, "Text")


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun
