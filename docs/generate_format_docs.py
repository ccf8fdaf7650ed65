"""Keep the generated tables of the format docs in step with the code.

The CSV column table (docs/formats/csv.md) comes from the tables that the
schema gives; the lists of what JSON-LD and iCalendar leave out, with the
reasons, come from the ``OMITTED`` of each exporter module (the ``omitted`` its
``Exporter`` declares). Each table stands
between ``<!-- generated: NAME -->`` and ``<!-- end generated -->``. Run
``python docs/generate_format_docs.py`` after changing the schema or an
exporter's omissions; ``tests/test_format_docs.py`` fails while a doc differs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from storyfacts.exporters import csv, ics, jsonld, xlsx
from storyfacts.exporters.csv.package import written_tables

DOCS = Path(__file__).parent


def csv_tables() -> str:
    lines = ["| file | columns |", "|---|---|"]
    for table in map(csv.analyst_table, written_tables()):
        columns = ", ".join(f"`{column.name}`" for column in table.columns)
        lines.append(f"| `{table.name}.csv` | {columns} |")
    return "\n".join(lines)


def omitted(declared: dict[str, str]) -> str:
    lines = ["| left out | why |", "|---|---|"]
    lines += [f"| `{key}` | {reason} |" for key, reason in declared.items()]
    return "\n".join(lines)


#: For each doc, the generated blocks it holds and what makes each.
BLOCKS: dict[str, dict[str, Callable[[], str]]] = {
    "formats/csv.md": {"tables": csv_tables, "omitted": lambda: omitted(csv.OMITTED)},
    "formats/jsonld.md": {"omitted": lambda: omitted(jsonld.OMITTED)},
    "formats/ics.md": {"omitted": lambda: omitted(ics.OMITTED)},
    "workbooks.md": {"omitted": lambda: omitted(xlsx.OMITTED)},
}


def render(text: str, blocks: dict[str, Callable[[], str]]) -> str:
    """``text`` with each generated block made afresh."""
    for name, make in blocks.items():
        pattern = re.compile(
            rf"(<!-- generated: {name} -->\n)(?:.*?\n)?(<!-- end generated -->)", re.DOTALL
        )
        if not pattern.search(text):
            raise ValueError(f"no generated block {name!r}")
        # Escaped so that a backslash in the made text stays a backslash.
        text = pattern.sub(r"\g<1>" + make().replace("\\", "\\\\") + r"\n\g<2>", text)
    return text


if __name__ == "__main__":
    for relative, blocks in BLOCKS.items():
        path = DOCS / relative
        path.write_text(render(path.read_text(encoding="utf-8"), blocks), encoding="utf-8")
        sys.stdout.write(f"wrote {path}\n")
