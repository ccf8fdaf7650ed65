"""The days a partial date can mean, and the moment a dataset's ``modified`` time names.

The arithmetic of :class:`storyfacts.PartialDate` (its ``earliest`` and
``latest`` days) on plain text, apart from the model class, so that the date
checks of validation (an event must not end before it starts) import
neither the model nor its type checks: ``storyfacts validate`` of a 10 MB
file may take 30 MiB in all (issue 11).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = ["first_day", "last_day", "modified_moment"]


def first_day(value: str) -> dt.date:
    """The first day a partial date's ``value`` can mean (``2023-04``: 1 April 2023).

    An ISO week (``2023-W13``) starts on its Monday.
    """
    if "W" in value:
        year, week = _week(value)
        return dt.date.fromisocalendar(year, week, 1)
    year, month, day = _parts(value)
    return dt.date(year, month or 1, day or 1)


def last_day(value: str) -> dt.date:
    """The last day a partial date's ``value`` can mean (``2023-04``: 30 April 2023).

    An ISO week (``2023-W13``) ends on its Sunday.
    """
    if "W" in value:
        year, week = _week(value)
        return dt.date.fromisocalendar(year, week, 7)
    year, month, day = _parts(value)
    month = month or 12
    return dt.date(year, month, day or calendar.monthrange(year, month)[1])


def _week(value: str) -> tuple[int, int]:
    year, _, week = value.partition("-W")
    return int(year), int(week)


def _parts(value: str) -> tuple[int, int | None, int | None]:
    pieces = [int(p) for p in value.split("-")]
    pieces += [0] * (3 - len(pieces))
    return pieces[0], pieces[1] or None, pieces[2] or None


def modified_moment(text: str) -> dt.datetime:
    """RFC 3339 text as an aware datetime; ``ValueError`` for what Python cannot read.

    Python holds 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z: the year
    0000 raises ``ValueError`` here, and a time that leaves that range when
    moved to UTC (``9999-12-31T23:59:59-05:00``) raises ``OverflowError`` on
    ``astimezone``. Validation refuses both, so every export can use the time.
    """
    return dt.datetime.fromisoformat(re.sub(r"(T\d\d:\d\d):60", r"\1:59", text.upper()))
