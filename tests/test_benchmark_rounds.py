"""benchmarks/rounds.py: what is compared takes turns, round by round, and the best run counts.

The entrants here are fake: each returns the seconds it is told to, so the
schedule is tested without a clock.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
import rounds  # benchmarks/, on the path through pytest's pythonpath


def _entrant(
    name: str, times: Iterable[float | None], log: list[str], *, leads: bool = True
) -> rounds.Entrant:
    """An entrant that notes each run in ``log`` and takes the next of ``times`` seconds."""
    pending = iter(times)

    def run() -> float | None:
        log.append(name)
        return next(pending)

    return rounds.Entrant(name, run, leads=leads)


def _failing(name: str, times: Iterable[float], log: list[str]) -> rounds.Entrant:
    """An entrant that takes ``times`` seconds and then raises."""
    pending = iter(times)

    def run() -> float:
        log.append(name)
        for seconds in pending:
            return seconds
        raise OSError("disk full")

    return rounds.Entrant(name, run)


def test_groups_take_turns_round_by_round_each_entrant_once_a_round() -> None:
    log: list[str] = []
    csv = [
        _entrant("csv", [1.0, 1.0, 1.0], log),
        _entrant("csv.writer", [1.0, 1.0, 1.0], log),
        _entrant("pandas", [1.0, 1.0, 1.0], log, leads=False),
    ]
    json = [_entrant("json", [1.0, 1.0, 1.0], log), _entrant("json.dumps", [1.0] * 3, log)]
    rounds.race([csv, json])
    one_round = ["csv", "csv.writer", "pandas", "json", "json.dumps"]
    assert log == one_round * 3


def test_each_is_reported_by_its_least_run_and_how_many_runs_that_is_the_best_of() -> None:
    log: list[str] = []
    [timings] = rounds.race(
        [[_entrant("csv", [2.0, 1.5, 1.8], log), _entrant("csv.writer", [1.2, 1.6, 1.1], log)]]
    )
    assert timings["csv"].times == [2.0, 1.5, 1.8]
    assert (timings["csv"].best, timings["csv"].rounds) == (1.5, 3)
    assert (timings["csv.writer"].best, timings["csv.writer"].rounds) == (1.1, 3)


@pytest.mark.parametrize(
    ("export", "floor", "expected"),
    [
        (0.2, 0.3, 3),  # both short
        (14.9, 1.0, 3),
        (1.0, 15.0, 2),  # the floor is the slower, and it is long
        (23.0, 38.0, 2),
    ],
)
def test_the_slower_of_the_export_and_its_floor_sets_the_rounds_of_both(
    export: float, floor: float, expected: int
) -> None:
    log: list[str] = []
    [timings] = rounds.race(
        [[_entrant("xlsx", [export] * 3, log), _entrant("openpyxl", [floor] * 3, log)]]
    )
    assert timings["xlsx"].rounds == timings["openpyxl"].rounds == expected
    assert rounds.rounds_for(rounds.SHORT_RUN - 0.01) == 3
    assert rounds.rounds_for(rounds.SHORT_RUN) == 2


def test_a_peer_follows_within_the_rounds_of_the_group_and_its_own() -> None:
    log: list[str] = []
    quick_export = [_entrant("csv", [1.0] * 3, log), _entrant("csv.writer", [1.0] * 3, log)]
    slow_peer = _entrant("tablib", [17.0] * 3, log, leads=False)
    fast_peer = _entrant("pandas", [2.0] * 3, log, leads=False)
    long_export = [_entrant("xlsx", [23.0] * 3, log), _entrant("openpyxl", [38.0] * 3, log)]
    fast_beside_long = _entrant("pandas-xlsx", [1.0] * 3, log, leads=False)
    csv, xlsx = rounds.race(
        [[*quick_export, slow_peer, fast_peer], [*long_export, fast_beside_long]]
    )
    assert csv["tablib"].rounds == 2  # its own first run is long
    assert csv["pandas"].rounds == 3
    assert xlsx["pandas-xlsx"].rounds == 2  # never more than the group's
    # Round 3: csv, its floor and its quick peer; not the peer of 17 s, nor xlsx.
    assert log[-3:] == ["csv", "csv.writer", "pandas"]


def test_the_rounds_are_what_the_policy_says_one_each_above_the_detail_limit() -> None:
    log: list[str] = []
    json = [_entrant("json", [0.1], log)]
    csv = [_entrant("csv", [0.1], log), _entrant("pandas", [0.1], log, leads=False)]
    rounds.race([json, csv], rounds=lambda seconds: 1)
    assert log == ["json", "csv", "pandas"]


def test_an_entrant_that_fails_keeps_its_error_and_leaves_the_later_rounds() -> None:
    log: list[str] = []
    [timings] = rounds.race(
        [[_entrant("csv", [1.0, 0.9, 0.8], log), _failing("tablib", [3.0], log)]]
    )
    assert timings["tablib"].error == "OSError: disk full"
    assert timings["tablib"].times == [3.0]  # its one good run still counts
    assert log == ["csv", "tablib", "csv", "tablib", "csv"]
    assert timings["csv"].rounds == 3


def test_when_the_first_run_of_the_export_fails_its_group_stops_and_the_others_go_on() -> None:
    log: list[str] = []
    xlsx = [_failing("xlsx", [], log), _entrant("openpyxl", [1.0] * 3, log)]
    json = [_entrant("json", [0.1] * 3, log), _entrant("json.dumps", [0.2] * 3, log)]
    failed, done = rounds.race([xlsx, json])
    assert failed["xlsx"].error == "OSError: disk full" and failed["openpyxl"].times == []
    assert done["json"].rounds == done["json.dumps"].rounds == 3
    assert "openpyxl" not in log and log.count("xlsx") == 1


def test_an_entrant_that_declines_for_the_budget_runs_no_more_without_an_error() -> None:
    log: list[str] = []
    [timings] = rounds.race(
        [[_entrant("csv", [1.0] * 3, log), _entrant("tablib", [None], log, leads=False)]]
    )
    assert timings["tablib"].declined and timings["tablib"].error is None
    assert timings["tablib"].times == [] and log.count("tablib") == 1
    [nothing] = rounds.race([[_entrant("csv", [None], log), _entrant("csv.writer", [1.0], log)]])
    assert nothing["csv"].declined and nothing["csv.writer"].times == []


def test_the_budget_is_asked_for_whole_rounds_with_their_estimate() -> None:
    log: list[str] = []
    asked: list[tuple[int, int, float]] = []

    def afford(group: int, number: int, estimate: float) -> bool:
        asked.append((group, number, estimate))
        return not (group == 1 and number == 3)

    csv = [_entrant("csv", [1.0, 0.5, 0.5], log), _entrant("csv.writer", [2.0, 1.0, 1.0], log)]
    ics = [_entrant("ics", [0.5, 0.4, 0.3], log), _entrant("icalendar", [1.5, 1.0, 1.0], log)]
    first, second = rounds.race([csv, ics], afford=afford)
    assert asked == [(0, 2, 3.0), (1, 2, 2.0), (0, 3, 3.0), (1, 3, 2.0)]
    assert [second[name].rounds for name in ("ics", "icalendar")] == [2, 2]
    assert [second[name].planned for name in ("ics", "icalendar")] == [2, 2]
    assert [first[name].rounds for name in ("csv", "csv.writer")] == [3, 3]


def test_a_best_cannot_be_taken_of_no_runs() -> None:
    with pytest.raises(ValueError):
        _ = rounds.Timing().best
