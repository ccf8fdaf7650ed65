"""A worksheet as storyfacts writes it: XlsxWriter's, exact with numbers and text, and quick.

storyfacts writes every sheet through :class:`Sheet`, XlsxWriter's
worksheet with four changes. Each keeps what XlsxWriter writes for the
cells storyfacts gives it, except where XlsxWriter would change a value:

* :meth:`Sheet.put_text` stores text as it is. XlsxWriter's ``write_string``
  would cut text past 32,767 UTF-16 units (the survey has refused such text
  already) and, writing row by row, passes text that starts with ``<r>``
  and ends with ``</r>`` into the sheet as raw XML, taking it for a rich
  string it made: such text is stored as one escaped rich-string run.
* A float that 16 significant digits would change (``0.1 + 0.2``) is
  written as Python spells it, so it reads back as it was.
* Text that looks like an ``_xHHHH_`` escape is escaped wherever it is
  (XlsxWriter misses one right after another, ``_x005F_x0041_``); text with
  nothing to escape skips the substitutions.
* A row's height is forgotten once the row is written, so memory stays flat.
* A formula repeated on every row (the Lists sheet's) is prepared once.

XlsxWriter's private methods are overridden here, so pyproject pins its
major version; tests/test_workbook_export.py checks each change.
"""

from __future__ import annotations

import re
from typing import Any

from xlsxwriter.worksheet import CellStringTuple, Worksheet

__all__ = ["Sheet"]

# What XlsxWriter's _escape_control_characters changes: control characters,
# the two non-characters, and text that looks like an _xHHHH_ escape.
_TO_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_ESCAPE_START = re.compile("_(?=x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
#: Formulas prepared so far, by formula and whether future functions expand.
_PREPARED: dict[tuple[str, bool], str] = {}


class Sheet(Worksheet):  # type: ignore[misc]
    """XlsxWriter's worksheet, writing every value storyfacts gives it exactly (see above)."""

    def put_text(self, row: int, col: int, text: str, cell_format: Any = None) -> None:
        """Store ``text`` as a string cell at ``row``, ``col`` (from 0), whatever it holds."""
        if text.startswith("<r>") and text.endswith("</r>"):
            escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            text = f'<r><t xml:space="preserve">{escaped}</t></r>'
        if self._check_dimensions(row, col):
            raise IndexError(f"row {row}, column {col} is outside a sheet")
        if self.constant_memory and row > self.previous_row:
            self._write_single_row(row)
        self.table[row][col] = CellStringTuple(text, cell_format)

    def _write_single_row(self, current_row_num: int = 0) -> None:
        written = self.previous_row
        super()._write_single_row(current_row_num)
        # XlsxWriter keeps every row's height until the end; a written row's
        # is dropped, so memory stays flat (a row with a note keeps its size,
        # which places the note).
        self.row_info.pop(written, None)
        if written not in self.comments:
            self.row_sizes.pop(written, None)

    @staticmethod
    def _escape_control_characters(data: Any) -> Any:
        # XlsxWriter also hands it numbers, which it gives back unchanged.
        if not isinstance(data, str) or not _TO_ESCAPE.search(data):
            return data
        # XlsxWriter's own escaping misses an escape right after an escaped
        # one ("_x005F_x0041_"); a lookahead finds every one.
        data = _ESCAPE_START.sub("_x005F_", data)
        data = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", data)
        return data.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")

    def _xml_number_element(self, number: float, attributes: Any = ()) -> None:
        text = f"{number:.16G}"
        if isinstance(number, float) and float(text) != number:
            text = repr(number)
        attr = "".join(f' {key}="{value}"' for key, value in attributes)
        self.fh.write(f"<c{attr}><v>{text}</v></c>")

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        key = (formula, expand_future_functions or bool(self.use_future_functions))
        prepared = _PREPARED.get(key)
        if prepared is None:
            prepared = super()._prepare_formula(formula, expand_future_functions)
            if len(_PREPARED) < 64:  # only the Lists sheet's few formulas repeat
                _PREPARED[key] = prepared
        return prepared
