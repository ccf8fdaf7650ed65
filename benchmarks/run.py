"""The storyfacts benchmark: every target of issue 11, each printed with its ratio and verdict.

``python benchmarks/run.py`` measures 10,000 and 100,000 statements: start-up,
whole-process validation (speed and memory), a dataset checked once (these
three by running ``startup.py``, ``validate_cli.py`` and ``checked_once.py``),
every export against its floor and peers, reading a workbook back, the
memory of each export, and ``storyfacts validate`` and ``storyfacts export``
on the command line. ``--full`` adds 1,000,000 statements (exports and their
memory), ``--quick`` measures 10,000 and 100,000 within a two-minute budget,
most telling measurements first, and lists what did not fit. Each export and
its floor and peers take turns in rounds, and the best run of each counts
(``rounds.py``, ``export_race.py``). The report is
printed and written to ``benchmarks/results/latest.md`` and a dated copy;
``--update-readme`` also rewrites the table of targets in the README.
``benchmarks/README.md`` explains each measurement and why it is fair.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import export_race  # noqa: E402
import floors  # noqa: E402
import fresh_export  # noqa: E402
import generate  # noqa: E402
import process_tree  # noqa: E402
import report  # noqa: E402
import rounds  # noqa: E402
import standalone  # noqa: E402
import validate_cli  # noqa: E402

import storyfacts  # noqa: E402
from storyfacts import validation  # noqa: E402
from storyfacts.convert import converter  # noqa: E402

__all__ = ["FULL", "QUICK", "STANDARD", "Plan", "Results", "main"]

#: The exporters the issue names; any of them missing is reported, not fatal.
EXPECTED_FORMATS = ("csv", "ics", "json", "jsonld", "xlsx")


@dataclass(frozen=True)
class Plan:
    """What one run measures."""

    mode: str
    sizes: tuple[int, ...]
    #: Plain jsonschema runs on a whole dataset of each of these sizes; other
    #: sizes are extrapolated linearly from the largest (it needs about a
    #: millisecond a statement, so 100,000 statements take minutes).
    plain_sizes: tuple[int, ...]
    cli_size: int = 100_000
    #: Seconds the whole run may take; a measurement whose estimated cost
    #: would pass it is skipped with a note. None: measure everything.
    budget: float | None = None
    #: Above this size only the exports and their memory are measured: the
    #: peers, floors and reading back at a million statements would take hours.
    detail_limit: int = 100_000
    #: Whether startup.py, validate_cli.py and checked_once.py run too.
    scripts: bool = True
    #: At most this many rounds of each export with its floors (None: as
    #: rounds.rounds_for says).
    most_rounds: int | None = None
    #: Whether the peers are measured; the quick mode leaves them out, for
    #: its budget (their targets are the least close).
    peers: bool = True


QUICK = Plan(
    "quick",
    (10_000, 100_000),
    plain_sizes=(5_000,),
    budget=105.0,
    scripts=False,
    most_rounds=2,
    peers=False,
)
STANDARD = Plan("standard", (10_000, 100_000), plain_sizes=(10_000,))
FULL = Plan("full", (10_000, 100_000, 1_000_000), plain_sizes=(10_000,))


@dataclass
class Results:
    """Everything one run measured, in seconds and MiB."""

    plan: Plan
    setup: dict[int, dict[str, float]] = field(default_factory=dict)
    validation: dict[int, dict[str, Any]] = field(default_factory=dict)
    exports: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    reading: dict[int, dict[str, float]] = field(default_factory=dict)
    memory: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    cli: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: What each standalone script printed, by its file name.
    scripts: dict[str, standalone.Script] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: The calls the export processes timed: a user's default call, unless a
    #: dataset could not be made known valid there (then a note says so).
    calls: set[str] = field(default_factory=set)
    formats: list[str] = field(default_factory=list)
    #: The formats whose exporters say they stream (memory flat in N is their target).
    streaming: list[str] = field(default_factory=list)
    elapsed: float = 0.0


def best_time(action: Callable[[], object]) -> float:
    """The fastest run of ``action`` in seconds: best of three when one run is under a second."""
    started = time.perf_counter()
    action()
    best = time.perf_counter() - started
    if best < 1.0:
        for _ in range(2):
            started = time.perf_counter()
            action()
            best = min(best, time.perf_counter() - started)
    return best


class Bench:
    """One benchmark run in a scratch directory."""

    def __init__(self, plan: Plan, workdir: Path, log: Callable[[str], None]) -> None:
        self.plan = plan
        self.workdir = workdir
        self.log = log
        self.results = Results(plan)
        self.started = time.perf_counter()
        #: Seconds each measurement took, by (what, size), to estimate larger sizes.
        self.costs: dict[tuple[str, int], float] = {}
        self.files: dict[int, tuple[Path, Path]] = {}
        self.outputs: dict[tuple[str, int], Path] = {}
        #: Seconds of exports still to come in this round 1, which the
        #: contenders' first runs leave to them under a budget.
        self.reserved = 0.0
        self.counter = 0
        self.extensions = {e.name: e.extension for e in storyfacts.formats()}

    # The budget ------------------------------------------------------------

    def estimate(self, what: str, n: int, fallback: float | None = None) -> float | None:
        """Linear estimate of ``what`` at ``n`` from the largest size measured so far."""
        known = [(size, cost) for (name, size), cost in self.costs.items() if name == what]
        if not known:
            return fallback
        size, cost = max(known)
        return cost * n / size

    def affordable(self, estimate: float | None, n: int, label: str, reserve: float = 0.0) -> bool:
        """Whether a measurement estimated at ``estimate`` seconds fits what is left.

        ``reserve``: seconds of what is left kept for measurements that come
        first. A skip is noted in the results. With no estimate the
        measurement runs while any budget is left.
        """
        if self.plan.budget is None:
            return True
        left = self.plan.budget - (time.perf_counter() - self.started)
        if left > 0 and (estimate is None or estimate + reserve <= left):
            return True
        guess = "unknown" if estimate is None else f"estimated {estimate:.0f} s"
        kept = f", {reserve:.0f} s of it kept for the exports still to come" if reserve else ""
        self.results.notes.append(
            f"{self.plan.mode.capitalize()} mode skipped {label} at {n:,} statements ({guess}, "
            f"{max(left, 0):.0f} s of the budget left{kept}); run without --quick to measure it."
        )
        return False

    def rounds_for(self, seconds: float) -> int:
        """The rounds of rounds.rounds_for, at most the plan's."""
        return min(rounds.rounds_for(seconds), self.plan.most_rounds or sys.maxsize)

    # The run ---------------------------------------------------------------

    def run(self) -> Results:
        names = sorted(e.name for e in storyfacts.formats())
        self.results.formats = names
        self.results.streaming = sorted(e.name for e in storyfacts.formats() if e.streams)
        for name in EXPECTED_FORMATS:
            if name not in names:
                self.results.notes.append(f"The {name} exporter is not installed; skipped.")
        try:
            from storyfacts.workbook import reader  # noqa: F401
        except ImportError:
            self.results.notes.append("The workbook reader is not installed; reading skipped.")
        # A child's peak memory counts its parent's at the fork, so what
        # weighs other processes runs while this one is still small: the
        # standalone scripts, writing the files, and the command line.
        if self.plan.scripts:
            self.run_scripts()
        for n in self.plan.sizes:
            self.write_dataset(n)
        # The command line at the target's size, or at the largest detailed size measured.
        detailed_sizes = [n for n in self.plan.sizes if n <= self.plan.detail_limit]
        cli = self.plan.cli_size if self.plan.cli_size in self.files else max(detailed_sizes)
        if self.plan.budget is None:
            self.measure_cli(cli, "validate", names)
            self.measure_cli(cli, "export", names)
            self.measure_cli(cli, "export -j 1", names)
        # Most telling first, so that a budgeted run drops the least: each
        # export at the smallest size with its floor and peers (in rounds:
        # every export, floor and peer once, then the later rounds),
        # validating from the command line, the exports at larger sizes
        # with their floors and peers (in round 1 a floor gives way to the
        # exports still to come: memory in N), reading back, and exporting
        # from the command line.
        self.measure_plain()
        first, *larger = self.plan.sizes
        detailed = [n for n in larger if n <= self.plan.detail_limit]
        for n in [first, *detailed]:
            self.prepare(n)
        if len(detailed) < len(larger):
            # The fresh export process loads these from their JSON files itself,
            # so this process never holds a dataset of a million statements.
            self.results.notes.append(
                f"Above {self.plan.detail_limit:,} statements only the exports and their memory "
                "are measured (no validation in process, floors, peers or reading back), so "
                "that the run stays within the hour; the export process loads the dataset with "
                "`storyfacts.load` rather than unpickling it."
            )
        if not self.plan.peers:
            self.results.notes.append(
                f"{self.plan.mode.capitalize()} mode measures no peers (tablib, pandas); "
                "run without --quick to measure them."
            )
        self.measure_exports(first, names)
        if self.plan.budget is not None:
            self.measure_cli(cli, "validate", names)
        for n in larger:
            self.measure_exports(n, names)
        for n in [first, *detailed]:
            self.measure_reading(n)
        if self.plan.budget is not None:
            self.measure_cli(cli, "export", names)
            self.measure_cli(cli, "export -j 1", names)
        self.results.elapsed = time.perf_counter() - self.started
        return self.results

    def run_scripts(self) -> None:
        """startup.py, validate_cli.py and checked_once.py, each in a process of its own."""
        sizes = ",".join(str(n) for n in self.plan.sizes if n <= self.plan.detail_limit)
        runs: list[tuple[str, list[str]]] = [
            ("startup.py", ["--venv", str(self.workdir / "startup-venv")]),
            ("validate_cli.py", ["--sizes", sizes]),
            ("checked_once.py", []),
        ]
        for name, args in runs:
            self.log(f"running {name} {' '.join(args)}")
            script = standalone.run_script(name, *args)
            self.results.scripts[name] = script
            if script.error:
                self.results.notes.append(f"{name} printed no table ({script.error}).")

    def write_dataset(self, n: int) -> None:
        """The dataset of ``n`` statements as a file, written by generate.py in its own process."""
        self.log(f"{n:,} statements: generating")
        path = self.workdir / f"dataset-{n}.json"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(n), "-o", str(path)], check=True
        )
        self.results.setup[n] = {
            "generate": time.perf_counter() - started,
            "megabytes": path.stat().st_size / 1e6,
        }
        # The exports load a pickled Dataset where prepare() makes one, else the file.
        pickled = self.workdir / f"dataset-{n}.pickle"
        self.files[n] = (path, pickled if n <= self.plan.detail_limit else path)

    def measure_plain(self) -> None:
        """Plain jsonschema on whole datasets of the plan's plain sizes."""
        from jsonschema import Draft202012Validator

        from storyfacts.schema import schema

        plain = Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
        for n in self.plan.plain_sizes:
            self.log(f"{n:,} statements: plain jsonschema")
            data = json.loads(json.dumps(generate.generate(n, seed=0)))
            started = time.perf_counter()
            errors = list(plain.iter_errors(data))
            seconds = time.perf_counter() - started
            self.results.validation.setdefault(n, {}).update(
                plain=seconds, plain_valid=not errors, plain_measured_at=n
            )

    def plain_at(self, n: int) -> dict[str, Any]:
        """Plain jsonschema's time at ``n``, extrapolated when it was not measured there."""
        measured = {
            size: row
            for size, row in self.results.validation.items()
            if row.get("plain_measured_at") == size
        }
        if n in measured or not measured:
            return {}
        size = max(measured)
        row = measured[size]
        return {
            "plain": row["plain"] * n / size,
            "plain_valid": row["plain_valid"],
            "plain_measured_at": size,
        }

    def prepare(self, n: int) -> None:
        """Validate and load the dataset of ``n`` statements; pickle it for the exports."""
        path, pickled = self.files[n]
        # Everything below works on data parsed from the file, as a user's
        # would be, not on the generator's objects (which share strings).
        data = json.loads(path.read_text(encoding="utf-8"))
        self.log(f"{n:,} statements: validating")
        found: list[storyfacts.Problem] = []

        def ours() -> None:
            found[:] = storyfacts.validate(data)

        row = self.results.validation.setdefault(n, {})
        row.update(
            storyfacts=best_time(ours),
            storyfacts_valid=not found,
            fast_path_valid=validation.is_schema_valid(data),
        )
        row.update(self.plain_at(n))
        # Validation was measured above; building the model is timed alone.
        started = time.perf_counter()
        dataset = converter.structure(data, storyfacts.Dataset)
        loaded = time.perf_counter() - started
        self.costs[("load", n)] = loaded
        with pickled.open("wb") as f:
            pickle.dump(dataset, f, protocol=pickle.HIGHEST_PROTOCOL)
        self.results.setup[n]["structure"] = loaded

    def fresh(self, name: str, n: int, label: str) -> Path:
        """A path never used before, for one write of ``name`` at ``n``."""
        self.counter += 1
        return self.workdir / f"{name}-{n}" / f"{label}-{self.counter}{self.extensions[name]}"

    def measure_exports(self, n: int, names: list[str]) -> None:
        """storyfacts' exports of ``n`` statements, each with its floor and peers, in rounds.

        Each round's exports run in a fresh process (fresh_export.py) started
        for the round, asked for one export at a time; the floors and peers
        run here, between them, in interleaved rounds (rounds.py,
        export_race.py): a format's export, its floor, its peers, the next
        format, ..., then round 2. Above the detail limit only the exports
        run, once each, as before the rounds.
        """
        detailed = n <= self.plan.detail_limit
        # A process starts (a second or two), unpickles the dataset (a
        # fraction of loading it) and validates it, untimed, before the
        # exports; the cheapest go first when the budget cannot take them all.
        estimates = {name: self.estimate(f"export {name}", n) for name in names}
        chosen = sorted(names, key=lambda m: estimates[m] or 0.0)
        cheapest = estimates[chosen[0]]
        validating = self.results.validation.get(n, {}).get("storyfacts", 0.0)
        overhead = 2.0 + self.costs.get(("load", n), 0.0) + validating
        if not self.affordable(None if cheapest is None else overhead + cheapest, n, "the exports"):
            return
        self.log(f"{n:,} statements: exporting {', '.join(chosen)} in rounds, a fresh process each")
        source = self.files[n][1]
        processes = export_race.RoundProcesses(lambda: fresh_export.ExportProcess(source))
        races = [
            export_race.FormatRace(
                self, processes, n, name, detailed=detailed, peers=self.plan.peers
            )
            for name in chosen
        ]

        def afford(index: int, number: int, estimate: float) -> bool:
            # The first export of a round starts the round's process.
            extra = 0.0 if processes.started(number) else overhead
            return self.affordable(
                estimate + extra, n, f"round {number} of {races[index].name} and its floors"
            )

        self.reserved = sum(estimates[name] or 0.0 for name in chosen)
        try:
            outcome = rounds.race(
                [race.entrants for race in races],
                rounds=self.rounds_for if detailed else lambda seconds: 1,
                afford=afford,
            )
        finally:
            processes.close()
            self.reserved = 0.0
        for race, timings in zip(races, outcome, strict=True):
            race.record(timings)

    def measure_reading(self, n: int) -> None:
        """storyfacts reading its workbook back, against openpyxl's read-only iteration (rounds)."""
        workbook = self.outputs.get(("xlsx", n))
        if workbook is None:
            return
        try:
            from storyfacts.workbook import reader  # noqa: F401
        except ImportError:
            return
        fallback = 2 * self.results.exports[("xlsx", n)]["storyfacts"]
        if not self.affordable(
            self.estimate("reading", n, fallback), n, "reading the workbook back"
        ):
            return
        self.log(f"{n:,} statements: reading the workbook back, in rounds")
        [timings] = rounds.race(
            [
                [
                    rounds.Entrant("storyfacts", _timed(lambda: storyfacts.read(workbook))),
                    rounds.Entrant("openpyxl", _timed(lambda: floors.openpyxl_read(workbook))),
                ]
            ],
            rounds=self.rounds_for,
            afford=lambda index, number, estimate: self.affordable(
                estimate, n, f"round {number} of reading the workbook back"
            ),
        )
        ours, theirs = timings["storyfacts"], timings["openpyxl"]
        if ours.error or theirs.error:
            self.results.notes.append(
                f"Reading the workbook back at {n:,} failed: {ours.error or theirs.error}"
            )
        if not ours.times or not theirs.times:
            return
        self.costs[("reading", n)] = ours.times[0]
        self.results.reading[n] = {
            "storyfacts": ours.best,
            "openpyxl": theirs.best,
            "rounds": min(ours.rounds, theirs.rounds),
        }

    def measure_cli(self, n: int, label: str, names: list[str]) -> None:
        """``storyfacts validate`` or ``storyfacts export`` (every format) as a user runs it.

        ``export`` is the default call, writing the formats in worker processes
        (one per CPU); ``export -j 1`` writes them one after another in one
        process, as before issue 11's workers, for comparison.
        """
        source = self.files[n][0]
        # Reading a file costs about twice loading parsed data (parsing and
        # the duplicate-key check come on top), plus starting Python.
        estimate = 2 * self.costs.get(("load", n), 0.0) + 2.0
        args = ["validate", str(source)]
        if label.startswith("export"):
            estimate += sum(self.estimate(f"export {name}", n) or 0.0 for name in names)
            args = ["export", str(source), "-o", str(self.workdir / "cli-export"), "-q"]
            args += label.split()[1:]
        if not self.affordable(estimate, n, f"`storyfacts {label}`"):
            return
        self.log(f"{n:,} statements: storyfacts {label}")
        # Read as validate_cli.py reads it: a child of this process would count
        # this process's own peak (the datasets generated) in its own.
        wall, code, kib = validate_cli.peak_of([*_cli_command(), *args])
        self.results.cli[label] = {
            "time": wall,
            "exit": code,
            "peak_mib": kib / 1024,
            "n": n,
            "command": f"storyfacts {label} DATASET.json",
        }
        if label == "export":
            # Run again for what its processes take together: sampling /proc
            # costs CPU, so not in the run that is timed.
            shutil.rmtree(self.workdir / "cli-export", ignore_errors=True)
            _, pss, processes = process_tree.run_sampling_pss([*_cli_command(), *args])
            if pss is not None:
                self.results.cli[label]["together_mib"] = pss / 1024
                self.results.cli[label]["processes"] = processes
        if label.startswith("export"):
            shutil.rmtree(self.workdir / "cli-export", ignore_errors=True)


def _timed(action: Callable[[], object]) -> Callable[[], float]:
    """``action`` as an entrant of the rounds: run once, its seconds returned."""

    def run() -> float:
        started = time.perf_counter()
        action()
        return time.perf_counter() - started

    return run


def _cli_command() -> list[str]:
    script = Path(sys.executable).with_name("storyfacts")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "storyfacts"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="The storyfacts benchmark: every target of issue 11."
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--quick",
        action="store_true",
        help="10,000 and 100,000 statements within a two-minute budget, without the scripts",
    )
    mode.add_argument(
        "--full",
        action="store_true",
        help="add 1,000,000 statements (exports and their memory); target: under an hour",
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        help="measure these sizes, such as 10000,100000 (default: the mode's)",
    )
    parser.add_argument(
        "--no-scripts",
        action="store_true",
        help="skip startup.py, validate_cli.py and checked_once.py",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=HERE / "results",
        help="where to write latest.md and the dated copy",
    )
    parser.add_argument(
        "--update-readme",
        nargs="?",
        type=Path,
        const=HERE.parent / "README.md",
        metavar="README",
        help="rewrite the table of targets in README.md (or this file) from this run",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL if args.full else STANDARD
    if args.sizes:
        sizes = tuple(sorted(args.sizes))
        plain = tuple(n for n in plan.plain_sizes if n <= sizes[-1]) or sizes[:1]
        plan = dataclasses.replace(plan, sizes=sizes, plain_sizes=plain)
    if args.no_scripts:
        plan = dataclasses.replace(plan, scripts=False)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="storyfacts-bench-") as scratch:
        results = Bench(plan, Path(scratch), log).run()
    text = report.render(results)
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "latest.md").write_text(text, encoding="utf-8")
    dated = args.results / f"{dt.date.today().isoformat()}-{plan.mode}.md"
    dated.write_text(text, encoding="utf-8")
    log(f"written to {args.results / 'latest.md'} and {dated.name}")
    if args.update_readme is not None:
        report.update_readme(args.update_readme, results)
        log(f"the table of targets in {args.update_readme} rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
