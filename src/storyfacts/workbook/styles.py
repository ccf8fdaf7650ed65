"""The look of a storyfacts workbook: one place for its fonts, fills, formats and sizes.

Each look is the properties of an XlsxWriter format; :class:`Looks` makes
them into one workbook's formats, once each.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

#: The body text's font, named in every font: a font without a name is
#: drawn by LibreOffice in its default serif face.
FONT_NAME = "Calibri"
FONT_SIZE = 11

Look = dict[str, Any]


def look(**style: Any) -> Look:
    """A format's properties: 11-point Calibri, at the top of its cell, unless ``style`` says."""
    return {"font_name": FONT_NAME, "font_size": FONT_SIZE, "valign": "top", **style}


_HEADER: Look = look(bold=True, font_color="#FFFFFF", text_wrap=True, valign="vcenter")
_HEADER_LINE: Look = {"bottom": 2, "bottom_color": "#1F3864"}  # a medium line
#: Required columns have a darker header than optional ones; the About sheet says so.
REQUIRED_HEADER = look(**{**_HEADER, **_HEADER_LINE, "bg_color": "#1F3864", "pattern": 1})
OPTIONAL_HEADER = look(**{**_HEADER, **_HEADER_LINE, "bg_color": "#5B7BA6", "pattern": 1})
HEADER_HEIGHT = 33
#: Points per line of 11-point text, and the tallest row a spreadsheet allows.
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409
#: Data rows grow to show this many lines of wrapped text; longer text is
#: there in full, but an editor widens the row to see it.
MAX_DATA_LINES = 12

BODY = look()
WRAPPED = look(text_wrap=True)
ID = look(text_wrap=True, bold=True)
#: Dates and numbers are right-aligned by default, against the next column's
#: text ("2023-03-22day", "85Putin"); left-aligned, the column's spare width
#: separates them.
DATE = look(align="left", num_format="yyyy-mm-dd")
NUMBER = look(align="left")
#: TRUE and FALSE centred, as Excel shows a boolean, clear of the next column.
#: Excel always shows a boolean as TRUE or FALSE; LibreOffice shows 1 or 0 unless told.
BOOLEAN = look(align="center", num_format='"TRUE";"TRUE";"FALSE"')
LINK = look(font_color="#0563C1", underline=1)
WRAPPED_LINK = look(font_color="#0563C1", underline=1, text_wrap=True)

TITLE = look(bold=True, font_size=16, font_color="#1F3864")
LABEL = look(bold=True, text_wrap=True)
SECTION = look(bold=True, font_size=12, font_color="#FFFFFF", bg_color="#1F3864", pattern=1)
SUBSECTION = look(text_wrap=True, bg_color="#D9E1F2", pattern=1)
SUBSECTION_LABEL = look(bold=True, text_wrap=True, bg_color="#D9E1F2", pattern=1)


class Looks:
    """One workbook's formats, each made once from its look and shared by every cell."""

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._made: dict[int, Any] = {}

    def __getitem__(self, style: Look) -> Any:
        made = self._made.get(id(style))
        if made is None:
            made = self._made[id(style)] = self._workbook.add_format(style)
        return made


def fit_to_page_width(sheet: Any) -> None:
    """Print ``sheet`` landscape, as wide as one page and as long as it needs."""
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def display_width(line: str) -> int:
    """How many character widths ``line`` takes: wide East Asian characters count two."""
    if line.isascii():
        return len(line)
    # No assigned character below U+1100 is wide. (Python calls some
    # unassigned code points there wide; they count as narrow here, in a
    # width estimate.) Latin and Cyrillic text has no candidate, or the odd
    # curly quote or dash, each looked up alone. Where the first candidate is
    # wide (Chinese, Japanese, Korean: most characters are), every character
    # is looked up in C instead: str.translate deletes the wide ones, which
    # counts them. Each way alone was 3-8x slower on the other kind of text.
    first = _MAYBE_WIDE.search(line)
    if first is None:
        return len(line)
    if unicodedata.east_asian_width(first.group()) in "WF":
        return 2 * len(line) - len(line.translate(_NARROW))
    candidates = _MAYBE_WIDE.findall(line, first.start())
    return len(line) + sum(1 for char in candidates if unicodedata.east_asian_width(char) in "WF")


_MAYBE_WIDE = re.compile("[\u1100-\U0010ffff]")


class _NarrowCharacters(dict[int, int | None]):
    """str.translate's table keeping narrow characters and deleting wide ones, filled as met.

    It holds at most the distinct characters a dataset has.
    """

    def __missing__(self, code: int) -> int | None:
        wide = code >= 0x1100 and unicodedata.east_asian_width(chr(code)) in "WF"
        kept = self[code] = None if wide else code
        return kept


_NARROW = _NarrowCharacters()


def usable_width(width: float) -> float:
    """How many character widths fit on a line of a column ``width`` wide, roughly."""
    # Column widths count the digit 0; most letters are narrower.
    return max(width * 1.15 - 1, 1)


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide, roughly."""
    usable = usable_width(width)
    if "\n" not in text:  # most text: one paragraph
        return max(1, math.ceil(display_width(text) / usable))
    if text.isascii():  # one width per character
        return sum(max(1, math.ceil(len(line) / usable)) for line in text.split("\n"))
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n"))


def row_height(lines: int, max_lines: int = MAX_ROW_HEIGHT // LINE_HEIGHT) -> float | None:
    """The height of a row whose tallest cell has ``lines`` lines; ``None`` for one line.

    LibreOffice does not fit row heights to wrapped text when it opens an
    .xlsx file, so the writer sets them.
    """
    if lines <= 1:
        return None
    return min(min(lines, max_lines) * LINE_HEIGHT, MAX_ROW_HEIGHT)
