"""iCalendar content lines as bytes: a component's lines, folded as RFC 5545 asks.

Folding is the one part of writing a calendar where icalendar's own code was
most of the time of a large export, so it is done here by arithmetic, at
exactly the places icalendar folds (a test compares the two on many lines).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import icalendar

__all__ = ["FOLD_AT", "folded", "serialised"]

#: A content line is folded before it reaches this many octets (RFC 5545, 3.1).
FOLD_AT = 75
#: Octets that open an escape (a TEXT backslash, an RFC 6868 caret).
_KEPT_WITH_NEXT = b"\\^"


def serialised(component: icalendar.Component) -> bytes:
    """``component.to_ical()``, with the lines folded by :func:`folded`."""
    return b"".join(folded(line) + b"\r\n" for line in component.content_lines() if line)


def folded(line: str) -> bytes:
    """The content line as icalendar folds it (``Contentline.to_ical``), in far less time.

    icalendar looks at each character in turn, most of the time of a large
    calendar; this cuts the encoded line at the same places by arithmetic. A
    line is cut before the character that would make it 75 octets, never
    inside a UTF-8 character, and a backslash or caret that would end a line
    moves to the next one, so that an escape is not split (icalendar #1501).
    tests/test_export_ics.py checks it against icalendar on many lines.
    """
    encoded = line.encode("utf-8")
    if len(encoded) < FOLD_AT:
        return encoded
    parts = []
    start = 0
    while len(encoded) - start >= FOLD_AT:
        end = start + FOLD_AT - 1
        while encoded[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        if encoded[end - 1] in _KEPT_WITH_NEXT:
            end -= 1
        parts.append(encoded[start:end])
        start = end
    parts.append(encoded[start:])
    return b"\r\n ".join(parts)
