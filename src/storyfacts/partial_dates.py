"""A date as a story gives it: known to the year, month, ISO week or day.

``PartialDate`` is part of the model (``storyfacts.PartialDate``); it lives
apart because it is the one model class with arithmetic of its own (the
earliest and latest day a partial date can mean, ISO weeks, month lengths).
:func:`modified_moment`, how a dataset's ``modified`` time is read, is here
too, so that the date checks of validation need not import the model (0.6
MiB of the command's peak memory; issue 11).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Literal

import attrs

from .fieldtypes import checked_fields

__all__ = ["PartialDate", "Precision", "modified_moment"]

Precision = Literal["year", "month", "week", "day"]


@attrs.define(kw_only=True, field_transformer=checked_fields)
class PartialDate:
    """A date known to the year, month, ISO week or day, with the story's phrase and its source."""

    value: str
    precision: Precision
    phrase: str | None = None
    source: str | None = None
    inferred: bool | None = None

    @classmethod
    def parse(
        cls,
        value: str | dt.date,
        phrase: str | None = None,
        *,
        source: str | None = None,
        inferred: bool | None = None,
    ) -> PartialDate:
        """A partial date from ISO text, its precision read from the form.

        ``PartialDate.parse("2023-04", phrase="from April")`` is April 2023 at
        month precision; ``"2024"`` is a year, ``"2023-W13"`` an ISO week,
        ``"2023-03-22"`` a day, and a :class:`datetime.date` a day too. Text
        in any other form, or naming a day that does not exist, raises
        :class:`ValueError` saying why.
        """
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            text = value.isoformat()
        elif isinstance(value, str):
            text = value
        else:
            raise TypeError(
                f"PartialDate.parse takes ISO text or a date, not {type(value).__name__}."
            )
        week = _ISO_WEEK.match(text)
        if week is not None:
            try:
                dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
            except ValueError as error:
                raise ValueError(f"{text!r} is not a week that exists: {error}.") from None
            return cls(
                value=text, precision="week", phrase=phrase, source=source, inferred=inferred
            )
        match = _ISO_PARTIAL.match(text)
        if match is None:
            raise ValueError(
                f"{text!r} is not a date as YYYY, YYYY-MM, YYYY-MM-DD or an ISO week "
                "YYYY-Www (such as 2024, 2023-04, 2023-03-22 or 2023-W13)."
            )
        year, month, day = match.groups()
        try:
            dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError as error:
            raise ValueError(f"{text!r} is not a date that exists: {error}.") from None
        precision: Precision = "day" if day else "month" if month else "year"
        return cls(value=text, precision=precision, phrase=phrase, source=source, inferred=inferred)

    def earliest(self) -> dt.date:
        """The first day the date can mean (``2023-04`` gives 1 April 2023).

        An ISO week (``2023-W13``) starts on its Monday.
        """
        if "W" in self.value:
            year, week = _week(self.value)
            return dt.date.fromisocalendar(year, week, 1)
        year, month, day = _parts(self.value)
        return dt.date(year, month or 1, day or 1)

    def latest(self) -> dt.date:
        """The last day the date can mean (``2023-04`` gives 30 April 2023).

        An ISO week (``2023-W13``) ends on its Sunday.
        """
        if "W" in self.value:
            year, week = _week(self.value)
            return dt.date.fromisocalendar(year, week, 7)
        year, month, day = _parts(self.value)
        month = month or 12
        return dt.date(year, month, day or calendar.monthrange(year, month)[1])

    def as_date(self) -> dt.date | None:
        """The exact date, or ``None`` when only the year or month is known."""
        return self.earliest() if self.precision == "day" else None

    def __str__(self) -> str:
        return self.value


def _week(value: str) -> tuple[int, int]:
    year, _, week = value.partition("-W")
    return int(year), int(week)


_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z", re.ASCII)
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})\Z", re.ASCII)


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
