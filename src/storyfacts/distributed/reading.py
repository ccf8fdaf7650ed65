"""Reading a corpus as plain records for partitioning, without building a Dataset of it.

A distributed export reads the corpus once, in the driver, as plain data:
the corpus-wide checks and the cut into partitions need only the records and
what they refer to, and each partition is sent to its worker as JSON, which
the worker loads (and validates) as a Dataset. The driver still holds every
record: 6.2 GiB at 1,000,000 generated statements with the cut's indexes
(measured by benchmarks/distributed_export.py), so it needs a machine with
room for the corpus. Each record keeps its place (``entities.jsonl:12`` in a
JSON Lines corpus), so that a problem found in the corpus-wide pass is named
where an editor finds it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from .. import jsonfile, kinds
from ..corpus.lines import HEADER, file_of, is_lines_corpus
from ..errors import InputError, InvalidDatasetError, Problem, json_path

__all__ = ["CorpusRecords", "read_corpus"]

_SECTIONS = tuple(section.name for section in kinds.SECTIONS)


@attrs.frozen
class CorpusRecords:
    """A corpus as plain data, with the line each record came from when it came from a line."""

    data: dict[str, Any]
    name: str | None = None
    #: Line numbers by section, for a JSON Lines corpus.
    lines: dict[str, list[int]] | None = None

    def records(self) -> Iterator[tuple[str, int, dict[str, Any], str | None]]:
        """(section, index, record, place) for every record, section by section."""
        for section in _SECTIONS:
            numbers = self.lines[section] if self.lines is not None else None
            for index, record in enumerate(self.data[section]):
                place = None if numbers is None else f"{file_of(section)}:{numbers[index]}"
                yield section, index, record, place


def read_corpus(source: object) -> CorpusRecords:
    """The corpus at ``source``: a JSON Lines directory, a dataset file, plain data or a Dataset.

    Raises :class:`~storyfacts.errors.InvalidDatasetError` naming every line
    that is not a JSON object, and :class:`~storyfacts.errors.InputError` for
    a file that cannot be read.
    """
    from ..loading import WORKBOOK_SUFFIXES, dump, load
    from ..model import Dataset

    if isinstance(source, Dataset):
        return CorpusRecords(dump(source), source.id)
    if isinstance(source, dict):
        return _checked(source, None)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if is_lines_corpus(path):
            return _read_lines(path)
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            # A workbook is one story's size: read as storyfacts export reads it.
            return CorpusRecords(dump(load(path)), str(path))
        return _checked(jsonfile.read(path), str(path))
    raise TypeError(f"A corpus is a path, plain data or a Dataset, not {type(source).__name__}.")


def _checked(data: Any, name: str | None) -> CorpusRecords:
    problems: list[Problem] = []
    if not isinstance(data, dict):
        problems.append(Problem("$", "A corpus is a JSON object.", "type"))
        raise InvalidDatasetError(problems, name)
    data = dict(data)
    for section in _SECTIONS:
        value = data.setdefault(section, [])
        if not isinstance(value, list):
            problems.append(Problem(json_path((section,)), "A section is a list.", "type"))
            continue
        for index, record in enumerate(value):
            if not isinstance(record, dict):
                problems.append(Problem(json_path((section, index)), "A record is an object."))
    if problems:
        raise InvalidDatasetError(problems, name)
    return CorpusRecords(data, name)


def _read_lines(directory: Path) -> CorpusRecords:
    problems: list[Problem] = []
    header = jsonfile.read(directory / HEADER)
    if not isinstance(header, dict):
        raise InvalidDatasetError(
            [Problem("$", "The header is not a JSON object.", "type", HEADER)]
        )
    data: dict[str, Any] = {k: v for k, v in header.items() if k not in _SECTIONS}
    lines: dict[str, list[int]] = {}
    for section in _SECTIONS:
        data[section], lines[section] = _section(directory / file_of(section), section, problems)
    if problems:
        raise InvalidDatasetError(problems, str(directory))
    return CorpusRecords(data, str(directory), lines)


def _section(
    path: Path, section: str, problems: list[Problem]
) -> tuple[list[dict[str, Any]], list[int]]:
    found: list[dict[str, Any]] = []
    numbers: list[int] = []
    if not path.exists():
        return found, numbers
    # Line by line: the text of a section is never held whole, only its records.
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            _line(line, number, section, found, numbers, problems)
    return found, numbers


def _line(
    line: bytes,
    number: int,
    section: str,
    found: list[dict[str, Any]],
    numbers: list[int],
    problems: list[Problem],
) -> None:
    if not line.strip():
        return
    place = f"{file_of(section)}:{number}"
    where = json_path((section, len(found)))
    try:
        record = jsonfile.parse(line, source=place)
    except (InputError, InvalidDatasetError) as error:
        problems.append(Problem(where, f"The line is not a record: {error}", "invalid-json", place))
        return
    if not isinstance(record, dict):
        problems.append(Problem(where, "The line is not a JSON object.", "type", place))
        return
    numbers.append(number)
    found.append(record)
