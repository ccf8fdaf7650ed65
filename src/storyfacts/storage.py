"""What no file can hold: values that no export could write, found before any other check.

Text holding a lone surrogate cannot be stored as UTF-8; text holding a
control character cannot go in a calendar or a workbook; an integer past 64
bits cannot be written by the JSON writers. :func:`storage_problems` names
each place and takes out the worst of them, for the other checks to run on.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from . import schema as _schema
from .errors import Problem, json_path

__all__ = ["plainly_storable", "storage_problems"]

Parts = tuple[str | int, ...]


#: orjson, which writes JSON and JSON-LD, holds integers in 64 bits; the schema
#: allows at most 15 digits, so anything past this is refused either way.
_LEAST_INT, _MOST_INT = -(2**63), 2**64 - 1


# Control characters that neither a calendar (RFC 5545 text, 3.3.11) nor a
# workbook (XML 1.0) can hold, and that mean nothing in a story: C0 but TAB, LF
# and CR, and DEL; and the non-characters U+FFFE and U+FFFF, which XML 1.0
# excludes too. Refused here, every export agrees with validation, and so does
# the workbook reader (workbook.safety refuses the same in a cell).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# How orjson writes them: \u00XX, or \b and \f, DEL and the non-characters as
# they are (in UTF-8). A literal backslash before u, b or f in text also
# matches; the walk then finds nothing.
_SERIALISED_CONTROLS = re.compile(
    b"|".join(
        re.escape(mark)
        for mark in (b"\\u00", b"\\b", b"\\f", b"\x7f", "\ufffe".encode(), "\uffff".encode())
    )
)

_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 0x1B: "ESC", 0x7F: "DEL"}


def storage_problems(data: Any, prefix: Parts = ()) -> tuple[list[Problem], Any]:
    """Values that cannot be written out at all, and the data without the worst of them.

    Text holding a lone surrogate (which JSON escapes allow) cannot be stored
    as UTF-8; text holding a control character (see ``_CONTROL``) cannot go in
    a calendar or a workbook; an integer past 64 bits cannot be written by the
    JSON writers, and one of more than 4,300 digits cannot even be printed by
    Python, so it would break the schema validator's messages. Such integers
    are replaced by ``None`` in the data returned, for the other checks to run on.
    ``prefix`` is the path of ``data`` in the dataset (a record's, say).

    orjson serialises the data at C speed and refuses surrogates and large
    integers; only when it does, or its output holds an escaped control
    character, is the data walked to name each place.
    """
    if plainly_storable(data):
        return [], data
    out: list[Problem] = []
    oversized: list[Parts] = []
    stack: list[tuple[Any, Parts]] = [(data, prefix)]
    while stack:
        value, parts = stack.pop()
        if isinstance(value, str):
            if not _encodable(value):
                out.append(_surrogate_problem(parts, "text"))
            control = _CONTROL.search(value)
            if control:
                out.append(_control_problem(parts, control))
        elif type(value) is int and not _LEAST_INT <= value <= _MOST_INT:
            from .schema_words import describe_value  # for a problem only

            out.append(
                Problem(
                    json_path(parts),
                    f"{describe_value(value)[:1].upper()}{describe_value(value)[1:]} is too "
                    f"large to store; whole numbers go up to {_schema.LARGEST_WHOLE_NUMBER:,}.",
                    code="too-large",
                )
            )
            oversized.append(parts[len(prefix) :])
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and not _encodable(key):
                    out.append(_surrogate_problem((*parts, key), "key"))
                stack.append((item, (*parts, key)))
        elif isinstance(value, list):
            stack.extend((v, (*parts, i)) for i, v in enumerate(value))
    return out, _without(data, oversized)


def plainly_storable(data: Any) -> bool:
    """Whether :func:`storage_problems` would find nothing in ``data``, asked at C speed.

    orjson serialises the data and refuses surrogates and large integers;
    the data is plainly storable when it does not, and its output holds no
    escaped control character. ``False`` means: walk it to find out.
    """
    try:
        serialised = orjson.dumps(data)
    except TypeError:
        return False
    # One scan in C for all six marks.
    return not _SERIALISED_CONTROLS.search(serialised)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _surrogate_problem(parts: Parts, what: str) -> Problem:
    return Problem(
        json_path(parts),
        f"This {what} holds a lone surrogate (an unpaired \\ud800-\\udfff escape), "
        "which no file can store as UTF-8; remove or correct it.",
        code="bad-text",
    )


def _control_problem(parts: Parts, found: re.Match[str]) -> Problem:
    code = ord(found.group())
    if code >= 0xFFFE:
        return Problem(
            json_path(parts),
            f"This text holds the non-character U+{code:04X} at position {found.start()}, "
            "which no workbook can hold (XML excludes it); remove it.",
            code="control-character",
        )
    name = f" ({_CONTROL_NAMES[code]})" if code in _CONTROL_NAMES else ""
    return Problem(
        json_path(parts),
        f"This text holds the control character U+{code:04X}{name} at position "
        f"{found.start()}, which no calendar or workbook can hold; remove it "
        "(tabs and line breaks are fine).",
        code="control-character",
    )


def _without(data: Any, places: list[Parts]) -> Any:
    """``data`` with the value at each place replaced by ``None``, copying only what changes."""
    if not places:
        return data
    if () in places:
        return None
    heads: dict[Any, list[Parts]] = {}
    for parts in places:
        heads.setdefault(parts[0], []).append(parts[1:])
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    for head, rests in heads.items():
        copy[head] = _without(copy[head], rests)
    return copy
