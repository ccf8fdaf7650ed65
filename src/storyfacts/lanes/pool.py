"""The parent's side of the lanes: start workers, listen to them, stop them.

See :mod:`storyfacts.lanes` for why and how; :mod:`storyfacts.lanes.worker`
is what runs in each worker.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection, Pipe, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..atomic import remove_path
from ..errors import ExportError, StoryfactsError
from ..interruption import STOPS, Stopped, ignored
from . import HASHES, Lane, in_order
from .lifeline import Lifeline, kernel_tells
from .worker import held, run

if TYPE_CHECKING:
    from ..model import Dataset
    from ..progress import Board
    from ..streaming import CorpusReader

__all__ = ["write_in_lanes"]

#: How long stopped workers get to remove their temporary output before they
#: are killed (a worker in the middle of compressing a large part of a
#: workbook notices the signal only once the compressor returns).
_GRACE = 30.0
#: What a process dies of when its own code goes wrong (in C: Python's own
#: errors are exceptions, reported as the exporter's).
_CRASHES = frozenset(
    getattr(signal, name)
    for name in ("SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE", "SIGABRT")
    if hasattr(signal, name)
)


@attrs.define(eq=False)
class _Worker:
    pid: int
    conn: Connection
    #: The lane it is writing, if any.
    lane: Lane | None = None
    #: The temporary paths it created for it, removed by the parent if need be.
    made: list[str] = attrs.field(factory=list)
    #: Whether it waits for the fingerprint.
    asking: bool = False
    #: How the lane's export ended, as it said: a message of ``worker._outcome``.
    ended: tuple[Any, ...] | None = None

    @property
    def name(self) -> str:
        return self.lane.exporter.name if self.lane else ""


def write_in_lanes(
    dataset: Dataset | CorpusReader, lanes: Sequence[Lane], jobs: int, board: Board
) -> dict[str, Path | ExportError]:
    """Write each lane's format in a worker process, ``jobs`` at a time at most.

    Each worker writes one lane after another, as the parent hands them out
    (a forked worker copies each page of the dataset it touches, and a fault
    costs some 15 microseconds on a virtual machine: one worker a slot copies
    them once). Returns the path written or the error, by format name. An
    error that ends a sequential export as a whole (a bad option value, say)
    stops the other workers and is raised, as Ctrl-C or SIGTERM is, once
    every worker has ended and its temporary output is gone.
    """
    from .. import canonical

    order = in_order(lanes)
    pending = deque(range(len(order)))
    workers: dict[object, _Worker] = {}
    outcomes: dict[str, Path | ExportError] = {}
    fingerprint = canonical.known_sha256(dataset)  # type: ignore[arg-type]
    # Where the kernel cannot tell a worker that this process has died.
    line = None if kernel_tells() else Lifeline()

    def hand_out(worker: _Worker) -> None:
        """The next lane to ``worker``, or word that there is none left."""
        worker.lane, worker.made, worker.ended, worker.asking = None, [], None, False
        message: tuple[Any, ...] = ("stop",)
        if pending:
            index = pending.popleft()
            worker.lane = order[index]
            board.start(worker.name, f"{worker.name:>6}")
            message = ("lane", index)
        with contextlib.suppress(OSError):  # one that died is seen at its end of file
            worker.conn.send(message)

    # The collector of each worker would otherwise walk the whole dataset,
    # writing to every object's header and so copying every page of it.
    gc.freeze()
    try:
        while pending or workers:
            while pending and len(workers) < jobs:
                try:
                    # Held until the worker is known here, so that Ctrl-C
                    # cannot come between its birth and its being stopped.
                    with held() as mask:
                        worker = _fork(order, dataset, list(workers.values()), mask, line)
                        workers[worker.conn] = worker
                except OSError as error:  # no more processes, or no memory for one
                    if workers:
                        break  # the lanes left wait for a worker that has one
                    lane = order[pending.popleft()]
                    outcomes[lane.exporter.name] = ExportError(
                        lane.exporter.name, lane.target, f"no worker process: {error.strerror}"
                    )
                    continue
                hand_out(worker)
            board.waiting = len(pending)
            board.draw()
            timeout = board.progress.interval if board.live else None
            for conn in wait([w.conn for w in workers.values()], timeout=timeout):
                worker = workers[conn]
                message = _receive(worker)
                if message is None:  # it has exited
                    del workers[conn]
                    status = _reap(worker)
                    if worker.lane is not None:  # in the middle of a lane
                        outcomes[worker.name] = ExportError(
                            worker.name, worker.lane.target, _death(status)
                        )
                        board.end(worker.name, written=False)
                elif message[0] == "progress":
                    board.report(worker.name, message[1], message[2])
                elif message[0] == "fingerprint?":
                    worker.asking = True
                elif message[0] in ("raised", "stopped"):
                    worker.ended = message
                    raise _rebuilt(message)
                elif message[0] != "made":
                    worker.ended = message
                    if message[0] == "written" and message[2]:
                        fingerprint = message[2]
                    outcomes[worker.name] = _outcome(worker)
                    board.end(worker.name, written=message[0] == "written")
                    hand_out(worker)
                # The fingerprint, to those who asked, once it is known or
                # once no worker will compute it.
                hashing = any(w.name == HASHES and not w.ended for w in workers.values())
                for waiting in workers.values():
                    if waiting.asking and (fingerprint or not hashing):
                        waiting.asking = False
                        with contextlib.suppress(OSError):
                            waiting.conn.send(("fingerprint", fingerprint))
    except BaseException:
        _stop(list(workers.values()))
        board.clear()
        raise
    finally:
        gc.unfreeze()
        if line is not None:  # every worker has been reaped
            line.close()
    return outcomes


def _receive(worker: _Worker) -> tuple[Any, ...] | None:
    """The worker's next message, or ``None`` once it has closed its end (it has exited)."""
    try:
        message: tuple[Any, ...] = worker.conn.recv()
    except Exception:  # closed (EOFError, OSError), or cut short by a worker killed mid-send
        return None
    if message[0] == "made":
        worker.made.append(message[1])
    return message


def _reap(worker: _Worker) -> int:
    """Wait for the worker's exit and remove what its lane left; its exit status."""
    worker.conn.close()
    _, status = os.waitpid(worker.pid, 0)
    _tidy(worker)
    return status


def _outcome(worker: _Worker) -> Path | ExportError:
    """What became of the worker's lane, as it said."""
    assert worker.lane is not None and worker.ended is not None
    _tidy(worker)
    kind, detail, *_ = worker.ended
    if kind == "written":
        return Path(detail)
    if kind == "failed":
        error = _rebuilt(worker.ended)
        assert isinstance(error, ExportError)
        return error
    lane = worker.lane
    return ExportError(lane.exporter.name, lane.target, f"its worker process failed: {detail}")


def _death(status: int) -> str:
    if not os.WIFSIGNALED(status):
        code = os.waitstatus_to_exitcode(status)
        return f"its worker process ended without saying how (exit code {code})"
    signum = os.WTERMSIG(status)
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = f"signal {signum}"
    if signum in _CRASHES:
        return f"its worker process crashed ({name})"
    if signum == getattr(signal, "SIGKILL", None):
        return f"its worker process was killed by {name} (as the system does when memory runs out)"
    return f"its worker process was killed by {name}"


def _rebuilt(message: tuple[Any, ...]) -> BaseException:
    """The exception a worker reported, as raised in the parent."""
    if message[0] == "stopped":
        return KeyboardInterrupt() if message[1] == signal.SIGINT else Stopped(message[1])
    _, kind, args, state = message
    try:
        # Not kind(*args): an error's __init__ takes its parts, not its message.
        error: StoryfactsError = kind.__new__(kind)
        StoryfactsError.__init__(error, *args)
        error.__dict__.update(state)
    except Exception:  # a plugin's error class of an odd shape
        return StoryfactsError(*args)
    return error


def _stop(workers: Sequence[_Worker]) -> None:
    """Stop every worker, wait until each has removed its temporary output, and reap it."""
    with _stops_ignored():
        for worker in workers:
            with contextlib.suppress(OSError):  # one between lanes reads this
                worker.conn.send(("stop",))
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGTERM)
        deadline = time.monotonic() + _GRACE
        open_: dict[object, _Worker] = {worker.conn: worker for worker in workers}
        while open_ and time.monotonic() < deadline:
            left = max(0.0, deadline - time.monotonic())
            for conn in wait([w.conn for w in open_.values()], timeout=left):
                message = _receive(open_[conn])
                if message is None:
                    del open_[conn]
                elif message[0] not in ("made", "progress", "fingerprint?"):
                    open_[conn].ended = message
        for worker in open_.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        for worker in workers:
            _reap(worker)


@contextlib.contextmanager
def _stops_ignored() -> Iterator[None]:
    """In the parent while workers unwind: a repeat Ctrl-C would cut the clean-up short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, ignored) for signum in STOPS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _tidy(worker: _Worker) -> None:
    """Remove what a worker that ended without writing its format left of its temporary paths.

    One that unwound removed them itself, unless the signal came between a
    temporary path being made and its maker learning its name; one killed
    could not.
    """
    if worker.ended is None or worker.ended[0] != "written":
        _remove(worker.made)


def _remove(paths: Sequence[str]) -> None:
    for name in reversed(paths):  # a file made inside a directory made earlier first
        with contextlib.suppress(OSError):
            remove_path(Path(name))


def _fork(
    order: list[Lane],
    dataset: Dataset | CorpusReader,
    others: list[_Worker],
    mask: set[int | signal.Signals],
    line: Lifeline | None,
) -> _Worker:
    """Start a worker for the lanes in ``order``; ``others`` are the workers already running.

    Called with the stopping signals held (``mask`` is the mask before): until
    the child has its own handlers, a signal would run the parent's in the
    child, which would then carry on as if it were the parent.

    The kernel sends a worker SIGTERM when the *thread* that forked it ends,
    not its process (:mod:`.lifeline`): :func:`storyfacts.lanes.can_fork`
    lets only the main thread fork, and only while no other runs, so the
    two end together.
    """
    parent = os.getpid()
    parent_end, child_end = Pipe()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()  # or the child would hold a copy of what is buffered
    try:
        pid = os.fork()
        if pid == 0:
            inherited = [parent_end, *(w.conn for w in others)]
            run(order, dataset, child_end, inherited, mask, parent, line)
    except BaseException:
        parent_end.close()
        child_end.close()
        raise
    child_end.close()
    return _Worker(pid, parent_end)
