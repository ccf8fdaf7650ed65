"""Date phrases of news copy, resolved against the publication date with an honest precision.

"next week" from a Wednesday is the ISO week after (precision ``week``), not a
day in it; "from April" is a month; "next spring" is known to the year only,
since a season is no calendar unit the schema has. Each phrase keeps its own
words and its place in the body, and the rule that resolved it with the
confidence that rule earns (see :data:`RULES`).

Off-the-shelf parsers were measured on these phrases before writing this
(``benchmarks/date_parsers.py``): they return a single datetime, so none can
say "a week" or "a month", and several resolve "last week" or "from April"
to a wrong day; see benchmarks/README.md for the numbers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator

import attrs

from .passages import Span, Spans

__all__ = ["RULES", "DateMention", "date_mentions"]

#: Rule name -> (confidence, what it matches), for docs/new-story.md.
RULES: dict[str, tuple[float, str]] = {
    "date-full": (0.95, "10 March 2023, March 10, 2023, 2023-03-10"),
    "date-day-month": (0.8, "10 March, March 10: the nearest such day to the publication date"),
    "month-year": (0.95, "March 2023"),
    "month-relative-year": (0.85, "February last year, in April next year"),
    "month-name": (0.7, "from April, in February: the nearest such month"),
    "relative-day": (0.9, "today, yesterday, tomorrow, tonight"),
    "relative-week": (0.85, "this week, next week, last week: an ISO week"),
    "relative-month": (0.85, "this month, next month, last month"),
    "relative-year": (0.9, "this year, next year, last year"),
    "season": (0.6, "next spring, last summer, the summer: known to the year only"),
    "weekend": (0.7, "this weekend, the weekend: the ISO week it ends"),
    "quarter": (0.75, "the fourth quarter, Q3 2024: known to the year only"),
    "weekday": (0.6, "on Monday, next Friday: the nearest such day, by tense"),
    "year": (0.9, "in 2024, 2023"),
}

_MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name: i for i, name in enumerate(calendar.month_abbr) if name and name != "May"})
_MONTHS["Sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAYS = {name: i for i, name in enumerate(calendar.day_name)}
_WEEKDAY = r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")"
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_PREPOSITION = r"(?:(?i:in|on|from|since|until|till|by|before|after|during|as\s+of)\s+)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?![\d,.]\d|%)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_RELATIVE = r"(?P<which>this|next|last|coming|past)"

_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|is\s+to|are\s+to|is\s+due|are\s+due|is\s+expected|are\s+expected|"
    r"scheduled\s+(?:for|to)|plans?\s+to|next|upcoming|would|going\s+to|expects?|forecasts?)\b",
    re.I,
)


# Past tense: a regular past ("voted", "forced") or a common irregular one.
_PAST = re.compile(
    r"\b(?:\w{3,}ed|was|were|had|did|said|told|went|won|met|began|took|came|made|held|left|"
    r"saw|gave|fell|rose|got|ran|spoke|wrote|led|lost|beat|broke|ago|previous|earlier)\b",
    re.I,
)


# Where one clause joins the next: "... 2023 and said in December ...".
_JOINS = re.compile(r"\b(?:and|but|while|whereas|which|who|after|before|because)\b")


def _tense(clause: str) -> int:
    """+1 for a clause about the future, -1 for the past, 0 when it does not say."""
    if _FUTURE.search(clause):
        return 1
    return -1 if _PAST.search(clause) else 0


@attrs.frozen
class DateMention:
    """A date phrase of the body and what it resolves to."""

    span: Span
    value: str
    precision: str
    rule: str
    #: True when the date depends on the publication date (relative or yearless).
    relative: bool

    @property
    def confidence(self) -> float:
        return RULES[self.rule][0]


Resolver = Callable[[re.Match[str], dt.date, str], tuple[str, str] | None]


def _nearest_month(month: int, published: dt.date) -> int:
    """The year of the month name nearest the publication date (six months either way)."""
    offset = month - published.month
    if offset > 6:
        return published.year - 1
    if offset < -6:
        return published.year + 1
    return published.year


def _nearest_day(month: int, day: int, published: dt.date) -> dt.date | None:
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - published).days), default=None)


def _day(match: re.Match[str], published: dt.date, _: str) -> tuple[str, str] | None:
    month = _MONTHS[match["month"]]
    day = int(match["day"])
    if match.re.groupindex.get("year") and match["year"]:
        try:
            return dt.date(int(match["year"]), month, day).isoformat(), "day"
        except ValueError:
            return None
    found = _nearest_day(month, day, published)
    return (found.isoformat(), "day") if found else None


def _iso_day(match: re.Match[str], _: dt.date, __: str) -> tuple[str, str] | None:
    try:
        return dt.date.fromisoformat(match["iso"]).isoformat(), "day"
    except ValueError:
        return None


def _month_year(match: re.Match[str], _: dt.date, __: str) -> tuple[str, str]:
    return f"{int(match['year']):04d}-{_MONTHS[match['month']]:02d}", "month"


def _month_relative_year(match: re.Match[str], published: dt.date, _: str) -> tuple[str, str]:
    shift = {"this": 0, "next": 1, "last": -1}[match["which"].lower()]
    return f"{published.year + shift:04d}-{_MONTHS[match['month']]:02d}", "month"


def _month_name(match: re.Match[str], published: dt.date, clause: str) -> tuple[str, str]:
    """The month named alone: "from April" looks ahead, "since April" back; "in April"
    follows the clause's tense ("finished in April", "will meet in April"), else the
    nearest April."""
    month = _MONTHS[match["month"]]
    lead = match.group()[: match.start("month") - match.start()].strip().lower()
    direction = {"from": 1, "until": 1, "till": 1, "by": 1, "since": -1}.get(lead)
    if direction is None:
        direction = _tense(clause)
    if direction > 0:
        year = published.year if month >= published.month else published.year + 1
    elif direction < 0:
        year = published.year if month <= published.month else published.year - 1
    else:
        year = _nearest_month(month, published)
    return f"{year:04d}-{month:02d}", "month"


def _relative_day(match: re.Match[str], published: dt.date, _: str) -> tuple[str, str]:
    shift = {"yesterday": -1, "tomorrow": 1}.get(match["word"].lower(), 0)
    return (published + dt.timedelta(days=shift)).isoformat(), "day"


def _shift(which: str) -> int:
    return {"this": 0, "next": 1, "coming": 1, "last": -1, "past": -1}[which.lower()]


def _relative_week(match: re.Match[str], published: dt.date, _: str) -> tuple[str, str]:
    year, week, _day = (published + dt.timedelta(weeks=_shift(match["which"]))).isocalendar()
    return f"{year:04d}-W{week:02d}", "week"


def _weekend(match: re.Match[str], published: dt.date, clause: str) -> tuple[str, str]:
    which = match["which"].lower()
    shift = _tense(clause) if which == "the" else _shift(which)
    if which == "the" and shift < 0 and published.weekday() >= 5:
        shift = 0  # "the weekend" said on a Saturday or Sunday, looking back: this one
    elif which == "the" and shift >= 0:
        shift = 0  # the coming weekend ends the publication's own ISO week
    year, week, _day = (published + dt.timedelta(weeks=shift)).isocalendar()
    return f"{year:04d}-W{week:02d}", "week"


_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def _quarter(match: re.Match[str], published: dt.date, clause: str) -> tuple[str, str]:
    """A calendar quarter, known to its year: "the fourth quarter" reported in January
    is last year's; in a clause about the future it is the next one of that number."""
    if match["year"]:
        return f"{int(match['year']):04d}", "year"
    number = _ORDINALS[match["ordinal"].lower()] if match["ordinal"] else int(match["number"])
    first_month = 3 * number - 2
    started = published >= dt.date(published.year, first_month, 1)
    if _tense(clause) > 0:
        ended = published > dt.date(published.year, first_month + 2, 28)
        return f"{published.year + 1 if ended else published.year:04d}", "year"
    return f"{published.year if started else published.year - 1:04d}", "year"


def _relative_month(match: re.Match[str], published: dt.date, _: str) -> tuple[str, str]:
    index = published.year * 12 + published.month - 1 + _shift(match["which"])
    return f"{index // 12:04d}-{index % 12 + 1:02d}", "month"


def _relative_year(match: re.Match[str], published: dt.date, _: str) -> tuple[str, str]:
    return f"{published.year + _shift(match['which']):04d}", "year"


def _season(match: re.Match[str], published: dt.date, clause: str) -> tuple[str, str]:
    first = _SEASONS[match["season"].lower()]
    if match["which"].lower() == "the":
        # "before the summer", "into the spring": the next one unless the clause is past.
        started = published >= dt.date(published.year, first, 1)
        if _tense(clause) < 0:
            return f"{published.year if started else published.year - 1:04d}", "year"
        ended = first != 12 and published >= dt.date(published.year, first + 2, 28)
        return f"{published.year + 1 if ended else published.year:04d}", "year"
    which = _shift(match["which"])
    # The season's start this year; winter starts in December.
    started = published >= dt.date(published.year, first, 1)
    ended = first != 12 and published >= dt.date(published.year, first + 2, 28)
    if which > 0:
        year = published.year + 1 if started else published.year
    elif which < 0:
        year = published.year if ended else published.year - 1
    else:
        year = published.year
    return f"{year:04d}", "year"


def _weekday(match: re.Match[str], published: dt.date, sentence: str) -> tuple[str, str]:
    target = _WEEKDAYS[match["weekday"]]
    which = (match["which"] or "").lower()
    ahead = (target - published.weekday()) % 7
    behind = (published.weekday() - target) % 7
    if which in ("next", "coming"):
        days = ahead or 7
    elif which in ("last", "past"):
        days = -(behind or 7)
    elif which == "this":
        days = ahead
    else:
        days = ahead if _FUTURE.search(sentence) else -behind
    return (published + dt.timedelta(days=days)).isoformat(), "day"


def _year(match: re.Match[str], _: dt.date, __: str) -> tuple[str, str]:
    return f"{int(match['year']):04d}", "year"


# In priority order: a longer phrase wins over the shorter ones inside it.
_PATTERNS: tuple[tuple[str, re.Pattern[str], Resolver, bool], ...] = tuple(
    (rule, re.compile(pattern, flags), resolve, relative)
    for rule, pattern, flags, resolve, relative in (
        ("date-full", rf"\b{_PREPOSITION}{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", 0, _day, False),
        ("date-full", rf"\b{_PREPOSITION}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", 0, _day, False),
        ("date-full", r"\b(?P<iso>\d{4}-\d\d-\d\d)\b", 0, _iso_day, False),
        (
            "month-relative-year",
            rf"\b{_PREPOSITION}{_MONTH}\s+(?i:(?P<which>this|next|last)\s+year)\b",
            0,
            _month_relative_year,
            True,
        ),
        ("month-year", rf"\b{_PREPOSITION}{_MONTH},?\s+{_YEAR}\b", 0, _month_year, False),
        ("date-day-month", rf"\b{_PREPOSITION}{_DAY}\s+{_MONTH}\b", 0, _day, True),
        ("date-day-month", rf"\b{_PREPOSITION}{_MONTH}\s+{_DAY}\b(?!,?\s*\d)", 0, _day, True),
        (
            "relative-day",
            r"\b(?P<word>today|tonight|yesterday|tomorrow)\b",
            re.I,
            _relative_day,
            True,
        ),
        (
            "relative-week",
            rf"\b(?:(?:earlier|later)\s+)?{_RELATIVE}\s+week\b",
            re.I,
            _relative_week,
            True,
        ),
        (
            "quarter",
            r"\b(?:(?i:the)\s+)?(?:(?P<ordinal>(?i:first|second|third|fourth))\s+(?i:quarter)"
            r"|Q(?P<number>[1-4]))(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d))?\b",
            0,
            _quarter,
            True,
        ),
        ("relative-month", rf"\b{_RELATIVE}\s+month\b", re.I, _relative_month, True),
        (
            "weekend",
            r"\b(?P<which>this|next|last|the|coming|past)\s+weekend\b",
            re.I,
            _weekend,
            True,
        ),
        ("relative-year", rf"\b{_RELATIVE}\s+year\b", re.I, _relative_year, True),
        (
            "season",
            r"\b(?P<which>this|next|last|the)\s+(?P<season>spring|summer|autumn|fall|winter)\b",
            re.I,
            _season,
            True,
        ),
        (
            "weekday",
            rf"\b{_PREPOSITION}(?:(?i:(?P<which>this|next|last|coming|past))\s+)?{_WEEKDAY}\b",
            0,
            _weekday,
            True,
        ),
        ("month-name", rf"\b{_PREPOSITION}{_MONTH}(?!\s+\d)\b", 0, _month_name, True),
        ("year", rf"\b{_PREPOSITION}{_YEAR}\b", 0, _year, False),
    )
)


def _may_is_month(match: re.Match[str]) -> bool:
    """ "May" is the month after a preposition or beside a day or a year, else the verb."""
    before = match.group()[: match.start("month") - match.start()]
    return bool(before.strip()) or bool(
        (match.re.groupindex.get("day") and match["day"]) or match.re.groupindex.get("year")
    )


def _clause(body: str, start: int, end: int) -> str:
    """The words around a phrase whose verb says whether it is past or future.

    "It will decide next week, its president said on Monday": the Monday
    belongs to "said", not to "will decide". Within the clause, the words
    before the phrase govern it when they have a tense ("cut jobs and said
    in December it would cut more": December goes with "said").
    """
    stops = ".,;:\n"
    first = max(body.rfind(c, 0, start) for c in stops) + 1
    after = [i for i in (body.find(c, start) for c in stops) if i >= 0]
    clause = body[first : min(after) if after else len(body)]
    lead = body[first:start]
    joins = list(_JOINS.finditer(lead))
    if joins:
        lead = lead[joins[-1].end() :]
    return lead if _tense(lead) else clause


def date_mentions(body: str, published: dt.date) -> list[DateMention]:
    """Every date phrase of the body, resolved against ``published``, in body order."""
    taken = Spans()
    found: list[DateMention] = []
    for rule, pattern, resolve, relative in _PATTERNS:
        for match in pattern.finditer(body):
            span = Span(*match.span())
            if taken.overlaps(span):
                continue
            if (
                match.re.groupindex.get("month")
                and match["month"] == "May"
                and not _may_is_month(match)
            ):
                continue
            resolved = resolve(match, published, _clause(body, span.start, span.end))
            if resolved is None:
                continue
            taken.add(span)
            found.append(DateMention(span, *resolved, rule=rule, relative=relative))
    return sorted(found, key=lambda m: m.span.start)


def iter_phrases(body: str, published: dt.date) -> Iterator[tuple[str, str, str]]:
    """(phrase, value, precision) of each mention: a compact view for tests and benchmarks."""
    for mention in date_mentions(body, published):
        yield mention.span.text(body), mention.value, mention.precision
