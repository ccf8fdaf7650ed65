"""No worker outlives its parent: `storyfacts export -j N` killed outright leaves nothing.

The command is killed with SIGKILL, so none of its own clean-up runs: its
workers must notice by themselves (`storyfacts.lanes.lifeline`), stop, and
remove their temporary output, as on the command's SIGTERM. Each test runs
the real command in a subprocess and really kills it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Pipe
from pathlib import Path

import pytest

from storyfacts.interruption import STOPS, Stopped
from storyfacts.lanes import lifeline, worker

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin", reason="workers are forked only here"
)

#: How long a worker may take to go, at most, once its parent is killed: a
#: bound on waiting for something that should never hang, not a speed (they
#: go within a tenth of a second here).
_DEADLINE = 60.0

# Every worker notes its pid at its first progress report, then waits there
# (in Python, sending nothing), so that it neither finishes nor writes to its
# parent again: only the signal for its parent's death can stop it. With
# 'lifeline' the kernel is taken not to tell (as on a system without prctl).
_STALLED = """
import os, sys, time
from storyfacts.contract import ExportContext
from storyfacts.cli import main
from storyfacts.lanes import pool

how, pids = sys.argv[1], sys.argv[2]
parent = os.getpid()
noted = []  # each worker has its own copy

def advance(self, count=1):
    if os.getpid() != parent and not noted:
        noted.append(True)
        with open(pids, "a") as out:
            out.write(f"{os.getpid()}\\n")
    time.sleep(600)

ExportContext.advance = advance
if how == "lifeline":
    pool.kernel_tells = lambda: False
sys.exit(main(sys.argv[3:]))
"""


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command's name (state first), or none."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie nobody reaps has ended)."""
    fields = _stat(pid)
    return bool(fields) and fields[0] not in ("Z", "X")


def _workers_of(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _gone(pids: list[int]) -> bool:
    """Wait until none of ``pids`` runs, at most ``_DEADLINE`` seconds; whether they are gone."""
    deadline = time.monotonic() + _DEADLINE
    while any(_running(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _started(pid: int) -> str:
    """When ``pid`` started (in clock ticks since boot): with its id, which process it is."""
    fields = _stat(pid)
    return fields[19] if fields else ""


@pytest.fixture
def killed_at_the_end() -> Iterator[Callable[[list[int]], None]]:
    """Note workers to SIGKILL after the test, so that a failure leaves no process running."""
    noted: dict[int, str] = {}
    yield lambda pids: noted.update({pid: _started(pid) for pid in pids})
    for pid, started in noted.items():
        # Only the worker itself, not a later process given its id.
        if _running(pid) and _started(pid) == started:
            os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def _command(args: list[str], scratch: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A Python process running ``args`` with TMPDIR ``scratch``, in a session of its own.

    Killed, if still running, when the block ends, however it ends.
    """
    process = subprocess.Popen(
        [sys.executable, *args],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("how", ["kernel", "lifeline"])
def test_a_worker_stops_and_leaves_nothing_when_the_command_is_killed(
    tmp_path: Path, how: str, killed_at_the_end: Callable[[list[int]], None]
) -> None:
    """SIGKILL to the command while two workers write: both end, their output and spill gone."""
    if how == "kernel" and not lifeline.kernel_tells():
        pytest.skip("the kernel tells workers of their parent's death only on Linux")
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("old", encoding="utf-8")
    pids = tmp_path / "pids"
    # The workbook first (its rows spill into TMPDIR), then ics.
    command = ["export", "-f", "csv,ics,xlsx", "-o", f"{out}/", "-j", "2"]
    with _command(["-c", _STALLED, how, str(pids), *command], scratch) as process:
        deadline = time.monotonic() + _DEADLINE
        while (
            process.poll() is None
            and time.monotonic() < deadline
            and len(pids.read_text().split() if pids.exists() else []) < 2
        ):
            time.sleep(0.01)
        workers = [int(pid) for pid in pids.read_text().split()]
        killed_at_the_end(workers)
        assert sorted(workers) == sorted(_workers_of(process.pid))
        # Both mid-write: each has its temporary output beside the target.
        assert len([p for p in out.iterdir() if p.name.endswith(".tmp")]) == 2
        assert list(scratch.iterdir())  # the workbook's spill directory
        process.kill()
        process.wait()
    assert _gone(workers)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert list(scratch.iterdir()) == []


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dataset of 20,000 statements: its workbook takes seconds to write."""
    import generate  # benchmarks/generate.py, through pytest's pythonpath

    path = tmp_path_factory.mktemp("large") / "large.json"
    path.write_text(json.dumps(generate.generate(20_000)), encoding="utf-8")
    return path


@pytest.mark.slow
def test_the_real_command_killed_mid_export_leaves_no_worker_and_no_new_output(
    tmp_path: Path, large: Path, killed_at_the_end: Callable[[list[int]], None]
) -> None:
    """Nothing patched: killed while the workbook is written, the workbook never appears.

    A format finished before the kill stays, as it does after Ctrl-C.
    """
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    out = tmp_path / "out"
    command = ["-m", "storyfacts", "export", str(large), "-o", f"{out}/", "-j", "2"]
    with _command(command, scratch) as process:
        workbook = "synthetic-20000-seed-0.xlsx"
        deadline = time.monotonic() + _DEADLINE
        # The workbook's worker has begun: its temporary file is there.
        while (
            process.poll() is None
            and time.monotonic() < deadline
            and not any(
                p.name.startswith(f".{workbook}.") for p in (out.iterdir() if out.exists() else [])
            )
        ):
            time.sleep(0.005)
        workers = _workers_of(process.pid)
        killed_at_the_end(workers)
        process.kill()
        process.wait()
    assert len(workers) == 2
    assert _gone(workers)
    left = sorted(p.name for p in out.iterdir())
    # The workbook was seconds from done: it never appears. A format that was
    # done, or being put in place as the command died, may stay.
    assert workbook not in left
    assert not [name for name in left if name.startswith(".")]  # no temporary output
    assert list(scratch.iterdir()) == []  # the workbook's spill directory


def _exit_status_of_a_worker_whose_parent_died_first() -> tuple[int, bool]:
    """Run in a process playing init: a command forks a worker and dies before the worker starts.

    Returns the worker's exit code, and whether it read anything from its
    pipe to the parent (the lanes it would be handed).
    """
    import ctypes

    # Orphans come to this process, so that it can wait for the worker.
    pr_set_child_subreaper = 36
    if ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_CHILD_SUBREAPER")
    lanes_end, worker_end = Pipe()
    command = os.fork()
    if command == 0:  # the command: forks a worker, then dies at once
        parent = os.getpid()
        if os.fork() == 0:  # the worker, before anything of its own runs
            # Until it has been handed to this process: its parent's death
            # is over (the kernel signals children bound by then), and prctl
            # alone would now wait for a death that has already happened.
            while os.getppid() == parent:
                time.sleep(0.001)
            worker.run([], None, worker_end, [lanes_end], set(), parent, None)
        os._exit(0)
    os.waitpid(command, 0)
    worker_end.close()
    deadline = time.monotonic() + _DEADLINE
    while time.monotonic() < deadline:
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid:
            try:
                lanes_end.recv()
            except EOFError:  # its end closed, nothing said
                return os.waitstatus_to_exitcode(status), False
            return os.waitstatus_to_exitcode(status), True
        time.sleep(0.01)
    os.killpg(0, signal.SIGKILL)  # a worker waiting for lanes that will never come
    raise AssertionError("unreachable")


def _reaped(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.skipif(not lifeline.kernel_tells(), reason="prctl is Linux's")
def test_a_worker_whose_parent_died_before_it_was_bound_exits_at_once() -> None:
    """The race prctl leaves: the parent gone before the call. The worker exits 1, unhanded."""
    reading, writing = os.pipe()
    reaper = os.fork()
    if reaper == 0:
        code = 99
        try:
            os.setpgid(0, 0)
            exit_code, heard = _exit_status_of_a_worker_whose_parent_died_first()
            os.write(writing, f"{exit_code} {heard}".encode())
            code = 0
        finally:
            os._exit(code)
    os.close(writing)
    with os.fdopen(reading) as said:
        answer = said.read()
    _, status = os.waitpid(reaper, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert answer == "1 False"


def test_a_lifeline_closed_sends_the_worker_sigterm() -> None:
    """Where prctl is not to be had: the parent's end of the lifeline closed (as at its death)."""
    line = lifeline.Lifeline()
    told_r, told_w = os.pipe()
    child = os.fork()
    if child == 0:
        code = 99
        try:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
            bound = lifeline.bind(os.getppid(), line)
            os.write(told_w, b"bound" if bound else b"orphan")
            signal.sigwait({signal.SIGTERM})
            code = 0
        finally:
            os._exit(code)
    os.close(told_w)
    try:
        assert os.read(told_r, 16) == b"bound"
        os.close(told_r)
        line.close()
        deadline = time.monotonic() + _DEADLINE
        while not (reaped := os.waitpid(child, os.WNOHANG))[0] and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        if not _reaped(child):
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
    assert reaped[0] == child, "the worker never heard of its parent's death"
    assert os.waitstatus_to_exitcode(reaped[1]) == 0


def test_a_temporary_path_made_as_the_parent_dies_is_removed_by_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker reports each temporary path for its parent to remove if it is killed; one
    made once the parent is gone would be nobody's, so the worker removes it and stops."""
    for name in ("mkstemp", "mkdtemp"):  # put back after the test
        monkeypatch.setattr(tempfile, name, getattr(tempfile, name))
    handlers = {signum: signal.getsignal(signum) for signum in STOPS}
    parents_end, conn = Pipe()
    parents_end.close()  # as the parent's death closes it
    try:
        worker._report_temporary_paths(lambda message: worker._send(conn, message))
        with pytest.raises(Stopped):
            tempfile.mkstemp(dir=tmp_path)
        with pytest.raises(Stopped):
            tempfile.mkdtemp(dir=tmp_path)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        conn.close()
    assert list(tmp_path.iterdir()) == []
