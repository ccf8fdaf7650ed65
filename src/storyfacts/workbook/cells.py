"""Reading one cell: from what a spreadsheet stored to the JSON value a column means.

Editors type into cells and spreadsheet programs second-guess them: a year
becomes a number, ``2023-04`` becomes the 1st of April, ``TRUE`` becomes a
boolean (which LibreOffice even saves as the formula ``=TRUE()``). Each
column's kind says what the value must be; :func:`convert` gives it back in
that form or raises :class:`CellError` saying, in an editor's words, what is
wrong with the cell.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..tables import Column
from .safety import MAX_INTEGER, text_problem, unescape_text

__all__ = ["CellError", "convert", "is_blank"]

JsonValue = str | int | float | bool

_WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")
#: The digits a whole number may have: what a spreadsheet keeps exactly.
MAX_DIGITS = len(str(MAX_INTEGER))
_DATE_TEXT = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$")
# A decimal number as typed, such as a draft's confidence of 0.8; bounded in length.
_NUMBER = re.compile(r"^[+-]?(\d{1,20}(\.\d{0,20})?|\.\d{1,20})$")
_BOOLEAN_FORMULAS = {"=TRUE()": True, "=FALSE()": False, "=TRUE": True, "=FALSE": False}
_BOOLEAN_WORDS = {"true": True, "false": False}


class CellError(ValueError):
    """A cell that does not hold a value of its column's kind."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def is_blank(value: Any) -> bool:
    """Whether a cell counts as empty: nothing in it, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def convert(value: Any, data_type: str, column: Column, precision: Any = None) -> JsonValue | None:
    """The JSON value of a cell in ``column``; ``None`` for an empty cell.

    ``data_type`` is openpyxl's: ``f`` formula, ``e`` error, ``s``, ``n``,
    ``b``, ``d``. ``precision`` is the text of the date's precision column,
    for date columns.
    """
    if data_type == "f":
        formula = str(getattr(value, "text", value))
        constant = _BOOLEAN_FORMULAS.get(formula.replace(" ", "").upper())
        if column.kind == "boolean" and constant is not None:
            return constant
        shown = formula if len(formula) <= 40 else formula[:39] + "…"
        raise CellError(
            "formula",
            f"This cell holds the formula {shown}; type the value itself, "
            "since storyfacts never runs formulas.",
        )
    if data_type == "e":
        raise CellError("cell-error", f"This cell shows the error {value}; type the value itself.")
    if isinstance(value, str):
        value = unescape_text(value)
        # The writer's rules: what it would refuse to write is not read either.
        reason = text_problem(value)
        if reason:
            raise CellError("unwritable", f"This cell's text {reason}.")
    if value is None or value == "":
        return None
    if column.kind == "integer":
        return _integer(value)
    if column.kind == "number":
        return _number(value)
    if column.kind == "boolean":
        return _boolean(value)
    if column.kind == "date":
        return _date(value, precision)
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _integer(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _WHOLE_NUMBER.match(value.strip()):
        # Counted before int(), which refuses more than 4,300 digits.
        digits = value.strip().lstrip("+-").lstrip("0")
        if len(digits) > MAX_DIGITS:
            raise _too_many_digits(len(digits))
        number = int(value.strip())
    else:
        raise CellError(
            "not-a-number", f"{_shown(value)} is not a whole number; type one, such as 42."
        )
    if abs(number) > MAX_INTEGER:
        raise _too_many_digits(len(str(abs(number))))
    return number


def _too_many_digits(count: int) -> CellError:
    # The writer's rule (see safety.integer_problem), said without echoing the number.
    return CellError(
        "unwritable",
        f"This number has {count:,} digits; a spreadsheet keeps only {MAX_DIGITS} exactly, "
        "so it could not be written back: type a smaller one.",
    )


def _number(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return float(value.strip())
    raise CellError("not-a-number", f"{_shown(value)} is not a number; type one, such as 0.8.")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().casefold() in _BOOLEAN_WORDS:
        return _BOOLEAN_WORDS[value.strip().casefold()]
    raise CellError("not-a-boolean", f"{_shown(value)} is not TRUE or FALSE; type one of them.")


def _date(value: Any, precision: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise CellError(
                "not-a-date", f"{_shown(value)} has a time of day; type the date alone."
            )
        value = value.date()
    if isinstance(value, dt.date):
        # A spreadsheet turns "2023-04" into 1 April 2023: when the precision
        # says month (or year), the day (and month) it invented are dropped.
        if precision == "month" and value.day == 1:
            return f"{value.year:04d}-{value.month:02d}"
        if precision == "year" and (value.month, value.day) == (1, 1):
            return f"{value.year:04d}"
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool) and _is_year(value):
        return f"{int(value):04d}"
    if isinstance(value, str) and _DATE_TEXT.match(value.strip()):
        return value.strip()
    raise CellError(
        "not-a-date",
        f"{_shown(value)} is not a date; type a date such as 2023-03-22, "
        "or a month, an ISO week or a year as text, such as 2023-04, 2023-W13 or 2024.",
    )


def _is_year(value: float) -> bool:
    return float(value).is_integer() and 0 <= value <= 9999


def _shown(value: Any) -> str:
    text = _text(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")
