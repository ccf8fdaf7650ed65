"""A dataset file (one JSON document) validated record by record as it is read.

The file is decoded and parsed a piece at a time: the top-level object's
keys one by one, and each record of each list with the same strict decoder
:func:`storyfacts.jsonfile.parse` uses (duplicate keys, NaN and Infinity,
integers too long to read and nesting too deep are caught, each with its
JSON path). Each record is checked as it is parsed (see
:class:`~storyfacts.streaming.checking.StreamCheck`) and let go, so memory
holds the index of ids, the bodies of the articles evidence cited last (the
others wait in a temporary file: :class:`~storyfacts.streaming.bodies.SpilledBodies`)
and a window of the text, never the whole document.

Anything out of the ordinary shape (text that is not JSON, not UTF-8, a top
level that is not an object or gives a key twice, a list of records that is
not a list, lists out of the dataset's order) is not read here:
:func:`document_problems` returns ``None`` and the file is read whole, as
before, so that its error or problems are the very ones it always had.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import re
from pathlib import Path
from typing import IO, Any

from .. import collector, input_files, kinds
from ..errors import Problem, sort_problems
from ..jsonfile import StrictParser
from .bodies import SpilledBodies
from .checking import SpilledReferences, StreamCheck

__all__ = ["document_problems"]

_SECTIONS = tuple(section.name for section in kinds.SECTIONS)
_WHITESPACE = re.compile(r"[ \t\n\r]*")
#: An error this close to the end of the text read so far may only mean that
#: the value goes on past it: the longest piece that cannot be cut is a
#: surrogate pair written as two ``\u`` escapes of four hex digits, 12 long.
_NEAR_END = 16


class _Unusual(Exception):
    """The document is not of the shape read here: it is read whole instead."""


def document_problems(path: Path) -> list[Problem] | None:
    """Every problem in the dataset file at ``path``, or ``None`` to read it whole instead.

    The problems are those :func:`storyfacts.validate` finds reading the
    file whole: the strict reader's alone when it finds any, as it stops
    there, and otherwise every problem of the schema and the integrity checks.
    """
    global _unusual
    try:
        status = path.stat()
        if status.st_size > input_files.max_input_bytes():
            return None  # refused as it always was, by the whole reader
        # ``storyfacts validate`` asks here first and, given None, asks
        # storyfacts.validate, which would ask again: a file found unusual and
        # unchanged since is not read a second time to learn the same. (At
        # worst, a file changed within the same nanosecond is read whole,
        # which gives its true verdict too.)
        identity = _identity(status)
        if identity == _unusual:
            return None
        with input_files.opened(path) as file, collector.paused():
            return _Document(file).problems()
    except _Unusual:
        _unusual = identity
        return None


#: The identity of the last file found unusual (see document_problems).
_unusual: tuple[int, ...] | None = None


def _identity(status: os.stat_result) -> tuple[int, ...]:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


class _Document:
    """The text of a document, a window of it at a time, and the dataset read from it."""

    #: Bytes read at a time. 16 KiB rather than 64: the window and its next
    #: copy take a quarter of the room (0.25-0.3 MiB of the peak at 10,000
    #: statements, issue 11) for no measurable time at 10,000 or 100,000.
    CHUNK = 1 << 14

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._text = ""
        self._pos = 0
        self._eof = False
        self._started = False
        self._parser = StrictParser()
        self._strict: list[Problem] = []

    # The text -------------------------------------------------------------

    def _more(self) -> bool:
        """Read the next piece of the file into the window; ``False`` at the end."""
        if self._eof:
            return False
        # A value longer than a piece (a long article) doubles what is read
        # next, so that reading it again from its start stays linear.
        raw = self._file.read(max(self.CHUNK, len(self._text) - self._pos))
        try:
            piece = self._decoder.decode(raw, final=not raw)
        except UnicodeDecodeError:
            raise _Unusual from None
        if not raw:
            self._eof = True
        if not self._started and piece:
            self._started = True
            piece = piece.removeprefix("\ufeff")  # as utf-8-sig reads it
        self._text = self._text[self._pos :] + piece
        self._pos = 0
        return True

    def _peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            self._pos = _WHITESPACE.match(self._text, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._text) or not self._more():
                return self._text[self._pos : self._pos + 1]

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            raise _Unusual
        self._pos += 1

    def _value(self, prefix: tuple[str | int, ...]) -> Any:
        """The JSON value next in the text, parsed strictly; what it breaks goes in _strict."""
        self._peek()
        while True:
            try:
                value, end = self._parser.raw(self._text, self._pos)
            except json.JSONDecodeError as error:
                near_end = error.pos >= len(self._text) - _NEAR_END
                if self._eof or not (near_end or error.msg.startswith("Unterminated string")):
                    raise _Unusual from None
                self._more()
                continue
            except RecursionError:
                raise _Unusual from None
            if end >= len(self._text) and not self._eof:
                self._more()  # a number may go on in the next piece
                continue
            self._pos = end
            self._strict += self._parser.problems(value, prefix)
            return value

    # The dataset ------------------------------------------------------------

    def problems(self) -> list[Problem]:
        bodies = SpilledBodies()
        deferred = SpilledReferences()
        with contextlib.closing(bodies), contextlib.closing(deferred):
            check = StreamCheck(bodies, deferred)
            header: dict[str, Any] = {}
            order: list[str] = []
            self._expect("{")
            if self._peek() == "}":
                raise _Unusual  # no field at all: the whole reader says what is missing
            while True:
                if self._peek() != '"':
                    raise _Unusual
                key = self._value(())
                if key in header or key in order:
                    raise _Unusual  # a key given twice at the top
                self._expect(":")
                if key in _SECTIONS and self._peek() == "[":
                    if order and _SECTIONS.index(key) < _SECTIONS.index(order[-1]):
                        raise _Unusual  # not in dataset order: a duplicate id would differ
                    order.append(key)
                    self._section(key, check, bodies)
                else:
                    if key in _SECTIONS:
                        raise _Unusual  # a list of records that is not a list
                    header[key] = self._value((key,))
                following = self._peek()
                self._pos += 1
                if following == "}":
                    break
                if following != ",":
                    raise _Unusual
            if self._peek() != "":
                raise _Unusual  # something after the document
            if self._strict:
                # As the strict reader: the file is refused for these alone.
                return sort_problems(self._strict)
            check.top({**header, **dict.fromkeys(order, ())})
            return check.finish()

    #: Records checked together (see StreamCheck.records): few enough that
    #: memory stays flat, enough that a call's cost is shared.
    BATCH = 50

    def _section(self, section: str, check: StreamCheck, bodies: SpilledBodies) -> None:
        self._expect("[")
        if self._peek() == "]":
            self._pos += 1
            return
        index = 0
        batch: list[Any] = []
        while True:
            batch.append(self._value((section, index + len(batch))))
            following = self._peek()
            self._pos += 1
            if following not in ",]":
                raise _Unusual
            if len(batch) == self.BATCH or following == "]":
                # Once the strict reader has found something, only it is heard:
                # the rest is parsed for what else it finds, and not checked.
                if not self._strict:
                    for record in check.records(section, index, batch):
                        if section == "articles" and isinstance(record, dict):
                            rid, body = record.get("id"), record.get("body")
                            if isinstance(rid, str) and isinstance(body, str):
                                bodies.add(rid, body)
                index += len(batch)
                batch = []
            if following == "]":
                return
