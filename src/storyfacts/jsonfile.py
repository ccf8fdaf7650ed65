"""Reading dataset files as strict JSON.

Strict means: UTF-8 only, no NaN or Infinity, no duplicate keys, no integer
longer than Python reads (4,300 digits). A file that
cannot be parsed at all raises :class:`~storyfacts.errors.InputError`; a file
that parses but breaks one of the other rules raises
:class:`~storyfacts.errors.InvalidDatasetError` naming the JSON path of each
offending value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import collector
from .errors import InputError, InvalidDatasetError, Problem, excerpt, json_path, sort_problems

__all__ = ["StrictParser", "dumps", "nested", "parse", "read"]


class _Marked(dict[str, Any]):
    """An object in which some keys were given more than once."""

    duplicates: list[str]


class _NonFinite:
    """Stands in for NaN or Infinity until its path is known."""

    def __init__(self, token: str) -> None:
        self.token = token


class _TooManyDigits:
    """Stands in for an integer too long for Python to read, until its path is known."""

    def __init__(self, token: str) -> None:
        self.digits = len(token.lstrip("-"))


def read(path: str | Path) -> Any:
    """Read and parse the JSON file at ``path``."""
    from . import input_files

    path = Path(path)
    # Bounded: /dev/zero, a pipe that never ends or a huge sparse file gives
    # a clear InputError instead of a MemoryError (see storyfacts.input_files).
    raw = input_files.read(path)
    text = _decoded(raw, path)
    # The bytes are let go before parsing, so that the peak is the text and the
    # data, not the bytes as well: 100 MB less for a 100 MB file.
    del raw
    return parse(text, source=path)


def _decoded(raw: bytes, source: str | Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            source,
            f"is not valid UTF-8 (byte {error.start}, line {line}); save it as UTF-8",
        ) from None


def parse(raw: bytes | str, source: str | Path = "<data>") -> Any:
    """Parse JSON text strictly; ``source`` names the input in errors."""
    return StrictParser().parse(raw, source)


class StrictParser:
    """Parses JSON texts strictly, one after another (the lines of a JSON Lines file, say).

    The same as :func:`parse`, which makes one for each text; one parser
    reused saves building the decoders for every line.
    """

    def __init__(self) -> None:
        self._marked = False
        self._plain = json.JSONDecoder(object_pairs_hook=self._pairs, parse_constant=self._constant)
        # Python refuses to read an integer of more than 4,300 digits
        # (sys.get_int_max_str_digits). Only then is every integer read
        # through a hook that marks such a number for its path to be named.
        self._counting = json.JSONDecoder(
            object_pairs_hook=self._pairs, parse_constant=self._constant, parse_int=self._whole
        )

    def _pairs(self, items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items):
            marked = _Marked(obj)
            counts: dict[str, int] = {}
            for key, _ in items:
                counts[key] = counts.get(key, 0) + 1
            marked.duplicates = sorted(k for k, n in counts.items() if n > 1)
            self._marked = True
            return marked
        return obj

    def _constant(self, token: str) -> _NonFinite:
        self._marked = True
        return _NonFinite(token)

    def _whole(self, token: str) -> int | _TooManyDigits:
        try:
            return int(token)
        except ValueError:
            self._marked = True
            return _TooManyDigits(token)

    def raw(self, text: str, index: int) -> tuple[Any, int]:
        """The JSON value that starts at ``index`` of ``text``, and where it ends.

        For a document read piece by piece (see storyfacts.streaming.document):
        raises :class:`json.JSONDecodeError` or :class:`RecursionError` as the
        decoder does; :meth:`problems` then says what the strict rules found.
        """
        try:
            return self._plain.raw_decode(text, index)
        except json.JSONDecodeError:
            raise
        except ValueError:  # an integer of more than 4,300 digits
            return self._counting.raw_decode(text, index)

    def problems(self, value: Any, prefix: tuple[str | int, ...] = ()) -> list[Problem]:
        """What the strict rules found in ``value``, read by :meth:`raw` at ``prefix``."""
        if not self._marked:
            return []
        self._marked = False
        return _strictness_problems(value, prefix)

    def parse(self, raw: bytes | str, source: str | Path = "<data>") -> Any:
        """Parse one JSON text strictly; ``source`` names the input in errors."""
        text = _decoded(raw, source) if isinstance(raw, bytes) else raw
        self._marked = False
        try:
            if text.startswith("\ufeff"):
                # As json.loads says of a str that starts with a byte order mark.
                raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
            try:
                with collector.paused():
                    data = self._plain.decode(text)
            except json.JSONDecodeError:
                raise
            except ValueError:
                with collector.paused():
                    data = self._counting.decode(text)
        except json.JSONDecodeError as error:
            raise InputError(
                source,
                f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
            ) from None
        except RecursionError:
            raise InputError(source, "is nested too deeply to be a dataset") from None
        if self._marked:
            problems = _strictness_problems(data)
            if problems:
                raise InvalidDatasetError(problems, source)
        return data


def _strictness_problems(data: Any, prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    """Find duplicate keys and non-finite numbers, walking without recursion."""
    problems: list[Problem] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, prefix)]
    while stack:
        value, parts = stack.pop()
        if isinstance(value, _NonFinite):
            problems.append(
                Problem(
                    json_path(parts),
                    f"{value.token} is not a number JSON allows; give a finite number "
                    "or leave the field out.",
                    code="non-finite-number",
                )
            )
        elif isinstance(value, _TooManyDigits):
            # Imported here: the json and jsonld exporters import this module
            # when they are listed, and need not load the schema then.
            from .schema import LARGEST_WHOLE_NUMBER

            problems.append(
                Problem(
                    json_path(parts),
                    f"This whole number has {value.digits:,} digits; whole numbers go up "
                    f"to {LARGEST_WHOLE_NUMBER:,}.",
                    code="too-large",
                )
            )
        elif isinstance(value, dict):
            for key in getattr(value, "duplicates", ()):
                problems.append(
                    Problem(
                        json_path((*parts, key)),
                        f"The key {excerpt(key)} is given more than once in the same object; "
                        "keep one.",
                        code="duplicate-key",
                    )
                )
            stack.extend((v, (*parts, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*parts, i)) for i, v in enumerate(value))
    return sort_problems(problems)


def dumps(data: Any) -> str:
    """Serialise JSON-compatible data the canonical storyfacts way.

    Two-space indent, keys in the order given, non-ASCII kept as is, a final
    newline; NaN and Infinity are refused.
    """
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def nested(value: Any, depth: int) -> bytes:
    """``value`` as JSON that stands ``depth`` spaces deep in a document indented by two.

    The bytes are what ``json.dumps(document, indent=2, ensure_ascii=False)``
    writes for it there. orjson writes that layout several times faster, so
    the json and jsonld exporters stream a document record by record with it.
    JSON strings never hold a raw line break, so each ``\\n`` is layout.
    """
    # Imported when a document is written, not when an exporter is listed.
    import orjson

    text = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    return text.replace(b"\n", b"\n" + b" " * depth)
