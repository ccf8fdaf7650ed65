"""A date as a story gives it: known to the year, month, ISO week or day.

``PartialDate`` is part of the model (``storyfacts.PartialDate``); it lives
apart because it is the one model class with arithmetic of its own (the
earliest and latest day a partial date can mean, ISO weeks, month lengths).
The arithmetic itself, and :func:`modified_moment` (how a dataset's
``modified`` time is read), live in :mod:`storyfacts.date_spans`, which the
date checks of validation import without the model (issue 11).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

import attrs

from .date_spans import first_day, last_day, modified_moment
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
        return first_day(self.value)

    def latest(self) -> dt.date:
        """The last day the date can mean (``2023-04`` gives 30 April 2023).

        An ISO week (``2023-W13``) ends on its Sunday.
        """
        return last_day(self.value)

    def as_date(self) -> dt.date | None:
        """The exact date, or ``None`` when only the year or month is known."""
        return self.earliest() if self.precision == "day" else None

    def __str__(self) -> str:
        return self.value


_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z", re.ASCII)
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})\Z", re.ASCII)
