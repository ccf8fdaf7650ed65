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
* Text, number and formula cells are written by a leaner copy of
  XlsxWriter's cell writer, which gives the same XML.
* A formula repeated on every row (the Lists sheet's) is prepared once.

XlsxWriter's private methods are overridden here, so pyproject pins its
major version; tests/test_workbook_export.py checks each change.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import (
    CellFormulaTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
    re_dynamic_function,
)

__all__ = ["Sheet", "number_text", "stored_text", "text_cell"]

# What XlsxWriter's _escape_control_characters changes: control characters,
# the two non-characters, and text that looks like an _xHHHH_ escape.
_TO_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_XML_SPECIAL = re.compile("[&<>]")
#: Text that either of the two above (or a rich string's "<r>") would change.
TEXT_TO_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff&<>]|_x[0-9a-fA-F]{4}_")
_ESCAPE_START = re.compile("_(?=x[0-9a-fA-F]{4}_)")
#: Bytes read at a time from a sheet's temporary file of rows.
_COPIED = 1 << 16
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
#: Error values a formula may be given as its value; XlsxWriter writes those itself.
_ERRORS = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))
#: Formulas seen so far: whether each is plain (no dynamic array), and as escaped.
_PLAIN: dict[str, bool] = {}
_ESCAPED_FORMULAS: dict[str, str] = {}
#: Formulas prepared so far, by formula and whether future functions expand.
_PREPARED: dict[tuple[str, bool], str] = {}


def _escaped(text: str) -> str:
    """Text as XlsxWriter escapes it inside an element (quotes stay as they are)."""
    if _XML_SPECIAL.search(text):
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _escaped_formula(formula: str) -> str:
    escaped = _ESCAPED_FORMULAS.get(formula)
    if escaped is None:
        escaped = _escaped(formula)
        if len(_ESCAPED_FORMULAS) < 64:  # the Lists sheet's few formulas repeat
            _ESCAPED_FORMULAS[formula] = escaped
    return escaped


def _holds_return(path: Path) -> bool:
    """Whether the file at ``path`` holds a carriage return anywhere."""
    with path.open("rb") as data:
        while chunk := data.read(_COPIED):
            if b"\r" in chunk:
                return True
    return False


def _row_key(info: Any) -> tuple[Any, ...]:
    """A row's settings (XlsxWriter's ``RowInfo``, a mutable record) as a key."""
    return (info.height, id(info.row_format), info.hidden, info.level, info.collapsed)


def stored_text(text: str) -> str:
    """``text`` as :meth:`Sheet.put_text` stores it: a rich-string look-alike made one run.

    Writing row by row, XlsxWriter passes text that starts with ``<r>`` and
    ends with ``</r>`` into the sheet as raw XML, taking it for a rich
    string it made; such text is stored as one escaped rich-string run.
    """
    if text.startswith("<r>") and text.endswith("</r>"):
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<r><t xml:space="preserve">{escaped}</t></r>'
    return text


def text_cell(start: str, text: str) -> str:
    """The XML of a text cell as XlsxWriter writes it inline, from its ``start`` (``<c r=.. s=..``).

    ``text`` is as stored (:func:`stored_text`).
    """
    if TEXT_TO_ESCAPE.search(text):
        text = Sheet._escape_control_characters(text)
        if text.startswith("<r>") and text.endswith("</r>"):
            return f'{start} t="inlineStr"><is>{text}</is></c>'
        text = _escaped(text)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'{start} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def number_text(number: float) -> str:
    """A number as XlsxWriter writes it (16 significant digits), or as Python does if need be."""
    text = f"{number:.16G}"
    if isinstance(number, float) and float(text) != number:
        text = repr(number)
    return text


class Sheet(Worksheet):  # type: ignore[misc]
    """XlsxWriter's worksheet, writing every value storyfacts gives it exactly (see above)."""

    def __init__(self) -> None:
        super().__init__()
        #: Each format's style attribute: a format's index is fixed once given.
        self._styles: dict[Any, str] = {}
        #: A ``<row>`` element's attributes after its number, by the row's settings.
        self._row_starts: dict[Any, str] = {}
        #: A row put whole (put_row), until it is written: its number and its cells.
        self._waiting: tuple[int, Callable[[], str]] | None = None

    def _initialize(self, init_data: Any) -> None:
        super()._initialize(init_data)
        if self.constant_memory:
            # XlsxWriter opens the rows' temporary file for reading and
            # writing, so every write (about a million at 100,000 statements)
            # resets a text decoder; written only, it has none. It is opened
            # for reading once the rows are written (_assemble_xml_file).
            opened: Any = self.row_data_fh  # type: ignore[has-type]
            opened.close()
            self.row_data_fh = self.fh = Path(self.row_data_filename).open(  # noqa: SIM115
                "w", encoding="utf-8"
            )

    def _write_optimized_sheet_data(self) -> None:
        # XlsxWriter's copies the rows' temporary file into the sheet's part
        # as text, decoding and encoding it again; its bytes are copied here.
        # Reading as text would turn a carriage return into a line feed;
        # none is written (cell text escapes it), but a file holding one is
        # left to XlsxWriter.
        rows = Path(self.row_data_filename)
        self.row_data_fh.close()
        if self.dim_rowmin is None or not hasattr(self.fh, "buffer") or _holds_return(rows):
            self.row_data_fh = rows.open(encoding="utf-8")
            super()._write_optimized_sheet_data()
            return
        self._xml_start_tag("sheetData")
        self.fh.flush()
        with rows.open("rb") as data:
            shutil.copyfileobj(data, self.fh.buffer, _COPIED)
        rows.unlink()
        self._xml_end_tag("sheetData")

    def put_text(self, row: int, col: int, text: str, cell_format: Any = None) -> None:
        """Store ``text`` as a string cell at ``row``, ``col`` (from 0), whatever it holds."""
        if not text:
            self._write_blank(row, col, cell_format)  # as XlsxWriter's write_string does
            return
        text = stored_text(text)
        # A cell in the row being written, within the columns already used,
        # changes no dimension: XlsxWriter's check is skipped for it.
        if not (
            row == self.dim_rowmax
            and row >= self.previous_row
            and self.dim_colmin is not None
            and self.dim_colmin <= col <= self.dim_colmax
        ) and self._check_dimensions(row, col):
            raise IndexError(f"row {row}, column {col} is outside a sheet")
        if self.constant_memory and row > self.previous_row:
            self._write_single_row(row)
        self.table[row][col] = CellStringTuple(text, cell_format)

    def put_row(self, row: int, cells: Callable[[], str], first: int, last: int) -> None:
        """Put row ``row`` (from 0) whole: ``cells()`` gives the XML of its cells, in columns
        ``first`` to ``last``, as XlsxWriter writes them (see
        :mod:`~storyfacts.workbook.row_cells`); it is not empty.

        The row is written as one string, not a write a cell, when the next
        row starts or the workbook is saved: then, as for a row XlsxWriter
        holds, a format first used in it takes its style number, and the
        row's height (from :meth:`set_row`) goes in its ``<row>`` element.
        """
        if row > self.previous_row:
            self._write_single_row(row)
        if self._check_dimensions(row, last) or (
            first < self.dim_colmin and self._check_dimensions(row, first)
        ):
            raise IndexError(f"row {row}, columns {first} to {last} are outside a sheet")
        self._waiting = (row, cells)

    def _row_attributes(self, info: Any) -> str:
        """What follows ``r="N"`` in a ``<row>`` element with ``info``, as XlsxWriter writes it."""
        key = None if info is None else _row_key(info)
        attributes = self._row_starts.get(key)
        if attributes is None:
            saved, written = self.fh, io.StringIO()
            self.fh = written  # type: ignore[assignment]
            try:
                self._write_row(0, None, info)
            finally:
                self.fh = saved
            attributes = written.getvalue().removeprefix('<row r="1"')
            if len(self._row_starts) < 64:  # a handful of row heights repeat
                self._row_starts[key] = attributes
        return attributes

    def link(self, row: int, col: int, url: str, cell_format: Any) -> None:
        """Make the cell at ``row``, ``col`` a hyperlink to ``url`` showing ``url``, without
        writing the cell: the cells of :meth:`put_row` hold its text."""
        self.ignore_write_string = True
        try:
            self._write_url(row, col, url, cell_format, url)
        finally:
            self.ignore_write_string = False

    def _write_single_row(self, current_row_num: int = 0) -> None:
        # XlsxWriter's, writing a row's cells in column order without
        # testing every column between the sheet's first and last for one,
        # and a row put whole (put_row) in one write.
        written: int = self.previous_row  # type: ignore[has-type]
        waiting = self._waiting
        if waiting is not None and waiting[0] == written:
            self._waiting = None
            # Built before the row counts as written: a hyperlink in it is
            # checked against the rows written so far.
            cells = waiting[1]()
            self.previous_row = current_row_num
            self.fh.write(f"{self._row_start(written)}{cells}</row>")
        else:
            self.previous_row = current_row_num
            held = self.table.get(written)
            if held:
                # The row's cells are gathered and written at once.
                parts = [self._row_start(written)]
                for col in sorted(held):
                    xml = self._cell_xml(written, col, held[col])
                    if xml is None:
                        self.fh.write("".join(parts))
                        parts.clear()
                        super()._write_cell(written, col, held[col])
                    else:
                        parts.append(xml)
                parts.append("</row>")
                self.fh.write("".join(parts))
            elif written in self.row_info or written in self.comments:
                self._write_empty_row(written, None, self.row_info[written])
            self.table.clear()
        # XlsxWriter keeps every row's height until the end; a written row's
        # is dropped, so memory stays flat (a row with a note keeps its size,
        # which places the note).
        self.row_info.pop(written, None)
        if written not in self.comments:
            self.row_sizes.pop(written, None)

    def _row_start(self, row: int) -> str:
        """The ``<row>`` element's start tag for ``row`` (from 0), as XlsxWriter writes it."""
        info = self.row_info.get(row)
        if info is None and self._plain_rows():
            return f'<row r="{row + 1}">'
        return f'<row r="{row + 1}"{self._row_attributes(info)}'

    def _write_formula(
        self, row: int, col: int, formula: str, cell_format: Any = None, value: Any = 0
    ) -> int:
        # XlsxWriter's, with its check for dynamic-array functions (a regular
        # expression over the whole formula) made once per formula.
        plain = _PLAIN.get(formula)
        if plain is None:
            plain = not (
                re_dynamic_function.search(formula)
                or (formula.startswith("{") and formula.endswith("}"))
                or not formula
            )
            if len(_PLAIN) < 64:
                _PLAIN[formula] = plain
        if not plain:
            result: int = super()._write_formula(row, col, formula, cell_format, value)
            return result
        if self._check_dimensions(row, col):
            return -1
        prepared = self._prepare_formula(formula)
        if self.constant_memory and row > self.previous_row:
            self._write_single_row(row)
        self.table[row][col] = CellFormulaTuple(prepared, cell_format, value)
        return 0

    def _plain_rows(self) -> bool:
        """Whether a row with no settings of its own is written as ``<row r="N">`` alone."""
        return bool(
            self.default_row_height == self.original_row_height and self.excel_version != 2010
        )

    def _cell_xml(self, row: int, col: int, cell: Any) -> str | None:
        """A cell's XML as XlsxWriter's cell writer writes it, or ``None`` for XlsxWriter to write.

        Taken for text, numbers and formulas with text or a whole number as
        their value (every cell storyfacts writes this way but dates and
        booleans), for which XlsxWriter builds and escapes a list of
        attributes (tests/test_workbook_export.py compares the two).
        """
        kind = type(cell)
        if kind is CellStringTuple and not TEXT_TO_ESCAPE.search(text := cell.string):
            # Most text: nothing to escape, in XML or as _xHHHH_, and no rich string.
            style = self._styles.get(cell.format) if cell.format else None
            if style is None:
                style = self._style(row, col, cell.format)
            space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
            return (
                f'<c r="{xl_rowcol_to_cell_fast(row, col)}"{style} t="inlineStr">'
                f"<is><t{space}>{text}</t></is></c>"
            )
        if kind is CellFormulaTuple:
            value = cell.value
            if isinstance(value, bool) or not isinstance(value, str | int) or value in _ERRORS:
                return None
        elif kind is not CellStringTuple and kind is not CellNumberTuple:
            return None
        start = f'<c r="{xl_rowcol_to_cell_fast(row, col)}"{self._style(row, col, cell.format)}'
        if kind is CellNumberTuple:
            return f"{start}><v>{number_text(cell.number)}</v></c>"
        if kind is CellFormulaTuple:
            kind_of_value = ' t="str"' if isinstance(value, str) and value else ""
            return (
                f"{start}{kind_of_value}><f>{_escaped_formula(cell.formula)}</f>"
                f"<v>{_escaped(value) if isinstance(value, str) else value}</v></c>"
            )
        return text_cell(start, cell.string)

    def write_formula(
        self, row: Any, col: Any, formula: Any = None, cell_format: Any = None, value: Any = 0
    ) -> int:
        # XlsxWriter's public writer first tries whether the row is an A1 reference.
        if type(row) is int and type(col) is int:
            return self._write_formula(row, col, formula, cell_format, value)
        result: int = super().write_formula(row, col, formula, cell_format, value)
        return result

    def _style(self, row: int, col: int, cell_format: Any) -> str:
        """The style attribute XlsxWriter gives a cell: its format's, else its row's or column's."""
        if cell_format:
            style = self._styles.get(cell_format)
            if style is None:
                style = self._styles[cell_format] = f' s="{cell_format._get_xf_index()}"'
            return style
        info = self.row_info.get(row)
        if info is not None and info.row_format:
            return f' s="{info.row_format._get_xf_index()}"'
        column = self.col_info.get(col)
        if column is not None and column.column_format is not None:
            return f' s="{column.column_format._get_xf_index()}"'
        return ""

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
        attr = "".join(f' {key}="{value}"' for key, value in attributes)
        self.fh.write(f"<c{attr}><v>{number_text(number)}</v></c>")

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        key = (formula, expand_future_functions or bool(self.use_future_functions))
        prepared = _PREPARED.get(key)
        if prepared is None:
            prepared = super()._prepare_formula(formula, expand_future_functions)
            if len(_PREPARED) < 64:  # only the Lists sheet's few formulas repeat
                _PREPARED[key] = prepared
        return prepared
