"""`storyfacts validate FILE`, whole process, against plain jsonschema in process.

For each size, generate.py writes a dataset file (as storyfacts writes one:
two-space indent, UTF-8); then:

* ``storyfacts validate FILE`` runs as a user runs it (the console script
  beside this interpreter, a fresh process, start-up included), timed
  wall-clock, its peak resident memory read from the kernel (``wait4``);
* plain jsonschema validates the same file in this process: ``json.load``
  and ``Draft202012Validator(schema,
  format_checker=Draft202012Validator.FORMAT_CHECKER).iter_errors(data)``,
  every error collected (jsonschema imported before the clock starts).

The verdicts must be the same. Targets (issue 11): storyfacts at least 20x
faster, and its peak memory at most 3x the file's size. The interpreter and
the libraries alone take tens of MiB, which a small file cannot amortise, so
the table also gives the peak of the bare interpreter (``python -c "import
json"``, measured the same way in the same run), what validating adds beyond
it, and that against the file's size. The line above the table gives the peak
of the libraries the command is built on, imported with jsonschema-rs's
validators compiled, in a process of their own (what no change to
storyfacts' own modules can take away), and that of validating the bundled
dataset (a few KiB), the fixed cost of the command.

Peaks are read by GNU time (``/usr/bin/time -f %M``) where it is installed:
Linux counts in a child's peak its parent's resident memory at the fork (a
``vfork``'s, the parent's own peak), so a child of this Python process would
never show less than this process weighs, about as much as the bare
interpreter. GNU time, a small C program, forks the command itself. Without
it, a bare Python process started for the purpose (nothing imported but
``os``) spawns the command and reads its peak with ``wait4``: the figure
then cannot be less than that launcher, about the bare interpreter, and the
table says so.

    python benchmarks/validate_cli.py                    # 10,000 and 100,000 statements
    python benchmarks/validate_cli.py --sizes 10000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: GNU time, which reads the peak of a child it forked itself (see above).
GNU_TIME = Path("/usr/bin/time")


def peak_of(argv: list[str]) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak resident KiB of one run of ``argv``."""
    if GNU_TIME.is_file():
        with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
            start = time.perf_counter()
            done = subprocess.run(
                [str(GNU_TIME), "-f", "%M", "-o", peak.name, *argv], stdout=subprocess.DEVNULL
            )
            wall = time.perf_counter() - start
            # A command that fails is announced on a line of its own before the figure.
            kib = int(peak.read().split()[-1])
        return wall, done.returncode, kib
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-S", "-c", _LAUNCHER, *argv], stdout=subprocess.PIPE, text=True
    )
    wall = time.perf_counter() - start
    code, kib = (int(word) for word in done.stdout.split())
    return wall, code, kib


#: Spawns ``argv`` (its output to /dev/null) from a process that imported nothing
#: but ``os``, and prints its exit code and its own peak (``wait4``), in KiB.
_LAUNCHER = """
import os, sys
out = os.open(os.devnull, os.O_WRONLY)
to_null = [(os.POSIX_SPAWN_DUP2, out, 1)]
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=to_null)
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def storyfacts_validate(command: str, path: Path) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak resident KiB of one `storyfacts validate`."""
    return peak_of([command, "validate", str(path)])


def bare_interpreter(python: str, runs: int) -> float:
    """The least peak, in MiB, of ``python -c "import json"`` (the interpreter alone)."""
    return least_peak([python, "-c", "import json"], runs)


#: The libraries `storyfacts validate` is built on, imported, and jsonschema-rs's
#: validators compiled as storyfacts.validation compiles them for valid data
#: (the dataset, and each list of records): the part of the peak no change to
#: storyfacts' own modules can take away. jsonschema-rs is imported as
#: storyfacts imports it, without the email.utils its extension asks for
#: (storyfacts.schema.import_jsonschema_rs, which imports nothing else of weight).
_LIBRARIES = """
import json, sys
import attrs, click, orjson
from storyfacts.schema import import_jsonschema_rs
jsonschema_rs = import_jsonschema_rs()
with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
shared = {k: schema[k] for k in ("$schema", "$id", "$defs")}
validators = [jsonschema_rs.Draft202012Validator(schema, validate_formats=True)] + [
    jsonschema_rs.Draft202012Validator(shared | schema["properties"][s], validate_formats=True)
    for s in ("articles", "entities", "statements", "sources")
]
"""


def libraries_alone(python: str, schema: Path, runs: int) -> float:
    """The least peak, in MiB, of the interpreter with the command's libraries (see above)."""
    return least_peak([python, "-c", _LIBRARIES, str(schema)], runs)


def least_peak(argv: list[str], runs: int) -> float:
    """The least peak of ``runs`` runs of ``argv``, in MiB."""
    return min(peak_of(argv)[2] for _ in range(runs)) / 1024


def plain_jsonschema(path: Path) -> tuple[float, bool]:
    """Seconds for jsonschema to read and validate ``path``, and whether it found it valid."""
    from jsonschema import Draft202012Validator

    from storyfacts.schema import schema

    validator = Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    start = time.perf_counter()
    with path.open(encoding="utf-8") as f:
        data: Any = json.load(f)
    errors = list(validator.iter_errors(data))
    return time.perf_counter() - start, not errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="statement counts")
    parser.add_argument("--runs", type=int, default=3, help="runs of storyfacts (best counts)")
    parser.add_argument(
        "--storyfacts",
        default=str(Path(sys.executable).with_name("storyfacts")),
        help="the console script to run (default: beside this Python)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    # Not storyfacts.bundled_path, which imports storyfacts.loading: this
    # process stays small while it measures others (see peak_of).
    from storyfacts._resources import schema_path, seed_path

    rows = []
    all_met = True
    with tempfile.TemporaryDirectory(prefix="storyfacts-validate-") as temp:
        # A child's peak memory counts its parent's at the moment of the fork
        # (Linux keeps the high-water mark through exec), so this process
        # stays small until every storyfacts run is done: the files are
        # written by generate.py in a process of their own, and plain
        # jsonschema runs last.
        paths = {size: Path(temp) / f"dataset-{size}.json" for size in sizes}
        for size, path in paths.items():
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(size), "-o", str(path)],
                check=True,
            )
        interpreter = bare_interpreter(sys.executable, args.runs)
        libraries = libraries_alone(sys.executable, schema_path(), args.runs)
        baseline = least_peak([args.storyfacts, "validate", str(seed_path())], args.runs)
        ours = {
            size: [storyfacts_validate(args.storyfacts, path) for _ in range(args.runs)]
            for size, path in paths.items()
        }
        for size, path in paths.items():
            megabytes = path.stat().st_size / 2**20
            best = min(wall for wall, _, _ in ours[size])
            # The least of the runs, as for time: what the command needs, not
            # what a busy machine's page cache and allocator added to one run.
            peak = min(rss for _, _, rss in ours[size]) / 1024
            codes = {code for _, code, _ in ours[size]}
            plain, plain_valid = plain_jsonschema(path)
            agree = codes == {0 if plain_valid else 1}
            speedup = plain / best
            memory = peak / megabytes
            beyond = peak - interpreter
            met = speedup >= 20 and memory <= 3 and agree
            all_met &= met
            rows.append(
                f"| {size:,} | {megabytes:.0f} MiB | {best:.2f} s | {plain:.1f} s | "
                f"{speedup:.1f}x | {'agree' if agree else '**differ**'} | {peak:.1f} MiB | "
                f"{memory:.2f}x | {interpreter:.1f} MiB | {beyond:.1f} MiB | "
                f"{beyond / megabytes:.2f}x | {'met' if met else '**not met**'} |"
            )
            print(rows[-1], file=sys.stderr)
    load = os.getloadavg()
    how = "GNU time" if GNU_TIME.is_file() else "wait4 in a bare Python launcher (counted in)"
    print(
        f"`storyfacts validate FILE` (whole process, best of {args.runs}) against plain "
        f"jsonschema in process; {os.cpu_count()} cores, load average {load[0]:.1f}; peaks "
        f"read by {how}: `python -c 'import json'` {interpreter:.1f} MiB; the libraries "
        f"alone (jsonschema-rs with its validators compiled, click, attrs, orjson) "
        f"{libraries:.1f} MiB; validating the bundled dataset {baseline:.1f} MiB\n"
    )
    print(
        "| statements | file | storyfacts | plain jsonschema | speed-up | verdicts "
        "| peak memory | of file | interpreter alone | beyond it | beyond it, of file "
        "| met (20x, 3x) |"
    )
    print("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|")
    print("\n".join(rows))
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
