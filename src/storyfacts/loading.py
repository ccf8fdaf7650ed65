"""Loading, validating and dumping datasets: the core of the Python API.

:func:`load` and :func:`validate` take a dataset from any of these, told
apart by type (:func:`source_kind` names the one a value is taken as):

* ``None``: the bundled dataset;
* a :class:`Dataset`: checked as it stands, type by type and against the schema;
* ``str`` whose first non-blank character is ``{``: JSON text;
* any other ``str``, or an :class:`os.PathLike`: the path of a JSON file,
  an edited workbook (``.xlsx``), or a directory holding a corpus as JSON
  Lines (``header.json`` beside ``articles.jsonl`` and the other sections);
* ``bytes``, ``bytearray`` or ``memoryview``: JSON text encoded in UTF-8;
* an object with a ``read()`` method (a file opened in binary or text mode):
  its JSON content;
* anything else, a ``dict`` most often: plain JSON data.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import attrs

from . import _resources, collector, edits, jsonfile, passages, validation, validity
from .errors import InputError, InvalidDatasetError, Problem, sort_problems
from .fieldtypes import checked_types, describe, type_problems
from .ids import id_from_name
from .integrity import shorten
from .model import Dataset

__all__ = [
    "bundled_path",
    "dump",
    "dumps",
    "load",
    "load_bundled",
    "read",
    "source_kind",
    "validate",
]


class Readable(Protocol):
    """A file object, opened in binary or text mode."""

    def read(self, /) -> bytes | str: ...


DatasetSource = (
    str | os.PathLike[str] | bytes | bytearray | memoryview | Readable | Mapping[str, Any] | Dataset
)

# Readers for files that are not JSON, by suffix: "module:function" returning
# (plain data, every problem), having validated the data themselves so that
# each problem can name its cell. Imported only when used. Macro-enabled and
# old-format workbooks go to the same reader, which refuses them clearly.
_WORKBOOK = "storyfacts.workbook.reader:read_workbook"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls")
_READERS = dict.fromkeys(WORKBOOK_SUFFIXES, _WORKBOOK)

# A directory holding this file is a corpus as JSON Lines (storyfacts.corpus.lines).
_LINES_HEADER = "header.json"

# What errors call a source that is not a file on disk.
_JSON_TEXT = "<JSON text>"
_JSON_BYTES = "<JSON bytes>"


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
    if path.is_dir() and (path / _LINES_HEADER).is_file():
        from .corpus.lines import read_lines

        return (*read_lines(path), True)
    target = _READERS.get(path.suffix.lower())
    if target is None:
        return jsonfile.read(path), [], False
    module, _, function = target.partition(":")
    reader = getattr(importlib.import_module(module), function)
    data, found = reader(path)
    return data, sort_problems(found), True


def source_kind(source: object) -> str:
    """What :func:`load` takes ``source`` as: ``"bundled"``, ``"dataset"``, ``"json-text"``,
    ``"path"``, ``"json-bytes"``, ``"file"`` or ``"data"`` (see the module's rule)."""
    if source is None:
        return "bundled"
    if isinstance(source, Dataset):
        return "dataset"
    if isinstance(source, str):
        return "json-text" if source.lstrip().startswith("{") else "path"
    if isinstance(source, os.PathLike):
        return "path"
    if isinstance(source, bytes | bytearray | memoryview):
        return "json-bytes"
    if callable(getattr(source, "read", None)):
        return "file"
    return "data"


def _checked(source: object) -> tuple[Any, list[Problem], str | None]:
    """Plain data from any source, every problem in it, and what errors call the source."""
    kind = source_kind(source)
    if kind == "dataset":
        assert isinstance(source, Dataset)
        data, found = _dataset_problems(source)
        return data, found, None
    if kind == "data":
        # Plain data, of whatever shape: validation says what is wrong with it.
        return source, validation.problems(source), None
    if kind == "json-text":
        assert isinstance(source, str)
        return _parsed(source, _JSON_TEXT)
    if kind == "json-bytes":
        assert isinstance(source, bytes | bytearray | memoryview)
        return _parsed(bytes(source), _JSON_BYTES)
    if kind == "file":
        return _from_file(source)
    path = bundled_path() if source is None else source
    assert isinstance(path, str | os.PathLike)
    try:
        data, found, complete = _read(Path(path))
    except InvalidDatasetError as error:  # a JSON file broken below the schema
        raise InvalidDatasetError(error.problems, os.fspath(path)) from None
    except InputError as error:
        if isinstance(path, str) and error.reason == "no such file" and not _looks_like_path(path):
            raise InputError(
                repr(shorten(path, 60)),
                "was read as a path, and there is no such file (a str is JSON text only "
                "when it starts with '{')",
            ) from None
        raise
    return data, found if complete else validation.problems(data), str(path)


def _looks_like_path(text: str) -> bool:
    return "\n" not in text and len(text) <= 1024


def _parsed(raw: bytes | str, name: str) -> tuple[Any, list[Problem], str | None]:
    try:
        data = jsonfile.parse(raw, source=name)
    except InvalidDatasetError as error:
        raise InvalidDatasetError(error.problems, name) from None
    return data, validation.problems(data), name


def _from_file(source: Any) -> tuple[Any, list[Problem], str | None]:
    named = getattr(source, "name", None)
    name = str(named) if isinstance(named, str | os.PathLike) else "<file object>"
    try:
        raw = source.read()
    except UnicodeDecodeError as error:
        raise InputError(
            name, f"is not valid UTF-8 text ({error.reason}); open it in binary mode"
        ) from None
    except OSError as error:
        raise InputError(name, f"cannot be read ({error.strerror or error})") from None
    if isinstance(raw, bytes) and raw.startswith(b"PK\x03\x04"):
        raise InputError(
            name, "is a workbook (or another zip file); give its path to read a workbook"
        )
    if not isinstance(raw, bytes | str):
        raise InputError(name, f"gave {describe(raw)} when read, not JSON text or bytes")
    return _parsed(raw, name)


def _dataset_problems(dataset: Dataset) -> tuple[Any, list[Problem]]:
    """A live dataset as plain data, and every problem in it: wrong types first of all.

    A dataset found valid and not edited since (see :mod:`storyfacts.validity`)
    has none, known at once: the data is then ``None``, not needed. A value
    of the wrong type is found by :func:`~storyfacts.fieldtypes.type_problems`
    even where its dumped form would pass the schema (a dict among the
    entities) or cannot be dumped at all (text for a date).
    """
    if validity.is_known_valid(dataset):
        return None, []
    from .convert import converter

    # Read before validation reads the data: an edit made while it runs
    # moves the count past this, and the next check validates again.
    before = edits.count()
    wrong, watched = checked_types(dataset)
    try:
        data: Any = converter.unstructure(dataset)
    except Exception:
        if wrong:  # the wrong types are why it cannot be dumped
            return None, wrong
        raise
    if not wrong and not watched and validity.is_known_valid(dataset, data):
        # Holds a plain list, which no count sees: found valid before, and it
        # dumps to the very same data, so the verdict cannot have changed.
        return data, []
    found = validation.problems(data)
    if wrong:
        # Where the schema speaks of the very value, its words stand (7.0 "is
        # not a whole number"); what it says inside a value of the wrong type
        # only repeats the wrong type in other words.
        spoken = {p.path for p in found}
        wrong = [w for w in wrong if w.path not in spoken]
        found = [p for p in found if not any(_inside(p.path, w.path) for w in wrong)]
    elif not found:
        if watched:
            validity.remember_valid(dataset, count=before)
        else:
            validity.remember_valid(dataset, data=data)
    return data, sort_problems([*wrong, *(_made_from_name(dataset, p) for p in found)])


_RECORD_ID = re.compile(r"^\$\.(\w+)\[(\d+)\]\.id$")


def _made_from_name(dataset: Dataset, problem: Problem) -> Problem:
    """A duplicate id that was made from the record's name says so, and what to do."""
    match = _RECORD_ID.match(problem.path) if problem.code == "duplicate-id" else None
    records = getattr(dataset, match[1], None) if match else None
    if not match or not isinstance(records, list) or int(match[2]) >= len(records):
        return problem
    record = records[int(match[2])]
    name = getattr(record, "name", None)
    try:
        made = isinstance(name, str) and id_from_name(name) == record.id
    except ValueError:  # a name that makes no id
        made = False
    if not made:
        return problem
    return attrs.evolve(
        problem,
        message=f"{problem.message} It was made from the name {name!r}: "
        "give one of the two records an id of its own.",
    )


def _inside(path: str, prefix: str) -> bool:
    return path.startswith((prefix + ".", prefix + "["))


def validate(source: DatasetSource | None = None) -> list[Problem]:
    """Every problem in a dataset, sorted by path; an empty list means valid.

    ``source`` is anything :func:`load` takes: with no argument, the bundled
    dataset. Raises :class:`~storyfacts.errors.InputError` for a file or text
    that cannot be read as JSON at all.
    """
    if source_kind(source) == "path":
        path = Path(source)  # type: ignore[arg-type]
        if path.is_dir() and (path / _LINES_HEADER).is_file():
            # A corpus as JSON Lines is checked in one streaming pass, in
            # memory that does not grow with it (storyfacts.streaming).
            from .streaming import corpus_problems

            return corpus_problems(path)
        if path.suffix.lower() not in _READERS and path.is_file():
            # A JSON file is checked record by record as it is read, not
            # held whole: the same verdict in a fraction of the memory. A
            # file of unusual shape (or not JSON at all) is read whole.
            from .streaming.document import document_problems

            found = document_problems(path)
            if found is not None:
                return found
    try:
        with collector.paused():  # as in load
            _, found, _ = _checked(source)
    except InvalidDatasetError as error:
        return error.problems
    return found


def load(source: DatasetSource | None = None) -> Dataset:
    """Load and validate a dataset from a path, JSON text or bytes, a file object or plain data.

    Evidence given by its text alone gets its start and end here (see
    :mod:`storyfacts.passages`). With no argument, loads the bundled
    dataset; a :class:`Dataset` is checked and returned as it is.
    :func:`source_kind` says what a value is taken as. Raises
    :class:`~storyfacts.errors.InvalidDatasetError` listing every problem
    when the data is not valid, and :class:`~storyfacts.errors.InputError`
    when the input cannot be read;
    both name the source (the path, ``<JSON text>``, ``<JSON bytes>`` or the
    file object's name).
    """
    # Reading, checking and structuring a large dataset make millions of
    # objects, none of them in a cycle; the collector's passes over them
    # were half the time of a load at 100,000 statements (see
    # storyfacts.collector). It runs again once the dataset is built.
    with collector.paused():
        return _loaded(source)


def _loaded(source: DatasetSource | None) -> Dataset:
    data, problems, name = _checked(source)
    if problems:
        raise InvalidDatasetError(problems, name)
    if isinstance(source, Dataset):
        return source
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
        # So that exporting it, unchanged, does not validate it again: every
        # list the converter made is watched, so the count of edits will see
        # any change (storyfacts.validity). Data with offsets filled in is not
        # what was validated: its first export validates it, and remembers it then.
        validity.remember_valid(dataset, count=edits.count())
    return dataset


def _cattrs_path(message: str) -> str:
    return message.rpartition(" @ ")[2] or "$"


def load_bundled() -> Dataset:
    """The bundled seed dataset: Putin and Xi on the IOC's move, March 2023."""
    return load(bundled_path())


def dump(dataset: Dataset) -> dict[str, Any]:
    """The dataset as plain JSON-compatible data; ``load(dump(d))`` equals ``d``.

    Raises :class:`TypeError` for anything but a :class:`Dataset`, and
    :class:`~storyfacts.errors.InvalidDatasetError` when a field was later
    given a value of a type it cannot be written from (a ``str`` where a
    :class:`PartialDate` belongs, say).
    """
    from .convert import converter

    if not isinstance(dataset, Dataset):
        raise TypeError(
            f"dump() takes a storyfacts Dataset, not {describe(dataset)}; "
            "storyfacts.load() makes one from a file, JSON text or plain data."
        )
    try:
        data: dict[str, Any] = converter.unstructure(dataset)
    except Exception:
        wrong = type_problems(dataset)
        if wrong:
            raise InvalidDatasetError(wrong) from None
        raise
    return data


def dumps(dataset: Dataset) -> str:
    """The dataset as canonical JSON text (two-space indent, UTF-8, final newline)."""
    return jsonfile.dumps(dump(dataset))
