"""How fast the `storyfacts` command starts, against `python -c "import json"`.

Measured as a user runs it: the console script of a plain ``pip install .``
(no test extras) in a fresh virtual environment, start-up of the interpreter
included. The baseline, the same venv's ``python -c "import json"``, is
measured in the same run, interleaved with the commands (one run of each in
turn), so that a busy machine slows both alike; the medians are compared.

    python benchmarks/startup.py                  # builds a temporary venv first
    python benchmarks/startup.py --venv /tmp/sf   # reuse (or build there) a venv

Targets (issue 11): ``--version`` and ``--help`` within 3x of the baseline,
``formats`` within 5x.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (label, arguments after the venv's bin directory, allowed ratio to the baseline)
COMMANDS = (
    ("storyfacts --version", ("storyfacts", "--version"), 3.0),
    ("storyfacts --help", ("storyfacts", "--help"), 3.0),
    ("storyfacts formats", ("storyfacts", "formats"), 5.0),
)
BASELINE = ("python -c 'import json'", ("python", "-c", "import json"))


def build_venv(where: Path) -> None:
    """A fresh venv with storyfacts installed as a user installs it."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    subprocess.run(
        [str(where / "bin" / "python"), "-m", "pip", "install", "-q", str(ROOT)],
        check=True,
    )


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(venv: Path, runs: int, warmup: int = 3) -> dict[str, tuple[list[float], list[float]]]:
    """Every command and the baseline, ``runs`` times each, in turn."""
    bin_dir = venv / "bin"
    everything = [BASELINE[:2], *(c[:2] for c in COMMANDS)]
    commands = {label: [str(bin_dir / args[0]), *args[1:]] for label, args in everything}
    times: dict[str, tuple[list[float], list[float]]] = {label: ([], []) for label in commands}
    for round_ in range(warmup + runs):
        for label, command in commands.items():
            wall, cpu = run_once(command)
            if round_ >= warmup:
                times[label][0].append(wall)
                times[label][1].append(cpu)
    return times


def report(times: dict[str, tuple[list[float], list[float]]]) -> tuple[str, bool]:
    """A Markdown table of medians and ratios, and whether every target is met."""
    base_wall = statistics.median(times[BASELINE[0]][0])
    base_cpu = statistics.median(times[BASELINE[0]][1])
    load = os.getloadavg()
    lines = [
        f"Start-up, median of {len(times[BASELINE[0]][0])} runs each "
        f"({os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f})",
        "",
        "| command | wall | ratio | CPU | ratio | target | met |",
        "|---|---:|---:|---:|---:|---:|---|",
        f"| `{BASELINE[0]}` | {base_wall * 1000:.0f} ms | 1.00x | {base_cpu * 1000:.0f} ms "
        "| 1.00x | | |",
    ]
    all_met = True
    for label, _, allowed in COMMANDS:
        wall = statistics.median(times[label][0])
        cpu = statistics.median(times[label][1])
        ratio = wall / base_wall
        met = ratio <= allowed
        all_met &= met
        lines.append(
            f"| `{label}` | {wall * 1000:.0f} ms | {ratio:.2f}x | {cpu * 1000:.0f} ms "
            f"| {cpu / base_cpu:.2f}x | {allowed:.0f}x | {'met' if met else '**not met**'} |"
        )
    lines.append("")
    lines.append("Ratio = the command's median over the baseline's; the target is on wall time.")
    return "\n".join(lines), all_met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, help="venv to use; built there if missing")
    parser.add_argument("--runs", type=int, default=20, help="runs of each command (default 20)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="storyfacts-startup-") as temp:
        venv = args.venv or Path(temp) / "venv"
        if not (venv / "bin" / "storyfacts").exists():
            print(f"installing storyfacts into {venv} ...", file=sys.stderr)
            build_venv(venv)
        text, met = report(measure(venv, args.runs))
    print(text)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
