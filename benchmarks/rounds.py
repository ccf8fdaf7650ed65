"""Timing in interleaved rounds: what is compared takes turns, and the best run of each counts.

On a shared machine one run of a two-second write can take half as long
again as the next, and a burst of load lasts seconds to minutes. When an
export and its floor are each timed once, minutes apart, the burst falls on
one of them and their ratio moves by more than the 25% the targets allow.
So :func:`race` runs them in rounds: in each round every group (an export,
its floors and its peers) runs in turn, each entrant of it once and in the
same order (export, floor, peer, ..., then the next format), and each
entrant is reported by the least of its runs. A burst then falls on all of
them alike, and what is compared is the least disturbed run of each.

How many rounds: :func:`rounds_for` the slower of a group's entrants that
lead (the export and its floors), from their first runs: three when that is
under :data:`SHORT_RUN` seconds, two above, which keeps ``run.py --full``
well within its hour (the workbook at 100,000 statements, whose floor takes
half a minute and each peer more than a minute, and the tablib peers,
which follow, are what take two). An entrant that
follows (a peer) runs in as many of those rounds as its own first run
allows. A run that raises ends that entrant, with its error kept; one that
declines (returns ``None``, for a budget) ends it without an error; if the
first entrant of a group (the export the others are measured against)
fails or declines in round 1, the rest of its group does not run. Before a
group runs in a round after the first, ``afford`` is asked about that round
of the group as a whole (its estimated seconds), so that a budget cuts
whole rounds and the entrants of a group keep the same count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["SHORT_RUN", "Entrant", "Timing", "race", "rounds_for"]

#: A first run shorter than this (seconds) earns three rounds; a longer one two.
SHORT_RUN = 15.0


def rounds_for(seconds: float) -> int:
    """How many rounds an entrant whose first run took ``seconds`` is timed in."""
    return 3 if seconds < SHORT_RUN else 2


@dataclass(frozen=True)
class Entrant:
    """One thing timed in the rounds: ``run()`` runs it once and returns the seconds it took.

    ``run`` keeps its own clock, so that what it does before and after (a
    fresh path made, an output removed, a request sent to another process)
    is not counted. It may return ``None`` instead when it declines to run
    (a budget that cannot take it): then it takes no further part.
    ``leads``: whether its first run sets how many rounds there are (the
    export and its floors); a peer only follows.
    """

    name: str
    run: Callable[[], float | None]
    leads: bool = True


@dataclass
class Timing:
    """Every run of one entrant, in seconds; its best is the least."""

    times: list[float] = field(default_factory=list)
    #: How many rounds it is to run in, once its first run is known (0: none).
    planned: int = 0
    error: str | None = None
    #: Whether it declined a run (for a budget) rather than failing.
    declined: bool = False

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def rounds(self) -> int:
        """How many runs the best is the best of."""
        return len(self.times)


def race(
    groups: Sequence[Sequence[Entrant]],
    *,
    rounds: Callable[[float], int] = rounds_for,
    afford: Callable[[int, int, float], bool] = lambda group, round_number, estimate: True,
) -> list[dict[str, Timing]]:
    """Time each group's entrants in interleaved rounds; their runs, by name, group by group.

    A group is what is compared together: an export, its floors and its
    peers. Each round runs every group in turn, and in a group every
    entrant once, in order, so that an export and its floor always run one
    right after the other. After round 1 each group has its number of
    rounds: ``rounds`` of the slowest first run among its entrants that
    lead (or among all, when none leads); a follower runs in the fewer of
    that and ``rounds`` of its own first run. Before a
    group runs in a further round, ``afford(group index, round number,
    estimated seconds)`` must allow it (the estimate is the sum of the first
    runs of its entrants in that round); a round refused ends that group's
    runs, and every entrant of it keeps the same count.
    """
    timings = [{entrant.name: Timing() for entrant in group} for group in groups]
    for group, timing in zip(groups, timings, strict=True):
        for position, entrant in enumerate(group):
            if not _run(entrant, timing[entrant.name]) and position == 0:
                break
        _plan(group, timing, rounds)
    last = max((t.planned for timing in timings for t in timing.values()), default=1)
    ended: set[int] = set()
    for round_number in range(2, last + 1):
        for index, (group, timing) in enumerate(zip(groups, timings, strict=True)):
            running = [e for e in group if _runs_in(timing[e.name], round_number)]
            if index in ended or not running:
                continue
            if not afford(index, round_number, sum(timing[e.name].times[0] for e in running)):
                for entrant in running:
                    timing[entrant.name].planned = round_number - 1
                ended.add(index)
                continue
            for entrant in running:
                _run(entrant, timing[entrant.name])
    return timings


def _plan(
    group: Sequence[Entrant],
    timing: dict[str, Timing],
    rounds: Callable[[float], int],
) -> None:
    """Set how many rounds each entrant of ``group`` that ran once is to run in."""
    first = {e.name: timing[e.name].times[0] for e in group if timing[e.name].times}
    if not first:
        return
    leading = [first[e.name] for e in group if e.leads and e.name in first]
    total = rounds(max(leading or first.values()))
    for entrant in group:
        if entrant.name not in first:
            continue
        own = total if entrant.leads else rounds(first[entrant.name])
        timing[entrant.name].planned = min(total, own)


def _runs_in(timing: Timing, round_number: int) -> bool:
    return timing.error is None and not timing.declined and round_number <= timing.planned


def _run(entrant: Entrant, timing: Timing) -> bool:
    """Run ``entrant`` once; whether it ran (a failure is kept, and ends it, as declining does)."""
    try:
        seconds = entrant.run()
    except Exception as error:  # an entrant refusing the work is a result too
        timing.error = f"{type(error).__name__}: {error}"
        timing.planned = len(timing.times)
        return False
    if seconds is None:
        timing.declined = True
        timing.planned = len(timing.times)
        return False
    timing.times.append(seconds)
    return True
