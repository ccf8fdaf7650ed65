"""A corpus on disk as JSON Lines: one file per section, one record a line, the header beside.

A directory such as ``corpus/`` holds ``header.json`` (the dataset's
``schema_version``, ``id``, ``title`` and ``modified``) and, for each section
named by :mod:`storyfacts.kinds`, ``articles.jsonl``, ``entities.jsonl``,
``statements.jsonl`` and ``sources.jsonl``. A missing section file is an
empty section; a blank line is skipped. :func:`storyfacts.load` and
:func:`storyfacts.validate` take such a directory wherever they take a
dataset file, and every problem is named by file and line
(``entities.jsonl:12``) as well as by its JSON path in the whole dataset.

Reading builds the whole dataset in memory, as for a JSON file: this is the
layout, not yet a streaming validator (see docs/corpus.md).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .. import input_files, jsonfile, kinds, validation
from ..errors import InputError, InvalidDatasetError, Problem, parse_path, sort_problems
from ..fieldtypes import describe

__all__ = ["HEADER", "dump_lines", "file_of", "is_lines_corpus", "read_lines"]

#: The file that holds the dataset's header.
HEADER = "header.json"


def file_of(section: str) -> str:
    """The file that holds a section's records: ``entities.jsonl``."""
    return f"{section}.jsonl"


def is_lines_corpus(path: Path) -> bool:
    """Whether ``path`` is a directory holding a JSON Lines corpus (its ``header.json``)."""
    return path.is_dir() and (path / HEADER).is_file()


def read_lines(directory: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The corpus in ``directory`` as plain data, and every problem, each named by file and line."""
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
    lines: dict[tuple[str, int], int] = {}
    for section in _SECTIONS:
        data[section] = _section(directory, section, lines, problems)
    for problem in validation.problems(data):
        problems.append(_located(problem, lines))
    return data, sort_problems(problems)


_SECTIONS = tuple(s.name for s in kinds.SECTIONS)


def _section(
    directory: Path, section: str, lines: dict[tuple[str, int], int], problems: list[Problem]
) -> list[Any]:
    path = directory / file_of(section)
    if not path.exists():
        return []
    raw = input_files.read(path, "a JSON Lines file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        at = raw[: error.start].count(b"\n") + 1
        raise InputError(path, f"is not valid UTF-8 (line {at}); save it as UTF-8") from None
    del raw
    found: list[Any] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"$.{section}[{len(found)}]"
        place = f"{file_of(section)}:{number}"
        try:
            record = jsonfile.parse(line, source=place)
        except InputError as error:
            # A line is parsed on its own: its "line 1" would mislead.
            reason = error.reason.replace(" at line 1, column ", " at column ")
            problems.append(Problem(where, f"The line {reason}.", "invalid-json", place))
            continue
        except InvalidDatasetError as error:
            problems += [_placed(p, where, place) for p in error.problems]
            continue
        lines[(section, len(found))] = number
        found.append(record)
    return found


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
