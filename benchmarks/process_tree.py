"""The memory a command's processes take together: the peak of their summed PSS.

``storyfacts export`` writes formats in worker processes forked after
loading; each worker shares the loaded dataset with the command's process
copy-on-write, and copies the pages it writes to (reference counts are
written in every object read). The resident size of the largest process
(what GNU time's ``%M`` reports) hides the copies; summing resident sizes
counts every shared page once per process. The proportional set size (PSS)
divides each shared page among the processes sharing it, so the sum over
the process tree is what the processes take together. Linux only (it reads
``/proc/PID/smaps_rollup``); elsewhere nothing is measured.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

__all__ = ["run_sampling_pss"]

#: How often the tree is sampled: a worker's copy grows over seconds, not milliseconds.
INTERVAL = 0.1


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:  # ended meanwhile
        return []
    return [int(word) for word in text.split()]


def _tree(pid: int) -> list[int]:
    found = [pid]
    for child in _children(pid):
        found += _tree(child)
    return found


def _pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii")
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def run_sampling_pss(argv: list[str]) -> tuple[int, int | None, int]:
    """Run ``argv`` (output to /dev/null); its exit code, the peak of its tree's summed
    PSS in KiB (``None`` where /proc cannot tell), and the most processes seen at once."""
    if not Path("/proc/self/smaps_rollup").exists():
        return subprocess.run(argv, stdout=subprocess.DEVNULL).returncode, None, 1
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    peak = most = 0
    while process.poll() is None:
        pids = _tree(process.pid)
        peak = max(peak, sum(_pss_kib(pid) for pid in pids))
        most = max(most, len(pids))
        time.sleep(INTERVAL)
    return process.returncode, peak, most
