"""The csv export against its floor, ``csv.writer`` writing the same rows (issue 11: 1.25x).

A user's default call is ``storyfacts.export(dataset, "csv", path)`` on a
dataset ``storyfacts.load`` has just read and checked. This times that call,
the same export with ``check=False``, and ``csv.writer`` writing the rows read
back from storyfacts' own output (the floor of ``benchmarks/floors.py``), and
prints the ratios of the best times.

    python benchmarks/csv_floor.py                     # 10,000 statements
    python benchmarks/csv_floor.py --statements 100000 --rounds 3
    python benchmarks/csv_floor.py --profile           # cProfile of check=False

The machine is shared, so the three take turns: each round runs each of them
once, and each is reported by the best of its rounds, so that a burst of
load falls on all of them alike and the least disturbed run of each is the
one compared. Every run writes a path that does not exist yet (the previous
run's output is removed untimed), as the floor does: replacing an old export
would add the removal of the old tree to storyfacts' time. CPU time (this
process's own, user and system) is the steadier figure on a shared machine;
the load average is printed before and after. Read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import floors  # noqa: E402
import generate  # noqa: E402

import storyfacts  # noqa: E402

#: The target of issue 11.
TARGET = 1.25

#: Writes into a path that does not exist yet.
Write = Callable[[Path], object]


def best_of(rounds: int, writes: dict[str, Write], folder: Path) -> dict[str, tuple[float, float]]:
    """For each of ``writes``, the least wall-clock and the least CPU seconds of ``rounds`` runs.

    The writes take turns, round by round. Each writes a fresh path under
    ``folder``, removed after the clock stops.
    """
    best = dict.fromkeys(writes, (float("inf"), float("inf")))
    for _ in range(rounds):
        for name, write in writes.items():
            target = folder / f"{name}-out"
            wall, cpu = time.perf_counter(), time.process_time()
            write(target)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            shutil.rmtree(target)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5, help="runs of each, taking turns")
    parser.add_argument("--profile", action="store_true", help="profile the check=False call")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="storyfacts-csv-floor-") as temp:
        folder = Path(temp)
        source = folder / "dataset.json"
        data = generate.generate(args.statements, seed=0)
        source.write_text(storyfacts.dumps(storyfacts.load(data)), encoding="utf-8")
        del data
        dataset = storyfacts.load(source)

        def default(target: Path) -> None:
            storyfacts.export(dataset, "csv", target)

        def unchecked(target: Path) -> None:
            storyfacts.export(dataset, "csv", target, check=False)

        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(unchecked, folder / "profiled")
            pstats.Stats(profile).sort_stats("tottime").print_stats(30)
            return 0
        reference = folder / "reference"
        unchecked(reference)
        floor = next(c for c in floors.contenders("csv", reference) if c.role == "floor")
        floor.prime()

        def with_csv_writer(target: Path) -> None:
            target.mkdir()
            floor.write(target)

        load_before = os.getloadavg()[0]
        best = best_of(
            args.rounds,
            {"default": default, "unchecked": unchecked, "floor": with_csv_writer},
            folder,
        )
    load_after = os.getloadavg()[0]
    floor_wall, floor_cpu = best["floor"]
    lines = [
        f"{args.statements:,} statements, best of {args.rounds} interleaved rounds, "
        f"load average {load_before:.1f} before, {load_after:.1f} after",
        "",
        "| write | wall | vs csv.writer | CPU | vs csv.writer |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, (wall, cpu) in (
        ("storyfacts.export, default call after load", best["default"]),
        ("storyfacts.export, check=False", best["unchecked"]),
        ("csv.writer, the same rows", best["floor"]),
    ):
        lines.append(
            f"| {label} | {wall:.3f} s | {wall / floor_wall:.2f}x "
            f"| {cpu:.3f} s | {cpu / floor_cpu:.2f}x |"
        )
    lines.append("")
    for label, (_, cpu) in (("default call", best["default"]), ("check=False", best["unchecked"])):
        met = cpu / floor_cpu <= TARGET
        lines.append(f"target {TARGET}x, {label} (CPU): {'met' if met else 'not met'}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
