"""Text stays text: what a cell can hold, and how text is written so it reads back unchanged.

Three rules keep a workbook honest:

* every string is written as a string cell
  (:meth:`~storyfacts.workbook.worksheet.Sheet.put_text`), so ``=HYPERLINK(...)``, ``+1``,
  ``@SUM(A1)`` or ``#N/A`` never become formulas or error values;
* a value a workbook cannot hold (XML control characters, lone surrogates,
  more than 32,767 characters, a whole number beyond what a spreadsheet keeps
  exactly) is refused before anything is written, never truncated;
* text that looks like an OOXML escape (``_x0041_``) is escaped itself, so a
  spreadsheet program shows it literally and the reader gives it back as it was;
  a carriage return, which XML parsing would turn into a line feed, is
  written as the escape ``_x000D_``.
"""

from __future__ import annotations

import re

# Defined with the other errors; imported from here by older code.
from ..errors import UnwritableDatasetError

__all__ = [
    "MAX_CELL_TEXT",
    "MAX_INTEGER",
    "UnwritableDatasetError",
    "escape_text",
    "integer_problem",
    "text_problem",
    "unescape_text",
]

#: Excel's limit on the characters in one cell, counted in UTF-16 code units.
MAX_CELL_TEXT = 32_767
#: Spreadsheets keep 15 significant digits; a larger whole number would change.
MAX_INTEGER = 10**15 - 1

# Characters XML 1.0 cannot carry at all: C0 controls other than tab, line
# feed and carriage return; surrogates (only ever lone ones in a Python str);
# and the two non-characters U+FFFE and U+FFFF.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# OOXML writes characters as _xHHHH_; an underscore that starts such a
# sequence in real text is itself written as _x005F_ (ECMA-376 Part 1, 22.9.2.19).
_ESCAPE_START = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape_text(text: str) -> str:
    """``text`` as a workbook stores it: OOXML escape look-alikes and carriage returns escaped.

    XML parsers turn a carriage return into a line feed, so a CR is stored
    as ``_x000D_``, as Excel stores it, and comes back as a CR.
    """
    if "_x" in text:
        text = _ESCAPE_START.sub("_x005F_", text)
    if "\r" in text:
        text = text.replace("\r", "_x000D_")
    return text


def unescape_text(text: str) -> str:
    """The text a workbook cell stands for, with OOXML ``_xHHHH_`` escapes decoded."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot go in a cell, in words; ``None`` when it can."""
    # Every character a workbook cannot hold is unprintable: most text is
    # printable, which one quick scan tells, and needs no search.
    bad = None if text.isprintable() else _UNWRITABLE.search(text)
    if bad:
        char = bad.group()
        kind = (
            "a lone surrogate"
            if "\ud800" <= char <= "\udfff"
            else "the non-character"
            if char >= "\ufffe"
            else "the control character"
        )
        return (
            f"contains {kind} U+{ord(char):04X} at position {bad.start()}, "
            "which a workbook cannot hold; remove it"
        )
    # Each character is one or two UTF-16 code units, so only long text needs counting.
    if len(text) * 2 <= MAX_CELL_TEXT:
        return None
    units = len(text.encode("utf-16-le", "surrogatepass")) // 2
    if units > MAX_CELL_TEXT:
        return (
            f"is {units:,} characters long; a workbook cell holds at most {MAX_CELL_TEXT:,}, "
            "and storyfacts will not cut it short"
        )
    return None


def integer_problem(value: int) -> str | None:
    """Why the whole number ``value`` cannot go in a cell exactly; ``None`` when it can."""
    if abs(value) > MAX_INTEGER:
        return (
            f"{value} has more than 15 digits; a spreadsheet would round it, "
            "so it cannot be written exactly"
        )
    return None
