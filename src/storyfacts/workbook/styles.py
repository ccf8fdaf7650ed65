"""The look of a storyfacts workbook: one place for its fonts, fills and formats."""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

#: The body text's font (openpyxl's default), named in every font: a font
#: without a name is drawn by LibreOffice in its default serif face.
FONT_NAME = "Calibri"
FONT_SIZE = 11


def font(**style: Any) -> Font:
    """A font in the body's face: 11-point Calibri unless ``style`` says otherwise."""
    style.setdefault("sz", FONT_SIZE)
    return Font(name=FONT_NAME, family=2, **style)


HEADER_FONT = font(bold=True, color="FFFFFF")
#: Required columns have a darker header than optional ones; the About sheet says so.
REQUIRED_FILL = PatternFill("solid", fgColor="1F3864")
OPTIONAL_FILL = PatternFill("solid", fgColor="5B7BA6")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
HEADER_BORDER = Border(bottom=Side(style="medium", color="1F3864"))
HEADER_HEIGHT = 33
#: Points per line of 11-point text, and the tallest row a spreadsheet allows.
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409
#: Data rows grow to show this many lines of wrapped text; longer text is
#: there in full, but an editor widens the row to see it.
MAX_DATA_LINES = 12

BODY = Alignment(vertical="top")
WRAPPED = Alignment(wrap_text=True, vertical="top")
#: Dates are numbers, which spreadsheets right-align against the next
#: column's text ("2023-03-22day"); left-aligned, the column's spare width
#: separates them.
DATE_ALIGNMENT = Alignment(horizontal="left", vertical="top")
#: Numbers too (evidence offsets, votes, counts): right-aligned they would
#: touch the text of the next column ("85Putin").
NUMBER_ALIGNMENT = DATE_ALIGNMENT
#: TRUE and FALSE centred, as Excel shows a boolean, clear of the next column.
BOOLEAN_ALIGNMENT = Alignment(horizontal="center", vertical="top")
ID_FONT = font(bold=True)
LINK_FONT = font(color="0563C1", underline="single")
DATE_FORMAT = "yyyy-mm-dd"
#: Excel always shows a boolean as TRUE or FALSE; LibreOffice shows 1 or 0 unless told.
BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"'

TITLE_FONT = font(bold=True, sz=16, color="1F3864")
LABEL_FONT = font(bold=True)
SECTION_FONT = font(bold=True, sz=12, color="FFFFFF")
SECTION_FILL = PatternFill("solid", fgColor="1F3864")
SUBSECTION_FILL = PatternFill("solid", fgColor="D9E1F2")


def fit_to_page_width(sheet: Any) -> None:
    """Print ``sheet`` landscape, as wide as one page and as long as it needs."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def display_width(line: str) -> int:
    """How many character widths ``line`` takes: wide East Asian characters count two."""
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide, roughly."""
    # Column widths count the digit 0; most letters are narrower.
    usable = max(width * 1.15 - 1, 1)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n"))


def row_height(lines: int, max_lines: int = MAX_ROW_HEIGHT // LINE_HEIGHT) -> float | None:
    """The height of a row whose tallest cell has ``lines`` lines; ``None`` for one line.

    LibreOffice does not fit row heights to wrapped text when it opens an
    .xlsx file, so the writer sets them.
    """
    if lines <= 1:
        return None
    return min(min(lines, max_lines) * LINE_HEIGHT, MAX_ROW_HEIGHT)


def append_row(sheet: Any, number: int, cells: list[Any], height: float | None) -> None:
    """Append row ``number`` to a write-only ``sheet``, ``height`` points tall if given."""
    if height is None:
        sheet.append(cells)
        return
    # A write-only sheet reads a row's height when the row is written; the
    # entry is dropped afterwards so memory does not grow with the rows.
    sheet.row_dimensions[number].height = height
    sheet.append(cells)
    del sheet.row_dimensions[number]
