"""Checking a dataset record by record: the checks of storyfacts.validation, one record at a time.

:class:`StreamCheck` is given the dataset's top level and then each record,
in dataset order (articles, entities, statements, sources), and returns
from :meth:`~StreamCheck.finish` what :func:`storyfacts.validation.problems`
returns for the same data held whole. References to records not yet seen
wait in a temporary file (:class:`SpilledReferences`), not in memory, and
article bodies are read back from a file when evidence needs them
(:mod:`storyfacts.streaming.bodies`), so that nothing but the index of ids
grows with the number of records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import orjson

from .. import kinds
from ..errors import Problem, sort_problems
from ..integrity import Deferred, DeferredStore, IntegrityCheck
from ..storage import plainly_storable, storage_problems
from ..validation import RecordSchema, top_level
from .spill import Spill

__all__ = ["SpilledReferences", "StreamCheck"]

_SECTIONS = {section.name: section for section in kinds.SECTIONS}


class StreamCheck:
    """Every check of :func:`storyfacts.validation.problems`, given the data part by part.

    ``bodies`` gives an article's body by id; the caller adds each article to
    it as it passes (see :meth:`record`'s return value), before any evidence
    that cites it. ``deferred`` is where references wait for their ids.
    """

    def __init__(self, bodies: Mapping[str, str], deferred: DeferredStore | None = None) -> None:
        self._schema = RecordSchema()
        self._integrity = IntegrityCheck(bodies, deferred)
        self._unstorable: list[Problem] = []

    def top(self, data: dict[str, Any], place: str | None = None) -> None:
        """Check the dataset's top level: ``data`` without its records (lists may be empty)."""
        top = top_level(data)
        with _Placing(self, place):
            unstorable, top = storage_problems(top)
            self._unstorable += unstorable
            self._schema.top(top)
            self._integrity.header(top)

    def record(self, section: str, index: int, record: Any, place: str | None = None) -> Any:
        """Check the record at ``index`` of ``section``; ``place`` locates its problems.

        Returns the record as checked (an integer too large to store taken
        out), for the caller to keep what it needs, such as an article's body.
        """
        if place is None:
            return self._record(section, index, record)
        with _Placing(self, place):
            return self._record(section, index, record)

    def records(
        self, section: str, first: int, records: list[Any], places: list[str] | None = None
    ) -> list[Any]:
        """Check records of ``section`` from index ``first`` on, as :meth:`record` does each.

        The storage and schema checks ask once for the whole batch whether
        anything is wrong (one serialisation, one call of the fast
        validator); only when something is are the records checked one by one.
        """
        if not (plainly_storable(records) and self._schema.all_valid(section, records)):
            return [
                self.record(section, first + offset, record, places[offset] if places else None)
                for offset, record in enumerate(records)
            ]
        of = _SECTIONS[section]
        integrity = self._integrity
        for offset, record in enumerate(records):
            if isinstance(record, dict):
                parts = (section, first + offset)
                kind = of.kind_of(record)
                definition = of.definition_of(kind)
                if places is None:
                    integrity.index(parts, kind, record)
                    integrity.check(parts, kind, definition, record)
                else:
                    with _Placing(self, places[offset]):
                        integrity.index(parts, kind, record)
                        integrity.check(parts, kind, definition, record)
        return records

    def _record(self, section: str, index: int, record: Any) -> Any:
        parts = (section, index)
        unstorable, record = storage_problems(record, parts)
        self._unstorable += unstorable
        self._schema.record(section, index, record)
        if isinstance(record, dict):
            of = _SECTIONS[section]
            kind = of.kind_of(record)
            self._integrity.index(parts, kind, record)
            self._integrity.check(parts, kind, of.definition_of(kind), record)
        return record

    def finish(self) -> list[Problem]:
        """Every problem found, sorted, as :func:`storyfacts.validation.problems` gives them."""
        found = [*self._schema.finish(), *self._integrity.finish()]
        if self._unstorable:
            # A value taken out is reported once, as unstorable.
            taken = {p.path for p in self._unstorable}
            found = [p for p in found if p.path not in taken]
        return sort_problems([*found, *self._unstorable])


class _Placing:
    """Gives the problems a record adds its location (a corpus's file and line)."""

    def __init__(self, check: StreamCheck, place: str | None) -> None:
        self._check = check
        self._place = place

    def _lists(self) -> tuple[list[Problem], ...]:
        schema = self._check._schema
        return (
            schema.found,
            schema.unexplained,
            self._check._integrity.problems,
            self._check._unstorable,
        )

    def __enter__(self) -> None:
        self._check._integrity.place = self._place
        self._lengths = [len(found) for found in self._lists()]

    def __exit__(self, *_: object) -> None:
        if self._place is None:
            return
        for found, length in zip(self._lists(), self._lengths, strict=True):
            for i in range(length, len(found)):
                found[i] = attrs.evolve(found[i], location=self._place)


class SpilledReferences:
    """References waiting for their ids, kept in a temporary file rather than in memory.

    In a corpus's usual order, every statement that cites a source names one
    not yet read (sources come last): held in memory, they would grow with
    the corpus. They are written a batch of lines at a time
    (:class:`~storyfacts.streaming.spill.Spill`); a batch the file cannot
    take (no temporary directory, a full disk), and every one after it, is
    held in memory, so the references come back all and in order.
    """

    #: Bytes of lines gathered before they are written in one piece, and read
    #: back at a time. 16 KiB: the lines read back come when the index of ids
    #: is at its largest, and with 64 KiB they added 0.1-0.2 MiB to the peak.
    BATCH = 1 << 14

    def __init__(self) -> None:
        self._spill = Spill()
        # Lines are copied in: orjson's bytes keep a 4 KiB buffer each (measured),
        # so a list of them held 4.8 MiB more at 10,000 statements.
        self._pending = bytearray()
        #: Lines the temporary file did not take, in order after those it did.
        self._held: list[bytes] = []
        self._kinds: dict[frozenset[str], int] = {}
        self._by_code: list[frozenset[str]] = []

    def append(self, item: Deferred) -> None:
        parts, value, allowed, place = item
        code = self._kinds.get(allowed)
        if code is None:
            code = self._kinds[allowed] = len(self._by_code)
            self._by_code.append(allowed)
        entry = [parts, value, code, place]
        try:
            line = orjson.dumps(entry)
        except TypeError:  # a lone surrogate, which orjson refuses and json escapes
            line = json.dumps(entry).encode()
        if self._held:  # the file stopped taking lines: the rest stay in order here
            self._held.append(line)
            return
        self._pending += line
        self._pending += b"\n"
        if len(self._pending) >= self.BATCH:
            self._write_pending()

    def _write_pending(self) -> None:
        if self._pending and self._spill.put(bytes(self._pending)) is None:
            self._held.extend(bytes(self._pending).split(b"\n")[:-1])
        self._pending.clear()

    def _lines(self) -> Iterator[bytes]:
        self._write_pending()
        at, rest = 0, b""
        while at < self._spill.size:
            piece = self._spill.get(at, min(self.BATCH, self._spill.size - at))
            at += len(piece)
            *lines, rest = (rest + piece).split(b"\n")
            yield from lines
        yield from self._held

    def __iter__(self) -> Iterator[Deferred]:
        for line in self._lines():
            try:
                parts, value, code, place = orjson.loads(line)
            except orjson.JSONDecodeError:  # written by json, for a lone surrogate
                parts, value, code, place = json.loads(line)
            yield tuple(parts), value, self._by_code[code], place

    def close(self) -> None:
        self._spill.close()
