"""The standalone benchmark scripts, run by ``run.py`` as a user runs them, their tables read.

``startup.py``, ``validate_cli.py`` and ``checked_once.py`` each measure one
target of issue 11 and print a Markdown table. ``run.py`` runs each in a
process of its own (as ``python SCRIPT ARGS``) rather than importing it:
they time and weigh other processes, and a child's peak memory counts its
parent's at the fork, so they must start from a small process, not from the
benchmark holding its datasets. Their logic stays in them; this module only
reads the table each prints, by its column titles.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Script", "markdown_table", "run_script"]

HERE = Path(__file__).resolve().parent


@dataclass
class Script:
    """What one script printed: its table as rows keyed by column title, and all its text."""

    name: str
    command: list[str]
    exit_code: int
    seconds: float
    text: str
    rows: list[dict[str, str]] = field(default_factory=list)
    error: str | None = None


def markdown_table(text: str) -> list[dict[str, str]]:
    """The rows of the first Markdown table in ``text``, each keyed by its column's title.

    A title that repeats gets its number: startup.py's ``ratio`` (of wall
    time) is followed by ``ratio 2`` (of CPU time).
    """
    lines = [line.strip() for line in text.splitlines()]
    for number, line in enumerate(lines[:-1]):
        if line.startswith("|") and set(lines[number + 1]) <= set("|:- "):
            seen: Counter[str] = Counter()
            titles = []
            for title in _cells(line):
                seen[title] += 1
                titles.append(title if seen[title] == 1 else f"{title} {seen[title]}")
            rows = []
            for row in lines[number + 2 :]:
                if not row.startswith("|"):
                    break
                rows.append(dict(zip(titles, _cells(row), strict=False)))
            return rows
    return []


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def run_script(name: str, *args: str, timeout: float | None = None) -> Script:
    """Run ``benchmarks/NAME`` with this interpreter; what it printed, and its table."""
    import time

    command = [sys.executable, str(HERE / name), *args]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Script(
            name, command, -1, time.perf_counter() - started, "", error=f"over {timeout:.0f} s"
        )
    seconds = time.perf_counter() - started
    script = Script(name, command, done.returncode, seconds, done.stdout.strip())
    script.rows = markdown_table(done.stdout)
    if not script.rows:
        last = (done.stderr.strip().splitlines() or ["no table printed"])[-1]
        script.error = f"exit {done.returncode}: {last}"
    return script
