"""A JSON Lines corpus validated in one streaming pass, and read back one record at a time.

:func:`corpus_problems` gives what :func:`storyfacts.validate` gives for the
corpus loaded whole (a test compares the two), reading each section file one
line at a time: the memory it needs does not grow with the number of records,
apart from the index of ids (see :mod:`storyfacts.streaming.checking`).

:class:`CorpusReader` is what an exporter streams from: the header, and
each section's records in order, as plain data or as model objects, without
the whole corpus ever in memory.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import collector, input_files, kinds
from ..corpus.lines import HEADER, Line, file_of, is_lines_corpus, read_header, section_lines
from ..errors import InputError, InvalidDatasetError, Problem, parse_path, sort_problems
from .bodies import ArticleBodies
from .checking import SpilledReferences, StreamCheck

if TYPE_CHECKING:
    from ..contract import Exporter
    from ..model import Dataset

__all__ = ["CorpusReader", "corpus_problems", "streamed"]

_SECTIONS = tuple(section.name for section in kinds.SECTIONS)


def corpus_problems(directory: Path) -> list[Problem]:
    """Every problem in the JSON Lines corpus in ``directory``, each named by file and line.

    Raises :class:`~storyfacts.errors.InputError` when a file cannot be read
    at all (not UTF-8, say), as loading the corpus does.
    """
    header, problems = read_header(directory)
    bodies = ArticleBodies(directory / file_of("articles"))
    deferred = SpilledReferences()
    # Records come and go by reference counting; none forms a cycle (see
    # storyfacts.collector), so the collector would only walk them in vain.
    with contextlib.closing(bodies), contextlib.closing(deferred), collector.paused():
        check = StreamCheck(bodies, deferred)
        # The top level as the whole dataset has it: every list, here empty.
        check.top({**header, **dict.fromkeys(_SECTIONS, ())}, HEADER)
        for section in _SECTIONS:
            batch: list[Line] = []
            for line in section_lines(directory, section):
                if not line.parsed:
                    problems += line.problems
                    continue
                batch.append(line)
                if len(batch) == _BATCH:
                    _check(check, section, batch, bodies)
                    batch = []
            _check(check, section, batch, bodies)
        found = check.finish()
    return sort_problems([*problems, *(_located(p) for p in found)])


#: Lines checked together (see StreamCheck.records): few enough that memory
#: stays flat, enough that a call's cost is shared.
_BATCH = 50


def _check(check: StreamCheck, section: str, lines: list[Line], bodies: ArticleBodies) -> None:
    """Check a batch of parsed lines (their records at consecutive indexes)."""
    if not lines:
        return
    records = [line.record for line in lines]
    checked = check.records(section, lines[0].index, records, [line.place for line in lines])
    if section == "articles":  # no article cites another's body: bodies come after
        for line, record in zip(lines, checked, strict=True):
            if not isinstance(record, dict):
                continue
            rid, body = record.get("id"), record.get("body")
            if isinstance(rid, str) and isinstance(body, str):
                bodies.add(rid, line.offset, body)


def _located(problem: Problem) -> Problem:
    """A problem that names no line (about the whole corpus) named by its file."""
    if problem.location:
        return problem
    parts = parse_path(problem.path)
    where = file_of(str(parts[0])) if parts and parts[0] in _SECTIONS else HEADER
    return Problem(problem.path, problem.message, problem.code, where)


class CorpusReader:
    """A JSON Lines corpus read one record at a time, for a corpus known to be valid.

    ``header`` is the dataset's top level without its records;
    :meth:`records` yields a section's records as plain data, and
    :meth:`structured` as the model's objects (evidence given by its text
    alone placed in its article, as :func:`storyfacts.load` does). Nothing
    is validated here: validate first (:func:`corpus_problems`); a line that
    does not parse raises :class:`~storyfacts.errors.InputError` naming it.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        header, problems = read_header(self.directory)
        if problems:
            raise InputError(self.directory / HEADER, problems[0].message)
        #: ``schema_version``, ``id``, ``title`` and ``modified``.
        self.header: dict[str, Any] = header
        #: Whether :meth:`checked` found the corpus valid.
        self.valid = False

    @classmethod
    def checked(cls, directory: str | Path) -> CorpusReader:
        """A reader of the corpus in ``directory``, validated first in one streaming pass.

        Raises :class:`~storyfacts.errors.InvalidDatasetError` listing every
        problem, each named by file and line.
        """
        problems = corpus_problems(Path(directory))
        if problems:
            raise InvalidDatasetError(problems, str(directory))
        reader = cls(directory)
        reader.valid = True
        return reader

    @property
    def id(self) -> str:
        """The dataset's id, which names exported files."""
        return str(self.header["id"])

    def dataset_header(self) -> Dataset:
        """The header as a :class:`~storyfacts.Dataset` with no records (its fields canonical)."""
        from ..convert import converter
        from ..model import Dataset

        empty = dict.fromkeys(_SECTIONS, ())
        return converter.structure({**self.header, **empty}, Dataset)

    def total(self) -> int:
        """How many records the corpus holds in all its sections."""
        return sum(self.count(section) for section in _SECTIONS)

    def count(self, section: str) -> int:
        """How many records ``section`` holds (its lines that are not blank)."""
        path = self.directory / file_of(section)
        if not path.exists():
            return 0
        return sum(1 for _, _, raw in input_files.lines(path) if raw.strip())

    def records(self, section: str) -> Iterator[Any]:
        """The records of ``section`` as plain data, in order."""
        for line in section_lines(self.directory, section):
            if not line.parsed:
                raise InputError(self.directory / line.file, line.problems[0].message)
            yield line.record

    def structured(self, section: str) -> Iterator[Any]:
        """The records of ``section`` as model objects (:class:`storyfacts.Entity`...), in order.

        Evidence given by its text alone is placed in its article, as
        :func:`storyfacts.load` places it.
        """
        from ..convert import converter
        from ..passages import fill_offsets

        kind = _element_type(section)
        bodies: ArticleBodies | None = None
        try:
            for record in self.records(section):
                if section in _EVIDENCED and _lacks_offsets(record):
                    bodies = bodies or self._bodies()
                    record = fill_offsets({section: [record]}, bodies)[section][0]
                yield converter.structure(record, kind)
        finally:
            if bodies is not None:
                bodies.close()

    def _bodies(self) -> ArticleBodies:
        bodies = ArticleBodies(self.directory / file_of("articles"))
        for line in section_lines(self.directory, "articles"):
            record = line.record
            if line.parsed and isinstance(record, dict):
                rid, body = record.get("id"), record.get("body")
                if isinstance(rid, str) and isinstance(body, str):
                    bodies.add(rid, line.offset, body)
        return bodies


def _lacks_offsets(record: Any) -> bool:
    evidence = record.get("evidence") if isinstance(record, dict) else None
    return isinstance(evidence, list) and any(
        isinstance(item, dict) and "start" not in item and "end" not in item for item in evidence
    )


_EVIDENCED = frozenset(section.name for section in kinds.EVIDENCED)


def streamed(source: object, exporter: Exporter) -> CorpusReader | None:
    """A validated reader when ``source`` is a JSON Lines corpus ``exporter`` can write as a
    stream (it has ``write_corpus``); ``None`` when the corpus is to be loaded whole.

    Raises :class:`~storyfacts.errors.InvalidDatasetError` for an invalid corpus.
    """
    if exporter.write_corpus is None:
        return None
    if isinstance(source, CorpusReader):
        return source if source.valid else CorpusReader.checked(source.directory)
    if isinstance(source, str | os.PathLike) and not (
        isinstance(source, str) and source.lstrip().startswith("{")
    ):
        path = Path(source)
        if is_lines_corpus(path):
            return CorpusReader.checked(path)
    return None


def _element_type(section: str) -> Any:
    import typing

    import attrs

    from ..model import Dataset

    field = attrs.fields_dict(Dataset)[section]
    hints = typing.get_type_hints(Dataset)
    return typing.get_args(hints[field.name])[0]
