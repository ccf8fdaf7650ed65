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

import os
import sys

# openpyxl writes XML through lxml when it is installed and through the
# standard library otherwise, and the two give different bytes (self-closing
# tags, where namespaces are declared, how a carriage return is kept). A
# user's plain `pip install .` has no lxml, so storyfacts always has openpyxl
# use the standard library: the same dataset gives the same workbook whatever
# else is installed. openpyxl reads its choice once, when first imported; a
# program that imported openpyxl before storyfacts keeps openpyxl's choice.
if "openpyxl" not in sys.modules:
    _chosen = os.environ.get("OPENPYXL_LXML")
    os.environ["OPENPYXL_LXML"] = "False"
    try:
        import openpyxl  # noqa: F401
    finally:
        if _chosen is None:
            del os.environ["OPENPYXL_LXML"]
        else:
            os.environ["OPENPYXL_LXML"] = _chosen

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
