"""Loading, validating and dumping datasets: the core of the Python API."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import _resources, jsonfile, passages, validation, validity
from .errors import InvalidDatasetError, Problem, sort_problems
from .model import Dataset

__all__ = ["bundled_path", "dump", "dumps", "load", "load_bundled", "read", "validate"]

DatasetSource = str | Path | Mapping[str, Any] | Dataset

# Readers for files that are not JSON, by suffix: "module:function" returning
# (plain data, every problem), having validated the data themselves so that
# each problem can name its cell. Imported only when used. Macro-enabled and
# old-format workbooks go to the same reader, which refuses them clearly.
_WORKBOOK = "storyfacts.workbook.reader:read_workbook"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls")
_READERS = dict.fromkeys(WORKBOOK_SUFFIXES, _WORKBOOK)


def bundled_path() -> Path:
    """The path of the bundled seed dataset (the default input everywhere)."""
    return _resources.seed_path()


def read(source: str | Path) -> tuple[Any, list[Problem]]:
    """Read a dataset file into plain data, without validating it.

    Returns the data and any problems found while reading (a workbook reports
    cell-level problems here). Raises :class:`~storyfacts.errors.InputError`
    when the file cannot be read at all.
    """
    data, found, _ = _read(Path(source))
    return data, found


def _read(path: Path) -> tuple[Any, list[Problem], bool]:
    """Read a file; the flag says whether its problems are already complete."""
    target = _READERS.get(path.suffix.lower())
    if target is None:
        return jsonfile.read(path), [], False
    module, _, function = target.partition(":")
    reader = getattr(importlib.import_module(module), function)
    data, found = reader(path)
    return data, sort_problems(found), True


def _checked(source: DatasetSource) -> tuple[Any, list[Problem], str | None]:
    """Plain data from any source, and every problem in it."""
    if isinstance(source, Dataset):
        data: Any = dump(source)
        if validity.is_known_valid(source, data):
            # Found valid before, and it dumps to the very same data: the
            # verdict cannot have changed (see storyfacts.validity).
            return data, [], None
        found = validation.problems(data)
        if not found:
            validity.remember_valid(source, data)
        return data, found, None
    if not isinstance(source, str | os.PathLike):
        # Plain data, of whatever shape: validation says what is wrong with it.
        return source, validation.problems(source), None
    try:
        data, found, complete = _read(Path(source))
    except InvalidDatasetError as error:  # a JSON file broken below the schema
        raise InvalidDatasetError(error.problems, source) from None
    return data, found if complete else validation.problems(data), str(source)


def validate(source: DatasetSource | None = None) -> list[Problem]:
    """Every problem in a dataset (a path, plain data or a :class:`Dataset`), sorted by path.

    With no argument, validates the bundled dataset. An empty list means valid.
    Raises :class:`~storyfacts.errors.InputError` for a file that cannot be read.
    """
    try:
        _, found, _ = _checked(bundled_path() if source is None else source)
    except InvalidDatasetError as error:
        return error.problems
    return found


def load(source: DatasetSource | None = None) -> Dataset:
    """Load and validate a dataset from a path (JSON or workbook) or plain data.

    Evidence given by its text alone gets its start and end here (see
    :mod:`storyfacts.passages`). With no argument, loads the bundled dataset. Raises
    :class:`~storyfacts.errors.InvalidDatasetError` listing every problem when
    the data is not valid, and :class:`~storyfacts.errors.InputError` when a
    file cannot be read.
    """
    if isinstance(source, Dataset):
        return source
    data, problems, name = _checked(bundled_path() if source is None else source)
    if problems:
        raise InvalidDatasetError(problems, name)
    # cattrs and the converter are imported here: validating needs neither.
    import cattrs

    from .convert import converter

    filled = passages.fill_offsets(data)
    try:
        dataset = converter.structure(filled, Dataset)
    except cattrs.BaseValidationError as error:  # pragma: no cover - the schema is stricter
        raise InvalidDatasetError(
            [Problem(_cattrs_path(m), m) for m in cattrs.transform_error(error)], name
        ) from None
    if filled is data:
        # So that exporting it, unchanged, does not validate it again. Data
        # with offsets filled in is not what was validated: its first export
        # validates it, and remembers it then.
        validity.remember_valid(dataset, data)
    return dataset


def _cattrs_path(message: str) -> str:
    return message.rpartition(" @ ")[2] or "$"


def load_bundled() -> Dataset:
    """The bundled seed dataset: Putin and Xi on the IOC's move, March 2023."""
    return load(bundled_path())


def dump(dataset: Dataset) -> dict[str, Any]:
    """The dataset as plain JSON-compatible data; ``load(dump(d))`` equals ``d``."""
    from .convert import converter

    data: dict[str, Any] = converter.unstructure(dataset)
    return data


def dumps(dataset: Dataset) -> str:
    """The dataset as canonical JSON text (two-space indent, UTF-8, final newline)."""
    return jsonfile.dumps(dump(dataset))
