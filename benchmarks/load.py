"""`storyfacts.load` of a dataset file: CPU time at 10,000 and 100,000 statements.

Load is part of every command that reads a dataset (``storyfacts export``
of every format at 100,000 statements must stay under 30 s, issue 11). Each
measurement runs in a fresh process that imports storyfacts, loads the file
once and reports the CPU time (``time.process_time``) of that one
``load``, so that no run inherits a warm cache or a grown heap from
another. On a shared machine CPU time is the steadier measure; the load
average is printed beside it all the same.

Rounds are interleaved: each round measures every size (and, with
``--against``, both source trees one after the other), so that a busy
minute slows every contender alike; the table gives the best of the rounds.

    python benchmarks/load.py                              # 10,000 and 100,000, 3 rounds
    python benchmarks/load.py --sizes 10000 --rounds 5
    python benchmarks/load.py --against /work/main/src     # this tree against another
    python benchmarks/load.py --keep /tmp/load-files       # reuse the dataset files

The datasets come from generate.py, written the way storyfacts writes a
dataset (``storyfacts.dumps``), as a file exported or imported by storyfacts is.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

# Run in a child: the CPU time of one load, in seconds, on stdout.
_CHILD = """
import sys, time
sys.path.insert(0, sys.argv[1])
import storyfacts
path = sys.argv[2]
start = time.process_time()
storyfacts.load(path)
print(time.process_time() - start)
"""


def dataset_file(folder: Path, statements: int) -> Path:
    """The dataset file of ``statements`` statements in ``folder``, written if missing."""
    path = folder / f"dataset-{statements}.json"
    if not path.exists():
        if str(HERE) not in sys.path:
            sys.path.insert(0, str(HERE))
        import generate

        import storyfacts

        text = storyfacts.dumps(storyfacts.load(generate.generate(statements, seed=0)))
        partial = path.with_suffix(".part")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    return path


def load_cpu(src: Path, path: Path) -> float:
    """CPU seconds of one ``storyfacts.load(path)`` in a fresh process importing ``src``."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(src), str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="statements, comma-separated")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--against", type=Path, help="another tree's src directory, measured in the same rounds"
    )
    parser.add_argument("--keep", type=Path, help="a folder to keep the files in, to reuse")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    trees = {"this": SRC}
    if args.against is not None:
        trees["against"] = args.against.resolve()

    with tempfile.TemporaryDirectory(prefix="storyfacts-load-") as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        files = {n: dataset_file(folder, n) for n in sizes}
        print(f"load average before: {load_average()}")
        times: dict[tuple[str, int], list[float]] = {(t, n): [] for t in trees for n in sizes}
        for round_ in range(args.rounds):
            for n in sizes:
                # Alternate which tree goes first, so neither always follows the other.
                order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
                for tree in order:
                    times[tree, n].append(load_cpu(trees[tree], files[n]))
            print(f"round {round_ + 1} done, load average {load_average()}", file=sys.stderr)
        print(f"load average after: {load_average()}")
        print()
        print("| statements | tree | file MiB | best CPU s | every round |")
        print("|---:|---|---:|---:|---|")
        for n in sizes:
            size = files[n].stat().st_size / 2**20
            for tree in trees:
                runs = times[tree, n]
                every = ", ".join(f"{t:.2f}" for t in runs)
                print(f"| {n:,} | {tree} | {size:.1f} | {min(runs):.2f} | {every} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
