"""A corpus on disk as JSON Lines: one file per section, one record a line, the header beside.

A directory such as ``corpus/`` holds ``header.json`` (the dataset's
``schema_version``, ``id``, ``title`` and ``modified``) and, for each section
named by :mod:`storyfacts.kinds`, ``articles.jsonl``, ``entities.jsonl``,
``statements.jsonl`` and ``sources.jsonl``. A missing section file is an
empty section; a blank line is skipped. :func:`storyfacts.load` and
:func:`storyfacts.validate` take such a directory wherever they take a
dataset file, and every problem is named by file and line
(``entities.jsonl:12``) as well as by its JSON path in the whole dataset.

:func:`read_lines` builds the whole dataset in memory, as for a JSON file;
:func:`section_lines` reads a section one line at a time, which is how
:mod:`storyfacts.streaming` validates a corpus in memory that does not grow
with it (see docs/corpus.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from .. import input_files, jsonfile, kinds, validation
from ..errors import InputError, InvalidDatasetError, Problem, parse_path, sort_problems
from ..fieldtypes import describe

__all__ = [
    "HEADER",
    "Line",
    "dump_lines",
    "file_of",
    "is_lines_corpus",
    "read_header",
    "read_lines",
    "section_lines",
]

#: The file that holds the dataset's header.
HEADER = "header.json"


def file_of(section: str) -> str:
    """The file that holds a section's records: ``entities.jsonl``."""
    return f"{section}.jsonl"


def is_lines_corpus(path: Path) -> bool:
    """Whether ``path`` is a directory holding a JSON Lines corpus (its ``header.json``)."""
    return path.is_dir() and (path / HEADER).is_file()


def read_header(directory: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The corpus's header (its top level, without the records), and its problems."""
    problems: list[Problem] = []
    try:
        header = jsonfile.read(directory / HEADER)
    except InvalidDatasetError as error:
        header = {}
        problems += [_placed(p, "$", HEADER) for p in error.problems]
    data: dict[str, Any] = {}
    if isinstance(header, dict):
        for key, value in header.items():
            if key in _SECTIONS:
                problems.append(
                    Problem(
                        f"$.{key}",
                        f"The header holds {key!r}; its records belong in {file_of(key)}, "
                        "one a line.",
                        "misplaced-section",
                        HEADER,
                    )
                )
            else:
                data[key] = value
    else:
        problems.append(
            Problem("$", f"The header is {describe(header)}, not a JSON object.", "type", HEADER)
        )
    return data, problems


def read_lines(directory: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The corpus in ``directory`` as plain data, and every problem, each named by file and line."""
    data, problems = read_header(directory)
    lines: dict[tuple[str, int], int] = {}
    for section in _SECTIONS:
        found: list[Any] = []
        for line in section_lines(directory, section):
            problems += line.problems
            if line.parsed:
                lines[(section, line.index)] = line.number
                found.append(line.record)
        data[section] = found
    for problem in validation.problems(data):
        problems.append(_located(problem, lines))
    return data, sort_problems(problems)


_SECTIONS = tuple(s.name for s in kinds.SECTIONS)


@attrs.frozen
class Line:
    """One line of a section file that is not blank."""

    #: The section file, such as ``entities.jsonl``.
    file: str
    #: Its number in the file, from 1.
    number: int
    #: Where it starts in the file, in bytes.
    offset: int
    #: The index its record has in the section (lines that are not records do not count).
    index: int
    #: Whether it parsed as a record; if not, ``problems`` says why.
    parsed: bool
    #: The record as plain data (``None`` when it did not parse, or is ``null``).
    record: Any
    #: Why it did not parse, each problem named by file and line.
    problems: list[Problem]

    @property
    def place(self) -> str:
        """The file and line, as problems name them: ``entities.jsonl:12``."""
        return f"{self.file}:{self.number}"


def section_lines(directory: Path, section: str) -> Iterator[Line]:
    """Each line of a section's file that is not blank, read one at a time.

    A line is parsed by itself and as strictly as a JSON file is (see
    :mod:`storyfacts.jsonfile`). A missing file is an empty section. The
    file may be of any size; a single line is capped as a file is
    (:func:`storyfacts.input_files.max_input_bytes`). Raises
    :class:`~storyfacts.errors.InputError` for a file that cannot be read or
    is not UTF-8.
    """
    path = directory / file_of(section)
    if not path.exists():
        return
    name = file_of(section)
    index = 0
    parser = jsonfile.StrictParser()
    for number, offset, raw in input_files.lines(path, "a JSON Lines file"):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            reason = f"is not valid UTF-8 (line {number}); save it as UTF-8"
            raise InputError(path, reason) from None
        if not line.strip():
            continue
        where = f"$.{section}[{index}]"
        place = f"{name}:{number}"
        try:
            record = parser.parse(line, source=place)
        except InputError as error:
            # A line is parsed on its own: its "line 1" would mislead.
            reason = error.reason.replace(" at line 1, column ", " at column ")
            problem = Problem(where, f"The line {reason}.", "invalid-json", place)
            yield Line(name, number, offset, index, False, None, [problem])
            continue
        except InvalidDatasetError as error:
            placed = [_placed(p, where, place) for p in error.problems]
            yield Line(name, number, offset, index, False, None, placed)
            continue
        yield Line(name, number, offset, index, True, record, [])
        index += 1


def _placed(problem: Problem, where: str, place: str) -> Problem:
    """A problem found in one line (or the header), at its path in the whole dataset."""
    return Problem(where + problem.path[1:], problem.message, problem.code, place)


def _located(problem: Problem, lines: dict[tuple[str, int], int]) -> Problem:
    parts = parse_path(problem.path)
    if len(parts) >= 2 and parts[0] in _SECTIONS and isinstance(parts[1], int):
        section, index = str(parts[0]), parts[1]
        line = lines.get((section, index))
        place = file_of(section) if line is None else f"{file_of(section)}:{line}"
        return Problem(problem.path, problem.message, problem.code, place)
    if parts and parts[0] in _SECTIONS:
        return Problem(problem.path, problem.message, problem.code, file_of(str(parts[0])))
    return Problem(problem.path, problem.message, problem.code, HEADER)


def dump_lines(dataset: object, directory: str | os.PathLike[str]) -> Path:
    """Write a dataset as a JSON Lines corpus in ``directory``, all or nothing.

    ``dataset`` is anything :func:`storyfacts.load` takes. The directory is
    replaced as a whole, as a directory export is (see
    :mod:`storyfacts.atomic`): a failure leaves what was there.
    """
    from ..atomic import replace_atomically
    from ..convert import converter
    from ..loading import load

    data: dict[str, Any] = converter.unstructure(load(dataset))  # type: ignore[arg-type]
    target = Path(directory)
    with replace_atomically(target, directory=True) as temp:
        header = {k: v for k, v in data.items() if k not in _SECTIONS}
        (temp / HEADER).write_text(jsonfile.dumps(header), encoding="utf-8", newline="\n")
        for section in _SECTIONS:
            with (temp / file_of(section)).open("w", encoding="utf-8", newline="\n") as out:
                for record in data[section]:
                    out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
                    out.write("\n")
    return target
