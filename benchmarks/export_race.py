"""One format at one size in the benchmark's rounds: its export, its floors and its peers.

``run.py`` races every format of a size together (``rounds.race``): in each
round, each format's export (in a fresh export process, fresh_export.py),
then its floors and peers (in ``run.py``'s own process, writing the rows read
back from that export's first output), then the next format's. A
:class:`FormatRace` makes one format's entrants and turns their timings into
the benchmark's results: the best of each, how many runs that is the best
of, whether each contender wrote storyfacts' bytes, and the first export's
memory (the first, so that it is measured where it always was: after
loading and the exports of the formats before it, once each).

Each round's exports run in a process started for that round
(:class:`RoundProcesses`), so that every export timed is the first of its
format in its process, as a user's ``storyfacts export`` is: an export's
first run in a process does work its later runs skip (csv works out the
first and last day of every distinct date once a process, and compiles
its row makers: 1.32 s for the first export at 100,000 statements, 0.80-0.83 s
for the next two), and a best of runs in one process would leave that out.

Every run writes a path never used before, so that no run pays for
replacing an older output; the first export's output is kept (the
contenders read it, and their first output is compared with it), every
other output is removed after the clock stops.
"""

from __future__ import annotations

import filecmp
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import floors
import rounds
from fresh_export import ExportProcess

if TYPE_CHECKING:
    from run import Bench

__all__ = ["STORYFACTS", "FormatRace", "RoundProcesses", "same_bytes"]

#: The name of the export among a format's entrants.
STORYFACTS = "storyfacts"


class RoundProcesses:
    """The fresh export process of each round: the exports of round ``r`` run in one started for it.

    The rounds go in order (every group's round 1, then every group's round
    2), so the process of a round is started when its first export is asked
    for, and the one before it is closed then. ``start`` makes a process
    (``ExportProcess``, or a fake in the tests); ``on_start(process)`` is
    told of each.
    """

    def __init__(
        self,
        start: Callable[[], ExportProcess],
        on_start: Callable[[ExportProcess], object] = lambda process: None,
    ) -> None:
        self._start, self._on_start = start, on_start
        self.round = 0
        self._current: ExportProcess | None = None

    def started(self, number: int) -> bool:
        """Whether the process of round ``number`` is up already."""
        return self._current is not None and self.round == number

    def of_round(self, number: int) -> ExportProcess:
        """The process of round ``number``, started if it is not up yet."""
        if not self.started(number):
            self.close()
            self.round = number
            self._current = self._start()
            self._on_start(self._current)
        assert self._current is not None
        return self._current

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None


class FormatRace:
    """One format at ``n`` statements: the entrants, and what their runs measured."""

    def __init__(
        self,
        bench: Bench,
        processes: RoundProcesses,
        n: int,
        name: str,
        *,
        detailed: bool,
        peers: bool = True,
    ) -> None:
        self.bench, self.processes, self.n, self.name = bench, processes, n, name
        #: How many exports were asked for: the round of the next is one more.
        self.asked = 0
        self.output = bench.workdir / f"exports-{n}" / f"{name}-storyfacts{bench.extensions[name]}"
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.detailed = detailed
        #: The fresh process's answer for the first export (its memory).
        self.first: dict[str, Any] | None = None
        #: Why the first export failed, if it did.
        self.failure: str | None = None
        #: The calls the export process timed (check=False where it had to).
        self.calls: set[str] = set()
        lineup = floors.contenders(name, self.output) if detailed else []
        self.lineup = [c for c in lineup if peers or c.role == "floor"]
        #: Whether each contender's first output held storyfacts' bytes.
        self.same: dict[str, bool] = {}
        self.primed = False
        # Floors first, right after the export; then the peers, cheapest first.
        ordered = sorted(
            self.lineup,
            key=lambda c: (c.role != "floor", self.bench.estimate(self.what(c), n) or 0.0),
        )
        self.entrants = [
            rounds.Entrant(STORYFACTS, self.export),
            *(
                rounds.Entrant(c.name, self.contender_run(c), leads=c.role == "floor")
                for c in ordered
            ),
        ]

    def what(self, contender: floors.Contender) -> str:
        return f"{self.name} with {contender.name}"

    def estimate(self) -> float | None:
        """The first export's estimated seconds, from a smaller size (None: unknown)."""
        return self.bench.estimate(f"export {self.name}", self.n)

    def export(self) -> float | None:
        """One export in the round's fresh process; its seconds, as that process timed them."""
        path = self.output
        if self.first is None:
            estimate = self.estimate()
            self.bench.reserved -= estimate or 0.0
            if not self.bench.affordable(estimate, self.n, f"the {self.name} export"):
                return None
        else:
            path = self.bench.fresh(self.name, self.n, "storyfacts")
        self.asked += 1
        answer = self.processes.of_round(self.asked).export(self.name, path)
        if "error" in answer:
            _remove(path)
            if self.first is None:
                self.failure = answer["error"]
            raise RuntimeError(answer["error"])
        if self.first is None:
            self.first = answer
            self.bench.costs[(f"export {self.name}", self.n)] = answer["seconds"]
        else:
            _remove(path)
        self.calls.add(answer["call"])
        seconds: float = answer["seconds"]
        return seconds

    def contender_run(self, contender: floors.Contender) -> Callable[[], float | None]:
        """One run of ``contender`` writing a fresh path, timed here; the first primes it first."""
        what = self.what(contender)

        def run() -> float | None:
            first = contender.name not in self.same
            if first:
                assert self.first is not None  # the export ran first, or nothing does
                ours = self.first["seconds"]
                guess = self.bench.estimate(what, self.n, ours) or 0.0
                if not self.primed:
                    # Reading storyfacts' output back takes about as long as writing it.
                    guess += ours
                # The exports of the formats after this one come first.
                if not self.bench.affordable(guess, self.n, what, reserve=self.bench.reserved):
                    return None
                self.bench.log(f"{self.n:,} statements: {what}")
                contender.prime()
                self.primed = True
            path = self.bench.fresh(self.name, self.n, "other")
            path.parent.mkdir(exist_ok=True)
            try:
                started = time.perf_counter()
                contender.write(path)
                seconds = time.perf_counter() - started
                if first:
                    self.same[contender.name] = same_bytes(path, self.output)
                    self.bench.costs[(what, self.n)] = seconds
            finally:
                _remove(path)
            return seconds

        return run

    def record(self, timings: dict[str, rounds.Timing]) -> None:
        """Put what the rounds measured into the bench's results (and its notes)."""
        results, n, name = self.bench.results, self.n, self.name
        ours = timings[STORYFACTS]
        if self.failure is not None:
            results.notes.append(f"The {name} export failed at {n:,}: {self.failure}")
            return
        if ours.error is not None and not ours.times:
            results.notes.append(f"The {name} export failed at {n:,}: {ours.error}")
            return
        if self.first is None or not ours.times:
            return  # not run: the budget's note says so
        if ours.error is not None:
            results.notes.append(
                f"A later run of the {name} export at {n:,} failed ({ours.error}); "
                f"its best is of the {ours.rounds} that did not."
            )
        results.calls |= self.calls
        if any("check=False" in call for call in self.calls):
            results.notes.append(
                f"The {name} export at {n:,} was timed with check=False: the dataset could not "
                "be made known valid in the export process."
            )
        results.memory[(name, n)] = self.first
        entry: dict[str, Any] = {"storyfacts": ours.best, "rounds": ours.rounds, "contenders": {}}
        results.exports[(name, n)] = entry
        self.bench.outputs[(name, n)] = self.output
        if self.detailed and not self.lineup:
            results.notes.append(f"No raw floor is known for {name}; its time stands alone.")
        for contender in self.lineup:
            theirs = timings[contender.name]
            if theirs.error is not None and not theirs.times:
                results.notes.append(
                    f"{contender.name} could not write the {name} rows at {n:,}: {theirs.error}"
                )
                continue
            if not theirs.times:
                continue  # declined for the budget, which noted it
            entry["contenders"][contender.name] = {
                "role": contender.role,
                "time": theirs.best,
                "rounds": theirs.rounds,
                "same_bytes": self.same.get(contender.name, False),
            }


def same_bytes(ours: Path, theirs: Path) -> bool:
    """Whether two outputs (files, or directories of files) hold the same bytes."""
    if ours.is_dir() != theirs.is_dir():
        return False
    if not ours.is_dir():
        return filecmp.cmp(ours, theirs, shallow=False)
    names = sorted(p.relative_to(ours) for p in ours.rglob("*") if p.is_file())
    if names != sorted(p.relative_to(theirs) for p in theirs.rglob("*") if p.is_file()):
        return False
    return all(filecmp.cmp(ours / name, theirs / name, shallow=False) for name in names)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
