"""Editor workbooks: a dataset written as an Excel workbook, and read back cell by cell.

::

    from storyfacts.workbook import write_workbook, read

    write_workbook(dataset, "story.xlsx")      # or storyfacts.export(dataset, "xlsx", ...)
    reading = read("edited.xlsx")
    reading.problems    # every problem, each with .location such as "Quotes!C12"
    reading.notes       # what was ignored: extra columns, extra sheets
    reading.edited      # whether the content differs from what was exported

``storyfacts.load("edited.xlsx")`` and ``storyfacts.validate("edited.xlsx")``
read workbooks through :func:`read_workbook`.
"""

from .about import fingerprint
from .reader import Note, WorkbookReading, read, read_workbook
from .safety import UnwritableDatasetError
from .writer import write_workbook

__all__ = [
    "Note",
    "UnwritableDatasetError",
    "WorkbookReading",
    "fingerprint",
    "read",
    "read_workbook",
    "write_workbook",
]
