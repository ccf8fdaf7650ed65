"""Off-the-shelf date parsers on the date phrases of news copy, against storyfacts' drafter.

    pip install -e '.[bench]' && python benchmarks/date_parsers.py

Each phrase is resolved against Wednesday 22 March 2023 (the bundled story's
publication date) and compared with what it honestly means: a day, an ISO
week, a month or a year. A parser returns one datetime, so it is scored
lenient ("in span": the day it returns lies inside what the phrase means)
and strict (day-precision phrases only: the very day). The drafter is scored
on the same phrases, strictly on value and precision. Each phrase is given
alone, the easiest case for the parsers.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import warnings
from collections.abc import Callable

from storyfacts.drafting.dates import date_mentions
from storyfacts.model import PartialDate

BASE = dt.datetime(2023, 3, 22, 12, 0)

#: (phrase, value, precision), as the drafter's tests and the gold set mean them.
PHRASES: list[tuple[str, str, str]] = [
    ("today", "2023-03-22", "day"),
    ("yesterday", "2023-03-21", "day"),
    ("tomorrow", "2023-03-23", "day"),
    ("this week", "2023-W12", "week"),
    ("next week", "2023-W13", "week"),
    ("last week", "2023-W11", "week"),
    ("next month", "2023-04", "month"),
    ("last year", "2022", "year"),
    ("next year", "2024", "year"),
    ("from April", "2023-04", "month"),
    ("in February last year", "2022-02", "month"),
    ("in November", "2022-11", "month"),
    ("next spring", "2024", "year"),
    ("in 2024", "2024", "year"),
    ("on Monday", "2023-03-20", "day"),
    ("next Friday", "2023-03-24", "day"),
    ("last Monday", "2023-03-20", "day"),
    ("10 March", "2023-03-10", "day"),
    ("March 10, 2021", "2021-03-10", "day"),
    ("in May 2019", "2019-05", "month"),
]

Parser = Callable[[str], dt.date | None]


def _dateparser() -> Parser:
    import dateparser

    settings = {"RELATIVE_BASE": BASE, "PREFER_DATES_FROM": "current_period"}

    def parse(phrase: str) -> dt.date | None:
        found = dateparser.parse(phrase, settings=settings, languages=["en"])
        return None if found is None else found.date()

    return parse


def _dateparser_search() -> Parser:
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": BASE}

    def parse(phrase: str) -> dt.date | None:
        found = search_dates(phrase, settings=settings, languages=["en"])
        return None if not found else found[0][1].date()

    return parse


def _parsedatetime() -> Parser:
    import parsedatetime

    calendar = parsedatetime.Calendar(version=parsedatetime.VERSION_CONTEXT_STYLE)

    def parse(phrase: str) -> dt.date | None:
        found, context = calendar.parseDT(phrase, sourceTime=BASE)
        return found.date() if context.hasDate else None

    return parse


def _dateutil() -> Parser:
    from dateutil import parser

    def parse(phrase: str) -> dt.date | None:
        try:
            return parser.parse(phrase, default=BASE, fuzzy=True).date()
        except (ValueError, OverflowError):
            return None

    return parse


def _score(parse: Parser) -> tuple[int, int, int, int, float]:
    parsed = in_span = exact = days = 0
    started = time.perf_counter()
    for phrase, value, precision in PHRASES:
        expected = PartialDate(value=value, precision=precision)  # type: ignore[arg-type]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = parse(phrase)
        if precision == "day":
            days += 1
        if found is None:
            continue
        parsed += 1
        if expected.earliest() <= found <= expected.latest():
            in_span += 1
            exact += precision == "day"
    return parsed, in_span, exact, days, time.perf_counter() - started


def _drafter() -> tuple[int, int, int]:
    right = found = 0
    for phrase, value, precision in PHRASES:
        body = f"The talks happened {phrase} as planned."
        mentions = date_mentions(body, BASE.date())
        if mentions:
            found += 1
            right += (mentions[0].value, mentions[0].precision) == (value, precision)
    return found, right, len(PHRASES)


def main() -> None:
    parsers: dict[str, Callable[[], Parser]] = {
        "dateparser.parse": _dateparser,
        "dateparser.search_dates": _dateparser_search,
        "parsedatetime": _parsedatetime,
        "dateutil (fuzzy)": _dateutil,
    }
    total = len(PHRASES)
    print(f"{total} phrases, resolved against {BASE.date()} (a Wednesday)\n")
    print("| parser | parsed | day inside the meant span | exact day (day phrases) | time |")
    print("|---|---|---|---|---|")
    for name, make in parsers.items():
        try:
            parse = make()
        except ImportError:
            print(f"| {name} | not installed | | | |", file=sys.stderr)
            continue
        parsed, in_span, exact, days, seconds = _score(parse)
        print(
            f"| {name} | {parsed}/{total} | {in_span}/{total} | {exact}/{days} | "
            f"{seconds * 1000:.0f} ms |"
        )
    found, right, total = _drafter()
    print(f"\nstoryfacts drafter: {found}/{total} found, {right}/{total} right value and precision")


if __name__ == "__main__":
    main()
