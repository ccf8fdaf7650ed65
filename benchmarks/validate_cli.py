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
the table also gives the peak beyond that of validating the bundled dataset
(a few KiB), and that extra against the file's size.

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


def storyfacts_validate(command: str, path: Path) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak resident KiB of one `storyfacts validate`."""
    start = time.perf_counter()
    process = subprocess.Popen([command, "validate", str(path)], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, process.returncode, usage.ru_maxrss


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
    from storyfacts import bundled_path

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
        _, _, baseline_kib = storyfacts_validate(args.storyfacts, bundled_path())
        baseline = baseline_kib / 1024
        ours = {
            size: [storyfacts_validate(args.storyfacts, path) for _ in range(args.runs)]
            for size, path in paths.items()
        }
        for size, path in paths.items():
            megabytes = path.stat().st_size / 2**20
            best = min(wall for wall, _, _ in ours[size])
            peak = max(rss for _, _, rss in ours[size]) / 1024
            codes = {code for _, code, _ in ours[size]}
            plain, plain_valid = plain_jsonschema(path)
            agree = codes == {0 if plain_valid else 1}
            speedup = plain / best
            memory = peak / megabytes
            extra = (peak - baseline) / megabytes
            met = speedup >= 20 and memory <= 3 and agree
            all_met &= met
            rows.append(
                f"| {size:,} | {megabytes:.0f} MiB | {best:.2f} s | {plain:.1f} s | "
                f"{speedup:.1f}x | {'agree' if agree else '**differ**'} | {peak:.0f} MiB | "
                f"{memory:.2f}x | {extra:.2f}x | {'met' if met else '**not met**'} |"
            )
            print(rows[-1], file=sys.stderr)
    load = os.getloadavg()
    print(
        f"`storyfacts validate FILE` (whole process, best of {args.runs}) against plain "
        f"jsonschema in process; {os.cpu_count()} cores, load average {load[0]:.1f}; "
        f"validating the bundled dataset peaks at {baseline:.0f} MiB\n"
    )
    print(
        "| statements | file | storyfacts | plain jsonschema | speed-up | verdicts "
        "| peak memory | of file | beyond baseline, of file | met (20x, 3x) |"
    )
    print("|---:|---:|---:|---:|---:|---|---:|---:|---:|---|")
    print("\n".join(rows))
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
