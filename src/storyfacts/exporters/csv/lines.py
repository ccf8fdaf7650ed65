"""Writing a batch of rows as the text ``csv.writer`` writes for them, in one join.

``csv.writer`` looks at each character of each field, one call at a time, to
decide whether the field needs quotes; at 100,000 statements that was 0.97 s
of a 1.41 s export, and joining the same fields took a third of it. Here the
generated makers (:func:`~.cells.spelled_maker`) make each cell the finished
text of its field, quoted where it must be, in the expression that reads it;
what is left is joining cells with commas and rows with CRLF, which
``str.join`` does at the speed of copying memory.

The bytes are those ``csv.writer`` writes for the same values
(``tests/test_csv_lines.py`` holds them to it, field by field and file by
file):

* a text cell (a :data:`~.cells.QUOTED` kind) is quoted by ``csv.writer``'s
  rule for ``QUOTE_MINIMAL``, its quotes doubled;
* every other cell (an id, a code, a date, a number) is written as it is. So
  before a batch is joined, those cells are read together, in one join and
  four scans: if one holds a character that needs quotes, or is not text,
  the whole batch goes to ``csv.writer`` instead. In a valid dataset none
  does (the schema's patterns and enums leave no room for one), but an
  export with ``check=False`` of any data is written right all the same;
* ``csv.writer`` writes a row of one empty field as ``""``; every table has
  at least two columns (``tests/test_csv_lines.py`` checks), so no row here
  is one field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from .cells import DELIMITER, LINE_END, NEEDS_QUOTES

__all__ = ["Maker", "Put", "putter"]

#: Makes rows of one table from a batch of records.
Maker = Callable[[Iterable[Any]], Sequence[Sequence[Any]]]
#: Writes one batch of records' rows into a table's file.
Put = Callable[[list[Any]], None]


def _reader(probed: Sequence[int]) -> Callable[[Sequence[Sequence[str]]], str] | None:
    """What joins the probed cells of a batch's rows into one text; ``None`` for none."""
    if not probed:
        return None
    if len(probed) == 1:
        one = itemgetter(probed[0])
        return lambda rows: "".join(map(one, rows))
    several = itemgetter(*probed)
    return lambda rows: "".join(chain.from_iterable(map(several, rows)))


def _text(spelled: Maker, probed: Sequence[int]) -> Callable[[list[Any]], str | None]:
    """What makes a batch's text from its records; ``None`` where ``csv.writer`` must write it."""
    read = _reader(probed)

    def text(records: list[Any]) -> str | None:
        try:
            rows = spelled(records)
            if read is not None:
                looked = read(rows)
                if any(c in looked for c in NEEDS_QUOTES):
                    return None
            # The trailing "" ends the last row with a line end too.
            return LINE_END.join([*map(DELIMITER.join, rows), ""])
        except Exception:  # a record not as a valid one is: csv.writer writes it, or says why
            return None

    return text


def putter(
    spelled: Maker,
    probed: Sequence[int],
    plain: Maker,
    write: Callable[[str], object],
    writerows: Callable[[Iterable[Any]], object],
) -> Put:
    """What writes a batch of records' rows into one table's file.

    ``spelled`` makes the rows as field texts, whose cells at ``probed`` are
    read before they are written as they are; ``plain`` makes them as values
    for ``writerows`` (a ``csv.writer``'s, on the file ``write`` writes to),
    which writes a batch the joined text cannot.
    """
    text = _text(spelled, probed)

    def put(records: list[Any]) -> None:
        made = text(records)
        if made is None:
            writerows(plain(records))
        else:
            write(made)

    return put
