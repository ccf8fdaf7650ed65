"""Moving data between records and table rows, in both directions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain, islice
from keyword import iskeyword
from typing import Any

from .. import kinds
from ..model import Dataset
from ._layout import EVIDENCE, LIST_SEPARATOR, TABLES, Column, Table

# Records to cells ------------------------------------------------------------

Cell = str | int | float | bool | None
#: Flattens a batch of records into rows of one table.
RowBuilder = Callable[[Iterable[Any]], list[list[Cell]]]
#: How many records :func:`rows` flattens at a time.
BATCH = 1000


def _attribute(target: str, name: str) -> str:
    """Python source reading the attribute ``name`` of ``target``."""
    if name.isidentifier() and not iskeyword(name):
        return f"{target}.{name}"
    return f"getattr({target}, {name!r})"


def _cell_source(column: Column, dates: dict[str, str]) -> str:
    """The expression for one cell of the record ``r``, as Python source."""
    value = _attribute("r", column.path[0])
    if len(column.path) == 2:
        # A date is read once per record, into a variable its other parts reuse.
        date = dates.get(column.path[0])
        part = column.path[1]
        if date is None:
            date = dates[column.path[0]] = f"date{len(dates)}"
            return f"None if ({date} := {value}) is None else {_attribute(date, part)}"
        return f"None if {date} is None else {_attribute(date, part)}"
    if column.kind in ("refs", "list"):
        return f"None if (items := {value}) is None else SEPARATOR.join(items)"
    return value


def _compile(table: Table) -> RowBuilder:
    """The function that flattens records into rows of ``table``: one generated comprehension.

    Generated because it is the cheapest way Python has to read a dozen
    attributes of each of a million records: the interpreter specialises the
    comprehension's attribute reads, where a closure or a ``getattr`` per
    cell took more than twice as long, most of a CSV export's time.
    """
    dates: dict[str, str] = {}
    cells = ", ".join(_cell_source(column, dates) for column in table.columns)
    source = f"def rows(records):\n    return [[{cells}] for r in records]\n"
    namespace: dict[str, Any] = {"SEPARATOR": LIST_SEPARATOR}
    exec(compile(source, f"<rows of {table.name}>", "exec"), namespace)
    built: RowBuilder = namespace["rows"]
    return built


def _evidence_rows_of(records: Iterable[Any]) -> list[list[Cell]]:
    return [
        [record.id, item.article, item.start, item.end, item.text, item.prefix, item.suffix]
        for record in records
        for item in record.evidence or ()
    ]


_BUILDERS: dict[str, RowBuilder] = {
    **{table.name: _compile(table) for table in TABLES},
    EVIDENCE.name: _evidence_rows_of,
}


def flatten(table: Table, records: Iterable[Any]) -> list[list[Cell]]:
    """The rows of ``table`` for ``records``, in their order: one plain value (or ``None``) a cell.

    For :data:`EVIDENCE` the records are entities and statements, each giving
    one row per evidence passage.
    """
    return _BUILDERS[table.name](records)


def records(dataset: Dataset, table: Table) -> Iterator[Any]:
    """The records of ``dataset`` that belong in ``table``, in dataset order."""
    if table.name == EVIDENCE.name:
        raise ValueError("evidence rows come from evidence_rows()")
    items: list[Any] = getattr(dataset, table.section)
    if table.type is None:
        yield from items
    else:
        yield from (r for r in items if table.type == r.TYPE)


def records_by_table(dataset: Dataset) -> dict[str, list[Any]]:
    """The records of every table in :data:`TABLES`, in dataset order, sorted in one pass."""
    by_type: dict[str, list[Any]] = defaultdict(list)
    typed = (getattr(dataset, section.name) for section in kinds.SECTIONS if section.typed)
    for record in chain.from_iterable(typed):
        by_type[record.TYPE].append(record)
    return {
        table.name: getattr(dataset, table.section)
        if table.type is None
        else by_type.get(table.type, [])
        for table in TABLES
    }


def cells(table: Table, record: Any) -> list[Cell]:
    """The row of ``table`` for one record: one plain value (or ``None``) per column."""
    if table.name == EVIDENCE.name:
        raise ValueError("evidence rows come from evidence_rows()")
    return flatten(table, (record,))[0]


def _rows_in_batches(table: Table, records: Iterable[Any]) -> Iterator[list[Cell]]:
    remaining = iter(records)
    while batch := list(islice(remaining, BATCH)):
        yield from flatten(table, batch)


def rows(dataset: Dataset, table: Table) -> Iterator[list[Cell]]:
    """Every row of ``table`` for ``dataset``, in dataset order."""
    if table.name == EVIDENCE.name:
        return evidence_rows(dataset)
    return _rows_in_batches(table, records(dataset, table))


def evidence_rows(dataset: Dataset) -> Iterator[list[Cell]]:
    """One row per evidence passage: the record it supports, then the passage."""
    return _rows_in_batches(EVIDENCE, with_evidence(dataset))


def with_evidence(dataset: Dataset) -> Iterator[Any]:
    """The records that carry evidence (entities, then statements), in dataset order."""
    return chain.from_iterable(getattr(dataset, section.name) for section in kinds.EVIDENCED)


# Cells to records --------------------------------------------------------------


def unflatten(table: Table, values: Mapping[str, Any]) -> dict[str, Any]:
    """Build a record's plain JSON data from one row's values, keyed by column name.

    Values must already be JSON types (text, whole numbers, booleans);
    ``None`` or a missing key means the field is absent. List columns are
    split on line breaks. Evidence is not included: see :func:`attach_evidence`.
    """
    out: dict[str, Any] = {}
    for column in table.columns:
        value = values.get(column.name)
        if value is None or value == "":
            continue
        if column.kind in ("refs", "list") and isinstance(value, str):
            value = [item for item in value.split(LIST_SEPARATOR) if item != ""]
        if len(column.path) == 2:
            out.setdefault(column.path[0], {})[column.path[1]] = value
        else:
            out[column.name] = value
    # A draft is its rule: an editor confirms a record by clearing the rule
    # alone, so the confidence left beside it goes too.
    if "draft" in out and "rule" not in out["draft"]:
        del out["draft"]
    if table.type is not None:
        ordered = {"id": out.pop("id")} if "id" in out else {}
        out = {**ordered, "type": table.type, **out}
    return out


def attach_evidence(
    records_by_id: Mapping[str, dict[str, Any]], evidence: list[Mapping[str, Any]]
) -> list[str]:
    """Append evidence rows to the records they support; return ids not found."""
    missing: list[str] = []
    for row in evidence:
        target = records_by_id.get(row.get("record"))  # type: ignore[arg-type]
        if target is None:
            missing.append(str(row.get("record")))
            continue
        target.setdefault("evidence", []).append(
            {
                k: row[k]
                for k in ("article", "start", "end", "text", "prefix", "suffix")
                if row.get(k) is not None
            }
        )
    return missing
